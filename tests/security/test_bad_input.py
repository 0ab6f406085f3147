"""Bad JSON never answers 500 (issue 13, point 4): the API's parser (core/parsers.py) refuses
nesting beyond its limit, NUL characters and integers a 64-bit column cannot hold, with a 400
and a Persian message, before any view runs, so nothing is written.

Each case goes through three endpoints: the anonymous quote, a customer's claim and an agent's
endorsement (the last two write rows, and store free JSON in the endorsement's `changes`).
"""

import json
import time

import pytest

from claims.models import Claim
from core.models import AuditLog
from core.parsers import MAX_DEPTH, MAX_INTEGER, MIN_INTEGER
from policies.models import Endorsement
from tests.factories import UserFactory
from tests.policies.helpers import client_for, days, make_agent, record, today

pytestmark = pytest.mark.django_db

QUOTES = "/api/v1/pricing/quotes/"
CLAIMS = "/api/v1/claims/"


@pytest.fixture
def agent(db):
    return make_agent()


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def policy(agent, customer):
    return record(agent, customer, issued_on=today() - days(60))


def nested(depth: int) -> str:
    """A JSON array `depth` levels deep (the outermost array is level 1)."""
    return "[" * depth + "]" * depth


# Each case is a JSON fragment put in one place of a valid body: `value` a field's value,
# `key` a key of a nested object. `{number}` is a JSON literal written as text, so that it
# reaches the parser exactly as an attacker sends it (`fill` puts it where FRAGMENT stands).
CASES = {
    "nesting_1000_deep": ("value", nested(1000)),
    "nesting_just_past_the_limit": ("value", nested(MAX_DEPTH)),
    "nul_in_a_string": ("value", '"a\\u0000b"'),
    "nul_in_a_key": ("key", '"a\\u0000b"'),
    "integer_2_pow_63": ("value", str(MAX_INTEGER + 1)),
    "integer_below_minus_2_pow_63": ("value", str(MIN_INTEGER - 1)),
    "integer_of_5000_digits": ("value", "9" * 5000),
}


def fill(template: str, fragment: str) -> str:
    return template.replace("FRAGMENT", fragment)


def quote_body(where: str, fragment: str) -> str:
    head = '{"line": "third_party", "params": {"vehicle_group": "car_4cyl", '
    if where == "key":
        return head + fill("FRAGMENT: 1}}", fragment)
    return head + fill('"no_claim_years": FRAGMENT}}', fragment)


def claim_body(policy, where: str, fragment: str) -> str:
    fields = {
        "policy": policy.pk,
        "occurred_on": (today() - days(2)).isoformat(),
        "description": "آتش‌سوزی در آشپزخانه",
        "cause": "fire",
    }
    head = json.dumps(fields, ensure_ascii=False)[:-1]
    if where == "key":
        return head + fill(', "estimated_loss": 1000000, "extra": {FRAGMENT: 1}}', fragment)
    return head + fill(', "estimated_loss": FRAGMENT}', fragment)


def endorsement_body(where: str, fragment: str) -> str:
    if where == "key":
        return fill('{"kind": "no_financial_effect", "premium_delta": 0, "changes": {FRAGMENT: "تهران"}}', fragment)
    return fill('{"kind": "no_financial_effect", "premium_delta": 0, "changes": {"address": FRAGMENT}}', fragment)


def post_raw(client, url: str, body: str):
    client.raise_request_exception = False
    return client.post(url, body.encode(), content_type="application/json")


def assert_refused(response):
    assert response.status_code == 400, (response.status_code, response.content[:300])
    detail = response.json()["detail"]
    assert any("\u0600" <= char <= "\u06ff" for char in detail), detail


def written():
    return Claim.objects.count(), Endorsement.objects.count(), AuditLog.objects.count()


@pytest.mark.parametrize("case", CASES)
def test_the_anonymous_quote_refuses_bad_json_with_a_persian_400(api_client, case):
    assert_refused(post_raw(api_client, QUOTES, quote_body(*CASES[case])))


