"""Typed answers (issue 15 point 2): no operation reads or answers an untyped object, so the
schemathesis run (test_schemathesis.py) checks real shapes.

The walk covers every request body (each content type) and every success answer, following
`$ref`, `allOf`/`anyOf`/`oneOf`, nested properties, array items and `additionalProperties`.
A node is untyped when it has no `type` (and is no enum or composition), or when it is an
object with neither properties nor typed `additionalProperties`.

The error answers are left out: their shape is declared once in core/schema.py (issue 15
point 1's contract), where `detail` and `code` are deliberately open.
"""

from pathlib import Path

import pytest
from drf_spectacular.generators import SchemaGenerator

# Free-form by contract, each for the reason given. A property of these names is not walked.
FREE_FORM = {
    # A line's parameters: API.md documents them as `params: {…}`, their keys and values
    # depending on the line (`GET /api/v1/pricing/lines/` describes each line's set).
    "params": "a line's parameters (API.md `params: {…}`), described per line by /pricing/lines/",
    # An endorsement's changes, and the same terms before it: keys from a fixed list, but their
    # values are the line's terms as typed, i.e. `params` values (an address is whatever the
    # agent typed, the previous build year whatever the policy's params held).
    "changes": "an endorsement's changed terms: values of the line's params (API.md `changes`)",
    "previous": "the same terms before the endorsement: values of the policy's params",
}
SUCCESS = ("200", "201", "202")


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def untyped_nodes(schema: dict, node: dict, where: str, seen: frozenset = frozenset()) -> list[str]:
    """Where under `node` a value is untyped (see the module docstring)."""
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        if name in seen:
            return []
        return untyped_nodes(schema, schema["components"]["schemas"][name], where, seen | {name})
    compositions = [sub for key in ("allOf", "anyOf", "oneOf") for sub in node.get(key, [])]
    if compositions:
        return [found for sub in compositions for found in untyped_nodes(schema, sub, where, seen)]
    kind = node.get("type")
    if kind is None:
        return [] if "enum" in node else [f"{where}: no type"]
    found = []
    if kind == "object":
        properties = node.get("properties") or {}
        extra = node.get("additionalProperties")
        if not properties and (extra is None or extra is True or extra == {}):
            return [f"{where}: an object with no properties"]
        for name, sub in properties.items():
            if name not in FREE_FORM:
                found += untyped_nodes(schema, sub, f"{where}.{name}", seen)
        if extra is True or extra == {}:
            found.append(f"{where}.*: untyped additionalProperties")
        elif isinstance(extra, dict):
            found += untyped_nodes(schema, extra, f"{where}.*", seen)
    elif kind == "array":
        found += untyped_nodes(schema, node.get("items", {}), f"{where}[]", seen)
    return found


def _operation_nodes(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            for content_type, body in operation.get("requestBody", {}).get("content", {}).items():
                yield f"{method.upper()} {path} body ({content_type})", body.get("schema", {})
            for status, answer in operation.get("responses", {}).items():
                if status in SUCCESS:
                    for content_type, body in answer.get("content", {}).items():
                        if content_type == "application/json":
                            yield f"{method.upper()} {path} → {status}", body.get("schema", {})


def test_no_operation_reads_or_answers_an_untyped_object(schema):
    """issue 15 point 2: every request body and success answer is typed to its leaves."""
    found = [hit for where, node in _operation_nodes(schema) for hit in untyped_nodes(schema, node, where)]
    assert not found, "\n".join(found)


def test_every_success_answer_of_the_policies_and_claims_apis_names_its_serializer(schema):
    """issue 15 point 2: the policies and claims operations answer a documented component, not
    an inline object (each names its output serializer)."""
    inline = []
    for where, node in _operation_nodes(schema):
        if "→" in where and ("/policies/" in where or "/claims/" in where):
            target = node.get("items", node) if node.get("type") == "array" else node
            if "$ref" not in target:
                inline.append(where)
    assert not inline, inline


def test_the_walk_finds_an_untyped_object():
    """The walk itself: an object with no properties, an open `additionalProperties`, an item
    with no type and a nested untyped object are all found; a free-form `params` is not."""
    schema = {
        "components": {
            "schemas": {
                "Row": {"type": "object", "properties": {"blob": {"type": "object"}}},
            }
        }
    }
    node = {
        "type": "object",
        "properties": {
            "bare": {"type": "object"},
            "open": {"type": "object", "additionalProperties": {}},
            "anything": {"type": "array", "items": {}},
            "row": {"$ref": "#/components/schemas/Row"},
            "params": {"type": "object", "additionalProperties": {}},
            "kind": {"enum": ["a", ""]},
            "typed": {"type": "object", "additionalProperties": {"type": "integer"}},
        },
    }
    assert untyped_nodes(schema, node, "x") == [
        "x.bare: an object with no properties",
        "x.open: an object with no properties",
        "x.anything[]: no type",
        "x.row.blob: an object with no properties",
    ]


def test_no_untyped_object_is_declared_in_the_code():
    """issue 15 point 2: `OpenApiTypes.OBJECT` (an untyped object) is documented nowhere."""
    root = Path(__file__).resolve().parents[2]
    needle = "OpenApiTypes." + "OBJECT"
    # The project's packages (a folder with an __init__.py), not the virtualenv or node_modules.
    packages = [path for path in root.iterdir() if (path / "__init__.py").is_file() and not path.is_symlink()]
    assert {"policies", "claims", "declarations"} <= {package.name for package in packages}
    offenders = [
        str(module.relative_to(root))
        for package in packages
        if package.name != "tests"
        for module in package.rglob("*.py")
        if needle in module.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders
