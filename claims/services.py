"""Writes for claims: filing, documents, and one function per transition of the flow

    filed → documents_complete → assessed → approved → payment_ordered → paid
    (any open state) → rejected

Each transition re-reads the claim under a row lock (its status decides the write),
checks the step's condition, stamps its time, writes an audit row and tells the customer.
The API, the browser pages and the admin actions all call these.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notification
from claims import conf, rules, selectors
from claims.models import Claim, ClaimDocument
from claims.payout import estimate_payout
from core.exceptions import ApplicationError, ConflictError, ForbiddenError
from core.jalali import format_jalali
from core.services import audit_record
from core.text import group_thousands, to_persian_digits
from core.uploads import CleanUpload
from policies.models import Policy
from policies.selectors import policy_covers_day, policy_for_user, policy_role
from sms.services import sms_send_after_commit


def _locked(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("policy", "policy__line", "policy__agent", "policy__agent__user", "customer")
        .get(pk=claim.pk)
    )


def _tell(claim: Claim, text: str) -> None:
    url = reverse("claims:detail", args=[claim.pk])
    Notification.objects.create(user=claim.customer, text=text[:300], url=url)
    sms_send_after_commit(to=claim.customer.mobile, text=text)


def _toman(rial: int) -> str:
    return to_persian_digits(group_thousands(rial // 10))


def _number(claim: Claim) -> str:
    return to_persian_digits(claim.pk)


def _require_status(claim: Claim, *allowed: str) -> None:
    if claim.status not in allowed:
        raise ConflictError(
            _("این کار در وضعیت «%(status)s» ممکن نیست.") % {"status": claim.get_status_display()},
            code="bad_transition",
        )


def _require_staff(user) -> None:
    if not (user and user.is_authenticated and user.is_staff):
        raise ForbiddenError(_("این مرحله را کارشناس خسارت انجام می‌دهد."), code="staff_only")


# --- filing --------------------------------------------------------------------------------


def claim_file(
    *,
    user,
    policy: int | Policy,
    occurred_on: dt.date,
    description: str,
    estimated_loss: int,
    cause: str = "",
) -> Claim:
    """The customer reports a loss on their policy (اعلام خسارت).

    Filing late is allowed but flagged (fire one month, car damage 5 days, travel
    hospitalisation 5 days) [001][004]. The policy must have covered the day: issued,
    first instalment paid, inside its 24:00 window, not cancelled before it.
    """
    policy_id = policy.pk if isinstance(policy, Policy) else policy
    try:
        policy = policy_for_user(user, policy_id)
    except ApplicationError:
        raise ApplicationError(_("بیمه‌نامه پیدا نشد."), field="policy", code="not_found") from None
    if policy_role(user, policy) != "customer":
        raise ApplicationError(_("خسارت را بیمه‌گذار همین بیمه‌نامه اعلام می‌کند."), field="policy")
    line = policy.line.code
    causes = rules.causes_for(line)
    cause = cause or causes[0].code
    if rules.cause_for(line, cause) is None:
        raise ApplicationError(_("علت حادثه برای این رشته نامعتبر است."), field="cause")
    today = timezone.localdate()
    if occurred_on > today:
        raise ApplicationError(_("تاریخ حادثه نمی‌تواند در آینده باشد."), field="occurred_on")
    if not policy_covers_day(policy, occurred_on):
        raise ApplicationError(
            _("بیمه‌نامه در تاریخ حادثه پوشش نداشت (پیش از شروع، پس از پایان، پیش از پرداخت قسط اول، یا پس از فسخ)."),
            field="occurred_on",
            code="not_covered",
        )
    if estimated_loss < 0:
        raise ApplicationError(_("برآورد خسارت نمی‌تواند منفی باشد."), field="estimated_loss")
    if not description.strip():
        raise ApplicationError(_("شرح حادثه را بنویسید."), field="description")
    lateness = rules.filing_lateness(line=line, cause=cause, occurred_on=occurred_on, filed_on=today)
    with transaction.atomic():
        locked = Policy.objects.select_for_update(of=("self",)).get(pk=policy.pk)
        if line == rules.ELECTRONICS and locked.claims.exclude(status=Claim.Status.REJECTED).exists():
            # [003] electronics pays one claim per policy period.
            raise ConflictError(
                _("برای بیمه‌نامه تجهیزات الکترونیک فقط یک خسارت در هر دوره پرداخت می‌شود."),
                code="one_claim_per_period",
            )
        claim = Claim.objects.create(
            policy=policy,
            customer=user,
            cause=cause,
            occurred_on=occurred_on,
            description=description.strip(),
            estimated_loss=estimated_loss,
            late=lateness.late,
            deadline_days=lateness.deadline_days,
            late_by_days=lateness.late_by_days,
        )
        audit_record(
            actor=user,
            action="claim.file",
            target=claim,
            data={"policy": policy.pk, "late": lateness.late, "estimated_loss": estimated_loss},
        )
        text = _("پرونده خسارت شماره %(n)s برای بیمه‌نامه %(number)s ثبت شد. مدارک لازم را بارگذاری کنید.") % {
            "n": _number(claim),
            "number": policy.number,
        }
        _tell(claim, text)
        Notification.objects.create(
            user=policy.agent.user,
            text=_("بیمه‌گذار بیمه‌نامه %(number)s خسارت اعلام کرد.") % {"number": policy.number},
            url=reverse("claims:detail", args=[claim.pk]),
        )
    return claim


def claim_document_add(*, user, claim: Claim, kind: str, upload: CleanUpload) -> ClaimDocument:
    """A document for the checklist, uploaded by the customer (or staff) while the claim is open."""
    with transaction.atomic():
        claim = _locked(claim)
        if selectors.claim_role(user, claim) == selectors.AGENT:
            raise ForbiddenError(_("مدارک خسارت را بیمه‌گذار بارگذاری می‌کند."), code="customer_only")
        if claim.is_closed:
            raise ConflictError(_("این پرونده بسته شده است."), code="claim_closed")
        kinds = rules.document_kinds(claim.policy.line.code)
        if kind not in kinds:
            raise ApplicationError(_("نوع مدرک برای این رشته نامعتبر است."), field="kind")
        document = ClaimDocument(
            claim=claim, kind=kind, content_type=upload.content_type, size=upload.size, uploaded_by=user
        )
        document.file.save(upload.content.name, upload.content, save=False)
        document.save()
        audit_record(actor=user, action="claim.document_add", target=claim, data={"kind": kind, "id": document.pk})
    return document


# --- transitions (staff) -------------------------------------------------------------------


def claim_documents_complete(*, user, claim: Claim) -> Claim:
    """Every required document is in: the four-week payment clock starts [001]."""
    _require_staff(user)
    with transaction.atomic():
        claim = _locked(claim)
        _require_status(claim, Claim.Status.FILED)
        missing = selectors.missing_documents(claim)
        if missing:
            raise ConflictError(
                _("این مدارک هنوز نرسیده است: %(docs)s") % {"docs": "، ".join(str(doc.label) for doc in missing)},
                code="documents_missing",
            )
        now = timezone.now()
        claim.status = Claim.Status.DOCUMENTS_COMPLETE
        claim.documents_completed_at = now
        claim.payment_due_on = timezone.localdate(now) + dt.timedelta(days=conf.payment_days())
        claim.save(update_fields=["status", "documents_completed_at", "payment_due_on", "updated_at"])
        audit_record(
            actor=user,
            action="claim.documents_complete",
            target=claim,
            data={"payment_due_on": claim.payment_due_on.isoformat()},
        )
        _tell(
            claim,
            _("مدارک پرونده خسارت %(n)s کامل است. مهلت پرداخت: %(day)s.")
            % {"n": _number(claim), "day": format_jalali(claim.payment_due_on)},
        )
    return claim


def claim_assess(
    *,
    user,
    claim: Claim,
    assessed_loss: int,
    actual_value: int | None = None,
    salvage: int = 0,
    depreciation: int = 0,
    young_or_new_driver: bool = False,
    invoice_value: int | None = None,
    note: str = "",
) -> Claim:
    """The assessor's figures; the payout is computed by the estimator and stored with its breakdown."""
    _require_staff(user)
    if assessed_loss < 0 or salvage < 0 or depreciation < 0 or (actual_value is not None and actual_value < 0):
        raise ApplicationError(_("مبالغ ارزیابی نمی‌توانند منفی باشند."), field="assessed_loss")
    with transaction.atomic():
        claim = _locked(claim)
        _require_status(claim, Claim.Status.DOCUMENTS_COMPLETE)
        inputs = selectors.payout_input_for(
            policy=claim.policy,
            loss=assessed_loss,
            cause=claim.cause,
            occurred_on=claim.occurred_on,
            actual_value=actual_value,
            salvage=salvage,
            depreciation=depreciation,
            young_or_new_driver=young_or_new_driver,
            invoice_value=invoice_value,
            exclude_claim=claim,
        )
        estimate = estimate_payout(inputs)
        claim.status = Claim.Status.ASSESSED
        claim.assessed_at = timezone.now()
        claim.assessed_loss = assessed_loss
        claim.assessment = {
            "actual_value": inputs.actual_value,
            "salvage": salvage,
            "depreciation": depreciation,
            "young_or_new_driver": young_or_new_driver,
            "invoice_value": invoice_value,
            "previous_claims": inputs.previous_claims,
            "premium_due": inputs.premium_due,
            "premium_paid": inputs.premium_paid,
        }
        claim.payout = estimate.payout
        claim.payout_breakdown = estimate.as_dict()["breakdown"]
        claim.assessment_note = note
        claim.authority_level = selectors.authority_level_for(estimate.payout)
        claim.save(
            update_fields=[
                "status",
                "assessed_at",
                "assessed_loss",
                "assessment",
                "payout",
                "payout_breakdown",
                "assessment_note",
                "authority_level",
                "updated_at",
            ]
        )
        audit_record(
            actor=user,
            action="claim.assess",
            target=claim,
            data={"assessed_loss": assessed_loss, "payout": estimate.payout, "level": claim.authority_level},
        )
        _tell(
            claim,
            _("خسارت پرونده %(n)s ارزیابی شد؛ مبلغ قابل پرداخت: %(amount)s تومان.")
            % {"n": _number(claim), "amount": _toman(estimate.payout)},
        )
    return claim


