"""The beat schedule as data: every periodic task, by its public name, with a crontab in
Asia/Tehran.

Beat reads django_celery_beat's tables (DatabaseScheduler), so staff see and change the
schedule in the admin. `schedule_install` puts these rows there: the data migration
`core/0002_beat_schedule` on a new database, `manage.py install_beat_schedule` after a
change here. Rows are found by name and never duplicated; an existing row gets the task,
arguments and crontab written here, but keeps its `enabled` flag (a job staff paused
stays paused) and its run history.

Solar months cannot be written as a crontab, so the month-end Saman export runs every
night and exports the last closed solar month: on the first night of a month it writes
the file, on the other nights it finds the export row and returns at once.
"""

import json
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy

TIMEZONE = "Asia/Tehran"


@dataclass(frozen=True)
class Crontab:
    minute: str = "0"
    hour: str = "*"
    day_of_week: str = "*"
    day_of_month: str = "*"
    month_of_year: str = "*"

    def as_fields(self) -> dict:
        return {
            "minute": self.minute,
            "hour": self.hour,
            "day_of_week": self.day_of_week,
            "day_of_month": self.day_of_month,
            "month_of_year": self.month_of_year,
            "timezone": TIMEZONE,
        }


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    task: str
    crontab: Crontab
    description: str
    kwargs: dict = field(default_factory=dict)


SCHEDULE: tuple[ScheduledJob, ...] = (
    ScheduledJob(
        # Created first by agents/migrations/0002; the same name, so never a second row.
        name="agents: subscription expiry notices",
        task="agents.tasks.notify_expiring_subscriptions",
        crontab=Crontab(minute="0", hour="9"),
        description=gettext_lazy("پیامک پایان اشتراک نمایندگان (روزانه ۹:۰۰)"),
    ),
    ScheduledJob(
        name="policies: renewal reminders",
        task="policies.tasks.send_renewal_reminders",
        crontab=Crontab(minute="30", hour="9"),
        description=gettext_lazy("دعوت به تمدید بیمه‌نامه‌ها (روزانه ۹:۳۰)"),
    ),
    ScheduledJob(
        name="policies: month-end Saman export",
        task="policies.tasks.export_month_to_saman",
        crontab=Crontab(minute="30", hour="1"),
        description=gettext_lazy("انتقال ماه شمسی بسته‌شده به سامانه سامان (هر شب ۱:۳۰؛ فقط یک بار در ماه فایل می‌سازد)"),
    ),
    ScheduledJob(
        name="insurance_requests: expire stale requests",
        task="insurance_requests.tasks.expire_stale_requests",
        crontab=Crontab(minute="*/15"),
        description=gettext_lazy("منقضی کردن درخواست‌های بی‌پاسخ (هر ۱۵ دقیقه)"),
    ),
    ScheduledJob(
        name="insurance_requests: remind unanswered leads",
        task="insurance_requests.tasks.remind_unanswered_leads",
        crontab=Crontab(minute="*/30", hour="8-21"),
        description=gettext_lazy("یادآوری سرنخ‌های بی‌پاسخ به نمایندگان (هر ۳۰ دقیقه، ۸ تا ۲۱)"),
    ),
    ScheduledJob(
        name="declarations: stock declaration reminders",
        task="declarations.tasks.send_declaration_reminders",
        crontab=Crontab(minute="0", hour="10"),
        description=gettext_lazy("یادآوری اظهارنامه موجودی بیمه‌نامه‌های شناور (روزانه ۱۰:۰۰)"),
    ),
    ScheduledJob(
        name="agents: reconcile pending payments",
        task="agents.tasks.reconcile_pending_payments",
        crontab=Crontab(minute="*/15"),
        description=gettext_lazy("بررسی دوباره پرداخت‌های تأییدنشده و منقضی کردن صورتحساب‌های مانده (هر ۱۵ دقیقه)"),
    ),
    ScheduledJob(
        name="accounts: delete expired API tokens",
        task="accounts.tasks.delete_expired_api_tokens",
        crontab=Crontab(minute="15", hour="3"),
        description=gettext_lazy("حذف توکن‌های API که عمرشان گذشته است (روزانه ۳:۱۵)"),
    ),
)


def schedule_install(*, periodic_task_model=None, crontab_model=None) -> dict[str, int]:
    """Create or update one PeriodicTask per scheduled job; returns {"created": n, "updated": n}.

    The models are parameters so the data migration can pass its historical ones.
    """
    if periodic_task_model is None or crontab_model is None:
        from django_celery_beat.models import CrontabSchedule, PeriodicTask

        periodic_task_model = periodic_task_model or PeriodicTask
        crontab_model = crontab_model or CrontabSchedule
    from django.db import transaction

    created = updated = 0
    with transaction.atomic():
        for job in SCHEDULE:
            crontab, _ = crontab_model.objects.get_or_create(**job.crontab.as_fields())
            wanted = {
                "task": job.task,
                "crontab": crontab,
                "interval": None,
                "solar": None,
                "clocked": None,
                "kwargs": json.dumps(job.kwargs, sort_keys=True),
                "description": str(job.description),
            }
            task = periodic_task_model.objects.select_for_update().filter(name=job.name).first()
            if task is None:
                periodic_task_model.objects.create(name=job.name, **wanted)
                created += 1
                continue
            changed = [
                name
                for name, value in wanted.items()
                if getattr(task, f"{name}_id" if name in {"crontab", "interval", "solar", "clocked"} else name)
                != (value.pk if hasattr(value, "pk") else value)
            ]
            if changed:
                for name in changed:
                    setattr(task, name, wanted[name])
                # save() (not a queryset update) so django_celery_beat tells a running beat.
                task.save()
                updated += 1
    return {"created": created, "updated": updated}
