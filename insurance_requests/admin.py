import datetime as dt

from django import forms
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.db.models import Count, Max
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import admin_display
from core.fields import JalaliDateFormField
from core.templatetags.persian import duration_fa
from insurance_requests.models import (
    AgentRating,
    ContactDetailsRefusal,
    ContactReveal,
    InsuranceRequest,
    LeadResponse,
)
from insurance_requests.stats import marketplace_stats


class LeadResponseInline(admin.TabularInline):
    model = LeadResponse
    extra = 0
    can_delete = False
    fields = [
        "insurer",
        "agent",
        "status",
        "premium",
        "quoted_premium",
        "payment_plan",
        "installments",
        "covers_text",
        "valid_until",
        "message",
        "created_at",
        "response_time",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("پوشش‌ها"))
    def covers_text(self, obj):
        return admin_display.covers_text(obj.request.line.code, obj.covers)

    @admin.display(description=_("مدت تا پاسخ"))
    def response_time(self, obj):
        return duration_fa(obj.response_seconds)


@admin.register(InsuranceRequest)
class InsuranceRequestAdmin(admin.ModelAdmin):
    list_display = ["number", "line", "province", "city", "status", "created_at"]
    list_filter = ["status", "line", "province"]
    search_fields = ["id", "customer__mobile", "city"]
    fields = [
        *admin_display.readable_fields(InsuranceRequest, replace={"params": "params_table"}),
        "insurers",
        "excluded_agents",
    ]
    readonly_fields = fields
    inlines = [LeadResponseInline]

    @admin.display(description=_("مشخصات"))
    def params_table(self, obj):
        return admin_display.params_table(line_code=obj.line.code, params=obj.params)

    @admin.display(description=_("شماره"), ordering="id")
    def number(self, obj):
        return obj.pk

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("line", "province")


@admin.register(ContactReveal)
class ContactRevealAdmin(admin.ModelAdmin):
    """The consent log: read-only."""

    list_display = ["created_at", "request", "viewer", "subject"]
    readonly_fields = ["created_at", "request", "response", "viewer", "subject"]
    search_fields = ["viewer__mobile", "subject__mobile", "request__id"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgentRating)
class AgentRatingAdmin(admin.ModelAdmin):
    list_display = ["agent", "score", "created_at"]
    readonly_fields = ["request", "agent", "score", "comment", "created_at"]


class RefusedKindFilter(admin.SimpleListFilter):
    title = _("آنچه پیدا شد")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [
            ("phone", gettext("شماره تلفن")),
            ("email", gettext("نشانی ایمیل")),
            ("link", gettext("پیوند")),
            ("handle", gettext("شناسه پیام‌رسان")),
            ("code", gettext("کد نمایندگی")),
        ]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(kinds__contains=self.value())
        return queryset


@admin.register(ContactDetailsRefusal)
class ContactDetailsRefusalAdmin(admin.ModelAdmin):
    """Texts refused for contact details before acceptance (issue 13 point 2): read-only.

    The list filters by agent, place and kind; "per agent" counts the attempts of each agent.
    """

    change_list_template = "admin/insurance_requests/contactdetailsrefusal/change_list.html"
    list_display = ["created_at", "agent", "user", "where", "kinds", "excerpt", "request"]
    list_filter = ["where", RefusedKindFilter, ("agent", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["agent__agency_code", "agent__agency_name", "user__mobile"]
    readonly_fields = ["created_at", "agent", "user", "where", "kinds", "excerpt", "request"]
    list_select_related = ["agent", "user"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        per_agent = self.admin_site.admin_view(self.per_agent_view)
        name = "insurance_requests_contactdetailsrefusal_per_agent"
        return [path("per-agent/", per_agent, name=name), *super().get_urls()]

    def per_agent_view(self, request):
        """Agents by number of refused texts, most first, each linking to their attempts."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        rows = (
            ContactDetailsRefusal.objects.filter(agent__isnull=False)
            .values("agent", "agent__agency_name", "agent__agency_code", "agent__insurer__name")
            .annotate(attempts=Count("id"), last_attempt=Max("created_at"))
            .order_by("-attempts", "-last_attempt")
        )
        changelist = reverse("admin:insurance_requests_contactdetailsrefusal_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("متن‌های ردشده به تفکیک نماینده"),
            "opts": self.model._meta,
            "rows": [{**row, "url": f"{changelist}?agent__id__exact={row['agent']}"} for row in rows],
            "customer_attempts": ContactDetailsRefusal.objects.filter(agent__isnull=True).count(),
        }
        return render(request, "admin/insurance_requests/contactdetailsrefusal/per_agent.html", context)


class DateRangeForm(forms.Form):
    start = JalaliDateFormField(label=_("از تاریخ"))
    end = JalaliDateFormField(label=_("تا تاریخ"))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                raise forms.ValidationError(gettext("تاریخ پایان پیش از تاریخ شروع است."))
            if (end - start).days > 366:
                raise forms.ValidationError(gettext("بازه حداکثر یک سال است."))
        return data


@staff_member_required
def marketplace_dashboard(request):
    """Staff dashboard: requests per day, answers and acceptances per insurer, response time, supply."""
    today = timezone.localdate()
    default = {"start": today - dt.timedelta(days=29), "end": today}
    form = DateRangeForm(request.GET or None, initial=default)
    start, end = default["start"], default["end"]
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    context = {
        **admin.site.each_context(request),
        "title": gettext("داشبورد بازار"),
        "form": form,
        "stats": marketplace_stats(start=start, end=end),
    }
    return render(request, "admin/marketplace_dashboard.html", context)
