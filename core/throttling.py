"""Rate limits keyed by the client address we trust (core.http.client_ip).

DRF's own `get_ident` reads X-Forwarded-For with NUM_PROXIES (set from
TRUSTED_PROXY_COUNT), but with fewer entries than proxies it falls back to the leftmost
one, which the client wrote. These throttles use the one derivation the audit log uses.
"""

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
