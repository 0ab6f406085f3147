"""Celery queues of CELERY_SEPARATE_QUEUES (issue 16 point 4): SMS, payments and the export
each on their own queue when the switch is on, everything on the default queue when off, and
no task left out of the map."""

import json

from django.conf import settings

from bimemall.celery import app
from tests.core.test_settings_table import _settings_in_a_fresh_process

# The queues a worker without -Q consumes are read first: routing a task to an undeclared
# queue adds it to that list on the spot.
ROUTES_OF_EVERY_TASK = (
    "from bimemall.celery import app; import json; app.loader.import_default_modules(); "
    "consumed = sorted(app.amqp.queues); "
    "tasks = sorted(name for name in app.tasks if not name.startswith('celery.')); "
    "print(json.dumps({'queues': {name: app.amqp.router.route({}, name)['queue'].name for name in tasks}, "
    "'consumed': consumed}))"
)


def _routes(tmp_path, **environ) -> dict:
    result = _settings_in_a_fresh_process(ROUTES_OF_EVERY_TASK, VAR_DIR=str(tmp_path), **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_every_registered_task_has_a_queue_in_the_map():
    """A new task must be given its queue (or the default one) in CELERY_QUEUE_OF_TASK."""
    app.loader.import_default_modules()
    registered = {name for name in app.tasks if not name.startswith("celery.")}
    assert registered == set(settings.CELERY_QUEUE_OF_TASK)


def test_with_the_switch_on_sms_payments_and_exports_have_their_own_queues(tmp_path):
    routes = _routes(tmp_path, CELERY_SEPARATE_QUEUES="true")
    assert routes["queues"] == settings.CELERY_QUEUE_OF_TASK
    assert routes["queues"]["sms.tasks.send_text"] == "sms"
    assert routes["queues"]["accounts.tasks.deliver_one_time_code"] == "sms"
    assert routes["queues"]["agents.tasks.reconcile_pending_payments"] == "payments"
    assert routes["queues"]["policies.tasks.export_month_to_saman"] == "exports"
    assert routes["queues"]["insurance_requests.tasks.expire_stale_requests"] == "celery"
    # A worker started without -Q (make run, the compose `worker`) consumes every queue.
    assert routes["consumed"] == ["celery", "exports", "payments", "sms"]


def test_with_the_switch_off_every_task_goes_to_the_default_queue(tmp_path):
    routes = _routes(tmp_path)
    assert set(routes["queues"].values()) == {"celery"}
    assert routes["consumed"] == ["celery"]
