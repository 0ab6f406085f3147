"""The customer files and follows a claim in the browser; staff move it to paid in the admin."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from claims import rules
from claims.models import Claim
from core.jalali import format_jalali
from core.models import AuditLog
from core.text import to_persian_digits
from tests.agents.images import png_bytes
from tests.factories import StaffFactory
from tests.policies.helpers import days, record, today

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_customer_files_uploads_and_follows_the_claim_then_staff_pay_it_in_the_admin(agent, customer):
    # An additional-risk claim needs an additional cover in force on the day (covers_in_force).
    policy = record(agent, customer, issued_on=today() - days(60), covers=["earthquake"])
    page = browser(customer)

    # file
    assert page.get(f"/claims/new/?policy={policy.pk}").status_code == 200
    response = page.post(
        "/claims/new/",
        {
            "policy": policy.pk,
            "cause": "additional_risk",
            "occurred_on": format_jalali(today() - days(2)),
            "estimated_loss": "5,000,000",
            "description": "ترکیدگی لوله و آب‌گرفتگی",
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.get()

    # the tracker says what is missing
    tracker = page.get(f"/claims/{claim.pk}/")
    assert tracker.status_code == 200
    assert len(tracker.context["missing"]) == 3

    # upload every document
    for doc in rules.required_documents("fire", inspection_report=False):
        upload = SimpleUploadedFile("d.png", png_bytes(), content_type="image/png")
        response = page.post(f"/claims/{claim.pk}/documents/", {"kind": doc.code, "file": upload})
        assert response.status_code == 302
    assert page.get(f"/claims/{claim.pk}/").context["missing"] == []

    # staff in the admin
    admin = browser(StaffFactory())
    assert admin.get("/admin/claims/claim/").status_code == 200
    assert admin.get(f"/admin/claims/claim/{claim.pk}/change/").status_code == 200
    admin.post(f"/admin/claims/claim/{claim.pk}/simple/documents_complete/")
    response = admin.post(f"/admin/claims/claim/{claim.pk}/transition/assess/", {"assessed_loss": "40000000"})
    assert response.status_code == 302
    admin.post("/admin/claims/claim/", {"action": "approve", "_selected_action": [claim.pk]})
    admin.post(f"/admin/claims/claim/{claim.pk}/simple/order_payment/")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAYMENT_ORDERED
    # 10% deductible on an additional risk
    assert claim.payout == 36_000_000

    # the customer accepts the undertaking on the tracker
    tracker = page.get(f"/claims/{claim.pk}/").content.decode()
    assert "تعهدنامه" in tracker
    page.post(f"/claims/{claim.pk}/undertaking/", {"accept": "1"})

    response = admin.post(f"/admin/claims/claim/{claim.pk}/transition/pay/", {"reference": "REF-77"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PAID
    assert AuditLog.objects.filter(action="claim.pay", target_id=str(claim.pk)).exists()

    # the timeline has every step with a Jalali date
    tracker = page.get(f"/claims/{claim.pk}/")
    assert all(step["done"] for step in tracker.context["timeline"])


def test_staff_reject_with_a_reason_in_the_admin(agent, customer):
    policy = record(agent, customer, issued_on=today() - days(60))
    claim = Claim.objects.create(
        policy=policy, customer=customer, cause="fire", occurred_on=today(), description="x", estimated_loss=1
    )
    admin = browser(StaffFactory())
    response = admin.post(f"/admin/claims/claim/{claim.pk}/transition/reject/", {"reason": "خارج از تعهد"})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Claim.Status.REJECTED
    assert "خارج از تعهد" in browser(customer).get(f"/claims/{claim.pk}/").content.decode()


def test_overdue_claims_are_highlighted_for_staff(agent, customer):
    policy = record(agent, customer, issued_on=today() - days(90))
    Claim.objects.create(
        policy=policy,
        customer=customer,
        cause="fire",
        occurred_on=today() - days(40),
        description="x",
        estimated_loss=1,
        status=Claim.Status.DOCUMENTS_COMPLETE,
        payment_due_on=today() - days(1),
    )
    admin = browser(StaffFactory())
    content = admin.get("/admin/claims/claim/?overdue=yes").content.decode()
    assert "گذشته" in content


def test_estimator_page_shows_the_breakdown(agent, customer):
    policy = record(agent, customer, issued_on=today() - days(60))
    response = browser(customer).post(
        "/claims/estimate/", {"policy": policy.pk, "cause": "additional_risk", "loss": "1000000"}
    )
    assert response.status_code == 200
    assert response.context["estimate"].payout == 9_000_000


def test_estimator_api_with_plain_figures(customer_api):
    response = customer_api.post(
        "/api/v1/claims/estimate/",
        {
            "line": "body",
            "cause": "partial",
            "loss": 100_000_000,
            "sum_insured": 500_000_000,
            "actual_value": 1_000_000_000,
        },
        format="json",
    )
    assert response.status_code == 200
    # 10% deductible, then half by the proportional rule
    assert response.data["payout"] == 45_000_000
    assert sum(line["amount"] for line in response.data["breakdown"]) == 45_000_000


def test_claim_list_page(agent, customer):
    record(agent, customer)
    assert browser(customer).get("/claims/").status_code == 200


@pytest.mark.parametrize("path", ["/claims/new/", "/claims/estimate/"])
def test_the_policy_choice_starts_with_its_number(agent, customer, path):
    """On a phone the select shows only its start; two fire policies of one insurer read the same."""
    first = record(agent, customer, issued_on=today() - days(60))
    second = record(agent, customer, issued_on=today() - days(30))
    labels = [label for _, label in browser(customer).get(path).context["form"].fields["policy"].choices]
    assert len(set(labels)) == 2
    assert {label.split(" — ")[0] for label in labels} == {
        to_persian_digits(first.number),
        to_persian_digits(second.number),
    }
