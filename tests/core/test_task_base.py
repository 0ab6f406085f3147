"""The one task base (issue 15 point 4): explicit names, bounded retries below the
visibility timeout, and `delay_on_commit` that neither enqueues on rollback nor lets a
broker failure reach the request."""

import logging

import pytest
from celery.app.task import Task
from django.db import transaction
from kombu.exceptions import OperationalError

from bimemall.celery import AppTask, app, visibility_timeout_seconds
from sms.exceptions import SmsTransientError

# API.md "Celery tasks (by name)": the public names, exactly.
API_TASK_NAMES = {
    "policies.tasks.send_renewal_reminders",
    "policies.tasks.export_month_to_saman",
    "agents.tasks.notify_expiring_subscriptions",
    "insurance_requests.tasks.expire_stale_requests",
}
# The internal ones: queued messages and beat rows carry these names, so they stay too.
INTERNAL_TASK_NAMES = {
    "accounts.tasks.deliver_one_time_code",
    "accounts.tasks.delete_expired_api_tokens",
    "agents.tasks.reconcile_pending_payments",
    "declarations.tasks.send_declaration_reminders",
    "insurance_requests.tasks.notify_new_lead",
    "insurance_requests.tasks.remind_unanswered_leads",
    "policies.tasks.deliver_customer_link_code",
    "sms.tasks.send_text",
}


@pytest.fixture
def logged(caplog):
    """The records of the project's loggers (they do not propagate to the root in settings)."""
    loggers = [logging.getLogger(name) for name in ("bimemall.celery", "sms.tasks")]
    for each in loggers:
        each.addHandler(caplog.handler)
    yield caplog
    for each in loggers:
        each.removeHandler(caplog.handler)


def _project_tasks():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_is_declared_with_the_base_under_its_public_name():
    """issue 15 point 4: every task goes through app_task (which requires a name), and the
    names are API.md's and the internal ones, exactly."""
    tasks = _project_tasks()

    assert set(tasks) == API_TASK_NAMES | INTERNAL_TASK_NAMES
    assert [name for name, task in tasks.items() if not isinstance(task, AppTask)] == []


def test_every_retry_is_bounded_and_due_before_the_visibility_timeout():
    """issue 15 point 4: a retry due after the visibility timeout would run the task twice."""
    limit = visibility_timeout_seconds()
    for name, task in _project_tasks().items():
        assert task.max_retries == len(task.retry_delays), name
        assert all(0 <= delay < limit for delay in task.retry_delays), name


def test_a_transient_sms_failure_is_tried_once_per_delay_then_dropped(monkeypatch, logged):
    """issue 15 point 4: sms.tasks.send_text retries through the base, len(delays) times."""
    tries = []

    class Flaky:
        def send_text(self, *, to, text):
            tries.append(to)
            raise SmsTransientError("provider busy", status=409)

    monkeypatch.setattr("sms.tasks.get_backend", Flaky)
    task = _project_tasks()["sms.tasks.send_text"]

    assert task.apply(args=["09121234567", "سلام"]).successful()

    assert len(tries) == 1 + len(task.retry_delays)
    assert "SMS dropped" in logged.text


def _refuse(self, *args, **kwargs):
    raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.mark.django_db
def test_a_broker_failure_on_dispatch_is_logged_without_the_arguments_and_not_raised(
    monkeypatch, logged, django_capture_on_commit_callbacks
):
    """issue 15 point 4: the request that committed is not failed by the broker; the log
    names the task but never the number or the text (a text may carry a code)."""
    monkeypatch.setattr(Task, "apply_async", _refuse)
    task = _project_tasks()["sms.tasks.send_text"]

    with django_capture_on_commit_callbacks(execute=True):
        task.delay_on_commit("09121234567", "کد شما ۴۸۲۹۱۷ است")

    assert "Could not queue the task sms.tasks.send_text" in logged.text
    assert "09121234567" not in logged.text
    assert "۴۸۲۹۱۷" not in logged.text


@pytest.mark.django_db
def test_a_broker_failure_on_dispatch_is_handed_to_the_task_s_recorder(monkeypatch, django_capture_on_commit_callbacks):
    """issue 15 point 4: on_enqueue_failure gets the task's arguments (the OTP path marks its code failed)."""
    recorded = []
    task = _project_tasks()["sms.tasks.send_text"]
    monkeypatch.setattr(Task, "apply_async", _refuse)
    monkeypatch.setattr(type(task), "on_enqueue_failure", staticmethod(lambda *args: recorded.append(args)))

    with django_capture_on_commit_callbacks(execute=True):
        task.delay_on_commit("09121234567", "سلام")

    assert recorded == [("09121234567", "سلام")]


@pytest.mark.django_db(transaction=True)
def test_delay_on_commit_enqueues_after_commit_and_not_on_rollback(monkeypatch):
    """issue 15 point 4: nothing is queued for work that was rolled back."""
    queued = []
    monkeypatch.setattr(Task, "apply_async", lambda self, args=None, kwargs=None, **options: queued.append(args))
    task = _project_tasks()["sms.tasks.send_text"]

    with pytest.raises(RuntimeError), transaction.atomic():
        task.delay_on_commit("09121234567", "rolled back")
        raise RuntimeError("the service refused")
    assert queued == []

    with transaction.atomic():
        task.delay_on_commit("09121234567", "committed")
        assert queued == []
    assert queued == [("09121234567", "committed")]
