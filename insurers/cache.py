"""The version of the reference data (provinces, insurers, lines) for what is cached from it.

Whatever is cached from these rows puts `reference_version()` in its key: every save or
delete of one of them (the admin, the reference-data loader) replaces the version, now and
again after the commit, as pricing/models.py does for the tariff, so the next request reads
the rows again. Bulk `update()`s bypass the signals; the entries' own timeouts bound those.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.cache import cache_version, cache_version_bump

VERSION_KEY = "insurers:reference:version"


def reference_version() -> str:
    """The current version (core.page_cache takes VERSION_KEY itself, in `versions`)."""
    return cache_version(VERSION_KEY)


def _reference_data_changed(**kwargs) -> None:
    # Now, and again after the commit: a request served between the two would otherwise
    # cache the rows of before the change under the new version.
    cache_version_bump(VERSION_KEY)
    transaction.on_commit(lambda: cache_version_bump(VERSION_KEY))


def connect_reference_signals() -> None:
    from insurers.models import InsuranceLine, Insurer, Province

    for model in (Province, Insurer, InsuranceLine):
        uid = f"insurers.reference_version.{model.__name__}"
        post_save.connect(_reference_data_changed, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_reference_data_changed, sender=model, dispatch_uid=f"{uid}.delete")
