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


# --- Tables at 360 px (issue 14 point 10) ---------------------------------------------------

# Tables a phone cannot show whole: wider than the screen, or than a box that clips or
# scrolls them sideways (a reader would not know to swipe inside a card).
_CLIPPED_TABLES = """() => Array.from(document.querySelectorAll('table'))
  .filter(table => table.offsetParent !== null)
  .filter(table => {
    const rect = table.getBoundingClientRect();
    if (rect.left < -1 || rect.right > window.innerWidth + 1) return true;
    for (let box = table; box && box !== document.body; box = box.parentElement) {
      if (box.scrollWidth > box.clientWidth + 1) return true;
    }
    return false;
  })
  .map(table => table.id || table.className)"""


def _agent_with_invoices_and_a_claim():
    """An agent with paid and failed invoices, a customer with a policy in instalments and a
    claim with documents: the pages whose tables were clipped on a phone."""
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.utils import timezone

    from agents.models import Invoice, Plan
    from claims.services import claim_file
    from policies.models import Installment
    from tests.agents.images import pdf_bytes
    from tests.agents.test_paid_plan import _browser_for, _pay_through_the_sandbox
    from tests.policies.helpers import make_agent, record

    agent, customer = make_agent(), UserFactory()
    agent_browser = _browser_for(agent.user)
    _pay_through_the_sandbox(agent_browser, plan="monthly")
    plan = Plan.objects.get(code="yearly")
    for number in range(3):
        Invoice.objects.create(
            number=f"BM-14050{number}-99887766",
            agent=agent,
            plan=plan,
            amount=plan.price,
            status=Invoice.Status.FAILED,
            gateway="sandbox",
            failure_reason="-51: پرداخت ناموفق",
        )
    today = timezone.localdate()
    policy = record(agent, customer, issued_on=today - dt.timedelta(days=40), payment_plan="installments")
    Installment.objects.filter(policy=policy, number=1).update(due_on=today - dt.timedelta(days=3))
    claim = claim_file(
        user=customer,
        policy=policy,
        occurred_on=today - dt.timedelta(days=2),
        description="آتش‌سوزی آشپزخانه",
        estimated_loss=1_000_000,
    )
    customer_browser = Client()
    customer_browser.force_login(customer)
    kinds = [
        kind for kind in customer_browser.get(f"/claims/{claim.pk}/").context["upload_form"].fields["kind"].choices
    ]
    for kind, _label in kinds[:3]:
        customer_browser.post(
            f"/claims/{claim.pk}/documents/",
            {"kind": kind, "file": SimpleUploadedFile("doc.pdf", pdf_bytes(), content_type="application/pdf")},
        )
    return agent, customer, policy, claim


def test_tables_scroll_in_their_own_box_on_a_phone(live_server, playwright_browser, screenshot):
    """issue 14 point 10: the agent's invoices, the policy's instalments, the claim and its
    documents, the policy and claim lists: at 360 px no table is clipped and the page does
    not scroll sideways."""
    agent, customer, policy, claim = _agent_with_invoices_and_a_claim()
    pages = {
        agent.user: ["/agent/", f"/policies/{policy.pk}/", f"/claims/{claim.pk}/", "/policies/", "/claims/"],
        customer: [f"/policies/{policy.pk}/", f"/claims/{claim.pk}/", "/policies/", "/claims/"],
    }
    problems = {}
    for user, paths in pages.items():
        context, page = signed_in_page(playwright_browser, live_server, user, width=PHONE)
        try:
            for path in paths:
                page.goto(f"{live_server.url}{path}")
                clipped = page.evaluate(_CLIPPED_TABLES)
                if _overflow(page) > 0 or clipped:
                    problems[f"{user.mobile} {path}"] = (_overflow(page), clipped)
            if user == agent.user:
                page.goto(f"{live_server.url}/agent/")
                screenshot(f"agent-invoices-{PHONE}", page)
            else:
                page.goto(f"{live_server.url}/claims/{claim.pk}/")
                screenshot(f"claim-documents-{PHONE}", page)
        finally:
            context.close()
    assert problems == {}


# --- The quote results: filter and sort (issue 14 point 10) -----------------------------------


@pytest.mark.parametrize("width", [PHONE, 1280])
def test_the_quote_cards_are_filtered_and_sorted_in_the_page(live_server, page, screenshot, width):
    """issue 14 point 10: typing an insurer's name narrows the cards at once, the sort
    reorders them, the count follows; on a phone nothing scrolls sideways."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/pricing/third_party/?submitted=1&vehicle_group=car_4cyl")
    cards = page.locator("#quote-results .quote-card")
    total = cards.count()
    assert total > 5

    page.locator("#quote-filter-q").fill("ایران")
    visible_names = page.locator("#quote-results .quote-card:not([hidden])").evaluate_all(
        "cards => cards.map(card => card.dataset.name)"
    )
    assert visible_names and len(visible_names) < total
    assert all("ایران" in name for name in visible_names)
    assert "submitted=1" in page.url and "insurer_q=" in page.url  # the address can be shared

    page.locator("#quote-filter-q").fill("")
    page.locator("#quote-filter-sort").select_option("-price")
    prices = page.locator("#quote-results .quote-card:not([hidden])").evaluate_all(
        "cards => cards.map(card => Number(card.dataset.price))"
    )
    assert len(prices) == total and prices == sorted(prices, reverse=True)
    assert page.locator("#quote-filter-shown").inner_text() == str(total).translate(
        str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
    )
    if width == PHONE:
        assert _overflow(page) <= 0
    page.locator("#quote-filter").scroll_into_view_if_needed()
    screenshot(f"quote-filter-{width}")
