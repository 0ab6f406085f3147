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
