"""Claim rules met at the assessment: electronics accessories [003], voltage damage and the
warranty company [003], the recovery from a driver at fault [004], the three-expert panel
[001][004], over-insurance by fraud or by mistake [004]."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from claims import rules, services
from claims.models import Claim, ClaimDocument
from claims.payout import PayoutInput, estimate_payout
from core.exceptions import ApplicationError, ConflictError
from core.models import AuditLog
from policies.models import Policy
from tests.agents.images import png_bytes
from tests.claims.rule_steps import ago, assessed, browser, documents_complete, file
from tests.factories import StaffFactory
from tests.policies.helpers import client_for, record

pytestmark = pytest.mark.django_db

STAFF = "/api/v1/staff/claims"


@pytest.fixture
def electronics(agent, customer):
    return record(agent, customer, line="electronics", issued_on=ago(40), sum_insured=300_000_000)


@pytest.fixture
def third_party(agent, customer):
    return record(agent, customer, line="third_party", issued_on=ago(40))


@pytest.fixture
def fire(agent, customer):
    return record(agent, customer, issued_on=ago(60), sum_insured=1_000_000_000)


# --- electronics accessories are not covered (R-265) ---------------------------------------


@pytest.mark.rule("R-265")
def test_the_accessories_share_is_taken_out_of_an_electronics_loss():
    estimate = estimate_payout(
        PayoutInput(
            "electronics", loss=10_000_000, sum_insured=50_000_000, actual_value=50_000_000, accessories_loss=2_000_000,
            electronics_deductible_percent=0,
        )
    )  # fmt: skip
    assert estimate.payout == 8_000_000
    assert estimate.lines[1].code == "accessories"
    assert "باتری، شارژر، کابل‌ها" in estimate.lines[1].label


@pytest.mark.rule("R-265")
def test_the_assessor_takes_accessories_out_through_the_api(electronics, customer):
    claim = file(customer, electronics, cause="breakage", occurred_on=ago(3), loss=20_000_000)
    documents_complete(claim)
    staff_api = client_for(StaffFactory())
    response = staff_api.post(
        f"{STAFF}/{claim.pk}/assess/", {"assessed_loss": 10_000_000, "accessories_loss": 12_000_000}, format="json"
    )
    assert response.status_code == 400
    assert "accessories_loss" in response.data
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DOCUMENTS_COMPLETE
    response = staff_api.post(
        f"{STAFF}/{claim.pk}/assess/", {"assessed_loss": 10_000_000, "accessories_loss": 2_000_000}, format="json"
    )
    assert response.status_code == 200, response.data
    assert [line["code"] for line in response.data["payout_breakdown"]][:2] == ["loss", "accessories"]
    assert response.data["payout_breakdown"][1]["amount"] == -2_000_000


@pytest.mark.rule("R-265")
def test_an_accessories_share_on_another_line_is_refused_on_the_admin_form(fire, customer):
    claim = file(customer, fire, cause="fire", occurred_on=ago(3))
    documents_complete(claim)
    response = browser(StaffFactory()).post(
        f"/admin/claims/claim/{claim.pk}/transition/assess/",
        {"assessed_loss": "50,000,000", "accessories_loss": "1,000,000", "note": "گزارش"},
    )
    assert response.status_code == 200
    assert "accessories_loss" in response.context["form"].errors
    assert "گزارش" in response.content.decode()
    assert Claim.objects.get(pk=claim.pk).assessed_at is None


# --- voltage damage needs the warranty company's confirmation (R-266) ----------------------


@pytest.mark.rule("R-266")
def test_a_voltage_claim_asks_for_the_warranty_companys_confirmation():
    codes = [doc.code for doc in rules.required_documents("electronics", cause="voltage")]
    assert "warranty_confirmation" in codes
    assert "warranty_confirmation" not in [doc.code for doc in rules.required_documents("electronics", cause="liquid")]


@pytest.mark.rule("R-266")
def test_a_voltage_claim_is_not_complete_nor_assessed_without_the_confirmation(electronics, customer, customer_api):
    claim = file(customer, electronics, cause="voltage", occurred_on=ago(3), loss=20_000_000)
    detail = customer_api.get(f"/api/v1/claims/{claim.pk}/").data
    assert "warranty_confirmation" in detail["missing_documents"]
    for doc in rules.required_documents("electronics", cause="voltage"):
        if doc.code != "warranty_confirmation":
            ClaimDocument.objects.create(claim=claim, kind=doc.code, file="x.png", content_type="image/png", size=1)
    response = client_for(StaffFactory()).post(f"{STAFF}/{claim.pk}/documents-complete/")
    assert response.status_code == 409
    assert "تأیید شرکت گارانتی" in response.data["detail"]
    # the customer uploads the confirmation on the tracker: the step goes through
    upload = SimpleUploadedFile("w.png", png_bytes(), content_type="image/png")
    page = browser(customer)
    response = page.post(f"/claims/{claim.pk}/documents/", {"kind": "warranty_confirmation", "file": upload})
    assert response.status_code == 302
    claim = services.claim_documents_complete(user=StaffFactory(), claim=claim)
    assert claim.status == Claim.Status.DOCUMENTS_COMPLETE


# --- 1% / 2% recovery from a driver at fault by a listed violation (R-267) -----------------


@pytest.mark.rule("R-267")
def test_the_recovery_is_1_percent_of_bodily_and_2_percent_of_property_losses_paid():
    assert rules.driver_recovery(cause="bodily", paid=500_000_000, violation="red_light") == 5_000_000
    assert rules.driver_recovery(cause="property", paid=500_000_000, violation="speeding") == 10_000_000
    assert rules.driver_recovery(cause="property", paid=500_000_000, violation="") == 0


@pytest.mark.rule("R-267")
def test_the_assessor_records_the_violation_and_the_recovery_is_computed_and_shown(third_party, customer):
    claim = file(customer, third_party, cause="property", occurred_on=ago(2), loss=80_000_000)
    documents_complete(claim)
    staff_api = client_for(StaffFactory())
    response = staff_api.post(
        f"{STAFF}/{claim.pk}/assess/", {"assessed_loss": 80_000_000, "driver_violation": "parking"}, format="json"
    )
    assert response.status_code == 400
    assert "driver_violation" in response.data
    response = staff_api.post(
        f"{STAFF}/{claim.pk}/assess/", {"assessed_loss": 80_000_000, "driver_violation": "red_light"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["payout"] == 80_000_000  # the injured party is paid in full
    assert response.data["driver_recovery"] == 1_600_000
    assert response.data["driver_violation_label"] == "عبور از چراغ قرمز"
    page = browser(customer).get(f"/claims/{claim.pk}/").content.decode()
    assert "عبور از چراغ قرمز" in page


@pytest.mark.rule("R-267")
def test_a_violation_on_a_line_other_than_third_party_is_refused(fire, customer):
    claim = file(customer, fire, cause="fire", occurred_on=ago(3))
    documents_complete(claim)
    with pytest.raises(ApplicationError) as refused:
        services.claim_assess(user=StaffFactory(), claim=claim, assessed_loss=1_000, driver_violation="red_light")
    assert refused.value.field == "driver_violation"


# --- a dispute goes to the three-expert panel (R-268) --------------------------------------


@pytest.mark.rule("R-268")
def test_a_disputed_assessment_waits_for_the_panel_whose_figure_replaces_the_assessors(fire, customer, customer_api):
    claim = assessed(file(customer, fire, cause="fire", occurred_on=ago(3)), assessed_loss=50_000_000)
    # an empty reason is refused on its field, nothing changes
    response = customer_api.post(f"/api/v1/claims/{claim.pk}/dispute/", {"reason": " "}, format="json")
    assert response.status_code == 400
    assert "reason" in response.data
    response = customer_api.post(
        f"/api/v1/claims/{claim.pk}/dispute/", {"reason": "برآورد کمتر از هزینه بازسازی است"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "disputed"
    staff = StaffFactory()
    # nothing is approved while the panel sits
    with pytest.raises(ConflictError):
        services.claim_approve(user=staff, claim=claim)
    staff_api = client_for(staff)
    # three different experts, or the panel is refused on the field
    response = staff_api.post(
        f"{STAFF}/{claim.pk}/panel/",
        {"insurer_expert": "الف", "insured_expert": "ب", "third_expert": "", "assessed_loss": 70_000_000},
        format="json",
    )
    assert response.status_code == 400
    assert "third_expert" in response.data
    response = staff_api.post(
        f"{STAFF}/{claim.pk}/panel/",
        {"insurer_expert": "الف", "insured_expert": "ب", "third_expert": "پ", "assessed_loss": 70_000_000},
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "assessed"
    assert response.data["payout"] == 70_000_000
    assert response.data["dispute"]["panel"]["assessor_loss"] == 50_000_000
    assert services.claim_approve(user=staff, claim=claim).status == Claim.Status.APPROVED


@pytest.mark.rule("R-268")
def test_the_dispute_form_on_the_tracker_keeps_the_text_and_shows_the_refusal(fire, customer):
    claim = assessed(file(customer, fire, cause="fire", occurred_on=ago(3)), assessed_loss=50_000_000)
    page = browser(customer)
    assert "اعتراض به ارزیابی" in page.get(f"/claims/{claim.pk}/").content.decode()
    response = page.post(f"/claims/{claim.pk}/dispute/", {"reason": ""})
    assert response.status_code == 400
    assert "reason" in response.context["dispute_form"].errors
    response = page.post(f"/claims/{claim.pk}/dispute/", {"reason": "برآورد کم است"})
    assert response.status_code == 302
    assert "هیئت کارشناسی سه‌نفره" in page.get(f"/claims/{claim.pk}/").content.decode()


@pytest.mark.rule("R-268")
def test_the_tracker_says_the_panel_decides_and_shows_it_on_the_timeline(fire, customer, customer_api):
    claim = assessed(file(customer, fire, cause="fire", occurred_on=ago(3)), assessed_loss=50_000_000)
    services.claim_dispute(user=customer, claim=claim, reason="کم است")
    detail = customer_api.get(f"/api/v1/claims/{claim.pk}/").data
    assert "هیئت کارشناسی سه‌نفره" in detail["next_step"]
    codes = [step["code"] for step in detail["timeline"]]
    assert codes.index("assessed") < codes.index("disputed") < codes.index("panel") < codes.index("approved")


@pytest.mark.rule("R-268")
def test_only_the_insured_disputes(fire, customer, agent):
    claim = assessed(file(customer, fire, cause="fire", occurred_on=ago(3)), assessed_loss=50_000_000)
    response = client_for(agent.user).post(f"/api/v1/claims/{claim.pk}/dispute/", {"reason": "x"}, format="json")
    assert response.status_code == 403
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.ASSESSED


# --- over-insurance: fraud voids, a mistake pays up to the actual value (R-269, R-270) -----


@pytest.mark.rule("R-269")
def test_fraudulent_over_insurance_voids_the_policy_keeps_the_premiums_and_pays_nothing(fire, customer):
    claim = assessed(file(customer, fire, cause="fire", occurred_on=ago(3)), assessed_loss=50_000_000)
    other = file(customer, fire, cause="lightning", occurred_on=ago(2))
    response = client_for(StaffFactory()).post(
        f"{STAFF}/{claim.pk}/fraud-void/", {"reason": "ارزش اعلامی سه برابر فاکتورها"}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["status"] == "rejected"
    assert response.data["payout"] == 0
    other.refresh_from_db()
    assert other.status == Claim.Status.REJECTED  # nothing paid on the policy
    fire.refresh_from_db()
    assert fire.status == Policy.Status.ANNULLED
    assert fire.cancellation_refund == 0
    assert fire.cancellation_kept == 10_000_000  # the premium received stays with the insurer
    assert AuditLog.objects.filter(action="policy.void_for_fraud").count() == 1
    # the customer's policy page says why it ended and that nothing comes back
    page = browser(customer).get(f"/policies/{fire.pk}/").content.decode()
    assert "ابطال به سبب بیمه مازاد متقلبانه" in page


@pytest.mark.rule("R-269")
def test_voiding_needs_the_reason_and_writes_nothing_without_it(fire, customer):
    claim = assessed(file(customer, fire, cause="fire", occurred_on=ago(3)), assessed_loss=50_000_000)
    response = browser(StaffFactory()).post(f"/admin/claims/claim/{claim.pk}/transition/fraud_void/", {"reason": ""})
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    fire.refresh_from_db()
    assert fire.status != Policy.Status.ANNULLED
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.ASSESSED


@pytest.mark.rule("R-270")
def test_accidental_over_insurance_pays_at_most_the_actual_value(agent, customer):
    policy = record(agent, customer, issued_on=ago(60), sum_insured=1_000_000_000)
    claim = file(customer, policy, cause="fire", occurred_on=ago(3), loss=900_000_000)
    response_claim = assessed(claim, assessed_loss=900_000_000, actual_value=600_000_000)
    assert response_claim.payout == 600_000_000
    assert response_claim.payout_breakdown[-1]["code"] == "cap"


@pytest.mark.rule("R-270")
def test_over_insurance_cap_through_the_estimate_api(customer):
    response = client_for(customer).post(
        "/api/v1/claims/estimate/",
        {
            "line": "fire",
            "cause": "fire",
            "loss": 900_000_000,
            "sum_insured": 1_000_000_000,
            "actual_value": 600_000_000,
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["payout"] == 600_000_000
