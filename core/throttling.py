"""Rate limits keyed by the client address we trust (core.http.client_ip).

DRF's own `get_ident` reads X-Forwarded-For with NUM_PROXIES (set from
TRUSTED_PROXY_COUNT), but with fewer entries than proxies it falls back to the leftmost
one, which the client wrote. These throttles use the one derivation the audit log uses.

The browser forms do the same work as the API (they call the same services), so
`web_rate_limit` puts them under the same scopes: the same rate table, the same cache
key and therefore the same counter. Posting a request through the API and through the
form draws on one budget.

A browser form refused by its limit is not thrown away (issue 14 point 10): the page the
form lives on is rendered again (the view run as a GET: it writes nothing) with every field
refilled from what was posted and a Persian alert with the wait, still a 429 with
Retry-After. Views need nothing of their own for it: `refill_refused_forms` (installed by
core.apps) makes the unbound forms of that page show the refused values. A view with no
page of its own (a bare button that only POSTs) gets the rate-limited page, whose link goes
back to the page the button was on.

When the counters cannot be read (Redis down), each scope follows one documented rule,
`WHEN_LIMITER_DOWN` below (issue 13 point 5): a scope that guards a secret or money
fails closed (a Persian 503 with Retry-After), the rest fail open (allowed, a warning
logged at most once a minute per scope). A scope missing from the table fails closed.

Counting (issue 16 point 2): DRF's own throttle keeps a list of every request's time in the
window and rewrites it on every request, which grows with the rate (under `make load`, tens
of thousands of floats per request). Ours keeps one number per key instead, the GCRA
("generic cell rate algorithm", a token bucket kept as a time): `spend_one`. A scope of
R requests per P seconds lets R through at once, then one more every P/R seconds as the
budget refills. In any span of d seconds at most R + ⌊d·R/P⌋ requests get through: R at
an instant, 2R − 1 in any P seconds (DRF's list allowed R), and never more than R per P
over time. There is no window edge at which a second budget opens at once.
"""

import copy
import enum
import logging
import math
import threading
from contextvars import ContextVar
from dataclasses import dataclass
from functools import wraps
from types import SimpleNamespace
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.http import QueryDict
from django.shortcuts import render
from django.urls import resolve
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.throttling import ScopedRateThrottle

from core.cache import CACHE_UNAVAILABLE_ERRORS, warn_throttled
from core.http import client_ip
from core.text import to_persian_digits

logger = logging.getLogger(__name__)

# Where the counters live: Redis's `rate_limits` cache (raises when Redis is down), or the
# `default` cache where there is no Redis (development, tests).
RATE_LIMIT_CACHE = "rate_limits"


def rate_limit_cache():
    return caches[RATE_LIMIT_CACHE if RATE_LIMIT_CACHE in settings.CACHES else "default"]


class WhenDown(enum.Enum):
    OPEN = "open"  # allowed without counting; a warning in the log
    CLOSED = "closed"  # refused: 503 and Retry-After


WHEN_LIMITER_DOWN: dict[str, WhenDown] = {
    # Sign-in: codes, their status poll and staff passwords. Unlimited guessing while
    # Redis is down would undo the code policy; sign-in waits for Redis instead.
    "auth": WhenDown.CLOSED,
    "auth_status": WhenDown.CLOSED,
    "admin_login": WhenDown.CLOSED,
    # Every purchase calls the payment gateway.
    "payments": WhenDown.CLOSED,
    # The bank's return to the portal, unauthenticated: while it waits, the invoice stays
    # pending and the reconcile task or "check again" settles it.
    "payment_callback": WhenDown.CLOSED,
    # A customer-link request texts a code to any number: unlimited, it is an SMS flood and a
    # guessing ground for link codes.
    "customer_links": WhenDown.CLOSED,
    # Work the portal exists for; a short outage must not stop it.
    "anon": WhenDown.OPEN,
    "user": WhenDown.OPEN,
    "pricing": WhenDown.OPEN,
    "requests": WhenDown.OPEN,
    "lead_respond": WhenDown.OPEN,
    "uploads": WhenDown.OPEN,
    "claims": WhenDown.OPEN,
    "support": WhenDown.OPEN,
    # Recording needs a confirmed relationship and an active gateway, checked in the database.
    "policy_record": WhenDown.OPEN,
}

# How long a client refused by a closed scope is asked to wait (a Redis restart).
LIMITER_DOWN_RETRY_AFTER_SECONDS = 30


def when_limiter_down(scope) -> WhenDown:
    return WHEN_LIMITER_DOWN.get(scope, WhenDown.CLOSED)


