"""Ending a policy: cancellation by either side, and voids (fraud, the insurer's void)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from core.exceptions import ApplicationError, ConflictError
from core.services import audit_record
from policies import rules, selectors
from policies.models import (
    Policy,
)
from policies.services.common import _locked, _policy_url, _require_open, _short_term_bands, _toman

# --- cancellation --------------------------------------------------------------------------


def policy_cancel_preview(
    *,
    user,
    policy: Policy,
    by: str,
    on: dt.date,
    kind: str = rules.CANCELLATION,
    reason: str = "",
    visa_expires_on: dt.date | None = None,
) -> rules.CancellationQuote:
    """The refund a cancellation would give, without writing anything."""
    _require_open(policy)
    if by not in (rules.INSURED, rules.INSURER):
        raise ApplicationError(_("درخواست‌کننده فسخ باید بیمه‌گذار یا بیمه‌گر باشد."), field="by")
    if kind not in (rules.CANCELLATION, rules.ANNULMENT):
        raise ApplicationError(_("نوع درخواست باید فسخ یا ابطال باشد."), field="kind")
    if by == rules.INSURER and selectors.policy_role(user, policy) == selectors.CUSTOMER:
        raise ApplicationError(_("بیمه‌گذار فقط از طرف خودش درخواست فسخ می‌دهد."), field="by")
    line = policy.line.code
    if line == rules.TRAVEL and reason in rules.TRAVEL_KEPT_PERCENT:
        kind = rules.ANNULMENT  # [004] calls each of the three travel cases ابطال
    problems = rules.cancellation_problems(
        line=line,
        by=by,
        kind=kind,
        reason=reason,
        starts_on=policy.starts_on,
        ends_on=policy.ends_on,
        on=on,
        visa_expires_on=visa_expires_on,
        has_claims=policy.claims.exclude(status="rejected").exists(),
    )
    if problems:
        field, message = next(iter(problems.items()))
        raise ApplicationError(message, field=field, code="cancellation_refused")
    return rules.cancellation_quote(
        line=line,
        by=by,
        kind=kind,
        reason=reason,
        total_premium=selectors.policy_total_premium(policy),
        paid=selectors.policy_paid_total(policy),
        starts_on=policy.starts_on,
        ends_on=policy.ends_on,
        on=on,
        bands=_short_term_bands(policy.starts_on),
    )


def policy_cancel(
    *,
    user,
    policy: Policy,
    by: str,
    on: dt.date,
    kind: str = rules.CANCELLATION,
    reason: str = "",
    visa_expires_on: dt.date | None = None,
) -> Policy:
    """Cancel (فسخ) or annul (ابطال) a policy and record the refund [004]."""
    with transaction.atomic():
        policy = _locked(policy)
        quote = policy_cancel_preview(
            user=user, policy=policy, by=by, on=on, kind=kind, reason=reason, visa_expires_on=visa_expires_on
        )
        details = quote.as_dict()
        if visa_expires_on:
            details["visa_expires_on"] = visa_expires_on.isoformat()
        _close(
            policy,
            status=Policy.Status.ANNULLED if quote.kind == rules.ANNULMENT else Policy.Status.CANCELLED,
            on=on,
            by=by,
            reason=reason,
            details=details,
        )
        audit_record(actor=user, action=f"policy.{quote.kind}", target=policy, data=quote.as_dict())
        text = _("بیمه‌نامه شماره %(number)s %(what)s شد؛ مبلغ برگشتی: %(refund)s تومان.") % {
            "number": policy.number,
            "what": _("باطل") if quote.kind == rules.ANNULMENT else _("فسخ"),
            "refund": _toman(quote.refund),
        }
        notify(policy.customer, text, url=_policy_url(policy), sms=True)
        if policy.agent.user_id != user.pk:
            notify(policy.agent.user, text, url=_policy_url(policy))
    return policy


FRAUDULENT_OVER_INSURANCE = "fraudulent_over_insurance"

# The fields every way of ending a policy (cancellation, annulment, a void by the insurer) writes.
_CLOSING_FIELDS = [
    "status",
    "cancelled_at",
    "cancellation_on",
    "cancellation_by",
    "cancellation_reason",
    "cancellation_kept",
    "cancellation_refund",
    "cancellation_details",
    "updated_at",
]


def _close(policy: Policy, *, status: str, on: dt.date, by: str, reason: str, details: dict) -> None:
    """Write the end of a locked policy; `details` carries kept, refund and the basis shown on its page."""
    policy.status = status
    policy.cancelled_at = timezone.now()
    policy.cancellation_on = on
    policy.cancellation_by = by
    policy.cancellation_reason = reason[:40]
    policy.cancellation_kept = details["kept"]
    policy.cancellation_refund = details["refund"]
    policy.cancellation_details = details
    policy.save(update_fields=_CLOSING_FIELDS)


def policy_void_for_fraud(*, user, policy: Policy, reason: str) -> Policy:
    """Fraudulent over-insurance proved at a claim [004]: the policy is void (annulled from its
    start), the premiums received are kept (nothing refunded) and no loss is paid on it.

    Called by `claims.services.claim_void_for_fraud`, inside its transaction.
    """
    basis = _("ابطال به سبب بیمه مازاد متقلبانه؛ حق‌بیمه‌های دریافتی مسترد نمی‌شود")
    return _void(user=user, policy=policy, reason_code=FRAUDULENT_OVER_INSURANCE, reason=reason, basis=basis)


def policy_void_by_insurer(
    *, user, policy: Policy, reason_code: str, reason: str, effective_on: dt.date | None = None
) -> Policy:
    """The insurer voids a policy for an event the sources name at a claim, premiums kept and
    nothing refunded. Without `effective_on` it is annulled from its start (an electronics
    voiding event [003], like fraud); with it, it ends on that day (the whole device replaced on
    a claim [003]: the defective device's policy ends with the payment).

    Called by `claims.services`, inside its transaction.
    """
    return _void(
        user=user, policy=policy, reason_code=reason_code, reason=reason, basis=reason, effective_on=effective_on
    )


def _void(
    *, user, policy: Policy, reason_code: str, reason: str, basis: str, effective_on: dt.date | None = None
) -> Policy:
    with transaction.atomic():
        policy = _locked(policy)
        if policy.is_closed:
            raise ConflictError(_("این بیمه‌نامه پیش‌تر فسخ یا باطل شده است."), code="already_cancelled")
        kept = selectors.policy_paid_total(policy)
        _close(
            policy,
            status=Policy.Status.ANNULLED if effective_on is None else Policy.Status.CANCELLED,
            on=effective_on or policy.starts_on,
            by=rules.INSURER,
            reason=reason_code,
            details={"kind": reason_code, "kept": kept, "refund": 0, "reason": reason, "basis": str(basis)},
        )
        fraud = reason_code == FRAUDULENT_OVER_INSURANCE
        audit_record(
            actor=user,
            action="policy.void_for_fraud" if fraud else "policy.void_by_insurer",
            target=policy,
            data={"kind": reason_code, "kept": kept, "reason": reason},
        )
    return policy
