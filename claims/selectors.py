"""Reads for claims: the permission chokepoint, lists, the checklist, the tracker timeline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import conf, rules
from claims.models import Claim, ClaimDocument
from claims.payout import PayoutInput
from core.exceptions import NotFoundError
from policies.models import Policy
from policies.selectors import covers_in_force, policy_due_total, policy_outstanding, policy_paid_total

CUSTOMER = "customer"
AGENT = "agent"
STAFF = "staff"


def _not_found() -> NotFoundError:
    return NotFoundError(_("پرونده خسارت پیدا نشد."))


def _base() -> QuerySet[Claim]:
    return Claim.objects.select_related(
        "policy", "policy__line", "policy__insurer", "policy__agent", "policy__agent__user", "customer"
    )


def claim_visible_q(user) -> Q:
    """Who may see a claim: the customer who filed it, the policy's issuing agent, staff."""
    if user.is_staff:
        return Q()
    return Q(customer=user) | Q(policy__agent__user=user)


def claim_for_user(user, claim_id) -> Claim:
    """The permission chokepoint for claims: 404 for anyone who may not see it."""
    if user is None or not user.is_authenticated:
        raise _not_found()
    try:
        claim_id = int(claim_id)
    except (TypeError, ValueError):
        raise _not_found() from None
    claim = _base().filter(claim_visible_q(user)).filter(pk=claim_id).first()
    if claim is None:
        raise _not_found()
    return claim


def claim_role(user, claim: Claim) -> str:
    if claim.customer_id == user.pk:
        return CUSTOMER
    if claim.policy.agent.user_id == user.pk:
        return AGENT
    return STAFF


def claim_list_for_user(user) -> QuerySet[Claim]:
    if user is None or not user.is_authenticated:
        return Claim.objects.none()
    return _base().filter(Q(customer=user) | Q(policy__agent__user=user)).order_by("-filed_at", "-id")


def claim_document_for_user(user, claim_id, document_id) -> ClaimDocument:
    claim = claim_for_user(user, claim_id)
    document = ClaimDocument.objects.filter(claim=claim, pk=document_id).first()
    if document is None:
        raise NotFoundError(_("مدرک پیدا نشد."))
    return document


def police_report_threshold(on: dt.date) -> int | None:
    """The year's third-party loss below which no police report is needed [003]; None when
    the tariff of that year has no figure (then the report is asked for, as before)."""
    from pricing.selectors import TariffMissingError, third_party_police_report_threshold

    try:
        return third_party_police_report_threshold(on)
    except TariffMissingError:
        return None


def police_report_waived(claim: Claim, *, loss: int | None = None) -> bool:
    """A third-party property loss below the year's threshold is paid without a police report
    or sketch, both cars present [003]. The assessed loss decides once there is one, the
    customer's estimate before."""
    if claim.policy.line.code != rules.THIRD_PARTY or claim.cause != "property":
        return False
    if loss is None:
        loss = claim.assessed_loss if claim.assessed_loss is not None else claim.estimated_loss
    threshold = police_report_threshold(claim.occurred_on)
    return threshold is not None and loss < threshold


def required_documents_for(claim: Claim) -> tuple[rules.RequiredDocument, ...]:
    policy = claim.policy
    return rules.required_documents(
        policy.line.code,
        inspection_report=policy.inspection_required,
        cause=claim.cause,
        police_report=not police_report_waived(claim),
    )


def document_checklist(claim: Claim) -> list[dict]:
    """The line's required documents, each with what was uploaded for it."""
    uploaded: dict[str, list[ClaimDocument]] = {}
    for document in claim.documents.all():
        uploaded.setdefault(document.kind, []).append(document)
    return [
        {"code": doc.code, "label": str(doc.label), "uploaded": uploaded.get(doc.code, [])}
        for doc in required_documents_for(claim)
    ]


def missing_documents(claim: Claim) -> list[rules.RequiredDocument]:
    present = set(claim.documents.values_list("kind", flat=True))
    return [doc for doc in required_documents_for(claim) if doc.code not in present]


def claim_awaiting_vehicle_check(policy: Policy) -> Claim | None:
    """A paid body claim on the policy whose vehicle check is not recorded yet [004]."""
    return (
        Claim.objects.filter(policy=policy, status=Claim.Status.PAID, vehicle_checked_on__isnull=True)
        .exclude(cause=rules.VEHICLE_THEFT)
        .order_by("paid_at")
        .first()
    )


def payout_shares(claim: Claim) -> list[dict]:
    """The payout split among the partners named on the policy, by their shares [004]; empty
    when the policy names none. Whole rials: each share is floored and the last partner takes
    the rest, so the amounts add up to the payout exactly."""
    partners = claim.policy.partners or []
    if claim.payout is None or not partners:
        return []
    total = sum(Decimal(str(partner["share"])) for partner in partners) or Decimal(100)
    shares, given = [], 0
    for index, partner in enumerate(partners):
        if index == len(partners) - 1:
            amount = claim.payout - given
        else:
            amount = int(Decimal(claim.payout) * Decimal(str(partner["share"])) / total)
            given += amount
        shares.append({"name": partner["name"], "share": partner["share"], "amount": amount})
    return shares


