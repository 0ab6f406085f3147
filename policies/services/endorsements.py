"""Endorsements (الحاقی): previews, issue, premium adjustments and the changes they apply."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.notifications import notify
from accounts.validation import normalize_mobile
from core.exceptions import ApplicationError, ConflictError
from core.jalali import format_jalali, solar_year
from core.services import audit_record
from core.text import LIST_SEPARATOR, to_persian_digits
from policies import issue_rules, relationships, rules, selectors
from policies.models import (
    Endorsement,
    Inspection,
    Installment,
    Policy,
)
from policies.services.common import (
    NEW_OWNER_NO_RELATIONSHIP,
    _locked,
    _policy_url,
    _require_open,
    _schedule,
    _tariff,
    require_issuer_or_staff,
)
from policies.services.recording import _lock_property
from pricing.core import limits

# --- endorsements --------------------------------------------------------------------------

CHANGE_KEYS = (
    "address",
    "sum_insured",
    "covers",
    "owner_mobile",
    "insured_name",
    "insured_items",
    "conditions",
    "vehicle",
    "postal_code",
    "unit",
)
# What a car change (`vehicle`) may carry; `owner` says whose name the new car is in.
VEHICLE_KEYS = ("build_year", "owner", "vin", "plate")


def _clean_changes(policy: Policy, changes: dict) -> dict:
    if not isinstance(changes, dict) or not changes:
        raise ApplicationError(_("دست‌کم یک تغییر را وارد کنید."), field="changes")
    unknown = set(changes) - set(CHANGE_KEYS)
    if unknown:
        raise ApplicationError(
            _("این تغییرها شناخته نیستند: %(keys)s") % {"keys": LIST_SEPARATOR.join(sorted(unknown))}, field="changes"
        )
    cleaned = dict(changes)
    if "sum_insured" in cleaned:
        try:
            cleaned["sum_insured"] = int(cleaned["sum_insured"])
        except (TypeError, ValueError):
            raise ApplicationError(_("سرمایه جدید باید عدد (ریال) باشد."), field="changes") from None
        if cleaned["sum_insured"] <= 0:
            raise ApplicationError(_("سرمایه جدید باید بیشتر از صفر باشد."), field="changes")
    if "covers" in cleaned:
        if not isinstance(cleaned["covers"], list):
            raise ApplicationError(_("پوشش‌ها باید فهرستی از کدها باشد."), field="changes")
        cleaned["covers"] = sorted({str(code) for code in cleaned["covers"]})
    if "owner_mobile" in cleaned:
        try:
            cleaned["owner_mobile"] = normalize_mobile(cleaned["owner_mobile"])
        except Exception:
            raise ApplicationError(_("شماره موبایل مالک جدید معتبر نیست."), field="changes") from None
        refused = limits.owner_transfer(policy.line.code)
        if refused:
            raise ApplicationError(refused, field="changes", code="owner_transfer_refused")
        # The new owner is a customer like any other (issue 13 point 1): only someone in a
        # relationship with the issuing agent, and one answer whether the number is
        # registered or not, so an owner change cannot probe who has an account.
        if relationships.customer_for_agent(agent=policy.agent, mobile=cleaned["owner_mobile"]) is None:
            raise ApplicationError(str(NEW_OWNER_NO_RELATIONSHIP), field="changes", code="no_relationship")
    if "vehicle" in cleaned:
        cleaned["vehicle"] = _clean_vehicle(policy, cleaned["vehicle"])
    _clean_site_identity(policy, cleaned)
    return cleaned


def _clean_site_identity(policy: Policy, cleaned: dict) -> None:
    """A fire policy that moves names the new site's postal code (and unit), when the policy
    was identified by one: the double-insurance rule follows the place insured [004]."""
    if {"postal_code", "unit"} & set(cleaned) and policy.line.code != rules.FIRE:
        raise ApplicationError(_("کد پستی و واحد فقط در تغییر نشانی بیمه‌نامه آتش‌سوزی است."), field="changes")
    if "address" in cleaned and policy.params.get("postal_code") and not cleaned.get("postal_code"):
        raise ApplicationError(
            _("بیمه‌نامه آتش‌سوزی با نشانی جدید به کد پستی محل جدید ثبت می‌شود؛ کد پستی ده‌رقمی محل جدید را وارد کنید."),
            field="changes",
            code="site_postal_code_missing",
        )
    if ("postal_code" in cleaned or "unit" in cleaned) and "address" not in cleaned:
        raise ApplicationError(_("کد پستی محل جدید همراه نشانی جدید تغییر می‌کند."), field="changes")
    for key in ("postal_code", "unit"):
        if key in cleaned:
            cleaned[key] = str(cleaned[key] or "").strip()
    problems = issue_rules.property_key_problems(policy.line.code, {"postal_code": cleaned.get("postal_code")})
    if problems:
        raise ApplicationError(next(iter(problems.values())), field="changes", code="bad_site_postal_code")


def _clean_vehicle(policy: Policy, vehicle) -> dict:
    """The policy moves to another car: body only, to a car of the insured or the spouse,
    and the new car is held to the same age limit as a new policy [004]."""
    if not isinstance(vehicle, dict) or set(vehicle) - set(VEHICLE_KEYS):
        raise ApplicationError(
            _("خودروی جدید را با سال ساخت، مالک (insured یا spouse)، شماره شاسی یا پلاک بفرستید."), field="changes"
        )
    owner = str(vehicle.get("owner") or "")
    refused = limits.car_transfer(policy.line.code, owner=owner)
    if refused:
        raise ApplicationError(refused, field="changes", code="car_transfer_refused")
    build_year = rules.build_year_of(vehicle)
    if build_year is None:
        raise ApplicationError(limits.build_year_missing_message(), field="changes", code="car_too_old")
    today = timezone.localdate()
    too_old = limits.car_age(
        policy.line.code,
        build_year=build_year,
        this_solar_year=solar_year(today),
        tariff=_tariff(today).line(rules.BODY),
    )
    if too_old:
        raise ApplicationError(too_old, field="changes", code="car_too_old")
    cleaned = {"owner": owner, "build_year": build_year}
    for key in ("vin", "plate"):
        if vehicle.get(key):
            cleaned[key] = str(vehicle[key]).strip()
    return cleaned


def _new_property_key(policy: Policy, changes: dict) -> str:
    """The identity of what the policy moves to: the car of a body policy (`changes.vehicle`),
    the new site of a fire policy (`changes.postal_code`); "" when it does not move."""
    params = _params_with_property(policy.params, changes)
    return issue_rules.property_key(policy.line.code, params) if params is not None else ""


def _params_with_property(params: dict, changes: dict) -> dict | None:
    if "vehicle" in changes:
        return _params_with_car(params, changes["vehicle"])
    if changes.get("postal_code"):
        site = {"postal_code": changes["postal_code"], "unit": changes.get("unit", "")}
        return {**params, **site}
    return None


def _params_with_car(params: dict, vehicle: dict) -> dict:
    """The params of a body policy moved to `vehicle`: the old car's chassis number and plate
    go with it (the new car is known by its own, or is not identified at all)."""
    kept = {key: value for key, value in params.items() if key not in ("vin", "plate")}
    car = {name: vehicle[name] for name in ("build_year", "vin", "plate") if name in vehicle}
    return {**kept, **car}


def _refuse_new_property_double_insurance(policy: Policy, changes: dict, *, effective_on: dt.date) -> None:
    """The car a body policy moves to, or the site a fire policy moves to, may not be insured
    already for the rest of the term: the same double-insurance rule as a new policy [004]."""
    if "vehicle" in changes:
        car = {name: changes["vehicle"][name] for name in ("vin", "plate") if name in changes["vehicle"]}
        problems = issue_rules.property_key_problems(policy.line.code, car)
        if problems:
            raise ApplicationError(next(iter(problems.values())), field="changes", code="bad_vehicle_identity")
    other = selectors.overlapping_insurance(
        line=policy.line.code,
        key=_new_property_key(policy, changes),
        starts_on=effective_on,
        ends_on=policy.ends_on,
        exclude_pk=policy.pk,
    )
    if other is not None:
        raise ApplicationError(
            issue_rules.double_insurance_message(number=other.number, insurer=other.insurer.name),
            field="changes",
            code="double_insurance",
        )


def endorsement_preview(
    *,
    policy: Policy,
    changes: dict,
    effective_on: dt.date | None = None,
    annual_premium_delta: int | None = None,
) -> dict:
    """The premium difference for the remaining period, shown before the agent confirms."""
    cleaned = _clean_changes(policy, changes)
    effective_on = effective_on or timezone.localdate()
    if not policy.starts_on <= effective_on <= policy.ends_on:
        raise ApplicationError(_("تاریخ اثر الحاقی باید در مدت بیمه‌نامه باشد."), field="effective_on")
    quote = rules.endorsement_premium_delta(
        premium=policy.premium,
        starts_on=policy.starts_on,
        ends_on=policy.ends_on,
        effective_on=effective_on,
        old_sum_insured=policy.sum_insured,
        new_sum_insured=cleaned.get("sum_insured"),
        annual_premium_delta=annual_premium_delta,
    )
    _address_change_inspections(policy, cleaned)  # refused before any figure is shown [004]
    _refuse_new_property_double_insurance(policy, cleaned, effective_on=effective_on)
    needs_inspection = "covers" in cleaned and rules.needs_reinspection(policy.covers, cleaned["covers"])
    # Shown before confirming: these covers work only from the new inspection [001].
    waiting_covers = (
        sorted((set(cleaned["covers"]) - set(policy.covers)) & rules.REINSPECTION_COVERS) if needs_inspection else []
    )
    return {
        "kind": quote.kind,
        "premium_delta": quote.premium_delta,
        "amount": abs(quote.premium_delta),
        "remaining_days": quote.remaining_days,
        "term_days": quote.term_days,
        "basis": quote.basis,
        "effective_on": effective_on,
        "needs_inspection": needs_inspection,
        "waiting_covers": waiting_covers,
        "changes": cleaned,
    }


def endorsement_issue(
    *,
    user,
    policy: Policy,
    kind: str,
    changes: dict,
    premium_delta: int | None = None,
    effective_on: dt.date | None = None,
    annual_premium_delta: int | None = None,
    description: str = "",
    payment_plan: str = Policy.PaymentPlan.CASH,
    installments: list[dict] | None = None,
    installments_count: int | None = None,
) -> Endorsement:
    """Issue an endorsement (الحاقی): additional, refund, or without financial effect [001].

    Without `premium_delta` the previewed difference is used. The sign must match the
    kind: an additional endorsement collects (and becomes an instalment due on its
    effective date), a refund pays back, and "no financial effect" moves no money.
    An additional premium may be paid part in cash and the rest in instalments [001]
    (`payment_plan="installments"`), under the policy's own instalment rules.
    Covers that need a new inspection are recorded but wait for it (`inspection_record`).
    """
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        if policy.status != Policy.Status.ISSUED:
            raise ConflictError(_("الحاقی فقط برای بیمه‌نامه صادرشده صادر می‌شود."), code="not_issued")
        if kind not in (Endorsement.Kind.ADDITIONAL, Endorsement.Kind.REFUND, Endorsement.Kind.NO_FINANCIAL_EFFECT):
            raise ApplicationError(_("نوع الحاقی نامعتبر است."), field="kind")
        preview = endorsement_preview(
            policy=policy, changes=changes, effective_on=effective_on, annual_premium_delta=annual_premium_delta
        )
        delta = preview["premium_delta"] if premium_delta is None else int(premium_delta)
        if kind == Endorsement.Kind.REFUND:
            delta = -abs(delta)
        if kind == Endorsement.Kind.ADDITIONAL and delta <= 0:
            raise ApplicationError(_("الحاقی اضافی باید حق‌بیمه اضافه داشته باشد."), field="premium_delta")
        if kind == Endorsement.Kind.REFUND and delta == 0:
            raise ApplicationError(_("الحاقی برگشتی باید مبلغ برگشتی داشته باشد."), field="premium_delta")
        if kind == Endorsement.Kind.NO_FINANCIAL_EFFECT and delta != 0:
            raise ApplicationError(
                _("الحاقی بدون اثر مالی تفاوت حق‌بیمه ندارد؛ نوع اضافی یا برگشتی را انتخاب کنید."),
                field="premium_delta",
            )
        if delta < 0 and -delta > selectors.policy_paid_total(policy):
            raise ApplicationError(_("مبلغ برگشتی از حق‌بیمه پرداخت‌شده بیشتر است."), field="premium_delta")
        cleaned = preview["changes"]
        new_property_key = _new_property_key(policy, cleaned)
        if new_property_key:
            # Two agents moving policies to the same car or site at once: the second sees the first.
            _lock_property(new_property_key)
            _refuse_new_property_double_insurance(policy, cleaned, effective_on=preview["effective_on"])
        site_visits = _address_change_inspections(policy, cleaned)
        schedule = _endorsement_schedule(
            policy=policy,
            delta=delta,
            effective_on=preview["effective_on"],
            payment_plan=payment_plan,
            installments=installments,
            installments_count=installments_count,
        )
        endorsement = _endorsement_create(
            user=user,
            policy=policy,
            kind=kind,
            changes=cleaned,
            delta=delta,
            effective_on=preview["effective_on"],
            needs_inspection=preview["needs_inspection"],
            description=description,
            schedule=schedule,
        )
        if site_visits:
            # The visits of both sites belong to this endorsement (and are not used twice).
            Inspection.objects.filter(pk__in=[visit.pk for visit in site_visits]).update(endorsement=endorsement)
        _apply_changes(policy, cleaned, waiting_covers=selectors.endorsement_pending_covers(endorsement))
        audit_record(
            actor=user,
            action="policy.endorsement",
            target=policy,
            data={"number": endorsement.number, "kind": kind, "premium_delta": delta, "changes": cleaned},
        )
        notify(
            policy.customer,
            _("الحاقی شماره %(n)s برای بیمه‌نامه %(number)s صادر شد.")
            % {"n": to_persian_digits(endorsement.number), "number": policy.number},
            url=_policy_url(policy),
            sms=True,
        )
    return endorsement


def endorsement_premium_adjust(
    *, user, policy: Policy, premium_delta: int, effective_on: dt.date, details: dict, description: str = ""
) -> Endorsement:
    """An endorsement that only settles the premium: the end-of-period adjustment of a
    floating (declaration) policy to the premium computed from its declarations [004].

    Additional when the insured owes more, a refund when the deposit was higher, without
    financial effect when they match [001]. `details` is the computation, kept on the row.
    """
    with transaction.atomic():
        policy = _locked(policy)
        require_issuer_or_staff(user, policy)
        _require_open(policy)
        if premium_delta > 0:
            kind = Endorsement.Kind.ADDITIONAL
        elif premium_delta < 0:
            kind = Endorsement.Kind.REFUND
        else:
            kind = Endorsement.Kind.NO_FINANCIAL_EFFECT
        endorsement = _endorsement_create(
            user=user,
            policy=policy,
            kind=kind,
            changes=details,
            delta=premium_delta,
            effective_on=effective_on,
            needs_inspection=False,
            description=description,
        )
        audit_record(
            actor=user,
            action="policy.endorsement",
            target=policy,
            data={"number": endorsement.number, "kind": kind, "premium_delta": premium_delta, "changes": details},
        )
    return endorsement


def _address_change_inspections(policy: Policy, changes: dict) -> list[Inspection]:
    """An address change of a fire policy on a place that needs inspection is endorsed only
    after the old and the new site were inspected [004]; the visits of the new site name
    the address the policy moves to. Returns the visits the endorsement takes."""
    if "address" not in changes or not selectors.address_change_needs_inspections(policy):
        return []
    visits = selectors.address_change_inspections(policy)
    new_site = visits.get(Inspection.Site.NEW)
    missing = []
    if visits.get(Inspection.Site.CURRENT) is None:
        missing.append(_("محل فعلی"))
    if new_site is None:
        missing.append(_("محل جدید"))
    if missing:
        raise ApplicationError(
            _(
                "تغییر نشانی بیمه‌نامه آتش‌سوزی پس از بازدید از محل قبلی و محل جدید با الحاقی ثبت می‌شود؛ "
                "گزارش بازدید %(missing)s ثبت نشده است."
            )
            % {"missing": _(" و ").join(missing)},
            field="address",
            code="address_inspections_missing",
        )
    if selectors.normalized_address(new_site.site_address) != selectors.normalized_address(changes["address"]):
        raise ApplicationError(
            _("نشانی جدید با نشانی محلی که بازدید شده («%(address)s») یکی نیست.") % {"address": new_site.site_address},
            field="address",
            code="address_not_inspected",
        )
    return [visits[Inspection.Site.CURRENT], new_site]


def _endorsement_schedule(
    *,
    policy: Policy,
    delta: int,
    effective_on: dt.date,
    payment_plan: str,
    installments: list[dict] | None,
    installments_count: int | None,
) -> list[rules.ScheduledPayment] | None:
    """How an additional premium is collected: at once, or part cash and the rest in
    instalments under the same rules as a policy's premium (≥ 30% down, ≤ 8 instalments) [001][004]."""
    if payment_plan not in Policy.PaymentPlan.values:
        raise ApplicationError(_("نحوه پرداخت نامعتبر است."), field="payment_plan")
    if payment_plan == Policy.PaymentPlan.CASH:
        return None
    if delta <= 0:
        raise ApplicationError(_("فقط حق‌بیمه اضافی الحاقی اضافی را می‌توان قسطی پرداخت کرد."), field="payment_plan")
    schedule = _schedule(
        premium=delta,
        payment_plan=payment_plan,
        installments=installments,
        installments_count=installments_count,
        first_due_on=effective_on,
        line_code=policy.line.code,
        insurer_code=policy.insurer.code,
    )
    if schedule[-1].due_on > policy.ends_on:
        raise ApplicationError(
            _("آخرین قسط حق‌بیمه اضافی باید پیش از پایان بیمه‌نامه (%(day)s) سررسید شود.")
            % {"day": format_jalali(policy.ends_on)},
            field="installments_count" if not installments else "installments",
            code="bad_installments",
        )
    return schedule


