"""One application error type, turned into HTTP in exactly one place.

Services raise `ApplicationError` (or a subclass) with a stable `code`; the DRF handler
below and the HTML views translate it. Messages are Persian and safe to show.

Every error answer of the API keeps the shape API.md fixes (`{"field": ["…"]}`, nested for
nested inputs, or `{"detail": "…"}`) and adds two keys a client can branch on (issue 15
point 1): `code` beside `detail`, and `errors`, every message with its dotted field path and
its stable code: `{"field": "params.build_year", "code": "min_value", "message": "…"}`
(`field` is null for `detail` and `non_field_errors`).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions as drf_exceptions
from rest_framework import status
from rest_framework.fields import get_error_detail
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.error_shape import with_codes


class ApplicationError(Exception):
    """A refusal the caller can understand; `field` names the input at fault, if any.

    A field inside a nested input is named by a dotted path, one way for every service:
    `field="params.build_year"` answers `{"params": {"build_year": ["…"]}}`, the shape of
    the API's own nested inputs (API.md). HTML forms show it on their field of the last
    name (`core.forms.add_application_error`).
    """

    status_code = status.HTTP_400_BAD_REQUEST
    code = "invalid"

    def __init__(self, message, *, code=None, field=None, extra=None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.field = field
        self.extra = extra or {}

    def as_payload(self):
        if self.field:
            *parents, name = self.field.split(".")
            payload = {name: [self.message]}
            for parent in reversed(parents):
                payload = {parent: payload}
            return payload
        return {"detail": self.message, "code": self.code, **self.extra}

    @property
    def field_name(self) -> str | None:
        """The input's own name, without the nested input it sits in (`build_year`)."""
        return self.field.rsplit(".", 1)[-1] if self.field else None


class ConflictError(ApplicationError):
    status_code = status.HTTP_409_CONFLICT
    code = "conflict"


class NotFoundError(ApplicationError, Http404):
    """What a chokepoint raises for an object the caller may not see (or that does not exist).

    Also an `Http404`, so a page or admin view it escapes answers Django's 404 page with no
    code of its own; the API answers it through `api_exception_handler` before that.
    """

    status_code = status.HTTP_404_NOT_FOUND
    code = "not_found"


class ForbiddenError(ApplicationError, PermissionDenied):
    """A refusal for who the caller is; also a `PermissionDenied` (the 403 page) outside the API."""

    status_code = status.HTTP_403_FORBIDDEN
    code = "forbidden"


class RateLimitedError(ApplicationError):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    code = "rate_limited"

    def __init__(self, message, *, retry_after, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = max(1, int(retry_after))

    def as_payload(self):
        payload = super().as_payload()
        payload.setdefault("retry_after", self.retry_after)
        return payload


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        response = Response(with_codes(exc.as_payload(), default_code=exc.code), status=exc.status_code)
        if isinstance(exc, RateLimitedError):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, DjangoValidationError):
        # get_error_detail keeps each message's code (a model's `clean()`, a validator).
        detail = get_error_detail(exc)
        exc = drf_exceptions.ValidationError(detail if hasattr(exc, "error_dict") else {"detail": detail})
    elif isinstance(exc, Http404 | OverflowError):
        # OverflowError: an id in the path too large for the database (SQLite) names nothing.
        exc = drf_exceptions.NotFound(_("پیدا نشد."))
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied(_("اجازه این کار را ندارید."))
    response = exception_handler(exc, context)
    if response is not None and isinstance(exc, drf_exceptions.APIException):
        response.data = with_codes(response.data, default_code=exc.default_code)
    return response
