"""Tariffs as data: present after migrate, validated in the admin, cached and invalidated."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from insurers.models import Insurer
from pricing.models import InsurerLineTerms, Tariff, TariffRate
from pricing.selectors import tariff_in_force, tariff_problem_list, tariff_snapshot
from pricing.services import quote_compare
from tests.pricing.factories import TODAY, InsurerLineTermsFactory, TariffFactory, TariffRateFactory

pytestmark = pytest.mark.django_db


def test_fresh_database_has_the_1405_tariff_in_force_today():
    assert tariff_in_force(on=TODAY).solar_year == 1405


def test_fresh_database_also_has_the_1404_tariff():
    assert tariff_in_force(on=dt.date(2025, 11, 21)).solar_year == 1404


def test_reference_tariffs_are_complete():
    assert [tariff_problem_list(t) for t in Tariff.objects.all()] == [[], []]


def test_every_figure_without_a_source_is_flagged_as_an_assumption():
    unflagged = TariffRate.objects.filter(source__icontains="assumption", is_assumption=False)
    assert not unflagged.exists()


def test_1405_amounts_carried_over_from_1404_are_flagged_as_assumptions():
    rate = TariffRate.objects.get(tariff__solar_year=1405, line="third_party", table="base_premium", key="car_4cyl")
    assert rate.is_assumption and "1404" in rate.source


def test_1404_published_figures_are_not_assumptions():
    rate = TariffRate.objects.get(tariff__solar_year=1404, line="third_party", table="base_premium", key="car_4cyl")
    assert (rate.value, rate.is_assumption) == (Decimal(105_132_000), False)


def test_every_insurer_has_terms_for_every_quotable_line():
    assert InsurerLineTerms.objects.count() == Insurer.objects.count() * 5


def test_after_the_last_tariff_ends_the_latest_one_still_prices():
    assert tariff_in_force(on=dt.date(2030, 1, 1)).solar_year == 1405


def test_tariff_rate_refuses_a_percentage_above_100():
    rate = TariffRateFactory.build(
        tariff=Tariff.objects.get(solar_year=1405), line="body", table="no_claim", key="5", value=150
    )
    with pytest.raises(ValidationError) as exc:
        rate.full_clean()
    assert "value" in exc.value.message_dict


def test_tariff_rate_refuses_a_fractional_rial_amount():
    rate = TariffRateFactory.build(tariff=Tariff.objects.get(solar_year=1405), value=Decimal("10.5"))
    with pytest.raises(ValidationError):
        rate.full_clean()


def test_tariff_rate_refuses_an_unknown_table():
    rate = TariffRateFactory.build(tariff=Tariff.objects.get(solar_year=1405), table="surprise")
    with pytest.raises(ValidationError) as exc:
        rate.full_clean()
    assert "table" in exc.value.message_dict


def test_tariff_refuses_dates_overlapping_another_published_tariff():
    tariff = Tariff(solar_year=1406, effective_from=dt.date(2027, 3, 1), effective_until=dt.date(2028, 3, 19))
    with pytest.raises(ValidationError) as exc:
        tariff.full_clean()
    assert "effective_from" in exc.value.message_dict


def test_tariff_refuses_an_end_before_its_start():
    tariff = Tariff(solar_year=1407, effective_from=dt.date(2029, 3, 1), effective_until=dt.date(2028, 3, 19))
    with pytest.raises(ValidationError):
        tariff.full_clean()


def test_insurer_adjustment_outside_the_central_insurance_bounds_is_refused():
    terms = InsurerLineTerms.objects.get(insurer__code="iran", line="travel")
    terms.adjustment_percent = Decimal(-40)
    with pytest.raises(ValidationError) as exc:
        terms.full_clean()
    assert "adjustment_percent" in exc.value.message_dict


def test_snapshot_is_cached_after_the_first_read(django_assert_num_queries):
    tariff_snapshot(on=TODAY)
    with django_assert_num_queries(0):
        tariff_snapshot(on=TODAY)


def test_editing_a_rate_invalidates_the_cached_snapshot():
    assert tariff_snapshot(on=TODAY).line("third_party").value("base_premium", "car_4cyl") == 105_132_000
    rate = TariffRate.objects.get(tariff__solar_year=1405, line="third_party", table="base_premium", key="car_4cyl")
    rate.value = Decimal(120_000_000)
    rate.save()
    assert tariff_snapshot(on=TODAY).line("third_party").value("base_premium", "car_4cyl") == 120_000_000


def test_deleting_a_rate_invalidates_the_cached_snapshot():
    tariff_snapshot(on=TODAY)
    TariffRate.objects.get(tariff__solar_year=1405, line="body", table="covers", key="glass").delete()
    assert "glass" not in tariff_snapshot(on=TODAY).line("body").table("covers")


def test_editing_insurer_terms_invalidates_the_cached_snapshot():
    tariff_snapshot(on=TODAY)
    terms = InsurerLineTerms.objects.get(insurer__code="iran", line="electronics")
    terms.is_available = False
    terms.save()
    assert "iran" not in {t.code for t in tariff_snapshot(on=TODAY).insurers_for("electronics")}


def test_a_new_tariff_year_is_used_from_its_effective_date():
    tariff = TariffFactory(solar_year=1406)
    TariffRateFactory(tariff=tariff, line="general", table="tax", key="vat", value=12)
    assert tariff_snapshot(on=tariff.effective_from).solar_year == 1406


def test_unavailable_insurer_gets_no_quote():
    InsurerLineTermsFactory(insurer=Insurer.objects.get(code="dey"), line="fire", is_available=False).save()
    terms = InsurerLineTerms.objects.get(insurer__code="dey", line="fire")
    terms.is_available = False
    terms.save()
    result = quote_compare(line="fire", params={"building_value": 1_000_000_000}, today=TODAY)
    assert "dey" not in {q.insurer for q in result.quotes} and len(result.quotes) == 22


def test_inactive_insurer_gets_no_quote():
    Insurer.objects.filter(code="asia").update(is_active=False)
    result = quote_compare(line="electronics", params={"device_type": "mobile", "device_value": 10**9}, today=TODAY)
    assert "asia" not in {q.insurer for q in result.quotes}


def test_insurer_without_terms_is_quoted_at_the_plain_tariff():
    Insurer.objects.create(code="novel", name="بیمه نو", order=99)
    result = quote_compare(line="electronics", params={"device_type": "desktop", "device_value": 10**9}, today=TODAY)
    novel = next(q for q in result.quotes if q.insurer == "novel")
    assert [line.code for line in novel.breakdown] == ["base_premium", "vat"]
