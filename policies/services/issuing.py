"""Marking a policy issued, the bank's letter and the insurer's authorisation."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from core.exceptions import ApplicationError, ConflictError, ForbiddenError
from core.services import audit_record
from core.uploads import CleanUpload
from policies import selectors
from policies.models import (
    Policy,
)
from policies.services.common import _locked, _policy_url, _require_open, require_issuer_or_staff
from policies.services.recording import _issued_terms

# --- issue and inspections -----------------------------------------------------------------


def policy_mark_issued(*, user, policy: Policy) -> Policy:
    """Issue a policy that waited for its inspection: only once every recommendation is met [001]."""
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        if policy.status == Policy.Status.ISSUED:
            raise ConflictError(_("این بیمه‌نامه پیش‌تر صادر شده است."), code="already_issued")
        blockers = selectors.issue_blockers(policy)
        if blockers:
            raise ConflictError(" ".join(blockers), code="issue_blocked")
        policy.status = Policy.Status.ISSUED
        policy.issued_at = timezone.now()
        terms = _issued_terms(
            sum_insured=policy.sum_insured, premium=policy.premium, ends_on=policy.ends_on, customer=policy.customer
        )
        for name, value in terms.items():
            setattr(policy, name, value)
        policy.save(update_fields=["status", "issued_at", *terms, "updated_at"])
        audit_record(actor=user, action="policy.issue", target=policy)
        notify(
            policy.customer,
            _("بیمه‌نامه شماره %(number)s صادر شد.") % {"number": policy.number},
            url=_policy_url(policy),
            sms=True,
        )
    return policy


def policy_bank_letter_attach(*, user, policy: Policy, document: CleanUpload) -> Policy:
    """The bank's letter for mortgaged property (نامه بانک), a private upload [001]; replaces
    the previous one. Without it a mortgaged policy is not issued."""
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        policy.bank_letter.save(document.content.name, document.content, save=False)
        policy.bank_letter_content_type = document.content_type
        fields = ["bank_letter", "bank_letter_content_type", "updated_at"]
        if not policy.mortgaged:
            # A letter only exists for mortgaged property: attaching one states it.
            policy.mortgaged = True
            fields.append("mortgaged")
        policy.save(update_fields=fields)
        audit_record(actor=user, action="policy.bank_letter", target=policy, data={"size": document.size})
    return policy


def policy_authorise(*, user, policy: Policy, reference: str, note: str = "") -> Policy:
    """Staff record the supervision office's authorisation (مجوز صدور) of a special case [001].

    Only staff: the agent asks, the supervision office decides. The letter's number is kept.
    """
    if not (user.is_active and user.is_staff):
        raise ForbiddenError(_("مجوز اداره نظارت را فقط کارکنان بیمه مال ثبت می‌کنند."), code="staff_only")
    reference = (reference or "").strip()
    if not reference:
        raise ApplicationError(_("شماره نامه مجوز اداره نظارت را وارد کنید."), field="reference")
    with transaction.atomic():
        policy = _locked(policy)
        _require_open(policy)
        if not policy.authorisation_reasons:
            raise ConflictError(_("این بیمه‌نامه مورد خاصی ندارد که مجوز بخواهد."), code="no_authorisation_needed")
        if policy.authorised_at is not None:
            raise ConflictError(_("مجوز این بیمه‌نامه پیش‌تر ثبت شده است."), code="already_authorised")
        policy.authorised_at = timezone.now()
        policy.authorised_by = user
        policy.authorisation_reference = reference[:60]
        policy.save(update_fields=["authorised_at", "authorised_by", "authorisation_reference", "updated_at"])
        audit_record(
            actor=user,
            action="policy.authorise",
            target=policy,
            data={"reference": policy.authorisation_reference, "reasons": policy.authorisation_reasons, "note": note},
        )
        notify(
            policy.agent.user,
            _("مجوز اداره نظارت برای بیمه‌نامه %(number)s ثبت شد.") % {"number": policy.number},
            url=_policy_url(policy),
        )
    return policy
