"""Issue 16 point 2: a sign-in code request claims the mobile's 60-second slot, writes the
code row and queues its delivery, nothing else. The hourly caps are counters (per mobile:
columns of the MobileThrottle row moved by the claiming upsert; per address: a counter per
clock hour in the rate-limit cache), never reads of code history."""

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from redis.exceptions import ConnectionError as RedisConnectionError

import accounts.services.otp
from accounts.models import MobileThrottle, OneTimeCode
from accounts.services import user_sign_in_request
from core.exceptions import RateLimitedError
from tests.concurrency import run_at_once

MOBILE = "09121234567"
ADDRESS = "10.1.2.3"
HOUR = timedelta(hours=1)
TRANSACTION_BOOKKEEPING = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK", "BEGIN", "COMMIT")


def _statements(queries):
    return [q["sql"] for q in queries.captured_queries if not q["sql"].upper().startswith(TRANSACTION_BOOKKEEPING)]


def _post(api_client, mobile=MOBILE, address=ADDRESS):
    return api_client.post("/api/v1/auth/otp/", {"mobile": mobile}, format="json", REMOTE_ADDR=address)


def _history(mobile=MOBILE, address=ADDRESS, *, codes, minutes_ago=10):
    """Codes already sent from `address` to `mobile`, as rows (what the old caps read)."""
    created_at = timezone.now() - timedelta(minutes=minutes_ago)
    OneTimeCode.objects.bulk_create(
        OneTimeCode(
            public_id=f"history-{mobile}-{n}",
            mobile=mobile,
            purpose=OneTimeCode.Purpose.LOGIN,
            requester_ip=address,
            created_at=created_at + timedelta(seconds=n),
            expires_at=created_at + timedelta(seconds=n + 120),
        )
        for n in range(codes)
    )


def _window(mobile=MOBILE, *, codes, started_minutes_ago, last_code_minutes_ago=2):
    """The mobile's throttle row: `codes` codes in a window opened `started_minutes_ago`."""
    now = timezone.now()
    MobileThrottle.objects.update_or_create(
        mobile=mobile,
        defaults={
            "last_code_at": now - timedelta(minutes=last_code_minutes_ago),
            "window_started_at": now - timedelta(minutes=started_minutes_ago),
            "codes_in_window": codes,
        },
    )


