"""Registration and sign-in by SMS code (API.md "Code policy").

- 6 digits from `secrets`, valid OTP_TTL_SECONDS (2 min) from sending, single use;
- at most OTP_MAX_ATTEMPTS (5) wrong tries per code, then the code is dead; the owner asks
  for a fresh one (issue 13 point 3: a stranger's guesses used to lock the owner out for an
  hour, because the failures were summed per mobile whoever made them);
- wrong guesses are also counted per client address, over OTP_FAILURE_WINDOW_SECONDS (1 h):
  OTP_WRONG_CODES_PER_MOBILE_PER_ADDRESS (5) for one mobile and OTP_WRONG_CODES_PER_ADDRESS
  (30) for all mobiles. An attacker spends their own address's budget, not the owner's;
- a new code no sooner than OTP_RESEND_SECONDS (60 s); hourly caps on sending, kept as
  counters (nothing on the request path reads code history):
  - per mobile, OTP_HOURLY_CAP_PER_MOBILE (5) codes in a fixed one-hour window that opens
    with the first code after the previous window closed (columns of the MobileThrottle
    row, moved by the upsert that claims the 60-second slot);
  - per client address, OTP_HOURLY_CAP_PER_IP (30) codes per clock hour (a counter in the
    rate-limit cache; with Redis down sign-in fails closed, as the "auth" scope does);
  they bound the SMS bill and, with the per-code cap, the guesses a mobile can take from
  any number of addresses: 5 codes × 5 tries per window (fixed windows: at most twice
  that in a 60-minute span that straddles two windows);
- only a salted HMAC of the code is stored, compared in constant time;
- every valid number gets a real code, registered or not, so the answers and the delivery
  status are the same for both.
"""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import MobileThrottle, OneTimeCode
from core import secret_codes
from core.cache import CACHE_UNAVAILABLE_ERRORS
from core.exceptions import ApplicationError, RateLimitedError
from core.throttling import limiter_down, rate_limit_cache
from sms.exceptions import SmsPermanentError
from sms.services import get_backend

logger = logging.getLogger(__name__)

HOUR = timedelta(hours=1)


def _rate_limited(message, until, now):
    return RateLimitedError(message, retry_after=(until - now).total_seconds() + 1)


def _mobile_refusal(*, mobile, now):
    """Why the claim of `mobile`'s slot was refused, and until when. Read only on refusal."""
    cap = settings.OTP_HOURLY_CAP_PER_MOBILE
    row = (
        MobileThrottle.objects.filter(mobile=mobile)
        .values_list("last_code_at", "window_started_at", "codes_in_window")
        .first()
    )
    last_code_at, window_started_at, codes_in_window = row or (now, None, 0)
    if cap > 0 and codes_in_window >= cap and window_started_at is not None and window_started_at + HOUR > now:
        return _rate_limited(
            _("برای این شماره در یک ساعت گذشته کد زیادی درخواست شده است. بعداً دوباره تلاش کنید."),
            window_started_at + HOUR,
            now,
        )
    return _rate_limited(
        _("کد قبلی به‌تازگی فرستاده شده است؛ کمی صبر کنید و دوباره درخواست دهید."),
        last_code_at + timedelta(seconds=settings.OTP_RESEND_SECONDS),
        now,
    )


