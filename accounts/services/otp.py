"""Registration and sign-in by SMS code (API.md "Code policy").

- 6 digits from `secrets`, valid OTP_TTL_SECONDS (2 min) from sending, single use;
- at most OTP_MAX_ATTEMPTS (5) wrong tries per code, then the code is dead; the owner asks
  for a fresh one (issue 13 point 3: a stranger's guesses used to lock the owner out for an
  hour, because the failures were summed per mobile whoever made them);
- wrong guesses are also counted per client address, over OTP_FAILURE_WINDOW_SECONDS (1 h):
  OTP_WRONG_CODES_PER_MOBILE_PER_ADDRESS (5) for one mobile and OTP_WRONG_CODES_PER_ADDRESS
  (30) for all mobiles. An attacker spends their own address's budget, not the owner's;
- a new code no sooner than OTP_RESEND_SECONDS (60 s), hourly caps per mobile and per IP
  on sending (they bound the SMS bill and, with the per-code cap, the guesses a mobile can
  take in an hour from any number of addresses: 5 codes × 5 tries);
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
from core.exceptions import ApplicationError, RateLimitedError
from sms.exceptions import SmsPermanentError
from sms.services import get_backend

logger = logging.getLogger(__name__)

HOUR = timedelta(hours=1)


def _rate_limited(message, until, now):
    return RateLimitedError(message, retry_after=(until - now).total_seconds() + 1)


def _cap_reached_at(codes, cap):
    """When the oldest of the last `cap` codes was made, if there are `cap` of them; else None.

    Reads at most `cap` rows from the (mobile|ip, created_at) index instead of counting the
    whole hour: under load from one address the hour holds thousands of codes.
    """
    if cap <= 0:
        return None
    edge = codes.order_by("-created_at").values_list("created_at", flat=True)[cap - 1 : cap]
    return next(iter(edge), None)


def _check_hourly_caps(*, mobile, ip, now):
    since = now - HOUR
    oldest = _cap_reached_at(
        OneTimeCode.objects.filter(mobile=mobile, created_at__gte=since), settings.OTP_HOURLY_CAP_PER_MOBILE
    )
    if oldest is not None:
        raise _rate_limited(
            _("برای این شماره در یک ساعت گذشته کد زیادی درخواست شده است. بعداً دوباره تلاش کنید."),
            oldest + HOUR,
            now,
        )
    if ip:
        oldest = _cap_reached_at(
            OneTimeCode.objects.filter(requester_ip=ip, created_at__gte=since), settings.OTP_HOURLY_CAP_PER_IP
        )
        if oldest is not None:
            raise _rate_limited(
                _("از این نشانی اینترنتی درخواست‌های زیادی رسیده است. بعداً دوباره تلاش کنید."),
                oldest + HOUR,
                now,
            )


def _claim_resend_slot(*, mobile, now):
    """Space codes for one mobile OTP_RESEND_SECONDS apart, race-free, in one statement.

    An upsert claims the slot: it inserts the mobile's row, or moves `last_code_at` only
    if the cooldown has passed. Of two simultaneous requests exactly one gets a row back;
    the other gets none and a 429. (It replaced get_or_create plus a conditional UPDATE:
    three round trips fewer on the busiest anonymous endpoint, docs/BENCHMARKS.md.)
    """
    cooldown = timedelta(seconds=settings.OTP_RESEND_SECONDS)
    table = connection.ops.quote_name(MobileThrottle._meta.db_table)
    adapt = connection.ops.adapt_datetimefield_value  # stored exactly as the ORM stores it
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (mobile, last_code_at) VALUES (%s, %s) "  # noqa: S608  # nosec B608  # name from _meta, values bound
            "ON CONFLICT (mobile) DO UPDATE SET last_code_at = excluded.last_code_at "
            f"WHERE {table}.last_code_at <= %s RETURNING id",
            [mobile, adapt(now), adapt(now - cooldown)],
        )
        claimed = cursor.fetchone() is not None
    if not claimed:
        last_code_at = MobileThrottle.objects.filter(mobile=mobile).values_list("last_code_at", flat=True).first()
        raise _rate_limited(
            _("کد قبلی به‌تازگی فرستاده شده است؛ کمی صبر کنید و دوباره درخواست دهید."),
            (last_code_at or now) + cooldown,
            now,
        )


def one_time_code_request(*, mobile: str, purpose: str, ip: str | None, payload: dict | None = None) -> OneTimeCode:
    """Record a code request and queue its delivery after commit. Raises RateLimitedError."""
    now = timezone.now()
    with transaction.atomic():
        _check_hourly_caps(mobile=mobile, ip=ip, now=now)
        _claim_resend_slot(mobile=mobile, now=now)
        # Every valid number gets a real code, registered or not: a new number signs up
        # after it (accounts.services.auth), and nothing here depends on whether the number
        # has an account, so neither the answer nor the delivery status can tell.
        code = OneTimeCode.objects.create(
            public_id=secrets.token_urlsafe(16),
            mobile=mobile,
            purpose=purpose,
            payload=payload or {},
            requester_ip=ip,
            created_at=now,
            delivery=OneTimeCode.Delivery.PENDING,
        )
        # Older codes of this mobile die with the new one: only the latest is ever checked.
        OneTimeCode.objects.filter(mobile=mobile, consumed_at__isnull=True, expires_at__isnull=False).exclude(
            pk=code.pk
        ).update(expires_at=now)
        from accounts.tasks import deliver_one_time_code

        deliver_one_time_code.delay_on_commit(code.pk)
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
            _address_key("mobile", mobile, ip),
            settings.OTP_WRONG_CODES_PER_MOBILE_PER_ADDRESS,
            _("از این نشانی اینترنتی برای این شماره کد نادرست زیادی وارد شده است. بعداً دوباره تلاش کنید."),
        ),
        (
            _address_key("all", "", ip),
            settings.OTP_WRONG_CODES_PER_ADDRESS,
            _("از این نشانی اینترنتی کد نادرست زیادی وارد شده است. بعداً دوباره تلاش کنید."),
        ),
    ]
    return window_limits if ip else []


def _address_key(kind, mobile, ip):
    # A keyed digest: neither the mobile nor the address is readable in the cache.
    digest = hmac.new(settings.SECRET_KEY.encode(), f"{kind}|{mobile}|{ip}".encode(), hashlib.sha256).hexdigest()
    return f"otp-wrong:{digest[:40]}"


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
        key = _address_key("mobile", mobile, ip)
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
