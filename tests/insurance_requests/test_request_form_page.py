"""The customer's request form (/requests/new/) as a person on a phone fills it in."""

import json
import re
from urllib.parse import urlencode

import pytest

from insurance_requests.models import InsuranceRequest
from tests.insurance_requests.factories import active_agent

pytestmark = pytest.mark.django_db


def _form_page(client, line, **carried):
    query = {"line": line}
    if carried:
        query["params"] = json.dumps(carried)
    return client.get(f"/requests/new/?{urlencode(query)}").content.decode()


def test_an_amount_carried_from_a_quote_is_shown_in_toman(customer, client):
    # given: the quote link carries the car's value in rial (the API's unit)
    client.force_login(customer)
    # when
    html = _form_page(client, "body", car_value=5_000_000_000, build_year=1400)
    # then: the customer sees the 500,000,000 toman they typed, not ten times it
    assert 'name="p_car_value" value="500000000"' in html
    assert "مبلغ به تومان" in html and "مبلغ به ریال" not in html


def test_an_amount_typed_in_toman_is_stored_in_rial(customer, client):
    active_agent("asia")
    client.force_login(customer)
    client.post(
        "/requests/new/?line=body",
        {
            "line": "body",
            "p_car_value": "۵۰۰٬۰۰۰٬۰۰۰",
            "p_build_year": "1400",
            "p_usage": "personal",
            "province": "tehran",
            "city": "تهران",
            "insurers": ["asia"],
        },
    )
    assert InsuranceRequest.objects.get().params["car_value"] == 5_000_000_000


def test_a_date_carried_from_a_quote_is_shown_in_jalali(customer, client):
    client.force_login(customer)
    html = _form_page(client, "travel", birth_date="1991-08-01", days=10, zone="schengen")
    # Issue 14 point 7: the form asks for a list of travellers; one carried birth date fills the first row.
    assert 'name="p_travellers" value="1370/05/10"' in html


def test_the_blank_fire_form_shows_its_start_date_in_jalali(customer, client):
    client.force_login(customer)
    html = _form_page(client, "fire")
    start = re.search(r'name="p_start_date" value="([^"]*)"', html).group(1)
    assert re.fullmatch(r"14\d\d/\d\d/\d\d", start), start


def test_request_page_shows_a_date_param_in_jalali(customer, client):
    active_agent("asia")
    client.force_login(customer)
    client.post(
        "/requests/new/?line=travel",
        {
            "line": "travel",
            "p_country": "FR",  # issue 14 point 7: a country and traveller rows, not a zone and one date
            "p_trip_type": "single",
            "p_days": "10",
            "p_travellers": ["1370/05/10", ""],
            "p_coverage": "50000",
            "province": "tehran",
            "city": "تهران",
            "insurers": ["asia"],
        },
    )
    html = client.get(f"/requests/{InsuranceRequest.objects.get().pk}/").content.decode()
    assert "۱۳۷۰/۰۵/۱۰" in html and "۱۹۹۱" not in html


def test_a_refused_form_says_so_at_the_top_and_keeps_what_was_typed(customer, client):
    client.force_login(customer)
    response = client.post(
        "/requests/new/?line=third_party",
        {"line": "third_party", "p_no_claim_years": "5", "province": "", "city": "کرج", "note": "پراید"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<div class="alert alert-danger" role="alert">\s*لطفاً موارد مشخص‌شده را اصلاح کنید', html)
    assert "دست‌کم یک بیمه‌گر را انتخاب کنید." in html
    assert 'name="p_no_claim_years" value="5"' in html and 'value="کرج"' in html and "پراید" in html
    assert not InsuranceRequest.objects.exists()


def test_the_province_list_starts_with_a_persian_prompt(customer, client):
    client.force_login(customer)
    html = _form_page(client, "third_party")
    assert "انتخاب کنید</option>" in html and "---------" not in html


def test_every_checkbox_is_a_styled_bootstrap_check(customer, client):
    """Fire covers and the insurer list: raw browser checkboxes crowd their labels at 360 px."""
    client.force_login(customer)
    html = _form_page(client, "fire")
    checkboxes = re.findall(r'<input[^>]*type="checkbox"[^>]*>', html)
    assert checkboxes and all("form-check-input" in tag for tag in checkboxes)


def test_a_parameter_with_one_allowed_value_is_not_asked_as_on_the_quote_page(customer, client):
    """Body insurance runs 365 days, no other term: the quote page hides it, so does this form."""
    active_agent("asia")
    client.force_login(customer)
    assert 'name="p_car_value"' in _form_page(client, "body")
    assert 'name="p_duration_days"' not in _form_page(client, "body")
    client.post(
        "/requests/new/?line=body",
        {"line": "body", "p_car_value": "500000000", "p_build_year": "1400", "p_usage": "personal"}
        | {"province": "tehran", "city": "تهران", "insurers": ["asia"]},
    )
    assert InsuranceRequest.objects.get().params["duration_days"] == 365