class RateLimiterUnavailable(APIException):
    """The counters of a closed scope cannot be read: 503, Persian, Retry-After."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = _("این بخش موقتاً در دسترس نیست؛ %(seconds)s ثانیه دیگر دوباره تلاش کنید.")
    default_code = "rate_limiter_unavailable"

    def __init__(self):
        self.wait = LIMITER_DOWN_RETRY_AFTER_SECONDS  # DRF's handler turns it into Retry-After
        super().__init__(self.default_detail % {"seconds": to_persian_digits(self.wait)})


def limiter_down(scope, exc) -> None:
    """Apply the scope's rule: return (fail open) or raise RateLimiterUnavailable."""
    if when_limiter_down(scope) is WhenDown.CLOSED:
        warn_throttled(f"throttle:{scope}", "Rate limiter down (%s); scope %s fails closed", exc, scope)
        raise RateLimiterUnavailable from exc
    warn_throttled(f"throttle:{scope}", "Rate limiter down (%s); scope %s fails open", exc, scope)


# --- The counter ----------------------------------------------------------------------------

# Times are whole microseconds since the epoch: exact in Redis's Lua numbers (doubles, up to
# 2**53) and in Django's Redis serializer, which stores an int as its digits.
MICROSECONDS = 1_000_000

# One round trip, atomic in Redis: read the key's theoretical arrival time (TAT), refuse
# when it is more than the burst's worth ahead of now, else move it one interval on.
# Returns -1 when allowed, else the microseconds to wait. The key lives a whole period
# after the last request, as DRF's did (it is needed only until the TAT, never later). A
# key that holds no number (DRF's list, left by the version before this one) counts as new.
_SPEND_ONE_LUA = """
local now = tonumber(ARGV[1])
local interval = tonumber(ARGV[2])
local tolerance = tonumber(ARGV[3])
local stored = tonumber(redis.call('GET', KEYS[1]))
local tat = now
if stored then tat = math.max(stored, now) end
if tat - tolerance > now then
  return tat - tolerance - now
end
local next_tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', next_tat), 'PX', ARGV[4])
return -1
"""
_spend_one_script = None  # redis-py's Script: EVALSHA, loading the script when Redis lacks it

# The get-then-set of a cache without scripts (LocMemCache in development and tests) is
# made atomic within the process, which is all such a cache is shared by.
_local_lock = threading.Lock()


