"""The quote pages, as a new visitor uses them."""

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlsplit

import jdatetime
import pytest
from django.urls import Resolver404

from core.text import to_persian_digits

pytestmark = pytest.mark.django_db

PREMIUM = re.compile(r'data-premium="(\d+)"')
ERROR = re.compile(r'invalid-feedback d-block" role="alert">([^<]+)<')


def page(client, path, **query):
    response = client.get(path, {"submitted": "1", **query} if query else None)
    assert response.status_code == 200
    return response.content.decode()


def test_index_links_the_five_quote_pages(client):
    html = page(client, "/pricing/")
    for line in ("third_party", "body", "fire", "travel", "electronics"):
        assert f'href="/pricing/{line}/"' in html
    assert 'href="/pricing/other/"' not in html


def test_quote_page_form_is_built_from_the_parameter_description(client):
    html = page(client, "/pricing/third_party/")
    # Issue 14 point 5: the customer picks a car (make, then model); the tariff group is derived
    # from it and stays as a fallback, blank, so it never contradicts the car.
    assert 'name="car_model"' in html and '<optgroup label="سایپا">' in html
    assert 'name="vehicle_group"' in html and 'value="car_4cyl" selected' not in html
    assert 'name="late_days"' in html and 'name="impounded"' in html


@pytest.mark.parametrize(
    ("line", "query"),
    [
        ("third_party", {"vehicle_group": "car_4cyl", "no_claim_years": "۳"}),
        ("body", {"car_value": "۱٬۵۰۰٬۰۰۰٬۰۰۰", "build_year": "۱۳۹۸", "covers": ["glass", "chemicals"]}),
        ("fire", {"building_value": "500000000", "contents_value": "200000000", "covers": ["earthquake"]}),
        ("travel", {"zone": "schengen", "days": "15", "birth_date": "۱۳۶۵/۰۵/۲۰"}),
        ("electronics", {"device_type": "laptop", "device_value": "80000000"}),
    ],
)
def test_each_quote_page_lists_every_insurer_sorted_by_price(client, line, query):
    html = page(client, f"/pricing/{line}/", **query)
    premiums = [int(value) for value in PREMIUM.findall(html)]
    assert len(premiums) == 23 and premiums == sorted(premiums)
    assert html.count("<details") == 23


def test_breakdown_is_shown_in_toman(client):
    html = page(client, "/pricing/electronics/", device_type="mobile", device_value="40000000")
    # 40,000,000 toman × 6.5% = 2,600,000 toman base (typed in toman, priced in rial).
    assert "۲٬۶۰۰٬۰۰۰ تومان" in html


def test_amounts_typed_in_toman_are_priced_as_rial(client):
    html = page(client, "/pricing/electronics/", device_type="desktop", device_value="۱۰۰٬۰۰۰٬۰۰۰")
    assert "۱٬۰۰۰٬۰۰۰ تومان" in html  # 1% of 100 million toman


def test_a_22_year_old_car_gets_a_persian_message_beside_build_year(client):
    html = page(client, "/pricing/body/", car_value="500000000", build_year="1383")
    assert any("۲۰ سال" in error for error in ERROR.findall(html))
    assert 'id="id_build_year" name="build_year" value="1383"' in html


def test_a_93_day_single_trip_gets_a_persian_message(client):
    html = page(client, "/pricing/travel/", zone="schengen", days="93", birth_date="1370/01/01")
    assert any("۹۲ روز" in error for error in ERROR.findall(html))


def test_a_negative_value_gets_a_persian_message(client):
    html = page(client, "/pricing/electronics/", device_type="mobile", device_value="-100")
    assert "مقدار منفی پذیرفته نیست." in ERROR.findall(html)


def test_fire_instalments_are_shown_with_jalali_due_dates(client):
    start = jdatetime.date.today() + dt.timedelta(days=40)
    start = jdatetime.date(start.year, start.month, 15)
    second = jdatetime.date(start.year + start.month // 12, start.month % 12 + 1, 15)
    html = page(client, "/pricing/fire/", building_value="5000000000", payment="installments", start_date=str(start))
    assert "جدول اقساط" in html
    assert to_persian_digits(start.strftime("%Y/%m/%d")) in html
    assert to_persian_digits(second.strftime("%Y/%m/%d")) in html


def test_htmx_requests_get_only_the_panel(client):
    response = client.get(
        "/pricing/electronics/",
        {"submitted": "1", "device_type": "mobile", "device_value": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.content.decode().lstrip().startswith('<div id="quote-panel">')


def test_unknown_line_page_is_404(client):
    assert client.get("/pricing/pets/").status_code == 404


def test_no_dead_request_button_when_the_request_form_is_absent(client, monkeypatch):
    def absent(path):
        raise Resolver404(path)

    monkeypatch.setattr("pricing.views.resolve", absent)
    html = page(client, "/pricing/electronics/", device_type="mobile", device_value="40000000")
    assert "/requests/new/" not in html


def test_request_button_carries_line_params_and_insurers_to_the_request_form(client):
    html = page(client, "/pricing/electronics/", device_type="mobile", device_value="40000000")
    link = re.search(r'href="(/requests/new/\?[^"]+)"', html).group(1).replace("&amp;", "&")
    query = parse_qs(urlsplit(link).query)
    assert query["line"] == ["electronics"]
    assert json.loads(query["params"][0]) == {"device_type": "mobile", "device_value": 400_000_000}
    assert len(query["insurers"]) == 23


def test_the_blank_form_is_rendered_once_per_tariff_version(client):
    """The untouched form comes from a fragment cache keyed by the snapshot: a warm page
    serves the stored fields, and a tariff edit shows in the very next page. Signed in:
    an anonymous visitor gets the whole page from core.page_cache (issue 16 point 1)."""
    from django.core.cache import cache
    from django.core.cache.utils import make_template_fragment_key
    from django.utils import timezone

    from core.jalali import solar_year
    from pricing.models import TariffRate
    from pricing.snapshots import snapshot_cache_key
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert 'value="glass"' in page(client, "/pricing/body/")
    fragment = make_template_fragment_key("pricing_blank_form", [f"body:{snapshot_cache_key(timezone.localdate())}"])
    assert 'value="glass"' in cache.get(fragment)
    cache.set(fragment, "<p>stored-fields</p>")
    assert "stored-fields" in page(client, "/pricing/body/")
    # A submitted form carries the visitor's values: never from that cache.
    assert "stored-fields" not in page(client, "/pricing/body/", vehicle_value="1500000000")
    TariffRate.objects.get(tariff__solar_year=solar_year(), line="body", table="covers", key="glass").delete()
    html = page(client, "/pricing/body/")
    assert "stored-fields" not in html and 'value="glass"' not in html
