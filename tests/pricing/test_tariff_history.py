"""Every change to tariffs, rates and insurers' terms is kept with who, when and what, and the
admin shows it (issue 15 point 9)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from core.text import to_persian_digits
from insurers.models import Insurer
from pricing.models import CarModel, InsurerLineTerms, Tariff, TariffRate
from pricing.selectors import tariff_snapshot
from tests.admin.conftest import visible_text
from tests.factories import StaffFactory
from tests.pricing.factories import TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return StaffFactory()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def changed_fields(record) -> list[str]:
    """The fields a history row changed, against the row before it."""
    return sorted(record.diff_against(record.prev_record).changed_fields)


def rate_form(rate: TariffRate, **changes) -> dict:
    data = {
        "tariff": rate.tariff_id,
        "line": rate.line,
        "table": rate.table,
        "key": rate.key,
        "label": rate.label,
        "value": str(rate.value),
        "source": rate.source,
        "order": rate.order,
    }
    if rate.is_assumption:
        data["is_assumption"] = "on"
    return {**data, **changes}


@pytest.fixture
def no_claim_rate():
    return TariffRate.objects.get(tariff__solar_year=1405, line="body", table="no_claim", key="1")


def test_an_admin_edit_of_a_rate_is_kept_with_the_staff_user_and_the_changed_field(staff_client, staff, no_claim_rate):
    """issue 15 point 9: who (the staff member), when and what (the value) of a rate's change."""
    # given the rate's history holds its baseline (the migration's) and nothing else
    assert [r.history_type for r in no_claim_rate.history.all()] == ["+"]

    # when
    response = staff_client.post(
        reverse("admin:pricing_tariffrate_change", args=[no_claim_rate.pk]), rate_form(no_claim_rate, value="30")
    )

    # then
    assert response.status_code == 302
    latest = no_claim_rate.history.first()
    assert latest.history_type == "~"
    assert latest.history_user == staff
    assert latest.value == Decimal(30)
    assert changed_fields(latest) == ["value"]
    assert latest.prev_record.value == Decimal(25)


def test_the_history_page_shows_who_changed_which_field_from_what_to_what(staff_client, staff, no_claim_rate):
    """issue 15 point 9: the admin's history page of a rate, in Persian with Persian digits."""
    staff_client.post(
        reverse("admin:pricing_tariffrate_change", args=[no_claim_rate.pk]), rate_form(no_claim_rate, value="30")
    )

    response = staff_client.get(reverse("admin:pricing_tariffrate_history", args=[no_claim_rate.pk]))

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert "تغییر دهنده" in text and to_persian_digits(str(staff)) in text
    assert re.search(r"مقدار: ۲۵(\.۰+)? ← ۳۰(\.۰+)?", text.replace("\xa0", " ")), text
    assert "وضع پیش از ثبت تاریخچه" in text  # the baseline row
    assert not re.findall(r"[0-9]", text)


def test_an_admin_edit_still_reaches_the_next_quote(staff_client, no_claim_rate):
    """issue 15 point 9: keeping history leaves the tariff snapshot's invalidation working."""
    rate = TariffRate.objects.get(tariff__solar_year=1405, line="third_party", table="base_premium", key="car_4cyl")
    assert tariff_snapshot(on=TODAY).line("third_party").value("base_premium", "car_4cyl") == 105_132_000

    staff_client.post(reverse("admin:pricing_tariffrate_change", args=[rate.pk]), rate_form(rate, value="120000000"))

    assert tariff_snapshot(on=TODAY).line("third_party").value("base_premium", "car_4cyl") == 120_000_000
    assert rate.history.first().value == 120_000_000


