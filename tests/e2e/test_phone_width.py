"""Customer pages at 360 px: nothing may push the page wider than the phone (a sideways wobble)."""

import pytest

from tests.e2e.sessions import signed_in_page
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = 360


def _overflow(page):
    return page.evaluate("document.documentElement.scrollWidth") - PHONE


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/register/", "/pricing/fire/"])
def test_public_pages_do_not_scroll_sideways_on_a_phone(live_server, page, path):
    page.set_viewport_size({"width": PHONE, "height": 800})
    page.goto(f"{live_server.url}{path}")
    assert _overflow(page) <= 0, path


@pytest.mark.parametrize(
    "path", ["/accounts/", "/accounts/profile/", "/accounts/profile/identity-change/", "/requests/new/?line=fire"]
)
def test_customer_pages_do_not_scroll_sideways_on_a_phone(live_server, playwright_browser, path):
    context, page = signed_in_page(playwright_browser, live_server, UserFactory(), width=PHONE)
    try:
        page.goto(f"{live_server.url}{path}")
        assert _overflow(page) <= 0, path
    finally:
        context.close()