def _claim_code_slot(*, mobile, now):
    """Space codes for one mobile OTP_RESEND_SECONDS apart and count them against the
    hourly cap, race-free, in one statement.

    The cap's window is fixed: it opens with the first code after the previous window
    closed and lasts an hour; at most OTP_HOURLY_CAP_PER_MOBILE codes in it. The upsert
    inserts the mobile's row, or moves `last_code_at` and counts the code only if the
    cooldown has passed and the window has room (a closed window opens anew with this
    code). Of simultaneous requests exactly one gets a row back; the others get none and
    a 429. No row of code history is read.
    """
    table = connection.ops.quote_name(MobileThrottle._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value  # stored exactly as the ORM stores it
    window_cutoff = adapt(now - HOUR)
    window_open = f"{table}.window_started_at > %s"
    claimable = [f"{table}.last_code_at <= %s"]
    params = [
        mobile,
        adapt(now),
        adapt(now),
        window_cutoff,
        window_cutoff,
        adapt(now - timedelta(seconds=settings.OTP_RESEND_SECONDS)),
    ]
    cap = settings.OTP_HOURLY_CAP_PER_MOBILE
    if cap > 0:
        claimable.append(f"NOT ({window_open} AND {table}.codes_in_window >= %s)")
        params += [window_cutoff, cap]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (mobile, last_code_at, window_started_at, codes_in_window) "  # noqa: S608  # nosec B608  # names from _meta, values bound
            "VALUES (%s, %s, %s, 1) ON CONFLICT (mobile) DO UPDATE SET "
            "last_code_at = excluded.last_code_at, "
            f"codes_in_window = CASE WHEN {window_open} THEN {table}.codes_in_window + 1 ELSE 1 END, "
            f"window_started_at = CASE WHEN {window_open} THEN {table}.window_started_at "
            "ELSE excluded.window_started_at END "
            f"WHERE {' AND '.join(claimable)} RETURNING id",
            params,
        )
        claimed = cursor.fetchone() is not None
    if not claimed:
        raise _mobile_refusal(mobile=mobile, now=now)


