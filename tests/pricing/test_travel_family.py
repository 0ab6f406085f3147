"""Travel for a family (issue 14 point 7): the destination country picks the zone, and
several travellers are each priced by their own age and summed."""

import datetime as dt
import json
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from core.text import to_persian_digits
from insurance_requests.models import InsuranceRequest
from pricing.core.engine import tariff_problems
from pricing.core.errors import InputError
from pricing.core.lines import travel as travel_line
from pricing.core.schema import rate_problem
from tests.factories import UserFactory
from tests.insurance_requests.factories import active_agent
from tests.pricing.factories import TODAY, make_snapshot, quotes_for

INSURERS = (("cheap", "ارزان", -7), ("plain", "ساده", 0), ("dear", "گران", "4.5"))
SNAPSHOT = make_snapshot(insurers=INSURERS)
FATHER, MOTHER, CHILD = "1360/03/10", "1991-08-01", "2018-05-20"  # 45, 35 and 8 on TODAY
QUOTES = "/api/v1/pricing/quotes/"
PREMIUM = re.compile(r'data-premium="(\d+)"')


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def customer_client(customer, api_client):
    api_client.force_authenticate(customer)
    return api_client


def trip(**params):
    params.setdefault("trip_type", "single")
    params.setdefault("days", 10)
    if "zone" not in params and "country" not in params:
        params["country"] = "TR"
    if "birth_date" not in params and "travellers" not in params:
        params["birth_date"] = MOTHER
    return params


def premiums(**params):
    return {quote.insurer: quote.premium for quote in quotes_for("travel", trip(**params), snapshot=SNAPSHOT)}


def refusal(**params):
    with pytest.raises(InputError) as exc:
        quotes_for("travel", trip(**params), snapshot=SNAPSHOT)
    return exc.value.errors


# --- the country picks the zone -----------------------------------------------------------------


@pytest.mark.rule("R-161")
@pytest.mark.parametrize(
    ("country", "zone"),
    [("TR", "world"), ("AE", "world"), ("AM", "world"), ("DE", "schengen"), ("GB", "schengen"), ("US", "usa_canada")],
)
def test_the_zone_follows_from_the_destination_country(country, zone):
    """Issue 14 point 7: a quote for a country costs what a quote for its zone costs."""
    assert premiums(country=country) == premiums(zone=zone)


@pytest.mark.rule("R-161")
def test_japan_is_priced_with_the_usa_and_canada_not_the_world():
    """The tariff's world zone excludes the USA, Canada and Japan (TARIFFS.md)."""
    assert premiums(country="JP") == premiums(zone="usa_canada") != premiums(zone="world")


def test_the_common_destinations_of_iranians_are_offered_with_persian_names():
    choices = {choice.value: choice.label for choice in travel_line.parameters(SNAPSHOT, TODAY)[0].choices}
    for code in ("TR", "AE", "IQ", "AM", "GE", "RU", "OM", "QA", "TH", "MY", "CN", "IN"):
        assert code in choices
    for code in ("GB", "US", "CA", "AU", "JP", "DE", "FR", "IT", "ES", "NL", "AT", "CH", "GR", "SE", "PL"):
        assert code in choices
    assert choices["TR"] == "ترکیه" and choices["AE"] == "امارات متحده عربی"
    assert all(re.search("[آ-ی]", label) and not re.search("[A-Za-z]", label) for label in choices.values())


@pytest.mark.rule("R-161")
def test_a_country_and_a_zone_that_agree_are_accepted():
    assert premiums(country="FR", zone="schengen") == premiums(zone="schengen")


@pytest.mark.rule("R-161")
def test_a_country_and_a_zone_that_disagree_are_refused_in_persian_on_the_zone():
    errors = refusal(country="TR", zone="schengen")
    assert "ترکیه" in errors["zone"][0] and "سراسر جهان" in errors["zone"][0]


