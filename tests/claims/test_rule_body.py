"""Body (بدنه) claim rules of [004]: total loss by the assessment, whole-car theft (60 days,
title, a car found after payment), the vehicle check after every claim."""

import pytest
from django.utils import timezone

from claims import rules, services
from claims.models import Claim
from core.exceptions import ApplicationError, ConflictError
from core.jalali import format_jalali
from tests.claims.rule_steps import ago, assessed, browser, documents_complete, file, paid
from tests.factories import StaffFactory
from tests.policies.helpers import client_for, record

pytestmark = pytest.mark.django_db

SUM_INSURED = 1_000_000_000
STAFF = "/api/v1/staff/claims"


@pytest.fixture
def body(agent, customer):
    return record(agent, customer, line="body", issued_on=ago(120), sum_insured=SUM_INSURED)


# --- total loss: decided by the assessed repair cost (R-260) -------------------------------


@pytest.mark.rule("R-260")
def test_repair_above_75_percent_of_the_sum_insured_is_a_total_loss_whatever_cause_was_picked():
    assert rules.is_total_loss(repair_cost=750_000_001, sum_insured=SUM_INSURED)
    assert not rules.is_total_loss(repair_cost=750_000_000, sum_insured=SUM_INSURED)


@pytest.mark.rule("R-260")
def test_a_claim_filed_as_partial_but_assessed_above_75_percent_is_settled_as_total(body, customer):
    # given: a claim filed as "partial" by a young driver (a partial loss would bear 10% + 10%)
    claim = file(customer, body, cause="partial", occurred_on=ago(2))
    # when: the assessor finds repair at 80% of the sum insured
    claim = assessed(claim, assessed_loss=800_000_000, young_or_new_driver=True)
    # then: total loss, 10% deductible (not 10% + 10% for the young driver)
    assert claim.assessment["loss_kind"] == rules.TOTAL
    assert claim.payout == 720_000_000


@pytest.mark.rule("R-260")
def test_a_claim_filed_as_total_but_assessed_below_75_percent_is_settled_as_partial(body, customer):
    claim = file(customer, body, cause="total_loss", occurred_on=ago(2))
    claim = assessed(claim, assessed_loss=100_000_000, young_or_new_driver=True)
    assert claim.assessment["loss_kind"] == rules.PARTIAL
    assert claim.payout == 80_000_000  # 10% first partial + 10% young driver


