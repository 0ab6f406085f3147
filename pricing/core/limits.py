"""The line limits of the sources, one function per rule: what a policy of each line may be.

The quote, the recording of a policy, its renewal and its endorsements all go through
these functions, so a limit cannot hold for a quote and silently not for a recorded policy
(issue 12). Pure: plain values in, and where a figure is tariff data (the body car's
maximum age, the single trip's maximum days) the tariff's `LineTariff`; no database.

Each check returns `None` when the value is within the limit, or the Persian refusal that
names the rule. The caller decides which input it blames: the quote's parameter
(`InputError`, e.g. `build_year`), the recorded policy's field (`ApplicationError`,
e.g. `ends_on`). The pricing lines build their parameters' bounds and messages from the
same figures (`body_oldest_build_year`, `travel_single_max_days`), so the quote form and
the lines API show the limit before anything is sent.

Days of a policy are counted as `ends_on − starts_on`, as everywhere else in the project
(`policies.rules.term_days`, the quote's `duration_days`).
"""

from __future__ import annotations

from insurers.lines import LineCode
from pricing.core.i18n import gettext_cached as _
from pricing.core.tariff import LineTariff

THIRD_PARTY = LineCode.THIRD_PARTY.value
BODY = LineCode.BODY.value
TRAVEL = LineCode.TRAVEL.value
ELECTRONICS = LineCode.ELECTRONICS.value

SINGLE = "single"
MULTIPLE = "multiple"
STUDENT = "student"
TRIP_TYPES = (SINGLE, MULTIPLE, STUDENT)
STUDENT_MONTHS = (6, 12)

DAYS_IN_YEAR = 365
# A "year" written on a policy spans 365 days, or 366 across a leap day (Gregorian Feb 29
# or Jalali Esfand 30): both are one year.
LONGEST_YEAR_DAYS = 366
# Six solar months are at most 186 days (the first six Jalali months have 31 days each).
LONGEST_HALF_YEAR_DAYS = 186

# The people whose car a body policy may move to [004].
INSURED = "insured"
SPOUSE = "spouse"
OTHER = "other"
CAR_OWNERS = (INSURED, SPOUSE, OTHER)

# [004] "بیمه‌نامه مسافرتی قابل تمدید نیست".
NOT_RENEWABLE = frozenset({TRAVEL})


def _fa(value: int) -> str:
    from core.text import to_persian_digits

    return to_persian_digits(value)


# --- car body: one year at least ------------------------------------------------------------

BODY_MIN_TERM_DAYS = DAYS_IN_YEAR


def body_term_message() -> str:
    return _("بیمه بدنه کمتر از یک سال صادر نمی‌شود.")


def body_term(days: int) -> str | None:
    """[004] "صدور بیمه‌نامه بدنه کمتر از یکسال امکان پذیر نمی‌باشد"."""
    return body_term_message() if days < BODY_MIN_TERM_DAYS else None


# --- car body: no car older than 20 years -----------------------------------------------------


def body_max_car_age(tariff: LineTariff) -> int:
    """The oldest car (in solar years since its build year) body cover accepts: tariff data."""
    return int(tariff.value("age", "max_years"))


def body_oldest_build_year(tariff: LineTariff, this_solar_year: int) -> int:
    return this_solar_year - body_max_car_age(tariff)


def car_too_old_message(tariff: LineTariff) -> str:
    return _("خودروهایی که بیش از %(years)s سال از ساختشان گذشته بیمه بدنه نمی‌شوند.") % {
        "years": _fa(body_max_car_age(tariff))
    }


def car_age(line: str, *, build_year: int, this_solar_year: int, tariff: LineTariff) -> str | None:
    """[004] no body cover for a car more than 20 years past its build year.

    Body only: third-party is compulsory for every vehicle owner [003] and the sources put
    no age limit on it, so any other line passes.
    """
    if line != BODY:
        return None
    if build_year < body_oldest_build_year(tariff, this_solar_year):
        return car_too_old_message(tariff)
    return None


def build_year_missing_message() -> str:
    return _("سال ساخت خودرو (شمسی) را وارد کنید؛ بیمه بدنه برای خودروی بیش از ۲۰ سال ساخت صادر نمی‌شود.")


# --- travel: the trip types and their length ---------------------------------------------------


def travel_single_max_days(tariff: LineTariff) -> int:
    """[004] a single trip: at most 92 days (Central Insurance's rule): tariff data."""
    return int(tariff.value("trip", "single_max_days"))


def travel_single_too_long_message(max_days: int) -> str:
    return _(
        "بیمه‌نامه تک‌سفره حداکثر برای %(days)s روز صادر می‌شود؛ برای مدت بیشتر بیمه‌نامه چندسفره یا دانشجویی بگیرید."
    ) % {"days": _fa(max_days)}


