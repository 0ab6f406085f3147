"""Provinces, insurers and lines from the cache for anonymous callers (issue 16 point 1):
the rendered JSON of the reference lists and of the pricing lines catalog, through
core.page_cache.anonymous_page_cache wrapped around the DRF views."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

import core.page_cache
from insurers.models import InsuranceLine, Province
from pricing.models import TariffRate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROVINCES = "/api/v1/provinces/"
INSURERS = "/api/v1/insurers/"
REFERENCE_LINES = "/api/v1/lines/"
PRICING_LINES = "/api/v1/pricing/lines/"
CACHED_APIS = [PROVINCES, INSURERS, REFERENCE_LINES, PRICING_LINES]


def _from_cache(response) -> bool:
    return getattr(response, "served_from_page_cache", False)


def _fresh_render(path, monkeypatch, **headers):
    """What the view answers with the cache out of the way."""
    with monkeypatch.context() as patch:
        patch.setattr(core.page_cache, "_anonymous_page_request", lambda request: False)
        response = Client().get(path, **headers)
    assert not _from_cache(response)
    return response


@pytest.mark.parametrize("path", CACHED_APIS)
def test_a_second_anonymous_call_is_served_from_the_cache_without_a_query(path, django_assert_num_queries):
    """issue 16 point 1: rendered once, then the stored JSON (0 queries), `Vary: Cookie`."""
    caller = APIClient()
    first = caller.get(path)
    assert first.status_code == 200 and not _from_cache(first)
    with django_assert_num_queries(0):
        second = caller.get(path)
    assert second.status_code == 200 and _from_cache(second)
    assert "Cookie" in second["Vary"]


@pytest.mark.parametrize("path", CACHED_APIS)
def test_the_cached_json_is_the_fresh_render(path, monkeypatch):
    """issue 16 point 1: the same bytes and content type as the view renders without the cache."""
    Client().get(path)
    cached = Client().get(path)
    assert _from_cache(cached)
    fresh = _fresh_render(path, monkeypatch)
    assert cached.content == fresh.content
    assert cached["Content-Type"] == fresh["Content-Type"] == "application/json"
    assert cached.json() == json.loads(fresh.content)


def test_a_new_province_shows_on_the_next_call(django_capture_on_commit_callbacks):
    """issue 16 point 1: saving or deleting a province replaces the reference version."""
    caller = APIClient()
    caller.get(PROVINCES)
    assert _from_cache(caller.get(PROVINCES))
    with django_capture_on_commit_callbacks(execute=True):
        Province.objects.create(code="test_province", name="استان آزمایشی", order=999)
    codes = [row["code"] for row in caller.get(PROVINCES).json()]
    assert "test_province" in codes
    with django_capture_on_commit_callbacks(execute=True):
        Province.objects.filter(code="test_province").get().delete()
    after = caller.get(PROVINCES)
    assert not _from_cache(after)
    assert "test_province" not in [row["code"] for row in after.json()]


def test_a_province_renamed_between_the_save_and_the_commit_still_shows(django_capture_on_commit_callbacks):
    """issue 16 point 1: a list cached under the new version before the commit is dropped by the commit."""
    caller = APIClient()
    province = Province.objects.get(code="tehran")
    with django_capture_on_commit_callbacks(execute=True):
        province.name = "تهران بزرگ"
        province.save()
        caller.get(PROVINCES)  # cached between the save and the commit
    after = caller.get(PROVINCES)
    assert not _from_cache(after)
    assert {"code": "tehran", "name": "تهران بزرگ"} in after.json()


@pytest.mark.parametrize("path", [REFERENCE_LINES, PRICING_LINES])
def test_a_renamed_line_shows_on_the_next_call(path, django_capture_on_commit_callbacks):
    """issue 16 point 1: both line lists follow a line's new name at once (the pricing catalog's
    line names are cached under the reference version too)."""
    caller = APIClient()
    caller.get(path)
    assert _from_cache(caller.get(path))
    line = InsuranceLine.objects.get(code="fire")
    with django_capture_on_commit_callbacks(execute=True):
        line.name = "آتش‌سوزی منازل"
        line.save()
    names = {row["code"]: row["name"] for row in caller.get(path).json()}
    assert names["fire"] == "آتش‌سوزی منازل"


def test_a_tariff_change_shows_in_the_pricing_lines_on_the_next_call(django_capture_on_commit_callbacks):
    """issue 16 point 1: the catalog follows the tariff version (pricing.snapshots.VERSION_KEY)."""
    caller = APIClient()

    def body_covers():
        body = next(line for line in caller.get(PRICING_LINES).json() if line["code"] == "body")
        covers = next(param for param in body["parameters"] if param["name"] == "covers")
        return [choice["value"] for choice in covers["choices"]]

    assert "glass" in body_covers()
    assert _from_cache(caller.get(PRICING_LINES))
    rate = TariffRate.objects.get(tariff__solar_year=1405, line="body", table="covers", key="glass")
    with django_capture_on_commit_callbacks(execute=True):
        rate.delete()
    assert "glass" not in body_covers()


@pytest.mark.parametrize("path", CACHED_APIS)
def test_a_signed_in_caller_or_one_with_a_token_gets_their_own_answer(path):
    """issue 16 point 1: a session user or an `Authorization` header: rendered for them, never stored."""
    anonymous = APIClient()
    anonymous.get(path)
    assert _from_cache(anonymous.get(path))
    browser = Client()
    browser.force_login(UserFactory())
    with_token = APIClient(HTTP_AUTHORIZATION="Token any-token-at-all")
    for caller in (browser, with_token):
        own = caller.get(path)
        assert own.status_code == 200 and not _from_cache(own)
        assert own.json() == anonymous.get(path).json()


def test_a_signed_in_render_is_never_stored():
    """issue 16 point 1: only an anonymous caller's render is kept."""
    browser = Client()
    browser.force_login(UserFactory())
    browser.get(PROVINCES)
    assert not _from_cache(Client().get(PROVINCES))