def _address_code_counter(*, ip, now):
    """(cache key, seconds left) of the address's count of codes for the current clock hour."""
    hour = int(now.timestamp() // HOUR.total_seconds())
    key = f"otp-codes:{_keyed_digest('codes', '', ip)}:{hour}"
    return key, (hour + 1) * HOUR.total_seconds() - now.timestamp()


def _count_address_code(*, ip, now):
    """Count a code against its address, or refuse (429) past OTP_HOURLY_CAP_PER_IP.

    A counter per address and clock hour in the rate-limit cache: one atomic increment, so
    simultaneous requests at the cap's edge never pass it. With the cache down, sign-in
    fails closed like the "auth" scope (a Persian 503). Returns the key, for `_uncount`.
    """
    cap = settings.OTP_HOURLY_CAP_PER_IP
    if not ip or cap <= 0:
        return None
    key, seconds_left = _address_code_counter(ip=ip, now=now)
    counters = rate_limit_cache()
    try:
        try:
            count = counters.incr(key)
        except ValueError:  # the address's first code this hour
            counters.add(key, 0, timeout=int(seconds_left) + 60)
            count = counters.incr(key)
    except CACHE_UNAVAILABLE_ERRORS as exc:
        limiter_down("auth", exc)  # raises: the scope fails closed
    if count > cap:
        raise RateLimitedError(
            _("از این نشانی اینترنتی درخواست‌های زیادی رسیده است. بعداً دوباره تلاش کنید."),
            retry_after=seconds_left + 1,
        )
    return key


def _uncount(key):
    """Give back an address's count when the mobile's slot refused the code (best effort)."""
    if key is None:
        return
    try:
        rate_limit_cache().decr(key)
    except (ValueError, *CACHE_UNAVAILABLE_ERRORS):  # the hour ended, or the cache is down
        logger.info("An address's code count could not be given back")


def one_time_code_request(*, mobile: str, purpose: str, ip: str | None, payload: dict | None = None) -> OneTimeCode:
    """Claim the mobile's slot, write the code row, queue its delivery after commit.

    Nothing else runs on the request path (issue 16 point 2): the caps are counters, not
    reads of code history; older codes are expired by the delivery task (only the latest
    code of a mobile is ever checked). Raises RateLimitedError.
    """
    now = timezone.now()
    address_count = _count_address_code(ip=ip, now=now)
    try:
        with transaction.atomic():
            _claim_code_slot(mobile=mobile, now=now)
            # Every valid number gets a real code, registered or not: a new number signs up
            # after it (accounts.services.auth), and nothing here depends on whether the
            # number has an account, so neither the answer nor the delivery status can tell.
            code = OneTimeCode.objects.create(
                public_id=secrets.token_urlsafe(16),
                mobile=mobile,
                purpose=purpose,
                payload=payload or {},
                requester_ip=ip,
                created_at=now,
                delivery=OneTimeCode.Delivery.PENDING,
            )
            from accounts.tasks import deliver_one_time_code

            deliver_one_time_code.delay_on_commit(code.pk)
    except RateLimitedError:
        _uncount(address_count)
        raise
    return code


def one_time_code_not_queued(code_id: int) -> None:
    """The broker is down (the task base logged it): say so to the user (the verify page
    polls the status) and let them ask again at once."""
    one_time_code_mark_failed(code_id=code_id, reason=_("ارسال پیامک در حال حاضر ممکن نیست."))


def one_time_code_deliver(*, code_id: int) -> None:
    """Draw the code, store its hash, send it. Called by the task, once per try.

    Each try draws a fresh code: the plain code exists only here, in memory, and a try
    that failed has sent nothing the user could type.
    """
    code = OneTimeCode.objects.filter(pk=code_id).first()
    if code is None or code.consumed_at or code.delivery in (OneTimeCode.Delivery.SENT, OneTimeCode.Delivery.SKIPPED):
        return
    if timezone.now() - code.created_at > timedelta(seconds=settings.OTP_TTL_SECONDS):
        one_time_code_mark_failed(code_id=code.pk, reason=_("ارسال پیامک به‌موقع انجام نشد."))
        return
    plain = secret_codes.draw_code(settings.OTP_LENGTH)
    salt = secret_codes.new_salt()
    updated = OneTimeCode.objects.filter(pk=code.pk, consumed_at__isnull=True).update(
        salt=salt,
        code_hash=secret_codes.hash_code(plain, salt),
        expires_at=timezone.now() + timedelta(seconds=settings.OTP_TTL_SECONDS),
    )
    if not updated:
        return
    # Older codes of this mobile die with the new one. Verification only ever checks the
    # latest code, so this is bookkeeping, done here rather than on the request path.
    OneTimeCode.objects.filter(
        mobile=code.mobile, created_at__lt=code.created_at, consumed_at__isnull=True, expires_at__gt=timezone.now()
    ).update(expires_at=timezone.now())
    try:
        get_backend().send_code(to=code.mobile, code=plain)
    except SmsPermanentError as exc:
        logger.warning("One-time code refused by the SMS provider: %s", exc)
        one_time_code_mark_failed(code_id=code.pk, reason=_("ارسال پیامک ناموفق بود."))
        return
    OneTimeCode.objects.filter(pk=code.pk).update(delivery=OneTimeCode.Delivery.SENT, delivery_error="")


def one_time_code_mark_failed(*, code_id: int, reason: str) -> None:
    """Delivery failed for good: kill the code and free the 60-second slot for a retry."""
    now = timezone.now()
    code = OneTimeCode.objects.filter(pk=code_id).first()
    if code is None:
        return
    OneTimeCode.objects.filter(pk=code_id).update(
        delivery=OneTimeCode.Delivery.FAILED, delivery_error=reason[:200], expires_at=now, code_hash=""
    )
    MobileThrottle.objects.filter(mobile=code.mobile).update(
        last_code_at=now - timedelta(seconds=settings.OTP_RESEND_SECONDS)
    )


def _wrong_code_limits(*, mobile, ip):
    """The wrong-guess budgets an address draws on: (cache key, limit, Persian refusal)."""
    window_limits = [
        (
            _wrong_guess_key("mobile", mobile, ip),
            settings.OTP_WRONG_CODES_PER_MOBILE_PER_ADDRESS,
            _("از این نشانی اینترنتی برای این شماره کد نادرست زیادی وارد شده است. بعداً دوباره تلاش کنید."),
        ),
        (
            _wrong_guess_key("all", "", ip),
            settings.OTP_WRONG_CODES_PER_ADDRESS,
            _("از این نشانی اینترنتی کد نادرست زیادی وارد شده است. بعداً دوباره تلاش کنید."),
        ),
    ]
    return window_limits if ip else []


def _keyed_digest(kind, mobile, ip):
    # Neither the mobile nor the address is readable in the cache.
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}|{mobile}|{ip}".encode(), hashlib.sha256).hexdigest()
    return digest[:40]


