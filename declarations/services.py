"""Writes for floating policies: recording a month's stock, and the declaration reminders."""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError, ConflictError
from core.jalali import format_jalali, solar_month_bounds
from core.services import audit_record
from core.text import to_persian_digits
from declarations import selectors
from declarations.models import DeclarationReminder, FloatingPolicy, StockDeclaration
from policies import services as policy_services
from policies.models import Endorsement, Policy
from sms.services import sms_send_after_commit

logger = logging.getLogger(__name__)

# The "due soon" reminder goes out from this many days before the deadline.
REMIND_DAYS_BEFORE = 3
# A typo's extra zeros, not a stock: keeps the ceiling and sum insured far from bigint overflow.
MAX_STOCK_VALUE = 10**16


def floating_terms_check(*, policy: Policy, max_stock_value: int, due_day: int) -> None:
    """Floating (declaration) terms are the fire policy's stock condition [004][001]: the
    shops' and warehouses' stock of a fire policy, declared monthly. Raises on a problem."""
    if policy.line.code != "fire":
        raise ApplicationError(
            _("بیمه شناور (اظهارنامه‌ای) برای موجودی بیمه‌نامه آتش‌سوزی است؛ این بیمه‌نامه آتش‌سوزی نیست."),
            field="policy",
        )
    if max_stock_value <= 0:
        raise ApplicationError(_("سقف ارزش موجودی باید بیشتر از صفر باشد."), field="max_stock_value")
    if max_stock_value > MAX_STOCK_VALUE:
        raise ApplicationError(_("سقف ارزش موجودی بیش از حد بزرگ است."), field="max_stock_value")
    if not 1 <= due_day <= 29:
        raise ApplicationError(_("روز مهلت اعلام باید بین ۱ و ۲۹ باشد."), field="declaration_due_day")


def floating_policy_set_terms(*, user, policy: Policy, max_stock_value: int, due_day: int = 10) -> FloatingPolicy:
    """Mark a fire policy as floating (declaration) with its stock ceiling; audited."""
    floating_terms_check(policy=policy, max_stock_value=max_stock_value, due_day=due_day)
    with transaction.atomic():
        terms, _created = FloatingPolicy.objects.update_or_create(
            policy=policy, defaults={"max_stock_value": max_stock_value, "declaration_due_day": due_day}
        )
        audit_record(
            actor=user,
            action="declarations.terms",
            target=policy,
            data={"max_stock_value": max_stock_value, "declaration_due_day": due_day},
        )
    return terms


def stock_declaration_record(
    *, user, floating_policy: FloatingPolicy, year: int, month: int, stock_value: int, declared_on: dt.date
) -> StockDeclaration:
    """Record the insured's letter declaring a month's stock (once per month) [001].

    A stock above the ceiling produces an additional endorsement (الحاقی اضافی) raising the
    ceiling and the sum insured by the excess, its premium collected for the rest of the
    term [004]. A decrease is only filed: it counts in the average at the end of the period
    (`floating_final_premium`), never as a refund of its own. A refused step writes nothing.
    """
    stock_declaration_check(
        floating_policy=floating_policy, year=year, month=month, stock_value=stock_value, declared_on=declared_on
    )
    policy = floating_policy.policy
    due = selectors.declaration_due_date(year=year, month=month, due_day=floating_policy.declaration_due_day)
    try:
        with transaction.atomic():
            # The ceiling read here decides the endorsement: lock it against a parallel letter.
            terms = FloatingPolicy.objects.select_for_update().get(pk=floating_policy.pk)
            limit = terms.max_stock_value
            declaration = StockDeclaration.objects.create(
                floating_policy=terms,
                year=year,
                month=month,
                stock_value=stock_value,
                declared_on=declared_on,
                late=declared_on > due,
                over_limit=stock_value > limit,
                limit=limit,
                recorded_by=user,
            )
            if declaration.over_limit:
                declaration.endorsement = _over_limit_endorsement(
                    user=user, terms=terms, year=year, month=month, stock_value=stock_value
                )
                declaration.save(update_fields=["endorsement"])
            audit_record(
                actor=user,
                action="declarations.declare",
                target=policy,
                data={
                    "year": year,
                    "month": month,
                    "stock_value": stock_value,
                    "late": declaration.late,
                    "endorsement": declaration.endorsement.number if declaration.endorsement else None,
                },
            )
            # [001] the office gives the insured a confirmation of receipt (برگ تائید وصول اظهارنامه).
            sms_send_after_commit(
                to=policy.customer.mobile,
                text=_("بیمه مال: اظهارنامه موجودی ماه %(month)s بیمه‌نامه %(number)s در %(day)s دریافت و ثبت شد.")
                % {
                    "month": to_persian_digits(f"{year}/{month:02d}"),
                    "number": policy.number,
                    "day": format_jalali(declared_on),
                },
            )
    except IntegrityError:
        raise ConflictError(_("اظهارنامه این ماه پیش‌تر ثبت شده است."), code="already_declared") from None
    return declaration


