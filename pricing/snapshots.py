"""The cached tariff snapshot: built from the database once, invalidated on every edit.

The cache key carries a version that `snapshot_invalidate` replaces, so one call drops
the snapshot of every date at once (each quote date maps to the tariff in force then).
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.cache import cache
from django.utils import timezone

VERSION_KEY = "pricing:snapshot:version"
# A backstop for edits that bypass the models (bulk updates, insurer renames).
TIMEOUT_SECONDS = 15 * 60


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    return version


def snapshot_cache_key(on: dt.date) -> str:
    return f"pricing:snapshot:{_version()}:{on.isoformat()}"


def snapshot_invalidate() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def tariff_version(request) -> str:
    """A key part of core.page_cache for pages that show the tariff: new on every edit and every day."""
    return snapshot_cache_key(timezone.localdate())
