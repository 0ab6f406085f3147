"""Staff screens: floating policies with their declarations, and the reminder/flag list.

A declaration added here goes through `stock_declaration_record` (late and over-limit
flags, audit), never a bare save. Reminders are read-only: the job writes them.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy

from core.exceptions import ApplicationError
from core.jalali import format_jalali
from declarations import services
from declarations.models import DeclarationReminder, FloatingPolicy, StockDeclaration


class StockDeclarationInline(admin.TabularInline):
    model = StockDeclaration
    extra = 0
    can_delete = False
    fields = ["year", "month", "stock_value", "declared_on", "late", "over_limit", "recorded_by"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


def _refusal_on_field(form, exc: ApplicationError) -> None:
    """A service refusal beside the admin field it names (or above the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


class FloatingPolicyForm(forms.ModelForm):
    class Meta:
        model = FloatingPolicy
        fields = ["policy", "max_stock_value", "declaration_due_day"]

    def clean(self):
        data = super().clean()
        if data.get("policy") and data.get("max_stock_value") is not None and data.get("declaration_due_day"):
            try:
                services.floating_terms_check(
                    policy=data["policy"],
                    max_stock_value=data["max_stock_value"],
                    due_day=data["declaration_due_day"],
                )
            except ApplicationError as exc:
                _refusal_on_field(self, exc)
        return data


class StockDeclarationForm(forms.ModelForm):
    class Meta:
        model = StockDeclaration
        fields = ["floating_policy", "year", "month", "stock_value", "declared_on"]

    def clean(self):
        data = super().clean()
        needed = ("floating_policy", "year", "month", "stock_value", "declared_on")
        if all(data.get(key) is not None for key in needed):
            try:
                services.stock_declaration_check(
                    floating_policy=data["floating_policy"],
                    year=data["year"],
                    month=data["month"],
                    stock_value=data["stock_value"],
                    declared_on=data["declared_on"],
                )
            except ApplicationError as exc:
                _refusal_on_field(self, exc)
        return data


@admin.register(FloatingPolicy)
class FloatingPolicyAdmin(admin.ModelAdmin):
    form = FloatingPolicyForm
    list_display = ["policy", "max_stock_value", "declaration_due_day", "created_at"]
    search_fields = ["policy__number", "policy__customer__mobile"]
    raw_id_fields = ["policy"]
    inlines = [StockDeclarationInline]

    def save_model(self, request, obj, form, change):
        services.floating_policy_set_terms(
            user=request.user,
            policy=obj.policy,
            max_stock_value=obj.max_stock_value,
            due_day=obj.declaration_due_day,
        )


@admin.register(StockDeclaration)
class StockDeclarationAdmin(admin.ModelAdmin):
    form = StockDeclarationForm
    list_display = ["floating_policy", "year", "month", "stock_value", "declared_jalali", "late", "over_limit"]
    list_filter = ["late", "over_limit", "year", "month"]
    raw_id_fields = ["floating_policy"]
    fields = ["floating_policy", "year", "month", "stock_value", "declared_on"]

    @admin.display(description=gettext_lazy("تاریخ نامه"), ordering="declared_on")
    def declared_jalali(self, obj):
        return format_jalali(obj.declared_on)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            saved = services.stock_declaration_record(
                user=request.user,
                floating_policy=obj.floating_policy,
                year=obj.year,
                month=obj.month,
                stock_value=obj.stock_value,
                declared_on=obj.declared_on,
            )
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return
        obj.pk = saved.pk


@admin.register(DeclarationReminder)
class DeclarationReminderAdmin(admin.ModelAdmin):
    list_display = ["floating_policy", "year", "month", "kind", "sent_jalali"]
    list_filter = ["kind", "year", "month"]

    @admin.display(description=gettext_lazy("زمان ارسال"), ordering="sent_at")
    def sent_jalali(self, obj):
        return format_jalali(obj.sent_at, with_time=True)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
