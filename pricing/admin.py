from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.utils import bulk_create_with_history

from core.admin_history import HistoryAdmin
from pricing.models import CarModel, InsurerLineTerms, Tariff, TariffRate
from pricing.selectors import tariff_problem_list
from pricing.snapshots import snapshot_invalidate


class TariffRateInline(admin.TabularInline):
    model = TariffRate
    extra = 0
    fields = ["line", "table", "key", "label", "value", "is_assumption", "source", "order"]
    ordering = ["line", "table", "order", "id"]
    show_change_link = True


@admin.register(Tariff)
class TariffAdmin(HistoryAdmin):
    list_display = ["solar_year", "effective_from", "effective_until", "is_published", "updated_at"]
    list_filter = ["is_published"]
    readonly_fields = ["problems", "updated_at"]
    fields = ["solar_year", "effective_from", "effective_until", "is_published", "note", "problems", "updated_at"]
    inlines = [TariffRateInline]
    actions = ["copy_to_next_year"]

    @admin.display(description=_("کمبودهای تعرفه"))
    def problems(self, obj):
        if not obj.pk:
            return "-"
        problems = tariff_problem_list(obj)
        if not problems:
            return _("کامل است؛ همه رشته‌ها قیمت می‌گیرند.")
        return format_html_join("\n", "<div>{}</div>", ((problem,) for problem in problems))

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Inline rows are saved one by one; drop the snapshot once more after the batch.
        snapshot_invalidate()

    @admin.action(description=_("کپی به سال بعد (همه ارقام به‌عنوان فرض)"))
    def copy_to_next_year(self, request, queryset):
        from pricing.reference import solar_year_bounds

        for tariff in queryset:
            year = tariff.solar_year + 1
            if Tariff.objects.filter(solar_year=year).exists():
                self.message_user(request, _("تعرفه سال %(year)s از قبل هست.") % {"year": year}, messages.WARNING)
                continue
            start, end = solar_year_bounds(year)
            with transaction.atomic():
                copy = Tariff.objects.create(
                    solar_year=year,
                    effective_from=start,
                    effective_until=end,
                    is_published=False,
                    note=f"Copied from {tariff.solar_year}; every figure flagged as an assumption until checked.",
                )
                # An admin edit like any other: each copied rate's history names who copied it.
                bulk_create_with_history(
                    [
                        TariffRate(
                            tariff=copy,
                            line=rate.line,
                            table=rate.table,
                            key=rate.key,
                            label=rate.label,
                            value=rate.value,
                            is_assumption=True,
                            source=f"copied from {tariff.solar_year}: {rate.source}"[:300],
                            order=rate.order,
                        )
                        for rate in tariff.rates.all()
                    ],
                    TariffRate,
                    default_user=request.user,
                )
            snapshot_invalidate()
            self.message_user(request, _("تعرفه سال %(year)s (منتشرنشده) ساخته شد.") % {"year": year})


@admin.register(TariffRate)
class TariffRateAdmin(HistoryAdmin):
    list_display = ["tariff", "line", "table", "key", "label", "value", "is_assumption", "source"]
    list_editable = ["value", "is_assumption"]
    list_filter = ["tariff", "line", "is_assumption", "table"]
    search_fields = ["table", "key", "label", "source"]
    # Admin forms (list_editable included) run TariffRate.clean: unknown tables and
    # out-of-range figures are refused beside the field.
    list_per_page = 200


@admin.register(InsurerLineTerms)
class InsurerLineTermsAdmin(HistoryAdmin):
    list_display = ["insurer", "line", "is_available", "adjustment_percent", "is_assumption", "note"]
    list_editable = ["is_available", "adjustment_percent"]
    list_filter = ["line", "is_available", "is_assumption"]
    search_fields = ["insurer__name", "insurer__code"]
    list_select_related = ["insurer"]
    list_per_page = 200


CAR_FIELDS = [
    "make",
    "name",
    "code",
    "kind",
    "cylinders",
    "third_party_group",
    "body_engine_class",
    "is_active",
    "order",
]


class CarModelForm(forms.ModelForm):
    """The tariff codes a car maps to, offered by their Persian labels from the tariff in force."""

    class Meta:
        model = CarModel
        fields = CAR_FIELDS

    def __init__(self, *args, **kwargs):
        from pricing.selectors import tariff_in_force

        super().__init__(*args, **kwargs)
        rates = TariffRate.objects.filter(tariff=tariff_in_force()).order_by("order", "id")
        for name, line, table in (
            ("third_party_group", "third_party", "base_premium"),
            ("body_engine_class", "body", "engine_factor"),
        ):
            if name not in self.fields:
                continue
            choices = [(rate.key, rate.label or rate.key) for rate in rates.filter(line=line, table=table)]
            self.fields[name].widget = forms.Select(choices=[("", "—"), *choices])


@admin.register(CarModel)
class CarModelAdmin(HistoryAdmin):
    """The car catalogue customers pick from (issue 14 point 5); a new car quotes at once."""

    form = CarModelForm

    list_display = ["make", "name", "kind", "cylinders", "third_party_group", "body_engine_class", "is_active", "order"]
    list_editable = ["is_active", "order"]
    list_filter = ["make", "kind", "third_party_group", "is_active"]
    search_fields = ["code", "make", "name"]
    fields = CAR_FIELDS
    list_per_page = 200
