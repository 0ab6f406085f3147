"""No national code, mobile or sign-in code in any log line during the API journey:
register → verify → post a request → an agent reads and answers it → the customer reads it.

Two nets: every record that reaches the root logger at DEBUG (caplog, before any filter
of ours), and what the project's own root handler writes (after its redaction filter).
"""

import io
import logging
import re

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_issue
from tests.factories import _national_code
from tests.insurance_requests.factories import active_agent, offer_payload, request_payload

MOBILE = "09127654321"
NATIONAL_CODE = _national_code(424242)


def _variants(mobile):
    rest = mobile[1:]
    return {mobile, "+98" + rest, "0098" + rest, "98" + rest, rest}


def _leaks(text, needles):
    return sorted(needle for needle in needles if re.search(rf"(?<!\d){re.escape(needle)}(?!\d)", text))


def _describe(record):
    return f"{record.name} {record.getMessage()} {record.exc_text or ''} {record.args!r}"


@pytest.fixture
def root_output():
    """The project's root handler (LOGGING['handlers']['console']), writing into a buffer."""
    root = logging.getLogger()
    handlers = [h for h in root.handlers if isinstance(h, logging.StreamHandler) and h.filters]
    assert handlers, "the root logger has no filtered stream handler (LOGGING changed?)"
    buffer = io.StringIO()
    previous = [h.setStream(buffer) for h in handlers]
    old_level = root.level
    root.setLevel(logging.DEBUG)
    yield buffer
    root.setLevel(old_level)
    for handler, stream in zip(handlers, previous, strict=True):
        handler.setStream(stream)


@pytest.mark.django_db(transaction=True)
def test_the_api_journey_logs_no_mobile_national_code_or_code(caplog, root_output, sms_outbox):
    caplog.set_level(logging.DEBUG)
    anonymous = APIClient()

    registered = anonymous.post(
        "/api/v1/auth/register/",
        {"mobile": "+98" + MOBILE[1:], "first_name": "مینا", "last_name": "کاظمی", "national_code": NATIONAL_CODE},
        format="json",
    )
    assert registered.status_code == 201, registered.content
    code = sms_outbox[-1].code
    assert code and len(code) == 6, sms_outbox
    # A wrong code first: failures are a favourite place to log what was typed.
    wrong = "000000" if code != "000000" else "111111"
    assert anonymous.post("/api/v1/auth/verify/", {"mobile": MOBILE, "code": wrong}, format="json").status_code == 400
    verified = anonymous.post("/api/v1/auth/verify/", {"mobile": MOBILE, "code": code}, format="json")
    assert verified.status_code == 200, verified.content
    customer = APIClient()
    customer.credentials(HTTP_AUTHORIZATION=f"Token {verified.json()['token']}")

    agent = active_agent()
    _token, key = api_token_issue(user=agent.user, ip=None, user_agent="log-test")
    agent_client = APIClient()
    agent_client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    posted = customer.post("/api/v1/requests/", request_payload(), format="json")
    assert posted.status_code == 201, posted.content
    request_id = posted.json()["id"]
    assert agent_client.get("/api/v1/agent/leads/").status_code == 200
    answered = agent_client.post(
        f"/api/v1/agent/leads/{request_id}/respond/", offer_payload(message="سلام"), format="json"
    )
    assert answered.status_code == 201, answered.content
    detail = customer.get(f"/api/v1/requests/{request_id}/").json()
    accepted = customer.post(
        f"/api/v1/requests/{request_id}/responses/{detail['responses'][0]['id']}/accept/", format="json"
    )
    assert accepted.status_code == 200, accepted.content
    # The agent now sees the customer's mobile in the lead: the answer may, the log may not.
    assert agent_client.get(f"/api/v1/agent/leads/{request_id}/").json()["customer"]["mobile"] == MOBILE
    # Bad input carrying the identifiers, too.
    anonymous.post("/api/v1/auth/otp/", {"mobile": MOBILE + "9"}, format="json")
    anonymous.post("/api/v1/auth/register/", {"mobile": MOBILE, "national_code": NATIONAL_CODE}, format="json")

    needles = _variants(MOBILE) | _variants(agent.user.mobile) | {NATIONAL_CODE, agent.user.national_code, code}
    assert caplog.records, "nothing was logged: the capture is not wired"
    leaking = [_describe(record) for record in caplog.records if _leaks(_describe(record), needles)]
    assert not leaking, leaking
    written = root_output.getvalue()
    assert written, "the root handler wrote nothing: the capture is not wired"
    assert not _leaks(written, needles), written
