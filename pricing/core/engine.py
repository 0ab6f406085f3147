"""The registry of calculators and the one entry point that prices a line for insurers."""

from __future__ import annotations

import datetime as dt
from types import ModuleType

from django.utils.translation import gettext as _

from insurers.lines import LineCode
from pricing.core import params as p
from pricing.core.errors import InputError
from pricing.core.lines import body, electronics, fire, third_party, travel
from pricing.core.quote import Quote
from pricing.core.tariff import TariffSnapshot

CALCULATORS: dict[str, ModuleType] = {
    third_party.CODE: third_party,
    body.CODE: body,
    fire.CODE: fire,
    travel.CODE: travel,
    electronics.CODE: electronics,
}
QUOTABLE_LINES = tuple(CALCULATORS)
OTHER = LineCode.OTHER.value


def line_params(line: str, snapshot: TariffSnapshot, today: dt.date) -> tuple[p.Param, ...]:
    """The parameters of a line; `other` has no calculator, only a free description.

    Built once per (snapshot, line, day, language): a third-party description with the car
    catalogue's 47 choices cost 15% of a repeated quote request when rebuilt every time
    (issue 14). The entry keeps the snapshot itself, so a new snapshot (a tariff edit) never
    meets an old entry, even if Python reuses the old object's id.
    """
    from django.utils.translation import get_language

    key = (id(snapshot), line, today, get_language())
    cached = _PARAMS_MEMO.get(key)
    if cached is not None and cached[0] is snapshot:
        return cached[1]
    if line == OTHER:
        params = (p.Param("description", _("شرح نیاز بیمه‌ای"), p.TEXT, default="", max=2000),)
    else:
        params = CALCULATORS[line].parameters(snapshot, today)
    if len(_PARAMS_MEMO) >= _PARAMS_MEMO_SIZE:
        _PARAMS_MEMO.pop(next(iter(_PARAMS_MEMO)))
    _PARAMS_MEMO[key] = (snapshot, params)
    return params


_PARAMS_MEMO: dict[tuple, tuple[TariffSnapshot, tuple[p.Param, ...]]] = {}
_PARAMS_MEMO_SIZE = 64


def clean_line_params(line: str, raw, snapshot: TariffSnapshot, today: dt.date) -> dict:
    """Raw params → cleaned dict, or InputError naming every field at fault."""
    cleaned, errors = p.clean_params(line_params(line, snapshot, today), raw)
    if errors:
        raise InputError(errors)
    if line in CALCULATORS:
        module = CALCULATORS[line]
        # Inputs implied by others (a car's tariff group) are filled in, so a request, a lead
        # and a policy read the same values the quote priced.
        derive = getattr(module, "derive_params", None)
        if derive is not None:
            cleaned = derive(cleaned, snapshot)
        module.build_input(cleaned, snapshot, today)  # cross-field rules
    return cleaned


def quote_line(
    line: str,
    cleaned: dict,
    snapshot: TariffSnapshot,
    today: dt.date,
    insurer_codes: tuple[str, ...] | None = None,
) -> list[Quote]:
    """Every available insurer's quote, cheapest first (ties in the insurers' own order)."""
    module = CALCULATORS[line]
    inp = module.build_input(cleaned, snapshot, today)
    terms = snapshot.insurers_for(line)
    if insurer_codes is not None:
        terms = tuple(t for t in terms if t.code in insurer_codes)
    ranked = sorted(
        ((module.quote(inp, snapshot, t), t.order) for t in terms), key=lambda pair: (pair[0].premium, pair[1])
    )
    return [quote for quote, _order in ranked]


def tariff_problems(snapshot: TariffSnapshot) -> list[str]:
    """What a tariff lacks before it can price every line (shown in the admin)."""
    problems = []
    general = snapshot.general
    if general.get("tax", "vat") is None:
        problems.append("general/tax/vat is missing")
    bands = general.int_bands("short_term")
    if not bands or bands[-1][0] < 365:
        problems.append("general/short_term must reach 365 days")
    for module in CALCULATORS.values():
        problems.extend(module.validate_tariff(snapshot.line(module.CODE)))
    return problems
