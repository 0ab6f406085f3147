"""A history of every change to the data that decides premiums (issue 15 point 9).

django-simple-history keeps one row per save or delete: the values after it, when, by whom
(the admin's user, through its request middleware) and what kind of change it was. The admin
compares each row with the one before it to show what changed.

`bulk_create` and queryset `update()` send no signals and leave no row: only code that is not
an edit (the reference loader, a data migration) may use them on these models.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

HISTORY_TYPE_CHOICES = [("+", _("ایجاد")), ("~", _("تغییر")), ("-", _("حذف"))]


class History(HistoricalRecords):
    """HistoricalRecords whose own columns carry Persian names, as every field the admin shows.

    The columns are simple-history's defaults (an integer id, an indexed date, a reason of at
    most 100 characters, the user kept as null when the account goes), only named.
    """

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        # The row's own automatic id becomes an ordinary column of its history: named too.
        pk = model._meta.pk
        if pk.auto_created and pk.name in fields:
            _name, _path, args, kwargs = fields[pk.name].deconstruct()
            fields[pk.name] = type(fields[pk.name])(*args, **{**kwargs, "verbose_name": _("شناسه")})
        return fields

    def get_extra_fields(self, model, fields):
        extra = super().get_extra_fields(model, fields)
        extra.update(
            history_id=models.AutoField(_("شناسه تغییر"), primary_key=True),
            history_date=models.DateTimeField(_("زمان تغییر"), db_index=True),
            history_change_reason=models.CharField(_("دلیل تغییر"), max_length=100, null=True),
            history_type=models.CharField(_("نوع تغییر"), max_length=1, choices=HISTORY_TYPE_CHOICES),
            history_user=models.ForeignKey(
                settings.AUTH_USER_MODEL,
                verbose_name=_("تغییر دهنده"),
                null=True,
                related_name="+",
                on_delete=models.SET_NULL,
            ),
        )
        return extra


def history_baseline_create(*, model, historical_model, reason: str) -> int:
    """A first history row ("+", no user) for each row of `model` that has none yet, so the first
    edit through the admin shows what it changed from.

    For data migrations, which write these tables with `bulk_create` and so leave no history:
    pass their frozen models (`apps.get_model("pricing", "TariffRate")` and
    `apps.get_model("pricing", "HistoricalTariffRate")`). Returns how many rows it wrote.
    """
    fields = historical_model._meta.concrete_fields
    tracked = [field.attname for field in fields if not field.name.startswith("history_")]
    pk_name = model._meta.pk.attname
    recorded = set(historical_model._default_manager.values_list(pk_name, flat=True).distinct())
    now = timezone.now()
    baseline = [
        historical_model(
            **{name: getattr(row, name) for name in tracked},
            history_date=now,
            history_type="+",
            history_change_reason=reason,
        )
        for row in model._default_manager.order_by(pk_name).iterator()
        if getattr(row, pk_name) not in recorded
    ]
    historical_model._default_manager.bulk_create(baseline, batch_size=500)
    return len(baseline)
