"""Claims end to end through the API: filing with late flags, the checklist, every transition."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from claims import rules
from claims.models import Claim
from core.models import AuditLog
from tests.agents.images import pdf_bytes, png_bytes
from tests.factories import StaffFactory
from tests.policies.helpers import client_for, days, record, today

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


def file_claim(client, policy, *, occurred_on=None, cause="fire", loss=100_000_000):
    return client.post(
        URL,
        {
            "policy": policy.pk,
            "occurred_on": (occurred_on or today()).isoformat(),
            "description": "آتش‌سوزی در آشپزخانه",
            "estimated_loss": loss,
            "cause": cause,
        },
        format="json",
    )


@pytest.fixture
def old_fire_policy(agent, customer):
    """A fire policy that started 60 days ago, paid in cash."""
    return record(agent, customer, issued_on=today() - days(60))


def upload_all(client, claim_id, policy):
    for doc in rules.required_documents(policy.line.code, inspection_report=policy.inspection_required):
        upload = SimpleUploadedFile(f"{doc.code}.png", png_bytes(), content_type="image/png")
        response = client.post(f"{URL}{claim_id}/documents/", {"kind": doc.code, "file": upload}, format="multipart")
        assert response.status_code == 201, response.data


@pytest.mark.rule("R-036", "R-037", "R-038")
def test_filing_returns_the_checklist_and_the_late_flag(customer_api, old_fire_policy):
    response = file_claim(customer_api, old_fire_policy, occurred_on=today() - days(3))
    assert response.status_code == 201, response.data
    assert response.data["late"] is False
    codes = [row["code"] for row in response.data["required_documents"]]
    assert codes == ["claim_form", "policy", "premium_receipts"]  # never inspected: no report to give
    assert AuditLog.objects.filter(action="claim.file").count() == 1


@pytest.mark.rule("R-036")
def test_fire_filed_after_one_month_is_accepted_but_flagged_late(customer_api, old_fire_policy):
    response = file_claim(customer_api, old_fire_policy, occurred_on=today() - days(40))
    assert response.status_code == 201
    assert response.data["late"] is True
    assert response.data["late_by_days"] == 10


@pytest.mark.rule("R-129")
def test_car_damage_filed_after_5_days_is_flagged_late(agent, customer, customer_api):
    policy = record(agent, customer, line="body", issued_on=today() - days(30))
    response = file_claim(customer_api, policy, occurred_on=today() - days(6), cause="partial")
    assert response.data["late"] is True


@pytest.mark.rule("R-160")
def test_travel_hospitalisation_after_5_days_is_flagged_late(agent, customer, customer_api):
    policy = record(agent, customer, line="travel", issued_on=today() - days(20), length=30)
    response = file_claim(customer_api, policy, occurred_on=today() - days(6), cause="hospitalisation")
    assert response.data["late"] is True


@pytest.mark.rule("R-017")
def test_a_loss_before_the_first_instalment_was_paid_is_not_covered(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=today() - days(30), paid=False)
    response = file_claim(customer_api, policy, occurred_on=today() - days(3))
    assert response.status_code == 400
    assert "occurred_on" in response.data


@pytest.mark.rule("R-016")
def test_a_loss_on_the_first_day_is_not_covered_by_the_24h_rule(agent, customer, customer_api):
    policy = record(agent, customer, issued_on=today() - days(10))
    response = file_claim(customer_api, policy, occurred_on=today() - days(10))
    assert response.status_code == 400


def test_uploads_follow_the_private_upload_rules(customer_api, old_fire_policy):
    claim_id = file_claim(customer_api, old_fire_policy).data["id"]
    bad = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>", content_type="image/png")
    response = customer_api.post(f"{URL}{claim_id}/documents/", {"kind": "policy", "file": bad}, format="multipart")
    assert response.status_code == 400
    pdf = SimpleUploadedFile("p.pdf", pdf_bytes(), content_type="application/pdf")
    response = customer_api.post(f"{URL}{claim_id}/documents/", {"kind": "policy", "file": pdf}, format="multipart")
    assert response.status_code == 201
    assert customer_api.get(response.data["url"].replace("/claims/", "/api/v1/claims/")).status_code == 200


@pytest.mark.rule("R-039")
def test_documents_cannot_be_marked_complete_while_some_are_missing(customer_api, old_fire_policy):
    staff = StaffFactory()
    claim_id = file_claim(customer_api, old_fire_policy).data["id"]
    response = client_for(staff).post(f"/api/v1/staff/claims/{claim_id}/documents-complete/")
    assert response.status_code == 409


@pytest.mark.rule("R-143", "R-018", "R-043")
def test_full_flow_to_paid_with_the_payment_clock_and_an_audit_row_per_step(customer_api, old_fire_policy):
    staff_api = client_for(StaffFactory())
    claim_id = file_claim(customer_api, old_fire_policy).data["id"]
    upload_all(customer_api, claim_id, old_fire_policy)
    staff = f"/api/v1/staff/claims/{claim_id}"

    response = staff_api.post(f"{staff}/documents-complete/")
    assert response.status_code == 200, response.data
    assert response.data["payment_due_on"] == (today() + days(28)).isoformat()

    response = staff_api.post(f"{staff}/assess/", {"assessed_loss": 80_000_000}, format="json")
    assert response.data["payout"] == 80_000_000  # main risk: no deductible
    response = staff_api.post(f"{staff}/approve/", {}, format="json")
    assert response.data["authority_level"] == "office"
    assert staff_api.post(f"{staff}/order-payment/").status_code == 200

    # no payment before the undertaking
    response = staff_api.post(f"{staff}/pay/", {"reference": "TRX-1"}, format="json")
    assert response.status_code == 409
    assert customer_api.post(f"{URL}{claim_id}/undertaking/").status_code == 200
    response = staff_api.post(f"{staff}/pay/", {"reference": "TRX-1"}, format="json")
    assert response.status_code == 200
    claim = Claim.objects.get(pk=claim_id)
    assert claim.status == Claim.Status.PAID
    assert claim.paid_amount == 80_000_000
    actions = set(AuditLog.objects.filter(target_id=str(claim_id)).values_list("action", flat=True))
    assert {
        "claim.file",
        "claim.documents_complete",
        "claim.assess",
        "claim.approve",
        "claim.order_payment",
        "claim.undertaking_accept",
        "claim.pay",
    } <= actions


@pytest.mark.rule("R-041")
def test_rejection_needs_a_reason_and_closes_the_claim(customer_api, old_fire_policy):
    staff_api = client_for(StaffFactory())
    claim_id = file_claim(customer_api, old_fire_policy).data["id"]
    assert staff_api.post(f"/api/v1/staff/claims/{claim_id}/reject/", {"reason": ""}, format="json").status_code == 400
    response = staff_api.post(f"/api/v1/staff/claims/{claim_id}/reject/", {"reason": "خارج از تعهد"}, format="json")
    assert response.data["status"] == "rejected"
    assert response.data["rejection_reason"] == "خارج از تعهد"
    assert staff_api.post(f"/api/v1/staff/claims/{claim_id}/documents-complete/").status_code == 409


@pytest.mark.rule("R-042")
def test_a_payout_above_the_supervision_limit_needs_the_technical_council(customer_api, agent, customer, settings):
    settings.CLAIM_AUTHORITY_LIMITS = {"office": 10_000_000, "supervision": 50_000_000}
    policy = record(agent, customer, issued_on=today() - days(60))
    staff_api = client_for(StaffFactory())
    claim_id = file_claim(customer_api, policy).data["id"]
    upload_all(customer_api, claim_id, policy)
    staff_api.post(f"/api/v1/staff/claims/{claim_id}/documents-complete/")
    staff_api.post(f"/api/v1/staff/claims/{claim_id}/assess/", {"assessed_loss": 90_000_000}, format="json")
    response = staff_api.post(f"/api/v1/staff/claims/{claim_id}/approve/", {}, format="json")
    assert response.status_code == 400
    response = staff_api.post(f"/api/v1/staff/claims/{claim_id}/approve/", {"reference": "TC-12"}, format="json")
    assert response.data["authority_level"] == "technical_council"


@pytest.mark.rule("R-018")
def test_overdue_when_four_weeks_pass_after_complete_documents(customer_api, old_fire_policy):
    from claims.selectors import claim_is_overdue, overdue_claims

    staff_api = client_for(StaffFactory())
    claim_id = file_claim(customer_api, old_fire_policy).data["id"]
    upload_all(customer_api, claim_id, old_fire_policy)
    staff_api.post(f"/api/v1/staff/claims/{claim_id}/documents-complete/")
    claim = Claim.objects.get(pk=claim_id)
    assert not claim_is_overdue(claim)
    later = timezone.localdate() + dt.timedelta(days=29)
    assert claim_is_overdue(claim, today=later)
    assert list(overdue_claims(today=later)) == [claim]


@pytest.mark.rule("R-037")
def test_the_tracker_shows_the_timeline_and_whats_missing(customer_api, old_fire_policy):
    claim_id = file_claim(customer_api, old_fire_policy).data["id"]
    data = customer_api.get(f"{URL}{claim_id}/").data
    assert data["timeline"][0]["done"] is True
    assert data["timeline"][1]["done"] is False
    assert data["missing_documents"] == ["claim_form", "policy", "premium_receipts"]


@pytest.mark.rule("R-094")
def test_electronics_pays_one_claim_per_period(agent, customer, customer_api):
    policy = record(agent, customer, line="electronics", issued_on=today() - days(30))
    assert file_claim(customer_api, policy, cause="breakage").status_code == 201
    assert file_claim(customer_api, policy, cause="breakage").status_code == 409


def test_only_staff_move_claims(customer_api, old_fire_policy):
    claim_id = file_claim(customer_api, old_fire_policy).data["id"]
    assert customer_api.post(f"/api/v1/staff/claims/{claim_id}/documents-complete/").status_code == 403


@pytest.mark.rule("R-152")
def test_unpaid_instalments_reduce_the_payout_by_the_proportional_premium_rule(agent, customer, customer_api):
    from claims import services

    policy = record(agent, customer, issued_on=today() - days(90), payment_plan="installments", installments_count=2)
    # only the down payment (recorded with the policy) was paid; both instalments fell due before the loss
    down = policy.installments.get(number=0).amount
    assert policy.installments.filter(due_on__lte=today() - days(2)).count() == 3
    claim = Claim.objects.get(
        pk=file_claim(customer_api, policy, cause="fire", occurred_on=today() - days(2)).data["id"]
    )
    staff = StaffFactory()
    upload_all(customer_api, claim.pk, policy)
    services.claim_documents_complete(user=staff, claim=claim)
    claim = services.claim_assess(user=staff, claim=claim, assessed_loss=30_000_000)
    assert claim.assessment["premium_due"] == 10_000_000
    assert claim.assessment["premium_paid"] == down
    assert claim.payout == 30_000_000 * down // 10_000_000
