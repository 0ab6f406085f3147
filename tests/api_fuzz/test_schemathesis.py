"""Schemathesis over the OpenAPI schema, in-process through the WSGI app.

Every operation of `/api/v1/schema/` is called with generated input as an anonymous
caller and as each role (customer, active agent, staff; `Authorization: Token …`), and
every answer must be a non-5xx that conforms to the schema where the schema documents
its status: the status is one the schema declares for the operation, the content type the
one it declares, and the body matches its schema (issue 13 point 9; the error answers are
declared in one place, core/schema.py). The number of examples per operation is bounded (SCHEMATHESIS_EXAMPLES,
default 10) so that the four runs stay well under three minutes (about 40 s here).
"""

import os
from collections import Counter

import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from accounts.services import api_token_issue
from tests.security.conftest import world  # noqa: F401 (the fixture)

schemathesis = pytest.importorskip("schemathesis")
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40, len(operations)
    return operations


def _run(operation, headers, failures, statuses):
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def run(data):
        case = data.draw(operation.as_strategy())
        response = case.call(headers=headers)
        statuses[response.status_code // 100] += 1
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        # Schemathesis reports failed checks as a FailureGroup, a BaseExceptionGroup: catch it
        # too, or a conformance failure would only show as too few calls.
        except (Exception, BaseExceptionGroup) as exc:
            failures.append(f"{operation.label} → {response.status_code}: {str(exc)[:600]}")
            raise

    try:
        run()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: S110 (recorded above; the other operations still run)
        pass


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["anonymous", "customer", "agent", "staff"])
def test_every_operation_answers_without_server_error_and_as_documented(world, role):  # noqa: F811
    users = {"customer": world["customer"], "agent": world["agent"].user, "staff": world["staff"]}
    headers = {}
    if role in users:
        _token, key = api_token_issue(user=users[role], ip=None, user_agent="schemathesis")
        headers["Authorization"] = f"Token {key}"
    app = get_wsgi_application()
    failures = []
    statuses = Counter()
    # Like Django's test client: the WSGI handler must not close the test's connection
    # (inside its transaction) when a request ends.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        operations = _operations(app)
        for operation in operations:
            _run(operation, headers, failures, statuses)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert statuses[5] == 0, (statuses, failures)
    assert not failures, "\n\n".join(dict.fromkeys(failures))
    # The run really exercised the API: several calls per operation, and some succeeded.
    assert sum(statuses.values()) >= 3 * len(operations), statuses
    assert statuses[2] >= (3 if role == "anonymous" else 15), statuses
