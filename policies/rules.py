"""The policy rules of the source documents, as pure functions over plain values.

No database here: services read the policy and the tariff, call these, and write. Money
is `int` rial in and out; `Decimal` inside; rounding happens in `_rial` only (half-up to
one rial). The short-term scale is not copied here: callers pass the tariff's bands
(`pricing` owns the table, `pricing.core.money.short_term_percent` reads it).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from insurers.lines import LineCode
from pricing.core import limits
from pricing.core.money import short_term_percent

THIRD_PARTY = LineCode.THIRD_PARTY.value
TRAVEL = LineCode.TRAVEL.value
FIRE = LineCode.FIRE.value
BODY = LineCode.BODY.value
ELECTRONICS = LineCode.ELECTRONICS.value

DAYS_IN_YEAR = 365
HUNDRED = Decimal(100)

# [001] "صدور الحاقی" step 3: these additional covers need a new site visit.
REINSPECTION_COVERS = frozenset({"pipe_burst", "rain_snow", "theft", "landslide", "well_collapse", "avalanche"})
# [001] "تمدید": re-inspect when two years have passed since issue.
REINSPECTION_AFTER_DAYS = 2 * DAYS_IN_YEAR

# [004] fire instalments: at least 30% down, the rest in at most 8 instalments. The
# tariff carries the same figures (fire/installments); these are the fallbacks.
MIN_DOWN_PERCENT = Decimal(30)
MAX_INSTALLMENTS = 8

# [004] travel annulment: 10% kept when the visa is refused or the trip is cancelled
# before the visa; 20% when cancelled after a visa, only once the visa has expired.
VISA_REFUSED = "visa_refused"
TRIP_CANCELLED_BEFORE_VISA = "trip_cancelled_before_visa"
VISA_EXPIRED = "visa_expired"
TRAVEL_KEPT_PERCENT = {VISA_REFUSED: Decimal(10), TRIP_CANCELLED_BEFORE_VISA: Decimal(10), VISA_EXPIRED: Decimal(20)}

# Renewal invitations [001][003]: a month before expiry; third-party a week before.
MONTH_BEFORE = "month_before"
WEEK_BEFORE = "week_before"
RENEWAL_NOTICE_DAYS = {MONTH_BEFORE: 30, WEEK_BEFORE: 7}

INSURED = "insured"
INSURER = "insurer"
CANCELLATION = "cancellation"
ANNULMENT = "annulment"


def _rial(amount: Decimal) -> int:
    """The one rounding step of this module: half-up to a whole rial."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


# --- dates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CoverWindow:
    """The days a policy covers, both ends included."""

    first_day: dt.date
    last_day: dt.date

    def covers(self, day: dt.date) -> bool:
        return self.first_day <= day <= self.last_day


def cover_window(line: str, starts_on: dt.date, ends_on: dt.date) -> CoverWindow:
    """Which days are covered, per the 24:00 rule.

    * Most lines [001]: from 24:00 of the first day to 24:00 of the last day, so the first
      covered day is the day after `starts_on` and `ends_on` is covered in full.
    * Third-party [003]: from 00:00 of `starts_on` (at the earliest the day after purchase)
      until 00:00 of the expiry day, so `ends_on` itself is no longer covered.
    * Travel [004]: from the exit date (`starts_on`) for the days bought.
    """
    if line == THIRD_PARTY:
        return CoverWindow(starts_on, ends_on - dt.timedelta(days=1))
    if line == TRAVEL:
        return CoverWindow(starts_on, ends_on)
    return CoverWindow(starts_on + dt.timedelta(days=1), ends_on)


def earliest_third_party_start(issued_on: dt.date) -> dt.date:
    """Third-party cover starts at 00:00 of the day after purchase [003]."""
    return issued_on + dt.timedelta(days=1)


def term_days(starts_on: dt.date, ends_on: dt.date) -> int:
    return max((ends_on - starts_on).days, 1)


