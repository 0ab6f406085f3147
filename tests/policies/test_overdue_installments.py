"""An overdue instalment is marked as overdue (issue 14 point 10): on the customer's and the
agent's policy page a badge «سررسید گذشته», in the API `overdue: true`."""

import re

import pytest
from django.test import Client

from policies.models import Installment
from tests.policies.helpers import client_for, days, record, today

pytestmark = pytest.mark.django_db

BADGE = "سررسید گذشته"


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def policy(agent, customer):
    """A fire policy in instalments: the down payment paid, instalment 1 due yesterday and
    unpaid, instalment 2 due today, the rest later."""
    policy = record(agent, customer, payment_plan="installments", installments_count=4)
    Installment.objects.filter(policy=policy, number=1).update(due_on=today() - days(1))
    Installment.objects.filter(policy=policy, number=2).update(due_on=today())
    return policy


def _overdue_rows(html: str) -> list[str]:
    table = html[html.index('id="installments"') : html.index("</table>", html.index('id="installments"'))]
    return [row for row in re.findall(r"<tr data-overdue=\"(\w+)\">(.*?)</tr>", table, re.S) if row[0] == "true"]


def test_the_customer_sees_the_unpaid_past_due_instalment_marked(policy, customer):
    """issue 14 point 10: the customer's policy page marks the one overdue row."""
    html = browser(customer).get(f"/policies/{policy.pk}/").content.decode()

    overdue = _overdue_rows(html)
    assert len(overdue) == 1 and BADGE in overdue[0][1]
    assert html.count(BADGE) == 1


def test_the_agent_sees_the_unpaid_past_due_instalment_marked(policy, agent):
    """issue 14 point 10: the issuing agent's page marks it too."""
    html = browser(agent.user).get(f"/policies/{policy.pk}/").content.decode()

    assert len(_overdue_rows(html)) == 1 and html.count(BADGE) == 1


def test_a_paid_instalment_is_not_overdue_whatever_its_date(policy, customer):
    """issue 14 point 10: paying it clears the mark."""
    assert BADGE in browser(customer).get(f"/policies/{policy.pk}/").content.decode()
    Installment.objects.filter(policy=policy, number=1).update(paid_at=policy.created_at, paid_on=today())

    html = browser(customer).get(f"/policies/{policy.pk}/").content.decode()

    assert BADGE not in html


def test_the_api_rows_carry_overdue(policy, customer):
    """issue 14 point 10: each instalment row in the API says whether it is overdue; the due day itself is not."""
    body = client_for(customer).get(f"/api/v1/policies/{policy.pk}/").json()

    overdue = {row["number"]: row["overdue"] for row in body["installments"]}
    assert overdue == {0: False, 1: True, 2: False, 3: False, 4: False}
