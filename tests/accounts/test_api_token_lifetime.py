"""API tokens expire: API_TOKEN_IDLE_DAYS after their last use (each use renews them) and
API_TOKEN_MAX_DAYS after they were issued; their owner sees the expiry and can end them
(issue 13 point 3)."""

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ApiToken
from accounts.services import api_token_issue
from accounts.services.auth import api_tokens_delete_expired
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IDLE = dt.timedelta(days=settings.API_TOKEN_IDLE_DAYS)
MAX = dt.timedelta(days=settings.API_TOKEN_MAX_DAYS)


@pytest.fixture
def user():
    return UserFactory()


def _client(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _age(token, *, created=None, used=None):
    """Move the token's clock back: issued `created` ago, last used `used` ago."""
    now = timezone.now()
    changes = {}
    if created is not None:
        changes["created_at"] = now - created
    if used is not None:
        changes["last_used_at"] = now - used
    ApiToken.objects.filter(pk=token.pk).update(**changes)


def test_a_token_unused_for_its_idle_lifetime_is_refused_in_persian_and_deleted(user):
    """issue 13 point 3: idle expiry (401, Persian, row gone)."""
    token, key = api_token_issue(user=user, ip="127.0.0.1", user_agent="app")
    _age(token, used=IDLE + dt.timedelta(minutes=1))
    response = _client(key).get("/api/v1/me/")
    assert response.status_code == 401
    assert response.json()["detail"] == "این ورود منقضی شده است؛ دوباره وارد شوید."
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_use_renews_the_idle_lifetime(user):
    """issue 13 point 3: a token used within its idle lifetime lives on from that use."""
    token, key = api_token_issue(user=user, ip="127.0.0.1", user_agent="app")
    _age(token, created=IDLE, used=IDLE - dt.timedelta(hours=1))
    assert _client(key).get("/api/v1/me/").status_code == 200
    token.refresh_from_db()
    assert token.expires_at > timezone.now() + IDLE - dt.timedelta(minutes=1)


def test_a_token_in_daily_use_still_ends_at_its_maximum_age(user):
    """issue 13 point 3: the absolute cap, whatever the use."""
    token, key = api_token_issue(user=user, ip="127.0.0.1", user_agent="app")
    _age(token, created=MAX + dt.timedelta(minutes=1), used=dt.timedelta(minutes=5))
    assert _client(key).get("/api/v1/me/").status_code == 401
    assert not ApiToken.objects.filter(pk=token.pk).exists()


def test_the_owner_lists_tokens_with_their_expiry_and_ends_one(user):
    """issue 13 point 3: listed (with expires_at) and ended by their owner."""
    phone, phone_key = api_token_issue(user=user, ip="127.0.0.1", user_agent="phone")
    tablet, _tablet_key = api_token_issue(user=user, ip="127.0.0.1", user_agent="tablet")
    _age(tablet, created=MAX - dt.timedelta(days=1), used=dt.timedelta(days=1))
    client = _client(phone_key)

    rows = {row["user_agent"]: row for row in client.get("/api/v1/me/sessions/").json()}
    assert set(rows) == {"phone", "tablet"}
    tablet.refresh_from_db()
    # The tablet's expiry is its maximum age (a day away), not its idle lifetime.
    assert dt.datetime.fromisoformat(rows["tablet"]["expires_at"]) == tablet.created_at + MAX
    assert rows["phone"]["current"] is True

    assert client.delete(f"/api/v1/me/sessions/api/{tablet.pk}/").status_code == 204
    assert not ApiToken.objects.filter(pk=tablet.pk).exists()
    assert [row["user_agent"] for row in client.get("/api/v1/me/sessions/").json()] == ["phone"]


def test_expired_tokens_are_not_listed(user):
    """issue 13 point 3: the list shows only sign-ins that still work."""
    _phone, phone_key = api_token_issue(user=user, ip="127.0.0.1", user_agent="phone")
    old, _old_key = api_token_issue(user=user, ip="127.0.0.1", user_agent="old")
    _age(old, used=IDLE + dt.timedelta(minutes=1))
    rows = _client(phone_key).get("/api/v1/me/sessions/").json()
    assert [row["user_agent"] for row in rows] == ["phone"]


def test_the_sessions_page_shows_the_expiry(user, client):
    """issue 13 point 3: the web sessions page says when each sign-in ends."""
    api_token_issue(user=user, ip="127.0.0.1", user_agent="phone")
    client.force_login(user)
    assert "پایان اعتبار" in client.get("/accounts/sessions/").content.decode()


def test_cleanup_deletes_only_expired_tokens(user):
    """issue 13 point 3: the daily job removes tokens never used again."""
    idle, _ = api_token_issue(user=user, ip=None, user_agent="idle")
    too_old, _ = api_token_issue(user=user, ip=None, user_agent="old")
    live, _ = api_token_issue(user=user, ip=None, user_agent="live")
    _age(idle, used=IDLE + dt.timedelta(minutes=1))
    _age(too_old, created=MAX + dt.timedelta(minutes=1), used=dt.timedelta(minutes=1))
    assert api_tokens_delete_expired() == 2
    assert list(ApiToken.objects.values_list("pk", flat=True)) == [live.pk]
