import pytest
from rest_framework.test import APIClient

from tests.factories import UserFactory
from tests.insurance_requests.factories import request_payload


@pytest.fixture
def customer(db):
    return UserFactory(first_name="سارا", last_name="محمدی")


@pytest.fixture
def customer_client(customer):
    client = APIClient()
    client.force_authenticate(customer)
    return client


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def post_request(customer_client, django_capture_on_commit_callbacks):
    def post(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return customer_client.post("/api/v1/requests/", request_payload(**overrides), format="json")

    return post
