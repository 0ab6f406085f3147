"""Third-party rules about the driver and the no-claim record (seed [003]).

R-293: drivers with many negative points pay a surcharge (tariff data).
R-294: the no-claim record moves only to the owner's new car or between father, mother
and children. R-295: and only between cars of similar usage. R-299: to the owner's new
car only when asked before the old car's policy is transferred to its buyer (seed [004]).
"""

import re

import pytest

from pricing.core.errors import InputError
from pricing.models import TariffRate
from tests.pricing.factories import amount, codes, quote_for

CAR_4CYL_BASE = 105_132_000
QUOTES = "/api/v1/pricing/quotes/"
ERROR = re.compile(r'invalid-feedback d-block" role="alert">([^<]+)<')


def tp(overrides=None, **params):
    return quote_for("third_party", params, overrides=overrides)


def refusal(**params) -> dict[str, list[str]]:
    with pytest.raises(InputError) as exc:
        tp(**params)
    return exc.value.errors


def api_quote(api_client, params):
    return api_client.post(QUOTES, {"line": "third_party", "params": params, "insurers": ["iran"]}, format="json")


# --- negative points ---------------------------------------------------------------------


@pytest.mark.rule("R-293")
@pytest.mark.parametrize(("points", "pct"), [(0, 0), (9, 0), (10, 10), (25, 20), (30, 30), (80, 30)])
def test_negative_points_load_the_base_by_the_tariff_step_reached(points, pct):
    assert amount(tp(driver_negative_points=points), "violation_loading") == CAR_4CYL_BASE * pct // 100


@pytest.mark.rule("R-293")
def test_a_clean_driver_pays_no_surcharge():
    assert "violation_loading" not in codes(tp())


@pytest.mark.rule("R-293")
def test_the_surcharge_scale_is_tariff_data():
    quote = tp(driver_negative_points=12, overrides={("third_party", "violation_loading", "10"): 15})
    assert amount(quote, "violation_loading") == CAR_4CYL_BASE * 15 // 100


@pytest.mark.rule("R-293")
def test_the_late_penalty_stays_the_vehicles_tariff_premium():
    assert amount(tp(late_days=365, driver_negative_points=30), "late_penalty") == CAR_4CYL_BASE


@pytest.mark.rule("R-293")
@pytest.mark.django_db
def test_the_api_quotes_the_surcharge_staff_set_for_the_year(api_client):
    step = TariffRate.objects.get(tariff__solar_year=1405, line="third_party", table="violation_loading", key="20")
    step.value = 25
    step.save()
    breakdown = api_quote(api_client, {"driver_negative_points": "۲۲"}).json()["quotes"][0]["breakdown"]
    assert {line["code"]: line["amount"] for line in breakdown}["violation_loading"] == CAR_4CYL_BASE // 4


@pytest.mark.rule("R-293")
@pytest.mark.django_db
def test_the_quote_page_asks_the_negative_points_and_shows_the_surcharge(client):
    html = client.get("/pricing/third_party/", {"submitted": "1", "driver_negative_points": "۱۰"}).content.decode()
    assert 'name="driver_negative_points" value="۱۰"' in html
    assert "اضافه‌نرخ نمره منفی و تخلفات راننده" in html and "۱٬۰۵۱٬۳۲۰ تومان" in html  # 10% of the base


@pytest.mark.rule("R-293")
@pytest.mark.django_db
def test_each_years_tariff_flags_the_unpublished_scale_as_an_assumption():
    rows = TariffRate.objects.filter(line="third_party", table="violation_loading")
    assert rows.count() == 6 and all(row.is_assumption and "[003]" in row.source for row in rows)


# --- whose record --------------------------------------------------------------------------


@pytest.mark.rule("R-294")
@pytest.mark.parametrize("source", ["own_previous_car", "parent", "child"])
def test_a_record_from_the_owners_old_car_a_parent_or_a_child_earns_the_discount(source):
    quote = tp(no_claim_years=4, no_claim_source=source, no_claim_source_usage="personal")
    assert amount(quote, "no_claim_discount") == -CAR_4CYL_BASE * 20 // 100


@pytest.mark.rule("R-294")
@pytest.mark.parametrize("source", ["spouse", "other_person"])
def test_a_spouses_or_strangers_record_is_refused_naming_the_rule(source):
    errors = refusal(no_claim_years=4, no_claim_source=source, no_claim_source_usage="personal")
    assert list(errors) == ["no_claim_source"] and "پدر، مادر و فرزندان" in errors["no_claim_source"][0]


@pytest.mark.rule("R-294")
def test_the_cars_own_record_needs_no_more_questions():
    assert amount(tp(no_claim_years=2), "no_claim_discount") == -CAR_4CYL_BASE * 10 // 100


