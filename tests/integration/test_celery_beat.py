"""Real Redis, a real worker and a real beat, all started by this test, on the test database.

1. A task sent by its public name through the broker (`policies.tasks.export_month_to_saman`)
   runs in the worker: the month's export row and file appear.
2. Beat (django_celery_beat's DatabaseScheduler) sees a PeriodicTask due every second and
   sends `insurance_requests.tasks.expire_stale_requests`; the worker runs it and the stale
   request is expired in the database.

Own Redis DB (14) and own queue name, so nothing else consumes these messages; beat routes
the periodic task to that queue through the PeriodicTask's `queue` field.
"""

import datetime as dt
import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tests.integration.test_celery_worker import _stop, _tail, database_url_for, redis_url_with_db

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

REDIS_DB = 14
DEADLINE_SECONDS = 40


def _start(args: list[str], env: dict, log_path: Path) -> subprocess.Popen:
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "bimemall", *args],
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _wait_for(check, processes: dict[str, tuple[subprocess.Popen, Path]], what: str) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        if check():
            return
        for name, (proc, log) in processes.items():
            if proc.poll() is not None:
                pytest.fail(f"the {name} exited with code {proc.returncode}:\n{_tail(log)}")
        time.sleep(0.25)
    logs = "\n".join(f"--- {name}:\n{_tail(log)}" for name, (_proc, log) in processes.items())
    pytest.fail(f"after {DEADLINE_SECONDS}s {what}\n{logs}")


def test_worker_runs_a_task_by_name_and_beat_triggers_a_due_task(transactional_db, redis_url, tmp_path):
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from insurance_requests.models import InsuranceRequest
    from saman.models import SamanExport
    from tests.jobs.helpers import stale_request

    broker_url = redis_url_with_db(redis_url, REDIS_DB)
    queue = f"itest-beat-{secrets.token_hex(4)}"
    private = tmp_path / "private"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bimemall.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "REDIS_URL": broker_url,
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "PRIVATE_MEDIA_ROOT": str(private),
        "SMS_BACKEND": "locmem",
        "PYTHONUNBUFFERED": "1",
    }

    # given: a stale open request, and a beat row due every second on our queue only
    request = stale_request()
    every_second, _ = IntervalSchedule.objects.get_or_create(every=1, period=IntervalSchedule.SECONDS)
    # Only our row is enabled: the real schedule's rows must not fire into other queues.
    PeriodicTask.objects.update(enabled=False)
    PeriodicTask.objects.create(
        name=f"itest: expire stale requests {queue}",
        task="insurance_requests.tasks.expire_stale_requests",
        interval=every_second,
        queue=queue,
    )

    worker_log, beat_log = tmp_path / "worker.log", tmp_path / "beat.log"
    worker = _start(
        [
            "worker",
            "--pool=solo",
            "-l",
            "info",
            "-Q",
            queue,
            "-n",
            f"{queue}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ],
        env,
        worker_log,
    )
    beat = _start(
        [
            "beat",
            "-l",
            "info",
            "-S",
            "django_celery_beat.schedulers:DatabaseScheduler",
            "--max-interval",
            "1",
            "--pidfile",
            str(tmp_path / "beat.pid"),
        ],
        env,
        beat_log,
    )
    processes = {"worker": (worker, worker_log), "beat": (beat, beat_log)}
    producer = Celery("bimemall-itest-beat", broker=broker_url, set_as_current=False)
    producer.conf.update(task_serializer="json", accept_content=["json"], task_always_eager=False)
    try:
        # when: the export of a closed month is sent by name
        producer.send_task("policies.tasks.export_month_to_saman", kwargs={"year": 1403, "month": 12}, queue=queue)

        # then: the worker wrote the month's row and file
        _wait_for(
            lambda: SamanExport.objects.filter(year=1403, month=12, status="done").exists(),
            processes,
            "the Saman export of 1403/12 is not done",
        )
        # and beat sent the due task, which the worker ran
        _wait_for(
            lambda: InsuranceRequest.objects.get(pk=request.pk).status == InsuranceRequest.Status.EXPIRED,
            processes,
            "the stale request is still open (beat did not trigger expire_stale_requests)",
        )
    finally:
        _stop(beat)
        _stop(worker)
        producer.close()

    export = SamanExport.objects.get(year=1403, month=12)
    assert (private / export.file_name).read_bytes().startswith(b"H|BIMEHMALL-SAMAN|1|1403|12|")
    assert "Sending due task itest: expire stale requests" in beat_log.read_text(errors="replace")
    worker_text = worker_log.read_text(errors="replace")
    assert "Task policies.tasks.export_month_to_saman" in worker_text
    assert "Task insurance_requests.tasks.expire_stale_requests" in worker_text
    assert timezone.now() - export.finished_at < dt.timedelta(minutes=5)