def claim_approve(*, user, claim: Claim, reference: str = "") -> Claim:
    """Approval within the authority level the payout falls in [001].

    The technical council's approval carries its minute number (مجوز پرداخت), so the
    record shows which body decided.
    """
    _require_staff(user)
    with transaction.atomic():
        claim = _locked(claim)
        _require_status(claim, Claim.Status.ASSESSED)
        level = selectors.authority_level_for(claim.payout or 0)
        if level == Claim.AuthorityLevel.TECHNICAL_COUNCIL and not reference.strip():
            raise ApplicationError(
                _("این مبلغ در اختیار شورای فنی است؛ شماره مجوز پرداخت شورا را وارد کنید."), field="reference"
            )
        claim.status = Claim.Status.APPROVED
        claim.authority_level = level
        claim.approved_at = timezone.now()
        claim.approval_reference = reference.strip()
        claim.save(update_fields=["status", "authority_level", "approved_at", "approval_reference", "updated_at"])
        audit_record(
            actor=user, action="claim.approve", target=claim, data={"level": level, "reference": reference.strip()}
        )
        _tell(
            claim,
            _("پرداخت خسارت پرونده %(n)s تأیید شد. برای دریافت، تعهدنامه را در بیمه مال بپذیرید.")
            % {"n": _number(claim)},
        )
    return claim


