"""Endorsements, inspections, cancellation, renewal and capital review through the API."""

import pytest

from core.models import AuditLog
from policies import services
from policies.models import Endorsement, Policy, RenewalReminder
from policies.tasks import send_renewal_reminders
from tests.factories import StaffFactory
from tests.policies.helpers import days, link_confirmed, record, today

pytestmark = pytest.mark.django_db


# --- endorsements --------------------------------------------------------------------------


@pytest.mark.rule("R-029")
def test_endorsements_are_numbered_per_policy(agent, agent_api, customer):
    policy = record(agent, customer)
    other = record(agent, customer)
    for target in (policy, policy, other):
        response = agent_api.post(
            f"/api/v1/policies/{target.pk}/endorsements/",
            {"kind": "no_financial_effect", "changes": {"address": "تهران"}, "premium_delta": 0},
            format="json",
        )
        assert response.status_code == 201, response.data
    assert list(policy.endorsements.values_list("number", flat=True)) == [1, 2]
    assert list(other.endorsements.values_list("number", flat=True)) == [1]


def test_preview_shows_the_difference_before_confirmation_and_writes_nothing(agent, agent_api, customer):
    policy = record(agent, customer, sum_insured=500_000_000)
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/endorsements/preview/",
        {"changes": {"sum_insured": 1_000_000_000}},
        format="json",
    )
    assert response.status_code == 200
    assert response.data["kind"] == "additional"
    assert response.data["premium_delta"] == 10_000_000
    assert not Endorsement.objects.exists()


@pytest.mark.rule("R-027")
def test_an_additional_endorsement_raises_the_sum_insured_and_adds_an_instalment(agent, agent_api, customer):
    policy = record(agent, customer, sum_insured=500_000_000)
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/endorsements/",
        {"kind": "additional", "changes": {"sum_insured": 1_000_000_000}},
        format="json",
    )
    assert response.status_code == 201
    policy.refresh_from_db()
    assert policy.sum_insured == 1_000_000_000
    assert policy.installments.filter(endorsement__isnull=False).get().amount == response.data["premium_delta"]


@pytest.mark.rule("R-027")
def test_the_kind_must_match_the_premium_difference(agent, agent_api, customer):
    policy = record(agent, customer)
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/endorsements/",
        {"kind": "no_financial_effect", "changes": {"sum_insured": 900_000_000}},
        format="json",
    )
    assert response.status_code == 400
    assert "premium_delta" in response.data


@pytest.mark.rule("R-027")
def test_a_refund_endorsement_is_stored_negative(agent, agent_api, customer):
    policy = record(agent, customer, sum_insured=500_000_000)
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/endorsements/",
        {"kind": "refund", "changes": {"sum_insured": 250_000_000}, "premium_delta": 1_000_000},
        format="json",
    )
    assert response.data["premium_delta"] == -1_000_000


def test_adding_a_theft_cover_flags_a_new_inspection(agent, agent_api, customer):
    policy = record(agent, customer)
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/endorsements/",
        {"kind": "additional", "changes": {"covers": ["theft"]}, "premium_delta": 500_000},
        format="json",
    )
    assert response.data["needs_inspection"] is True


def test_owner_change_moves_the_policy_to_the_new_owner(agent, agent_api, customer):
    from tests.factories import UserFactory

    new_owner = UserFactory()
    policy = record(agent, customer)
    link_confirmed(agent, new_owner)
    agent_api.post(
        f"/api/v1/policies/{policy.pk}/endorsements/",
        {"kind": "no_financial_effect", "changes": {"owner_mobile": new_owner.mobile}},
        format="json",
    )
    policy.refresh_from_db()
    assert policy.customer == new_owner


# --- inspections ---------------------------------------------------------------------------


@pytest.mark.rule("R-148")
def test_fire_over_the_capital_threshold_needs_an_inspection(agent, customer):
    assert record(agent, customer, sum_insured=2_000_000_000).status == Policy.Status.PENDING_ISSUE
    assert record(agent, customer, sum_insured=500_000_000).status == Policy.Status.ISSUED


@pytest.mark.rule("R-150")
def test_industrial_fire_always_needs_an_inspection(agent, customer):
    policy = record(agent, customer, params={"property_type": "industrial"})
    assert policy.inspection_required


