"""Pricing entry points for the API, the pages and the marketplace's request form."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from pricing.core.engine import CALCULATORS, OTHER, clean_line_params, quote_line
from pricing.core.errors import InputError
from pricing.core.quote import Quote
from pricing.selectors import tariff_snapshot


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
        % {"line": str(line)[:40], "lines": "، ".join([*CALCULATORS, OTHER])},
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
                _("بیمه‌گر ناشناخته یا غیرفعال: %(codes)s") % {"codes": "، ".join(unknown[:5])}, field="insurers"
            )
        insurer_codes = tuple(insurers)
    try:
        cleaned = clean_line_params(line, params, snapshot, today)
        quotes = quote_line(line, cleaned, snapshot, today, insurer_codes)
    except InputError as exc:
        raise ParamsError(exc.errors) from None
    return QuoteComparison(line=line, params=cleaned, quotes=quotes, solar_year=snapshot.solar_year)
