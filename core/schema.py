"""The OpenAPI schema says what the API really answers (issue 13 point 9).

Two things drf-spectacular cannot see on its own:

- the error answers. Every refusal goes through `core.exceptions.api_exception_handler` (or one
  of the middlewares in core/middleware.py) and has one of two shapes: `{"detail", "code", …}`
  or the fields at fault, `{"field": ["…"]}`; the handler adds `errors` to both (each message
  with its field path and code). `add_error_responses` (a postprocessing hook,
  SPECTACULAR_SETTINGS) declares them on every operation, in one place;
- the paginated lists. The list views are plain APIViews that page with
  `core.pagination.Pagination` by hand; `paginated` below is their response declaration and
  `PAGE_PARAMETERS` their query parameters.
"""

from drf_spectacular.utils import OpenApiParameter, inline_serializer
from rest_framework import serializers

from core.pagination import Pagination
from core.validators import MAX_BIGINT

ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "A refusal: `detail` (a Persian message, or a list of them) with a stable `code`, or the "
        'inputs at fault, each with its messages (`{"field": ["…"]}`, nested for nested inputs).'
    ),
    "properties": {
        "detail": {},
        # Untyped: a refusal's `code` is a string, but an input named `code` (the sign-in code)
        # carries its messages under the same key.
        "code": {},
        "retry_after": {"type": "integer", "description": "Seconds to wait (429 and 503)."},
        "errors": {
            "type": "array",
            "description": (
                "Every message of the answer with its dotted field path (`params.build_year`, "
                "`travellers.1.birth_date`; null for `detail` and `non_field_errors`) and its stable "
                "code, for a client to branch on (issue 15 point 1)."
            ),
            "items": {
                "type": "object",
                "properties": {
                    "field": {"type": "string", "nullable": True},
                    "code": {"type": "string"},
                    "message": {"type": "string"},
                },
                "required": ["field", "code", "message"],
            },
        },
    },
    "additionalProperties": True,
}
# DRF answers a bare list when a view raises ValidationError with a list of messages.
VALIDATION_ERROR_SCHEMA = {"anyOf": [{"$ref": "#/components/schemas/Error"}, {"type": "array", "items": {}}]}

ERROR_ANSWERS = {
    "400": "The input is refused (the inputs at fault and their Persian messages).",
    "401": "No valid token or session.",
    "403": "The caller may not do this.",
    "404": "Nothing by that id for this caller.",
    "405": "The method is not allowed here.",
    "409": "The change conflicts with the current state (e.g. already done).",
    "413": "The body is over DATA_UPLOAD_MAX_MEMORY_SIZE (1 MiB; files in a multipart body aside).",
    "415": "The body's content type is not one this operation reads.",
    "429": "Rate limited; `Retry-After` says when to try again.",
    "503": "A service the operation needs (the rate limiter's store, the payment gateway) is down.",
}
BODY_METHODS = {"post", "put", "patch"}


def _error_response(status: str) -> dict:
    schema = VALIDATION_ERROR_SCHEMA if status == "400" else {"$ref": "#/components/schemas/Error"}
    response = {"description": ERROR_ANSWERS[status], "content": {"application/json": {"schema": schema}}}
    if status in ("429", "503"):
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds."}}
    return response


def add_error_responses(result, generator, request, public):
    """Declare the project's error answers on every operation that does not declare its own."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            statuses = set(ERROR_ANSWERS) - {"413", "415"}
            if method in BODY_METHODS:
                statuses |= {"413", "415"}
            for status in sorted(statuses):
                operation["responses"].setdefault(status, _error_response(status))
            _bound_path_ids(operation)
    return result


def _bound_path_ids(operation) -> None:
    """An id in the path is a positive bigint: `<int:…>` matches digits only, so a negative one
    names no URL at all (Django's 404 page, not the API's JSON), and one over a bigint names no row."""
    for parameter in operation.get("parameters", []):
        schema = parameter.get("schema", {})
        if parameter.get("in") == "path" and schema.get("type") == "integer":
            schema.setdefault("minimum", 1)
            schema.setdefault("maximum", MAX_BIGINT)


def paginated(item, *, name: str):
    """The envelope `core.pagination.Pagination` answers, around `item` (a serializer instance
    or class for one row, or None for free-form rows)."""
    if item is None:
        results = serializers.ListField(child=serializers.DictField())
    elif isinstance(item, type):
        results = item(many=True)
    else:
        results = item.__class__(many=True)
    return inline_serializer(
        name=name,
        fields={
            "count": serializers.IntegerField(),
            "next": serializers.URLField(allow_null=True),
            "previous": serializers.URLField(allow_null=True),
            "results": results,
        },
    )


PAGE_PARAMETERS = [
    OpenApiParameter(
        "page", {"type": "integer", "minimum": 1}, description="The page, from 1; past the last page answers 404."
    ),
    OpenApiParameter(
        Pagination.page_size_query_param,
        {"type": "integer", "minimum": 1, "maximum": Pagination.max_page_size},
        description=f"Rows a page (default 20, at most {Pagination.max_page_size}).",
    ),
]