def days_left(ends_on: dt.date, today: dt.date) -> int:
    return max((ends_on - today).days, 0)


# --- instalments ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduledPayment:
    due_on: dt.date
    amount: int


def installment_problems(
    premium: int,
    schedule: list[ScheduledPayment],
    *,
    min_down_percent: Decimal = MIN_DOWN_PERCENT,
    max_installments: int = MAX_INSTALLMENTS,
) -> list[str]:
    """Why an instalment plan is not acceptable (empty when it is) [004].

    The first row is the down payment: at least `min_down_percent` of the premium; then at
    most `max_installments` rows; all positive, due dates in order, summing exactly.
    """
    problems = []
    if len(schedule) < 2:
        problems.append(_("برای پرداخت اقساطی، پیش‌پرداخت و دست‌کم یک قسط لازم است."))
        return problems
    if len(schedule) - 1 > max_installments:
        problems.append(_("حداکثر %(count)s قسط پس از پیش‌پرداخت مجاز است.") % {"count": _fa(max_installments)})
    if any(row.amount <= 0 for row in schedule):
        problems.append(_("مبلغ هر قسط باید بیشتر از صفر باشد."))
    min_down = int((Decimal(premium) * min_down_percent / HUNDRED).to_integral_value(rounding=ROUND_CEILING))
    if schedule[0].amount < min_down:
        problems.append(
            _("پیش‌پرداخت باید دست‌کم %(pct)s درصد حق‌بیمه باشد.") % {"pct": _fa(min_down_percent.normalize())}
        )
    if any(later.due_on <= earlier.due_on for earlier, later in zip(schedule, schedule[1:], strict=False)):
        problems.append(_("سررسید اقساط باید به ترتیب و بعد از پیش‌پرداخت باشد."))
    if sum(row.amount for row in schedule) != premium:
        problems.append(_("جمع پیش‌پرداخت و اقساط باید دقیقاً برابر حق‌بیمه باشد."))
    return problems


def _fa(value) -> str:
    from core.text import to_persian_digits

    return to_persian_digits(format(value, "f") if isinstance(value, Decimal) else value)


# --- cancellation --------------------------------------------------------------------------


@dataclass(frozen=True)
class CancellationQuote:
    """What a cancellation keeps and pays back, with the reasoning shown to people."""

    kind: str
    by: str
    reason: str
    total_premium: int
    paid: int
    kept: int
    refund: int
    outstanding: int
    elapsed_days: int
    term_days: int
    basis: str
    percent: Decimal | None = None
    lines: tuple[tuple[str, str, int], ...] = field(default_factory=tuple)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "by": self.by,
            "reason": self.reason,
            "total_premium": self.total_premium,
            "paid": self.paid,
            "kept": self.kept,
            "refund": self.refund,
            "outstanding": self.outstanding,
            "elapsed_days": self.elapsed_days,
            "term_days": self.term_days,
            "basis": self.basis,
            "percent": None if self.percent is None else format(self.percent.normalize(), "f"),
            "breakdown": [{"code": code, "label": label, "amount": amount} for code, label, amount in self.lines],
        }


def short_term_kept(total_premium: int, *, elapsed: int, term: int, bands) -> tuple[int, Decimal]:
    """Premium earned by the insurer for `elapsed` days under the short-term scale [004].

    The scale gives a percent of the *annual* premium. A policy of a year or more is
    first brought to its annual premium; a short policy's annual premium is its premium
    divided by its own scale percent, so cancelling on its last day keeps all of it.
    Beyond a year, the days over 365 are earned pro-rata. Never more than the premium.
    """
    premium = Decimal(total_premium)
    if term >= DAYS_IN_YEAR:
        annual = premium * DAYS_IN_YEAR / term
        if elapsed >= DAYS_IN_YEAR:
            kept = premium * Decimal(elapsed) / term
            pct = HUNDRED
        else:
            pct = short_term_percent(bands, max(elapsed, 1))
            kept = annual * pct / HUNDRED
    else:
        pct = short_term_percent(bands, max(elapsed, 1))
        kept = premium * pct / short_term_percent(bands, term)
    return min(_rial(kept), total_premium), pct