def test_a_policy_that_needs_an_inspection_cannot_be_issued_until_recommendations_are_complied(
    agent, agent_api, customer
):
    policy = record(agent, customer, covers=["pipe_burst"])
    url = f"/api/v1/policies/{policy.pk}"
    assert agent_api.post(f"{url}/issue/").status_code == 409  # no initial report yet
    initial = agent_api.post(
        f"{url}/inspections/",
        {
            "kind": "initial",
            "inspected_on": today().isoformat(),
            "inspector": "کارشناس",
            "report": "گزارش",
            "recommendations": ["نصب شیر قطع‌کن"],
        },
        format="json",
    ).data
    assert agent_api.post(f"{url}/issue/").status_code == 409  # recommendation open
    rec = initial["recommendations"][0]["id"]
    response = agent_api.post(
        f"{url}/inspections/",
        {
            "kind": "secondary",
            "inspected_on": today().isoformat(),
            "inspector": "کارشناس",
            "report": "رعایت شد",
            "complied": [rec],
        },
        format="json",
    )
    assert response.status_code == 201
    response = agent_api.post(f"{url}/issue/")
    assert response.status_code == 200
    assert response.data["status"] == "issued"


# --- cancellation --------------------------------------------------------------------------


@pytest.mark.rule("R-134")
def test_cancel_by_the_insured_returns_the_refund(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=today() - days(90), premium=10_000_000)
    response = customer_api.post(
        f"/api/v1/policies/{policy.pk}/cancel/", {"by": "insured", "on": today().isoformat()}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["refund"] == 6_000_000
    policy.refresh_from_db()
    assert policy.status == Policy.Status.CANCELLED
    assert policy.cancelled_at is not None
    assert AuditLog.objects.filter(action="policy.cancellation").exists()


def test_cancel_twice_is_a_conflict(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=today() - days(10))
    data = {"by": "insured", "on": today().isoformat()}
    assert customer_api.post(f"/api/v1/policies/{policy.pk}/cancel/", data, format="json").status_code == 200
    assert customer_api.post(f"/api/v1/policies/{policy.pk}/cancel/", data, format="json").status_code == 409


@pytest.mark.rule("R-158")
def test_travel_visa_refused_keeps_10_percent_through_the_api(agent, agent_api, customer):
    policy = record(agent, customer, line="travel", starts_on=today() + days(10), length=30, premium=5_000_000)
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/cancel/",
        {"by": "insured", "on": today().isoformat(), "reason": "visa_refused"},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["refund"] == 4_500_000
    assert response.data["status"] == "annulled"


def test_a_cancelled_policy_no_longer_covers_later_days(agent, customer, customer_api):
    from policies.selectors import policy_covers_day

    policy = record(agent, customer, issued_on=today() - days(30))
    customer_api.post(f"/api/v1/policies/{policy.pk}/cancel/", {"by": "insured", "on": today().isoformat()})
    policy.refresh_from_db()
    assert policy_covers_day(policy, today() - days(1))
    assert not policy_covers_day(policy, today() + days(1))


# --- renewal -------------------------------------------------------------------------------


@pytest.mark.rule("R-031")
def test_renewal_reminder_a_month_before_expiry_once(agent, customer, sms_outbox, django_capture_on_commit_callbacks):
    record(agent, customer, issued_on=today() - days(340), length=365)  # ends in 25 days
    with django_capture_on_commit_callbacks(execute=True):
        assert send_renewal_reminders.apply().get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_renewal_reminders.apply().get() == 0
    assert RenewalReminder.objects.get().kind == "month_before"
    assert len(sms_outbox) == 1
    assert "تمدید" in sms_outbox[0].text


@pytest.mark.rule("R-076")
def test_third_party_is_reminded_a_week_before_not_a_month(agent, customer):
    record(agent, customer, line="third_party", issued_on=today() - days(346), length=365)  # ends in 20 days
    assert services.renewal_reminders_send() == 0
    record(agent, customer, line="third_party", issued_on=today() - days(360), length=365)  # ends in 6 days
    assert services.renewal_reminders_send() == 1
    assert RenewalReminder.objects.get().kind == "week_before"


def test_no_reminder_for_cancelled_or_renewed_policies(agent, customer):
    cancelled = record(agent, customer, issued_on=today() - days(340))
    services.policy_cancel(user=customer, policy=cancelled, by="insured", on=today())
    renewed = record(agent, customer, issued_on=today() - days(340))
    services.policy_renew(
        user=agent.user, policy=renewed, ends_on=renewed.ends_on + days(365), premium=1_000_000, policy_number="R-1"
    )
    assert services.renewal_reminders_send() == 0


@pytest.mark.rule("R-034")
def test_renewal_of_a_year_creates_a_new_policy(agent, agent_api, customer):
    policy = record(agent, customer)
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/renew/",
        {"ends_on": (policy.ends_on + days(365)).isoformat(), "premium": 12_000_000, "policy_number": "R-2"},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["renewal"] == "policy"
    assert response.data["policy"]["starts_on"] == policy.ends_on.isoformat()
    assert Policy.objects.get(number="R-2").renewal_of == policy


@pytest.mark.rule("R-034")
def test_renewal_under_a_year_is_a_short_term_renewal_endorsement(agent, agent_api, customer):
    policy = record(agent, customer)
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/renew/",
        {"ends_on": (policy.ends_on + days(90)).isoformat(), "premium": 4_000_000},
        format="json",
    )
    assert response.status_code == 201
    assert response.data["renewal"] == "endorsement"
    assert response.data["endorsement"]["kind"] == "renewal"
    policy.refresh_from_db()
    assert Policy.objects.count() == 1