def claim_undertaking_accept(*, user, claim: Claim, ip: str | None = None) -> Claim:
    """The insured's undertaking (تعهدنامه) to return the payment if the loss proves
    intentional or misrepresented [001]; required before payment."""
    with transaction.atomic():
        claim = _locked(claim)
        if selectors.claim_role(user, claim) != selectors.CUSTOMER:
            raise ForbiddenError(_("تعهدنامه را بیمه‌گذار می‌پذیرد."), code="customer_only")
        _require_status(claim, Claim.Status.APPROVED, Claim.Status.PAYMENT_ORDERED)
        if claim.undertaking_accepted_at is not None:
            raise ConflictError(_("تعهدنامه پیش‌تر پذیرفته شده است."), code="already_accepted")
        claim.undertaking_accepted_at = timezone.now()
        claim.undertaking_ip = ip
        claim.save(update_fields=["undertaking_accepted_at", "undertaking_ip", "updated_at"])
        audit_record(actor=user, action="claim.undertaking_accept", target=claim, data={"ip": ip})
    return claim


def claim_order_payment(*, user, claim: Claim) -> Claim:
    """The payment order (حواله پرداخت خسارت) is issued."""
    _require_staff(user)
    with transaction.atomic():
        claim = _locked(claim)
        _require_status(claim, Claim.Status.APPROVED)
        claim.status = Claim.Status.PAYMENT_ORDERED
        claim.payment_ordered_at = timezone.now()
        claim.save(update_fields=["status", "payment_ordered_at", "updated_at"])
        audit_record(actor=user, action="claim.order_payment", target=claim, data={"payout": claim.payout})
        _tell(claim, _("حواله پرداخت خسارت پرونده %(n)s صادر شد.") % {"n": _number(claim)})
    return claim


