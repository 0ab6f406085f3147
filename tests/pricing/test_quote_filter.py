"""The quote results on a phone: filter by the insurer's name, to instalments or to no
inspection, and sort by price either way or by name (issue 14 point 10). Server side, by GET
parameters (works without JavaScript); tests/e2e/test_phone_width.py drives the script."""

import datetime as dt
import re

import pytest
from django.http import QueryDict

from pricing.core.quote import Installment, Quote
from pricing.results import quote_listing

pytestmark = pytest.mark.django_db

CARD = re.compile(
    r'<li class="card shadow-sm mb-2 quote-card"( hidden)? data-insurer="(\w+)" data-name="([^"]+)" data-price="(\d+)"'
)
THIRD_PARTY = {"submitted": "1", "vehicle_group": "car_4cyl"}


def _quote(code, name, premium, *, installments=False, inspection=None):
    schedule = (Installment(dt.date(2026, 1, 1), premium),) if installments else None
    return Quote(code, name, premium, (), inspection_required=inspection, installments=schedule)


QUOTES = [
    _quote("asia", "بیمه آسیا", 300, installments=True, inspection=False),
    _quote("iran", "بیمه ایران", 100, inspection=True),
    _quote("dana", "بیمه دانا", 200, installments=True, inspection=True),
    _quote("alborz", "بیمه البرز", 200),
]


def _codes(listing):
    return [quote.insurer for quote in listing.quotes]


def test_by_default_every_quote_is_shown_cheapest_first_ties_in_the_engines_order():
    """issue 14 point 10: the default is the list as before."""
    assert _codes(quote_listing(QUOTES, QueryDict())) == ["iran", "dana", "alborz", "asia"]


def test_sorted_by_price_descending_and_by_name():
    """issue 14 point 10: «گران‌ترین اول» and «به ترتیب نام بیمه‌گر»."""
    assert _codes(quote_listing(QUOTES, QueryDict("sort=-price"))) == ["asia", "dana", "alborz", "iran"]
    assert _codes(quote_listing(QUOTES, QueryDict("sort=name"))) == ["asia", "alborz", "iran", "dana"]


def test_filtered_by_name_as_typed_on_an_arabic_keyboard():
    """issue 14 point 10: «ايران» typed with the Arabic ي finds «بیمه ایران»."""
    listing = quote_listing(QUOTES, QueryDict("insurer_q=%D8%A7%D9%8A%D8%B1%D8%A7%D9%86"))
    assert _codes(listing) == ["iran"] and listing.total == 4


def test_only_instalments_and_no_inspection_combine():
    """issue 14 point 10: «فقط اقساطی» and «بدون نیاز به بازدید»."""
    assert _codes(quote_listing(QUOTES, QueryDict("only_installments=1"))) == ["dana", "asia"]
    assert _codes(quote_listing(QUOTES, QueryDict("no_inspection=1"))) == ["alborz", "asia"]
    assert _codes(quote_listing(QUOTES, QueryDict("only_installments=1&no_inspection=1"))) == ["asia"]


def test_the_filtered_out_are_rendered_hidden_and_ranks_count_the_shown():
    """issue 14 point 10: every quote stays in the page (the script brings them back); only the shown are ranked."""
    listing = quote_listing(QUOTES, QueryDict("insurer_q=دانا"))
    assert [(row.quote.insurer, row.rank) for row in listing.rows] == [
        ("iran", None),
        ("dana", 1),
        ("alborz", None),
        ("asia", None),
    ]


def test_the_page_shows_the_bar_and_sorts_without_javascript(client):
    """issue 14 point 10: the bar is a GET form; the server sorts the cards by its parameters."""
    default = client.get("/pricing/third_party/", THIRD_PARTY).content.decode()
    assert 'id="quote-filter"' in default and 'name="insurer_q"' in default
    cards = CARD.findall(default)
    assert len(cards) > 5 and not any(hidden for hidden, *_ in cards)
    # the bar carries the form's inputs, so applying it prices the same car
    assert '<input type="hidden" name="vehicle_group" value="car_4cyl">' in default

    expensive_first = CARD.findall(
        client.get("/pricing/third_party/", {**THIRD_PARTY, "sort": "-price"}).content.decode()
    )
    prices = [int(price) for *_, price in expensive_first]
    assert prices == sorted(prices, reverse=True) and len(expensive_first) == len(cards)


def test_the_page_hides_the_insurers_the_name_filter_leaves_out(client):
    """issue 14 point 10: filtered server side, the others are hidden and the count says so."""
    html = client.get("/pricing/third_party/", {**THIRD_PARTY, "insurer_q": "ایران"}).content.decode()

    shown = [name for hidden, _code, name, _price in CARD.findall(html) if not hidden]
    assert shown and all("ایران" in name for name in shown)
    assert re.search(r'id="quote-filter-shown">([۰-۹]+)<', html).group(1) in {"۱", "۲", "۳"}
