"""The beat schedule: installed by the migration, re-installed by the command without duplicates."""

import json

import pytest
from django.core.management import call_command
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from bimemall.celery import app, countdown_checked, retry_bounded
from core.schedule import SCHEDULE, schedule_install

pytestmark = pytest.mark.django_db


def test_migration_installed_one_row_per_job_with_a_tehran_crontab():
    for job in SCHEDULE:
        task = PeriodicTask.objects.get(name=job.name)
        assert task.task == job.task
        assert str(task.crontab.timezone) == "Asia/Tehran"
        assert (task.crontab.minute, task.crontab.hour) == (job.crontab.minute, job.crontab.hour)


def test_the_agents_row_is_reused_not_duplicated():
    rows = PeriodicTask.objects.filter(task="agents.tasks.notify_expiring_subscriptions")
    assert rows.count() == 1
    assert rows.get().name == "agents: subscription expiry notices"
    assert PeriodicTask.objects.filter(task="policies.tasks.send_renewal_reminders").count() == 1


def test_command_twice_changes_nothing_the_second_time(capsys):
    call_command("install_beat_schedule")
    rows = PeriodicTask.objects.count()
    crontabs = CrontabSchedule.objects.count()
    call_command("install_beat_schedule")
    assert "0 created, 0 updated" in capsys.readouterr().out
    assert PeriodicTask.objects.count() == rows
    assert CrontabSchedule.objects.count() == crontabs


def test_command_restores_a_changed_task_but_keeps_a_paused_job_paused():
    job = SCHEDULE[1]
    PeriodicTask.objects.filter(name=job.name).update(task="wrong.name", enabled=False, kwargs='{"x": 1}')
    assert schedule_install() == {"created": 0, "updated": 1}
    task = PeriodicTask.objects.get(name=job.name)
    assert task.task == job.task
    assert json.loads(task.kwargs) == {}
    assert task.enabled is False


def test_command_recreates_a_deleted_row():
    PeriodicTask.objects.filter(name=SCHEDULE[2].name).delete()
    assert schedule_install() == {"created": 1, "updated": 0}
    assert PeriodicTask.objects.filter(name=SCHEDULE[2].name).count() == 1


def test_every_scheduled_task_is_registered():
    app.loader.import_default_modules()
    assert {job.task for job in SCHEDULE} <= set(app.tasks)


def test_celery_is_json_only_with_time_limits_below_the_visibility_timeout(settings):
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_time_limit < settings.CELERY_VISIBILITY_TIMEOUT_SECONDS
    assert app.conf.task_soft_time_limit < app.conf.task_time_limit
    export = app.tasks["policies.tasks.export_month_to_saman"]
    assert export.time_limit < settings.CELERY_VISIBILITY_TIMEOUT_SECONDS


def test_a_countdown_at_or_past_the_visibility_timeout_is_refused(settings):
    settings.CELERY_VISIBILITY_TIMEOUT_SECONDS = 3600
    assert countdown_checked(600) == 600
    with pytest.raises(ValueError):
        countdown_checked(3600)
    with pytest.raises(ValueError):
        countdown_checked(-1)


def test_retries_are_bounded(monkeypatch):
    """A task whose database is down retries len(backoff) times, then gives up."""
    from django.db import OperationalError

    calls = []

    def down(**kwargs):
        calls.append(1)
        raise OperationalError("database is down")

    monkeypatch.setattr("declarations.tasks.declaration_reminders_send", down)
    result = app.tasks["declarations.tasks.send_declaration_reminders"].apply()
    assert result.failed()
    assert len(calls) == 4  # the first run and three retries


def test_retry_bounded_returns_the_error_when_retries_are_spent():
    class FakeRequest:
        retries = 3

    class FakeTask:
        request = FakeRequest()
        max_retries = 3

    error = RuntimeError("x")
    assert retry_bounded(FakeTask(), error) is error
