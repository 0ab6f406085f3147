"""The read replica of DATABASE_REPLICA_URL (issue 16 point 4): reads go there only when the
code asks (core.db.replica), never inside a transaction, never after the request wrote;
writes and migrations always go to default."""

import pytest
from django.core.signals import request_started
from django.db import close_old_connections, connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from core.db import REPLICA, forget_writes, read_alias, replica
from core.db_routers import ReplicaRouter
from insurers.models import Province


@pytest.fixture
def replica_alias(settings):
    """A `replica` alias on the default database (the test database on PostgreSQL), and the router.

    Its connection is named otherwise: Django's test case refuses a connection to a configured
    alias the test did not declare, and pytest-django declares them before this fixture runs.
    """
    settings_dict = {**connections["default"].settings_dict}
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias="replica (test)")
    setattr(connections._connections, REPLICA, wrapper)
    connections.settings[REPLICA] = settings_dict
    settings.DATABASE_ROUTERS = ["core.db_routers.ReplicaRouter"]
    forget_writes()
    yield REPLICA
    wrapper.close()
    delattr(connections._connections, REPLICA)
    del connections.settings[REPLICA]
    forget_writes()


def test_reads_go_to_default_unless_the_code_asks_for_the_replica(replica_alias):
    assert read_alias() == "default"
    with replica():
        assert read_alias() == "replica"
    assert read_alias() == "default"


def test_without_a_replica_alias_asking_changes_nothing():
    with replica():
        assert read_alias() == "default"


def test_a_read_inside_a_transaction_stays_on_default(replica_alias, monkeypatch):
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with replica():
        assert read_alias() == "default"


def test_after_a_write_the_request_reads_its_own_writes_until_the_next_request(replica_alias):
    router = ReplicaRouter()
    assert router.db_for_write(Province) == "default"
    with replica():
        assert read_alias() == "default"
        # As Django's test client does: the next request, without close_old_connections.
        request_started.disconnect(close_old_connections)
        try:
            request_started.send(sender=None)
        finally:
            request_started.connect(close_old_connections)
        assert read_alias() == "replica"


def test_migrations_run_on_default_only():
    router = ReplicaRouter()
    assert router.allow_migrate("default", "insurers") is True
    assert router.allow_migrate("replica", "insurers") is False


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_the_teaser_counts_are_read_on_the_replica_connection(replica_alias):
    from insurance_requests.selectors import open_request_counts_by_line

    with (
        CaptureQueriesContext(connections[REPLICA]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_default,
    ):
        open_request_counts_by_line(insurer_id=1, provinces=list(Province.objects.values_list("pk", flat=True)[:3]))
    assert len(on_replica) == 1 and "insurance_requests_insurancerequest" in on_replica[0]["sql"]
    assert [query["sql"] for query in on_default] == [
        query["sql"] for query in on_default if "insurers_province" in query["sql"]
    ]  # only the provinces, read outside replica()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_request_that_wrote_reads_the_teaser_on_default(replica_alias):
    from insurance_requests.selectors import open_request_counts_by_line

    Province.objects.create(code="test-replica", name="آزمون")
    with CaptureQueriesContext(connections[REPLICA]) as on_replica:
        open_request_counts_by_line(insurer_id=1, provinces=[])
    assert len(on_replica) == 0