@pytest.mark.rule("R-260")
def test_the_api_and_the_tracker_show_the_loss_kind_the_assessment_decided(body, customer):
    claim = file(customer, body, cause="partial", occurred_on=ago(2))
    documents_complete(claim)
    response = client_for(StaffFactory()).post(
        f"{STAFF}/{claim.pk}/assess/", {"assessed_loss": 900_000_000}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["loss_kind"] == "total"
    assert response.data["payout"] == 810_000_000
    page = browser(customer).get(f"/claims/{claim.pk}/")
    assert "هزینه تعمیر بیش از ۷۵٪ سرمایه بیمه‌شده است" in page.content.decode()


# --- whole-car theft: 60 days and the title (R-261, R-262) ---------------------------------


def _stolen(customer, policy, *, reported_days_ago: int) -> Claim:
    return file(
        customer,
        policy,
        cause=rules.VEHICLE_THEFT,
        occurred_on=ago(reported_days_ago),
        theft_reported_on=ago(reported_days_ago),
        loss=SUM_INSURED,
    )


@pytest.mark.rule("R-261")
def test_a_whole_theft_needs_the_day_it_was_reported_to_the_police(body, customer, customer_api):
    with pytest.raises(ApplicationError) as refused:
        file(customer, body, cause=rules.VEHICLE_THEFT, occurred_on=ago(3))
    assert refused.value.field == "theft_reported_on"
    response = customer_api.post(
        "/api/v1/claims/",
        {
            "policy": body.pk,
            "cause": "vehicle_theft",
            "occurred_on": ago(3).isoformat(),
            "description": "خودرو دزدیده شد",
            "estimated_loss": SUM_INSURED,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "۶۰ روز" in response.data["theft_reported_on"][0]
    assert not Claim.objects.exists()


@pytest.mark.rule("R-261")
def test_the_filing_page_keeps_what_was_typed_and_shows_the_refusal_on_the_field(body, customer):
    response = browser(customer).post(
        "/claims/new/",
        {
            "policy": body.pk,
            "cause": "vehicle_theft",
            "occurred_on": format_jalali(ago(3)),
            "estimated_loss": "100,000,000",
            "description": "خودرو جلوی خانه دزدیده شد",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "theft_reported_on" in form.errors
    assert "خودرو جلوی خانه دزدیده شد" in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.rule("R-261")
def test_a_whole_theft_is_not_approved_before_60_days_from_the_police_report(body, customer):
    claim = _stolen(customer, body, reported_days_ago=30)
    claim = assessed(claim, assessed_loss=SUM_INSURED)
    services.claim_title_transfer_record(user=StaffFactory(), claim=claim, on=ago(1))
    with pytest.raises(ApplicationError) as refused:
        services.claim_approve(user=StaffFactory(), claim=claim)
    assert refused.value.field == "theft_reported_on"
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSESSED
    assert claim.approved_at is None


@pytest.mark.rule("R-261")
def test_the_60_days_count_from_the_report_the_61st_day_is_payable():
    reported = ago(0)
    assert rules.vehicle_theft_settles_on(reported) == reported + (ago(0) - ago(61))
    open_day = rules.vehicle_theft_problem(
        reported_on=ago(61), found_on=None, title_transferred_on=ago(1), today=timezone.localdate()
    )
    last_waiting_day = rules.vehicle_theft_problem(
        reported_on=ago(60), found_on=None, title_transferred_on=ago(1), today=timezone.localdate()
    )
    assert open_day is None
    assert last_waiting_day[0] == "theft_reported_on"


@pytest.mark.rule("R-262")
def test_a_whole_theft_is_not_approved_before_the_title_passes_to_the_insurer(body, customer):
    claim = _stolen(customer, body, reported_days_ago=70)
    claim = assessed(claim, assessed_loss=SUM_INSURED)
    staff_api = client_for(StaffFactory())
    response = staff_api.post(f"{STAFF}/{claim.pk}/approve/", {}, format="json")
    assert response.status_code == 400
    assert "انتقال سند" in response.data["title_transferred_on"][0]
    # the title passes: now it is approved
    response = staff_api.post(f"{STAFF}/{claim.pk}/title-transfer/", {"on": ago(1).isoformat()}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["vehicle_theft"]["title_transferred_on"] == ago(1).isoformat()
    response = staff_api.post(f"{STAFF}/{claim.pk}/approve/", {}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "approved"


@pytest.mark.rule("R-261", "R-262")
def test_the_tracker_tells_the_insured_what_the_whole_theft_waits_for(body, customer, customer_api):
    claim = assessed(_stolen(customer, body, reported_days_ago=30), assessed_loss=SUM_INSURED)
    assert "۶۰ روز" in customer_api.get(f"/api/v1/claims/{claim.pk}/").data["next_step"]
    claim = assessed(_stolen(customer, body, reported_days_ago=70), assessed_loss=SUM_INSURED)
    assert "انتقال سند" in customer_api.get(f"/api/v1/claims/{claim.pk}/").data["next_step"]


@pytest.mark.rule("R-262")
def test_the_admin_approve_form_shows_the_title_refusal(body, customer):
    claim = _stolen(customer, body, reported_days_ago=70)
    claim = assessed(claim, assessed_loss=SUM_INSURED)
    response = browser(StaffFactory()).post(f"/admin/claims/claim/{claim.pk}/transition/approve/", {"reference": "M-7"})
    assert response.status_code == 200
    assert "انتقال سند خودرو به شرکت بیمه‌گر" in response.content.decode()
    claim.refresh_from_db()
    assert claim.status == Claim.Status.ASSESSED


# --- a car found: before payment not paid; after payment the insurer's (R-263) ------------


@pytest.mark.rule("R-263")
def test_a_car_found_before_payment_is_not_paid_as_a_whole_theft(body, customer):
    claim = _stolen(customer, body, reported_days_ago=70)
    claim = assessed(claim, assessed_loss=SUM_INSURED)
    staff = StaffFactory()
    services.claim_title_transfer_record(user=staff, claim=claim, on=ago(1))
    services.claim_vehicle_found(user=staff, claim=claim, found_on=ago(0))
    with pytest.raises(ApplicationError) as refused:
        services.claim_approve(user=staff, claim=claim)
    assert refused.value.field == "vehicle_found_on"


@pytest.mark.rule("R-263")
def test_a_car_found_after_payment_stays_the_insurers_and_the_deductible_share_of_its_sale_returns(body, customer):
    claim = _stolen(customer, body, reported_days_ago=70)
    claim = assessed(claim, assessed_loss=SUM_INSURED)
    staff = StaffFactory()
    services.claim_title_transfer_record(user=staff, claim=claim, on=ago(1))
    claim = paid(claim, staff=staff)
    assert claim.paid_amount == 800_000_000  # theft: 20% deductible
    staff_api = client_for(staff)

    # a sale before the car is found is refused, and leaves nothing written
    response = staff_api.post(f"{STAFF}/{claim.pk}/vehicle-sold/", {"sale_price": 900_000_000}, format="json")
    assert response.status_code == 409
    response = staff_api.post(f"{STAFF}/{claim.pk}/vehicle-found/", {"found_on": ago(0).isoformat()}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "paid"  # the payment stands: the car is the insurer's
    response = staff_api.post(f"{STAFF}/{claim.pk}/vehicle-sold/", {"sale_price": 900_000_000}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["vehicle_theft"]["deductible_refund"] == 180_000_000  # 20% of the sale
    page = browser(customer).get(f"/claims/{claim.pk}/").content.decode()
    assert "خودرو متعلق به بیمه‌گر است" in page
    assert "سهم فرانشیز برگشتی" in page


@pytest.mark.rule("R-263")
def test_a_zero_sale_price_is_refused_on_its_field(body, customer):
    claim = _stolen(customer, body, reported_days_ago=70)
    claim = assessed(claim, assessed_loss=SUM_INSURED)
    staff = StaffFactory()
    services.claim_title_transfer_record(user=staff, claim=claim, on=ago(1))
    claim = paid(claim, staff=staff)
    services.claim_vehicle_found(user=staff, claim=claim, found_on=ago(0))
    with pytest.raises(ApplicationError) as refused:
        services.claim_vehicle_sold(user=staff, claim=claim, sale_price=0)
    assert refused.value.field == "sale_price"
    claim.refresh_from_db()
    assert claim.deductible_refund is None


# --- the vehicle check after every body claim (R-264) --------------------------------------


@pytest.mark.rule("R-264")
def test_no_new_claim_on_the_policy_until_the_vehicle_check_after_a_paid_claim(body, customer, customer_api):
    first = paid(assessed(file(customer, body, cause="partial", occurred_on=ago(20)), assessed_loss=50_000_000))
    with pytest.raises(ApplicationError) as refused:
        file(customer, body, cause="partial", occurred_on=ago(2))
    assert refused.value.field == "policy"
    assert "بازدید سلامت خودرو" in refused.value.message
    response = customer_api.post(
        "/api/v1/claims/",
        {
            "policy": body.pk,
            "cause": "partial",
            "occurred_on": ago(2).isoformat(),
            "description": "تصادف دوم",
            "estimated_loss": 10_000_000,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "بازدید سلامت" in response.data["policy"][0]
    assert Claim.objects.count() == 1

    assert "بازدید سلامت" in customer_api.get(f"/api/v1/claims/{first.pk}/").data["next_step"]
    # the check is recorded: the policy takes claims again
    response = client_for(StaffFactory()).post(
        f"{STAFF}/{first.pk}/vehicle-check/", {"on": ago(1).isoformat()}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["vehicle_checked_on"] == ago(1).isoformat()
    assert file(customer, body, cause="partial", occurred_on=ago(2)).pk


@pytest.mark.rule("R-264")
def test_the_filing_page_shows_the_missing_check_on_the_policy_field(body, customer):
    paid(assessed(file(customer, body, cause="partial", occurred_on=ago(20)), assessed_loss=50_000_000))
    response = browser(customer).post(
        "/claims/new/",
        {
            "policy": body.pk,
            "cause": "partial",
            "occurred_on": format_jalali(ago(2)),
            "estimated_loss": "1,000,000",
            "description": "خط و خش روی در",
        },
    )
    assert response.status_code == 200
    assert "policy" in response.context["form"].errors
    assert "خط و خش روی در" in response.content.decode()


@pytest.mark.rule("R-264")
def test_the_check_is_recorded_only_after_a_paid_body_claim(body, customer):
    claim = assessed(file(customer, body, cause="partial", occurred_on=ago(20)), assessed_loss=50_000_000)
    with pytest.raises(ConflictError):
        services.claim_vehicle_check_record(user=StaffFactory(), claim=claim, on=ago(0))


# --- secondary risks need their cover; the deductible-removal cover (R-278, R-279) ---------


@pytest.mark.rule("R-278")
@pytest.mark.parametrize(
    ("cause", "cover"),
    [
        ("theft", "parts_theft"),
        ("glass", "glass"),
        ("natural_disaster", "natural_disasters"),
        ("chemicals", "chemicals"),
    ],
)
def test_a_secondary_body_risk_is_claimed_only_with_its_cover(agent, customer, cause, cover):
    without = record(agent, customer, line="body", issued_on=ago(60), sum_insured=SUM_INSURED)
    with pytest.raises(ApplicationError) as refused:
        file(customer, without, cause=cause, occurred_on=ago(2))
    assert refused.value.field == "cause"
    assert "خطرهای فرعی" in refused.value.message
    covered = record(agent, customer, line="body", issued_on=ago(60), sum_insured=SUM_INSURED, covers=[cover])
    assert file(customer, covered, cause=cause, occurred_on=ago(2)).pk


@pytest.mark.rule("R-278")
def test_a_parts_theft_without_the_cover_is_refused_through_the_api_and_the_page(body, customer, customer_api):
    data = {"policy": body.pk, "cause": "theft", "description": "آینه‌ها را بردند", "estimated_loss": 5_000_000}
    response = customer_api.post("/api/v1/claims/", {**data, "occurred_on": ago(2).isoformat()}, format="json")
    assert response.status_code == 400
    assert "پوشش" in response.data["cause"][0]
    response = browser(customer).post(
        "/claims/new/", {**data, "estimated_loss": "500,000", "occurred_on": format_jalali(ago(2))}
    )
    assert response.status_code == 200
    assert "cause" in response.context["form"].errors
    assert "آینه‌ها را بردند" in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.rule("R-278")
def test_the_main_risks_need_no_extra_cover(body, customer):
    for cause in ("partial", "total_loss"):
        assert file(customer, body, cause=cause, occurred_on=ago(2)).pk


@pytest.mark.rule("R-279")
def test_the_deductible_removal_cover_takes_the_body_deductible_away(agent, customer):
    policy = record(
        agent, customer, line="body", issued_on=ago(60), sum_insured=SUM_INSURED, covers=["deductible_removal"]
    )
    claim = assessed(file(customer, policy, cause="partial", occurred_on=ago(2)), assessed_loss=100_000_000)
    assert claim.payout == 100_000_000
    assert claim.assessment["deductible_percent"] == "0"
    plain = record(agent, customer, line="body", issued_on=ago(60), sum_insured=SUM_INSURED)
    other = assessed(file(customer, plain, cause="partial", occurred_on=ago(2)), assessed_loss=100_000_000)
    assert other.payout == 90_000_000


@pytest.mark.rule("R-262", "R-263")
def test_staff_record_the_title_and_the_found_car_in_the_admin(body, customer):
    claim = assessed(_stolen(customer, body, reported_days_ago=70), assessed_loss=SUM_INSURED)
    admin = browser(StaffFactory())
    page = admin.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert "انتقال سند" in page and "خودرو پیدا شد" in page
    response = admin.post(f"/admin/claims/claim/{claim.pk}/transition/title_transfer/", {"on": format_jalali(ago(1))})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.title_transferred_on == ago(1)
    response = admin.post(f"/admin/claims/claim/{claim.pk}/transition/vehicle_found/", {"found_on": "۱۴۹۹/۰۱/۰۱"})
    assert response.status_code == 200  # a day before the theft: refused on the form, nothing written
    claim.refresh_from_db()
    assert claim.vehicle_found_on is None
