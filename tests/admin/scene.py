"""Demo-like rows for the admin's pages (issue 14 point 9): a body policy with extra covers,
a fire policy paid in instalments, a glass claim assessed with its documents, a request posted
from a quote with an offer, an agent's paid invoice; the tariff comes with the reference data."""

from django.utils import timezone

from agents.models import Invoice, Plan
from claims import services as claim_services
from claims.models import Claim
from insurance_requests.models import InsuranceRequest, LeadResponse
from insurers.models import InsuranceLine, Province
from policies.models import Policy
from pricing.models import Tariff
from tests.claims.rule_steps import documents_complete
from tests.factories import StaffFactory, UserFactory
from tests.policies.helpers import days, make_agent, record, today


def build_scene() -> dict:
    agent = make_agent()
    customer = UserFactory()
    body_policy = record(
        agent,
        customer,
        line="body",
        issued_on=today() - days(40),
        covers=["glass", "parts_theft"],
        premium=48_500_000,
        sum_insured=9_000_000_000,
    )
    fire_policy = record(
        agent,
        customer,
        line="fire",
        issued_on=today() - days(10),
        payment_plan=Policy.PaymentPlan.INSTALLMENTS,
        installments_count=4,
        paid=False,
        premium=12_000_000,
    )
    claim = claim_services.claim_file(
        user=customer,
        policy=body_policy,
        occurred_on=today() - days(2),
        description="شکستن شیشه جلو با سنگ",
        estimated_loss=35_000_000,
        cause="glass",
    )
    documents_complete(claim)
    claim = claim_services.claim_assess(
        user=StaffFactory(), claim=claim, assessed_loss=30_000_000, depreciation=1_500_000, salvage=500_000
    )
    request = InsuranceRequest.objects.create(
        customer=customer,
        line=InsuranceLine.objects.get(code="third_party"),
        params={"vehicle_group": "car_4cyl", "usage": "personal", "no_claim_years": 2, "duration_days": 365},
        quote={
            "quotes": [
                {
                    "insurer": agent.insurer.code,
                    "insurer_name": agent.insurer.name,
                    "premium": 61_250_000,
                    "breakdown": [{"code": "base", "label": "حق‌بیمه پایه", "amount": 58_000_000}],
                }
            ]
        },
        quote_tariff_year=1405,
        province=Province.objects.get(code="tehran"),
        city="تهران",
        expires_at=timezone.now() + days(7),
    )
    request.insurers.add(agent.insurer)
    LeadResponse.objects.create(
        request=request,
        agent=agent,
        insurer=agent.insurer,
        response_seconds=3_700,
        premium=60_000_000,
        quoted_premium=61_250_000,
        payment_plan=LeadResponse.PaymentPlan.INSTALLMENTS,
        installments=[
            {"due_on": (today() + days(1)).isoformat(), "amount": 30_000_000},
            {"due_on": (today() + days(31)).isoformat(), "amount": 30_000_000},
        ],
        covers=["glass"],
        valid_until=today() + days(5),
    )
    invoice = Invoice.objects.create(
        number="INV-14050001",
        agent=agent,
        plan=Plan.objects.order_by("pk").first(),
        amount=25_000_000,
        status=Invoice.Status.PAID,
        gateway="zarinpal",
        ref_id="123456789",
        paid_at=timezone.now(),
    )
    return {
        "agent": agent,
        "body_policy": body_policy,
        "fire_policy": fire_policy,
        "claim": Claim.objects.get(pk=claim.pk),
        "request": request,
        "invoice": invoice,
        "tariff": Tariff.objects.order_by("-solar_year").first(),
    }
