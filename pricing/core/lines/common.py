"""Steps every line shares: the insurer's adjustment and VAT."""

from __future__ import annotations

from decimal import Decimal

from pricing.core.i18n import gettext_cached as _
from pricing.core.money import Draft, percent
from pricing.core.tariff import InsurerTerms, LineTariff, TariffSnapshot


def insurer_percent(line_tariff: LineTariff, terms: InsurerTerms) -> Decimal:
    """The insurer's discount (−) or loading (+), held inside the Central Insurance bounds.

    The admin refuses values outside the bounds; clamping again here keeps a stale row
    (bounds tightened in a new year's tariff) from ever pricing outside them.
    """
    low = line_tariff.get("insurer_bounds", "min_adjustment", Decimal(0))
    high = line_tariff.get("insurer_bounds", "max_adjustment", Decimal(0))
    return min(max(terms.adjustment_percent, low), high)


def add_insurer_adjustment(draft: Draft, amount: Decimal) -> Decimal:
    """The insurer's exact discount (negative) or loading (positive) as one line."""
    label = _("تخفیف بیمه‌گر") if amount < 0 else _("اضافه‌نرخ بیمه‌گر")
    return draft.add("insurer_adjustment", label, amount)


def vat_percent(snapshot: TariffSnapshot) -> Decimal:
    return snapshot.general.value("tax", "vat")


def add_vat(draft: Draft, taxable: Decimal, snapshot: TariffSnapshot) -> Decimal:
    pct = vat_percent(snapshot)
    return draft.add("vat", _("مالیات بر ارزش افزوده (%(pct)s٪)") % {"pct": _fa_percent(pct)}, taxable * percent(pct))


def _fa_percent(value: Decimal) -> str:
    from core.text import to_persian_digits

    return to_persian_digits(format(value.normalize(), "f"))


def choices_from(line_tariff: LineTariff, table: str):
    from pricing.core.params import Choice

    return tuple(Choice(key, rate.label or key) for key, rate in line_tariff.table(table).items())
