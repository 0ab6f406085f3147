"""Whole anonymous pages from the `default` cache (issue 16 point 1).

An anonymous page is the same for every anonymous visitor until its data changes, so it is
rendered once per key and served from the cache after that. The one way to cache a page:

    from core.page_cache import anonymous_page_cache, tehran_date
    from pricing.snapshots import VERSION_KEY as TARIFF_VERSION

    @anonymous_page_cache(key_parts=(tehran_date,), versions=(TARIFF_VERSION,))
    def pricing_index(request): ...

- Only anonymous GET/HEAD requests use the cache: no `Authorization`, no signed-in user in
  the session, no message waiting to be shown, not an htmx partial. Everyone else gets
  their own render, and a render for them is never stored.
- The key is the path, the normalised query, the language and each of `key_parts`
  (callables of the request, e.g. `tehran_date` for pages that change with the day).
- `versions` are the cache keys of the data the page is built on (core.cache.cache_version):
  `pricing.snapshots.VERSION_KEY` is replaced on every tariff edit (and again on commit, by
  pricing/models.py), `insurers.cache.VERSION_KEY` on every save or delete of a province,
  insurer or line. The stored page keeps the versions it was rendered under and is served
  only while they are still current; they are read with the page in one `get_many`, so a
  page from the cache costs one round trip to Redis. (A key part or version that needs an
  app above core lives in that app: core imports no app.)
- Stored only when the render is a plain 200 that sets no cookie and leaves the session
  untouched. base.html puts the visitor's CSRF token in every page (`hx-headers`): the
  stored body holds a placeholder instead, and each answer gets the visitor's own token,
  exactly as a fresh render would (the CSRF middleware sets the cookie when it is new).
- The security headers, `X-Frame-Options` and the CSRF cookie come from middleware that
  runs after the view, so a page from the cache gets them like a fresh one.

Edits that bypass the models' signals (bulk `update()`s) show when the entry expires,
after TIMEOUT_SECONDS.

An API view (DRF) is cached the same way, by wrapping what `as_view()` returns (issue 16
point 1: provinces, insurers, lines). Its `Response` is rendered here, before it is stored,
instead of by the handler after the view. The cache answers before DRF's own checks run, so
only views open to anyone and without a throttle are cached this way; `accept_header` goes
in the key, since DRF picks the renderer (and JSON's indent) from it:

    @classmethod
    def as_view(cls, **initkwargs):
        view = super().as_view(**initkwargs)
        return anonymous_page_cache(key_parts=(accept_header,), versions=(REFERENCE_VERSION,))(view)
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import CSRF_TOKEN_LENGTH, _unmask_cipher_token, get_token
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from core.cache import cache_version

KEY_PREFIX = "page"
# The same backstop as the tariff snapshot's (pricing/snapshots.py).
TIMEOUT_SECONDS = 15 * 60
# Cannot be mistaken for a token: tokens are 64 letters and digits, this has underscores.
CSRF_PLACEHOLDER = b"__page_cache_csrf_token__"
_TOKEN_CANDIDATE = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % CSRF_TOKEN_LENGTH)

KeyPart = Callable[[object], str]


def tehran_date(request) -> str:
    """The current date in Tehran (TIME_ZONE): for pages that show or depend on the day."""
    return timezone.localdate().isoformat()


def accept_header(request) -> str:
    """The Accept header: a key part for API views, whose answer DRF negotiates from it."""
    return request.headers.get("Accept", "")


def anonymous_page_cache(
    *,
    key_parts: tuple[KeyPart, ...] = (),
    versions: tuple[str, ...] = (),
    when: Callable[[object], bool] | None = None,
):
    """Serve the view's page to anonymous visitors from the cache (see the module docstring).

    `when(request)` narrows the cached requests further, e.g. to a blank form.
    """

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _anonymous_page_request(request) or (when is not None and not when(request)):
                return view(request, *args, **kwargs)
            key = page_cache_key(request, key_parts)
            found = cache.get_many([key, *versions])
            current = tuple(found.get(version_key) for version_key in versions)
            stored = found.get(key)
            if stored is not None and None not in current and stored["versions"] == current:
                response = _response_from(request, stored)
            else:
                # Read before the render: an edit during it leaves the page under the old versions.
                current = tuple(version or cache_version(name) for name, version in zip(versions, current, strict=True))
                response = view(request, *args, **kwargs)
                if not getattr(response, "is_rendered", True):
                    response.render()  # a DRF Response: its bytes are what is stored
                stored = _storable(request, response)
                if stored is not None:
                    cache.set(key, {**stored, "versions": current}, TIMEOUT_SECONDS)
            # The page differs for a signed-in visitor, whose session arrives in a cookie.
            patch_vary_headers(response, ("Cookie",))
            return response

        return wrapped

    return decorator


def page_cache_key(request, key_parts: tuple[KeyPart, ...] = ()) -> str:
    query = urlencode(sorted((key, value) for key, values in request.GET.lists() for value in values))
    parts = [request.path, query, get_language() or settings.LANGUAGE_CODE, *(part(request) for part in key_parts)]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"{KEY_PREFIX}:{digest}"


def _anonymous_page_request(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if "Authorization" in request.headers or request.headers.get("HX-Request"):
        return False
    if request.COOKIES.get(CookieStorage.cookie_name):
        return False
    # Reads the session only when the visitor sent a session cookie (then one query).
    if request.COOKIES.get(settings.SESSION_COOKIE_NAME):
        if request.user.is_authenticated or SessionStorage.session_key in request.session:
            return False
    return True


def _storable(request, response) -> dict | None:
    """What the cache keeps of `response`; None when it must not be kept."""
    if response.status_code != 200 or response.streaming or response.cookies:
        return None
    if "no-store" in response.get("Cache-Control", "") or "private" in response.get("Cache-Control", ""):
        return None
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return None
    body = _without_csrf_token(request, response.content)
    if body is None:
        return None
    headers = {name: value for name, value in response.items() if name.lower() not in ("content-length", "vary")}
    return {"body": body, "headers": headers}


def _without_csrf_token(request, body: bytes) -> bytes | None:
    """`body` with the visitor's CSRF token replaced by the placeholder; None if unsure."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return body  # the page never asked for a token
    secret_bytes = secret.encode()

    def replace(match):
        return CSRF_PLACEHOLDER if _unmask_cipher_token(match.group().decode()) == secret else match.group()

    body = _TOKEN_CANDIDATE.sub(replace, body)
    if secret_bytes in body:  # the bare secret: a page that leaks it is never shared
        return None
    return body


def _response_from(request, stored: dict) -> HttpResponse:
    body = stored["body"]
    if CSRF_PLACEHOLDER in body:
        body = body.replace(CSRF_PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(body)
    for name, value in stored["headers"].items():
        response[name] = value
    response.served_from_page_cache = True
    return response
