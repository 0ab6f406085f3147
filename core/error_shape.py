"""The API's one error shape (issue 15 point 1), free of DRF so that a middleware can answer it too.

Every error body keeps the keys API.md fixes (`{"field": ["…"]}`, nested for `params`;
`{"detail": …}`) and adds `errors`: each message with its dotted field path and stable code,
plus `code` beside a `detail`. `core.exceptions.api_exception_handler` applies it to every DRF
answer; `error_body` builds it for refusals made before DRF runs.
"""

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


def with_codes(data, *, default_code: str):
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


def error_body(detail: str, *, code: str) -> dict:
    """The API's error shape for a refusal made outside DRF (a middleware): detail, code, errors."""
    return with_codes({"detail": detail, "code": code}, default_code=code)