def test_neither_country_nor_zone_is_refused_on_the_country():
    assert refusal(days=10, trip_type="single", travellers=[{"birth_date": MOTHER}], country=None, zone=None)[
        "country"
    ] == ["کشور مقصد را انتخاب کنید."]


def test_an_unknown_country_is_refused():
    assert "«XX» معتبر نیست" in refusal(country="XX")["country"][0]


def test_a_country_withdrawn_by_staff_is_no_longer_offered():
    assert premiums(country="TR")
    snapshot = make_snapshot(overrides={("travel", "country", "TR:world"): 0})
    with pytest.raises(InputError) as exc:
        quotes_for("travel", trip(country="TR"), snapshot=snapshot)
    assert "«TR» معتبر نیست" in exc.value.errors["country"][0]


def test_a_country_priced_by_an_unknown_zone_is_a_tariff_problem_and_refused():
    snapshot = make_snapshot(overrides={("travel", "country", "ZZ:moon"): 1})
    assert "travel/country ZZ is priced by an unknown zone moon" in tariff_problems(snapshot)
    with pytest.raises(InputError) as exc:
        quotes_for("travel", trip(country="ZZ"), snapshot=snapshot)
    assert exc.value.errors["country"] == ["برای این کشور نرخی در تعرفه ثبت نشده است."]


def test_the_admin_takes_a_country_key_as_code_and_zone():
    assert rate_problem("travel", "country", "TR:world", Decimal(1)) is None
    assert rate_problem("travel", "country", "turkey", Decimal(1))[0] == "key"


# --- several travellers ----------------------------------------------------------------------


@pytest.mark.rule("R-162")
def test_three_travellers_cost_the_sum_of_their_single_quotes():
    """Issue 14 point 7: each traveller priced by their own age band, for every insurer."""
    family = [{"birth_date": FATHER}, {"birth_date": MOTHER}, {"birth_date": CHILD}]
    together = premiums(travellers=family)
    alone = [premiums(birth_date=member["birth_date"]) for member in family]
    assert together == {code: sum(single[code] for single in alone) for code in together}
    # The child's age band (≤ 12: half price) makes the sum smaller than three adults.
    assert together["plain"] < 3 * alone[1]["plain"]


@pytest.mark.rule("R-162")
def test_the_breakdown_has_one_line_per_traveller_with_their_age_and_sums_to_the_premium():
    family = [{"birth_date": FATHER}, {"birth_date": MOTHER}, {"birth_date": CHILD}]
    for quote in quotes_for("travel", trip(travellers=family), snapshot=SNAPSHOT):
        assert [line.label for line in quote.breakdown] == [
            "مسافر ۱ (۴۵ ساله)",
            "مسافر ۲ (۳۵ ساله)",
            "مسافر ۳ (۸ ساله)",
        ]
        assert [line.code for line in quote.breakdown] == ["traveller_1", "traveller_2", "traveller_3"]
        assert sum(line.amount for line in quote.breakdown) == quote.premium


def test_a_baby_is_labelled_under_one_year():
    quote = quotes_for("travel", trip(travellers=[{"birth_date": MOTHER}, {"birth_date": "2026-06-01"}]))[0]
    assert quote.breakdown[1].label == "مسافر ۲ (زیر یک سال)"


def test_birth_date_alone_still_means_one_traveller():
    """API.md keeps `birth_date`: the same price and breakdown as a list of one."""
    single = quotes_for("travel", trip(birth_date=MOTHER), snapshot=SNAPSHOT)
    listed = quotes_for("travel", trip(travellers=[{"birth_date": MOTHER}]), snapshot=SNAPSHOT)
    assert [q.as_dict() for q in single] == [q.as_dict() for q in listed]
    assert any(line.code == "age_adjustment" or line.code == "base_premium" for line in single[0].breakdown)


@pytest.mark.rule("R-162")
def test_an_over_age_traveller_is_refused_naming_which_one():
    errors = refusal(travellers=[{"birth_date": FATHER}, {"birth_date": MOTHER}, {"birth_date": "1890-01-01"}])
    assert errors["travellers"] == ["مسافر ۳: تاریخ تولد درست به نظر نمی‌رسد (بیش از ۱۲۰ سال)."]


