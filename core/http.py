from django.conf import settings


def client_ip(request):
    """The caller's address, trusting X-Forwarded-For only as far as our own proxies.

    With N trusted proxies, each appends the address it saw; the client is the N-th
    entry from the right. Anything further left was written by the client and is ignored.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR", "") or "0.0.0.0"  # noqa: S104  # nosec B104  # a placeholder address, not a bind
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxies:
        return remote
    return forwarded[-proxies]
