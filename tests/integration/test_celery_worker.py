"""A real Celery worker, a real Redis broker and PostgreSQL: a task sent by name is run.

The test settings run Celery eagerly in-process; this test is the one place where a
message really crosses the broker. The worker is a subprocess with the test settings,
pointed at the *test* database, a Redis DB of its own (15) and a queue name of its own,
so nothing else (the suite's cache.clear(), another run) can touch its messages.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

pytestmark = [pytest.mark.redis, pytest.mark.postgres]

TASK_NAME = "accounts.tasks.deliver_one_time_code"
WORKER_REDIS_DB = 15
DEADLINE_SECONDS = 30


def redis_url_with_db(url: str, db: int) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


def database_url_for(settings_dict: dict) -> str:
    """A DATABASE_URL for the database this test process really uses (test_<name>)."""
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    name = quote(settings_dict["NAME"], safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    return f"postgres://{auth}{host}:{port}/{name}"


def _tail(path: Path, lines: int = 60) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no worker log)"


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # warm shutdown
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=5)


def test_worker_delivers_one_time_code_sent_by_name(transactional_db, redis_url, tmp_path):
    from accounts.models import OneTimeCode

    broker_url = redis_url_with_db(redis_url, WORKER_REDIS_DB)
    queue = f"itest-{secrets.token_hex(4)}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bimemall.settings.test",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "REDIS_URL": broker_url,
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "SMS_BACKEND": "locmem",
        "PYTHONUNBUFFERED": "1",
    }
    log_path = tmp_path / "worker.log"

    code = OneTimeCode.objects.create(
        public_id=secrets.token_urlsafe(16),
        mobile="09121234567",
        purpose=OneTimeCode.Purpose.REGISTER,
        payload={},
        delivery=OneTimeCode.Delivery.PENDING,
    )
    assert code.code_hash == ""

    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "bimemall",
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
            cwd=Path(settings.BASE_DIR),
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    # A producer of its own: the project's app is eager under the test settings.
    producer = Celery("bimemall-itest", broker=broker_url, set_as_current=False)
    producer.conf.update(task_serializer="json", accept_content=["json"], task_always_eager=False)
    try:
        producer.send_task(TASK_NAME, args=[code.pk], queue=queue)

        deadline = time.monotonic() + DEADLINE_SECONDS
        while time.monotonic() < deadline:
            code.refresh_from_db()
            if code.delivery == OneTimeCode.Delivery.SENT and code.code_hash:
                break
            if worker.poll() is not None:
                pytest.fail(f"the worker exited with code {worker.returncode}:\n{_tail(log_path)}")
            time.sleep(0.25)
        else:
            pytest.fail(
                f"after {DEADLINE_SECONDS}s the code is delivery={code.delivery!r}, "
                f"code_hash={'set' if code.code_hash else 'empty'}; worker log:\n{_tail(log_path)}"
            )
    finally:
        _stop(worker)
        producer.close()

    assert code.delivery == OneTimeCode.Delivery.SENT
    assert len(code.code_hash) == 64
    assert code.salt
    assert code.expires_at is not None
    assert f"Task {TASK_NAME}" in log_path.read_text(errors="replace")
