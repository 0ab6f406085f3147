"""Redis stopped under the running app (issue 13 point 5).

A real `redis-server` of this test's own (never the shared one) backs both caches; the
test signs in, prices and posts a request while it runs, kills it and does it all again,
then starts it again. The rule (core/throttling.py WHEN_LIMITER_DOWN, core/cache.py):
sign-in fails closed (Persian 503 with Retry-After), quotes and requests fail open, and
the memo cache is computed around; nothing answers 500.
"""

import shutil
import socket
import subprocess
import time

import pytest
import redis
from django.test import Client, override_settings
from rest_framework.test import APIClient

from bimemall.settings.base import redis_caches
from core.text import to_persian_digits
from insurance_requests.models import InsuranceRequest
from tests.factories import StaffFactory, UserFactory
from tests.insurance_requests.conftest import client_for
from tests.insurance_requests.factories import THIRD_PARTY, active_agent, request_payload
from tests.plugins.services import _missing

pytestmark = pytest.mark.django_db

UNAVAILABLE = "این بخش موقتاً در دسترس نیست"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A throwaway redis-server on its own port, without persistence."""

    def __init__(self, binary: str):
        self.binary = binary
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(  # noqa: S603  # nosec B603  # our own binary and arguments
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                if redis.Redis.from_url(self.url, socket_connect_timeout=0.2).ping():
                    return
            except redis.exceptions.ConnectionError:
                time.sleep(0.05)
        self.stop()
        pytest.fail(f"redis-server did not start on port {self.port}")

    def stop(self):
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def redis_server():
    """Our own redis-server (skip without the binary; fail under REQUIRE_SERVICES=1)."""
    binary = shutil.which("redis-server")
    if binary is None:
        _missing("needs redis-server on PATH (apt-get install redis-server)")
    server = RedisServer(binary)
    server.start()
    try:
        with override_settings(CACHES=redis_caches(server.url), REDIS_URL=server.url):
            yield server
    finally:
        server.stop()


@pytest.fixture
def app(db, django_capture_on_commit_callbacks):
    """What a visitor, a customer and staff do, each as one call returning the response."""
    active_agent()  # someone receives the request
    customer = UserFactory()
    staff = StaffFactory()
    mobiles = iter(f"0912777{n:04d}" for n in range(100))

    def sign_in_api():
        return APIClient().post("/api/v1/auth/otp/", {"mobile": next(mobiles)}, format="json")

    def sign_in_web():
        return Client().post("/accounts/login/", {"mobile": next(mobiles)})

    def admin_sign_in():
        return Client().post("/admin/login/", {"username": staff.mobile, "password": "staff-pass-123"})

    def quote_api():
        return APIClient().post(
            "/api/v1/pricing/quotes/", {"line": "third_party", "params": THIRD_PARTY}, format="json"
        )

    def quote_page():
        return Client().get("/pricing/third_party/", {"submitted": "1", **THIRD_PARTY})

    def post_request():
        with django_capture_on_commit_callbacks(execute=True):
            return client_for(customer).post("/api/v1/requests/", request_payload(), format="json")

    return {
        "sign_in_api": sign_in_api,
        "sign_in_web": sign_in_web,
        "admin_sign_in": admin_sign_in,
        "quote_api": quote_api,
        "quote_page": quote_page,
        "post_request": post_request,
    }


def _assert_normal(app):
    assert app["sign_in_api"]().status_code == 202
    assert app["sign_in_web"]().status_code == 302
    assert app["admin_sign_in"]().status_code == 302
    assert app["quote_api"]().status_code == 200
    assert app["quote_page"]().status_code == 200
    assert app["post_request"]().status_code == 201


def test_redis_stopped_under_the_running_app(redis_server, app):
    """issue 13 point 5: sign-in closed (Persian 503 + Retry-After), quotes and requests open, no 500."""
    # given Redis answers: everything works, and the counters and memos are in it
    _assert_normal(app)
    assert redis.Redis.from_url(redis_server.url).keys("bimemall:*throttle_auth_*")
    assert redis.Redis.from_url(redis_server.url).keys("bimemall:*pricing:*")
    requests_before = InsuranceRequest.objects.count()

    # when Redis dies under the app
    redis_server.stop()

    # then sign-in fails closed: the API in Persian JSON, the form as a Persian page
    api = app["sign_in_api"]()
    assert api.status_code == 503
    retry_after = int(api["Retry-After"])
    assert retry_after > 0
    assert api.json()["detail"] == f"{UNAVAILABLE}؛ {to_persian_digits(retry_after)} ثانیه دیگر دوباره تلاش کنید."
    for web in (app["sign_in_web"](), app["admin_sign_in"]()):
        assert web.status_code == 503
        assert int(web["Retry-After"]) == retry_after
        assert f"{UNAVAILABLE}؛ {to_persian_digits(retry_after)} ثانیه" in web.content.decode()
    # quotes and requests fail open; the tariff memo is computed from the database
    assert app["quote_api"]().status_code == 200
    assert app["quote_page"]().status_code == 200
    assert app["post_request"]().status_code == 201
    assert InsuranceRequest.objects.count() == requests_before + 1
    # and readiness says why
    ready = Client().get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["checks"]["redis"] is False

    # when Redis comes back (same port), sign-in works again
    redis_server.start()
    _assert_normal(app)
    assert Client().get("/readyz").status_code == 200
