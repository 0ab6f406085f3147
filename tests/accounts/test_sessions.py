import pytest
from django.contrib.sessions.models import Session

from accounts.models import ApiToken, UserSession
from tests.accounts.conftest import REGISTRATION

pytestmark = pytest.mark.django_db
MOBILE = "09121234567"


def _api_sign_in(client, sms_outbox, capture, user_agent="app"):
    from accounts.models import MobileThrottle

    MobileThrottle.objects.all().delete()
    with capture(execute=True):
        client.post("/api/v1/auth/otp/", {"mobile": MOBILE}, format="json")
    response = client.post(
        "/api/v1/auth/verify/",
        {"mobile": MOBILE, "code": sms_outbox[-1].code},
        format="json",
        HTTP_USER_AGENT=user_agent,
    )
    return response.json()["token"]


def _browser_sign_in(client, sms_outbox, capture):
    from accounts.models import MobileThrottle

    MobileThrottle.objects.all().delete()
    with capture(execute=True):
        client.post("/accounts/login/", {"mobile": MOBILE})
    return client.post("/accounts/verify/", {"code": sms_outbox[-1].code})


@pytest.fixture
def registered(api_client, sms_outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        api_client.post("/api/v1/auth/register/", {"mobile": MOBILE, **REGISTRATION}, format="json")
    api_client.post("/api/v1/auth/verify/", {"mobile": MOBILE, "code": sms_outbox[-1].code}, format="json")


def test_token_authenticates_the_api(registered, api_client, sms_outbox, django_capture_on_commit_callbacks):
    token = _api_sign_in(api_client, sms_outbox, django_capture_on_commit_callbacks)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/me/").json()["mobile"] == MOBILE


def test_tokens_are_stored_hashed(registered, api_client, sms_outbox, django_capture_on_commit_callbacks):
    token = _api_sign_in(api_client, sms_outbox, django_capture_on_commit_callbacks)
    assert not ApiToken.objects.filter(key_hash=token).exists()
    assert all(token not in row.key_hash for row in ApiToken.objects.all())


@pytest.mark.rule("R-015")
def test_sessions_list_shows_browser_and_api_sign_ins(
    registered, api_client, client, sms_outbox, django_capture_on_commit_callbacks
):
    _browser_sign_in(client, sms_outbox, django_capture_on_commit_callbacks)
    token = _api_sign_in(api_client, sms_outbox, django_capture_on_commit_callbacks, user_agent="BimehApp/1.0")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    rows = api_client.get("/api/v1/me/sessions/").json()
    assert {row["kind"] for row in rows} == {"web", "api"}
    assert [row["current"] for row in rows if row["user_agent"] == "BimehApp/1.0"] == [True]
    assert client.get("/accounts/sessions/").status_code == 200


@pytest.mark.rule("R-015")
def test_sign_out_everywhere_ends_every_session_and_token(
    registered, api_client, client, sms_outbox, django_capture_on_commit_callbacks
):
    _browser_sign_in(client, sms_outbox, django_capture_on_commit_callbacks)
    token = _api_sign_in(api_client, sms_outbox, django_capture_on_commit_callbacks)
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.post("/api/v1/me/sessions/sign-out-everywhere/").status_code == 200
    assert api_client.get("/api/v1/me/").status_code == 401
    assert client.get("/accounts/").status_code == 302  # the browser is signed out too
    assert not UserSession.objects.exists() and not ApiToken.objects.exists()
    assert not Session.objects.exists()


def test_ending_another_users_session_is_a_404(registered, client, sms_outbox, django_capture_on_commit_callbacks):
    from tests.factories import UserFactory

    _browser_sign_in(client, sms_outbox, django_capture_on_commit_callbacks)
    row = UserSession.objects.get()
    from rest_framework.test import APIClient

    stranger = APIClient()
    stranger.force_authenticate(UserFactory())
    assert stranger.delete(f"/api/v1/me/sessions/web/{row.pk}/").status_code == 404
    assert UserSession.objects.filter(pk=row.pk).exists()


def test_browser_sign_out(registered, client, sms_outbox, django_capture_on_commit_callbacks):
    _browser_sign_in(client, sms_outbox, django_capture_on_commit_callbacks)
    assert client.get("/accounts/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/accounts/").status_code == 302