def claim_is_overdue(claim: Claim, *, today: dt.date | None = None) -> bool:
    """The four-week payment clock ran out and the claim is still open [001]."""
    today = today or timezone.localdate()
    return bool(claim.payment_due_on and not claim.is_closed and today > claim.payment_due_on)


def overdue_claims(*, today: dt.date | None = None) -> QuerySet[Claim]:
    today = today or timezone.localdate()
    return _base().filter(payment_due_on__lt=today).exclude(status__in=[Claim.Status.PAID, Claim.Status.REJECTED])


def authority_level_for(amount: int) -> str:
    """Who approves a payout of this size [001]; thresholds in settings (claims.conf)."""
    limits = conf.authority_limits()
    if amount <= limits["office"]:
        return Claim.AuthorityLevel.OFFICE
    if amount <= limits["supervision"]:
        return Claim.AuthorityLevel.SUPERVISION
    return Claim.AuthorityLevel.TECHNICAL_COUNCIL


def months_between(start: dt.date, end: dt.date) -> int:
    """Full months from `start` to `end` (a started month is not counted)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < start.day:
        months -= 1
    return max(months, 0)


def sum_insured_on(policy: Policy, day: dt.date) -> int:
    """The sum insured in force on a day [001]: a claim is settled on the policy as endorsed,
    so an endorsement that takes effect after the day is undone (each keeps the value it replaced)."""
    amount = policy.sum_insured
    for endorsement in policy.endorsements.filter(effective_on__gt=day).order_by("-number"):
        if "sum_insured" in (endorsement.previous or {}):
            amount = int(endorsement.previous["sum_insured"])
    return amount


def _debris_removal_limit(policy: Policy) -> int | None:
    value = (policy.params or {}).get(rules.DEBRIS_REMOVAL_SUM_PARAM)
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def address_on(policy: Policy, day: dt.date) -> str:
    """The insured site's address the insurer knew of on a day: the policy's, with the address
    endorsements that took effect after the day undone [004]. Empty when none was recorded."""
    address = str(policy.params.get("address") or "")
    for endorsement in policy.endorsements.filter(effective_on__gt=day).order_by("-number"):
        if "address" in (endorsement.previous or {}):
            address = str(endorsement.previous["address"] or "")
    return address


def declared_value_on(policy: Policy, day: dt.date) -> int:
    """The declared real value on a day: it follows the sum insured through endorsements
    (policies.services.endorsements._apply_changes) unless it was recorded higher."""
    declared = policy.actual_value or policy.sum_insured
    return sum_insured_on(policy, day) if declared == policy.sum_insured else declared


def paid_on_policy(policy: Policy, *, exclude_claim: Claim | None = None) -> int:
    """What the policy's claims have paid so far (rial) [001]: "پرداخت‌های قبلی"."""
    paid = Claim.objects.filter(policy=policy, status=Claim.Status.PAID)
    if exclude_claim is not None:
        paid = paid.exclude(pk=exclude_claim.pk)
    return paid.aggregate(total=Sum("paid_amount"))["total"] or 0


def payout_input_for(
    *,
    policy: Policy,
    loss: int,
    cause: str,
    occurred_on: dt.date,
    actual_value: int | None = None,
    salvage: int = 0,
    depreciation: int = 0,
    previous_claims: int | None = None,
    young_or_new_driver: bool = False,
    invoice_value: int | None = None,
    accessories_loss: int = 0,
    mitigation_cost: int = 0,
    insured_fault_percent: int = 0,
    debris_removal_cost: int = 0,
    haram_month_increase: int = 0,
    exclude_claim: Claim | None = None,
) -> PayoutInput:
    """The estimator's input from a policy and the assessor's figures."""
    if previous_claims is None:
        paid = Claim.objects.filter(policy=policy, status=Claim.Status.PAID)
        if exclude_claim is not None:
            paid = paid.exclude(pk=exclude_claim.pk)
        previous_claims = paid.count()
    return PayoutInput(
        line=policy.line.code,
        loss=loss,
        sum_insured=sum_insured_on(policy, occurred_on),
        actual_value=actual_value if actual_value is not None else declared_value_on(policy, occurred_on),
        cause=cause,
        salvage=salvage,
        depreciation=depreciation,
        months_in_use=months_between(policy.starts_on, occurred_on),
        invoice_value=invoice_value,
        previous_claims=previous_claims,
        young_or_new_driver=young_or_new_driver,
        electronics_deductible_percent=conf.electronics_deductible_percent(),
        premium_due=policy_due_total(policy, by=occurred_on),
        premium_paid=policy_paid_total(policy, by=occurred_on),
        outstanding_balance=policy_outstanding(policy),
        previously_paid=paid_on_policy(policy, exclude_claim=exclude_claim),
        accessories_loss=accessories_loss,
        mitigation_cost=mitigation_cost,
        insured_fault_percent=insured_fault_percent,
        debris_removal_cost=debris_removal_cost,
        debris_removal_limit=_debris_removal_limit(policy),
        haram_month_increase=haram_month_increase,
        deductible_removed=policy.line.code == rules.BODY
        and rules.DEDUCTIBLE_REMOVAL_COVER in covers_in_force(policy, occurred_on),
    )


