"""Every app's reference data, loadable again at any time (each loader is idempotent).

The data migrations create these rows in a fresh database. A test database flushed by a
transactional test (live server, races) loses them; so would a database restored from a
partial dump. `load_reference_data` puts them back without touching staff edits.
"""

import importlib

from django.apps import apps

# The data migrations, in dependency order; each module has `load(apps, schema_editor)`.
REFERENCE_MIGRATIONS = [
    "insurers.migrations.0002_reference_data",
    "agents.migrations.0002_reference_data",
    "pricing.migrations.0002_reference_tariffs",
]


def load_reference_data() -> None:
    for name in REFERENCE_MIGRATIONS:
        importlib.import_module(name).load(apps, None)
    from pricing.snapshots import snapshot_invalidate

    snapshot_invalidate()
