import pytest

from tests.factories import UserFactory
from tests.policies.helpers import client_for, make_agent


@pytest.fixture
def agent(db):
    return make_agent()


@pytest.fixture
def agent_api(agent):
    return client_for(agent.user)


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def customer_api(customer):
    return client_for(customer)
