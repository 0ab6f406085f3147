from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

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
        if _carries_nul(request.GET) or (form_body and _carries_nul(request.POST)):
            message = _("درخواست نویسه نامعتبر (NUL) دارد.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
