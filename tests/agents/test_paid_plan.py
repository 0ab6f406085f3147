"""A paid plan shown as paid (issue 14 point 10).

An agent who pays during the free trial used to read «آزمایشی رایگان» on the dashboard and
was counted as 0 paid subscriptions on the staff dashboard, because the paid period is
queued after the trial (renewals lose no day) and only the period covering today counted.
"""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from agents.models import Subscription
from agents.selectors import subscription_state
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _browser_for(user) -> Client:
    browser = Client()
    browser.force_login(user)
    return browser


def _pay_through_the_sandbox(browser: Client, *, plan: str) -> None:
    """The dashboard's buy button, the sandbox bank's «pay», back to the callback."""
    to_bank = browser.post("/agent/subscription/buy/", {"plan": plan})
    assert to_bank.status_code == 302
    bank = Client()
    back = bank.post(to_bank["Location"], {"outcome": "pay"})
    assert back.status_code == 302
    assert browser.get(back["Location"]).status_code == 302


def _staff_subscription_counts(client: Client) -> dict:
    client.force_login(StaffFactory())
    html = client.get("/admin/marketplace/").content.decode()
    marker = 'id="marketplace-stats" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start : html.index("</script>", start)])["subscriptions"]


def test_paying_during_the_trial_shows_the_plan_as_paid_on_the_dashboard(verified_agent):
    """issue 14 point 10: after a payment the dashboard names the plan and says «پرداخت‌شده»."""
    # given an agent on the free trial
    browser = _browser_for(verified_agent.user)
    assert browser.post("/agent/subscription/trial/").status_code == 302
    # when they buy the monthly plan through the sandbox gateway
    _pay_through_the_sandbox(browser, plan="monthly")
    # then
    page = browser.get("/agent/").content.decode()
    state_line = page[page.index('id="subscription-state"') : page.index("</p>", page.index('id="subscription-state"'))]
    assert "آزمایشی رایگان" not in state_line
    assert verified_agent.subscriptions.get(kind="paid").plan.title in state_line
    assert "پرداخت‌شده" in state_line
    assert 'id="trial-until"' in page


def test_paying_during_the_trial_counts_one_paid_subscription_for_staff(verified_agent, client):
    """issue 14 point 10: the staff dashboard counts the agent who paid as one paid subscription."""
    browser = _browser_for(verified_agent.user)
    browser.post("/agent/subscription/trial/")
    _pay_through_the_sandbox(browser, plan="monthly")

    assert _staff_subscription_counts(client) == {"paid": 1, "trial": 0}


def test_a_trial_with_nothing_bought_stays_a_trial(verified_agent, client):
    """issue 14 point 10: only a payment turns the trial into a paid plan."""
    browser = _browser_for(verified_agent.user)
    browser.post("/agent/subscription/trial/")

    page = browser.get("/agent/").content.decode()
    assert 'data-status="trial"' in page and 'id="subscription-paid"' not in page
    assert _staff_subscription_counts(client) == {"paid": 0, "trial": 1}


def test_an_expired_paid_period_is_not_counted_as_paid(verified_agent, client):
    """issue 14 point 10: a paid plan that has ended is neither paid nor active."""
    today = timezone.localdate()
    browser = _browser_for(verified_agent.user)
    _pay_through_the_sandbox(browser, plan="monthly")
    Subscription.objects.filter(agent=verified_agent).update(
        starts_on=today - dt.timedelta(days=40), ends_on=today - dt.timedelta(days=11)
    )

    assert subscription_state(verified_agent).status == "expired"
    assert _staff_subscription_counts(client) == {"paid": 0, "trial": 0}
