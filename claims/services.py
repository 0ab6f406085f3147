"""Writes for claims: filing, documents, and one function per transition of the flow

    filed → documents_complete → assessed → approved → payment_ordered → paid
    assessed → disputed → assessed (the three-expert panel's figure)
    (any open state) → rejected

Steps beside the flow: a whole-car theft's title transfer and a found car (before or after
payment, then its sale), the vehicle check after a paid body claim, the notarised
declaration, a staged claim, and voiding the policy for fraudulent over-insurance.

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

from accounts.notifications import notify
from claims import conf, rules, selectors
from claims.models import Claim, ClaimDocument
from claims.payout import estimate_payout
from core.exceptions import ApplicationError, ConflictError, ForbiddenError
from core.jalali import format_jalali
from core.services import audit_record
from core.text import LIST_SEPARATOR, group_thousands, to_persian_digits
from core.uploads import CleanUpload
from policies.models import Policy
from policies.selectors import (
    covers_in_force,
    normalized_address,
    policy_covers_day,
    policy_for_user,
    policy_role,
)
from policies.services import endorsement_claim_use, policy_void_by_insurer


def _locked(claim: Claim) -> Claim:
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("policy", "policy__line", "policy__agent", "policy__agent__user", "customer")
        .get(pk=claim.pk)
    )


def _claim_url(claim: Claim) -> str:
    return reverse("claims:detail", args=[claim.pk])


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
    theft_reported_on: dt.date | None = None,
    discharged_on: dt.date | None = None,
    loss_address: str = "",
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
    refused = rules.refused_cause_message(line, cause)
    if refused:
        raise ApplicationError(refused, field="cause", code="cause_not_covered")
    if line == rules.ELECTRONICS and policy.cancellation_reason == rules.DEVICE_REPLACED_REASON:
        # [003] the whole device was replaced on a claim: its policy ended with that payment.
        raise ApplicationError(
            _(
                "دستگاه این بیمه‌نامه در پرداخت خسارت به‌طور کلی تعویض شده و بیمه‌نامه دستگاه معیوب باطل است؛ "
                "برای دستگاه جدید بیمه‌نامه جدید لازم است."
            ),
            field="policy",
            code="device_replaced",
        )
    if rules.cause_for(line, cause) is None:
        raise ApplicationError(_("علت حادثه برای این رشته نامعتبر است."), field="cause")
    if (
        line == rules.BODY
        and cause == rules.BODY_TRANSIT
        and rules.TRANSIT_COVER not in covers_in_force(policy, occurred_on)
    ):
        raise ApplicationError(
            _("خسارت خارج از کشور فقط با پوشش ترانزیت بیمه بدنه پرداخت می‌شود و این بیمه‌نامه آن را ندارد."),
            field="cause",
            code="no_transit_cover",
        )
    if (
        line == rules.BODY
        and cause in rules.BODY_COVER_FOR_CAUSE
        and rules.BODY_COVER_FOR_CAUSE[cause] not in covers_in_force(policy, occurred_on)
    ):
        raise ApplicationError(
            _(
                "«%(cause)s» از خطرهای فرعی بیمه بدنه است و فقط با خرید پوشش آن جبران می‌شود؛ "
                "این بیمه‌نامه در تاریخ حادثه آن را نداشت."
            )
            % {"cause": rules.cause_for(line, cause).label},
            field="cause",
            code="body_cover_missing",
        )
    if line == rules.FIRE and cause in rules.FIRE_PERILS and cause not in covers_in_force(policy, occurred_on):
        raise ApplicationError(
            _("خطر «%(peril)s» در تاریخ حادثه جزو پوشش‌های این بیمه‌نامه نبود؛ خطر اضافی فقط با پوشش خودش جبران می‌شود.")
            % {"peril": rules.cause_for(line, cause).label},
            field="cause",
            code="peril_not_covered",
        )
    today = timezone.localdate()
    if occurred_on > today:
        raise ApplicationError(_("تاریخ حادثه نمی‌تواند در آینده باشد."), field="occurred_on")
    if not policy_covers_day(policy, occurred_on):
        raise ApplicationError(
            _("بیمه‌نامه در تاریخ حادثه پوشش نداشت (پیش از شروع، پس از پایان، پیش از پرداخت قسط اول، یا پس از فسخ)."),
            field="occurred_on",
            code="not_covered",
        )
    if line == rules.FIRE and cause not in rules.FIRE_MAIN_CAUSES and not covers_in_force(policy, occurred_on):
        # An added cover works only from its new inspection [001] (policies.selectors.covers_in_force).
        raise ApplicationError(
            _("در تاریخ حادثه هیچ خطر اضافی در این بیمه‌نامه برقرار نبود (پوشش الحاقی پیش از بازدید مجدد برقرار نیست)."),
            field="cause",
            code="cover_not_in_force",
        )
    if estimated_loss < 0:
        raise ApplicationError(_("برآورد خسارت نمی‌تواند منفی باشد."), field="estimated_loss")
    if not description.strip():
        raise ApplicationError(_("شرح حادثه را بنویسید."), field="description")
    if cause == rules.VEHICLE_THEFT:
        if theft_reported_on is None:
            raise ApplicationError(
                _("برای سرقت کلی خودرو، تاریخ اعلام سرقت به پلیس را وارد کنید؛ مهلت ۶۰ روزه از آن روز شمرده می‌شود."),
                field="theft_reported_on",
            )
        if theft_reported_on < occurred_on or theft_reported_on > today:
            raise ApplicationError(
                _("تاریخ اعلام سرقت به پلیس باید میان تاریخ حادثه و امروز باشد."), field="theft_reported_on"
            )
    else:
        theft_reported_on = None
    lateness = rules.filing_lateness(line=line, cause=cause, occurred_on=occurred_on, filed_on=today)
    details = {}
    loss_address = (loss_address or "").strip()
    if line == rules.FIRE and loss_address:
        insured_site = selectors.address_on(policy, occurred_on)
        if insured_site and normalized_address(insured_site) != normalized_address(loss_address):
            # [004] an insurer not told of an address change owes nothing for a loss at the new site.
            raise ApplicationError(
                _(
                    "نشانی محل حادثه با نشانی بیمه‌شده در تاریخ حادثه («%(address)s») یکی نیست؛ "
                    "اگر بیمه‌گر از تغییر نشانی بی‌اطلاع باشد، متعهد به پرداخت خسارت نیست "
                    "(تغییر نشانی با الحاقیه به بیمه‌نامه منتقل می‌شود)."
                )
                % {"address": insured_site},
                field="loss_address",
                code="address_not_endorsed",
            )
        details["loss_address"] = loss_address[:300]
    if line == rules.TRAVEL and cause == rules.HOSPITALISATION and discharged_on is not None:
        if discharged_on < occurred_on or discharged_on > today:
            raise ApplicationError(_("تاریخ ترخیص باید میان تاریخ بستری و امروز باشد."), field="discharged_on")
        details["discharged_on"] = discharged_on.isoformat()
        details["filed_after_discharge"] = rules.filed_after_discharge(
            line=line, cause=cause, discharged_on=discharged_on, filed_on=today
        )
    with transaction.atomic():
        locked = Policy.objects.select_for_update(of=("self",)).get(pk=policy.pk)
        if line == rules.BODY:
            unchecked = selectors.claim_awaiting_vehicle_check(locked)
            if unchecked is not None:
                # [004] the check after every paid body claim keeps the policy valid: until it is
                # recorded, the policy takes no new claim.
                raise ApplicationError(
                    _(
                        "بازدید سلامت خودرو پس از هر بار دریافت خسارت بدنه الزامی است؛ "
                        "تا بازدید پس از پرونده %(n)s ثبت نشود، خسارت تازه‌ای روی این بیمه‌نامه اعلام نمی‌شود."
                    )
                    % {"n": _number(unchecked)},
                    field="policy",
                    code="vehicle_check_missing",
                )
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
            late=lateness.late or bool(details.get("filed_after_discharge")),
            deadline_days=lateness.deadline_days,
            late_by_days=lateness.late_by_days,
            theft_reported_on=theft_reported_on,
            details=details,
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
        notify(claim.customer, text, url=_claim_url(claim), sms=True)
        notify(
            policy.agent.user,
            _("بیمه‌گذار بیمه‌نامه %(number)s خسارت اعلام کرد.") % {"number": policy.number},
            url=_claim_url(claim),
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
                _("این مدارک هنوز نرسیده است: %(docs)s")
                % {"docs": LIST_SEPARATOR.join(str(doc.label) for doc in missing)},
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
        notify(
            claim.customer,
            _("مدارک پرونده خسارت %(n)s کامل است. مهلت پرداخت: %(day)s.")
            % {"n": _number(claim), "day": format_jalali(claim.payment_due_on)},
            url=_claim_url(claim),
            sms=True,
        )
    return claim


def _check_assessment_figures(
    *, line: str, assessed_loss: int, salvage: int, depreciation: int, actual_value, accessories_loss: int,
    driver_violation: str, mitigation_cost: int = 0, insured_fault_percent: int = 0, debris_removal_cost: int = 0,
    covers: frozenset = frozenset(), cause: str = "", occurred_on: dt.date | None = None, diyeh: int = 0,
    died_on: dt.date | None = None, settlement: str = "",
) -> None:  # fmt: skip
    if driver_violation and cause == rules.DRIVER_ACCIDENT:
        raise ApplicationError(
            _("خسارت حوادث راننده به خود راننده مقصر پرداخت می‌شود و بازیافتی از او ندارد."), field="driver_violation"
        )
    if settlement:
        if line != rules.ELECTRONICS:
            raise ApplicationError(
                _("نحوه جبران (تعمیر، تعویض یا پرداخت نقدی) در بیمه تجهیزات الکترونیک ثبت می‌شود."), field="settlement"
            )
        if settlement not in rules.SETTLEMENTS:
            raise ApplicationError(_("نحوه جبران نامعتبر است."), field="settlement")
    if diyeh or died_on:
        if line != rules.THIRD_PARTY or cause not in ("bodily", rules.DRIVER_ACCIDENT):
            raise ApplicationError(_("دیه فوت در خسارت بدنی شخص ثالث ثبت می‌شود."), field="diyeh")
        if diyeh < 0 or diyeh > assessed_loss:
            raise ApplicationError(_("دیه بخشی از خسارت ارزیابی‌شده است و از آن بیشتر نیست."), field="diyeh")
        if died_on is None:
            raise ApplicationError(_("تاریخ فوت را وارد کنید."), field="died_on")
        if (occurred_on and died_on < occurred_on) or died_on > timezone.localdate():
            raise ApplicationError(_("تاریخ فوت باید میان تاریخ حادثه و امروز باشد."), field="died_on")
    if debris_removal_cost < 0:
        raise ApplicationError(_("مبالغ ارزیابی نمی‌توانند منفی باشند."), field="debris_removal_cost")
    if debris_removal_cost and (line != rules.FIRE or rules.DEBRIS_REMOVAL_COVER not in covers):
        raise ApplicationError(
            _("هزینه پاکسازی و برداشت ضایعات فقط با خرید پوشش آن در بیمه آتش‌سوزی پرداخت می‌شود."),
            field="debris_removal_cost",
        )
    if mitigation_cost < 0:
        raise ApplicationError(_("مبالغ ارزیابی نمی‌توانند منفی باشند."), field="mitigation_cost")
    if mitigation_cost and line != rules.FIRE:
        raise ApplicationError(
            _("هزینه جلوگیری از توسعه خسارت (ماده ۱۱) در بیمه آتش‌سوزی جبران می‌شود."), field="mitigation_cost"
        )
    if not 0 <= insured_fault_percent <= 100:
        raise ApplicationError(_("سهم تقصیر بیمه‌گذار درصدی از ۰ تا ۱۰۰ است."), field="insured_fault_percent")
    if insured_fault_percent and line != rules.FIRE:
        raise ApplicationError(
            _("کاهش خسارت به نسبت تقصیر بیمه‌گذار (ماده ۲۷) در بیمه آتش‌سوزی است."), field="insured_fault_percent"
        )
    if (
        assessed_loss < 0
        or salvage < 0
        or depreciation < 0
        or accessories_loss < 0
        or (actual_value is not None and actual_value < 0)
    ):
        raise ApplicationError(_("مبالغ ارزیابی نمی‌توانند منفی باشند."), field="assessed_loss")
    if accessories_loss:
        if line != rules.ELECTRONICS:
            raise ApplicationError(_("کسر لوازم جانبی فقط در بیمه تجهیزات الکترونیک است."), field="accessories_loss")
        if accessories_loss > assessed_loss:
            raise ApplicationError(
                _("سهم لوازم جانبی نمی‌تواند از کل خسارت ارزیابی‌شده بیشتر باشد."), field="accessories_loss"
            )
    if driver_violation:
        if line != rules.THIRD_PARTY:
            raise ApplicationError(
                _("بازیافت از راننده مقصر متخلف فقط در خسارت شخص ثالث است."), field="driver_violation"
            )
        if not rules.driver_fault_label(driver_violation):
            raise ApplicationError(_("این تخلف در فهرست تخلفات حادثه‌ساز نیست."), field="driver_violation")


def _assessment_apply(
    claim: Claim,
    *,
    assessed_loss: int,
    actual_value: int | None,
    salvage: int,
    depreciation: int,
    young_or_new_driver: bool,
    invoice_value: int | None,
    accessories_loss: int,
    driver_violation: str,
    mitigation_cost: int = 0,
    insured_fault_percent: int = 0,
    debris_removal_cost: int = 0,
    diyeh: int = 0,
    died_on: dt.date | None = None,
    haram_months: bool | None = None,
    settlement: str = "",
) -> None:
    """Runs the estimator on the figures and writes the result on the claim (not saved).

    A death's diyeh gets its third in the sacred months, by the Hijri calendar of the accident
    and death days unless the assessor states otherwise (`haram_months`) [004]."""
    if diyeh and died_on is not None and haram_months is None:
        haram_months = rules.in_haram_months(occurred_on=claim.occurred_on, died_on=died_on)
    increase = rules.haram_month_increase(diyeh) if diyeh and haram_months else 0
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
        accessories_loss=accessories_loss,
        mitigation_cost=mitigation_cost,
        insured_fault_percent=insured_fault_percent,
        debris_removal_cost=debris_removal_cost,
        haram_month_increase=increase,
        exclude_claim=claim,
    )
    estimate = estimate_payout(inputs)
    claim.assessed_loss = assessed_loss
    claim.assessment = {
        "actual_value": inputs.actual_value,
        "salvage": salvage,
        "depreciation": depreciation,
        "young_or_new_driver": young_or_new_driver,
        "invoice_value": invoice_value,
        "accessories_loss": accessories_loss,
        "mitigation_cost": mitigation_cost,
        "insured_fault_percent": insured_fault_percent,
        "debris_removal_cost": debris_removal_cost,
        "diyeh": diyeh,
        "died_on": died_on.isoformat() if died_on else None,
        "haram_months": bool(haram_months) if diyeh else None,
        "previous_claims": inputs.previous_claims,
        "premium_due": inputs.premium_due,
        "premium_paid": inputs.premium_paid,
        "loss_kind": rules.body_loss_kind(
            line=inputs.line, cause=claim.cause, repair_cost=assessed_loss, sum_insured=inputs.sum_insured
        ),
        "deductible_percent": estimate.as_dict()["deductible_percent"],
        "settlement": settlement,
    }
    claim.payout = estimate.payout
    claim.payout_breakdown = estimate.as_dict()["breakdown"]
    claim.authority_level = selectors.authority_level_for(estimate.payout)
    claim.driver_violation = driver_violation
    claim.driver_recovery = (
        rules.driver_recovery(cause=claim.cause, paid=estimate.payout, violation=driver_violation)
        if driver_violation
        else None
    )


_ASSESSMENT_FIELDS = [
    "assessed_loss",
    "assessment",
    "payout",
    "payout_breakdown",
    "authority_level",
    "driver_violation",
    "driver_recovery",
]


def _require_police_report_above_threshold(claim: Claim, assessed_loss: int) -> None:
    """The documents were completed without a police report because the estimate was under the
    year's threshold [003]; an assessment at or above it needs the report after all."""
    if claim.policy.line.code != rules.THIRD_PARTY or claim.cause != "property":
        return
    if selectors.police_report_waived(claim, loss=assessed_loss):
        return
    if not claim.documents.filter(kind="police_report").exists():
        threshold = selectors.police_report_threshold(claim.occurred_on) or 0
        raise ApplicationError(
            _(
                "خسارت ارزیابی‌شده از سقف خسارت بدون کروکی (%(limit)s تومان) کمتر نیست؛ "
                "گزارش پلیس یا کروکی لازم است و هنوز بارگذاری نشده است."
            )
            % {"limit": _toman(threshold)},
            field="assessed_loss",
            code="police_report_needed",
        )


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
    accessories_loss: int = 0,
    driver_violation: str = "",
    mitigation_cost: int = 0,
    insured_fault_percent: int = 0,
    debris_removal_cost: int = 0,
    diyeh: int = 0,
    died_on: dt.date | None = None,
    haram_months: bool | None = None,
    settlement: str = "",
    note: str = "",
) -> Claim:
    """The assessor's figures; the payout is computed by the estimator and stored with its breakdown.

    A body loss is total or partial by the assessed repair cost (over 75% of the sum insured
    is total) [004]; electronics accessories are taken out of the loss [003]; a third-party
    driver at fault by a listed violation owes the insurer 1% / 2% of the paid loss [004].
    """
    _require_staff(user)
    with transaction.atomic():
        claim = _locked(claim)
        _require_status(claim, Claim.Status.DOCUMENTS_COMPLETE)
        _check_assessment_figures(
            line=claim.policy.line.code,
            assessed_loss=assessed_loss,
            salvage=salvage,
            depreciation=depreciation,
            actual_value=actual_value,
            accessories_loss=accessories_loss,
            driver_violation=driver_violation,
            mitigation_cost=mitigation_cost,
            insured_fault_percent=insured_fault_percent,
            debris_removal_cost=debris_removal_cost,
            covers=covers_in_force(claim.policy, claim.occurred_on),
            cause=claim.cause,
            occurred_on=claim.occurred_on,
            diyeh=diyeh,
            died_on=died_on,
            settlement=settlement,
        )
        _require_police_report_above_threshold(claim, assessed_loss)
        _assessment_apply(
            claim,
            assessed_loss=assessed_loss,
            actual_value=actual_value,
            salvage=salvage,
            depreciation=depreciation,
            young_or_new_driver=young_or_new_driver,
            invoice_value=invoice_value,
            accessories_loss=accessories_loss,
            driver_violation=driver_violation,
            mitigation_cost=mitigation_cost,
            insured_fault_percent=insured_fault_percent,
            debris_removal_cost=debris_removal_cost,
            diyeh=diyeh,
            died_on=died_on,
            haram_months=haram_months,
            settlement=settlement,
        )
        claim.status = Claim.Status.ASSESSED
        claim.assessed_at = timezone.now()
        claim.assessment_note = note
        claim.save(update_fields=["status", "assessed_at", "assessment_note", "updated_at", *_ASSESSMENT_FIELDS])
        audit_record(
            actor=user,
            action="claim.assess",
            target=claim,
            data={"assessed_loss": assessed_loss, "payout": claim.payout, "level": claim.authority_level},
        )
        notify(
            claim.customer,
            _("خسارت پرونده %(n)s ارزیابی شد؛ مبلغ قابل پرداخت: %(amount)s تومان.")
            % {"n": _number(claim), "amount": _toman(claim.payout or 0)},
            url=_claim_url(claim),
            sms=True,
        )
    return claim


