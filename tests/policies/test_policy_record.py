"""Policy registry: recording by an agent, the 24:00 rule, instalments, in force after payment."""

import pytest

from core.models import AuditLog
from policies.models import Installment, Policy
from tests.policies.helpers import accepted_request, client_for, days, link_confirmed, make_agent, record, today

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _customer_confirmed_the_agent(agent, customer):
    """Recording by the customer's mobile needs a relationship (issue 13 point 1)."""
    link_confirmed(agent, customer)


URL = "/api/v1/policies/"


def body(customer, **overrides):
    data = {
        "customer_mobile": customer.mobile,
        "line": "fire",
        "insurer": "iran",
        "policy_number": "F-1001",
        "starts_on": today().isoformat(),
        "ends_on": (today() + days(365)).isoformat(),
        "premium": 10_000_000,
        "sum_insured": 500_000_000,
        "paid_on": today().isoformat(),
    }
    data.update(overrides)
    return data


def test_agent_records_a_policy_from_an_accepted_request(agent_api, agent, customer, sms_outbox):
    # given
    request = accepted_request(customer=customer, agent=agent)
    # when
    response = agent_api.post(URL, body(customer, customer_mobile="", request=request.pk), format="json")
    # then
    assert response.status_code == 201, response.data
    policy = Policy.objects.get(pk=response.data["id"])
    assert policy.customer == customer
    assert policy.request == request
    assert policy.agent == agent
    assert AuditLog.objects.filter(action="policy.record", target_id=str(policy.pk)).exists()


def test_a_request_won_by_another_agent_is_refused(agent_api, customer):
    other = make_agent()
    request = accepted_request(customer=customer, agent=other)
    response = agent_api.post(URL, body(customer, customer_mobile="", request=request.pk), format="json")
    assert response.status_code == 400
    assert "request" in response.data


def test_standalone_policy_by_customer_mobile_in_any_usual_form(agent_api, customer):
    mobile = "+98" + customer.mobile[1:]
    response = agent_api.post(URL, body(customer, customer_mobile=mobile), format="json")
    assert response.status_code == 201
    assert Policy.objects.get(pk=response.data["id"]).customer == customer


def test_unknown_customer_mobile_is_a_400_naming_customer_mobile(agent_api, customer):
    response = agent_api.post(URL, body(customer, customer_mobile="09350000000"), format="json")
    assert response.status_code == 400
    assert "customer_mobile" in response.data


def test_policy_number_is_unique_per_insurer(agent_api, customer):
    assert agent_api.post(URL, body(customer), format="json").status_code == 201
    response = agent_api.post(URL, body(customer), format="json")
    assert response.status_code == 409
    assert "policy_number" in response.data


def test_the_same_number_at_another_insurer_is_fine(agent_api, customer):
    from insurers.models import Insurer

    other = make_agent(insurer=Insurer.objects.get(code="asia"))
    link_confirmed(other, customer)
    assert agent_api.post(URL, body(customer), format="json").status_code == 201
    response = client_for(other.user).post(URL, body(customer, insurer="asia"), format="json")
    assert response.status_code == 201


def test_an_agent_records_only_for_their_own_insurer(agent_api, customer):
    response = agent_api.post(URL, body(customer, insurer="asia"), format="json")
    assert response.status_code == 400
    assert "insurer" in response.data


def test_a_customer_cannot_record_a_policy(customer_api, customer):
    response = customer_api.post(URL, body(customer), format="json")
    assert response.status_code == 403


def test_jalali_dates_are_accepted(agent_api, customer):
    response = agent_api.post(
        URL, body(customer, starts_on="1405/01/01", ends_on="۱۴۰۶/۰۱/۰۱", paid_on=None), format="json"
    )
    assert response.status_code == 201, response.data
    assert response.data["starts_on"] == "2026-03-21"


@pytest.mark.rule("R-016")
def test_cover_runs_from_24h_of_the_first_day_to_24h_of_the_last(agent_api, customer):
    response = agent_api.post(URL, body(customer), format="json")
    assert response.data["cover_first_day"] == (today() + days(1)).isoformat()
    assert response.data["cover_last_day"] == (today() + days(365)).isoformat()


@pytest.mark.rule("R-074")
def test_third_party_starts_at_00h_the_day_after_purchase(agent_api, customer):
    response = agent_api.post(
        URL, body(customer, line="third_party", starts_on=today().isoformat(), sum_insured=1), format="json"
    )
    assert response.status_code == 400
    assert "starts_on" in response.data