@pytest.mark.rule("R-162")
def test_an_elderly_traveller_is_insured_at_the_top_band_not_refused():
    """Seed [004]: no age limit; a 96-year-old pays the 81+ factor (×4)."""
    elderly = premiums(travellers=[{"birth_date": "1930-01-01"}])
    assert elderly["plain"] > 3 * premiums(birth_date=MOTHER)["plain"]


def test_a_traveller_born_in_the_future_is_refused_naming_which_one():
    errors = refusal(travellers=[{"birth_date": MOTHER}, {"birth_date": "1406/01/01"}])
    assert errors["travellers"] == ["مسافر ۲: تاریخ تولد نمی‌تواند در آینده باشد."]


def test_an_unreadable_birth_date_is_refused_naming_the_traveller():
    errors = refusal(travellers=[{"birth_date": MOTHER}, {"birth_date": "دیروز"}])
    assert errors["travellers"][0].startswith("مسافر ۲، تاریخ تولد مسافر: ")


def test_a_traveller_without_a_birth_date_is_refused_naming_which_one():
    assert refusal(travellers=[{"birth_date": MOTHER}, {}])["travellers"] == [
        "مسافر ۲، تاریخ تولد مسافر: این مورد لازم است."
    ]


def test_at_most_ten_travellers():
    assert premiums(travellers=[{"birth_date": MOTHER}] * 10)
    assert refusal(travellers=[{"birth_date": MOTHER}] * 11)["travellers"] == ["حداکثر ۱۰ مسافر در یک استعلام."]


def test_no_traveller_at_all_is_refused():
    assert refusal(travellers=[], birth_date=None)["travellers"] == ["تاریخ تولد دست‌کم یک مسافر را وارد کنید."]


def test_both_birth_date_and_travellers_are_refused():
    assert "birth_date" in refusal(birth_date=MOTHER, travellers=[{"birth_date": FATHER}])


# --- the API -------------------------------------------------------------------------------------


def post_quote(api_client, params):
    return api_client.post(QUOTES, {"line": "travel", "params": params}, format="json")


@pytest.mark.django_db
def test_api_quotes_a_family_for_a_country(api_client):
    family = [{"birth_date": "۱۳۶۰/۰۳/۱۰"}, {"birth_date": MOTHER}, {"birth_date": CHILD}]
    response = post_quote(api_client, {"country": "AM", "days": 10, "travellers": family})
    assert response.status_code == 200, response.json()
    quotes = response.json()["quotes"]
    assert len(quotes) == 23
    for quote in quotes:
        assert [line["code"] for line in quote["breakdown"]] == ["traveller_1", "traveller_2", "traveller_3"]
        assert sum(line["amount"] for line in quote["breakdown"]) == quote["premium"]
    singles = {
        member["birth_date"]: {
            q["insurer"]: q["premium"]
            for q in post_quote(api_client, {"zone": "world", "days": 10, "birth_date": member["birth_date"]}).json()[
                "quotes"
            ]
        }
        for member in family
    }
    assert {q["insurer"]: q["premium"] for q in quotes} == {
        q["insurer"]: sum(single[q["insurer"]] for single in singles.values()) for q in quotes
    }


@pytest.mark.django_db
def test_api_refuses_a_country_and_zone_that_disagree_with_a_persian_400(api_client):
    response = post_quote(api_client, {"country": "US", "zone": "world", "days": 10, "birth_date": MOTHER})
    assert response.status_code == 400
    assert "ایالات متحده آمریکا" in response.json()["params"]["zone"][0]


