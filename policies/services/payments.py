"""Paying an instalment."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, ConflictError
from core.services import audit_record
from policies.models import (
    Installment,
    Policy,
)
from policies.services.common import _locked, _require_open, require_issuer_or_staff

# --- payments ------------------------------------------------------------------------------


def installment_pay(
    *, user, policy: Policy, paid_on: dt.date, number: int | None = None, reference: str = ""
) -> Installment:
    """Record a payment received: the given instalment, or the next unpaid one.

    Paying the first instalment is what puts the cover in force [001]. Decided on the
    locked policy: the same instalment paid twice at once is recorded once (409
    `already_paid`), and a receipt or cheque number already recorded on this policy is
    a 409 `duplicate_reference`, so a double submit of "the next unpaid one" does not
    pay two instalments with one receipt.
    """
    reference = reference.strip()
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        queryset = Installment.objects.select_for_update().filter(policy=policy)
        if reference and queryset.filter(reference=reference, paid_at__isnull=False).exists():
            raise ConflictError(
                _("پرداختی با این شماره فیش/چک پیش‌تر برای این بیمه‌نامه ثبت شده است."),
                field="reference",
                code="duplicate_reference",
            )
        if number is None:
            installment = queryset.filter(paid_at__isnull=True).order_by("number").first()
            if installment is None:
                raise ConflictError(_("همه اقساط این بیمه‌نامه پرداخت شده است."), code="all_paid")
        else:
            installment = queryset.filter(number=number).first()
            if installment is None:
                raise ApplicationError(_("چنین قسطی در این بیمه‌نامه نیست."), field="number")
            if installment.paid_at is not None:
                raise ConflictError(_("این قسط پیش‌تر پرداخت شده است."), code="already_paid")
        if paid_on > timezone.localdate():
            raise ApplicationError(_("تاریخ پرداخت نمی‌تواند در آینده باشد."), field="paid_on")
        now = timezone.now()
        installment.paid_at = now
        installment.paid_on = paid_on
        installment.reference = reference
        installment.recorded_by = user
        installment.save(update_fields=["paid_at", "paid_on", "reference", "recorded_by"])
        if policy.first_paid_at is None and installment.number == 0:
            # The paid_on date, at the moment of recording if that is today: cover binds from then.
            stamp = now if paid_on == timezone.localdate() else _start_of(paid_on)
            Policy.objects.filter(pk=policy.pk).update(first_paid_at=stamp)
        audit_record(
            actor=user,
            action="policy.installment_pay",
            target=policy,
            data={"number": installment.number, "amount": installment.amount, "paid_on": paid_on.isoformat()},
        )
    return installment


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
