"""Issue 14 point 5: cars by make and model. A catalogue staff extend in the admin, from which
the third-party tariff group and the body engine class are derived."""

import pytest
from django.urls import reverse

from pricing.models import CarModel, TariffRate
from pricing.reference import CARS
from pricing.services import ParamsError, validate_params
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

QUOTES = "/api/v1/pricing/quotes/"
LINES = "/api/v1/pricing/lines/"
BODY = {"car_value": 2_000_000_000, "build_year": 1400}


def quote(api_client, line, params, insurers=("asia",)):
    return api_client.post(QUOTES, {"line": line, "params": params, "insurers": list(insurers)}, format="json")


def premium(api_client, line, params):
    response = quote(api_client, line, params)
    assert response.status_code == 200, response.json()
    return response.json()["quotes"][0]["premium"]


def tariff_keys(year, line, table):
    return set(TariffRate.objects.filter(tariff__solar_year=year, line=line, table=table).values_list("key", flat=True))


# --- the catalogue -------------------------------------------------------------------------------


def test_the_catalogue_holds_the_common_iranian_cars():
    """issue 14 point 5: about forty real models, loaded by a data migration."""
    names = set(CarModel.objects.values_list("name", flat=True))
    assert CarModel.objects.count() == len(CARS) >= 40
    for name in ("پژو ۲۰۶", "پژو پارس", "سمند", "دنا", "رانا", "تارا", "پراید ۱۳۱", "تیبا", "ساینا", "کوییک", "شاهین"):
        assert name in names
    assert {"ایران‌خودرو", "سایپا", "زامیاد", "چری", "رنو", "کیا", "هیوندای", "تویوتا", "موتورسیکلت"} <= set(
        CarModel.objects.values_list("make", flat=True)
    )


@pytest.mark.parametrize("year", [1404, 1405])
@pytest.mark.rule("R-110")
def test_every_catalogue_car_maps_to_an_existing_tariff_group(year):
    """issue 14 point 5: each car's third-party group and body engine class exist in the tariff."""
    groups = tariff_keys(year, "third_party", "base_premium")
    classes = tariff_keys(year, "body", "engine_factor")
    for car in CarModel.objects.all():
        assert car.third_party_group in groups, car.code
        assert car.body_engine_class in classes or (car.kind == "motorcycle" and not car.body_engine_class), car.code


def test_the_lines_api_lists_the_cars_by_make(api_client):
    """issue 14 point 5: GET /api/v1/pricing/lines/ exposes the car choices, each under its make."""
    lines = {line["code"]: line for line in api_client.get(LINES).json()}
    for line in ("third_party", "body"):
        car = next(param for param in lines[line]["parameters"] if param["name"] == "car_model")
        choices = {choice["value"]: choice for choice in car["choices"]}
        assert choices["saipa_pride_131"] == {"value": "saipa_pride_131", "label": "پراید ۱۳۱", "group": "سایپا"}
    body_cars = next(p for p in lines["body"]["parameters"] if p["name"] == "car_model")["choices"]
    assert "honda_cg125" not in {choice["value"] for choice in body_cars}  # the body tariff prices cars


# --- the quote -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("car", "group"),
    [("saipa_pride_131", "pride_peykan"), ("ikco_dena", "car_4cyl"), ("honda_cg125", "motorcycle_1cyl")],
)
@pytest.mark.rule("R-110")
def test_a_car_is_priced_as_its_third_party_group(api_client, car, group):
    """issue 14 point 5: car_model → the same quote as its group."""
    assert premium(api_client, "third_party", {"car_model": car}) == premium(
        api_client, "third_party", {"vehicle_group": group}
    )


def test_a_pride_and_a_dena_are_priced_differently(api_client):
    assert premium(api_client, "third_party", {"car_model": "saipa_pride_131"}) != premium(
        api_client, "third_party", {"car_model": "ikco_dena"}
    )


@pytest.mark.parametrize(("car", "engine_class"), [("toyota_land_cruiser", "cyl_gt4"), ("mvm_110", "cyl_lt4")])
@pytest.mark.rule("R-110")
def test_a_car_gives_the_body_engine_class(api_client, car, engine_class):
    """issue 14 point 5: the body inputs are derived from the car."""
    assert premium(api_client, "body", {**BODY, "car_model": car}) == premium(
        api_client, "body", {**BODY, "engine_class": engine_class}
    )
    assert premium(api_client, "body", {**BODY, "car_model": car}) != premium(api_client, "body", BODY)


def test_a_car_and_its_own_group_may_both_be_sent(api_client):
    """issue 14 point 5: `vehicle_group` still works (API.md) and may accompany the car."""
    both = {"car_model": "saipa_pride_111", "vehicle_group": "pride_peykan"}
    assert premium(api_client, "third_party", both) == premium(
        api_client, "third_party", {"car_model": "saipa_pride_111"}
    )