def travel_term(trip_type: str, *, days: int, tariff: LineTariff, student_months: int = 12) -> str | None:
    """How long a travel policy may run from the first exit (`starts_on`) [004].

    * single (انفرادی): at most 92 days;
    * multiple (چندسفره): one year counted from the first exit;
    * student (دانشجویی): six months or one year.
    """
    if trip_type == SINGLE:
        max_days = travel_single_max_days(tariff)
        return travel_single_too_long_message(max_days) if days > max_days else None
    if trip_type == MULTIPLE:
        if days > LONGEST_YEAR_DAYS:
            return _("بیمه‌نامه چندسفره یک سال از نخستین خروج از کشور اعتبار دارد، نه بیشتر.")
        return None
    if trip_type == STUDENT:
        if student_months not in STUDENT_MONTHS:
            return _("بیمه‌نامه دانشجویی شش‌ماهه یا یک‌ساله است.")
        longest = LONGEST_HALF_YEAR_DAYS if student_months == 6 else LONGEST_YEAR_DAYS
        if days > longest:
            return _("بیمه‌نامه دانشجویی %(months)s حداکثر تا همین مدت از نخستین خروج اعتبار دارد.") % {
                "months": _("شش‌ماهه") if student_months == 6 else _("یک‌ساله")
            }
        return None
    return _("نوع بیمه‌نامه مسافرتی باید تک‌سفره، چندسفره یا دانشجویی باشد.")


def travel_starts_at_exit(*, bought_on, starts_on) -> str | None:
    """[004] the cover starts at the exit from Iran (the exit stamp), so the policy is bought
    before leaving: its start (the exit date) cannot be before the day it was bought."""
    if starts_on < bought_on:
        return _(
            "بیمه‌نامه مسافرتی از تاریخ خروج از کشور شروع می‌شود و پیش از سفر خریده می‌شود؛ "
            "تاریخ شروع (خروج) نمی‌تواند پیش از تاریخ خرید باشد."
        )
    return None


# --- electronics: one solar year ---------------------------------------------------------------


def electronics_term(days: int) -> str | None:
    """[003] electronics cover runs one solar year from the purchase (after the expert's check)."""
    if not DAYS_IN_YEAR <= days <= LONGEST_YEAR_DAYS:
        return _("بیمه تجهیزات الکترونیک برای یک سال شمسی صادر می‌شود.")
    return None


def term(line: str, *, days: int, tariff: LineTariff | None = None, params: dict | None = None) -> str | None:
    """The length limit of `line` for a policy of `days` days, whichever rule applies."""
    if line == BODY:
        return body_term(days)
    if line == ELECTRONICS:
        return electronics_term(days)
    if line == TRAVEL:
        params = params or {}
        return travel_term(
            str(params.get("trip_type") or SINGLE),
            days=days,
            tariff=tariff,
            student_months=_int_or_none(params.get("student_months")) or 12,
        )
    return None


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- renewal and transfer ----------------------------------------------------------------------


def renewal(line: str) -> str | None:
    """[004] a travel policy is not renewed: a new one is bought."""
    if line in NOT_RENEWABLE:
        return _("بیمه‌نامه مسافرتی قابل تمدید نیست؛ بیمه‌نامه جدید بخرید.")
    return None


def owner_transfer(line: str) -> str | None:
    """Handing the policy to another person (a new owner).

    [003]: body cover belongs to one person and is not handed on ("نمی توان آن را انتقال
    داد"), while third-party follows the car to its new owner by an endorsement.
    """
    if line == BODY:
        return _("بیمه بدنه به شخص دیگری منتقل نمی‌شود؛ فقط به خودروی دیگری به نام خود بیمه‌گذار یا همسرش منتقل می‌شود.")
    return None


def car_transfer(line: str, *, owner: str) -> str | None:
    """Moving the policy to another car, owned by `owner` (insured, spouse or other).

    [004]: a body policy moves from one car to another car in the name of the insured or
    the insured's spouse, with its discounts; never to a car in someone else's name.
    [003] says body cover "cannot be transferred"; read together, [003] speaks of handing
    it to the buyer of the car (`owner_transfer`), [004] of the insured changing cars.
    Only body policies move between cars here: the sources say nothing of other lines.
    """
    if line != BODY:
        return _("تغییر خودرو با الحاقی فقط برای بیمه بدنه است.")
    if owner not in (INSURED, SPOUSE):
        return _("بیمه بدنه فقط به خودروی دیگری به نام خود بیمه‌گذار یا همسرش منتقل می‌شود.")
    return None
