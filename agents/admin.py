"""Staff screens: the verification queue, terms versions, plans, invoices.

Approve and reject are admin actions that call `agents.services.agent_verify`, the same
service as POST /api/v1/staff/agents/<id>/verify/. Status is never edited by hand.
"""

from django.contrib import admin, messages
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agents import services
from agents.forms import RejectForm
from agents.models import Agent, Invoice, Plan, Subscription, TermsAcceptance, TermsVersion, TrialUsage
from core import admin_display
from core.exceptions import ApplicationError
from core.jalali import format_jalali
from core.text import to_persian_digits


class VerificationQueueFilter(admin.SimpleListFilter):
    """Status filter that opens on the review queue; "all" is one click away."""

    title = gettext_lazy("وضعیت")
    parameter_name = "queue"
    ALL = "all"

    def lookups(self, request, model_admin):
        return [*Agent.Status.choices, (self.ALL, _("همه"))]

    def value(self):
        return super().value() or Agent.Status.PENDING_VERIFICATION

    def queryset(self, request, queryset):
        value = self.value()
        if value == self.ALL:
            return queryset
        return queryset.filter(status=value)

    def choices(self, changelist):
        # No "All" entry of Django's own: it would mean "no parameter", i.e. the queue.
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == str(lookup),
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class TermsAcceptanceInline(admin.TabularInline):
    model = TermsAcceptance
    extra = 0
    can_delete = False
    fields = ["terms", "plan", "accepted_at", "ip", "user_agent"]
    readonly_fields = fields
    verbose_name_plural = gettext_lazy("پذیرش مقررات")

    def has_add_permission(self, request, obj=None):
        return False