@pytest.mark.rule("R-110")
def test_a_car_and_another_group_are_refused_in_persian(api_client):
    """issue 14 point 5: when both are given they must agree, or a Persian 400."""
    response = quote(api_client, "third_party", {"car_model": "saipa_pride_111", "vehicle_group": "car_gt4cyl"})
    assert response.status_code == 400
    message = response.json()["params"]["vehicle_group"][0]
    assert "پراید ۱۱۱" in message and "پراید و پیکان" in message


def test_a_car_and_another_engine_class_are_refused(api_client):
    response = quote(api_client, "body", {**BODY, "car_model": "toyota_land_cruiser", "engine_class": "cyl_4"})
    assert response.status_code == 400 and "engine_class" in response.json()["params"]


@pytest.mark.parametrize("line", ["third_party", "body"])
def test_an_unknown_car_is_refused(api_client, line):
    """issue 14 point 5: unknown car → 400 naming the field."""
    params = {"car_model": "ikco_flying_carpet"} if line == "third_party" else {**BODY, "car_model": "nope"}
    response = quote(api_client, line, params)
    assert response.status_code == 400 and "car_model" in response.json()["params"]


def test_a_motorcycle_is_not_offered_body_insurance(api_client):
    response = quote(api_client, "body", {**BODY, "car_model": "honda_cg125"})
    assert response.status_code == 400 and "car_model" in response.json()["params"]


def test_the_request_params_carry_the_car_and_its_group():
    """issue 14 point 5: a request's params (validate_params) keep the car and the derived group,
    so agents read both."""
    cleaned = validate_params("third_party", {"car_model": "zamyad_z24"})
    assert cleaned["car_model"] == "zamyad_z24" and cleaned["vehicle_group"] == "pickup_3t"
    with pytest.raises(ParamsError) as refused:
        validate_params("third_party", {"car_model": "zamyad_z24", "vehicle_group": "car_4cyl"})
    assert "vehicle_group" in refused.value.errors


def test_without_a_car_the_group_defaults_to_a_4_cylinder_car():
    assert validate_params("third_party", {})["vehicle_group"] == "car_4cyl"
    assert validate_params("body", BODY)["engine_class"] == "cyl_4"


# --- staff extend the catalogue ------------------------------------------------------------------


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory())
    return client


def car_form(**overrides):
    data = {
        "make": "ایران‌خودرو",
        "name": "ری‌را",
        "code": "ikco_reera",
        "kind": "car",
        "cylinders": "4",
        "third_party_group": "car_4cyl",
        "body_engine_class": "cyl_4",
        "is_active": "on",
        "order": "100",
    }
    data.update(overrides)
    return data


@pytest.mark.rule("R-110")
def test_staff_add_a_car_in_the_admin_and_it_quotes(staff_client, api_client):
    """issue 14 point 5: the catalogue is data staff extend; a new car quotes at once."""
    assert quote(api_client, "third_party", {"car_model": "ikco_reera"}).status_code == 400
    response = staff_client.post(reverse("admin:pricing_carmodel_add"), car_form(third_party_group="car_gt4cyl"))
    assert response.status_code == 302, response.content.decode()
    assert premium(api_client, "third_party", {"car_model": "ikco_reera"}) == premium(
        api_client, "third_party", {"vehicle_group": "car_gt4cyl"}
    )


def test_the_admin_refuses_a_car_in_a_group_the_tariff_does_not_have(staff_client):
    response = staff_client.post(reverse("admin:pricing_carmodel_add"), car_form(third_party_group="flying_car"))
    assert response.status_code == 200
    assert "این گروه در تعرفه شخص ثالث" in response.content.decode()
    assert not CarModel.objects.filter(code="ikco_reera").exists()


def test_the_admin_offers_the_tariffs_groups_by_their_labels(staff_client):
    """issue 14 point 5: staff choose the group and engine class by name, not by typing a code."""
    html = staff_client.get(reverse("admin:pricing_carmodel_add")).content.decode()
    # Labels only: the admin writes every digit of its text in Persian (issue 14 point 9),
    # which would turn a code shown beside its label into one staff could not type back.
    assert '<option value="pride_peykan">پراید و پیکان</option>' in html
    assert '<option value="cyl_gt4">بیش از ۴ سیلندر</option>' in html


def test_the_car_catalogue_admin_lists(staff_client):
    response = staff_client.get(reverse("admin:pricing_carmodel_changelist"))
    assert response.status_code == 200 and "پژو ۲۰۶" in response.content.decode()


# --- the page ------------------------------------------------------------------------------------


def test_the_quote_page_offers_a_car_picker_by_make_and_prices_the_car(client):
    """issue 14 point 5: make then model (a <select> with optgroups, no JS needed)."""
    html = client.get("/pricing/third_party/").content.decode()
    assert '<select class="form-select" id="id_car_model" name="car_model"' in html
    assert '<optgroup label="ایران‌خودرو"><option value="ikco_peugeot_206">پژو ۲۰۶</option>' in html
    result = client.get("/pricing/third_party/", {"submitted": "1", "car_model": "saipa_pride_131"}).content.decode()
    assert '<option value="saipa_pride_131" selected>' in result
    assert "vehicle_group%22%3A%22pride_peykan" in result  # the request form gets the derived group
