"""Policies in the admin: read-mostly records (writes go through services), and the three
capital review lists of [001] (monthly > 10bn, Central Insurance > 40bn, daily > 63bn rial).
"""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core import admin_display
from core.exceptions import ApplicationError
from core.jalali import format_jalali
from core.text import LIST_SEPARATOR
from policies import conf, issue_rules, selectors, services
from policies.models import (
    AwaitingAuthorisationPolicy,
    CapitalReview,
    CentralInsuranceReviewPolicy,
    DailyReviewPolicy,
    Endorsement,
    Inspection,
    Installment,
    MonthlyReviewPolicy,
    Policy,
    RenewalReminder,
)


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class InstallmentInline(_ReadOnlyInline):
    model = Installment
    fields = ("number", "due_on", "amount", "paid_on", "reference", "endorsement")
    readonly_fields = fields


class EndorsementInline(_ReadOnlyInline):
    model = Endorsement
    fields = ("number", "kind", "changes", "premium_delta", "effective_on", "needs_inspection", "issued_at")
    readonly_fields = fields


class InspectionInline(_ReadOnlyInline):
    model = Inspection
    fields = ("kind", "reason", "inspected_on", "inspector", "report")
    readonly_fields = fields


class CapitalReviewInline(_ReadOnlyInline):
    model = CapitalReview
    fields = ("level", "outcome", "defects", "corrected_by", "reviewed_by", "reviewed_at", "approved_at", "note")
    readonly_fields = fields


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("number", "insurer", "line", "customer", "agent", "status", "sum_insured", "starts_on", "ends_on")
    list_filter = ("status", "line", "insurer", "payment_plan", "inspection_required", "mortgaged")
    search_fields = ("number", "customer__mobile", "customer__last_name", "agent__agency_code")
    list_select_related = ("insurer", "line", "customer", "agent")
    date_hierarchy = "created_at"
    inlines = [InstallmentInline, EndorsementInline, InspectionInline, CapitalReviewInline]
    fields = [
        "authorisation",
        *admin_display.readable_fields(Policy, replace={"params": "params_table", "covers": "covers_text"}),
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("مشخصات"))
    def params_table(self, obj):
        return admin_display.params_table(line_code=obj.line.code, params=obj.params)

    @admin.display(description=gettext_lazy("پوشش‌های اضافی"))
    def covers_text(self, obj):
        return admin_display.covers_text(obj.line.code, obj.covers)

    @admin.display(description=gettext_lazy("مجوز اداره نظارت"))
    def authorisation(self, obj):
        """Special cases wait for the supervision office [001]; the page records its letter."""
        if not obj.authorisation_reasons:
            return "—"
        if obj.authorised_at:
            return _("ثبت شد (نامه %(reference)s)") % {"reference": obj.authorisation_reference}
        return format_html(_('<a href="{}">ثبت مجوز اداره نظارت</a>'), reverse("policies:authorise", args=[obj.pk]))

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _CapitalReviewAdmin(admin.ModelAdmin):
    """One review list: policies over the level's threshold, with a "reviewed" mark."""

    level = ""
    list_display = ("number", "insurer", "line", "customer", "capital", "issued", "endorsement_count", "reviewed")
    list_filter = ("insurer", "line", "status")
    search_fields = ("number", "customer__mobile")
    date_hierarchy = "issued_at"
    actions = ["mark_reviewed"]

    def get_queryset(self, request):
        return (
            selectors.capital_review_queryset(self.level)
            .prefetch_related("capital_reviews", "endorsements")
            .order_by("-issued_at", "-id")
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("سرمایه (ریال)"), ordering="sum_insured")
    def capital(self, obj):
        return admin_display.money(obj.sum_insured)

    @admin.display(description=gettext_lazy("زمان صدور"), ordering="issued_at")
    def issued(self, obj):
        return format_jalali(obj.issued_at, with_time=True) if obj.issued_at else "—"

    @admin.display(description=gettext_lazy("الحاقی‌ها"))
    def endorsement_count(self, obj):
        return len(obj.endorsements.all())

    @admin.display(description=gettext_lazy("بررسی شد"))
    def reviewed(self, obj):
        review = next((review for review in obj.capital_reviews.all() if review.level == self.level), None)
        if review is None:
            return "—"
        if review.outcome == CapitalReview.Outcome.DEFECTS:
            return format_html(_('<span title="{}">ایراد؛ در انتظار الحاقی اصلاحی</span>'), review.defects)
        return "✓"

    @admin.action(description=gettext_lazy("ثبت بررسی در این فهرست"))
    def mark_reviewed(self, request, queryset):
        done = 0
        for policy in queryset:
            try:
                services.capital_review_mark(user=request.user, policy=policy, level=self.level)
            except ApplicationError as exc:
                self.message_user(request, f"{policy.number}: {exc.message}", messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, _("%(count)s بیمه‌نامه بررسی‌شده ثبت شد.") % {"count": done}, messages.SUCCESS)

    def changelist_view(self, request, extra_context=None):
        threshold = conf.capital_thresholds()[self.level]
        extra_context = {
            **(extra_context or {}),
            "subtitle": _("سرمایه بیش از %(amount)s") % {"amount": admin_display.money(threshold)},
        }
        return super().changelist_view(request, extra_context)