def test_the_accept_header_is_part_of_the_key():
    """issue 16 point 1: DRF negotiates from Accept; a caller who asks for another form gets
    what a fresh render gives (indented JSON, or 406), never the stored compact JSON."""
    APIClient().get(PROVINCES)
    assert _from_cache(APIClient().get(PROVINCES))
    indented = APIClient().get(PROVINCES, HTTP_ACCEPT="application/json; indent=4")
    assert not _from_cache(indented)
    assert b'\n    {\n        "code"' in indented.content
    for _ in range(2):
        refused = APIClient().get(PROVINCES, HTTP_ACCEPT="application/xml")
        assert refused.status_code == 406 and not _from_cache(refused)


@pytest.mark.parametrize("path", [PROVINCES, PRICING_LINES, "/", "/pricing/"])
def test_a_cached_answer_costs_one_cache_read(path, monkeypatch):
    """issue 16 point 1: the stored answer and the versions it depends on come in one
    `get_many` (one Redis round trip), not one read per version and another for the page."""
    Client().get(path)
    reads, inside = [], []

    def counted(name, read):
        def call(*args, **kwargs):
            if not inside:  # LocMemCache's get_many calls its own get: one read all the same
                reads.append(name)
            inside.append(name)
            try:
                return read(*args, **kwargs)
            finally:
                inside.pop()

        return call

    for name in ("get", "get_many"):
        monkeypatch.setattr(core.page_cache.cache, name, counted(name, getattr(core.page_cache.cache, name)))
    assert _from_cache(Client().get(path))
    assert reads == ["get_many"]


def test_a_renamed_line_shows_on_the_cached_pricing_page(django_capture_on_commit_callbacks):
    """issue 16 point 1: pages that list the lines take the reference version too."""
    visitor = Client()
    visitor.get("/pricing/")
    assert _from_cache(visitor.get("/pricing/"))
    line = InsuranceLine.objects.get(code="fire")
    with django_capture_on_commit_callbacks(execute=True):
        line.name = "آتش‌سوزی منازل"
        line.save()
    after = visitor.get("/pricing/")
    assert not _from_cache(after)
    assert "آتش‌سوزی منازل" in after.content.decode()
