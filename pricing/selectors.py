"""Reads: the tariff in force, its cached snapshot, and each line's parameter description."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import ApplicationError
from insurers.cache import reference_version
from insurers.models import InsuranceLine, Insurer
from pricing.core.engine import CALCULATORS, OTHER, line_params, tariff_problems
from pricing.core.tariff import CarSpec, InsurerTerms, LineTariff, Rate, TariffSnapshot
from pricing.models import QUOTABLE_LINE_CHOICES, CarModel, InsurerLineTerms, Tariff, TariffRate
from pricing.snapshots import TIMEOUT_SECONDS, snapshot_cache_key


class TariffMissingError(ApplicationError):
    status_code = 503
    code = "tariff_missing"


def tariff_in_force(*, on: dt.date | None = None) -> Tariff | None:
    """The published tariff in force on `on`, or the latest started (`TariffQuerySet.in_force`)."""
    return Tariff.objects.in_force(on=on)


def snapshot_build(tariff: Tariff) -> TariffSnapshot:
    """Copy one tariff, every insurer's terms and the car catalogue out of the database (five queries)."""
    by_line: dict[str, list[Rate]] = {}
    for row in TariffRate.objects.filter(tariff=tariff).order_by("line", "table", "order", "id"):
        by_line.setdefault(row.line, []).append(
            Rate(row.table, row.key, Decimal(row.value), row.label, row.is_assumption)
        )
    terms_by_key = {(t.insurer_id, t.line): t for t in InsurerLineTerms.objects.all()}
    insurers = []
    for insurer in Insurer.objects.filter(is_active=True).order_by("order", "code"):
        for line, _label in QUOTABLE_LINE_CHOICES:
            terms = terms_by_key.get((insurer.pk, line))
            # An insurer without a row for a line (added after the tariff was loaded)
            # offers it at the plain tariff until staff say otherwise.
            insurers.append(
                InsurerTerms(
                    code=insurer.code,
                    name=insurer.name,
                    line=line,
                    adjustment_percent=Decimal(terms.adjustment_percent) if terms else Decimal(0),
                    is_available=terms.is_available if terms else True,
                    order=insurer.order,
                )
            )
    return TariffSnapshot(
        solar_year=tariff.solar_year,
        effective_from=tariff.effective_from,
        effective_until=tariff.effective_until,
        lines=tuple(LineTariff(line, tuple(rates)) for line, rates in by_line.items()),
        insurers=tuple(insurers),
        cars=tuple(
            CarSpec(
                code=car.code,
                make=car.make,
                name=car.name,
                third_party_group=car.third_party_group,
                body_engine_class=car.body_engine_class,
                kind=car.kind,
                cylinders=car.cylinders,
            )
            for car in CarModel.objects.filter(is_active=True)
        ),
    )


# Snapshots already unpickled by this process, by cache key. The key carries the shared
# version, so an edit anywhere (a new version in the shared cache) is seen at once; only
# the unpickling — a third of a quote's time — is saved.
_PROCESS_SNAPSHOTS: dict[str, TariffSnapshot] = {}


def tariff_snapshot(*, on: dt.date | None = None) -> TariffSnapshot:
    """The snapshot in force on `on` (today by default), from the cache when warm."""
    on = on or timezone.localdate()
    key = snapshot_cache_key(on)
    snapshot = _PROCESS_SNAPSHOTS.get(key)
    if snapshot is not None:
        return snapshot
    snapshot = cache.get(key)
    if snapshot is None:
        tariff = tariff_in_force(on=on)
        if tariff is None:
            raise TariffMissingError(_("تعرفه‌ای برای این تاریخ ثبت نشده است؛ بعداً دوباره امتحان کنید."))
        snapshot = snapshot_build(tariff)
        cache.set(key, snapshot, TIMEOUT_SECONDS)
    if len(_PROCESS_SNAPSHOTS) > 16:  # old versions and dates: drop them all
        _PROCESS_SNAPSHOTS.clear()
    _PROCESS_SNAPSHOTS[key] = snapshot
    return snapshot


def line_names() -> dict[str, str]:
    # Under the reference data's version: a renamed line shows on the next request.
    key = f"pricing:line-names:{reference_version()}"
    cached = cache.get(key)
    if cached is None:
        cached = dict(InsuranceLine.objects.values_list("code", "name"))
        cache.set(key, cached, TIMEOUT_SECONDS)
    return cached


def line_param_specs(line_code: str, *, on: dt.date | None = None):
    """The `Param` objects of a line (the HTML form renders them)."""
    on = on or timezone.localdate()
    return line_params(line_code, tariff_snapshot(on=on), on)


def line_parameters(line_code: str, *, on: dt.date | None = None) -> list[dict]:
    """The machine-readable parameters of a line (types, limits, defaults, choices).

    The request form of the marketplace reuses this, with `pricing.services.validate_params`.
    """
    on = on or timezone.localdate()
    if line_code not in CALCULATORS and line_code != OTHER:
        raise ApplicationError(_("رشته بیمه «%(line)s» شناخته نیست.") % {"line": line_code}, field="line")
    return [param.as_dict() for param in line_params(line_code, tariff_snapshot(on=on), on)]


# Catalogs already built by this process, keyed by the snapshot's cache key (tariff
# version and date) and the line names: the catalog is a pure function of those, and
# rebuilding it for every GET cost 4 ms of a 4.4 ms request (docs/BENCHMARKS.md).
_PROCESS_CATALOGS: dict[tuple, tuple[dict, ...]] = {}


def line_catalog(*, on: dt.date | None = None) -> tuple[dict, ...]:
    """Every line with its parameters, in the lines' own order; `other` has no price.

    Shared between requests: read it, never change it.
    """
    on = on or timezone.localdate()
    names = line_names()
    memo_key = (snapshot_cache_key(on), tuple(names.items()))
    catalog = _PROCESS_CATALOGS.get(memo_key)
    if catalog is not None:
        return catalog
    codes = [*CALCULATORS, OTHER]
    ordered = sorted(codes, key=lambda code: list(names).index(code) if code in names else len(names))
    catalog = tuple(
        {
            "code": code,
            "name": names.get(code, code),
            "quotable": code in CALCULATORS,
            "parameters": line_parameters(code, on=on),
        }
        for code in ordered
    )
    if len(_PROCESS_CATALOGS) > 16:  # old versions and dates: drop them all
        _PROCESS_CATALOGS.clear()
    _PROCESS_CATALOGS[memo_key] = catalog
    return catalog


def insurer_adjustment_bounds(*, line: str, on: dt.date | None = None) -> tuple[Decimal, Decimal]:
    """The Central Insurance bounds of an insurer's adjustment on a line, from the tariff in force."""
    return TariffRate.objects.insurer_bounds(tariff=tariff_in_force(on=on), line=line)


def tariff_problem_list(tariff: Tariff) -> list[str]:
    """What stops a tariff from pricing every line (empty when complete)."""
    return tariff_problems(snapshot_build(tariff))


def third_party_police_report_threshold(on: dt.date) -> int:
    """The third-party claim amount (rial) below which no police report or sketch is needed.

    Seed [003]: a loss under 6.3 million toman is paid without a police report, both cars
    present. The figure is tariff data of the solar year in force on `on` (the accident
    day), so staff change it each year in the admin.
    """
    value = tariff_snapshot(on=on).line("third_party").get("claims", "police_report_threshold")
    if value is None:
        raise TariffMissingError(_("سقف خسارت بدون کروکی در تعرفه این سال ثبت نشده است."))
    return int(value)
