"""A family of three (two adults and a child) gets travel quotes for a country (issue 14
point 7), in Chromium at 1280 and 360 px: the country picker, the traveller rows (added with
the button), every insurer's price with one breakdown line per traveller."""

import datetime as dt

import pytest
from django.utils import timezone

from core.text import to_persian_digits
from pricing.core.lines.travel import age_on

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
# Typed in Jalali with Persian digits: 1360/03/10, 1370/05/10, 1397/02/30.
FAMILY = [dt.date(1981, 5, 31), dt.date(1991, 8, 1), dt.date(2018, 5, 20)]


@pytest.mark.parametrize("width", [360, 1280])
def test_a_family_of_three_picks_a_country_and_gets_quotes(live_server, page, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/pricing/travel/")
    # With JavaScript the five rows fold to one; the button adds the others.
    rows = page.locator("input[type=text][name=travellers]")
    assert rows.count() == 1
    page.locator("#id_country").select_option(label="ترکیه")
    page.locator("#id_days").fill("۱۰")
    rows.nth(0).fill("۱۳۶۰/۰۳/۱۰")
    add = page.get_by_role("button", name="+ افزودن مسافر")
    add.click()
    rows.nth(1).fill("۱۳۷۰/۰۵/۱۰")
    add.click()
    rows.nth(2).fill("۱۳۹۷/۰۲/۳۰")
    assert page.locator("label[for=id_travellers_3]").inner_text() == "مسافر ۳"
    page.get_by_role("button", name="مقایسه قیمت‌ها").click()
    page.locator("#results-title").wait_for()

    premiums = [
        int(value)
        for value in page.locator("[data-premium]").evaluate_all("nodes => nodes.map(n => n.dataset.premium)")
    ]
    assert len(premiums) == 23 and premiums == sorted(premiums) and premiums[0] > 0
    cheapest = page.locator("details").first
    cheapest.locator("summary").click()
    lines = cheapest.locator("tbody tr td:first-child").all_inner_texts()
    ages = [age_on(born, timezone.localdate()) for born in FAMILY]  # 45, 35 and 8 in late 2026
    assert lines == [f"مسافر {to_persian_digits(n)} ({to_persian_digits(age)} ساله)" for n, age in enumerate(ages, 1)]
    # After the htmx swap the rows are still three, renumbered, with the remove buttons live.
    assert page.locator("input[type=text][name=travellers]").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"travel-family-{width}")

    # A family member removed: two travellers, a cheaper quote for every insurer.
    page.get_by_role("button", name="حذف مسافر ۳").click()
    assert page.locator("input[type=text][name=travellers]").count() == 2
    page.get_by_role("button", name="مقایسه قیمت‌ها").click()
    page.locator("details").first.locator("summary").click()
    page.locator("details").first.get_by_text(lines[1]).wait_for()
    assert page.locator("details").first.locator("tbody tr").count() == 2