class SubscriptionInline(admin.TabularInline):
    model = Subscription
    extra = 0
    can_delete = False
    fields = ["kind", "plan", "starts_on", "ends_on", "invoice"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = [
        "agency_name",
        "insurer",
        "agency_code",
        "user",
        "province",
        "status",
        "licence_number",
        "licence_expiry",
        "documents_sent_at",
    ]
    list_filter = [VerificationQueueFilter, "insurer", "province"]
    list_select_related = ["insurer", "province", "user"]
    search_fields = ["agency_name", "agency_code", "user__mobile", "user__national_code", "user__last_name"]
    ordering = ["licence_uploaded_at", "created_at"]
    actions = ["approve_selected", "reject_selected"]
    autocomplete_fields: list[str] = []
    filter_horizontal = ["service_provinces"]
    readonly_fields = [
        "user",
        "identity",
        "status",
        "chosen_plan",
        "licence_preview",
        "licence_number",
        "licence_expiry",
        "documents_sent_at",
        "decided_at",
        "decided_by",
        "rejection_reason",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (gettext_lazy("وضعیت"), {"fields": ["status", "decided_at", "decided_by", "rejection_reason"]}),
        (gettext_lazy("هویت"), {"fields": ["user", "identity"]}),
        (
            gettext_lazy("پروانه فعالیت"),
            {"fields": ["licence_preview", "licence_number", "licence_expiry", "documents_sent_at"]},
        ),
        (
            gettext_lazy("نمایندگی"),
            {
                "fields": [
                    "insurer",
                    "agency_code",
                    "agency_name",
                    "province",
                    "city",
                    "postal_address",
                    "postal_code",
                    "office_phone",
                    "service_provinces",
                    "chosen_plan",
                ]
            },
        ),
        (gettext_lazy("زمان‌ها"), {"fields": ["created_at", "updated_at"]}),
    ]
    inlines = [TermsAcceptanceInline, SubscriptionInline]
    # Approve / reject buttons beside the licence, so the clerk need not go back to the list.
    change_form_template = "agents/admin/change_form.html"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "decision_buttons": [
                ("approve_selected", _("تأیید مدارک"), "default"),
                ("reject_selected", _("رد مدارک با ذکر دلیل…"), "deletelink"),
            ],
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def has_add_permission(self, request):
        # Agents register themselves; staff only review.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("مشخصات هویتی"))
    def identity(self, agent):
        user = agent.user
        return format_html(
            _("{} — کد ملی {} — موبایل {}"), user.get_full_name() or "-", user.national_code or "-", user.mobile
        )

    @admin.display(description=gettext_lazy("انقضای پروانه"), ordering="licence_expires_on")
    def licence_expiry(self, agent):
        # Staff read Jalali dates; an expired licence cannot be approved, so flag it.
        if agent.licence_expires_on is None:
            return "-"
        text = to_persian_digits(format_jalali(agent.licence_expires_on))
        if agent.licence_expires_on < timezone.localdate():
            return format_html('<span style="color: #b00">{} ({})</span>', text, _("منقضی"))
        return text

    @admin.display(description=gettext_lazy("زمان ارسال مدارک"), ordering="licence_uploaded_at")
    def documents_sent_at(self, agent):
        return to_persian_digits(format_jalali(agent.licence_uploaded_at, with_time=True)) or "-"

    @admin.display(description=gettext_lazy("تصویر پروانه"))
    def licence_preview(self, agent):
        if not agent.licence_file:
            return _("ارسال نشده")
        url = reverse("agents:licence_file", args=[agent.pk])
        if agent.licence_content_type.startswith("image/"):
            return format_html(
                '<a href="{}" target="_blank" rel="noopener"><img src="{}" alt="{}" '
                'style="max-width: 32rem; max-height: 24rem; border: 1px solid #ccc"></a>',
                url,
                url,
                _("تصویر پروانه"),
            )
        return format_html('<a href="{}">{}</a>', url, _("دریافت فایل PDF پروانه"))

    @admin.action(description=gettext_lazy("تأیید نمایندگان انتخاب‌شده"))
    def approve_selected(self, request, queryset):
        self._decide(request, queryset, decision="approve")

    @admin.action(description=gettext_lazy("رد نمایندگان انتخاب‌شده (با ذکر دلیل)"))
    def reject_selected(self, request, queryset):
        form = RejectForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            self._decide(request, queryset, decision="reject", reason=form.cleaned_data["reason"])
            return None
        # The intermediate page: the reason is required and goes to the agent by SMS.
        context = {
            **self.admin_site.each_context(request),
            "title": _("رد مدارک نمایندگان"),
            "opts": self.model._meta,
            "agents": queryset,
            "form": form,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "action": "reject_selected",
        }
        return TemplateResponse(request, "agents/admin/reject.html", context)

    def _decide(self, request, queryset, *, decision, reason=""):
        done = 0
        for agent in queryset:
            try:
                services.agent_verify(agent=agent, decided_by=request.user, decision=decision, reason=reason)
            except ApplicationError as exc:
                self.message_user(request, f"{agent}: {exc.message}", level=messages.ERROR)
            else:
                done += 1
        if done:
            text = _("%(count)s نماینده تأیید شد.") if decision == "approve" else _("%(count)s نماینده رد شد.")
            self.message_user(request, text % {"count": done}, level=messages.SUCCESS)


@admin.register(TermsVersion)
class TermsVersionAdmin(admin.ModelAdmin):
    """Staff publish a new version rather than edit one that agents have accepted."""

    list_display = ["version", "title", "published_at", "acceptance_count"]
    fields = ["version", "title", "text", "published_at", "created_by"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["version", "published_at", "created_by"]
        if obj.acceptances.exists():
            return self.fields
        return ["version", "published_at", "created_by"]

    @admin.display(description=gettext_lazy("تعداد پذیرش"))
    def acceptance_count(self, terms):
        return terms.acceptances.count()

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        published = services.terms_version_publish(title=obj.title, text=obj.text, by=request.user)
        obj.pk = published.pk
        obj.version = published.version

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.acceptances.exists()


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["title", "code", "days", "price", "is_active", "order"]
    list_editable = ["price", "is_active", "order"]

    def has_delete_permission(self, request, obj=None):
        # Plans with invoices stay for the records; retire them with "is_active".
        return obj is None or not obj.invoices.exists()


@admin.register(Invoice)
class InvoiceAdmin(admin.ModelAdmin):
    list_display = ["number", "agent", "plan", "amount", "status", "gateway_label", "ref_id", "created_at", "paid_at"]
    list_filter = ["status", "gateway"]
    search_fields = ["number", "ref_id", "authority", "agent__agency_code", "agent__user__mobile"]
    list_select_related = ["agent", "plan"]
    fields = admin_display.readable_fields(Invoice, replace={"gateway": "gateway_label"})
    readonly_fields = fields

    @admin.display(description=gettext_lazy("درگاه"), ordering="gateway")
    def gateway_label(self, invoice):
        return admin_display.code_label(invoice.gateway)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["agent", "kind", "plan", "starts_on", "ends_on", "invoice"]
    list_filter = ["kind"]
    list_select_related = ["agent", "plan", "invoice"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TrialUsage)
class TrialUsageAdmin(admin.ModelAdmin):
    list_display = ["key", "value", "agent", "created_at"]
    list_filter = ["key"]
    search_fields = ["value"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # "One trial per person, national code and agency code, ever."
        return False
