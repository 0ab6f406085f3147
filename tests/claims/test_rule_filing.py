"""Filing and paying rules the earlier catalogue left as not modelled: travel hospitalisation
reported before discharge [004], the notarised declaration besides the undertaking [001]."""

import pytest

from claims import rules, services
from claims.models import Claim
from claims.selectors import address_on
from core.exceptions import ApplicationError, ConflictError
from core.jalali import format_jalali
from tests.claims.rule_steps import ago, assessed, browser, file
from tests.factories import StaffFactory
from tests.policies.helpers import client_for, record

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/staff/claims"


@pytest.fixture
def travel(agent, customer):
    return record(agent, customer, line="travel", issued_on=ago(20), length=30)


# --- travel hospitalisation: within 5 days and before discharge (R-276) --------------------


@pytest.mark.rule("R-276", "R-160")
def test_a_hospitalisation_filed_after_discharge_is_flagged_even_within_5_days(travel, customer):
    assert rules.filed_after_discharge(line="travel", cause="hospitalisation", discharged_on=ago(1), filed_on=ago(0))
    claim = file(customer, travel, cause="hospitalisation", occurred_on=ago(3), discharged_on=ago(1))
    assert claim.late is True
    assert claim.details["filed_after_discharge"] is True


@pytest.mark.rule("R-276")
def test_a_hospitalisation_filed_before_discharge_is_on_time(travel, customer, customer_api):
    response = customer_api.post(
        "/api/v1/claims/",
        {
            "policy": travel.pk,
            "cause": "hospitalisation",
            "occurred_on": ago(3).isoformat(),
            "discharged_on": ago(0).isoformat(),
            "description": "بستری در بیمارستان",
            "estimated_loss": 50_000_000,
        },
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["late"] is False
    assert response.data["filed_after_discharge"] is False


@pytest.mark.rule("R-276")
def test_a_discharge_before_the_admission_is_refused_on_its_field_with_the_text_kept(travel, customer):
    response = browser(customer).post(
        "/claims/new/",
        {
            "policy": travel.pk,
            "cause": "hospitalisation",
            "occurred_on": format_jalali(ago(3)),
            "discharged_on": format_jalali(ago(5)),
            "estimated_loss": "5,000,000",
            "description": "آپاندیس در سفر",
        },
    )
    assert response.status_code == 200
    assert "discharged_on" in response.context["form"].errors
    assert "آپاندیس در سفر" in response.content.decode()
    assert not Claim.objects.exists()


@pytest.mark.rule("R-276")
def test_the_tracker_says_the_filing_came_after_discharge(travel, customer):
    claim = file(customer, travel, cause="hospitalisation", occurred_on=ago(3), discharged_on=ago(1))
    page = browser(customer).get(f"/claims/{claim.pk}/").content.decode()
    assert "اعلام پس از ترخیص" in page


# --- the notarised declaration before payment (R-277) --------------------------------------


def _ordered(claim: Claim, staff) -> Claim:
    claim = services.claim_approve(user=staff, claim=claim)
    claim = services.claim_order_payment(user=staff, claim=claim)
    return services.claim_undertaking_accept(user=claim.customer, claim=claim)


@pytest.mark.rule("R-277")
def test_a_required_declaration_holds_the_payment_until_it_is_recorded(agent, customer, customer_api):
    fire = record(agent, customer, issued_on=ago(60))
    staff = StaffFactory()
    claim = assessed(file(customer, fire, cause="fire", occurred_on=ago(3)), assessed_loss=10_000_000, staff=staff)
    staff_api = client_for(staff)
    response = staff_api.post(f"{STAFF}/{claim.pk}/declaration-require/", {"reason": ""}, format="json")
    assert response.status_code == 400
    assert "reason" in response.data
    response = staff_api.post(
        f"{STAFF}/{claim.pk}/declaration-require/", {"reason": "سابقه کیفری در استعلام"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert "اقرارنامه" in browser(customer).get(f"/claims/{claim.pk}/").content.decode()
    claim = _ordered(claim, staff)
    response = staff_api.post(f"{STAFF}/{claim.pk}/pay/", {"reference": "TRX-9"}, format="json")
    assert response.status_code == 409
    assert "اقرارنامه" in response.data["detail"]
    assert Claim.objects.get(pk=claim.pk).paid_at is None
    response = staff_api.post(
        f"{STAFF}/{claim.pk}/declaration/", {"on": ago(0).isoformat(), "reference": "دفترخانه ۱۲ — ۴۵۶۷"}, format="json"
    )
    assert response.status_code == 200, response.data
    response = staff_api.post(f"{STAFF}/{claim.pk}/pay/", {"reference": "TRX-9"}, format="json")
    assert response.status_code == 200, response.data


@pytest.mark.rule("R-277")
def test_the_declaration_needs_its_notary_number_on_the_admin_form(agent, customer):
    fire = record(agent, customer, issued_on=ago(60))
    staff = StaffFactory()
    claim = assessed(file(customer, fire, cause="fire", occurred_on=ago(3)), assessed_loss=10_000_000, staff=staff)
    services.claim_declaration_require(user=staff, claim=claim, reason="احتمال سابقه کیفری")
    response = browser(staff).post(
        f"/admin/claims/claim/{claim.pk}/transition/declaration_record/", {"on": format_jalali(ago(0)), "reference": ""}
    )
    assert response.status_code == 200
    assert "reference" in response.context["form"].errors
    claim.refresh_from_db()
    assert claim.details["declaration"]["recorded_on"] is None


@pytest.mark.rule("R-277")
def test_without_a_request_no_declaration_is_recorded(agent, customer):
    fire = record(agent, customer, issued_on=ago(60))
    claim = file(customer, fire, cause="fire", occurred_on=ago(3))
    with pytest.raises(ConflictError):
        services.claim_declaration_record(user=StaffFactory(), claim=claim, on=ago(0), reference="x")
    with pytest.raises(ApplicationError):
        services.claim_declaration_require(user=StaffFactory(), claim=claim, reason=" ")


# --- a loss at an address the insurer was not told of (R-280) ------------------------------

SITE = "تهران، خیابان آزادی، پلاک ۵"


@pytest.mark.rule("R-280")
def test_a_fire_loss_at_another_address_than_the_insured_site_is_refused(agent, customer, customer_api):
    fire = record(agent, customer, issued_on=ago(60), params={"address": SITE})
    data = {"policy": fire.pk, "cause": "fire", "description": "آتش‌سوزی", "estimated_loss": 10_000_000}
    response = customer_api.post(
        "/api/v1/claims/",
        {**data, "occurred_on": ago(3).isoformat(), "loss_address": "کرج، میدان آزادی"},
        format="json",
    )
    assert response.status_code == 400
    assert SITE in response.data["loss_address"][0]
    assert not Claim.objects.exists()
    # the same site written by another hand is the insured site
    claim = file(customer, fire, cause="fire", occurred_on=ago(3), loss_address="تهران خيابان آزادی، پلاک 5")
    assert claim.details["loss_address"]


@pytest.mark.rule("R-280")
def test_the_filing_page_shows_the_address_refusal_on_its_field(agent, customer):
    fire = record(agent, customer, issued_on=ago(60), params={"address": SITE})
    response = browser(customer).post(
        "/claims/new/",
        {
            "policy": fire.pk,
            "cause": "fire",
            "occurred_on": format_jalali(ago(3)),
            "estimated_loss": "1,000,000",
            "description": "دود و آتش در انبار",
            "loss_address": "شیراز، خیابان زند",
        },
    )
    assert response.status_code == 200
    assert "loss_address" in response.context["form"].errors
    assert "دود و آتش در انبار" in response.content.decode()


@pytest.mark.rule("R-280")
def test_the_address_known_on_the_day_of_the_loss_decides(agent, customer):
    fire = record(agent, customer, issued_on=ago(60), params={"address": SITE})
    fire.endorsements.create(
        number=1, kind="no_financial_effect", changes={"address": "کرج"}, previous={"address": SITE},
        effective_on=ago(1), premium_delta=0,
    )  # fmt: skip
    assert address_on(fire, ago(3)) == SITE
    with pytest.raises(ApplicationError):
        file(customer, fire, cause="fire", occurred_on=ago(3), loss_address="کرج")
