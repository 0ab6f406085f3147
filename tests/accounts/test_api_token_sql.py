"""`api_token_with_user` (plain SQL, issue 16 point 2) finds exactly what the ORM lookup it
replaced found: the token and its user, field for field, or nothing."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.authentication import api_token_with_user
from accounts.models import ApiToken
from accounts.services.auth import api_token_hash, api_token_issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {field.name: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_token_and_its_user_are_what_the_orm_loads():
    user = UserFactory(email="a@example.com", city="تهران")
    api_token_issue(user=UserFactory(), ip="10.0.0.1", user_agent="another device")
    token, key = api_token_issue(user=user, ip="192.0.2.7", user_agent="تلفن")
    reference = ApiToken.objects.select_related("user").filter(key_hash=api_token_hash(key)).first()

    with CaptureQueriesContext(connection) as queries:
        found = api_token_with_user(api_token_hash(key))
        found_user = found.user

    assert len(queries.captured_queries) == 1
    assert _fields(found) == _fields(reference)
    assert _fields(found_user) == _fields(reference.user)
    assert found.pk == token.pk and not found._state.adding and not found_user._state.adding


def test_an_unknown_or_revoked_key_finds_nothing():
    token, key = api_token_issue(user=UserFactory(), ip=None, user_agent="t")

    assert api_token_with_user(api_token_hash("not-a-key")) is None
    token.delete()
    assert api_token_with_user(api_token_hash(key)) is None
