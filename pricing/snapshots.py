"""The cached tariff snapshot: built from the database once, invalidated on every edit.

The cache key carries a version that `snapshot_invalidate` replaces, so one call drops
the snapshot of every date at once (each quote date maps to the tariff in force then).
"""

from __future__ import annotations

import datetime as dt

from core.cache import cache_version, cache_version_bump

VERSION_KEY = "pricing:snapshot:version"
# A backstop for edits that bypass the models (bulk updates, insurer renames).
TIMEOUT_SECONDS = 15 * 60


def snapshot_cache_key(on: dt.date) -> str:
    return f"pricing:snapshot:{cache_version(VERSION_KEY)}:{on.isoformat()}"


def snapshot_invalidate() -> None:
    cache_version_bump(VERSION_KEY)
