"""Redis (the Celery broker) down when work is dispatched after commit.

The web request still succeeds; a sign-in code whose delivery could not be queued is
marked failed with a Persian message and can be asked for again at once; a posted
request is kept (its agents' SMS is lost, the leads are in their inbox all the same).
Two ways down: `.delay` raising as kombu does, and a real publish to a dead port.
"""

import re
import socket
from contextlib import contextmanager

import pytest
from celery import current_app
from celery.app.task import Task
from kombu.exceptions import OperationalError
from rest_framework.test import APIClient

from accounts.models import OneTimeCode
from insurance_requests.models import Delivery, InsuranceRequest
from tests.factories import UserFactory, _national_code
from tests.insurance_requests.factories import active_agent, request_payload

MOBILE = "09125550002"
REGISTRATION = {"mobile": MOBILE, "first_name": "بهار", "last_name": "نوری", "national_code": _national_code(8080)}


def _dead_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # closed again when the block ends: nobody listens


@contextmanager
def broker_down(monkeypatch, how):
    with monkeypatch.context() as patch:
        if how == "delay raises":

            def refuse(self, *args, **kwargs):
                raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

            patch.setattr(Task, "apply_async", refuse)
            yield
            return
        # A real publish to a port nobody listens on, through Celery's own producer and retries.
        dead = current_app.connection_for_write(f"redis://127.0.0.1:{_dead_port()}/0")
        original = Task.apply_async

        def via_dead_broker(self, args=None, kwargs=None, **options):
            options["connection"] = dead
            return original(self, args, kwargs, **options)

        patch.setattr(Task, "apply_async", via_dead_broker)
        eager = current_app.conf.task_always_eager
        current_app.conf.task_always_eager = False
        try:
            yield
        finally:
            current_app.conf.task_always_eager = eager
            dead.release()


HOW = ["delay raises", "dead port"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", HOW)
def test_a_code_that_cannot_be_queued_is_failed_in_persian_and_can_be_asked_again(monkeypatch, how, sms_outbox):
    client = APIClient()
    with broker_down(monkeypatch, how):
        first = client.post("/api/v1/auth/register/", REGISTRATION, format="json")
    assert first.status_code == 201, first.content
    status = client.get(f"/api/v1/auth/otp/{first.json()['request_id']}/").json()
    assert status["delivery"] == "failed"
    assert re.search("[\u0600-\u06ff]", status["detail"]), status
    assert sms_outbox == []

    # Redis is back: a new code at once (the 60-second spacing was released), and it works.
    again = client.post("/api/v1/auth/register/", REGISTRATION, format="json")
    assert again.status_code == 201, again.content
    assert client.get(f"/api/v1/auth/otp/{again.json()['request_id']}/").json()["delivery"] == "sent"
    verified = client.post("/api/v1/auth/verify/", {"mobile": MOBILE, "code": sms_outbox[-1].code}, format="json")
    assert verified.status_code == 200, verified.content
    assert OneTimeCode.objects.filter(mobile=MOBILE).count() == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("how", HOW)
def test_a_request_posted_while_the_broker_is_down_is_kept_once(monkeypatch, how, sms_outbox):
    agent = active_agent()
    customer = APIClient()
    customer.force_authenticate(UserFactory())
    with broker_down(monkeypatch, how):
        posted = customer.post("/api/v1/requests/", request_payload(), format="json")
    assert posted.status_code == 201, posted.content
    assert InsuranceRequest.objects.count() == 1
    # The lead reached the agent's inbox even though its SMS could not be queued.
    assert Delivery.objects.filter(agent=agent).count() == 1
    assert sms_outbox == []
    lead_reader = APIClient()
    lead_reader.force_authenticate(agent.user)
    assert lead_reader.get("/api/v1/agent/leads/").json()["count"] == 1
