"""Bounds on what a person can type: dates in a plausible window, numbers the database holds.

Issue 13 point 4: bad input is a 400 with a Persian message, never a 500. A date or a number
outside these bounds is refused by the input field itself (core.fields, the serializers and
the forms), before any service or column sees it.

Dates (`DateWindow`, checked by `core.fields.FlexibleDateField` and `JalaliDateFormField`):

- every date typed into the portal lies in PLAUSIBLE_DATES: from 1900-01-01 to ten years
  after today (a policy runs at most three years, a licence is renewed well within ten);
- an account holder's birth date (BIRTH_DATES): from 1900-01-01 to the day they turned
  ADULT_AGE_YEARS (18, the age of majority for an account holder); never in the future;
- a licence's expiry (LICENCE_EXPIRY_DATES): at most LICENCE_MAX_YEARS (30) after today. The
  sources name no longest term for an agent's licence, and agents do type expiries twenty-five
  years ahead (Jalali 1430); thirty keeps a mistyped century (1500 = 2121) out. A licence that
  has already expired is refused by `agents.validation.parse_future_date`.

Numbers: MAX_AMOUNT_RIAL bounds money (a sum of a few amounts stays far inside PostgreSQL's
`bigint`); the other maxima are the columns' own (`smallint`, `integer`, `bigint`).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from core.jalali import format_jalali
from core.text import to_persian_digits

# --- numbers --------------------------------------------------------------------------------
MAX_SMALLINT = 2**15 - 1  # PostgreSQL smallint (Django's SmallIntegerField, PositiveSmallIntegerField)
MAX_INT = 2**31 - 1  # PostgreSQL integer (IntegerField, PositiveIntegerField)
MAX_BIGINT = 2**63 - 1  # PostgreSQL bigint (BigIntegerField, BigAutoField ids, money columns)
MIN_BIGINT = -(2**63)
# Ten thousand trillion rial: a thousand times the largest sum insured the portal has seen, and
# small enough that adding up thousands of amounts (instalments, endorsements) stays in a bigint.
MAX_AMOUNT_RIAL = 10**16

# --- dates ----------------------------------------------------------------------------------
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_YEARS_AHEAD = 10
ADULT_AGE_YEARS = 18
LICENCE_MAX_YEARS = 30


def years_after(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (a 29 February becomes the 28th in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _shown(day: dt.date) -> str:
    return to_persian_digits(format_jalali(day))


@dataclass(frozen=True)
class DateWindow:
    """The dates a field accepts, computed from today; `check` raises a Persian ValidationError."""

    earliest: Callable[[dt.date], dt.date]
    latest: Callable[[dt.date], dt.date]
    too_early: Callable[[dt.date], str]
    too_late: Callable[[dt.date], str]

    def bounds(self, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
        today = today or timezone.localdate()
        return self.earliest(today), self.latest(today)

    def check(self, value: dt.date, today: dt.date | None = None) -> dt.date:
        earliest, latest = self.bounds(today)
        if value < earliest:
            raise ValidationError(self.too_early(earliest), code="date_too_early")
        if value > latest:
            raise ValidationError(self.too_late(latest), code="date_too_late")
        return value


PLAUSIBLE_DATES = DateWindow(
    earliest=lambda today: EARLIEST_DATE,
    latest=lambda today: years_after(today, LATEST_YEARS_AHEAD),
    too_early=lambda bound: _("تاریخ نمی‌تواند پیش از %(day)s باشد.") % {"day": _shown(bound)},
    too_late=lambda bound: _("تاریخ نمی‌تواند پس از %(day)s باشد.") % {"day": _shown(bound)},
)

BIRTH_DATES = DateWindow(
    earliest=lambda today: EARLIEST_DATE,
    latest=lambda today: years_after(today, -ADULT_AGE_YEARS),
    too_early=lambda bound: _("تاریخ تولد نمی‌تواند پیش از %(day)s باشد.") % {"day": _shown(bound)},
    too_late=lambda bound: (
        _("دارندهٔ حساب باید دست‌کم %(age)s سال داشته باشد؛ تاریخ تولد تا %(day)s پذیرفته است.")
        % {"age": to_persian_digits(ADULT_AGE_YEARS), "day": _shown(bound)}
    ),
)

LICENCE_EXPIRY_DATES = DateWindow(
    earliest=lambda today: EARLIEST_DATE,
    latest=lambda today: years_after(today, LICENCE_MAX_YEARS),
    too_early=lambda bound: _("تاریخ انقضای پروانه نمی‌تواند پیش از %(day)s باشد.") % {"day": _shown(bound)},
    too_late=lambda bound: (
        _("تاریخ انقضای پروانه بیش از %(years)s سال بعد است؛ تاریخ را از روی پروانه بنویسید.")
        % {"years": to_persian_digits(LICENCE_MAX_YEARS)}
    ),
)