def claim_mark_paid(*, user, claim: Claim, reference: str) -> Claim:
    """The money went out; only after the insured accepted the undertaking [001]."""
    _require_staff(user)
    if not reference.strip():
        raise ApplicationError(_("شماره پیگیری پرداخت را وارد کنید."), field="reference")
    with transaction.atomic():
        claim = _locked(claim)
        _require_status(claim, Claim.Status.PAYMENT_ORDERED)
        if claim.undertaking_accepted_at is None:
            raise ConflictError(
                _("بیمه‌گذار هنوز تعهدنامه را نپذیرفته است؛ پیش از آن پرداخت ممکن نیست."),
                code="undertaking_missing",
            )
        claim.status = Claim.Status.PAID
        claim.paid_at = timezone.now()
        claim.paid_amount = claim.payout
        claim.payment_reference = reference.strip()
        claim.save(update_fields=["status", "paid_at", "paid_amount", "payment_reference", "updated_at"])
        audit_record(
            actor=user,
            action="claim.pay",
            target=claim,
            data={"amount": claim.paid_amount, "reference": claim.payment_reference},
        )
        _tell(
            claim,
            _("خسارت پرونده %(n)s به مبلغ %(amount)s تومان پرداخت شد.")
            % {"n": _number(claim), "amount": _toman(claim.paid_amount or 0)},
        )
    return claim


def claim_reject(*, user, claim: Claim, reason: str) -> Claim:
    """Reject an open claim, always with a reason the customer reads."""
    _require_staff(user)
    if not reason.strip():
        raise ApplicationError(_("دلیل رد خسارت را بنویسید."), field="reason")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.is_closed:
            raise ConflictError(_("این پرونده بسته شده است."), code="claim_closed")
        previous = claim.status
        claim.status = Claim.Status.REJECTED
        claim.rejected_at = timezone.now()
        claim.rejection_reason = reason.strip()
        claim.save(update_fields=["status", "rejected_at", "rejection_reason", "updated_at"])
        audit_record(actor=user, action="claim.reject", target=claim, data={"reason": reason.strip(), "from": previous})
        _tell(
            claim,
            _("پرونده خسارت %(n)s رد شد. دلیل: %(reason)s") % {"n": _number(claim), "reason": reason.strip()},
        )
    return claim
