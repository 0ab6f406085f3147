"""Pricing entry points for the API, the pages and the marketplace's request form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from core.text import LIST_SEPARATOR
from pricing.core.engine import CALCULATORS, OTHER, clean_line_params, quote_line
from pricing.core.errors import InputError
from pricing.core.quote import Quote
from pricing.selectors import tariff_snapshot
from pricing.snapshots import snapshot_cache_key


class ParamsError(ApplicationError):
    """Bad line parameters, reported nested: {"params": {"car_value": ["…"]}}."""

    code = "invalid_params"

    def __init__(self, errors: dict[str, list[str]]):
        first = next(iter(errors.values()))[0] if errors else _("پارامترها نامعتبرند.")
        super().__init__(first, field="params")
        self.errors = errors

    def as_payload(self):
        return {"params": self.errors}


@dataclass(frozen=True)
class QuoteComparison:
    line: str
    params: dict
    quotes: list[Quote]
    solar_year: int
    # The quotes as JSON-ready dicts, built once per distinct comparison (see _QUOTE_MEMO).
    quotes_payload: tuple[dict, ...] = ()


def _check_line(line: str, *, quotable: bool) -> None:
    if line in CALCULATORS:
        return
    if line == OTHER and not quotable:
        return
    if line == OTHER:
        raise ApplicationError(
            _("برای «سایر بیمه‌ها» محاسبه قیمت وجود ندارد؛ درخواست خود را برای نمایندگان بفرستید."),
            field="line",
            code="not_quotable",
        )
    raise ApplicationError(
        _("رشته بیمه «%(line)s» شناخته نیست. یکی از این‌ها را بفرستید: %(lines)s")
        % {"line": str(line)[:40], "lines": LIST_SEPARATOR.join([*CALCULATORS, OTHER])},
        field="line",
        code="unknown_line",
    )


def validate_params(line_code: str, params, *, today: dt.date | None = None) -> dict:
    """Raw params of a line → cleaned values (defaults filled in); ParamsError naming each field.

    Amounts are rial ints, dates `datetime.date`, lists tuples. Used by the quote API and
    by the marketplace to check a request's params with the very same rules.
    """
    _check_line(line_code, quotable=False)
    today = today or timezone.localdate()
    try:
        return clean_line_params(line_code, params, tariff_snapshot(on=today), today)
    except InputError as exc:
        raise ParamsError(exc.errors) from None


def quote_compare(
    *, line: str, params, insurers: list[str] | None = None, today: dt.date | None = None
) -> QuoteComparison:
    """Every available insurer's quote for the params, cheapest first."""
    _check_line(line, quotable=True)
    today = today or timezone.localdate()
    snapshot = tariff_snapshot(on=today)
    insurer_codes = None
    if insurers is not None:
        if not isinstance(insurers, list | tuple) or not all(isinstance(code, str) for code in insurers):
            raise ApplicationError(_("فهرستی از کد بیمه‌گران بفرستید."), field="insurers")
        known = {terms.code for terms in snapshot.insurers}
        unknown = [code for code in insurers if code not in known]
        if unknown:
            raise ApplicationError(
                _("بیمه‌گر ناشناخته یا غیرفعال: %(codes)s") % {"codes": LIST_SEPARATOR.join(unknown[:5])},
                field="insurers",
            )
        insurer_codes = tuple(insurers)
    try:
        cleaned = clean_line_params(line, params, snapshot, today)
    except InputError as exc:
        raise ParamsError(exc.errors) from None
    memo_key = _memo_key(snapshot_cache_key(today), line, cleaned, insurer_codes)
    memoised = _QUOTE_MEMO.get(memo_key) if memo_key is not None else None
    if memoised is None:
        try:
            quotes = tuple(quote_line(line, cleaned, snapshot, today, insurer_codes))
        except InputError as exc:
            raise ParamsError(exc.errors) from None
        memoised = (quotes, tuple(quote.as_dict() for quote in quotes))
        if memo_key is not None:
            memo_put(_QUOTE_MEMO, memo_key, memoised, size=_QUOTE_MEMO_SIZE)
    quotes, payload = memoised
    return QuoteComparison(
        line=line, params=cleaned, quotes=list(quotes), solar_year=snapshot.solar_year, quotes_payload=payload
    )


# A quote is a pure function of (tariff snapshot version and date, line, cleaned params,
# insurers), and customers ask for the same common cases again and again (a 4-cylinder
# personal car with N claim-free years). Quotes are immutable, so this process keeps the
# last few hundred comparisons; a tariff edit changes the snapshot key and so every key.
_QUOTE_MEMO: dict[tuple, tuple[tuple[Quote, ...], tuple[dict, ...]]] = {}
_QUOTE_MEMO_SIZE = 512


def memo_put(memo: dict, key, value, *, size: int) -> None:
    """Keep `value` under `key` in a process memo of at most `size` entries."""
    if len(memo) >= size:
        memo.pop(next(iter(memo)))  # oldest first: a small FIFO is enough
    memo[key] = value


def _memo_key(snapshot_key: str, line: str, cleaned: dict, insurers) -> tuple | None:
    try:
        key = (snapshot_key, line, tuple(sorted(cleaned.items())), insurers)
        hash(key)
    except TypeError:  # an unhashable value: just compute
        return None
    return key
