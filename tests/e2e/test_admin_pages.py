"""Staff read a claim and a policy in the admin (issue 14 point 9), in Chromium at 1280 and
360 px: Jalali dates, Persian digits, amounts in rial, labels instead of codes, no raw JSON."""

import re

import pytest

from core.text import to_persian_digits
from tests.admin.scene import build_scene
from tests.factories import StaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LATIN_DIGIT = re.compile(r"[0-9]")


def main_text(page) -> str:
    """What the reader sees of the page's content (innerText leaves out hidden parts)."""
    return page.locator("#content").inner_text()


def assert_readable(text: str) -> None:
    assert not LATIN_DIGIT.search(text), re.findall(r"\S*[0-9]\S*", text)
    assert "{" not in text and "[" not in text


@pytest.mark.parametrize("width", [1280, 360])
def test_staff_read_a_claim_and_a_policy(live_server, playwright_browser, screenshot, width):
    scene = build_scene()
    staff = StaffFactory()
    context = playwright_browser.new_context(
        locale="fa-IR", timezone_id="Asia/Tehran", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/admin/login/")
        page.locator("#id_username").fill(staff.mobile)
        page.locator("#id_password").fill("staff-pass-123")
        page.locator("input[type=submit]").click()
        page.wait_for_url(re.compile(r"/admin/$"))

        # the claim: from the list to its page
        claim = scene["claim"]
        page.goto(f"{live_server.url}/admin/claims/claim/")
        page.get_by_role("link", name=to_persian_digits(claim.pk), exact=True).click()
        page.wait_for_url(re.compile(rf"/admin/claims/claim/{claim.pk}/change/"))
        text = main_text(page)
        assert_readable(text)
        assert "شکست شیشه" in text and "glass" not in text
        assert "۲۵٬۰۰۰٬۰۰۰" in text or "۲۵٬۲۰۰٬۰۰۰ ریال" in text
        assert page.locator("table.readable-data").count() >= 2  # assessment inputs and breakdown
        screenshot(f"admin-claim-{width}", page)

        # the policy it was filed on, through the claim's link
        policy = scene["body_policy"]
        page.get_by_role("link", name=re.compile(re.escape(to_persian_digits(policy.number)))).first.click()
        page.wait_for_url(re.compile(rf"/admin/policies/policy/{policy.pk}/change/"))
        text = main_text(page)
        assert_readable(text)
        assert "سرقت درجا" in text and "parts_theft" not in text
        assert "۹٬۰۰۰٬۰۰۰٬۰۰۰ ریال" in text
        screenshot(f"admin-policy-{width}", page)

        # the action bar counts selected rows in Persian digits, written by the admin's JavaScript
        page.goto(f"{live_server.url}/admin/claims/claim/")
        page.locator("input.action-select").first.check()
        counter = page.locator(".action-counter").inner_text()
        assert "۱" in counter and not LATIN_DIGIT.search(counter), counter
    finally:
        context.close()
