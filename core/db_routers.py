"""The database router of `DATABASE_REPLICA_URL` (issue 16 point 4): see core.db."""

from django.db import DEFAULT_DB_ALIAS

from core.db import note_write, read_alias


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        note_write()
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the same rows as the primary

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # the standby replays the primary's schema
