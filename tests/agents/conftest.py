import pytest
from rest_framework.test import APIClient

from tests.agents.factories import AgentFactory


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def verified_agent(db):
    return AgentFactory(verified=True)


@pytest.fixture
def agent_client(verified_agent):
    return client_for(verified_agent.user)


@pytest.fixture
def reference_data(transactional_db):
    """Reload the data migrations' rows after an earlier transactional test flushed them.

    Cheaper and sturdier than `serialized_rollback` (which serialises every table at
    setup, and under Playwright's sync API silently skips the restore because the test
    body runs in a greenlet with its own connection). Both loaders are idempotent.
    """
    import importlib

    from django.apps import apps

    from insurers.models import InsuranceLine, Insurer, Province
    from insurers.reference import sync_reference_data

    sync_reference_data(Insurer, InsuranceLine, Province)
    importlib.import_module("agents.migrations.0002_reference_data").load(apps, None)
