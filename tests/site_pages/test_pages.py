"""The site's own pages (issue 14 point 8): about, contact, terms, privacy, a footer linking them
on every page, and a title and description of its own on every page."""

import html
import re

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FOOTER_LINKS = ["/about/", "/faq/", "/contact/", "/terms/", "/privacy/", "/for-agents/"]
PUBLIC_PAGES = [
    "/",
    "/pricing/",
    "/pricing/fire/",
    "/pricing/third_party/",
    "/faq/",
    "/about/",
    "/contact/",
    "/terms/",
    "/privacy/",
    "/for-agents/",
    "/accounts/login/",
]


def _head(page: str, pattern: str) -> str:
    match = re.search(pattern, page, re.S)
    return html.unescape(match.group(1)).strip() if match else ""


def title_of(page: str) -> str:
    return _head(page, r"<title>(.*?)</title>")


def description_of(page: str) -> str:
    return _head(page, r'<meta name="description" content="(.*?)">')


def footer_of(page: str) -> str:
    return _head(page, r"<footer[^>]*>(.*?)</footer>")


def site_default_description() -> str:
    """What base.html says of a page that says nothing of itself."""
    from django.template.loader import get_template

    return description_of(get_template("base.html").render({}))


@pytest.fixture
def customer_request(db, client, django_capture_on_commit_callbacks):
    """A signed-in customer with one request of their own, posted through the API."""
    from rest_framework.test import APIClient

    from tests.insurance_requests.factories import active_agent, request_payload

    active_agent("iran")  # a request no insurer can serve in the province is refused (issue 14 point 10)
    customer = UserFactory()
    api = APIClient()
    api.force_authenticate(customer)
    with django_capture_on_commit_callbacks(execute=True):
        request_id = api.post("/api/v1/requests/", request_payload(), format="json").json()["id"]
    client.force_login(customer)
    return request_id


@pytest.mark.parametrize("path", ["/faq/", "/about/", "/contact/", "/terms/", "/privacy/", "/for-agents/"])
def test_each_page_of_the_site_answers_for_anyone(client, path):
    """issue 14 point 8: the pages are public (no sign-in) and Persian RTL."""
    response = client.get(path)
    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize("path", [*PUBLIC_PAGES, "/requests/", "/accounts/"])
def test_the_footer_links_the_sites_pages_on_every_page(client, customer_request, path):
    """issue 14 point 8: a footer on every page (public and signed-in) linking the site's pages."""
    footer = footer_of(client.get(path, follow=True).content.decode())
    for link in FOOTER_LINKS:
        assert f'href="{link}"' in footer, (path, link)


def test_public_pages_have_distinct_non_empty_titles_and_descriptions(client):
    """issue 14 point 8: every page its own <title> and <meta name="description">."""
    pages = {path: client.get(path).content.decode() for path in PUBLIC_PAGES}
    titles = {path: title_of(page) for path, page in pages.items()}
    descriptions = {path: description_of(page) for path, page in pages.items()}

    assert all(title and not title.startswith("|") for title in titles.values()), titles
    assert len(set(titles.values())) == len(titles), titles
    assert all(descriptions.values()), descriptions
    assert site_default_description() not in descriptions.values(), descriptions
    assert len(set(descriptions.values())) == len(descriptions), descriptions


def test_the_request_list_and_detail_have_their_own_title_and_description(client, customer_request):
    """issue 14 point 8: the customer's request pages too, and not the site's default description."""
    default = site_default_description()
    listing = client.get("/requests/").content.decode()
    detail = client.get(f"/requests/{customer_request}/").content.decode()

    assert title_of(listing) != title_of(detail)
    assert {description_of(listing), description_of(detail)}.isdisjoint({"", default})
    assert len({description_of(listing), description_of(detail), description_of(client.get("/").content.decode())}) == 3


def test_contact_page_leads_to_the_support_tickets_and_gives_the_hours(client):
    """issue 14 point 8: how to reach support: the in-app tickets of each category, and office hours."""
    page = client.get("/contact/").content.decode()
    for category in ("support", "contact", "upgrade"):
        assert f'href="/accounts/tickets/?category={category}"' in page
    assert "ساعت پاسخ‌گویی" in page and "شنبه تا چهارشنبه" in page


def test_contact_page_invents_no_phone_number_or_address(client):
    """No made-up phone numbers, e-mail or postal addresses: support is the in-app ticket."""
    from core.contact_details import find_contact_details

    main = client.get("/contact/").content.decode().split("<main", 1)[1].split("</main>", 1)[0]
    assert find_contact_details(html.unescape(re.sub(r"<[^>]+>", " ", main))) == []


def test_privacy_page_says_what_is_kept_and_what_agents_see(client):
    """issue 14 point 8: mobile, requests, the reveal log; before and after acceptance; SMS; deletion."""
    page = client.get("/privacy/").content.decode()
    for words in ("شماره موبایل", "درخواست‌ها", "گزارش نمایش اطلاعات تماس", "پیش از پذیرش", "پس از پذیرش", "پیامک"):
        assert words in page, words
    assert 'href="/accounts/tickets/?category=support"' in page  # deletion requests go through support
