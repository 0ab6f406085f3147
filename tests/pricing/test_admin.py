"""Staff edit tariffs and insurer terms in the admin."""

import pytest
from django.urls import reverse

from pricing.models import InsurerLineTerms, Tariff, TariffRate
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def test_tariff_change_page_shows_its_figures_and_completeness(staff_client):
    tariff = Tariff.objects.get(solar_year=1405)
    response = staff_client.get(reverse("admin:pricing_tariff_change", args=[tariff.pk]))
    assert response.status_code == 200
    assert "کامل است" in response.content.decode()


@pytest.mark.parametrize("name", ["pricing_tariff", "pricing_tariffrate", "pricing_insurerlineterms"])
def test_admin_lists_load(staff_client, name):
    assert staff_client.get(reverse(f"admin:{name}_changelist")).status_code == 200


def test_admin_refuses_an_out_of_range_figure_beside_the_field(staff_client):
    rate = TariffRate.objects.get(tariff__solar_year=1405, line="body", table="no_claim", key="1")
    url = reverse("admin:pricing_tariffrate_change", args=[rate.pk])
    data = {
        "tariff": rate.tariff_id,
        "line": "body",
        "table": "no_claim",
        "key": "1",
        "label": rate.label,
        "value": "250",
        "source": rate.source,
        "order": rate.order,
    }
    response = staff_client.post(url, data)
    assert response.status_code == 200 and "درصد باید بین" in response.content.decode()
    rate.refresh_from_db()
    assert rate.value == 25


def test_copy_to_next_year_creates_an_unpublished_tariff_flagged_as_assumptions(staff_client):
    tariff = Tariff.objects.get(solar_year=1405)
    staff_client.post(
        reverse("admin:pricing_tariff_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [tariff.pk]},
    )
    copy = Tariff.objects.get(solar_year=1406)
    assert not copy.is_published
    assert copy.rates.count() == tariff.rates.count() == copy.rates.filter(is_assumption=True).count()


def test_insurer_terms_list_is_editable_in_place(staff_client):
    terms = InsurerLineTerms.objects.get(insurer__code="iran", line="third_party")
    assert (
        "adjustment_percent" in staff_client.get(reverse("admin:pricing_insurerlineterms_changelist")).content.decode()
    )
    assert terms.is_available
