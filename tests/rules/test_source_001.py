"""Rules of source 001 (an insurer's fire process) that no other test proved closely enough.

Each test names its row of docs/RULES.md with the `rule` marker; the row says what the
source demands and why the project does it this way.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin

from accounts.models import Notification
from claims import rules as claim_rules
from claims import services as claim_services
from claims.models import Claim, ClaimDocument
from claims.payout import PayoutInput, estimate_payout
from claims.selectors import authority_level_for, payout_input_for, required_documents_for
from core.exceptions import ConflictError
from core.text import to_persian_digits
from policies import rules, services
from policies.models import Policy
from tests.factories import StaffFactory, UserFactory
from tests.policies.helpers import client_for, days, link_confirmed, make_agent, record, today

pytestmark = pytest.mark.django_db

POLICIES = "/api/v1/policies/"


@pytest.fixture
def agent(db):
    return make_agent()


@pytest.fixture
def agent_api(agent):
    return client_for(agent.user)


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def customer_api(customer):
    return client_for(customer)


def _documents_in(claim: Claim) -> None:
    """Every document of the claim's checklist is on file (the upload path has its own tests)."""
    for doc in required_documents_for(claim):
        ClaimDocument.objects.create(
            claim=claim, kind=doc.code, file=f"{doc.code}.png", content_type="image/png", size=1
        )


def _file(customer, policy, *, occurred_on, loss=100_000_000, cause="fire") -> Claim:
    return claim_services.claim_file(
        user=customer,
        policy=policy,
        occurred_on=occurred_on,
        description="آتش‌سوزی در انبار",
        estimated_loss=loss,
        cause=cause,
    )


def _approved(customer, policy, *, loss=80_000_000) -> Claim:
    staff = StaffFactory()
    claim = _file(customer, policy, occurred_on=today() - days(3), loss=loss)
    _documents_in(claim)
    claim = claim_services.claim_documents_complete(user=staff, claim=claim)
    claim = claim_services.claim_assess(user=staff, claim=claim, assessed_loss=loss)
    return claim_services.claim_approve(user=staff, claim=claim)


# --- the policy and its payments ------------------------------------------------------------


