"""R-290: the third-party claim amount below which no police report or sketch is needed,
as tariff data per solar year (seed [003]: 6.3 million toman)."""

import datetime as dt

import pytest

from insurers.models import Insurer
from pricing.models import InsurerLineTerms, Tariff, TariffRate
from pricing.reference import load_reference_tariffs, tariff_rows
from pricing.selectors import tariff_problem_list, third_party_police_report_threshold

pytestmark = [pytest.mark.django_db, pytest.mark.rule("R-290")]

DAY_IN_1404 = dt.date(2025, 11, 21)
DAY_IN_1405 = dt.date(2026, 11, 21)


def _threshold_row(year: int) -> TariffRate:
    return TariffRate.objects.get(
        tariff__solar_year=year, line="third_party", table="claims", key="police_report_threshold"
    )


def test_the_threshold_is_six_point_three_million_toman_from_the_source():
    assert third_party_police_report_threshold(DAY_IN_1404) == 63_000_000


def test_the_row_names_its_source():
    row = _threshold_row(1404)
    assert not row.is_assumption and "[003]" in row.source


def test_each_solar_year_has_its_own_figure_that_staff_can_change():
    row = _threshold_row(1405)
    row.value = 80_000_000
    row.save()

    assert third_party_police_report_threshold(DAY_IN_1405) == 80_000_000
    assert third_party_police_report_threshold(DAY_IN_1404) == 63_000_000


def test_a_tariff_without_the_threshold_is_reported_incomplete():
    _threshold_row(1405).delete()

    assert "third_party/claims/police_report_threshold is missing" in tariff_problem_list(
        Tariff.objects.get(solar_year=1405)
    )


def test_an_existing_database_gets_the_threshold_from_the_reference_loader():
    _threshold_row(1404).delete()

    load_reference_tariffs(Tariff, TariffRate, InsurerLineTerms, Insurer)

    assert _threshold_row(1404).value == 63_000_000


def test_the_reference_rows_carry_the_threshold_every_year():
    keys = {(row["line"], row["table"], row["key"]) for row in tariff_rows(1406)}
    assert ("third_party", "claims", "police_report_threshold") in keys
