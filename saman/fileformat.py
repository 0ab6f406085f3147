"""The Saman file format, version 1 (docs/SAMAN.md is the reference for the receiving side).

UTF-8 without BOM, LF line ends, one record per line, fields separated by `|`:

    H|BIMEHMALL-SAMAN|1|<year>|<month>|<first day>|<last day>
    P|… one line per policy issued in the month
    E|… one line per endorsement (الحاقی) issued in the month
    C|… one line per cancellation (فسخ) or annulment (ابطال) decided in the month
    L|… one line per claim paid in the month
    T|<P count>|<E count>|<C count>|<L count>|<lines>|<premium>|<endorsement delta>|<refund>|<paid>

Dates are Jalali YYYYMMDD (Latin digits) of the Tehran calendar day; amounts are whole
rial, no separators. Nothing in the file depends on when it was written, so the same
month with the same data is the same bytes.
"""

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from zoneinfo import ZoneInfo

import jdatetime

FORMAT_NAME = "BIMEHMALL-SAMAN"
FORMAT_VERSION = 1
SEPARATOR = "|"
TEHRAN = ZoneInfo("Asia/Tehran")

# Characters that would break the one-record-per-line, pipe-separated layout.
_UNSAFE = str.maketrans({"|": " ", "\r": " ", "\n": " ", "\t": " ", "\x00": " "})


@lru_cache(maxsize=4096)
def jalali_day(day: dt.date) -> str:
    # Cached: a month's million rows share a few hundred distinct days, and jdatetime's
    # conversion is pure Python.
    return jdatetime.date.fromgregorian(date=day).strftime("%Y%m%d")


def jalali_of(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.astimezone(TEHRAN).date()
    return jalali_day(value)


def text(value) -> str:
    return "" if value is None else str(value).translate(_UNSAFE).strip()


def amount(value) -> str:
    return "" if value is None else str(int(value))


def line(*fields: str) -> str:
    return SEPARATOR.join(fields) + "\n"


def header(*, year: int, month: int, first_day: dt.date, last_day: dt.date) -> str:
    return line(
        "H", FORMAT_NAME, str(FORMAT_VERSION), str(year), f"{month:02d}", jalali_day(first_day), jalali_day(last_day)
    )


def policy_record(row) -> str:
    pk, insurer, line_code, number, national_code, issued_at, starts_on, ends_on, sum_insured, premium, plan = row
    return line(
        "P",
        str(pk),
        text(insurer),
        text(line_code),
        text(number),
        text(national_code),
        jalali_of(issued_at),
        jalali_of(starts_on),
        jalali_of(ends_on),
        amount(sum_insured),
        amount(premium),
        text(plan),
    )


def endorsement_record(row) -> str:
    pk, policy_id, insurer, policy_number, number, kind, issued_at, effective_on, delta = row
    return line(
        "E",
        str(pk),
        str(policy_id),
        text(insurer),
        text(policy_number),
        str(number),
        text(kind),
        jalali_of(issued_at),
        jalali_of(effective_on),
        amount(delta),
    )


def cancellation_record(row) -> str:
    policy_id, insurer, number, status, cancelled_at, effective_on, by, kept, refund = row
    return line(
        "C",
        str(policy_id),
        text(insurer),
        text(number),
        text(status),
        jalali_of(cancelled_at),
        jalali_of(effective_on),
        text(by),
        amount(kept),
        amount(refund),
    )


def claim_record(row) -> str:
    pk, policy_id, insurer, policy_number, occurred_on, paid_at, paid_amount, cause = row
    return line(
        "L",
        str(pk),
        str(policy_id),
        text(insurer),
        text(policy_number),
        jalali_of(occurred_on),
        jalali_of(paid_at),
        amount(paid_amount),
        text(cause),
    )


@dataclass
class Totals:
    """What the trailer (and the manifest) count while the records stream past."""

    counts: dict = field(default_factory=lambda: {"P": 0, "E": 0, "C": 0, "L": 0})
    premium: int = 0
    endorsement_delta: int = 0
    refund: int = 0
    paid: int = 0

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    def as_dict(self) -> dict:
        return {
            "policies": self.counts["P"],
            "endorsements": self.counts["E"],
            "cancellations": self.counts["C"],
            "claims_paid": self.counts["L"],
            "records": self.records,
            "premium": self.premium,
            "endorsement_delta": self.endorsement_delta,
            "refund": self.refund,
            "paid": self.paid,
        }


def trailer(totals: Totals) -> str:
    counts = totals.counts
    # Header + records + this trailer.
    lines = totals.records + 2
    return line(
        "T",
        str(counts["P"]),
        str(counts["E"]),
        str(counts["C"]),
        str(counts["L"]),
        str(lines),
        str(totals.premium),
        str(totals.endorsement_delta),
        str(totals.refund),
        str(totals.paid),
    )