def _endorsement_create(
    *,
    user,
    policy: Policy,
    kind: str,
    changes: dict,
    delta: int,
    effective_on,
    needs_inspection,
    description,
    schedule: list[rules.ScheduledPayment] | None = None,
) -> Endorsement:
    number = (policy.endorsements.aggregate(top=Max("number"))["top"] or 0) + 1
    previous = {}
    for key in changes:
        if key == "owner_mobile":
            previous[key] = policy.customer.mobile
        elif key == "vehicle":
            previous[key] = {name: policy.params.get(name) for name in ("build_year", "vin", "plate", "car_owner")}
        elif key in ("sum_insured", "covers", "insured_items"):
            previous[key] = getattr(policy, key)
        else:
            previous[key] = policy.params.get(key)
    endorsement = Endorsement.objects.create(
        policy=policy,
        number=number,
        kind=kind,
        changes=changes,
        previous=previous,
        premium_delta=delta,
        effective_on=effective_on,
        needs_inspection=needs_inspection,
        description=description,
        created_by=user,
    )
    if delta > 0:
        # Cash: one row due on the effective date; otherwise the down payment and instalments.
        schedule = schedule or [rules.ScheduledPayment(effective_on, delta)]
        next_number = (policy.installments.aggregate(top=Max("number"))["top"] or 0) + 1
        Installment.objects.bulk_create(
            Installment(
                policy=policy, number=next_number + index, due_on=row.due_on, amount=row.amount, endorsement=endorsement
            )
            for index, row in enumerate(schedule)
        )
    return endorsement


