"""Reads that may be served by the read replica (issue 16 point 4).

With `DATABASE_REPLICA_URL` set, the `replica` alias is a PostgreSQL standby, a little
behind the primary. Code that can live with that says so explicitly:

    with replica():
        counts = dict(queryset)

and `core.db_routers.ReplicaRouter` sends the reads inside the block to the replica, except
when that could show a caller something older than what it just did:

- inside a transaction on `default` (a read there may decide a write: it must see the
  primary, under its locks);
- after the current request (or task) wrote anything through the ORM (read-your-writes:
  a customer who just posted must see the post).

Writes, and everything outside a `replica()` block, go to `default`. Without a replica
alias the block changes nothing.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

_replica_wanted: ContextVar[bool] = ContextVar("replica_wanted", default=False)
_wrote: ContextVar[bool] = ContextVar("wrote", default=False)


@contextmanager
def replica() -> Iterator[None]:
    """Let the reads of this block go to the replica, if there is one and it is safe."""
    token = _replica_wanted.set(True)
    try:
        yield
    finally:
        _replica_wanted.reset(token)


def read_alias() -> str:
    """Where a read made now goes: `replica` or `default`."""
    if not _replica_wanted.get() or _wrote.get() or REPLICA not in connections.settings:
        return DEFAULT_DB_ALIAS
    if connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return DEFAULT_DB_ALIAS
    return REPLICA


def note_write() -> None:
    """The current request or task wrote: its later reads stay on `default`."""
    _wrote.set(True)


def forget_writes(**_signal_kwargs) -> None:
    """A new request (or task) starts with no writes of its own (request_started, task_prerun)."""
    _wrote.set(False)