@pytest.mark.django_db
def test_a_code_request_is_one_upsert_and_one_insert_then_the_publish_after_commit(
    api_client, django_capture_on_commit_callbacks
):
    """The request path, statement by statement: the upsert that claims the slot and counts
    the code against the mobile's hour, the insert of the code row; inside one transaction
    (a savepoint pair in a test); the delivery task is queued on commit."""
    _window(codes=1, started_minutes_ago=30)
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks() as queued:
        answer = _post(api_client)
    assert answer.status_code == 202
    statements = _statements(queries)
    assert len(queries.captured_queries) == 4, [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 2, statements
    claim, insert = statements
    assert claim.startswith('INSERT INTO "accounts_mobilethrottle"') and "ON CONFLICT" in claim
    assert insert.startswith('INSERT INTO "accounts_onetimecode"')
    assert len(queued) == 1  # deliver_one_time_code, published after commit
    row = MobileThrottle.objects.get(mobile=MOBILE)
    assert row.codes_in_window == 2


@pytest.mark.django_db
def test_no_code_history_is_read_or_rewritten_on_the_request_path(api_client, django_capture_on_commit_callbacks):
    """The caps used to read the last hour's codes of the mobile and of the address, and the
    request expired the older codes: none of it remains on the request path, granted or refused."""
    _history(codes=2, minutes_ago=30)
    _window(codes=2, started_minutes_ago=30)
    with CaptureQueriesContext(connection) as granted, django_capture_on_commit_callbacks():
        assert _post(api_client).status_code == 202
    with CaptureQueriesContext(connection) as refused, django_capture_on_commit_callbacks():
        assert _post(api_client).status_code == 429  # the 60-second slot
    for sql in _statements(granted) + _statements(refused):
        touches_codes = '"accounts_onetimecode"' in sql
        assert not (touches_codes and sql.startswith(("SELECT", "UPDATE", "DELETE"))), sql
    # The refusal reads the mobile's own throttle row, for its Retry-After; nothing more.
    assert len(_statements(refused)) == 2
    assert 'FROM "accounts_mobilethrottle"' in _statements(refused)[1]


@pytest.mark.django_db
def test_the_mobile_cap_refuses_at_the_cap_until_its_window_closes(api_client, settings):
    settings.OTP_HOURLY_CAP_PER_MOBILE = 5
    _window(codes=5, started_minutes_ago=20)
    capped = _post(api_client)
    assert capped.status_code == 429
    assert "برای این شماره در یک ساعت گذشته کد زیادی درخواست شده است" in capped.json()["detail"]
    # The window opened 20 minutes ago and lasts an hour: 40 minutes (+1 s) to wait.
    assert abs(int(capped["Retry-After"]) - (40 * 60 + 1)) <= 2
    assert not OneTimeCode.objects.filter(mobile=MOBILE).exists()
    assert MobileThrottle.objects.get(mobile=MOBILE).codes_in_window == 5


@pytest.mark.django_db
def test_below_the_cap_the_60_second_slot_still_decides(api_client, settings):
    settings.OTP_HOURLY_CAP_PER_MOBILE = 5
    _window(codes=4, started_minutes_ago=20, last_code_minutes_ago=0)
    refused = _post(api_client)
    assert refused.status_code == 429
    assert "کد قبلی به‌تازگی فرستاده شده است" in refused.json()["detail"]
    assert 1 <= int(refused["Retry-After"]) <= 61
    assert MobileThrottle.objects.get(mobile=MOBILE).codes_in_window == 4


@pytest.mark.django_db
def test_the_mobile_window_rolls_over_an_hour_after_it_opened(api_client, settings, django_capture_on_commit_callbacks):
    settings.OTP_HOURLY_CAP_PER_MOBILE = 5
    _window(codes=5, started_minutes_ago=61)
    with django_capture_on_commit_callbacks():
        assert _post(api_client).status_code == 202
    row = MobileThrottle.objects.get(mobile=MOBILE)
    assert row.codes_in_window == 1
    assert abs((row.window_started_at - timezone.now()).total_seconds()) < 5
    assert row.last_code_at == row.window_started_at


@pytest.mark.django_db
def test_a_mobile_without_a_window_yet_opens_one(api_client, django_capture_on_commit_callbacks):
    """Rows from before the counters (window_started_at empty) count from their next code."""
    MobileThrottle.objects.create(mobile=MOBILE, last_code_at=timezone.now() - timedelta(minutes=5))
    with django_capture_on_commit_callbacks():
        assert _post(api_client).status_code == 202
    assert MobileThrottle.objects.get(mobile=MOBILE).codes_in_window == 1


def _at(moment, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: moment)


@pytest.mark.django_db
def test_the_address_cap_refuses_until_the_clock_hour_ends_then_rolls_over(
    api_client, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.OTP_HOURLY_CAP_PER_IP = 2
    ten_past = datetime(2026, 12, 2, 9, 10, tzinfo=UTC)
    _at(ten_past, monkeypatch)
    with django_capture_on_commit_callbacks():
        for n in range(2):
            assert _post(api_client, mobile=f"0912000000{n}").status_code == 202
    capped = _post(api_client, mobile="09120000009")
    assert capped.status_code == 429
    assert "از این نشانی اینترنتی درخواست‌های زیادی رسیده است" in capped.json()["detail"]
    assert int(capped["Retry-After"]) == 50 * 60 + 1  # the rest of the clock hour
    assert _post(api_client, mobile="09120000009", address="10.9.9.9").status_code == 202  # another address

    _at(ten_past + timedelta(minutes=50), monkeypatch)  # 10:00, a new hour
    with django_capture_on_commit_callbacks():
        assert _post(api_client, mobile="09120000009").status_code == 202


@pytest.mark.django_db
def test_a_request_the_mobile_refuses_does_not_spend_the_addresss_budget(
    api_client, settings, django_capture_on_commit_callbacks
):
    settings.OTP_HOURLY_CAP_PER_IP = 2
    with django_capture_on_commit_callbacks():
        assert _post(api_client, mobile="09120000001").status_code == 202
        for _ in range(3):
            assert _post(api_client, mobile="09120000001").status_code == 429  # the 60-second slot
        assert _post(api_client, mobile="09120000002").status_code == 202
    assert _post(api_client, mobile="09120000003").status_code == 429


@pytest.mark.django_db
def test_the_address_cap_fails_closed_when_its_counter_cannot_be_read(api_client, monkeypatch):
    """Like the "auth" scope: with Redis down, a Persian 503 with Retry-After, and no code."""

    class DeadCounters:
        def incr(self, *args, **kwargs):
            raise RedisConnectionError("Connection refused.")

    monkeypatch.setattr(accounts.services.otp, "rate_limit_cache", DeadCounters)
    answer = _post(api_client)
    assert answer.status_code == 503
    assert int(answer["Retry-After"]) > 0
    assert not OneTimeCode.objects.exists()
    assert not MobileThrottle.objects.exists()


@pytest.mark.django_db
def test_a_fresh_code_kills_the_older_one_when_it_is_delivered(request_code, sms_outbox):
    """Moved off the request path: the delivery task expires the mobile's older codes."""
    request_code(MOBILE)
    older = OneTimeCode.objects.get(mobile=MOBILE)
    assert older.expires_at > timezone.now()
    MobileThrottle.objects.filter(mobile=MOBILE).update(last_code_at=timezone.now() - timedelta(seconds=61))
    request_code(MOBILE)
    older.refresh_from_db()
    assert older.expires_at <= timezone.now()
    assert OneTimeCode.objects.filter(mobile=MOBILE).latest("created_at").expires_at > timezone.now()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_at_the_cap_edge_never_pass_the_cap(settings):
    """Ten requests at once for a mobile with room for two codes: exactly two codes.

    The 60-second slot is switched off here (a cut-off in the future), so only the cap
    decides; it is checked in the upsert's WHERE, which PostgreSQL evaluates on the row it
    locked. (With the caps read from code history, all ten saw room and passed.)"""
    cap = django_settings.OTP_HOURLY_CAP_PER_MOBILE
    settings.OTP_RESEND_SECONDS = -60
    settings.OTP_HOURLY_CAP_PER_IP = 0
    _history(codes=cap - 2, minutes_ago=30)
    _window(codes=cap - 2, started_minutes_ago=30)
    results = run_at_once([lambda: user_sign_in_request(mobile=MOBILE, ip=ADDRESS)] * 10)

    granted = [r for r in results if isinstance(r, OneTimeCode)]
    assert len(granted) == 2, results
    assert all(isinstance(r, RateLimitedError) for r in results if not isinstance(r, OneTimeCode))
    assert OneTimeCode.objects.filter(mobile=MOBILE).count() == cap
    assert MobileThrottle.objects.get(mobile=MOBILE).codes_in_window == cap


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_from_one_address_never_pass_its_cap(settings):
    """Ten requests at once from one address with room for three codes: exactly three.
    One atomic increment per request (the rate-limit cache's own lock in a test, Redis's
    INCR in production)."""
    settings.OTP_HOURLY_CAP_PER_IP = 3
    results = run_at_once([lambda n=n: user_sign_in_request(mobile=f"0912000{n:04d}", ip=ADDRESS) for n in range(10)])
    assert sum(isinstance(r, OneTimeCode) for r in results) == 3, results
    assert OneTimeCode.objects.filter(requester_ip=ADDRESS).count() == 3


@pytest.mark.django_db
def test_the_migration_counts_the_last_hours_codes_so_the_deploy_opens_no_gap():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("accounts.migrations.0003_mobile_throttle_hourly_window")
    MobileThrottle.objects.create(mobile=MOBILE, last_code_at=timezone.now() - timedelta(minutes=5))
    _history(codes=3, minutes_ago=20)
    OneTimeCode.objects.create(
        public_id="two-hours-ago", mobile=MOBILE, purpose="login", created_at=timezone.now() - 2 * HOUR
    )

    migration.count_the_last_hours_codes(apps, None)

    row = MobileThrottle.objects.get(mobile=MOBILE)
    assert row.codes_in_window == 3
    assert (
        row.window_started_at
        == OneTimeCode.objects.filter(public_id__startswith="history-").earliest("created_at").created_at
    )
