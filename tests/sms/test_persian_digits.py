"""Persian digits in every SMS text (issue 14 point 10): amounts, dates, policy, claim and
invoice numbers, days left and the code an agent is read out, with Latin digits only inside
links. Texts are made so in one place (`sms.services.sms_text`) on their way out; these
tests send the texts through the flows that build them and read the captured backend.
The sign-in code is not a text: it is a token for the provider's verify template (API.md,
tests/sms/test_kavenegar_backend.py), kept in ASCII for the phone's code autofill.
"""

import ast
import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from agents.models import Subscription
from agents.services import subscription_expiry_notify
from bimemall.celery import app
from claims.services import claim_file
from core.text import to_persian_digits
from policies.models import CustomerLink
from sms.services import sms_send_after_commit, sms_text
from tests.agents.conftest import client_for as agent_api
from tests.agents.factories import AgentFactory
from tests.agents.test_subscriptions import buy_with_sandbox
from tests.factories import UserFactory
from tests.jobs import helpers as job_helpers
from tests.policies.helpers import client_for, make_agent, record

pytestmark = pytest.mark.django_db


@pytest.fixture
def verified_agent():
    return AgentFactory(verified=True)


_URL = re.compile(r"https?://\S+")


def latin_digits_outside_links(text: str) -> list[str]:
    return re.findall(r"[0-9]+", _URL.sub("", text))


def assert_persian(outbox):
    texts = [sms.text for sms in outbox if sms.code is None]
    assert texts, "no text was sent"
    for text in texts:
        assert latin_digits_outside_links(text) == [], text


def test_sms_text_turns_every_digit_persian_but_keeps_links():
    """issue 14 point 10: numbers read Persian, a link still works."""
    text = "بیمه‌نامه P-000123 تا 1405/08/30؛ 1,200,000 تومان. https://bimemall.ir/r/42?x=7 پایان 3"

    assert sms_text(text) == ("بیمه‌نامه P-۰۰۰۱۲۳ تا ۱۴۰۵/۰۸/۳۰؛ ۱,۲۰۰,۰۰۰ تومان. https://bimemall.ir/r/42?x=7 پایان ۳")


def test_every_queued_text_goes_out_in_persian_digits(sms_outbox, django_capture_on_commit_callbacks):
    """issue 14 point 10: the one queue every service uses converts what it is given."""
    with django_capture_on_commit_callbacks(execute=True):
        sms_send_after_commit(to="09121234567", text="کد نمایندگی 4521، 3 روز مانده")

    assert [sms.text for sms in sms_outbox] == ["کد نمایندگی ۴۵۲۱، ۳ روز مانده"]


def test_the_payment_text_names_invoice_date_and_reference_in_persian(
    verified_agent, sms_outbox, django_capture_on_commit_callbacks
):
    """issue 14 point 10: the agent's payment receipt (invoice number, end date, reference)."""
    with django_capture_on_commit_callbacks(execute=True):
        invoice, _ = buy_with_sandbox(agent_api(verified_agent.user), plan="monthly")

    assert any(to_persian_digits(invoice.number) in sms.text for sms in sms_outbox)
    assert_persian(sms_outbox)


def test_the_subscription_reminder_is_in_persian(verified_agent, sms_outbox, django_capture_on_commit_callbacks):
    """issue 14 point 10: «n روز دیگر» and the Jalali end date."""
    today = timezone.localdate()
    Subscription.objects.create(agent=verified_agent, kind="trial", starts_on=today, ends_on=today + dt.timedelta(3))
    with django_capture_on_commit_callbacks(execute=True):
        subscription_expiry_notify()

    assert_persian(sms_outbox)


def test_the_link_code_is_read_in_persian_and_accepted_as_typed(sms_outbox, django_capture_on_commit_callbacks):
    """issue 14 point 10: the customer-link code travels in Persian digits; the agent may type
    it back in Persian or ASCII digits."""
    agent = make_agent()
    customer = UserFactory()
    api = client_for(agent.user)
    with django_capture_on_commit_callbacks(execute=True):
        link_id = api.post("/api/v1/agent/customer-links/", {"mobile": customer.mobile}, format="json").json()["id"]

    assert_persian(sms_outbox)
    code = re.search(r"[۰-۹]{6}", sms_outbox[-1].text).group()
    answer = api.post(f"/api/v1/agent/customer-links/{link_id}/confirm/", {"code": code}, format="json")
    assert answer.status_code == 200, answer.content
    assert CustomerLink.objects.get(pk=link_id).status == CustomerLink.Status.CONFIRMED


def test_policy_and_claim_texts_are_in_persian(sms_outbox, django_capture_on_commit_callbacks):
    """issue 14 point 10: the customer's «policy recorded» and «claim filed» texts."""
    agent, customer = make_agent(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        policy = record(agent, customer, issued_on=timezone.localdate() - dt.timedelta(days=10))
        claim_file(
            user=customer,
            policy=policy,
            occurred_on=timezone.localdate() - dt.timedelta(days=1),
            description="آتش‌سوزی آشپزخانه",
            estimated_loss=1_000_000,
        )

    assert len([sms for sms in sms_outbox if sms.to == customer.mobile]) >= 2
    assert_persian(sms_outbox)


def test_the_renewal_reminder_is_in_persian(sms_outbox, django_capture_on_commit_callbacks):
    """issue 14 point 10: the renewal reminder (line, number, insurer, last day)."""
    job_helpers.due_renewal()
    sms_outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert app.tasks["policies.tasks.send_renewal_reminders"].apply().successful()

    assert_persian(sms_outbox)


def test_no_text_reaches_a_backend_around_sms_text():
    """issue 14 point 10: outside the sms app, a backend's send_text is only ever given
    `sms_text(...)`; every other text goes through sms_send_after_commit, which applies it."""
    offenders = []
    skipped = {"sms", "tests", "node_modules", "static", "staticfiles", "templates", "docs", "scripts"}
    apps = [d for d in Path(settings.BASE_DIR).iterdir() if d.is_dir() and not d.is_symlink()]
    for app_dir in apps:
        if app_dir.name in skipped or app_dir.name.startswith("."):
            continue
        for path in app_dir.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "send_text"):
                    continue
                text = next((kw.value for kw in node.keywords if kw.arg == "text"), None)
                wrapped = isinstance(text, ast.Call) and getattr(text.func, "id", None) == "sms_text"
                if not wrapped:
                    offenders.append(f"{path}:{node.lineno}")
    assert offenders == []
