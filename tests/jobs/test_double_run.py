"""Every periodic task of API.md (and of the beat schedule), run twice by name: the second
run sends no SMS and writes no row or file.

Runs through `app.tasks[name].apply()` (the worker's path: lookup by name, then run),
with on-commit callbacks executed so the SMS really reach the outbox.
"""

import datetime as dt
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings

from bimemall.celery import app
from core.schedule import SCHEDULE
from tests.jobs import helpers

pytestmark = pytest.mark.django_db

API_TASKS = {
    "policies.tasks.send_renewal_reminders",
    "policies.tasks.export_month_to_saman",
    "agents.tasks.notify_expiring_subscriptions",
    "insurance_requests.tasks.expire_stale_requests",
}


def _setup_declarations():
    helpers.floating_policy()


def _freeze_declaration_day(monkeypatch):
    # The 8th of the current solar month: two days before the deadline.
    from declarations import services

    real = services.declaration_reminders_send
    monkeypatch.setattr(
        services, "declaration_reminders_send", lambda today=None: real(today=helpers.day_of_this_solar_month(8))
    )
    import declarations.tasks

    monkeypatch.setattr(declarations.tasks, "declaration_reminders_send", services.declaration_reminders_send)


SETUPS = {
    "policies.tasks.send_renewal_reminders": lambda mp: helpers.due_renewal(),
    "policies.tasks.export_month_to_saman": lambda mp: helpers.policy_issued_last_month(),
    "agents.tasks.notify_expiring_subscriptions": lambda mp: helpers.expiring_subscription(),
    "insurance_requests.tasks.expire_stale_requests": lambda mp: helpers.stale_request(),
    "insurance_requests.tasks.remind_unanswered_leads": lambda mp: helpers.unanswered_delivery(),
    "declarations.tasks.send_declaration_reminders": lambda mp: (_setup_declarations(), _freeze_declaration_day(mp)),
    "agents.tasks.reconcile_pending_payments": lambda mp: helpers.unconfirmed_payment(),
    "accounts.tasks.delete_expired_api_tokens": lambda mp: helpers.expired_api_token(),
}
# What each task must have done on its first run (so "nothing the second time" means something).
FIRST_RUN_SMS = {
    "policies.tasks.send_renewal_reminders": 1,
    "policies.tasks.export_month_to_saman": 0,
    "agents.tasks.notify_expiring_subscriptions": 1,
    "insurance_requests.tasks.expire_stale_requests": 0,
    "insurance_requests.tasks.remind_unanswered_leads": 1,
    "declarations.tasks.send_declaration_reminders": 1,
    "agents.tasks.reconcile_pending_payments": 1,  # "paid, active until …"
    "accounts.tasks.delete_expired_api_tokens": 0,
}


def _row_counts() -> dict[str, int]:
    """Rows of every project model (the audit log and notifications included)."""
    local = ("accounts", "agents", "core", "insurance_requests", "policies", "claims", "saman", "declarations")
    return {
        model._meta.label: model.objects.count()
        for model in django_apps.get_models()
        if model._meta.app_label in local and not model._meta.proxy
    }


def _files() -> dict[str, bytes]:
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _state():
    # Counts catch inserted claim rows; the two columns catch the jobs that claim by a
    # conditional UPDATE instead (request expiry, lead reminders).
    from insurance_requests.models import Delivery, InsuranceRequest

    return (
        _row_counts(),
        _files(),
        list(InsuranceRequest.objects.values_list("pk", "status").order_by("pk")),
        list(Delivery.objects.values_list("pk", "reminded_at").order_by("pk")),
    )


def test_every_api_task_and_every_scheduled_task_is_covered_here():
    scheduled = {job.task for job in SCHEDULE}
    assert API_TASKS <= scheduled
    assert "declarations.tasks.send_declaration_reminders" in scheduled
    assert set(SETUPS) == scheduled


@pytest.mark.parametrize("name", sorted(SETUPS))
def test_task_registered_by_name(name):
    app.loader.import_default_modules()
    assert name in app.tasks


@pytest.mark.parametrize("name", sorted(SETUPS))
def test_running_twice_sends_and_writes_nothing_the_second_time(
    name, monkeypatch, sms_outbox, django_capture_on_commit_callbacks
):
    # given one thing to do
    SETUPS[name](monkeypatch)
    sms_outbox.clear()
    before = _state()

    # when the task runs (by name), then again
    task = app.tasks[name]
    with django_capture_on_commit_callbacks(execute=True):
        first = task.apply()
    assert first.successful(), first.traceback
    after_first = _state()
    sent_first = len(sms_outbox)
    with django_capture_on_commit_callbacks(execute=True):
        second = task.apply()
    assert second.successful(), second.traceback

    # then the first run did the work and the second nothing
    assert sent_first == FIRST_RUN_SMS[name]
    assert after_first != before, "the first run did nothing: the set-up is wrong"
    assert len(sms_outbox) == sent_first
    assert _state() == after_first


def test_export_twice_at_once_is_one_row_and_one_file(django_capture_on_commit_callbacks):
    """Two beats at once: the second finds the month claimed (RUNNING) and writes nothing."""
    from django.utils import timezone

    from saman.models import SamanExport
    from saman.selectors import saman_last_closed_month

    year, month = saman_last_closed_month()
    # The first run has claimed the month and is still writing.
    SamanExport.objects.create(year=year, month=month, claimed_at=timezone.now() - dt.timedelta(seconds=30))
    app.tasks["policies.tasks.export_month_to_saman"].apply(kwargs={"year": year, "month": month})
    export = SamanExport.objects.get()
    assert export.status == SamanExport.Status.RUNNING
    assert _files() == {}
