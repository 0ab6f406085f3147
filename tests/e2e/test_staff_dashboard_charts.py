"""The staff marketplace dashboard in Chromium: charts stay inside the page, in Persian digits."""

import pytest

from tests.e2e.sessions import signed_in_page
from tests.factories import StaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_charts_fit_the_page_and_read_in_persian(live_server, playwright_browser, screenshot):
    context, page = signed_in_page(playwright_browser, live_server, StaffFactory(), width=1280)
    try:
        page.goto(f"{live_server.url}/admin/marketplace/")
        page.wait_for_function("() => window.Chart && Chart.getChart('requests-chart')")
        ticks = page.evaluate(
            "() => Chart.getChart('requests-chart').scales.y.ticks.map(t => t.label)"
            " .concat(Chart.getChart('requests-chart').scales.x.ticks.map(t => t.label).slice(0, 1))"
        )
        page.wait_for_timeout(300)  # let the responsive resize settle

        # no request or answer yet: the per-insurer chart says so instead of drawing an empty frame
        assert page.locator("#insurers-empty").is_visible()
        assert not page.locator("#insurers-chart").is_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= 1280
        box = page.locator("#requests-chart").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 1280
        assert ticks and all(not any(c.isascii() and c.isdigit() for c in str(t)) for t in ticks), ticks
        screenshot("admin-marketplace-dashboard", page)
    finally:
        context.close()
