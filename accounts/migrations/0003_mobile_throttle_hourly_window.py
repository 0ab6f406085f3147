"""The per-mobile hourly cap on codes becomes a counter on the mobile's throttle row (issue 16
point 2). The counters start from the codes of the last hour, so the deploy opens no gap."""

from datetime import timedelta

from django.db import migrations, models
from django.db.models import Count, Min
from django.utils import timezone


def count_the_last_hours_codes(apps, schema_editor):
    MobileThrottle = apps.get_model("accounts", "MobileThrottle")
    OneTimeCode = apps.get_model("accounts", "OneTimeCode")
    recent = (
        OneTimeCode.objects.filter(created_at__gte=timezone.now() - timedelta(hours=1))
        .values("mobile")
        .annotate(first=Min("created_at"), codes=Count("id"))
    )
    for row in recent:
        MobileThrottle.objects.filter(mobile=row["mobile"]).update(
            window_started_at=row["first"], codes_in_window=row["codes"]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_persian_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="mobilethrottle",
            name="codes_in_window",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="کدهای این بازه"),
        ),
        migrations.AddField(
            model_name="mobilethrottle",
            name="window_started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="آغاز بازه یک\u200cساعته"),
        ),
        migrations.RunPython(count_the_last_hours_codes, migrations.RunPython.noop),
    ]