@pytest.mark.rule("R-294")
@pytest.mark.django_db
def test_the_api_refuses_a_spouses_record_on_the_field(api_client):
    response = api_quote(api_client, {"no_claim_years": 3, "no_claim_source": "spouse"})
    assert response.status_code == 400
    assert list(response.json()["params"]) == ["no_claim_source"]
    assert "همسر" in response.json()["params"]["no_claim_source"][0]


@pytest.mark.rule("R-294")
@pytest.mark.django_db
def test_the_quote_page_refuses_a_spouses_record_and_keeps_what_was_typed(client):
    html = client.get(
        "/pricing/third_party/",
        {"submitted": "1", "no_claim_years": "۳", "no_claim_source": "spouse", "late_days": "۱۲"},
    ).content.decode()
    assert any("پدر، مادر و فرزندان" in error for error in ERROR.findall(html))
    assert '<option value="spouse" selected>' in html and 'name="late_days" value="۱۲"' in html


# --- similar usage -----------------------------------------------------------------------------


@pytest.mark.rule("R-295")
def test_a_transferred_record_must_say_the_usage_of_the_car_it_comes_from():
    errors = refusal(no_claim_years=4, no_claim_source="parent")
    assert list(errors) == ["no_claim_source_usage"]


@pytest.mark.rule("R-295")
def test_a_taxis_record_does_not_move_to_a_personal_car():
    errors = refusal(no_claim_years=4, no_claim_source="child", no_claim_source_usage="taxi", usage="personal")
    assert "کاربری مشابه" in errors["no_claim_source_usage"][0]


@pytest.mark.rule("R-295")
def test_a_taxis_record_moves_to_another_taxi():
    quote = tp(no_claim_years=4, no_claim_source="own_previous_car", no_claim_source_usage="taxi", usage="taxi")
    assert amount(quote, "no_claim_discount") < 0


@pytest.mark.rule("R-295")
@pytest.mark.django_db
def test_the_api_refuses_a_record_of_another_usage_on_the_field(api_client):
    params = {"no_claim_years": 3, "no_claim_source": "parent", "no_claim_source_usage": "taxi"}
    response = api_quote(api_client, params)
    assert response.status_code == 400 and list(response.json()["params"]) == ["no_claim_source_usage"]


@pytest.mark.rule("R-295")
@pytest.mark.django_db
def test_the_quote_page_refuses_a_record_of_another_usage_beside_the_field(client):
    html = client.get(
        "/pricing/third_party/",
        {"submitted": "1", "no_claim_years": "5", "no_claim_source": "parent", "no_claim_source_usage": "taxi"},
    ).content.decode()
    assert any("کاربری مشابه" in error for error in ERROR.findall(html))
    assert '<option value="taxi" selected>' in html and 'name="no_claim_years" value="5"' in html


# --- asked before the old policy moved to the buyer ----------------------------------------


@pytest.mark.rule("R-299")
def test_a_sold_cars_record_is_refused_once_its_policy_moved_to_the_buyer():
    errors = refusal(
        no_claim_years=4,
        no_claim_source="own_previous_car",
        no_claim_source_usage="personal",
        previous_policy_transferred=True,
    )
    assert list(errors) == ["previous_policy_transferred"]
    assert "پیش از انتقال بیمه‌نامه" in errors["previous_policy_transferred"][0]


@pytest.mark.rule("R-299")
def test_a_sold_cars_record_moves_when_asked_before_the_policy_moved():
    quote = tp(no_claim_years=4, no_claim_source="own_previous_car", no_claim_source_usage="personal")
    assert amount(quote, "no_claim_discount") == -CAR_4CYL_BASE * 20 // 100


@pytest.mark.rule("R-299")
@pytest.mark.django_db
def test_the_api_refuses_a_late_transfer_on_the_field(api_client):
    params = {
        "no_claim_years": 4,
        "no_claim_source": "own_previous_car",
        "no_claim_source_usage": "personal",
        "previous_policy_transferred": True,
    }
    response = api_quote(api_client, params)
    assert response.status_code == 400 and list(response.json()["params"]) == ["previous_policy_transferred"]


@pytest.mark.rule("R-299")
@pytest.mark.django_db
def test_the_quote_page_refuses_a_late_transfer_beside_the_switch(client):
    html = client.get(
        "/pricing/third_party/",
        {
            "submitted": "1",
            "no_claim_years": "4",
            "no_claim_source": "own_previous_car",
            "no_claim_source_usage": "personal",
            "previous_policy_transferred": "on",
        },
    ).content.decode()
    assert any("پیش از انتقال بیمه‌نامه" in error for error in ERROR.findall(html))
    assert 'name="previous_policy_transferred" checked' in html and 'name="no_claim_years" value="4"' in html
