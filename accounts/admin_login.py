"""The staff sign-in at /admin/login/, limited by failures (issue 13 point 3).

Two limits, both over fixed 15-minute windows (settings ADMIN_LOGIN_*):

- per client address: 10 failed sign-ins, whatever the accounts tried; the 11th attempt
  from that address is a Persian 429 with Retry-After until the window ends;
- per account and address: 5 failed sign-ins for one account from one address.

There is no lock-out per account across addresses on purpose: anyone could then keep a
staff member out by typing wrong passwords from elsewhere. An attacker with many
addresses gets 10 guesses per address per window, which Django's password validators
make useless. Only failures count, so the owner typing the right password is never
charged. The limiter fails closed: with its counters unreadable (Redis down) the sign-in
answers a Persian 503 with Retry-After (core.throttling, scope `admin_login`).
"""

import hashlib
import time

from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.views.decorators.cache import never_cache

from accounts.validation import normalize_mobile
from core.cache import CACHE_UNAVAILABLE_ERRORS
from core.http import client_ip
from core.throttling import (
    FailureLimit,
    RateLimiterUnavailable,
    limiter_down,
    limiter_unavailable_response,
    rate_limited_response,
)

SCOPE = "admin_login"


def _per_address() -> FailureLimit:
    return FailureLimit(
        f"{SCOPE}:address",
        limit=settings.ADMIN_LOGIN_FAILURES_PER_ADDRESS,
        window_seconds=settings.ADMIN_LOGIN_WINDOW_SECONDS,
    )


def _per_account() -> FailureLimit:
    return FailureLimit(
        f"{SCOPE}:account",
        limit=settings.ADMIN_LOGIN_FAILURES_PER_ACCOUNT,
        window_seconds=settings.ADMIN_LOGIN_WINDOW_SECONDS,
    )


def _account_ident(username: str, address: str) -> str:
    """The account (as the mobile it names, whatever its spelling) and the address, hashed:
    no mobile number is written into a Redis key."""
    try:
        account = normalize_mobile(username)
    except ValidationError:
        account = username.strip().lower()
    return hashlib.sha256(f"{account}\0{address}".encode()).hexdigest()[:32]


def _now() -> float:
    return time.time()


@never_cache
def admin_login(request, extra_context=None):
    """The admin's own login view behind the failure limits; GET is never limited."""
    if request.method != "POST":
        return admin.site.login(request, extra_context)
    now = _now()
    address = client_ip(request)
    account = _account_ident(request.POST.get("username", ""), address)
    try:
        try:
            waits = [_per_address().retry_after(address, now=now), _per_account().retry_after(account, now=now)]
        except CACHE_UNAVAILABLE_ERRORS as exc:
            limiter_down(SCOPE, exc)
            waits = []
        waits = [wait for wait in waits if wait]
        if waits:
            return rate_limited_response(request, max(waits))
        response = admin.site.login(request, extra_context)
        # A sign-in redirects; the form shown again (200) is a failure, whatever its reason.
        if response.status_code == 200:
            try:
                _per_address().record_failure(address, now=now)
                _per_account().record_failure(account, now=now)
            except CACHE_UNAVAILABLE_ERRORS as exc:
                limiter_down(SCOPE, exc)
        return response
    except RateLimiterUnavailable as exc:
        return limiter_unavailable_response(request, exc.wait)