def claim_dispute(*, user, claim: Claim, reason: str) -> Claim:
    """The insured disputes the assessment: the claim waits for the three-expert panel
    (Art. 24(3) of the fire general conditions) [001][004]; nothing is approved meanwhile."""
    if not reason.strip():
        raise ApplicationError(_("دلیل اعتراض به ارزیابی را بنویسید."), field="reason")
    with transaction.atomic():
        claim = _locked(claim)
        if selectors.claim_role(user, claim) != selectors.CUSTOMER:
            raise ForbiddenError(_("به ارزیابی خسارت، بیمه‌گذار اعتراض می‌کند."), code="customer_only")
        _require_status(claim, Claim.Status.ASSESSED)
        claim.status = Claim.Status.DISPUTED
        claim.disputed_at = timezone.now()
        claim.dispute_reason = reason.strip()
        claim.save(update_fields=["status", "disputed_at", "dispute_reason", "updated_at"])
        audit_record(actor=user, action="claim.dispute", target=claim, data={"reason": reason.strip()})
        notify(
            claim.policy.agent.user,
            _("بیمه‌گذار به ارزیابی پرونده خسارت %(n)s اعتراض کرد.") % {"n": _number(claim)},
            url=_claim_url(claim),
        )
    return claim


def claim_panel_decide(
    *,
    user,
    claim: Claim,
    insurer_expert: str,
    insured_expert: str,
    third_expert: str,
    assessed_loss: int,
    note: str = "",
) -> Claim:
    """The three-expert panel's figure replaces the assessor's; the other assessment inputs
    stay, the payout is recomputed, and the claim goes back to approval [001][004]."""
    _require_staff(user)
    experts = {"insurer_expert": insurer_expert, "insured_expert": insured_expert, "third_expert": third_expert}
    for field, name in experts.items():
        if not name.strip():
            raise ApplicationError(
                _("هیئت کارشناسی سه نفر است: کارشناس بیمه‌گر، کارشناس بیمه‌گذار و کارشناس سومی که آن دو برمی‌گزینند."),
                field=field,
            )
    if len({name.strip() for name in experts.values()}) < 3:
        raise ApplicationError(_("سه کارشناس هیئت باید سه نفر متفاوت باشند."), field="third_expert")
    with transaction.atomic():
        claim = _locked(claim)
        _require_status(claim, Claim.Status.DISPUTED)
        previous = dict(claim.assessment)
        _check_assessment_figures(
            line=claim.policy.line.code,
            assessed_loss=assessed_loss,
            salvage=previous.get("salvage", 0),
            depreciation=previous.get("depreciation", 0),
            actual_value=previous.get("actual_value"),
            accessories_loss=min(previous.get("accessories_loss", 0), max(assessed_loss, 0)),
            driver_violation=claim.driver_violation,
        )
        assessor_loss = claim.assessed_loss
        _assessment_apply(
            claim,
            assessed_loss=assessed_loss,
            actual_value=previous.get("actual_value"),
            salvage=previous.get("salvage", 0),
            depreciation=previous.get("depreciation", 0),
            young_or_new_driver=previous.get("young_or_new_driver", False),
            invoice_value=previous.get("invoice_value"),
            accessories_loss=min(previous.get("accessories_loss", 0), assessed_loss),
            driver_violation=claim.driver_violation,
            mitigation_cost=previous.get("mitigation_cost", 0),
            insured_fault_percent=previous.get("insured_fault_percent", 0),
            debris_removal_cost=previous.get("debris_removal_cost", 0),
            diyeh=min(previous.get("diyeh") or 0, assessed_loss),
            died_on=dt.date.fromisoformat(previous["died_on"]) if previous.get("died_on") else None,
            haram_months=previous.get("haram_months"),
            settlement=previous.get("settlement") or "",
        )
        claim.status = Claim.Status.ASSESSED
        claim.panel_decided_at = timezone.now()
        claim.panel = {
            **{field: name.strip() for field, name in experts.items()},
            "assessor_loss": assessor_loss,
            "panel_loss": assessed_loss,
            "note": note.strip(),
        }
        claim.save(update_fields=["status", "panel_decided_at", "panel", "updated_at", *_ASSESSMENT_FIELDS])
        audit_record(actor=user, action="claim.panel_decide", target=claim, data=claim.panel)
        notify(
            claim.customer,
            _("هیئت کارشناسی سه‌نفره درباره پرونده %(n)s رأی داد؛ مبلغ قابل پرداخت: %(amount)s تومان.")
            % {"n": _number(claim), "amount": _toman(claim.payout or 0)},
            url=_claim_url(claim),
            sms=True,
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
        if claim.cause == rules.VEHICLE_THEFT:
            problem = rules.vehicle_theft_problem(
                reported_on=claim.theft_reported_on,
                found_on=claim.vehicle_found_on,
                title_transferred_on=claim.title_transferred_on,
                today=timezone.localdate(),
            )
            if problem:
                field, message = problem
                raise ApplicationError(message, field=field, code="vehicle_theft_not_settled")
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
        notify(
            claim.customer,
            _("پرداخت خسارت پرونده %(n)s تأیید شد. برای دریافت، تعهدنامه را در بیمه مال بپذیرید.")
            % {"n": _number(claim)},
            url=_claim_url(claim),
            sms=True,
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
        notify(
            claim.customer,
            _("حواله پرداخت خسارت پرونده %(n)s صادر شد.") % {"n": _number(claim)},
            url=_claim_url(claim),
            sms=True,
        )
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
        declaration = claim.details.get("declaration") or {}
        if declaration.get("required") and not declaration.get("recorded_on"):
            raise ConflictError(
                _("اقرارنامه محضری بیمه‌گذار هنوز ثبت نشده است؛ پیش از آن پرداخت ممکن نیست."),
                code="declaration_missing",
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
        if claim.policy.line.code == rules.THIRD_PARTY:
            # [003] the paid loss is written on the policy: its no-claim years are lost.
            endorsement_claim_use(user=user, policy=claim.policy, claim_number=claim.pk, on=timezone.localdate())
        settlement = claim.assessment.get("settlement")
        if claim.policy.line.code == rules.ELECTRONICS and settlement == rules.DEVICE_REPLACEMENT:
            # [003] replacing the whole device voids the defective device's policy: it ends with
            # this payment, nothing refunded; the new device needs a policy of its own.
            policy_void_by_insurer(
                user=user,
                policy=claim.policy,
                reason_code=rules.DEVICE_REPLACED_REASON,
                reason=str(_("تعویض کلی دستگاه در پرونده خسارت %(n)s") % {"n": _number(claim)}),
                effective_on=timezone.localdate(),
            )
        notify(
            claim.customer,
            _("خسارت پرونده %(n)s به مبلغ %(amount)s تومان پرداخت شد.")
            % {"n": _number(claim), "amount": _toman(claim.paid_amount or 0)},
            url=_claim_url(claim),
            sms=True,
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
        notify(
            claim.customer,
            _("پرونده خسارت %(n)s رد شد. دلیل: %(reason)s") % {"n": _number(claim), "reason": reason.strip()},
            url=_claim_url(claim),
            sms=True,
        )
    return claim


# --- whole-car theft, the vehicle check, fraud (staff) -------------------------------------


def _require_vehicle_theft(claim: Claim) -> None:
    if claim.cause != rules.VEHICLE_THEFT:
        raise ConflictError(_("این مرحله فقط برای سرقت کلی خودرو است."), code="not_vehicle_theft")


def claim_title_transfer_record(*, user, claim: Claim, on: dt.date) -> Claim:
    """The stolen car's title passed to the insurer: the condition of paying a whole theft [004]."""
    _require_staff(user)
    if on > timezone.localdate():
        raise ApplicationError(_("تاریخ انتقال سند نمی‌تواند در آینده باشد."), field="on")
    with transaction.atomic():
        claim = _locked(claim)
        _require_vehicle_theft(claim)
        if claim.is_closed:
            raise ConflictError(_("این پرونده بسته شده است."), code="claim_closed")
        if on < claim.occurred_on:
            raise ApplicationError(_("تاریخ انتقال سند نمی‌تواند پیش از سرقت باشد."), field="on")
        claim.title_transferred_on = on
        claim.save(update_fields=["title_transferred_on", "updated_at"])
        audit_record(actor=user, action="claim.title_transfer", target=claim, data={"on": on.isoformat()})
    return claim


def claim_vehicle_found(*, user, claim: Claim, found_on: dt.date) -> Claim:
    """The stolen car was found. Before payment it is the insured's and the whole theft is not
    paid; after payment it belongs to the insurer, which sells it and returns the insured's
    deductible share (see claim_vehicle_sold) [004]."""
    _require_staff(user)
    if found_on > timezone.localdate():
        raise ApplicationError(_("تاریخ پیدا شدن خودرو نمی‌تواند در آینده باشد."), field="found_on")
    with transaction.atomic():
        claim = _locked(claim)
        _require_vehicle_theft(claim)
        if claim.status == Claim.Status.REJECTED:
            raise ConflictError(_("این پرونده بسته شده است."), code="claim_closed")
        if claim.vehicle_found_on is not None:
            raise ConflictError(_("پیدا شدن خودرو پیش‌تر ثبت شده است."), code="already_found")
        if found_on < claim.occurred_on:
            raise ApplicationError(_("خودرو پیش از سرقت پیدا نمی‌شود."), field="found_on")
        claim.vehicle_found_on = found_on
        claim.save(update_fields=["vehicle_found_on", "updated_at"])
        audit_record(
            actor=user,
            action="claim.vehicle_found",
            target=claim,
            data={"on": found_on.isoformat(), "after_payment": claim.status == Claim.Status.PAID},
        )
        if claim.status == Claim.Status.PAID:
            text = _(
                "خودروی پرونده %(n)s پیدا شد. چون خسارت پرداخت شده، خودرو متعلق به بیمه‌گر است؛ "
                "پس از فروش آن، سهم فرانشیز شما برگردانده می‌شود."
            )
        else:
            text = _("خودروی پرونده %(n)s پیدا شد؛ خسارت سرقت کلی پرداخت نمی‌شود.")
        notify(claim.customer, text % {"n": _number(claim)}, url=_claim_url(claim), sms=True)
    return claim


def claim_vehicle_sold(*, user, claim: Claim, sale_price: int) -> Claim:
    """The insurer sold the car found after payment; the insured gets back the share of its
    value that the deductible had left to them [004]."""
    _require_staff(user)
    if sale_price <= 0:
        raise ApplicationError(_("بهای فروش خودرو را وارد کنید."), field="sale_price")
    with transaction.atomic():
        claim = _locked(claim)
        _require_vehicle_theft(claim)
        if claim.status != Claim.Status.PAID or claim.vehicle_found_on is None:
            raise ConflictError(
                _("فروش خودرو فقط پس از پرداخت خسارت و ثبت پیدا شدن خودرو ثبت می‌شود."), code="bad_transition"
            )
        if claim.vehicle_sale_price is not None:
            raise ConflictError(_("فروش خودرو پیش‌تر ثبت شده است."), code="already_sold")
        percent = rules.theft_deductible_percent(claim.assessment)
        claim.vehicle_sale_price = sale_price
        claim.deductible_refund = sale_price * percent // 100
        claim.save(update_fields=["vehicle_sale_price", "deductible_refund", "updated_at"])
        audit_record(
            actor=user,
            action="claim.vehicle_sold",
            target=claim,
            data={"sale_price": sale_price, "percent": percent, "refund": claim.deductible_refund},
        )
        notify(
            claim.customer,
            _("خودروی پیداشده پرونده %(n)s فروخته شد؛ سهم فرانشیز شما: %(amount)s تومان.")
            % {"n": _number(claim), "amount": _toman(claim.deductible_refund)},
            url=_claim_url(claim),
            sms=True,
        )
    return claim


def claim_vehicle_check_record(*, user, claim: Claim, on: dt.date) -> Claim:
    """The vehicle check (بازدید سلامت) after a paid body claim; it reopens the policy to new
    claims [004]."""
    _require_staff(user)
    if on > timezone.localdate():
        raise ApplicationError(_("تاریخ بازدید نمی‌تواند در آینده باشد."), field="on")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.policy.line.code != rules.BODY or claim.cause == rules.VEHICLE_THEFT:
            raise ConflictError(_("بازدید سلامت پس از خسارت بدنه (جز سرقت کلی) ثبت می‌شود."), code="no_check")
        if claim.status != Claim.Status.PAID:
            raise ConflictError(_("بازدید سلامت پس از پرداخت خسارت ثبت می‌شود."), code="bad_transition")
        if on < claim.occurred_on:
            raise ApplicationError(_("بازدید نمی‌تواند پیش از حادثه باشد."), field="on")
        claim.vehicle_checked_on = on
        claim.save(update_fields=["vehicle_checked_on", "updated_at"])
        audit_record(actor=user, action="claim.vehicle_check", target=claim, data={"on": on.isoformat()})
    return claim


def claim_void_for_fraud(*, user, claim: Claim, reason: str) -> Claim:
    """Fraudulent over-insurance proved: the policy is void, the premiums received are kept,
    and nothing is paid, on this claim or any other open one on the policy [004]."""
    from policies.services import policy_void_for_fraud

    _require_staff(user)
    if not reason.strip():
        raise ApplicationError(_("دلیل اثبات تقلب (بیمه بیش از ارزش واقعی به عمد) را بنویسید."), field="reason")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.is_closed:
            raise ConflictError(_("این پرونده بسته شده است."), code="claim_closed")
        policy_void_for_fraud(user=user, policy=claim.policy, reason=reason.strip())
        text = str(_("بیمه‌نامه به دلیل بیمه کردن عمدی و متقلبانه بیش از ارزش واقعی باطل شد؛ خسارتی پرداخت نمی‌شود."))
        now = timezone.now()
        open_claims = (
            Claim.objects.select_for_update()
            .filter(policy_id=claim.policy_id)
            .exclude(status__in=[Claim.Status.PAID, Claim.Status.REJECTED])
        )
        for each in open_claims:
            each.status = Claim.Status.REJECTED
            each.rejected_at = now
            each.rejection_reason = f"{text} {reason.strip()}"
            each.payout = 0
            each.save(update_fields=["status", "rejected_at", "rejection_reason", "payout", "updated_at"])
            audit_record(actor=user, action="claim.void_for_fraud", target=each, data={"reason": reason.strip()})
        claim.refresh_from_db()
        notify(claim.customer, text, url=_claim_url(claim), sms=True)
    return claim


# --- the notarised declaration (اقرارنامه) [001] ---------------------------------------------


def claim_declaration_require(*, user, claim: Claim, reason: str) -> Claim:
    """Staff ask for the insured's notarised declaration besides the undertaking, where the
    insured has (or may have) a criminal record [001]; the claim is not paid until it is on file."""
    _require_staff(user)
    if not reason.strip():
        raise ApplicationError(_("دلیل درخواست اقرارنامه را بنویسید."), field="reason")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.is_closed:
            raise ConflictError(_("این پرونده بسته شده است."), code="claim_closed")
        claim.details = {
            **claim.details,
            "declaration": {"required": True, "reason": reason.strip(), "recorded_on": None, "reference": ""},
        }
        claim.save(update_fields=["details", "updated_at"])
        audit_record(actor=user, action="claim.declaration_require", target=claim, data={"reason": reason.strip()})
        notify(
            claim.customer,
            _("برای پرداخت خسارت پرونده %(n)s، علاوه بر تعهدنامه، اقرارنامه‌ای در دفترخانه تنظیم و ثبت کنید.")
            % {"n": _number(claim)},
            url=_claim_url(claim),
            sms=True,
        )
    return claim


def claim_declaration_record(*, user, claim: Claim, on: dt.date, reference: str) -> Claim:
    """The notarised declaration is on file (its notary registration number and date) [001]."""
    _require_staff(user)
    if not reference.strip():
        raise ApplicationError(_("شماره ثبت اقرارنامه در دفترخانه را وارد کنید."), field="reference")
    if on > timezone.localdate():
        raise ApplicationError(_("تاریخ اقرارنامه نمی‌تواند در آینده باشد."), field="on")
    with transaction.atomic():
        claim = _locked(claim)
        declaration = claim.details.get("declaration") or {}
        if not declaration.get("required"):
            raise ConflictError(_("برای این پرونده اقرارنامه خواسته نشده است."), code="declaration_not_required")
        if claim.is_closed:
            raise ConflictError(_("این پرونده بسته شده است."), code="claim_closed")
        claim.details = {
            **claim.details,
            "declaration": {**declaration, "recorded_on": on.isoformat(), "reference": reference.strip()},
        }
        claim.save(update_fields=["details", "updated_at"])
        audit_record(actor=user, action="claim.declaration_record", target=claim, data={"on": on.isoformat()})
    return claim


def claim_staged_record(*, user, claim: Claim, reason: str) -> Claim:
    """A paid third-party claim proved staged (صحنه‌سازی): whoever staged it owes the insurer
    twice what was received [003], recorded on the claim for recovery."""
    _require_staff(user)
    if not reason.strip():
        raise ApplicationError(_("دلیل اثبات صحنه‌سازی (رأی یا گزارش) را بنویسید."), field="reason")
    with transaction.atomic():
        claim = _locked(claim)
        if claim.policy.line.code != rules.THIRD_PARTY:
            raise ConflictError(_("این حکم برای خسارت بیمه شخص ثالث است."), code="not_third_party")
        if claim.status != Claim.Status.PAID:
            raise ConflictError(_("صحنه‌سازی برای خسارت پرداخت‌شده ثبت می‌شود."), code="bad_transition")
        if claim.details.get("staged"):
            raise ConflictError(_("صحنه‌سازی این پرونده پیش‌تر ثبت شده است."), code="already_recorded")
        due = rules.staged_claim_repayment(claim.paid_amount or 0)
        claim.details = {
            **claim.details,
            "staged": {"reason": reason.strip(), "recorded_at": timezone.now().isoformat(), "repayment_due": due},
        }
        claim.save(update_fields=["details", "updated_at"])
        audit_record(actor=user, action="claim.staged", target=claim, data={"repayment_due": due})
        notify(
            claim.customer,
            _("صحنه‌سازی در پرونده خسارت %(n)s ثابت شد؛ دو برابر مبلغ دریافتی، %(amount)s تومان، باید بازپرداخت شود.")
            % {"n": _number(claim), "amount": _toman(due)},
            url=_claim_url(claim),
            sms=True,
        )
    return claim


# --- exclusions: the assessor names why a loss is outside the cover [003][004] ------------------


def claim_exclusion_record(*, user, claim: Claim, exclusion: str, note: str = "") -> Claim:
    """The assessor finds the loss excluded (a body exclusion [004], an electronics event [003]):
    the claim is rejected with the exclusion named and nothing is paid. An electronics event that
    voids the policy annuls it as well (premiums kept, nothing refunded), and every other open
    claim on it is rejected with the same reason."""
    _require_staff(user)
    with transaction.atomic():
        claim = _locked(claim)
        _require_status(claim, Claim.Status.DOCUMENTS_COMPLETE, Claim.Status.ASSESSED, Claim.Status.DISPUTED)
        line = claim.policy.line.code
        found = rules.exclusion_for(line, exclusion)
        if found is None:
            raise ApplicationError(_("این استثنا برای این رشته در فهرست استثناها نیست."), field="exclusion")
        if found.unless_cover and found.unless_cover in covers_in_force(claim.policy, claim.occurred_on):
            raise ApplicationError(
                _("«%(exclusion)s» با پوشش خریداری‌شده این بیمه‌نامه در تاریخ حادثه جبران می‌شود و استثنا نیست.")
                % {"exclusion": found.label},
                field="exclusion",
            )
        if found.voids_policy:
            reason = str(_("ابطال بیمه‌نامه دستگاه: %(exclusion)s")) % {"exclusion": found.label}
        else:
            reason = str(_("خسارت مشمول استثنای بیمه‌نامه است: %(exclusion)s")) % {"exclusion": found.label}
        if note.strip():
            reason = f"{reason}. {note.strip()}"
        rejected = [claim]
        if found.voids_policy:
            policy_void_by_insurer(user=user, policy=claim.policy, reason_code=f"void_{found.code}", reason=reason)
            rejected += list(
                Claim.objects.select_for_update()
                .filter(policy_id=claim.policy_id)
                .exclude(pk=claim.pk)
                .exclude(status__in=[Claim.Status.PAID, Claim.Status.REJECTED])
            )
        now = timezone.now()
        for each in rejected:
            each.status = Claim.Status.REJECTED
            each.rejected_at = now
            each.rejection_reason = reason
            each.payout = 0
            each.details = {
                **each.details,
                "exclusion": {"code": found.code, "label": str(found.label), "voids_policy": found.voids_policy},
            }
            each.save(update_fields=["status", "rejected_at", "rejection_reason", "payout", "details", "updated_at"])
            audit_record(
                actor=user,
                action="claim.exclusion",
                target=each,
                data={"exclusion": found.code, "voids_policy": found.voids_policy, "note": note.strip()},
            )
            notify(
                each.customer,
                _("پرونده خسارت %(n)s رد شد. دلیل: %(reason)s") % {"n": _number(each), "reason": reason},
                url=_claim_url(each),
                sms=True,
            )
    return claim