@pytest.mark.rule("R-074", "R-075")
def test_third_party_from_the_next_day_is_covered_from_00h_until_the_expiry_morning(agent_api, customer):
    start = today() + days(1)
    response = agent_api.post(
        URL,
        body(customer, line="third_party", starts_on=start.isoformat(), ends_on=(start + days(365)).isoformat()),
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["cover_first_day"] == start.isoformat()
    assert response.data["cover_last_day"] == (start + days(364)).isoformat()


@pytest.mark.rule("R-017")
def test_cover_is_not_in_force_until_the_first_instalment_is_paid(agent, customer):
    policy = record(agent, customer, paid=False)
    assert client_for(customer).get(f"{URL}{policy.pk}/").data["in_force"] is False
    # when the first instalment arrives
    client_for(agent.user).post(f"{URL}{policy.pk}/payments/", {"paid_on": today().isoformat()}, format="json")
    # then
    data = client_for(customer).get(f"{URL}{policy.pk}/").data
    assert data["state"] == "not_started"  # 24:00 rule: cover begins tonight
    policy.refresh_from_db()
    assert policy.first_paid_at is not None


@pytest.mark.rule("R-146")
def test_installments_need_at_least_30_percent_down(agent_api, customer):
    plan = [
        {"due_on": today().isoformat(), "amount": 2_000_000},
        {"due_on": (today() + days(30)).isoformat(), "amount": 8_000_000},
    ]
    response = agent_api.post(
        URL, body(customer, payment_plan="installments", installments=plan, paid_on=None), format="json"
    )
    assert response.status_code == 400
    assert "installments" in response.data


@pytest.mark.rule("R-147")
def test_installments_at_most_eight_after_the_down_payment(agent_api, customer):
    plan = [{"due_on": today().isoformat(), "amount": 3_100_000}] + [
        {"due_on": (today() + days(30 * n)).isoformat(), "amount": 766_666 if n < 9 else 766_672} for n in range(1, 10)
    ]
    response = agent_api.post(
        URL, body(customer, payment_plan="installments", installments=plan, paid_on=None), format="json"
    )
    assert response.status_code == 400
    assert "installments" in response.data


def test_installments_must_sum_exactly_to_the_premium(agent_api, customer):
    plan = [
        {"due_on": today().isoformat(), "amount": 3_000_000},
        {"due_on": (today() + days(30)).isoformat(), "amount": 6_999_999},
    ]
    response = agent_api.post(
        URL, body(customer, payment_plan="installments", installments=plan, paid_on=None), format="json"
    )
    assert response.status_code == 400


@pytest.mark.rule("R-020")
def test_an_instalment_plan_is_generated_when_only_the_count_is_given(agent_api, customer):
    response = agent_api.post(
        URL, body(customer, payment_plan="installments", installments_count=8, paid_on=None), format="json"
    )
    assert response.status_code == 201, response.data
    rows = response.data["installments"]
    assert len(rows) == 9
    assert sum(row["amount"] for row in rows) == 10_000_000
    assert rows[0]["amount"] >= 3_000_000
    assert [row["due_on"] for row in rows] == sorted(row["due_on"] for row in rows)


@pytest.mark.rule("R-020")
def test_a_fire_policy_with_instalments_from_an_accepted_request(agent_api, agent, customer):
    request = accepted_request(customer=customer, agent=agent)
    plan = [
        {"due_on": today().isoformat(), "amount": 3_000_000, "paid_on": today().isoformat()},
        {"due_on": (today() + days(30)).isoformat(), "amount": 3_500_000},
        {"due_on": (today() + days(60)).isoformat(), "amount": 3_500_000},
    ]
    response = agent_api.post(
        URL,
        body(customer, customer_mobile="", request=request.pk, payment_plan="installments", installments=plan),
        format="json",
    )
    assert response.status_code == 201, response.data
    assert Installment.objects.filter(policy_id=response.data["id"], paid_at__isnull=False).count() == 1
    assert response.data["paid"] == 3_000_000
    assert response.data["outstanding"] == 7_000_000


def test_customer_lists_own_policies_with_days_left(agent, customer, django_assert_max_num_queries):
    for _ in range(3):
        record(agent, customer)
    with django_assert_max_num_queries(8):
        response = client_for(customer).get(URL)
    assert response.status_code == 200
    assert response.data["count"] == 3
    assert response.data["results"][0]["days_left"] == 365


def test_agent_lists_the_policies_they_issued(agent, customer):
    record(agent, customer)
    other = make_agent()
    record(other, customer)
    response = client_for(agent.user).get(URL)
    assert response.data["count"] == 1
    assert response.data["results"][0]["customer"]["mobile"] == customer.mobile