def stock_declaration_check(
    *, floating_policy: FloatingPolicy, year: int, month: int, stock_value: int, declared_on: dt.date
) -> None:
    """Why a declaration letter cannot be recorded; raises on the first problem.

    The letter declares the stock of a month that is over ("موجودی ماه قبل") [001], one of
    the months of the policy's term.
    """
    if stock_value < 0:
        raise ApplicationError(_("ارزش موجودی نمی‌تواند منفی باشد."), field="stock_value")
    if stock_value > MAX_STOCK_VALUE:
        raise ApplicationError(_("ارزش موجودی بیش از حد بزرگ است؛ مبلغ را به ریال بررسی کنید."), field="stock_value")
    if not 1 <= month <= 12:
        raise ApplicationError(_("ماه شمسی نامعتبر است."), field="month")
    policy = floating_policy.policy
    if (year, month) not in {(y, m) for y, m, _days in selectors.term_solar_months(policy.starts_on, policy.ends_on)}:
        raise ApplicationError(_("این ماه در مدت بیمه‌نامه شناور نیست."), field="month")
    _first_day, month_over_on = solar_month_bounds(year, month)
    if declared_on < month_over_on:
        raise ApplicationError(
            _(
                "موجودی هر ماه پس از پایان همان ماه اعلام می‌شود (موجودی ماه قبل)؛ "
                "این ماه در تاریخ نامه هنوز تمام نشده بود."
            ),
            field="month",
            code="month_not_over",
        )


def _over_limit_endorsement(*, user, terms: FloatingPolicy, year: int, month: int, stock_value: int) -> Endorsement:
    """Raise the ceiling to the declared stock by an additional endorsement [004].

    Effective from the first day of the declared month (the stock was there then), priced
    at the policy's own rate for the rest of the term; the final premium settles it.
    """
    policy = terms.policy
    excess = stock_value - terms.max_stock_value
    first_day, _next = solar_month_bounds(year, month)
    effective_on = min(max(first_day, policy.starts_on), policy.ends_on)
    changes = {"sum_insured": policy.sum_insured + excess}
    preview = policy_services.endorsement_preview(policy=policy, changes=changes, effective_on=effective_on)
    label = to_persian_digits(f"{year}/{month:02d}")
    endorsement = policy_services.endorsement_issue(
        user=user,
        policy=policy,
        kind=Endorsement.Kind.ADDITIONAL if preview["premium_delta"] > 0 else Endorsement.Kind.NO_FINANCIAL_EFFECT,
        changes=changes,
        effective_on=effective_on,
        description=_("اظهارنامه موجودی ماه %(month)s بیش از سقف بیمه‌نامه شناور") % {"month": label},
    )
    terms.max_stock_value = stock_value
    terms.save(update_fields=["max_stock_value"])
    return endorsement


