import time
from dataclasses import dataclass

from core.text import to_latin_digits, to_persian_letters
from insurers.cache import reference_version
from insurers.models import InsuranceLine, Insurer, Province


def line_list():
    return list(InsuranceLine.objects.all())


def insurer_list(*, active_only=True):
    queryset = Insurer.objects.all()
    if active_only:
        queryset = queryset.filter(is_active=True)
    return list(queryset)


def province_list():
    return list(Province.objects.all())


@dataclass(frozen=True)
class ReferenceRows:
    """The reference rows a posted request is checked against, by the keys callers send."""

    provinces_by_code: dict[str, Province]
    provinces_by_name: dict[str, Province]
    lines_by_code: dict[str, InsuranceLine]
    active_insurers_by_code: dict[str, Insurer]


# One entry: the rows of the current reference-data version, in this process, and when they
# were read. A bulk `update()` bypasses the signals that replace the version: the rows are
# read again after the same backstop as the cached pages' (core.page_cache.TIMEOUT_SECONDS).
_REFERENCE_MEMO: dict[str, tuple[ReferenceRows, float]] = {}
REFERENCE_MEMO_SECONDS = 15 * 60


def reference_rows() -> ReferenceRows:
    """Provinces, lines and active insurers, read from the database once per reference-data
    version in each process (issue 16 point 2).

    Posting a request looked each of them up with its own query (three of a post's nine
    statements) although they change only in the admin or the reference loader, and
    `insurers.cache` replaces the version on every save or delete of one of them (now and
    after the commit). The cost per request is the version's cache read. The instances are
    shared between requests: read them, never change or save them.
    """
    version = reference_version()
    rows, read_at = _REFERENCE_MEMO.get(version, (None, 0.0))
    if rows is None or time.monotonic() - read_at > REFERENCE_MEMO_SECONDS:
        provinces = list(Province.objects.all())
        rows = ReferenceRows(
            provinces_by_code={province.code: province for province in provinces},
            provinces_by_name={province.name: province for province in provinces},
            lines_by_code={line.code: line for line in InsuranceLine.objects.all()},
            active_insurers_by_code={insurer.code: insurer for insurer in Insurer.objects.filter(is_active=True)},
        )
        _REFERENCE_MEMO.clear()
        _REFERENCE_MEMO[version] = (rows, time.monotonic())
    return rows


def province_by_code_or_name(value):
    """A province from its code (`tehran`) or its Persian name (`تهران`); None if neither."""
    text = to_persian_letters(to_latin_digits(str(value)).strip())
    if not text:
        return None
    rows = reference_rows()
    return rows.provinces_by_code.get(text.lower()) or rows.provinces_by_name.get(text)


def line_by_code(code) -> InsuranceLine | None:
    return reference_rows().lines_by_code.get(str(code))


def active_insurers_by_code() -> dict[str, Insurer]:
    return reference_rows().active_insurers_by_code
