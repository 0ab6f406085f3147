"""The Celery application, configured from Django settings (CELERY_* names).

Settings hold the policy (JSON only, time limits, acks_late, the Redis visibility
timeout, the database beat scheduler); this module only wires it and offers the one way
to declare a task (`app_task`, issue 15 point 4): an explicit name, retries bounded
below the visibility timeout, and `delay_on_commit` that survives a broker that is down.
No task can schedule a retry that Redis would redeliver to a second worker before it is due.
"""

import functools
import logging
import os
from collections.abc import Callable

from celery import Celery, shared_task
from celery.contrib.django.task import DjangoTask
from django.db import transaction

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bimemall.settings.dev")

logger = logging.getLogger(__name__)

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


class AppTask(DjangoTask):
    """The base of every task of the project (issue 15 point 4). Declare tasks with `app_task`.

    - `delay_on_commit(...)` queues the task once the current transaction commits (nothing
      when it rolls back). A broker that refuses the message (Celery has already retried
      the publish under its own retry policy) is logged without the task's arguments, which
      may carry a mobile number or a text, and handed to the task's `on_enqueue_failure`,
      which records the failure where the user can see it (a sign-in code marked failed);
      the request that committed is never failed by it.
    - `retry_bounded(exc)` schedules the next retry from `retry_delays` (each below the
      visibility timeout, checked at start), or returns `exc` when they are spent;
      `retries_spent` says so beforehand, for tasks that give up quietly.
    """

    retry_delays: tuple[int, ...] = DEFAULT_RETRY_BACKOFF
    on_enqueue_failure: Callable[..., None] | None = None

    @property
    def retries_spent(self) -> bool:
        limit = len(self.retry_delays) if self.max_retries is None else min(len(self.retry_delays), self.max_retries)
        return self.request.retries >= limit

    def retry_bounded(self, exc: Exception) -> Exception:
        return retry_bounded(self, exc, backoff=self.retry_delays)

    def delay_on_commit(self, *args, **kwargs) -> None:
        transaction.on_commit(functools.partial(self._enqueue_or_record, args, kwargs))

    def _enqueue_or_record(self, args: tuple, kwargs: dict) -> None:
        try:
            self.delay(*args, **kwargs)
        except Exception:
            # The arguments stay out of the log: they may be a mobile number or a text.
            logger.exception("Could not queue the task %s", self.name)
            if self.on_enqueue_failure is not None:
                self.on_enqueue_failure(*args, **kwargs)


def app_task(
    *,
    name: str,
    retry_delays: tuple[int, ...] = DEFAULT_RETRY_BACKOFF,
    on_enqueue_failure: Callable[..., None] | None = None,
    **options,
):
    """Declare a task (issue 15 point 4): `@app_task(name="app.tasks.job")`.

    The name is explicit because it is the contract (API.md, the beat schedule, queued
    messages): moving or renaming the function must not change it. `bind=True` gives the
    task itself as first argument, for `raise self.retry_bounded(exc) from exc`.
    `on_enqueue_failure` is called with the task's arguments when `delay_on_commit` finds
    the broker down.
    """
    return shared_task(
        base=AppTask,
        name=name,
        max_retries=len(retry_delays),
        retry_delays=tuple(retry_delays),
        on_enqueue_failure=staticmethod(on_enqueue_failure) if on_enqueue_failure else None,
        **options,
    )


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
    for task in list(app.tasks.values()):
        if isinstance(task, AppTask):
            for delay in task.retry_delays:
                countdown_checked(delay)
    if problems:
        raise RuntimeError("Celery configuration: " + "; ".join(problems))


@app.on_after_finalize.connect
def _on_after_finalize(sender, **kwargs):
    _check_configuration()