@pytest.mark.rule("R-019")
def test_the_insured_items_are_listed_one_by_one_with_their_value_in_rial(agent, agent_api, customer):
    link_confirmed(agent, customer)  # recording by mobile needs a relationship (issue 13 point 1)
    body = {
        "customer_mobile": customer.mobile,
        "line": "fire",
        "insurer": "iran",
        "policy_number": "F-ITEMS",
        "starts_on": today().isoformat(),
        "ends_on": (today() + days(365)).isoformat(),
        "premium": 10_000_000,
        "sum_insured": 500_000_000,
        "paid_on": today().isoformat(),
    }
    # a value that is not a whole number of rial is refused on the field
    refused = agent_api.post(
        POLICIES, {**body, "insured_items": [{"title": "ساختمان", "value": "سیصد میلیون"}]}, format="json"
    )
    assert refused.status_code == 400
    assert "insured_items" in refused.data
    assert not Policy.objects.exists()
    items = [{"title": "ساختمان", "value": 300_000_000}, {"title": "ماشین‌آلات", "value": 200_000_000}]
    response = agent_api.post(POLICIES, {**body, "insured_items": items}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["insured_items"] == items


@pytest.mark.rule("R-021")
def test_every_instalment_received_is_recorded_with_its_own_receipt(agent, agent_api, customer, customer_api):
    policy = record(agent, customer, payment_plan="installments", installments_count=2)
    url = f"{POLICIES}{policy.pk}/payments/"
    response = agent_api.post(url, {"paid_on": today().isoformat(), "reference": "FISH-2"}, format="json")
    assert response.status_code == 201, response.data
    # the same instalment cannot be received twice
    again = agent_api.post(url, {"number": 1, "paid_on": today().isoformat()}, format="json")
    assert again.status_code == 409
    rows = {row.number: row for row in policy.installments.all()}
    assert rows[1].paid_on == today() and rows[1].reference == "FISH-2"
    assert rows[2].paid_on is None
    # the insured sees which instalments were received
    seen = customer_api.get(f"{POLICIES}{policy.pk}/").data["installments"]
    assert [row["paid"] for row in seen] == [True, True, False]


# --- endorsements ---------------------------------------------------------------------------


@pytest.mark.rule("R-024")
def test_after_issue_a_policy_changes_only_through_an_endorsement(agent, agent_api, customer):
    policy = record(agent, customer, sum_insured=500_000_000)
    for method in ("put", "patch"):
        response = getattr(agent_api, method)(f"{POLICIES}{policy.pk}/", {"sum_insured": 900_000_000}, format="json")
        assert response.status_code == 405
    policy.refresh_from_db()
    assert policy.sum_insured == 500_000_000
    # staff cannot edit it in the admin either: every field is read-only there
    policy_admin = admin.site._registry[Policy]
    assert "sum_insured" in policy_admin.get_readonly_fields(None, policy)
    # the endorsement is the way
    response = agent_api.post(
        f"{POLICIES}{policy.pk}/endorsements/",
        {"kind": "additional", "changes": {"sum_insured": 900_000_000}},
        format="json",
    )
    assert response.status_code == 201, response.data
    policy.refresh_from_db()
    assert policy.sum_insured == 900_000_000
    assert policy.endorsements.get().previous == {"sum_insured": 500_000_000}


@pytest.mark.rule("R-025")
def test_a_claim_is_settled_on_the_sum_insured_the_endorsements_gave_on_the_day_of_the_loss(agent, customer):
    policy = record(agent, customer, issued_on=today() - days(60), sum_insured=500_000_000)
    services.endorsement_issue(
        user=agent.user,
        policy=policy,
        kind="additional",
        changes={"sum_insured": 1_000_000_000},
        effective_on=today() - days(20),
    )
    services.installment_pay(user=agent.user, policy=policy, paid_on=today() - days(20))
    policy = Policy.objects.get(pk=policy.pk)
    # after the endorsement took effect: the new sum insured carries the loss
    after = payout_input_for(policy=policy, loss=800_000_000, cause="fire", occurred_on=today() - days(5))
    assert after.sum_insured == 1_000_000_000
    assert estimate_payout(after).payout == 800_000_000
    # before it took effect: the policy as it then stood
    before = payout_input_for(policy=policy, loss=800_000_000, cause="fire", occurred_on=today() - days(30))
    assert before.sum_insured == 500_000_000
    assert estimate_payout(before).payout == 500_000_000


@pytest.mark.rule("R-026")
def test_the_issuer_endorses_at_the_insureds_request_and_the_insured_is_told(agent, agent_api, customer, customer_api):
    policy = record(agent, customer)
    change = {"kind": "no_financial_effect", "changes": {"address": "تهران، خیابان آزادی"}, "premium_delta": 0}
    # the insured asks; they do not issue it themselves
    assert customer_api.post(f"{POLICIES}{policy.pk}/endorsements/", change, format="json").status_code == 403
    assert not policy.endorsements.exists()
    Notification.objects.all().delete()
    assert agent_api.post(f"{POLICIES}{policy.pk}/endorsements/", change, format="json").status_code == 201
    notice = Notification.objects.get(user=customer)
    assert policy.number in notice.text and "الحاقی" in notice.text


@pytest.mark.rule("R-028")
def test_an_increase_equal_to_a_decrease_has_no_financial_effect():
    # a new cover priced at +5,000,000 a year and half the sum insured (−5,000,000) on the same day
    quote = rules.endorsement_premium_delta(
        premium=10_000_000,
        starts_on=dt.date(2025, 3, 21),
        ends_on=dt.date(2026, 3, 21),
        effective_on=dt.date(2025, 3, 21),
        old_sum_insured=1_000_000_000,
        new_sum_insured=500_000_000,
        annual_premium_delta=5_000_000,
    )
    assert quote.premium_delta == 0
    assert quote.kind == "no_financial_effect"


@pytest.mark.rule("R-028")
def test_an_equal_increase_and_decrease_collects_no_additional_premium(agent, agent_api, customer):
    policy = record(agent, customer, premium=10_000_000, sum_insured=1_000_000_000)
    url = f"{POLICIES}{policy.pk}/endorsements/"
    change = {"changes": {"sum_insured": 500_000_000, "covers": ["earthquake"]}, "annual_premium_delta": 5_000_000}
    refused = agent_api.post(url, {**change, "kind": "additional"}, format="json")
    assert refused.status_code == 400
    assert "premium_delta" in refused.data
    response = agent_api.post(url, {**change, "kind": "no_financial_effect"}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["premium_delta"] == 0
    assert not policy.installments.filter(endorsement__isnull=False).exists()


# --- renewal --------------------------------------------------------------------------------


@pytest.mark.rule("R-032")
def test_a_renewal_carries_the_changes_made_by_last_years_endorsements(agent, agent_api, customer):
    policy = record(agent, customer, sum_insured=500_000_000)
    services.endorsement_issue(
        user=agent.user,
        policy=policy,
        kind="additional",
        changes={"sum_insured": 800_000_000, "covers": ["earthquake"], "address": "اصفهان، خیابان چهارباغ"},
    )
    response = agent_api.post(
        f"{POLICIES}{policy.pk}/renew/",
        {"ends_on": (policy.ends_on + days(365)).isoformat(), "premium": 14_000_000, "policy_number": "F-RENEWED"},
        format="json",
    )
    assert response.status_code == 201, response.data
    renewed = Policy.objects.get(number="F-RENEWED")
    assert renewed.sum_insured == 800_000_000
    assert renewed.covers == ["earthquake"]
    assert renewed.params["address"] == "اصفهان، خیابان چهارباغ"


# --- claims ---------------------------------------------------------------------------------


@pytest.mark.rule("R-038")
def test_a_fire_claim_needs_the_policy_the_initial_inspection_report_and_the_premium_receipts():
    codes = {doc.code for doc in claim_rules.required_documents("fire")}
    assert {"policy", "inspection_report", "premium_receipts"} <= codes
    # a place that was never inspected has no report to give
    never_inspected = {doc.code for doc in claim_rules.required_documents("fire", inspection_report=False)}
    assert {"policy", "premium_receipts"} <= never_inspected
    assert "inspection_report" not in never_inspected


@pytest.mark.rule("R-039")
def test_the_loss_is_assessed_only_once_the_documents_are_complete(agent, customer):
    policy = record(agent, customer, issued_on=today() - days(60))
    staff = StaffFactory()
    claim = _file(customer, policy, occurred_on=today() - days(3))
    with pytest.raises(ConflictError):
        claim_services.claim_assess(user=staff, claim=claim, assessed_loss=50_000_000)
    claim.refresh_from_db()
    assert claim.status == Claim.Status.FILED and claim.payout is None


@pytest.mark.rule("R-040")
def test_the_claim_file_gets_a_number_the_insured_is_told(agent, customer, sms_outbox):
    policy = record(agent, customer, issued_on=today() - days(60))
    claim = _file(customer, policy, occurred_on=today() - days(3))
    number = to_persian_digits(claim.pk)
    assert Notification.objects.filter(user=customer, text__contains=number).exists()


@pytest.mark.rule("R-041")
def test_a_loss_outside_the_lines_causes_is_refused_on_the_cause_field(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=today() - days(60))
    response = customer_api.post(
        "/api/v1/claims/",
        {
            "policy": policy.pk,
            "occurred_on": (today() - days(3)).isoformat(),
            "description": "بستری در بیمارستان",
            "estimated_loss": 1_000_000,
            "cause": "hospitalisation",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "cause" in response.data
    assert not Claim.objects.exists()


@pytest.mark.rule("R-042")
def test_the_approving_body_follows_the_amount(settings):
    settings.CLAIM_AUTHORITY_LIMITS = {"office": 10_000_000, "supervision": 50_000_000}
    assert authority_level_for(10_000_000) == Claim.AuthorityLevel.OFFICE
    assert authority_level_for(10_000_001) == Claim.AuthorityLevel.SUPERVISION
    assert authority_level_for(50_000_000) == Claim.AuthorityLevel.SUPERVISION
    assert authority_level_for(50_000_001) == Claim.AuthorityLevel.TECHNICAL_COUNCIL


@pytest.mark.rule("R-044")
def test_the_undertaking_the_insured_accepts_states_the_five_day_return(agent, customer, client):
    policy = record(agent, customer, issued_on=today() - days(60))
    claim = _approved(customer, policy)
    client.force_login(customer)
    page = client.get(f"/claims/{claim.pk}/").content.decode()
    assert 'id="undertaking"' in page
    assert "حداکثر ظرف ۵ روز مبلغ دریافتی را مسترد کنم" in page
    assert "اظهار خلاف واقع" in page


@pytest.mark.rule("R-045")
def test_no_payment_before_the_payment_order(agent, customer):
    policy = record(agent, customer, issued_on=today() - days(60))
    claim = _approved(customer, policy)
    claim = claim_services.claim_undertaking_accept(user=customer, claim=claim)
    staff = StaffFactory()
    with pytest.raises(ConflictError):
        claim_services.claim_mark_paid(user=staff, claim=claim, reference="CHQ-1")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED and claim.paid_at is None
    claim = claim_services.claim_order_payment(user=staff, claim=claim)
    claim = claim_services.claim_mark_paid(user=staff, claim=claim, reference="CHQ-1")
    assert claim.status == Claim.Status.PAID


@pytest.mark.rule("R-046")
def test_fire_payments_already_made_use_up_the_sum_insured():
    fresh = PayoutInput(line="fire", loss=300_000_000, sum_insured=500_000_000, actual_value=500_000_000, cause="fire")
    assert estimate_payout(fresh).payout == 300_000_000
    after_a_payment = PayoutInput(
        line="fire",
        loss=300_000_000,
        sum_insured=500_000_000,
        actual_value=500_000_000,
        cause="fire",
        previously_paid=400_000_000,
    )
    assert estimate_payout(after_a_payment).payout == 100_000_000


@pytest.mark.rule("R-046")
def test_a_second_fire_claim_is_paid_up_to_what_is_left_of_the_sum_insured(agent, customer):
    policy = record(agent, customer, issued_on=today() - days(60), sum_insured=500_000_000)
    Claim.objects.create(
        policy=policy,
        customer=customer,
        cause="fire",
        occurred_on=today() - days(50),
        description="آتش‌سوزی نخست",
        estimated_loss=400_000_000,
        status=Claim.Status.PAID,
        paid_amount=400_000_000,
    )
    staff = StaffFactory()
    claim = _file(customer, policy, occurred_on=today() - days(3), loss=300_000_000)
    _documents_in(claim)
    claim = claim_services.claim_documents_complete(user=staff, claim=claim)
    claim = claim_services.claim_assess(user=staff, claim=claim, assessed_loss=300_000_000)
    assert claim.payout == 100_000_000


# --- a renewal under a year costs a percent of the year's premium -----------------------------

# The reference short-term scale (pricing owns it): 90 days → 40%, 180 days → 70%.
SHORT_TERM = tuple((days, Decimal(pct)) for days, pct in ((30, 20), (90, 40), (180, 70), (365, 100)))


@pytest.mark.rule("R-035")
def test_a_short_renewal_costs_the_short_term_percent_of_the_years_premium():
    assert rules.short_renewal_premium(10_000_000, days=90, bands=SHORT_TERM) == 4_000_000
    assert rules.short_renewal_premium(10_000_000, days=91, bands=SHORT_TERM) == 7_000_000
    # the year's premium of a 180-day policy is its premium over its own percent
    assert rules.annual_premium(7_000_000, term=180, bands=SHORT_TERM) == 10_000_000
    assert rules.annual_premium(20_000_000, term=730, bands=SHORT_TERM) == 10_000_000


@pytest.mark.rule("R-035")
def test_a_short_renewal_through_the_api_is_priced_by_the_short_term_scale(agent, agent_api, customer):
    policy = record(agent, customer, premium=10_000_000)
    response = agent_api.post(
        f"{POLICIES}{policy.pk}/renew/", {"ends_on": (policy.ends_on + days(90)).isoformat()}, format="json"
    )
    assert response.status_code == 201, response.data
    assert response.data["endorsement"]["kind"] == "renewal"
    assert response.data["endorsement"]["premium_delta"] == 4_000_000  # 40% for up to 90 days
    # a renewal of a year is a new policy, whose premium the agent gives
    other = record(agent, customer)
    refused = agent_api.post(
        f"{POLICIES}{other.pk}/renew/",
        {"ends_on": (other.ends_on + days(365)).isoformat(), "policy_number": "F-NEXT"},
        format="json",
    )
    assert refused.status_code == 400
    assert "premium" in refused.data
    assert not Policy.objects.filter(number="F-NEXT").exists()


@pytest.mark.rule("R-035")
def test_the_renewal_page_prices_a_short_renewal_and_keeps_the_input_when_a_year_lacks_its_premium(
    agent, customer, client
):
    from core.jalali import format_jalali

    policy = record(agent, customer, premium=10_000_000)
    client.force_login(agent.user)
    url = f"/policies/{policy.pk}/renew/"
    year_end = format_jalali(policy.ends_on + days(365))
    page = client.post(url, {"ends_on": year_end, "payment_plan": "cash", "policy_number": "F-YEAR"})
    assert page.status_code == 200
    assert "premium" in page.context["form"].errors
    assert "F-YEAR" in page.content.decode()
    assert not Policy.objects.filter(number="F-YEAR").exists()
    short_end = format_jalali(policy.ends_on + days(90))
    response = client.post(url, {"ends_on": short_end, "payment_plan": "cash"})
    assert response.status_code == 302
    assert policy.endorsements.get(kind="renewal").premium_delta == 4_000_000


@pytest.mark.rule("R-048")
def test_the_loss_computation_is_kept_on_the_claim_file_and_shown_to_the_insured(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=today() - days(60), sum_insured=500_000_000)
    staff = StaffFactory()
    claim = _file(customer, policy, occurred_on=today() - days(3), loss=90_000_000, cause="fire")
    _documents_in(claim)
    claim = claim_services.claim_documents_complete(user=staff, claim=claim)
    claim = claim_services.claim_assess(user=staff, claim=claim, assessed_loss=90_000_000, salvage=10_000_000)
    claim.refresh_from_db()
    lines = {row["code"]: row["amount"] for row in claim.payout_breakdown}
    assert lines["loss"] == 90_000_000 and lines["salvage"] == -10_000_000
    assert sum(row["amount"] for row in claim.payout_breakdown) == claim.payout == 80_000_000
    assert claim.assessment["salvage"] == 10_000_000
    seen = customer_api.get(f"/api/v1/claims/{claim.pk}/").data
    assert seen["payout_breakdown"] == claim.payout_breakdown


@pytest.mark.rule("R-049")
def test_the_insured_is_sent_a_confirmation_that_the_stock_declaration_was_received(
    sms_outbox, django_capture_on_commit_callbacks
):
    from declarations.selectors import declaration_period_for
    from declarations.services import stock_declaration_record
    from tests.jobs import helpers

    floating = helpers.floating_policy(starts_days_ago=120)
    period = declaration_period_for(today=helpers.day_of_this_solar_month(1))
    letter = dict(
        user=floating.policy.agent.user,
        floating_policy=floating,
        year=period.year,
        month=period.month,
        stock_value=5_000_000_000,
        declared_on=helpers.day_of_this_solar_month(3),
    )
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        stock_declaration_record(**letter)
    assert [sms.to for sms in sms_outbox] == [floating.policy.customer.mobile]
    assert to_persian_digits(floating.policy.number) in sms_outbox[0].text and "دریافت و ثبت شد" in sms_outbox[0].text
    # a second letter for the month is refused and confirms nothing
    sms_outbox.clear()
    with pytest.raises(ConflictError), django_capture_on_commit_callbacks(execute=True):
        stock_declaration_record(**letter)
    assert sms_outbox == []


@pytest.mark.rule("R-025")
def test_the_assessor_settles_a_loss_before_the_endorsement_on_the_old_sum_insured(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=today() - days(60), sum_insured=500_000_000)
    services.endorsement_issue(
        user=agent.user, policy=policy, kind="additional", changes={"sum_insured": 1_000_000_000}
    )  # effective today
    claim = _file(customer, policy, occurred_on=today() - days(3), loss=800_000_000)
    _documents_in(claim)
    staff_api = client_for(StaffFactory())
    staff = f"/api/v1/staff/claims/{claim.pk}"
    assert staff_api.post(f"{staff}/documents-complete/").status_code == 200
    response = staff_api.post(f"{staff}/assess/", {"assessed_loss": 800_000_000}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["payout"] == 500_000_000


@pytest.mark.rule("R-045")
def test_staff_cannot_pay_through_the_api_before_the_payment_order(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=today() - days(60))
    claim = _approved(customer, policy)
    assert customer_api.post(f"/api/v1/claims/{claim.pk}/undertaking/").status_code == 200
    staff_api = client_for(StaffFactory())
    response = staff_api.post(f"/api/v1/staff/claims/{claim.pk}/pay/", {"reference": "CHQ-9"}, format="json")
    assert response.status_code == 409
    claim.refresh_from_db()
    assert claim.status == Claim.Status.APPROVED and claim.paid_at is None
