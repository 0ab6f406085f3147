"""Anonymous pages from the cache (issue 16 point 1): core.page_cache.anonymous_page_cache."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse

from core.page_cache import CSRF_PLACEHOLDER, KEY_PREFIX, anonymous_page_cache
from pricing.models import TariffRate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

HOME = "/"
PRICING_INDEX = "/pricing/"
BLANK_QUOTE = "/pricing/third_party/"
BLANK_BODY = "/pricing/body/"
CACHED_PAGES = [HOME, PRICING_INDEX, BLANK_QUOTE, BLANK_BODY]
SECURITY_HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options")


def _stored_pages():
    """Every page entry in the cache (locmem in tests, Redis with REDIS_URL)."""
    backend = cache._cache if hasattr(cache, "_cache") and isinstance(cache._cache, dict) else None
    if backend is not None:
        return [cache.get(key.split(":", 2)[-1]) for key in backend if f":{KEY_PREFIX}:" in key]
    client = cache._cache.get_client()
    return [cache.get(key.decode().split(":", 2)[-1]) for key in client.scan_iter(f"*:{KEY_PREFIX}:*")]


def _signed_in(first_name):
    client = Client()
    client.force_login(UserFactory(first_name=first_name))
    return client


def _dashboard_link():
    return f'href="{reverse("accounts:dashboard")}"'


def _token_in(html: str) -> str:
    return html.split('"X-CSRFToken": "', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("path", CACHED_PAGES)
def test_a_second_anonymous_request_is_served_from_the_cache_without_a_query(path, django_assert_num_queries):
    """issue 16 point 1: the page is rendered once, then comes from the cache (0 queries)."""
    visitor = Client()
    first = visitor.get(path)
    assert first.status_code == 200 and not getattr(first, "served_from_page_cache", False)
    with django_assert_num_queries(0):
        second = visitor.get(path)
    assert second.status_code == 200 and second.served_from_page_cache
    assert "Cookie" in second["Vary"]


@pytest.mark.parametrize("path", [HOME, BLANK_QUOTE])
def test_a_signed_in_visitor_never_gets_the_cached_anonymous_page(path):
    """issue 16 point 1: anonymous first, then signed in: their own render, with their name."""
    anonymous = Client()
    anonymous.get(path)
    assert anonymous.get(path).served_from_page_cache
    page = _signed_in("مریم").get(path)
    html = page.content.decode()
    assert not getattr(page, "served_from_page_cache", False)
    assert "مریم" in html and _dashboard_link() in html


@pytest.mark.parametrize("path", [HOME, BLANK_QUOTE])
def test_one_visitors_page_never_reaches_another(path):
    """issue 16 point 1: a signed-in render is never stored, for another user or an anonymous visitor."""
    assert "مریم" in _signed_in("مریم").get(path).content.decode()
    other = _signed_in("سارا").get(path).content.decode()
    assert "سارا" in other and "مریم" not in other
    anonymous = Client().get(path).content.decode()
    assert "مریم" not in anonymous and "سارا" not in anonymous
    assert _dashboard_link() not in anonymous


def test_a_tariff_change_shows_on_the_next_request(django_capture_on_commit_callbacks):
    """issue 16 point 1: a committed tariff edit changes the key, so the next request renders afresh."""
    visitor = Client()
    assert 'value="glass"' in visitor.get(BLANK_BODY).content.decode()
    assert visitor.get(BLANK_BODY).served_from_page_cache
    rate = TariffRate.objects.get(tariff__solar_year=1405, line="body", table="covers", key="glass")
    with django_capture_on_commit_callbacks(execute=True):
        rate.delete()
    after = visitor.get(BLANK_BODY)
    assert not getattr(after, "served_from_page_cache", False)
    assert 'value="glass"' not in after.content.decode()


def test_an_edit_after_the_commit_point_still_shows(django_capture_on_commit_callbacks):
    """issue 16 point 1: a page rendered between the save and the commit is not served after the commit."""
    visitor = Client()
    rate = TariffRate.objects.get(tariff__solar_year=1405, line="body", table="covers", key="glass")
    with django_capture_on_commit_callbacks(execute=True):
        rate.delete()
        visitor.get(BLANK_BODY)  # cached under the version of before the commit
    assert not getattr(visitor.get(BLANK_BODY), "served_from_page_cache", False)


@pytest.mark.parametrize("path", CACHED_PAGES)
def test_the_cache_keeps_no_csrf_token_and_no_cookie(path):
    """issue 16 point 1: the stored page holds a placeholder for the token and no Set-Cookie."""
    visitor = Client()
    html = visitor.get(path).content.decode()
    token = _token_in(html)
    (stored,) = _stored_pages()
    assert token.encode() not in stored["body"] and CSRF_PLACEHOLDER in stored["body"]
    assert visitor.cookies["csrftoken"].value.encode() not in stored["body"]
    assert not any(name.lower() in ("set-cookie", "vary") for name in stored["headers"])


def test_each_visitor_gets_their_own_csrf_token_from_the_cached_page():
    """issue 16 point 1: the token in a cached page is the visitor's own, valid against their cookie."""
    first, second = Client(), Client()
    first.get(HOME)
    page = second.get(HOME)
    assert page.served_from_page_cache
    assert "csrftoken" in page.cookies  # a new visitor is given the cookie as by a fresh render
    assert _unmask_cipher_token(_token_in(page.content.decode())) == page.cookies["csrftoken"].value
    again = second.get(HOME)
    assert _unmask_cipher_token(_token_in(again.content.decode())) == second.cookies["csrftoken"].value