@pytest.mark.rule("R-033")
def test_renewal_needs_a_new_inspection_after_two_years(agent, customer):
    old = record(agent, customer, issued_on=today() - days(730), length=730)
    new = services.policy_renew(
        user=agent.user, policy=old, ends_on=old.ends_on + days(365), premium=1_000_000, policy_number="R-3"
    )
    assert new.inspection_required
    assert new.status == Policy.Status.PENDING_ISSUE


@pytest.mark.rule("R-033")
def test_renewal_within_two_years_needs_no_inspection(agent, customer):
    old = record(agent, customer, issued_on=today() - days(300), sum_insured=5_000_000_000, inspection_required=False)
    new = services.policy_renew(
        user=agent.user, policy=old, ends_on=old.ends_on + days(365), premium=1_000_000, policy_number="R-4"
    )
    assert not new.inspection_required


def test_a_policy_is_renewed_once(agent, agent_api, customer):
    policy = record(agent, customer)
    body = {"ends_on": (policy.ends_on + days(365)).isoformat(), "premium": 1_000, "policy_number": "R-5"}
    assert agent_api.post(f"/api/v1/policies/{policy.pk}/renew/", body, format="json").status_code == 201
    body["policy_number"] = "R-6"
    assert agent_api.post(f"/api/v1/policies/{policy.pk}/renew/", body, format="json").status_code == 409


def test_travel_cannot_be_renewed(agent, agent_api, customer):
    policy = record(agent, customer, line="travel", length=30)
    response = agent_api.post(
        f"/api/v1/policies/{policy.pk}/renew/",
        {"ends_on": (policy.ends_on + days(30)).isoformat(), "premium": 1000},
        format="json",
    )
    assert response.status_code == 400


# --- capital review ------------------------------------------------------------------------


def _issued_by_the_office(agent, policy):
    """A large fire policy waits for its inspection and the supervision office's authorisation
    [001]; the review lists hold issued policies only."""
    services.inspection_record(
        user=agent.user, policy=policy, kind="initial", inspected_on=today(), inspector="کارشناس", report="بدون توصیه"
    )
    services.policy_authorise(user=StaffFactory(), policy=policy, reference="1")
    return services.policy_mark_issued(user=agent.user, policy=policy)


def test_capital_review_lists_by_threshold(agent, customer):
    from policies.selectors import capital_review_levels, capital_review_queryset

    assert capital_review_levels(10_000_000_000) == []
    assert capital_review_levels(10_000_000_001) == ["monthly"]
    assert capital_review_levels(40_000_000_001) == ["monthly", "central"]
    assert capital_review_levels(63_000_000_001) == ["monthly", "central", "daily"]
    big = _issued_by_the_office(agent, record(agent, customer, sum_insured=50_000_000_000))
    record(agent, customer, sum_insured=5_000_000_000)
    assert list(capital_review_queryset("central")) == [big]
    assert not capital_review_queryset("daily").exists()


def test_capital_review_lists_in_the_admin(agent, customer, client):
    big = _issued_by_the_office(agent, record(agent, customer, sum_insured=70_000_000_000))
    staff = StaffFactory()
    client.force_login(staff)
    for name in ("monthlyreviewpolicy", "centralinsurancereviewpolicy", "dailyreviewpolicy"):
        response = client.get(f"/admin/policies/{name}/")
        assert response.status_code == 200, name
        assert big.number in response.content.decode()
    response = client.post(
        "/admin/policies/dailyreviewpolicy/", {"action": "mark_reviewed", "_selected_action": [big.pk]}
    )
    assert response.status_code == 302
    assert big.capital_reviews.get().level == "daily"
    assert client.get(f"/admin/policies/policy/{big.pk}/change/").status_code == 200
