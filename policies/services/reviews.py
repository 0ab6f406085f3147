"""Capital reviews of a policy's sum insured."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.notifications import notify
from core.exceptions import ApplicationError, ConflictError, ForbiddenError
from core.services import audit_record
from policies import selectors
from policies.models import (
    CapitalReview,
    Policy,
)
from policies.services.common import _policy_url

# --- capital review ------------------------------------------------------------------------


def capital_review_mark(*, user, policy: Policy, level: str, note: str = "", defects: str = "") -> CapitalReview:
    """Staff review a policy on a capital review list, once per list [001].

    The lists are the fire issuing office's: a policy of another line is on none, and only an
    issued policy is reviewed. Without `defects` the policy is approved and filed. With them
    the issuing agent is told, and the review waits: "the issuing office applies the
    corrections by an endorsement" — marking the same list again approves it only once an
    endorsement was issued after the defects were recorded.
    """
    if not (user.is_active and user.is_staff):
        raise ForbiddenError(_("بررسی سرمایه را کارکنان اداره نظارت ثبت می‌کنند."), code="staff_only")
    if level not in selectors.policy_capital_review_levels(policy):
        raise ApplicationError(_("سرمایه این بیمه‌نامه در این فهرست بررسی نیست."), field="level")
    if policy.issued_at is None:
        raise ConflictError(_("بیمه‌نامه هنوز صادر نشده است؛ بررسی سرمایه پس از صدور است."), code="not_issued")
    defects = (defects or "").strip()
    now = timezone.now()
    try:
        with transaction.atomic():
            review = CapitalReview.objects.select_for_update().filter(policy=policy, level=level).first()
            if review is None:
                review = CapitalReview.objects.create(
                    policy=policy,
                    level=level,
                    reviewed_by=user,
                    note=note,
                    outcome=CapitalReview.Outcome.DEFECTS if defects else CapitalReview.Outcome.APPROVED,
                    defects=defects,
                    approved_at=None if defects else now,
                )
                if defects:
                    notify(
                        policy.agent.user,
                        _("ایرادات اداره نظارت بر بیمه‌نامه %(number)s: %(defects)s — با صدور الحاقی اصلاح کنید.")
                        % {"number": policy.number, "defects": defects},
                        url=_policy_url(policy),
                    )
            elif review.outcome == CapitalReview.Outcome.APPROVED:
                raise ConflictError(_("این بیمه‌نامه در این فهرست پیش‌تر بررسی شده است."), code="already_reviewed")
            else:
                if defects:
                    raise ConflictError(
                        _("ایرادات پیشین این بیمه‌نامه هنوز باز است؛ پس از الحاقی اصلاحی بررسی را تأیید کنید."),
                        code="defects_open",
                    )
                correction = (
                    policy.endorsements.filter(issued_at__gt=review.reviewed_at).order_by("issued_at", "id").first()
                )
                if correction is None:
                    raise ConflictError(
                        _("ایرادات این بیمه‌نامه هنوز با صدور الحاقی اصلاح نشده است؛ پس از الحاقی اصلاحی تأیید کنید."),
                        code="defects_open",
                    )
                review.outcome = CapitalReview.Outcome.APPROVED
                review.corrected_by = correction
                review.approved_at = now
                review.save(update_fields=["outcome", "corrected_by", "approved_at"])
            audit_record(
                actor=user,
                action="policy.capital_review",
                target=policy,
                data={"level": level, "outcome": review.outcome, "defects": defects},
            )
    except IntegrityError:
        raise ConflictError(_("این بیمه‌نامه در این فهرست پیش‌تر بررسی شده است."), code="already_reviewed") from None
    return review
