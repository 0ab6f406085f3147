"""Electronics (بیمه تجهیزات الکترونیک): one solar year, a rate on the device's value by type."""

from __future__ import annotations

from dataclasses import dataclass

from insurers.lines import LineCode
from pricing.core import params as p
from pricing.core.i18n import gettext_cached as _
from pricing.core.lines.common import add_insurer_adjustment, add_vat, choices_from, insurer_percent
from pricing.core.money import Draft, percent, settle
from pricing.core.quote import Quote
from pricing.core.tariff import InsurerTerms, LineTariff, TariffSnapshot

CODE = LineCode.ELECTRONICS.value


@dataclass(frozen=True)
class ElectronicsInput:
    device_type: str
    device_value: int


def parameters(snapshot: TariffSnapshot, today) -> tuple[p.Param, ...]:
    tariff = snapshot.line(CODE)
    return (
        p.Param("device_type", _("نوع دستگاه"), p.CHOICE, required=True, choices=choices_from(tariff, "rate")),
        p.Param(
            "device_value",
            _("ارزش دستگاه (قیمت فاکتور)"),
            p.MONEY,
            required=True,
            min=int(tariff.get("limits", "min_value", 0) or 0),
            max=int(tariff.get("limits", "max_value", 10**12) or 10**12),
            unit="rial",
        ),
    )


def build_input(cleaned: dict, snapshot: TariffSnapshot, today) -> ElectronicsInput:
    return ElectronicsInput(**cleaned)


def quote(inp: ElectronicsInput, snapshot: TariffSnapshot, terms: InsurerTerms) -> Quote:
    tariff = snapshot.line(CODE)
    draft = Draft()
    base = draft.add(
        "base_premium",
        _("حق بیمه پایه (نرخ سالانه بر ارزش دستگاه)"),
        inp.device_value * percent(tariff.value("rate", inp.device_type)),
        keep_zero=True,
    )
    add_insurer_adjustment(draft, base * percent(insurer_percent(tariff, terms)))
    add_vat(draft, draft.total, snapshot)
    return settle(draft, insurer=terms.code, insurer_name=terms.name)


def validate_tariff(tariff: LineTariff) -> list[str]:
    return [] if tariff.table("rate") else ["electronics/rate is empty"]
