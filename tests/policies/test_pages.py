"""Browser pages: an agent records a fire policy with instalments from an accepted request,
the customer sees it with Jalali dates and days left, cancellation shows the refund first."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from core.jalali import format_jalali
from core.text import to_persian_digits
from policies.models import Endorsement, Policy
from tests.agents.images import pdf_bytes
from tests.policies.helpers import accepted_request, days, record, today

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_agent_records_a_fire_policy_with_instalments_from_an_accepted_request(agent, customer):
    request = accepted_request(customer=customer, agent=agent)
    page = browser(agent.user)
    assert page.get(f"/policies/new/?request={request.pk}").status_code == 200
    response = page.post(
        "/policies/new/",
        {
            "request": request.pk,
            "line": "fire",
            "policy_number": "۱۲۳۴۵",
            "starts_on": format_jalali(today()),
            "ends_on": format_jalali(today() + days(365)),
            "premium": "۱۰٬۰۰۰٬۰۰۰",
            "sum_insured": "500,000,000",
            "property_type": "residential",
            "payment_plan": "installments",
            "installments_count": "4",
            "paid_on": format_jalali(today()),
            "document": SimpleUploadedFile("p.pdf", pdf_bytes(), content_type="application/pdf"),
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    policy = Policy.objects.get()
    assert policy.request == request
    assert policy.installments.count() == 5
    assert policy.document
    # the customer sees it
    listing = browser(customer).get("/policies/").content.decode()
    assert (
        format_jalali(policy.ends_on) in listing.replace("۰", "0")
        or to_persian_digits(format_jalali(policy.ends_on)) in listing
    )
    detail = browser(customer).get(f"/policies/{policy.pk}/")
    assert detail.status_code == 200
    assert browser(customer).get(f"/policies/{policy.pk}/document/").status_code == 200


def test_customer_policy_list_shows_days_left(agent, customer):
    record(agent, customer)
    content = browser(customer).get("/policies/").content.decode()
    assert to_persian_digits("365") in content


@pytest.mark.rule("R-134")
def test_cancellation_page_shows_the_refund_before_confirming(agent, customer):
    policy = record(agent, customer, issued_on=today() - days(30))
    page = browser(customer)
    form = {"by": "insured", "kind": "cancellation", "on": format_jalali(today())}
    response = page.post(f"/policies/{policy.pk}/cancel/", {**form, "preview": "1"})
    assert response.status_code == 200
    assert response.context["quote"].refund > 0
    policy.refresh_from_db()
    assert policy.status == Policy.Status.ISSUED
    response = page.post(f"/policies/{policy.pk}/cancel/", {**form, "confirm": "1"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert policy.status == Policy.Status.CANCELLED
    assert "مبلغ برگشتی" in page.get(f"/policies/{policy.pk}/").content.decode()


def test_endorsement_page_previews_the_premium_difference_then_confirms(agent, customer):
    policy = record(agent, customer)
    page = browser(agent.user)
    form = {"kind": "additional", "sum_insured": "1000000000"}
    response = page.post(f"/policies/{policy.pk}/endorsements/new/", {**form, "preview": "1"})
    assert response.status_code == 200
    assert response.context["preview"]["premium_delta"] > 0
    assert not Endorsement.objects.exists()
    response = page.post(f"/policies/{policy.pk}/endorsements/new/", {**form, "confirm": "1"})
    assert response.status_code == 302
    assert Endorsement.objects.get().number == 1


def test_customer_cannot_open_agent_forms(agent, customer):
    policy = record(agent, customer)
    page = browser(customer)
    for url in ("payments/", "endorsements/new/", "inspections/new/", "renew/", "document/upload/"):
        assert page.get(f"/policies/{policy.pk}/{url}").status_code == 404, url


def test_inspection_then_issue_through_the_pages(agent, customer):
    policy = record(agent, customer, covers=["theft"])
    assert policy.status == Policy.Status.PENDING_ISSUE
    page = browser(agent.user)
    page.post(
        f"/policies/{policy.pk}/inspections/new/",
        {
            "kind": "initial",
            "reason": "issue",
            "inspected_on": format_jalali(today()),
            "inspector": "مهندس احمدی",
            "report": "بازدید انجام شد",
            "recommendations": "نصب کپسول آتش‌نشانی\nحفاظ پنجره",
        },
    )
    page.post(f"/policies/{policy.pk}/issue/")
    policy.refresh_from_db()
    assert policy.status == Policy.Status.PENDING_ISSUE
    recommendations = list(policy.inspections.get().recommendations.all())
    for rec in recommendations:
        page.post(f"/policies/{policy.pk}/recommendations/{rec.pk}/comply/")
    # The insured's word is noted, but only a secondary inspection confirms it [001].
    page.post(f"/policies/{policy.pk}/issue/")
    policy.refresh_from_db()
    assert policy.status == Policy.Status.PENDING_ISSUE
    page.post(
        f"/policies/{policy.pk}/inspections/new/",
        {
            "kind": "secondary",
            "reason": "issue",
            "inspected_on": format_jalali(today()),
            "inspector": "مهندس احمدی",
            "report": "توصیه‌ها رعایت شده است",
            "complied": [rec.pk for rec in recommendations],
        },
    )
    page.post(f"/policies/{policy.pk}/issue/")
    policy.refresh_from_db()
    assert policy.status == Policy.Status.ISSUED
