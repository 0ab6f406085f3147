"""The schema matches the answers (issue 13 point 9): it generates without a warning, the
paginated lists are declared as the envelope they answer, and every operation declares the
error answers the API gives (core/schema.py). Schemathesis checks the answers against it
(test_schemathesis.py, with the conformance checks on)."""

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from core.pagination import Pagination

PAGINATED = ["/api/v1/requests/", "/api/v1/agent/leads/", "/api/v1/policies/", "/api/v1/claims/"]
COMMON_ERRORS = {"400", "401", "403", "404", "409", "429", "503"}


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_generates_and_validates_without_a_warning(tmp_path):
    """issue 13 point 9: `--fail-on-warn` turns any drf-spectacular warning into a failure."""
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target), "--validate", "--fail-on-warn")
    assert target.stat().st_size > 10_000


def _resolve(schema, node):
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


@pytest.mark.parametrize("path", PAGINATED)
def test_the_paginated_lists_are_declared_as_the_envelope_they_answer(schema, path):
    """issue 13 point 9: {"count", "next", "previous", "results": [...]} and the page parameters."""
    operation = schema["paths"][path]["get"]
    body = _resolve(schema, operation["responses"]["200"]["content"]["application/json"]["schema"])
    assert body["type"] == "object"
    assert set(body["properties"]) == {"count", "next", "previous", "results"}
    assert body["properties"]["results"]["type"] == "array"
    assert body["properties"]["next"]["nullable"] is True
    parameters = {parameter["name"]: parameter["schema"] for parameter in operation["parameters"]}
    assert parameters["page"]["minimum"] == 1
    assert parameters[Pagination.page_size_query_param]["maximum"] == Pagination.max_page_size


def test_every_operation_declares_the_error_answers(schema):
    """issue 13 point 9: 400, 401, 403, 404, 409, 429 and 503 everywhere, 413 where a body is read,
    in the project's error shape (core.exceptions)."""
    missing = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            declared = set(operation["responses"])
            expected = COMMON_ERRORS | ({"413"} if method in ("post", "put", "patch") else set())
            if not expected <= declared:
                missing.append((method, path, sorted(expected - declared)))
    assert not missing, missing
    error = schema["components"]["schemas"]["Error"]
    assert {"detail", "code", "retry_after"} <= set(error["properties"])