def _wrong_guess_key(kind, mobile, ip):
    return f"otp-wrong:{_keyed_digest(kind, mobile, ip)}"


def _check_address_budget(*, mobile, ip, now):
    """Refuse (429) an address that spent its wrong-guess budget in the current window.

    The window is fixed: it starts at the address's first wrong guess and lasts
    OTP_FAILURE_WINDOW_SECONDS. Checked before the guess is weighed, so a refused
    address cannot touch the owner's code at all.
    """
    limits = _wrong_code_limits(mobile=mobile, ip=ip)
    if not limits:
        return
    stored = cache.get_many([key for key, _limit, _message in limits] + [f"{key}:since" for key, *_ in limits])
    for key, limit, message in limits:
        if stored.get(key, 0) >= limit:
            since = stored.get(f"{key}:since") or now.timestamp()
            window = settings.OTP_FAILURE_WINDOW_SECONDS
            raise RateLimitedError(message, retry_after=since + window - now.timestamp() + 1)


def _count_wrong_guess(*, mobile, ip, now):
    window = settings.OTP_FAILURE_WINDOW_SECONDS
    for key, _limit, _message in _wrong_code_limits(mobile=mobile, ip=ip):
        cache.add(f"{key}:since", now.timestamp(), timeout=window)
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # the window ended between add and incr
            cache.set(key, 1, timeout=window)


def _forget_wrong_guesses(*, mobile, ip):
    """The owner typed the right code: their own slips from this address are forgiven
    (not the address's total, which bounds guessing across many numbers)."""
    if ip:
        key = _wrong_guess_key("mobile", mobile, ip)
        cache.delete_many([key, f"{key}:since"])


def _wrong_code():
    return ApplicationError(_("کد واردشده درست نیست یا منقضی شده است."), code="invalid_code", field="code")


def _dead_code(*, mobile, now):
    """The latest code took its OTP_MAX_ATTEMPTS wrong tries: 429 until a fresh code may be asked for."""
    cooldown = timedelta(seconds=settings.OTP_RESEND_SECONDS)
    last_code_at = MobileThrottle.objects.filter(mobile=mobile).values_list("last_code_at", flat=True).first()
    return _rate_limited(
        _("این کد پس از چند تلاش نادرست باطل شد. کد تازه‌ای درخواست کنید."),
        max((last_code_at or now) + cooldown, now),
        now,
    )


def one_time_code_verify(*, mobile: str, code: str, ip: str | None = None) -> OneTimeCode:
    """Check `code` against the latest code of `mobile`; on success consume it and return it.

    `ip` is the client address the guess came from: its wrong guesses are counted against
    its own budget (none when unknown, e.g. a management command).
    """
    now = timezone.now()
    _check_address_budget(mobile=mobile, ip=ip, now=now)
    with transaction.atomic():
        # Lock the latest code first, then read its wrong tries: the cap is checked under the
        # same row lock that weighs the guess, so simultaneous tries are decided one after
        # the other and N wrong guesses at once weigh at most OTP_MAX_ATTEMPTS; two tries of
        # one code cannot both succeed (PostgreSQL re-reads a row it waited to lock, so
        # `attempts` below includes every guess weighed before this one).
        latest = OneTimeCode.objects.select_for_update().filter(mobile=mobile).order_by("-created_at", "-id").first()
        if latest is not None and latest.consumed_at is None and latest.attempts >= settings.OTP_MAX_ATTEMPTS:
            raise _dead_code(mobile=mobile, now=now)
        usable = (
            latest is not None
            and latest.code_hash
            and latest.consumed_at is None
            and latest.expires_at is not None
            and latest.expires_at > now
        )
        matches = bool(usable) and secret_codes.code_matches(latest.code_hash, code, latest.salt)
        if matches:
            latest.consumed_at = now
            latest.save(update_fields=["consumed_at"])
            _forget_wrong_guesses(mobile=mobile, ip=ip)
            return latest
        if latest is not None:
            OneTimeCode.objects.filter(pk=latest.pk).update(attempts=F("attempts") + 1)
    _count_wrong_guess(mobile=mobile, ip=ip, now=now)
    raise _wrong_code()
