import io

from django.core.management import call_command

from core.schedule import SCHEDULE


def test_every_scheduled_job_is_queued_once_by_name(monkeypatch):
    from bimemall.celery import app

    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, **kwargs: sent.append(name))
    call_command("run_scheduled_jobs", stdout=io.StringIO())
    assert sent == [job.task for job in SCHEDULE]
    assert set(sent) >= {
        "policies.tasks.send_renewal_reminders",
        "policies.tasks.export_month_to_saman",
        "agents.tasks.notify_expiring_subscriptions",
        "insurance_requests.tasks.expire_stale_requests",
    }
