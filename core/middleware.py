from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

from core.error_shape import error_body
from core.text import to_persian_digits

# Every asset is served by us (no CDN may be reachable from Iran), so 'self' is enough.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # The Django admin and Swagger UI set inline style attributes.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        response.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Pages with personal data must not be kept by shared caches or the back button.
            response.setdefault("Cache-Control", "private, no-store")
        return response


NUL = "\x00"


def _carries_nul(query_dict) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in query_dict.lists())


class RefuseNulMiddleware:
    """A NUL character is never part of a real input and PostgreSQL refuses it in text (a view
    that puts a raw query value into a lookup would answer 500): refuse it in the query string
    and in a form body with a Persian 400 before any view runs. JSON bodies are refused by
    `core.parsers.JSONParser`; file contents are not inspected here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        form_body = request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        )
        try:
            carries_nul = _carries_nul(request.GET) or (form_body and _carries_nul(request.POST))
        except RequestDataTooBig:
            # A multipart body whose fields (files aside) exceed the limit: the same 413 as a
            # long body (BodySizeLimitMiddleware), not Django's English 400 page.
            return body_too_large_response(request, body_limit_bytes())
        except (TooManyFieldsSent, TooManyFilesSent):
            message = _("درخواست بیش از حد فیلد یا فایل دارد.")
            if request.path.startswith("/api/"):
                return JsonResponse(error_body(message, code="too_many_fields"), status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        if carries_nul:
            message = _("درخواست نویسه نامعتبر (NUL) دارد.")
            if request.path.startswith("/api/"):
                return JsonResponse(error_body(message, code="invalid_character"), status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def body_limit_bytes() -> int:
    """The largest body (other than a multipart upload) the portal reads: DATA_UPLOAD_MAX_MEMORY_SIZE."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class BodySizeLimitMiddleware:
    """A JSON or form body over DATA_UPLOAD_MAX_MEMORY_SIZE (1 MiB) is a Persian 413 before
    anything reads it (issue 13 point 4). Without this, Django answered its English "Bad Request
    (400)" page for a large form body, and DRF read and parsed a JSON body of any size.

    Multipart bodies are left to the upload checks (core.uploads: 5 MB a file); Django counts
    their non-file fields against the same setting. A body sent without Content-Length is read
    up to the limit by core.parsers.JSONParser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = body_limit_bytes()
        if length > limit and request.content_type != "multipart/form-data":
            return body_too_large_response(request, limit)
        return self.get_response(request)


def body_too_large_message(limit: int) -> str:
    kilobytes = to_persian_digits(limit // 1024)
    return _("حجم درخواست بیش از حد مجاز (%(size)s کیلوبایت) است.") % {"size": kilobytes}


def body_too_large_response(request, limit: int):
    message = body_too_large_message(limit)
    if request.path.startswith("/api/"):
        return JsonResponse(error_body(message, code="too_large"), status=413)
    return HttpResponse(message, status=413, content_type="text/plain; charset=utf-8")