def test_an_edit_in_the_insurer_terms_list_is_kept_with_the_user(staff_client, staff):
    """issue 15 point 9: the terms list is edited in place (list_editable); each row keeps who."""
    terms = InsurerLineTerms.objects.get(insurer__code="iran", line="third_party")
    # Only a changed row is saved: move it by one point, within the bounds either way.
    new_percent = terms.adjustment_percent + (1 if terms.adjustment_percent < 0 else -1)
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(terms.pk),
        "form-0-adjustment_percent": str(new_percent),
        "_save": "ذخیره",
    }
    if terms.is_available:
        data["form-0-is_available"] = "on"

    response = staff_client.post(reverse("admin:pricing_insurerlineterms_changelist") + f"?id__exact={terms.pk}", data)

    assert response.status_code == 302, response.content.decode()[:2000]
    latest = terms.history.first()
    assert latest.history_user == staff
    assert latest.adjustment_percent == new_percent
    assert changed_fields(latest) == ["adjustment_percent"]


def test_an_insurer_taken_off_the_market_is_kept_with_the_user(staff_client, staff):
    """issue 15 point 9: whether an insurer quotes at all is one of its terms."""
    insurer = Insurer.objects.get(code="iran")

    staff_client.post(
        reverse("admin:insurers_insurer_change", args=[insurer.pk]),
        {"code": insurer.code, "name": insurer.name, "order": insurer.order},
    )

    latest = insurer.history.first()
    assert latest.history_user == staff
    assert latest.is_active is False
    assert changed_fields(latest) == ["is_active"]


def test_copying_a_tariff_to_next_year_names_who_copied_it(staff_client, staff):
    """issue 15 point 9: the admin action's new tariff (saved in the request, through the
    middleware) and its bulk-copied rates (bulk_create_with_history) are recorded."""
    tariff = Tariff.objects.get(solar_year=1405)

    staff_client.post(
        reverse("admin:pricing_tariff_changelist"),
        {"action": "copy_to_next_year", "_selected_action": [tariff.pk]},
    )

    copy = Tariff.objects.get(solar_year=1406)
    assert [(r.history_type, r.history_user) for r in copy.history.all()] == [("+", staff)]
    copied = TariffRate.history.filter(tariff_id=copy.pk)
    assert copied.count() == copy.rates.count() > 0
    assert set(copied.values_list("history_user_id", flat=True)) == {staff.pk}


def test_a_deleted_car_leaves_its_last_state_in_the_history(staff_client, staff):
    """issue 15 point 9: a deletion is kept too (who, when, and what the row held)."""
    car = CarModel.objects.get(code="ikco_peugeot_206")

    staff_client.post(reverse("admin:pricing_carmodel_delete", args=[car.pk]), {"post": "yes"})

    assert not CarModel.objects.filter(pk=car.pk).exists()
    deleted = CarModel.history.filter(id=car.pk).first()
    assert (deleted.history_type, deleted.history_user, deleted.third_party_group) == ("-", staff, "car_4cyl")


def test_every_row_staff_may_edit_starts_with_a_baseline():
    """issue 15 point 9: the history migration gave the reference rows a first entry, so the
    first edit shows what it changed from."""
    for model in (Tariff, TariffRate, InsurerLineTerms, CarModel, Insurer):
        assert model.history.filter(history_type="+").count() == model.objects.count() > 0, model


@pytest.mark.parametrize(
    ("model", "admin_name"),
    [
        (Tariff, "pricing_tariff"),
        (TariffRate, "pricing_tariffrate"),
        (InsurerLineTerms, "pricing_insurerlineterms"),
        (CarModel, "pricing_carmodel"),
        (Insurer, "insurers_insurer"),
    ],
)
def test_each_kept_model_has_a_persian_history_page(staff_client, model, admin_name):
    """issue 15 point 9: the history page of each kept model opens and reads in Persian."""
    row = model.objects.order_by("pk").first()

    response = staff_client.get(reverse(f"admin:{admin_name}_history", args=[row.pk]))

    assert response.status_code == 200
    text = visible_text(response.content.decode())
    assert text.startswith("تاریخچه تغییرات:") and "وضع پیش از ثبت تاریخچه" in text
    assert "تغییر دهنده" in text and "Changed by" not in text  # simple-history's own page is English
    assert not re.findall(r"[0-9]", text)