@admin.register(MonthlyReviewPolicy)
class MonthlyReviewAdmin(_CapitalReviewAdmin):
    """Sent at month end to the supervision office, with every endorsement [001]."""

    level = "monthly"


@admin.register(CentralInsuranceReviewPolicy)
class CentralInsuranceReviewAdmin(_CapitalReviewAdmin):
    """A copy goes to Central Insurance for control [001]."""

    level = "central"


@admin.register(DailyReviewPolicy)
class DailyReviewAdmin(_CapitalReviewAdmin):
    """Reviewed daily by the supervision office [001]; drill down to a day by issue date."""

    level = "daily"


@admin.register(AwaitingAuthorisationPolicy)
class AwaitingAuthorisationAdmin(admin.ModelAdmin):
    """Special cases (discount request, high capital, high risk, …) the supervision office has not
    authorised yet [001]; each row links to the page where staff record the authorisation letter."""

    list_display = ("number", "insurer", "line", "customer", "agent", "capital", "reasons", "authorise")
    list_filter = ("insurer", "line")
    search_fields = ("number", "customer__mobile", "agent__agency_code")

    def get_queryset(self, request):
        return selectors.pending_authorisation_queryset()

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("سرمایه (ریال)"), ordering="sum_insured")
    def capital(self, obj):
        return admin_display.money(obj.sum_insured)

    @admin.display(description=gettext_lazy("موارد خاص"))
    def reasons(self, obj):
        labels = issue_rules.special_case_labels()
        return LIST_SEPARATOR.join(labels.get(code, code) for code in obj.authorisation_reasons)

    @admin.display(description=gettext_lazy("مجوز"))
    def authorise(self, obj):
        return format_html(_('<a href="{}">ثبت مجوز اداره نظارت</a>'), reverse("policies:authorise", args=[obj.pk]))


@admin.register(Endorsement)
class EndorsementAdmin(admin.ModelAdmin):
    list_display = ("policy", "number", "kind", "premium_delta", "effective_on", "needs_inspection", "issued_at")
    list_filter = ("kind", "needs_inspection")
    search_fields = ("policy__number",)
    date_hierarchy = "issued_at"
    readonly_fields = admin_display.field_names(Endorsement)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RenewalReminder)
class RenewalReminderAdmin(admin.ModelAdmin):
    list_display = ("policy", "kind", "sent_at")
    list_filter = ("kind",)
    readonly_fields = ("policy", "kind", "sent_at")

    def has_add_permission(self, request):
        return False
