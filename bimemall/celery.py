"""The Celery application, configured from Django settings (CELERY_* names).

Settings hold the policy (JSON only, time limits, acks_late, the Redis visibility
timeout, the database beat scheduler); this module only wires it and offers the two
helpers every retrying task uses, so no task can schedule a retry that Redis would
redeliver to a second worker before it is due.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bimemall.settings.dev")

app = Celery("bimemall")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# A task that exhausts these is logged and dropped; the next scheduled run (every
# periodic job is safe to repeat) picks the work up again.
DEFAULT_MAX_RETRIES = 3
DEFAULT_RETRY_BACKOFF = (30, 120, 600)


def visibility_timeout_seconds() -> int:
    from django.conf import settings

    return int(settings.CELERY_VISIBILITY_TIMEOUT_SECONDS)


def countdown_checked(seconds: int | float) -> int:
    """A retry countdown, refused when Redis would hand the message out again first.

    With acks_late on Redis, a message not acknowledged within the visibility timeout is
    delivered again; a countdown (or ETA) beyond it therefore runs the task twice.
    """
    seconds = int(seconds)
    limit = visibility_timeout_seconds()
    if seconds < 0 or seconds >= limit:
        raise ValueError(f"A countdown of {seconds}s is not below the visibility timeout ({limit}s).")
    return seconds


def retry_bounded(task, exc: Exception, *, backoff: tuple[int, ...] = DEFAULT_RETRY_BACKOFF):
    """Retry `task` (bound) after a transient error, at most len(backoff) times.

    Returns the exception to raise: `raise retry_bounded(self, exc)`. When the retries
    are spent the original error is returned, so the failure is logged by Celery.
    """
    attempt = task.request.retries
    if attempt >= min(len(backoff), task.max_retries if task.max_retries is not None else len(backoff)):
        return exc
    return task.retry(exc=exc, countdown=countdown_checked(backoff[attempt]), throw=False) or exc


def _check_configuration() -> None:
    """Fail at start rather than run with a pickle serializer or an unbounded task."""
    conf = app.conf
    problems = []
    if conf.task_serializer != "json" or set(conf.accept_content or []) != {"json"}:
        problems.append("task serializer and accepted content must be JSON only")
    if not conf.task_time_limit or not conf.task_soft_time_limit:
        problems.append("task time limits must be set")
    elif conf.task_time_limit >= visibility_timeout_seconds():
        problems.append("the task time limit must stay below the visibility timeout")
    for delay in DEFAULT_RETRY_BACKOFF:
        countdown_checked(delay)
    if problems:
        raise RuntimeError("Celery configuration: " + "; ".join(problems))


@app.on_after_finalize.connect
def _on_after_finalize(sender, **kwargs):
    _check_configuration()