def pro_rata_kept(total_premium: int, *, elapsed: int, term: int) -> int:
    """Premium earned day by day (روزشمار) [004]."""
    return min(_rial(Decimal(total_premium) * Decimal(max(elapsed, 0)) / term), total_premium)


def cancellation_quote(
    *,
    line: str,
    by: str,
    kind: str,
    reason: str,
    total_premium: int,
    paid: int,
    starts_on: dt.date,
    ends_on: dt.date,
    on: dt.date,
    bands,
) -> CancellationQuote:
    """Kept premium and refund of a cancellation (فسخ) or annulment (ابطال).

    Callers have already checked the conditions (`cancellation_problems`).
    * annulment: void from the start, everything paid is refunded [004];
    * travel with a reason: 10% or 20% of the premium is kept [004];
    * by the insured: the short-term scale for the elapsed time, the rest refunded [004];
    * by the insurer: pro-rata for the elapsed time, the rest refunded [004].
    """
    term = term_days(starts_on, ends_on)
    elapsed = min(max((on - starts_on).days, 0), term)
    pct: Decimal | None = None
    if kind == ANNULMENT and line == TRAVEL and reason in TRAVEL_KEPT_PERCENT:
        pct = TRAVEL_KEPT_PERCENT[reason]
        kept = _rial(Decimal(total_premium) * pct / HUNDRED)
        basis = _("کسر %(pct)s درصد حق‌بیمه مسافرتی") % {"pct": _fa(pct)}
    elif kind == ANNULMENT:
        kept = 0
        basis = _("ابطال از تاریخ شروع: برگشت کل حق‌بیمه")
    elif by == INSURER:
        kept = pro_rata_kept(total_premium, elapsed=elapsed, term=term)
        basis = _("فسخ از طرف بیمه‌گر: محاسبه روزشمار")
    else:
        kept, pct = short_term_kept(total_premium, elapsed=elapsed, term=term, bands=bands)
        basis = _("فسخ از طرف بیمه‌گذار: محاسبه با تعرفه کوتاه‌مدت")
    refund = max(paid - kept, 0)
    outstanding = max(kept - paid, 0)
    lines = (
        ("total_premium", _("حق‌بیمه کل"), total_premium),
        ("kept", _("حق‌بیمه قطعی (سهم بیمه‌گر)"), kept),
        ("paid", _("پرداخت‌شده تا کنون"), paid),
        ("refund", _("قابل برگشت به بیمه‌گذار"), refund),
    )
    if outstanding:
        lines += (("outstanding", _("بدهی باقی‌مانده بیمه‌گذار"), outstanding),)
    return CancellationQuote(
        kind=kind,
        by=by,
        reason=reason,
        total_premium=total_premium,
        paid=paid,
        kept=kept,
        refund=refund,
        outstanding=outstanding,
        elapsed_days=elapsed,
        term_days=term,
        basis=basis,
        percent=pct,
        lines=lines,
    )


