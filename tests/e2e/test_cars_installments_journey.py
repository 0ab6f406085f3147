"""Issue 14 points 4 and 5 in Chromium at 1280 and 360 px: a customer picks a car by make and
model instead of a tariff code, asks for instalments, and sees each insurer's schedule (or
that it sells for cash only)."""

import re

import pytest

from core.jalali import solar_year
from pricing.models import TariffRate

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _submit(page):
    page.get_by_role("button", name="مقایسه قیمت‌ها").click()
    page.locator("#results-title").wait_for()


@pytest.mark.parametrize("width", [360, 1280])
def test_a_car_by_make_and_model_priced_in_instalments(live_server, page, screenshot, width):
    page.set_viewport_size({"width": width, "height": 900})

    # Third party: a Pride 131 (Saipa), in instalments.
    page.goto(f"{live_server.url}/pricing/third_party/")
    picker = page.locator("#id_car_model")
    assert picker.locator("optgroup[label='سایپا'] option", has_text="پراید ۱۳۱").count() == 1
    picker.select_option("saipa_pride_131")
    page.locator("#id_payment").select_option("installments")
    _submit(page)
    assert page.locator("#id_car_model").input_value() == "saipa_pride_131"
    cards = page.locator("#quote-panel ol > li")
    total = cards.count()
    with_plan = page.locator("[data-installments]").count()
    cash_only = page.locator("[data-cash-only]").count()
    sellers = TariffRate.objects.filter(
        tariff__solar_year=solar_year(), line="third_party", table="installment_count", value__gt=0
    ).count()
    assert total > 0 and with_plan + cash_only == total
    assert with_plan == min(sellers, total) and cash_only > 0
    screenshot(f"quote-car-third-party-installments-{width}", page)

    # Body: a Toyota Land Cruiser (more than 4 cylinders, derived from the car), in instalments.
    page.goto(f"{live_server.url}/pricing/body/")
    page.locator("#id_car_model").select_option("toyota_land_cruiser")
    page.locator("#id_car_value").fill("۸٬۰۰۰٬۰۰۰٬۰۰۰")
    page.locator("#id_build_year").fill(str(solar_year() - 3))
    page.locator("#id_payment").select_option("installments")
    _submit(page)
    assert page.locator("[data-installments]").count() == page.locator("#quote-panel ol > li").count()
    first = page.locator("#quote-panel ol > li").first
    first.locator("summary").click()
    schedule = first.locator("table").nth(1)
    schedule.get_by_text("پیش‌پرداخت").wait_for()
    assert re.search(r"[۰-۹]", schedule.inner_text()) and not re.search(r"[0-9]", schedule.inner_text())
    screenshot(f"quote-car-body-installments-{width}", page)