def test_a_page_from_the_cache_keeps_the_security_headers():
    """issue 16 point 1: the security middleware runs after the view, on a cached page too."""
    visitor = Client()
    fresh = visitor.get(HOME)
    cached = visitor.get(HOME)
    assert cached.served_from_page_cache
    for header in SECURITY_HEADERS:
        assert cached[header] == fresh[header]


def test_a_submitted_quote_is_never_cached():
    """issue 16 point 1: only the blank form is cached; results depend on the inputs."""
    visitor = Client()
    query = {"submitted": "1", "car_type": "car_4cyl"}
    visitor.get(BLANK_QUOTE, query)
    assert not getattr(visitor.get(BLANK_QUOTE, query), "served_from_page_cache", False)
    assert _stored_pages() == []


def test_an_htmx_partial_is_not_served_the_whole_page():
    """issue 16 point 1: the htmx panel is another template; it never takes a cached page."""
    visitor = Client()
    visitor.get(BLANK_QUOTE)
    partial = visitor.get(BLANK_QUOTE, headers={"HX-Request": "true"})
    assert not getattr(partial, "served_from_page_cache", False)
    assert "<html" not in partial.content.decode()


def _decorated(respond):
    @anonymous_page_cache()
    def view(request):
        return respond()

    return view


@pytest.mark.parametrize(
    "respond",
    [
        pytest.param(lambda: _with_cookie(HttpResponse("page")), id="sets-a-cookie"),
        pytest.param(lambda: HttpResponse("missing", status=404), id="not-200"),
        pytest.param(lambda: HttpResponseRedirect("/elsewhere/"), id="redirect"),
    ],
)
def test_a_response_that_sets_a_cookie_or_is_not_200_is_never_stored(rf, respond):
    """issue 16 point 1: only a plain 200 without Set-Cookie goes into the cache."""
    view = _decorated(respond)
    request = rf.get("/a-page/")
    request.user = AnonymousUser()
    view(request)
    assert _stored_pages() == []
    assert not getattr(view(request), "served_from_page_cache", False)


def _with_cookie(response):
    response.set_cookie("seen", "1")
    return response


def test_a_visitor_with_a_waiting_message_gets_a_fresh_render_that_is_not_stored(rf):
    """issue 16 point 1: a message shown once to one visitor never reaches the cache."""
    view = _decorated(lambda: HttpResponse("page with a message"))
    request = rf.get("/a-page/")
    request.user = AnonymousUser()
    request.COOKIES["messages"] = "a signed message"
    view(request)
    assert _stored_pages() == []
    assert not getattr(view(request), "served_from_page_cache", False)


def test_a_request_with_credentials_in_a_header_gets_its_own_render():
    """issue 16 point 1: an `Authorization` header means a caller with an identity: no cached page."""
    visitor = Client()
    visitor.get(HOME)
    assert visitor.get(HOME).served_from_page_cache
    assert not getattr(visitor.get(HOME, headers={"Authorization": "Token abc"}), "served_from_page_cache", False)