def cancellation_problems(
    *,
    line: str,
    by: str,
    kind: str,
    reason: str,
    starts_on: dt.date,
    ends_on: dt.date,
    on: dt.date,
    visa_expires_on: dt.date | None,
    has_claims: bool,
) -> dict[str, str]:
    """Conditions of each way out, as {field: message} (empty when allowed)."""
    if on > ends_on:
        return {"on": _("بیمه‌نامه در این تاریخ منقضی شده است و فسخ آن معنا ندارد.")}
    if line == TRAVEL and by == INSURED:
        # [004] a travel policy is given back only in three cases, each an annulment.
        if reason not in TRAVEL_KEPT_PERCENT:
            return {
                "reason": _(
                    "بیمه‌نامه مسافرتی فقط در سه حالت باطل می‌شود: عدم صدور روادید، لغو سفر پیش از صدور روادید، "
                    "یا لغو سفر پس از روادید و پس از پایان مهلت آن."
                )
            }
        if has_claims:
            return {"reason": _("برای این بیمه‌نامه خسارت اعلام شده است و ابطال آن ممکن نیست.")}
        if reason in (VISA_REFUSED, TRIP_CANCELLED_BEFORE_VISA) and on > starts_on:
            return {"on": _("ابطال به این علت فقط پیش از تاریخ شروع سفر ممکن است.")}
        if reason == VISA_EXPIRED:
            if visa_expires_on is None:
                return {"visa_expires_on": _("تاریخ پایان اعتبار روادید را وارد کنید.")}
            if on <= visa_expires_on:
                return {"on": _("پس از صدور روادید، ابطال فقط بعد از پایان مهلت روادید ممکن است.")}
        return {}
    if reason:
        return {"reason": _("علت ابطال فقط برای بیمه‌نامه مسافرتی معنا دارد.")}
    if kind == ANNULMENT:
        if has_claims:
            return {"kind": _("برای این بیمه‌نامه خسارت اعلام شده است و ابطال آن ممکن نیست.")}
        # [004] the insured cannot annul once cover started ("امکان ابطال بیمه‌نامه وجود ندارد");
        # before the start there is nothing earned, so giving it all back is the same thing.
        if by == INSURED and on >= starts_on:
            return {"kind": _("ابطال بیمه‌نامه پس از شروع آن ممکن نیست؛ فسخ را انتخاب کنید.")}
    if on < starts_on and kind != ANNULMENT:
        return {"on": _("پیش از شروع بیمه‌نامه، ابطال (برگشت کل حق‌بیمه) را انتخاب کنید.")}
    return {}


# --- endorsements --------------------------------------------------------------------------


@dataclass(frozen=True)
class EndorsementQuote:
    premium_delta: int
    remaining_days: int
    term_days: int
    basis: str

    @property
    def kind(self) -> str:
        if self.premium_delta > 0:
            return "additional"
        if self.premium_delta < 0:
            return "refund"
        return "no_financial_effect"


def endorsement_premium_delta(
    *,
    premium: int,
    starts_on: dt.date,
    ends_on: dt.date,
    effective_on: dt.date,
    old_sum_insured: int,
    new_sum_insured: int | None = None,
    annual_premium_delta: int | None = None,
) -> EndorsementQuote:
    """The premium difference of a change, for the remaining period only (pro-rata).

    Either the insurer's change of the annual premium is given (`annual_premium_delta`,
    e.g. for a new cover), or a new sum insured, priced at the policy's own rate. An
    increase and an equal decrease cancel out: no financial effect [001].
    """
    term = term_days(starts_on, ends_on)
    remaining = min(max((ends_on - effective_on).days, 0), term)
    delta = Decimal(0)
    if annual_premium_delta:
        delta += Decimal(annual_premium_delta) * remaining / DAYS_IN_YEAR
    if new_sum_insured is not None and old_sum_insured and new_sum_insured != old_sum_insured:
        rate_for_term = Decimal(premium) / old_sum_insured
        delta += rate_for_term * (new_sum_insured - old_sum_insured) * remaining / term
    return EndorsementQuote(
        premium_delta=_rial(delta),
        remaining_days=remaining,
        term_days=term,
        basis=_("تفاوت حق‌بیمه برای %(days)s روز باقی‌مانده") % {"days": _fa(remaining)},
    )


def needs_reinspection(old_covers, new_covers) -> bool:
    """A newly added cover among pipe burst, rain/snow, theft, landslide, well, avalanche [001]."""
    return bool((set(new_covers) - set(old_covers)) & REINSPECTION_COVERS)


# --- renewal and review --------------------------------------------------------------------


def renewal_notice_kind(line: str) -> str:
    return WEEK_BEFORE if line == THIRD_PARTY else MONTH_BEFORE