def spend_one(cache, key: str, *, limit: int, period: int, now: float) -> float | None:
    """Spend one of `limit` requests per `period` seconds under `key`: None when allowed,
    else the seconds until the next request would be.

    The stored value is one integer (the TAT, in microseconds) whatever the rate. Cache
    errors propagate: the caller applies the scope's rule (`limiter_down`).
    """
    interval = -(-period * MICROSECONDS // limit)  # P/R rounded up: never faster than R per P
    tolerance = (limit - 1) * interval  # a burst of exactly `limit`
    now_us = int(now * MICROSECONDS)
    if isinstance(cache, RedisCache):
        wait_us = _spend_one_in_redis(cache, key, now_us, interval, tolerance, period)
    else:
        wait_us = _spend_one_locally(cache, key, now_us, interval, tolerance, period)
    return None if wait_us < 0 else wait_us / MICROSECONDS


def _spend_one_in_redis(cache, key, now_us, interval, tolerance, period) -> int:
    global _spend_one_script
    # Django's RedisCache has no call for a script: its client is reached through `_cache`.
    client = cache._cache.get_client(key, write=True)
    if _spend_one_script is None:
        _spend_one_script = client.register_script(_SPEND_ONE_LUA)
    return int(
        _spend_one_script(
            keys=[cache.make_and_validate_key(key)], args=[now_us, interval, tolerance, period * 1000], client=client
        )
    )


def _spend_one_locally(cache, key, now_us, interval, tolerance, period) -> int:
    with _local_lock:
        stored = cache.get(key)
        tat = max(stored, now_us) if type(stored) is int else now_us
        if tat - tolerance > now_us:
            return tat - tolerance - now_us
        next_tat = tat + interval
        cache.set(key, next_tat, period)
        return -1


class ClientIpScopedRateThrottle(ScopedRateThrottle):
    """`throttle_scope` on the view; anonymous callers keyed by their trusted address.

    DRF's scopes, rate table and keys, counted by `spend_one` instead of DRF's list.
    """

    @property
    def cache(self):
        return rate_limit_cache()

    def get_ident(self, request):
        return client_ip(request)

    def allow_request(self, request, view):
        self.scope = getattr(view, self.scope_attr, None)
        if not self.scope:
            return True
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        self.key = self.get_cache_key(request, view)
        if self.key is None:
            return True
        try:
            self.seconds_to_wait = spend_one(
                self.cache, self.key, limit=self.num_requests, period=self.duration, now=self.timer()
            )
        except CACHE_UNAVAILABLE_ERRORS as exc:
            limiter_down(self.scope, exc)
            return True
        return self.seconds_to_wait is None

    def wait(self):
        """Seconds until the refused caller's next request would be allowed (Retry-After)."""
        return getattr(self, "seconds_to_wait", None)


class WriteScopedRateThrottle(ClientIpScopedRateThrottle):
    """The same, counting only writes (POST, PUT, PATCH, DELETE): reading a list stays free."""

    def allow_request(self, request, view):
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return super().allow_request(request, view)


class _AddressScopedRateThrottle(ClientIpScopedRateThrottle):
    """Keyed by the address even for a signed-in caller, as the API views of the scope
    that authenticate no one (`authentication_classes = []`) are keyed."""

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def web_rate_limit(scope, methods=("POST",), *, when=None, per_address=False, shows_refused_get=False):
    """Limit a Django (non-DRF) view under the DRF scope `scope`.

    Only requests whose method is in `methods` count, and of those only the ones `when`
    (a predicate on the request) accepts, if given. The caller is keyed as DRF keys it: the
    user id when signed in, else the trusted client address; `per_address` keys by the
    address always, to share the counter of an API that resolves no identity (auth,
    pricing). Past the limit: 429 with Retry-After and the form's own page again, its fields
    refilled and a Persian alert with the wait (a bare alert for htmx). A limited GET (a
    form whose values are in the query) is shown again only by a view that says it
    (`shows_refused_get`) and then skips its work while `form_refused()`; others get the
    rate-limited page.

    Put it below `login_required` and `require_http_methods`, so that redirects and
    refusals of the method do not use up the budget.
    """
    throttle_class = _AddressScopedRateThrottle if per_address else ClientIpScopedRateThrottle
    scoped = SimpleNamespace(throttle_scope=scope)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # The page of a refused form, rendered again, is not counted (nor refused) again.
            if _refusal.get() is None and request.method in methods and (when is None or when(request)):
                throttle = throttle_class()
                try:
                    allowed = throttle.allow_request(request, scoped)
                except RateLimiterUnavailable as exc:
                    return limiter_unavailable_response(request, exc.wait)
                if not allowed:
                    page = _page_of_refused_form(request, methods=methods, shows_refused_get=shows_refused_get)
                    return rate_limited_response(request, throttle.wait(), page=page)
            return view(request, *args, **kwargs)

        wrapper.rate_limit_scope = scope  # read by the check that every scope has a rate
        return wrapper

    return decorator


# --- A refused form keeps what was typed ------------------------------------------------------


@dataclass(frozen=True)
class _Refusal:
    retry_after: int
    data: QueryDict  # what the refused form sent


# Set only while the page of a refused form is being rendered again.
_refusal: ContextVar[_Refusal | None] = ContextVar("rate_limit_refusal", default=None)


def _page_of_refused_form(request, *, methods, shows_refused_get):
    """The request that shows the refused form's page without doing its work, or None.

    A refused POST: the same URL as a plain GET, unless GET is itself the limited work
    (the payment callback verifies on GET). A refused GET: the same request, for a view
    that skips its work while `form_refused()` (`shows_refused_get`).
    """
    if request.headers.get("HX-Request"):
        return None  # htmx swaps the alert into the page it came from, which keeps its fields
    if request.method == "GET" and shows_refused_get:
        return copy.copy(request)
    if request.method != "POST" or "GET" in methods:
        return None
    page = copy.copy(request)
    page.method = "GET"
    page.POST = QueryDict()
    page._files = MultiValueDict()
    return page


def form_refused() -> bool:
    """Whether the page being rendered is that of a form the rate limit refused: do no work."""
    return _refusal.get() is not None


def rate_limited_context(request) -> dict:
    """Template context: `rate_limited_retry_after` while a refused form's page is rendered
    again, for base.html to show the alert above the page."""
    refusal = _refusal.get()
    return {"rate_limited_retry_after": refusal.retry_after} if refusal else {}


def refill_refused_forms() -> None:
    """Make every unbound Django form rendered for a refused form's page show the refused values.

    Only forms some of whose fields were posted are refilled, each field from its widget's
    own reading of the posted data (so checkboxes, multiple choices and split widgets come
    back as they were sent); files cannot be sent back and keep their initial value.
    Installed once by core.apps; outside a refusal it changes nothing.
    """
    from django import forms

    if getattr(forms.BaseForm.get_initial_for_field, "refills_refused_forms", False):
        return
    original = forms.BaseForm.get_initial_for_field

    def get_initial_for_field(self, field, field_name):
        refusal = _refusal.get()
        if refusal is not None and not self.is_bound and not isinstance(field, forms.FileField):
            posted = self.__dict__.get("_refused_values_posted")
            if posted is None:
                names = [self.add_prefix(name) for name in self.fields]
                posted = any(name in refusal.data or f"{name}_0" in refusal.data for name in names)
                self.__dict__["_refused_values_posted"] = posted
            if posted and not field.disabled:
                return field.widget.value_from_datadict(refusal.data, MultiValueDict(), self.add_prefix(field_name))
        return original(self, field, field_name)

    get_initial_for_field.refills_refused_forms = True
    forms.BaseForm.get_initial_for_field = get_initial_for_field


def _back_url(request) -> str:
    """Where «بازگشت به فرم» leads: the page the refused button was on, if it is ours."""
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.path if request.method == "GET" else ""


def rate_limited_response(request, wait, *, page=None):
    """429 in the browser: the refused form's page again (`page`, the GET request that shows
    it, when it answers 200), else the rate-limited page (or, for htmx, its alert alone);
    Retry-After either way."""
    # DRF rounds the same way for its Retry-After; never 0, which would invite a retry loop.
    retry_after = max(1, math.ceil(wait or 0))
    response = None
    if page is not None:
        data = request.POST if request.method == "POST" else request.GET
        token = _refusal.set(_Refusal(retry_after=retry_after, data=data))
        try:
            # The whole view as the URL resolves it, with its own decorators: a page that
            # only takes POST answers 405 and the rate-limited page is shown instead.
            match = resolve(page.path_info)
            response = match.func(page, *match.args, **match.kwargs)
            if response is not None and response.status_code == 200 and hasattr(response, "render"):
                response.render()
        except Exception:
            # Showing the page is a courtesy; the answer is the refusal all the same.
            logger.warning("Could not show the page of a refused form at %s", request.path, exc_info=True)
            response = None
        finally:
            _refusal.reset(token)
        if response is not None and response.status_code != 200:
            response = None  # no page of its own (a button that only POSTs, a redirect)
    if response is None:
        template = "includes/rate_limited.html" if request.headers.get("HX-Request") else "rate_limited.html"
        context = {"retry_after": retry_after, "back_url": _back_url(request)}
        response = render(request, template, context, status=429)
    response.status_code = 429
    response["Retry-After"] = str(retry_after)
    return response


def limiter_unavailable_response(request, retry_after=LIMITER_DOWN_RETRY_AFTER_SECONDS):
    """503 in the browser when a closed scope's counters cannot be read."""
    template = "includes/unavailable.html" if request.headers.get("HX-Request") else "unavailable.html"
    response = render(request, template, {"retry_after": retry_after}, status=503)
    response["Retry-After"] = str(retry_after)
    return response


class FailureLimit:
    """At most `limit` failures per key in each fixed window of `window_seconds`.

    Unlike the DRF scopes, only failures count (a wrong password, not every attempt), so
    the owner who types the right password is never charged. Windows are aligned to the
    clock (key = identity + window start): one atomic `incr` per failure, and Retry-After
    is the rest of the window. Across a window boundary an attacker gets at most twice
    `limit`; the next window starts from zero, so no lock-out lasts longer than a window.
    Cache errors propagate: the caller applies the scope's rule (`limiter_down`).
    """

    def __init__(self, scope: str, *, limit: int, window_seconds: int):
        self.scope = scope
        self.limit = limit
        self.window_seconds = window_seconds

    def _window(self, now: float) -> tuple[str, int]:
        start = int(now // self.window_seconds) * self.window_seconds
        return str(start), max(1, math.ceil(start + self.window_seconds - now))

    def _key(self, ident: str, start: str) -> str:
        return f"failures:{self.scope}:{ident}:{start}"

    def retry_after(self, ident: str, *, now: float) -> int | None:
        """Seconds until `ident` may try again, or None if it is under the limit."""
        start, remaining = self._window(now)
        failures = rate_limit_cache().get(self._key(ident, start), 0)
        return remaining if failures >= self.limit else None

    def record_failure(self, ident: str, *, now: float) -> int:
        """Count one failure; returns the failures of the window so far."""
        cache = rate_limit_cache()
        start, _remaining = self._window(now)
        key = self._key(ident, start)
        # A little longer than the window, so the key outlives every read of its window.
        cache.add(key, 0, self.window_seconds + 60)
        try:
            return cache.incr(key)
        except ValueError:  # evicted between add and incr
            cache.set(key, 1, self.window_seconds + 60)
            return 1
