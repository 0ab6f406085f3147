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


# Keys that hold messages about the whole input rather than one field ("__all__": a model's clean()).
NON_FIELD_KEYS = ("detail", "non_field_errors", "__all__")
ERROR_LIST_KEY = "errors"


def error_list(data, *, default_code: str) -> list[dict]:
    """Every message of an error body with its dotted field path and its code, in body order.

    Messages that carry a code (DRF's `ErrorDetail`) keep it; plain strings get `default_code`.
    Items of a list input are numbered from 0 (`travellers.1.birth_date`); `detail` and
    `non_field_errors` name no field (null), or their parent's path when nested.
    """
    found: list[dict] = []

    def walk(node, path: tuple[str, ...]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, path if key in NON_FIELD_KEYS else (*path, str(key)))
        elif isinstance(node, list | tuple):
            for index, value in enumerate(node):
                walk(value, (*path, str(index)) if isinstance(value, dict | list | tuple) else path)
        elif node is not None:
            found.append(
                {
                    "field": ".".join(path) or None,
                    "code": str(getattr(node, "code", None) or default_code),
                    "message": str(node),
                }
            )

    walk(data, ())
    return found


def _with_codes(data, *, default_code: str):
    """The body as it is, plus `errors` (and `code` beside a `detail`); a bare list stays as it is.

    A body with a `detail` is about the whole request: its other keys (`code`, `retry_after`, a
    conflict's extra facts) are not messages, so only the detail is listed.
    """
    if not isinstance(data, dict) or ERROR_LIST_KEY in data:
        return data
    if "detail" not in data:
        return {**data, ERROR_LIST_KEY: error_list(data, default_code=default_code)}
    errors = error_list({"detail": data["detail"]}, default_code=data.get("code") or default_code)
    code = data.get("code") or (errors[0]["code"] if errors else default_code)
    return {**data, "code": code, ERROR_LIST_KEY: errors}


def api_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        response = Response(_with_codes(exc.as_payload(), default_code=exc.code), status=exc.status_code)
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
        response.data = _with_codes(response.data, default_code=exc.default_code)
    return response