def renewal_notice_due(line: str, ends_on: dt.date, today: dt.date) -> bool:
    days = RENEWAL_NOTICE_DAYS[renewal_notice_kind(line)]
    return ends_on - dt.timedelta(days=days) <= today <= ends_on


def reinspection_due(last_inspected_or_issued: dt.date, today: dt.date) -> bool:
    """Two years since the place was last seen (or since the first policy was issued) [001]."""
    return (today - last_inspected_or_issued).days >= REINSPECTION_AFTER_DAYS


def annual_premium(premium: int, *, term: int, bands) -> int:
    """The year's premium of a policy of `term` days: pro-rata beyond a year; a short
    policy's premium divided by its own short-term percent [004]."""
    if term >= DAYS_IN_YEAR:
        return _rial(Decimal(premium) * DAYS_IN_YEAR / term)
    return _rial(Decimal(premium) * HUNDRED / short_term_percent(bands, term))


def short_renewal_premium(annual: int, *, days: int, bands) -> int:
    """A renewal for less than a year costs the short-term percent of the year's premium [001]:
    "حق‌بیمه بصورت درصدی محاسبه می‌شود"."""
    return _rial(Decimal(annual) * short_term_percent(bands, max(days, 1)) / HUNDRED)


def premium_paid_share(due_by_date: int, paid_by_date: int) -> Decimal:
    """The proportional premium rule [004]: share of the premium due by the loss that was paid."""
    if due_by_date <= 0:
        return Decimal(1)
    return min(Decimal(paid_by_date) / due_by_date, Decimal(1))


# --- line limits ---------------------------------------------------------------------------


def _whole_number(value) -> int | None:
    from core.text import to_latin_digits

    if isinstance(value, bool):
        return None
    try:
        return int(to_latin_digits(str(value)).strip())
    except (TypeError, ValueError):
        return None


def build_year_of(params: dict) -> int | None:
    """The car's build year (solar) a body policy carries in its params, if it is a number."""
    return _whole_number((params or {}).get("build_year"))


def policy_limit_problems(
    *, line: str, params: dict, bought_on: dt.date, starts_on: dt.date, ends_on: dt.date, tariff
) -> dict[str, str]:
    """The line limits a quote applies (`pricing.core.limits`), for a recorded or renewed
    policy, as {field: message}; empty when it may be written.

    `tariff` is the line's `LineTariff` in force (the car's maximum age, the single trip's
    days); the car's age is counted on the day the policy is bought, as the quote does.
    """
    from core.jalali import solar_year

    params = params or {}
    problems: dict[str, str] = {}
    if line == TRAVEL:
        trip_type = params.get("trip_type") or limits.SINGLE
        if trip_type not in limits.TRIP_TYPES:
            return {"trip_type": _("نوع بیمه‌نامه مسافرتی باید تک‌سفره، چندسفره یا دانشجویی باشد.")}
        months = params.get("student_months")
        if (
            trip_type == limits.STUDENT
            and months not in (None, "")
            and _whole_number(months) not in limits.STUDENT_MONTHS
        ):
            return {"student_months": _("بیمه‌نامه دانشجویی شش‌ماهه یا یک‌ساله است.")}
        exit_problem = limits.travel_starts_at_exit(bought_on=bought_on, starts_on=starts_on)
        if exit_problem:
            problems["starts_on"] = exit_problem
    term_problem = limits.term(line, days=(ends_on - starts_on).days, tariff=tariff, params=params)
    if term_problem:
        problems["ends_on"] = term_problem
    if line == BODY:
        build_year = build_year_of(params)
        if build_year is None:
            problems["build_year"] = limits.build_year_missing_message()
        else:
            age_problem = limits.car_age(
                line, build_year=build_year, this_solar_year=solar_year(bought_on), tariff=tariff
            )
            if age_problem:
                problems["build_year"] = age_problem
    return problems
