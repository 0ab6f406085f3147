"""The five quote pages as a customer uses them, in Chromium at phone width: every insurer's
price, cheapest first, each with a breakdown; clear Persian refusals for impossible inputs."""

import re

import pytest

from core.jalali import solar_year
from core.text import to_latin_digits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# Amounts are typed in toman, as customers think of them; Persian digits on purpose.
INPUTS = {
    "third_party": {"no_claim_years": "۳"},
    "body": {"car_value": "۸۰۰٬۰۰۰٬۰۰۰", "build_year": str(solar_year() - 4)},
    "fire": {"area_m2": "۱۲۰", "building_value": "۶۰۰٬۰۰۰٬۰۰۰", "contents_value": "۱۰۰٬۰۰۰٬۰۰۰"},
    "travel": {"days": "۱۵", "travellers_1": "۱۳۷۰/۰۵/۲۰"},
    "electronics": {"device_value": "۶۰٬۰۰۰٬۰۰۰"},
}
SELECTS = {"travel": {"country": 1}, "electronics": {"device_type": 1}}


def _fill(page, line, values):
    for name, value in values.items():
        page.locator(f"#id_{name}").fill(value)
    for name, index in SELECTS.get(line, {}).items():
        page.locator(f"#id_{name}").select_option(index=index)


def _submit(page):
    page.get_by_role("button", name="مقایسه قیمت‌ها").click()


@pytest.mark.parametrize("line", list(INPUTS))
def test_quote_page_lists_every_insurer_cheapest_first(live_server, page, screenshot, line):
    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{live_server.url}/pricing/{line}/")
    _fill(page, line, INPUTS[line])
    _submit(page)
    page.locator("#results-title").wait_for()
    premiums = [
        int(value)
        for value in page.locator("[data-premium]").evaluate_all("nodes => nodes.map(n => n.dataset.premium)")
    ]
    assert len(premiums) == 23
    assert premiums == sorted(premiums) and premiums[0] > 0
    first = page.locator("details").first
    first.locator("summary").click()
    assert first.locator("tbody tr").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(f"quote-{line}-360")


def _error_text(page):
    page.locator(".invalid-feedback, .alert-danger").first.wait_for()
    return " ".join(page.locator(".invalid-feedback, .alert-danger").all_inner_texts())


def test_a_22_year_old_car_is_refused_in_persian(live_server, page):
    page.goto(f"{live_server.url}/pricing/body/")
    _fill(page, "body", {**INPUTS["body"], "build_year": str(solar_year() - 22)})
    _submit(page)
    assert re.search(r"۲۰ سال", _error_text(page))


def test_a_93_day_single_trip_is_refused_in_persian(live_server, page):
    page.goto(f"{live_server.url}/pricing/travel/")
    _fill(page, "travel", {**INPUTS["travel"], "days": "۹۳"})
    _submit(page)
    assert "۹۲" in _error_text(page) or "92" in to_latin_digits(_error_text(page))


def test_a_negative_value_is_refused_in_persian(live_server, page):
    page.goto(f"{live_server.url}/pricing/electronics/")
    _fill(page, "electronics", {"device_value": "-۵۰۰۰"})
    _submit(page)
    text = _error_text(page)
    assert text and not re.search(r"[A-Za-z]{4,}", text)