TIMELINE_STEPS = (
    ("filed", "filed_at", gettext_lazy("اعلام خسارت")),
    ("documents_complete", "documents_completed_at", gettext_lazy("تکمیل مدارک")),
    ("assessed", "assessed_at", gettext_lazy("ارزیابی کارشناس")),
    ("approved", "approved_at", gettext_lazy("تأیید پرداخت")),
    ("undertaking", "undertaking_accepted_at", gettext_lazy("پذیرش تعهدنامه")),
    ("payment_ordered", "payment_ordered_at", gettext_lazy("صدور حواله پرداخت")),
    ("paid", "paid_at", gettext_lazy("پرداخت خسارت")),
)


def claim_timeline(claim: Claim) -> list[dict]:
    """Every step of the flow, done or not, with its time; a rejection ends the line."""
    steps = []
    for code, attr, label in TIMELINE_STEPS:
        at = getattr(claim, attr)
        steps.append({"code": code, "label": str(label), "at": at, "done": at is not None})
    if claim.disputed_at:
        # [001][004] the dispute and the panel's decision sit between the assessment and approval.
        at = next(i for i, step in enumerate(steps) if step["code"] == "assessed") + 1
        extra = [{"code": "disputed", "label": str(_("اعتراض به ارزیابی")), "at": claim.disputed_at, "done": True}]
        extra.append(
            {
                "code": "panel",
                "label": str(_("رأی هیئت کارشناسی سه‌نفره")),
                "at": claim.panel_decided_at,
                "done": claim.panel_decided_at is not None,
            }
        )
        steps[at:at] = extra
    if claim.status == Claim.Status.REJECTED:
        steps = [step for step in steps if step["done"]]
        steps.append({"code": "rejected", "label": str(_("رد خسارت")), "at": claim.rejected_at, "done": True})
    return steps


def claim_next_step(claim: Claim) -> str:
    """One sentence on what happens next, for the customer's tracker."""
    if claim.status == Claim.Status.FILED:
        if missing_documents(claim):
            return _("مدارک خواسته‌شده را بارگذاری کنید؛ پس از بررسی کارشناس، پرونده کامل می‌شود.")
        return _("مدارک شما رسیده است و کارشناس در حال بررسی کامل بودن آن‌هاست.")
    if claim.status == Claim.Status.DOCUMENTS_COMPLETE:
        return _("کارشناس ارزیاب خسارت را برآورد می‌کند.")
    if claim.status == Claim.Status.DISPUTED:
        return _("اعتراض شما ثبت شده است؛ هیئت کارشناسی سه‌نفره درباره مبلغ خسارت رأی می‌دهد.")
    if claim.status == Claim.Status.ASSESSED and claim.cause == rules.VEHICLE_THEFT:
        problem = rules.vehicle_theft_problem(
            reported_on=claim.theft_reported_on,
            found_on=claim.vehicle_found_on,
            title_transferred_on=claim.title_transferred_on,
            today=timezone.localdate(),
        )
        if problem:
            return problem[1]
    if claim.status == Claim.Status.ASSESSED:
        return _("مبلغ خسارت در سطح اختیار مربوط در حال تأیید است.")
    if claim.status in (Claim.Status.APPROVED, Claim.Status.PAYMENT_ORDERED) and not claim.undertaking_accepted_at:
        return _("برای دریافت خسارت، تعهدنامه را بخوانید و بپذیرید.")
    if claim.status == Claim.Status.APPROVED:
        return _("حواله پرداخت صادر می‌شود.")
    if claim.status == Claim.Status.PAYMENT_ORDERED:
        return _("مبلغ خسارت به‌زودی پرداخت می‌شود.")
    if claim.status == Claim.Status.PAID:
        if (
            claim.policy.line.code == rules.BODY
            and claim.cause != rules.VEHICLE_THEFT
            and claim.vehicle_checked_on is None
        ):
            return _("خسارت پرداخت شده است. برای ادامه اعتبار بیمه‌نامه، خودرو را برای بازدید سلامت ببرید.")
        return _("خسارت پرداخت شده است.")
    return _("این پرونده رد شده است.")
