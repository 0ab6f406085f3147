"""Output-serializer helpers for answers whose JSON must stay byte-for-byte what it was (issue 15 point 2).

Some answers pass a value stored as JSON (a policy's partners, a claim's panel) straight
through. Rendering it with a nested serializer would drop any key the serializer does not
name; `stored_json` answers the value untouched and lets the schema describe its shape.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def stored_json(shape, **kwargs) -> serializers.JSONField:
    """A JSON value answered as stored; `shape` (a serializer, or a schema dict) documents it."""
    field_class = extend_schema_field(shape)(type("StoredJsonField", (serializers.JSONField,), {}))
    return field_class(**kwargs)
