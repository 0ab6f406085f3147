"""How a fire or third-party payout is settled: partners paid by their shares [004], full
recovery from a driver at fault by intent, intoxication or no licence [004], the cost of stopping
the loss from spreading (Art. 11) and the insured's fault (Art. 27) [004]."""

import datetime as dt

import pytest

from claims import rules, services
from claims.payout import PayoutInput, estimate_payout
from core.exceptions import ApplicationError, ConflictError
from tests.claims.rule_steps import ago, assessed, browser, documents_complete, file, paid
from tests.factories import StaffFactory
from tests.policies.helpers import client_for, record

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/staff/claims"
HOME = {"property_type": "residential", "postal_code": "1234567890", "unit": "4"}


def fire_pay(**kwargs) -> int:
    base = {
        "line": "fire",
        "cause": "fire",
        "loss": 100_000_000,
        "sum_insured": 1_000_000_000,
        "actual_value": 1_000_000_000,
    }
    return estimate_payout(PayoutInput(**{**base, **kwargs})).payout


# --- partners are paid by their shares (R-272) ---------------------------------------------


@pytest.mark.rule("R-272")
def test_each_partner_is_paid_by_the_share_stated_on_the_policy(agent, customer, customer_api):
    partners = [{"name": "مریم احمدی", "share": "33.33"}, {"name": "علی احمدی", "share": "66.67"}]
    policy = record(agent, customer, issued_on=ago(60), params=dict(HOME), partners=partners)
    claim = assessed(file(customer, policy, cause="fire", occurred_on=ago(3)), assessed_loss=10_000_001)
    payees = customer_api.get(f"/api/v1/claims/{claim.pk}/").data["payees"]
    assert [(payee["name"], payee["amount"]) for payee in payees] == [
        ("مریم احمدی", 3_333_000),
        ("علی احمدی", 6_667_001),
    ]
    assert sum(payee["amount"] for payee in payees) == claim.payout
    page = browser(customer).get(f"/claims/{claim.pk}/").content.decode()
    assert "سهم هر شریک" in page and "مریم احمدی" in page


@pytest.mark.rule("R-272")
def test_a_policy_without_partners_has_no_split(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=ago(60))
    claim = assessed(file(customer, policy, cause="fire", occurred_on=ago(3)), assessed_loss=10_000_000)
    assert customer_api.get(f"/api/v1/claims/{claim.pk}/").data["payees"] == []


# --- intent, intoxication, no licence: the whole payment is recoverable (R-273) -----------


@pytest.mark.rule("R-273")
def test_intent_intoxication_or_no_licence_make_the_whole_payment_recoverable():
    for ground in ("intent", "intoxication", "no_licence", "wrong_licence"):
        assert rules.driver_recovery(cause="bodily", paid=500_000_000, violation=ground) == 500_000_000


@pytest.mark.rule("R-273")
def test_the_assessor_records_a_driver_without_licence_through_the_api(agent, customer):
    policy = record(agent, customer, line="third_party", issued_on=ago(40))
    claim = file(customer, policy, cause="bodily", occurred_on=ago(2), loss=300_000_000)
    documents_complete(claim)
    response = client_for(StaffFactory()).post(
        f"{STAFF}/{claim.pk}/assess/", {"assessed_loss": 300_000_000, "driver_violation": "no_licence"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["payout"] == 300_000_000  # the injured party is paid without condition
    assert response.data["driver_recovery"] == 300_000_000
    assert response.data["driver_violation_label"] == "راننده مسبب فاقد گواهینامه"


# --- the cost of stopping the loss from spreading (R-274) -----------------------------------


@pytest.mark.rule("R-274")
def test_the_cost_of_stopping_the_spread_is_paid_on_top_of_the_loss():
    assert fire_pay(mitigation_cost=5_000_000) == 105_000_000


@pytest.mark.rule("R-274")
def test_with_the_cost_of_stopping_the_spread_the_payout_stays_within_the_sum_insured():
    assert fire_pay(loss=990_000_000, mitigation_cost=50_000_000) == 1_000_000_000


@pytest.mark.rule("R-274")
def test_the_assessor_adds_the_cost_on_a_fire_claim_only(agent, customer):
    fire = record(agent, customer, issued_on=ago(60))
    claim = file(customer, fire, cause="fire", occurred_on=ago(3))
    documents_complete(claim)
    response = client_for(StaffFactory()).post(
        f"{STAFF}/{claim.pk}/assess/", {"assessed_loss": 40_000_000, "mitigation_cost": 2_000_000}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["payout"] == 42_000_000
    body = record(agent, customer, line="body", issued_on=ago(60))
    other = file(customer, body, cause="partial", occurred_on=ago(3))
    documents_complete(other)
    with pytest.raises(ApplicationError) as refused:
        services.claim_assess(user=StaffFactory(), claim=other, assessed_loss=1_000, mitigation_cost=1_000)
    assert refused.value.field == "mitigation_cost"


# --- the insured's fault reduces the payout (R-275) -----------------------------------------


@pytest.mark.rule("R-275")
def test_the_payout_is_reduced_in_proportion_to_the_insureds_fault():
    assert fire_pay(insured_fault_percent=30) == 70_000_000
    assert fire_pay(insured_fault_percent=100) == 0


@pytest.mark.rule("R-275")
def test_the_fault_share_is_a_percent_on_the_admin_assess_form(agent, customer):
    fire = record(agent, customer, issued_on=ago(60))
    claim = file(customer, fire, cause="fire", occurred_on=ago(3))
    documents_complete(claim)
    page = browser(StaffFactory())
    url = f"/admin/claims/claim/{claim.pk}/transition/assess/"
    response = page.post(url, {"assessed_loss": "40,000,000", "insured_fault_percent": "130", "note": "کپسول نبود"})
    assert response.status_code == 200
    assert "insured_fault_percent" in response.context["form"].errors
    assert "کپسول نبود" in response.content.decode()
    response = page.post(url, {"assessed_loss": "40,000,000", "insured_fault_percent": "25"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.payout == 30_000_000
    assert claim.payout_breakdown[-1]["code"] == "insured_fault"


# --- a staged accident is repaid twice over (R-281) -----------------------------------------


@pytest.mark.rule("R-281")
def test_a_staged_third_party_claim_owes_twice_what_was_received(agent, customer, customer_api):
    policy = record(agent, customer, line="third_party", issued_on=ago(40))
    staff = StaffFactory()
    claim = paid(
        assessed(
            file(customer, policy, cause="property", occurred_on=ago(2), loss=50_000_000), assessed_loss=50_000_000
        )
    )
    staff_api = client_for(staff)
    response = staff_api.post(f"{STAFF}/{claim.pk}/staged/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert "reason" in response.data
    response = staff_api.post(f"{STAFF}/{claim.pk}/staged/", {"reason": "رأی دادگاه"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["staged"]["repayment_due"] == 100_000_000
    assert "صحنه‌سازی" in browser(customer).get(f"/claims/{claim.pk}/").content.decode()


@pytest.mark.rule("R-281")
def test_staging_is_recorded_only_on_a_paid_third_party_claim(agent, customer):
    fire = record(agent, customer, issued_on=ago(60))
    claim = paid(assessed(file(customer, fire, cause="fire", occurred_on=ago(3)), assessed_loss=1_000_000))
    with pytest.raises(ConflictError):
        services.claim_staged_record(user=StaffFactory(), claim=claim, reason="x")
    assert rules.staged_claim_repayment(7) == 14


# --- debris removal: only with its cover, up to the amount stated for it (R-282) -----------


@pytest.mark.rule("R-282")
def test_debris_removal_is_paid_up_to_the_amount_the_policy_states():
    assert fire_pay(debris_removal_cost=8_000_000) == 108_000_000
    assert fire_pay(debris_removal_cost=8_000_000, debris_removal_limit=5_000_000) == 105_000_000


@pytest.mark.rule("R-282")
def test_debris_removal_needs_its_cover(agent, customer):
    plain = record(agent, customer, issued_on=ago(60))
    claim = file(customer, plain, cause="fire", occurred_on=ago(3))
    documents_complete(claim)
    response = client_for(StaffFactory()).post(
        f"{STAFF}/{claim.pk}/assess/", {"assessed_loss": 40_000_000, "debris_removal_cost": 3_000_000}, format="json"
    )
    assert response.status_code == 400
    assert "پوشش" in response.data["debris_removal_cost"][0]
    covered = record(
        agent, customer, issued_on=ago(60), covers=["debris_removal"], params={"debris_removal_sum": 2_000_000}
    )
    claim = file(customer, covered, cause="fire", occurred_on=ago(3))
    documents_complete(claim)
    response = client_for(StaffFactory()).post(
        f"{STAFF}/{claim.pk}/assess/", {"assessed_loss": 40_000_000, "debris_removal_cost": 3_000_000}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["payout"] == 42_000_000


# --- a death's diyeh is a third higher in the sacred months (R-283) -------------------------


def _last_day_in_hijri_month(month: int) -> dt.date:
    """A recent day early in the given lunar month, so the death three days later is in it too."""
    day = ago(10)
    while not (rules.hijri_date(day)[1] == month and rules.hijri_date(day)[2] <= 20):
        day -= dt.timedelta(days=1)
    return day


@pytest.mark.rule("R-283")
def test_the_hijri_calendar_marks_the_sacred_months():
    assert rules.hijri_date(dt.date(2025, 1, 1)) == (1446, 7, 1)  # 1 Rajab 1446
    assert rules.hijri_date(dt.date(2025, 6, 27)) == (1447, 1, 1)  # 1 Muharram 1447
    assert rules.in_haram_months(occurred_on=dt.date(2025, 1, 5), died_on=dt.date(2025, 1, 9))
    assert not rules.in_haram_months(occurred_on=dt.date(2025, 1, 5), died_on=dt.date(2025, 3, 9))  # Ramadan


@pytest.mark.rule("R-283")
@pytest.mark.parametrize(("month", "increase"), [(1, 100_000_000), (2, 0)])  # Muharram, Safar
def test_the_assessed_diyeh_gets_its_third_when_accident_and_death_are_in_sacred_months(
    agent, customer, month, increase
):
    occurred = _last_day_in_hijri_month(month)
    policy = record(agent, customer, line="third_party", issued_on=occurred - dt.timedelta(days=10))
    claim = file(customer, policy, cause="bodily", occurred_on=occurred, loss=300_000_000)
    documents_complete(claim)
    response = client_for(StaffFactory()).post(
        f"{STAFF}/{claim.pk}/assess/",
        {
            "assessed_loss": 300_000_000,
            "diyeh": 300_000_000,
            "died_on": (occurred + dt.timedelta(days=3)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["payout"] == 300_000_000 + increase


@pytest.mark.rule("R-283")
def test_a_diyeh_is_refused_outside_third_party_bodily_claims_and_needs_the_death_day(agent, customer):
    policy = record(agent, customer, line="third_party", issued_on=ago(40))
    claim = file(customer, policy, cause="property", occurred_on=ago(2), loss=30_000_000)
    documents_complete(claim)
    with pytest.raises(ApplicationError) as refused:
        services.claim_assess(user=StaffFactory(), claim=claim, assessed_loss=30_000_000, diyeh=1_000, died_on=ago(1))
    assert refused.value.field == "diyeh"
    bodily = file(customer, policy, cause="bodily", occurred_on=ago(2), loss=30_000_000)
    documents_complete(bodily)
    with pytest.raises(ApplicationError) as refused:
        services.claim_assess(user=StaffFactory(), claim=bodily, assessed_loss=30_000_000, diyeh=1_000)
    assert refused.value.field == "died_on"