@pytest.mark.parametrize("case", CASES)
def test_a_claim_with_bad_json_is_refused_and_writes_nothing(customer, policy, case):
    before = written()
    assert_refused(post_raw(client_for(customer), CLAIMS, claim_body(policy, *CASES[case])))
    assert written() == before


@pytest.mark.parametrize("case", CASES)
def test_an_endorsement_with_bad_json_is_refused_and_writes_nothing(agent, policy, case):
    before = written()
    url = f"/api/v1/policies/{policy.pk}/endorsements/"
    assert_refused(post_raw(client_for(agent.user), url, endorsement_body(*CASES[case])))
    assert written() == before


# --- what stays accepted -----------------------------------------------------------------


def test_the_normal_bodies_still_work(api_client, agent, customer, policy):
    assert post_raw(api_client, QUOTES, quote_body("value", "2")).status_code == 200
    response = post_raw(client_for(customer), CLAIMS, claim_body(policy, "value", "1000000"))
    assert response.status_code == 201, response.content
    url = f"/api/v1/policies/{policy.pk}/endorsements/"
    response = post_raw(client_for(agent.user), url, endorsement_body("value", '"تهران، خیابان آزادی"'))
    assert response.status_code == 201, response.content


def test_nesting_up_to_the_limit_and_the_64_bit_bounds_pass_the_parser(api_client):
    """At the limit the body reaches the view, which judges the value (400 for the field, not the parser).

    The quote's value sits two levels down (the body, then `params`): MAX_DEPTH - 2 more is the limit.
    """
    for fragment in (nested(MAX_DEPTH - 2), str(MAX_INTEGER), str(MIN_INTEGER)):
        response = post_raw(api_client, QUOTES, quote_body("value", fragment))
        assert response.status_code == 400
        assert "params" in response.json(), response.json()


def test_brackets_backslashes_and_escaped_text_inside_strings_are_not_nesting(api_client):
    text = json.dumps("[" * 100 + '\\"{' * 50 + "\\u0000 as text")
    assert "\\u0000 as text" in json.loads(text)
    response = post_raw(api_client, QUOTES, quote_body("key", text))
    assert response.status_code == 400
    assert "params" in response.json(), response.json()


def test_malformed_json_is_a_persian_400(api_client):
    assert_refused(post_raw(api_client, QUOTES, '{"line": "third_party",'))
    assert_refused(post_raw(api_client, QUOTES, '{"line": NaN}'))


def test_multipart_and_form_bodies_still_reach_their_parsers(customer, policy):
    client = client_for(customer)
    response = client.post(
        CLAIMS,
        {
            "policy": policy.pk,
            "occurred_on": (today() - days(2)).isoformat(),
            "description": "آتش‌سوزی",
            "estimated_loss": 1000,
            "cause": "fire",
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content


# --- the HTML side -------------------------------------------------------------------------


def test_a_form_post_with_a_nul_character_is_refused_and_writes_nothing(customer):
    """core.middleware.RefuseNulMiddleware answers 400 before the view (the form would refuse it too)."""
    from django.test import Client

    from accounts.models import SupportTicket

    client = Client(raise_request_exception=False)
    client.force_login(customer)
    response = client.post("/accounts/tickets/", {"category": "support", "subject": "a\x00b", "body": "x\x00y"})
    assert response.status_code == 400
    assert not SupportTicket.objects.exists()


def test_a_body_of_escaped_quotes_is_read_in_linear_time(api_client):
    """The depth check skips strings with a pattern that reads the body once, even unterminated."""
    started = time.monotonic()
    for body in ('"' + '\\"' * 100_000, '{"a": "' + "a\\" * 100_000, '["' + '\\"' * 100_000 + '"]'):
        # Two unterminated (the parser's 400), one a valid list (the view's 400: not an object).
        assert post_raw(api_client, QUOTES, body).status_code == 400
    assert time.monotonic() - started < 5