def endorsement_claim_use(*, user, policy: Policy, claim_number: int, on: dt.date) -> Endorsement:
    """[003] a third-party loss paid from the policy is written on it as an endorsement: the
    cover was used and the no-claim years it carried are lost ("الحاقیه ای تحت عنوان استفاده
    از بیمه شخص ثالث و از بین رفتن سال های تخفیف عدم خسارت"). No financial effect; the next
    quote cuts the discount by the claim steps. Runs inside the claim's payment transaction.
    """
    policy = _locked(policy)
    endorsement = _endorsement_create(
        user=user,
        policy=policy,
        kind=Endorsement.Kind.NO_FINANCIAL_EFFECT,
        changes={"no_claim_lost_by_claim": claim_number},
        delta=0,
        effective_on=on,
        needs_inspection=False,
        description=_("استفاده از بیمه شخص ثالث و از بین رفتن سال‌های تخفیف عدم خسارت"),
    )
    audit_record(
        actor=user,
        action="policy.endorsement",
        target=policy,
        data={"number": endorsement.number, "kind": endorsement.kind, "claim": claim_number},
    )
    return endorsement


def _apply_changes(policy: Policy, changes: dict, *, waiting_covers=frozenset()) -> None:
    """Write the endorsed changes on the policy; covers waiting for an inspection stay off [001]."""
    fields = ["updated_at"]
    if "sum_insured" in changes:
        # The declared real value follows the sum insured unless it was recorded higher.
        if policy.actual_value <= policy.sum_insured:
            policy.actual_value = changes["sum_insured"]
            fields.append("actual_value")
        policy.sum_insured = changes["sum_insured"]
        fields.append("sum_insured")
    if "covers" in changes:
        policy.covers = sorted(set(changes["covers"]) - set(waiting_covers))
        fields.append("covers")
    if "insured_items" in changes:
        policy.insured_items = changes["insured_items"]
        fields.append("insured_items")
    if "owner_mobile" in changes:
        policy.customer = User.objects.get(mobile=changes["owner_mobile"])
        fields.append("customer")
    if "vehicle" in changes:
        # The car is part of what is insured: its build year (and identity) replace the old car's.
        vehicle = changes["vehicle"]
        policy.params = {**_params_with_car(policy.params, vehicle), "car_owner": vehicle["owner"]}
        fields.append("params")
        # The policy now insures the new car: a later policy on it is double insurance [004].
        policy.property_key = issue_rules.property_key(policy.line.code, policy.params)
        fields.append("property_key")
    for key in ("address", "insured_name", "conditions"):
        if key in changes:
            policy.params = {**policy.params, key: changes[key]}
            if "params" not in fields:
                fields.append("params")
    if changes.get("postal_code"):
        # The policy now insures the new site: its postal code and unit are its identity [004].
        policy.params = {**policy.params, "postal_code": changes["postal_code"], "unit": changes.get("unit", "")}
        policy.property_key = issue_rules.property_key(policy.line.code, policy.params)
        fields += [name for name in ("params", "property_key") if name not in fields]
    policy.save(update_fields=fields)