@pytest.mark.django_db
def test_api_refuses_a_malformed_traveller_list_with_a_400(api_client):
    cases = [
        (["1370/01/01"], "مسافر ۱: باید یک شیء JSON باشد."),
        ("1370/01/01", "فهرستی از موارد بفرستید."),
        ([{"birth_date": MOTHER, "name": "x"}], "مسافر ۱، name: این پارامتر برای این رشته شناخته نیست."),
        ([{"birth_date": MOTHER}, []], "مسافر ۲: باید یک شیء JSON باشد."),
    ]
    for travellers, message in cases:
        response = post_quote(api_client, {"country": "TR", "days": 10, "travellers": travellers})
        assert response.status_code == 400, travellers
        assert response.json()["params"]["travellers"] == [message]


@pytest.mark.django_db
def test_the_lines_api_describes_country_and_travellers(api_client):
    travel = next(line for line in api_client.get("/api/v1/pricing/lines/").json() if line["code"] == "travel")
    params = {param["name"]: param for param in travel["parameters"]}
    assert {"value": "TR", "label": "ترکیه"} in params["country"]["choices"]
    assert params["travellers"]["type"] == "list" and (params["travellers"]["min"], params["travellers"]["max"]) == (
        1,
        10,
    )
    assert [item["name"] for item in params["travellers"]["items"]] == ["birth_date"]
    assert params["zone"]["superseded_by"] == "country" and not params["zone"]["required"]
    assert params["birth_date"]["superseded_by"] == "travellers"


@pytest.mark.django_db
def test_api_request_with_travellers_stores_them_and_the_country(customer_client, django_capture_on_commit_callbacks):
    active_agent("asia")
    family = [{"birth_date": "1360/03/10"}, {"birth_date": MOTHER}, {"birth_date": CHILD}]
    with django_capture_on_commit_callbacks(execute=True):
        response = customer_client.post(
            "/api/v1/requests/",
            {
                "line": "travel",
                "insurers": ["asia"],
                "params": {"country": "GE", "days": 10, "travellers": family},
                "province": "tehran",
                "city": "تهران",
            },
            format="json",
        )
    assert response.status_code == 201, response.json()
    params = InsuranceRequest.objects.get().params
    assert params["country"] == "GE"
    assert params["travellers"] == [{"birth_date": "1981-05-31"}, {"birth_date": MOTHER}, {"birth_date": CHILD}]


