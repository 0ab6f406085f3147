"""Rate limits keyed by the client address we trust (core.http.client_ip).

DRF's own `get_ident` reads X-Forwarded-For with NUM_PROXIES (set from
TRUSTED_PROXY_COUNT), but with fewer entries than proxies it falls back to the leftmost
one, which the client wrote. These throttles use the one derivation the audit log uses.

The browser forms do the same work as the API (they call the same services), so
`web_rate_limit` puts them under the same scopes: the same rate table, the same cache
key and therefore the same counter. Posting a request through the API and through the
form draws on one budget.
"""

import math
from functools import wraps
from types import SimpleNamespace

from django.shortcuts import render
from rest_framework.throttling import ScopedRateThrottle

from core.http import client_ip


class ClientIpScopedRateThrottle(ScopedRateThrottle):
    """`throttle_scope` on the view; anonymous callers keyed by their trusted address."""

    def get_ident(self, request):
        return client_ip(request)


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


def web_rate_limit(scope, methods=("POST",), *, when=None, per_address=False):
    """Limit a Django (non-DRF) view under the DRF scope `scope`.

    Only requests whose method is in `methods` count, and of those only the ones `when`
    (a predicate on the request) accepts, if given. The caller is keyed as DRF keys it: the
    user id when signed in, else the trusted client address; `per_address` keys by the
    address always, to share the counter of an API that resolves no identity (auth,
    pricing). Past the limit: 429 with Retry-After and a Persian page (a bare alert for htmx).

    Put it below `login_required` and `require_http_methods`, so that redirects and
    refusals of the method do not use up the budget.
    """
    throttle_class = _AddressScopedRateThrottle if per_address else ClientIpScopedRateThrottle
    scoped = SimpleNamespace(throttle_scope=scope)

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods and (when is None or when(request)):
                throttle = throttle_class()
                if not throttle.allow_request(request, scoped):
                    return rate_limited_response(request, throttle.wait())
            return view(request, *args, **kwargs)

        wrapper.rate_limit_scope = scope  # read by the check that every scope has a rate
        return wrapper

    return decorator


def rate_limited_response(request, wait):
    """429 in the browser: the page (or, for htmx, its alert alone) and Retry-After."""
    # DRF rounds the same way for its Retry-After; never 0, which would invite a retry loop.
    retry_after = max(1, math.ceil(wait or 0))
    template = "includes/rate_limited.html" if request.headers.get("HX-Request") else "rate_limited.html"
    response = render(request, template, {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
