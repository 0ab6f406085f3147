"""A NUL character in a query string or a form body is a Persian 400 before any view runs
(issue 13 point 4): PostgreSQL refuses NUL in text, so a view that looked a raw value up answered 500.
Form bodies: tests/security/test_bad_input.py."""

import pytest

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_nul_in_the_query_string_of_a_page_is_a_400_not_a_500(client):
    client.force_login(UserFactory())
    response = client.get("/requests/new/", {"line": "third_party\x00"})
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_in_an_api_query_string_is_a_json_400(client):
    response = client.get("/api/v1/pricing/lines/", {"x\x00": "1"})
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_ordinary_inputs_pass(client):
    client.force_login(UserFactory())
    assert client.get("/requests/new/", {"line": "third_party"}).status_code == 200
    assert client.get("/api/v1/pricing/lines/").status_code == 200