@pytest.mark.django_db
def test_api_request_with_an_over_age_traveller_is_refused_naming_which_one(customer_client):
    response = customer_client.post(
        "/api/v1/requests/",
        {
            "line": "travel",
            "insurers": ["asia"],
            "params": {
                "country": "GE",
                "days": 10,
                "travellers": [{"birth_date": MOTHER}, {"birth_date": "1880-01-01"}],
            },
            "province": "tehran",
            "city": "تهران",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "مسافر ۲" in json.dumps(response.json(), ensure_ascii=False)
    assert not InsuranceRequest.objects.exists()


# --- the pages ---------------------------------------------------------------------------------


def quote_page(client, query):
    response = client.get("/pricing/travel/", query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_the_quote_page_offers_a_country_picker_and_five_traveller_rows(client):
    html = quote_page(client, {})
    assert 'name="country"' in html and '<option value="TR">ترکیه</option>' in html
    assert html.count('name="travellers"') == 5
    assert 'name="zone"' not in html and 'name="birth_date"' not in html


@pytest.mark.django_db
def test_the_quote_page_prices_a_family_and_ignores_empty_rows(client):
    rows = ["1360/03/10", "", "1370/05/10", "۱۳۹۷/۰۲/۳۰", ""]
    html = quote_page(client, {"submitted": "1", "country": "TR", "days": "10", "travellers": rows})
    premiums = [int(value) for value in PREMIUM.findall(html)]
    assert len(premiums) == 23 and premiums == sorted(premiums)
    child_age = to_persian_digits(travel_line.age_on(dt.date(2018, 5, 20), timezone.localdate()))
    assert f"مسافر ۳ ({child_age} ساله)" in html and "مسافر ۴ (" not in html
    # The rows come back compacted, so «مسافر ۳» names the third filled row.
    assert re.findall(r'name="travellers" value="([^"]*)"', html)[:3] == ["1360/03/10", "1370/05/10", "۱۳۹۷/۰۲/۳۰"]


@pytest.mark.django_db
def test_the_quote_page_names_the_traveller_at_fault(client):
    html = quote_page(
        client, {"submitted": "1", "country": "TR", "days": "10", "travellers": ["1370/05/10", "1280/01/01"]}
    )
    assert "مسافر ۲: تاریخ تولد درست به نظر نمی‌رسد (بیش از ۱۲۰ سال)." in html
    assert not PREMIUM.findall(html)


@pytest.mark.django_db
def test_an_old_quote_link_with_zone_and_birth_date_still_prices(client):
    html = quote_page(client, {"submitted": "1", "zone": "schengen", "days": "15", "birth_date": "۱۳۶۵/۰۵/۲۰"})
    assert len(PREMIUM.findall(html)) == 23


@pytest.mark.django_db
def test_the_request_link_carries_the_country_and_the_travellers(client):
    html = quote_page(
        client, {"submitted": "1", "country": "AE", "days": "7", "travellers": ["1360/03/10", "1397/02/30"]}
    )
    link = re.search(r'href="(/requests/new/\?[^"]+)"', html).group(1).replace("&amp;", "&")
    carried = json.loads(parse_qs(urlsplit(link).query)["params"][0])
    assert carried["country"] == "AE"
    assert carried["travellers"] == [{"birth_date": "1981-05-31"}, {"birth_date": "2018-05-20"}]


@pytest.mark.django_db
def test_the_request_form_shows_carried_travellers_in_jalali_and_stores_a_family(customer, client):
    active_agent("asia")
    client.force_login(customer)
    carried = {"country": "AE", "days": 7, "travellers": [{"birth_date": "1981-05-31"}, {"birth_date": "2018-05-20"}]}
    html = client.get("/requests/new/", {"line": "travel", "params": json.dumps(carried)}).content.decode()
    assert re.findall(r'name="p_travellers" value="([^"]*)"', html)[:3] == ["1360/03/10", "1397/02/30", ""]
    assert '<option value="AE" selected>امارات متحده عربی</option>' in html
    assert 'name="p_zone"' not in html and 'name="p_birth_date"' not in html
    response = client.post(
        "/requests/new/?line=travel",
        {
            "line": "travel",
            "p_country": "AE",
            "p_trip_type": "single",
            "p_days": "7",
            "p_travellers": ["1360/03/10", "", "۱۳۹۷/۰۲/۳۰", "1370/05/10", ""],
            "p_coverage": "50000",
            "province": "tehran",
            "city": "تهران",
            "insurers": ["asia"],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    created = InsuranceRequest.objects.get()
    assert [entry["birth_date"] for entry in created.params["travellers"]] == ["1981-05-31", "2018-05-20", "1991-08-01"]
    detail = client.get(f"/requests/{created.pk}/").content.decode()
    assert "امارات متحده عربی" in detail
    assert to_persian_digits("مسافر 3: 1370/05/10") in detail and "1991-08-01" not in detail


@pytest.mark.django_db
def test_the_request_form_names_the_traveller_at_fault_and_keeps_the_rows(customer, client):
    client.force_login(customer)
    response = client.post(
        "/requests/new/?line=travel",
        {
            "line": "travel",
            "p_country": "AE",
            "p_trip_type": "single",
            "p_days": "7",
            "p_travellers": ["1360/03/10", "1270/01/01"],
            "p_coverage": "50000",
            "province": "tehran",
            "city": "تهران",
            "insurers": ["asia"],
        },
    )
    html = response.content.decode()
    assert "مسافر ۲: تاریخ تولد درست به نظر نمی‌رسد" in html
    assert re.findall(r'name="p_travellers" value="([^"]*)"', html)[:2] == ["1360/03/10", "1270/01/01"]
    assert not InsuranceRequest.objects.exists()