def floating_policy_settle(*, user, floating_policy: FloatingPolicy, today: dt.date | None = None) -> Endorsement:
    """Settle the final premium from the declarations at the end of the period [001][004].

    Once, after the policy's end: an endorsement for the difference between the final
    premium (`floating_final_premium`) and what was charged on account.
    """
    today = today or timezone.localdate()
    policy = floating_policy.policy
    if today < policy.ends_on:
        raise ApplicationError(
            _("حق‌بیمه قطعی بیمه‌نامه شناور پس از پایان دوره (%(day)s) از روی اظهارنامه‌ها محاسبه می‌شود.")
            % {"day": to_persian_digits(format_jalali(policy.ends_on))},
            field="policy",
            code="period_not_over",
        )
    with transaction.atomic():
        terms = FloatingPolicy.objects.select_for_update().get(pk=floating_policy.pk)
        if terms.settlement_id is not None:
            raise ConflictError(_("حق‌بیمه قطعی این بیمه‌نامه پیش‌تر تعیین شده است."), code="already_settled")
        final = selectors.floating_final_premium(terms)
        endorsement = policy_services.endorsement_premium_adjust(
            user=user,
            policy=policy,
            premium_delta=final.adjustment,
            effective_on=policy.ends_on,
            details={
                "final_premium": final.final_premium,
                "average_stock": final.average_stock,
                "charged": final.charged,
            },
            description=_("تعیین حق‌بیمه قطعی از روی اظهارنامه‌ها (معدل‌گیری)"),
        )
        terms.settlement = endorsement
        terms.save(update_fields=["settlement"])
    return endorsement


def declaration_reminders_send(*, today: dt.date | None = None) -> int:
    """Remind the insured of the stock declaration due by the 10th; flag the missing ones.

    From three days before the deadline: a reminder. After it: the missing-declaration
    flag (a `MISSING` row, listed in the admin) and a notice to the insured and the
    agent. Each (policy, month, kind) is claimed by a unique row before anything is sent,
    so a second run, or two beats at once, send nothing twice. Returns how many went out.
    """
    today = today or timezone.localdate()
    period = selectors.declaration_period_for(today=today)
    sent = 0
    for terms in selectors.floating_policies_owing(period=period).iterator(chunk_size=500):
        due_day = terms.declaration_due_day
        if period.today_day > due_day:
            kind = DeclarationReminder.Kind.MISSING
        elif period.today_day >= due_day - REMIND_DAYS_BEFORE:
            kind = DeclarationReminder.Kind.DUE_SOON
        else:
            continue
        if _reminder_send(terms=terms, period=period, kind=kind):
            sent += 1
    return sent


def _reminder_send(*, terms: FloatingPolicy, period, kind: str) -> bool:
    policy = terms.policy
    due = selectors.declaration_due_date(year=period.year, month=period.month, due_day=terms.declaration_due_day)
    month_label = to_persian_digits(f"{period.year}/{period.month:02d}")
    try:
        with transaction.atomic():
            DeclarationReminder.objects.create(floating_policy=terms, year=period.year, month=period.month, kind=kind)
            if kind == DeclarationReminder.Kind.DUE_SOON:
                text = _(
                    "بیمه مال: موجودی ماه %(month)s بیمه‌نامه شناور شماره %(number)s را تا %(due)s "
                    "به صادرکننده اعلام کنید."
                ) % {"month": month_label, "number": policy.number, "due": to_persian_digits(format_jalali(due))}
                sms_send_after_commit(to=policy.customer.mobile, text=text)
            else:
                text = _(
                    "بیمه مال: اظهارنامه موجودی ماه %(month)s بیمه‌نامه شناور شماره %(number)s تا مهلت "
                    "(%(due)s) اعلام نشده است. هرچه زودتر اعلام کنید."
                ) % {"month": month_label, "number": policy.number, "due": to_persian_digits(format_jalali(due))}
                sms_send_after_commit(to=policy.customer.mobile, text=text)
                sms_send_after_commit(to=policy.agent.user.mobile, text=text)
                audit_record(
                    actor=None,
                    action="declarations.missing",
                    target=policy,
                    data={"year": period.year, "month": period.month},
                )
    except IntegrityError:
        return False  # already reminded (an earlier run, or one running right now)
    return True
