"""Staff move claims here: list actions and per-claim forms call the same services as the API.

Overdue claims (the four-week clock ran out) are highlighted and have their own filter.
"""

import datetime as dt

from django.contrib import admin, messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from claims import forms, rules, selectors, services
from claims.models import Claim, ClaimDocument
from core import admin_display
from core.exceptions import ApplicationError
from core.jalali import format_jalali
from core.text import to_persian_digits


class OverdueFilter(admin.SimpleListFilter):
    title = gettext_lazy("مهلت پرداخت")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("از مهلت چهار هفته گذشته")), ("soon", _("کمتر از یک هفته مانده"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        open_claims = queryset.exclude(status__in=[Claim.Status.PAID, Claim.Status.REJECTED])
        if self.value() == "yes":
            return open_claims.filter(payment_due_on__lt=today)
        if self.value() == "soon":
            return open_claims.filter(payment_due_on__gte=today, payment_due_on__lte=today + dt.timedelta(days=7))
        return queryset


class ClaimDocumentInline(admin.TabularInline):
    model = ClaimDocument
    extra = 0
    can_delete = False
    fields = ("kind_label", "link", "size", "uploaded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("نوع مدرک"))
    def kind_label(self, obj):
        return rules.document_kinds(obj.claim.policy.line.code).get(obj.kind, admin_display.code_label(obj.kind))

    @admin.display(description=gettext_lazy("فایل"))
    def link(self, obj):
        return format_html(_('<a href="{}">مشاهده</a>'), reverse("claims:document", args=[obj.claim_id, obj.pk]))


TRANSITIONS = {
    "assess": (gettext_lazy("ارزیابی خسارت"), forms.AssessForm),
    "approve": (gettext_lazy("تأیید پرداخت"), forms.ReferenceForm),
    "pay": (gettext_lazy("ثبت پرداخت"), forms.ReferenceForm),
    "reject": (gettext_lazy("رد خسارت"), forms.RejectForm),
    "panel": (gettext_lazy("رأی هیئت کارشناسی سه‌نفره"), forms.PanelForm),
    "title_transfer": (gettext_lazy("انتقال سند خودرو به بیمه‌گر"), forms.DayForm),
    "vehicle_found": (gettext_lazy("پیدا شدن خودروی سرقت‌شده"), forms.VehicleFoundForm),
    "vehicle_sold": (gettext_lazy("فروش خودروی پیداشده و برگشت سهم فرانشیز"), forms.VehicleSoldForm),
    "vehicle_check": (gettext_lazy("بازدید سلامت خودرو پس از خسارت"), forms.DayForm),
    "fraud_void": (gettext_lazy("ابطال بیمه‌نامه به دلیل بیمه متقلبانه بیش از ارزش"), forms.FraudVoidForm),
    "declaration_require": (gettext_lazy("درخواست اقرارنامه محضری"), forms.DeclarationRequireForm),
    "declaration_record": (gettext_lazy("ثبت اقرارنامه محضری"), forms.DeclarationRecordForm),
    "staged": (gettext_lazy("اثبات صحنه‌سازی (بازپرداخت دو برابر)"), forms.StagedForm),
    "exclusion": (gettext_lazy("رد خسارت به استثنای بیمه‌نامه (یا ابطال بیمه‌نامه دستگاه)"), forms.ExclusionForm),
}

# The steps whose form carries its own service arguments (form.service_kwargs()).
FORM_STEPS = {
    "assess": services.claim_assess,
    "panel": services.claim_panel_decide,
    "title_transfer": services.claim_title_transfer_record,
    "vehicle_found": services.claim_vehicle_found,
    "vehicle_sold": services.claim_vehicle_sold,
    "vehicle_check": services.claim_vehicle_check_record,
    "fraud_void": services.claim_void_for_fraud,
    "declaration_require": services.claim_declaration_require,
    "declaration_record": services.claim_declaration_record,
    "staged": services.claim_staged_record,
    "exclusion": services.claim_exclusion_record,
}


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "policy_link",
        "customer",
        "cause_label",
        "status",
        "late",
        "filed_on",
        "due",
        "payout",
        "authority_level",
    )
    list_filter = ("status", OverdueFilter, "late", "policy__line", "authority_level")
    search_fields = ("=id", "policy__number", "customer__mobile", "customer__last_name")
    list_select_related = ("policy__line", "customer")
    inlines = [ClaimDocumentInline]
    actions = ["documents_complete", "approve", "order_payment"]
    change_form_template = "claims/admin/claim_change_form.html"
    readonly_fields = [*admin_display.field_names(Claim), "cause_label", "driver_violation_label"]
    fieldsets = (
        (
            None,
            {"fields": ("policy", "customer", "status", "cause_label", "occurred_on", "description", "estimated_loss")},
        ),
        (
            gettext_lazy("اعلام و مدارک"),
            {"fields": ("filed_at", "late", "deadline_days", "late_by_days", "documents_completed_at")},
        ),
        (
            gettext_lazy("ارزیابی و تأیید"),
            {
                "fields": (
                    "assessed_at",
                    "assessed_loss",
                    "assessment",
                    "payout",
                    "payout_breakdown",
                    "assessment_note",
                    "authority_level",
                    "approved_at",
                    "approval_reference",
                )
            },
        ),
        (
            gettext_lazy("اعتراض، سرقت کلی، بازدید سلامت، بازیافت"),
            {
                "fields": (
                    "disputed_at",
                    "dispute_reason",
                    "panel_decided_at",
                    "panel",
                    "theft_reported_on",
                    "title_transferred_on",
                    "vehicle_found_on",
                    "vehicle_sale_price",
                    "deductible_refund",
                    "vehicle_checked_on",
                    "driver_violation_label",
                    "driver_recovery",
                )
            },
        ),
        (
            gettext_lazy("پرداخت"),
            {
                "fields": (
                    "payment_due_on",
                    "undertaking_accepted_at",
                    "payment_ordered_at",
                    "paid_at",
                    "paid_amount",
                    "payment_reference",
                    "rejected_at",
                    "rejection_reason",
                )
            },
        ),
    )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("بیمه‌نامه"))
    def policy_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:policies_policy_change", args=[obj.policy_id]), obj.policy.number
        )

    @admin.display(description=gettext_lazy("شماره"), ordering="id")
    def number(self, obj):
        return obj.pk

    @admin.display(description=gettext_lazy("علت حادثه"), ordering="cause")
    def cause_label(self, obj):
        cause = rules.cause_for(obj.policy.line.code, obj.cause)
        return cause.label if cause else admin_display.code_label(obj.cause)

    @admin.display(description=gettext_lazy("تخلف حادثه‌ساز راننده مقصر"))
    def driver_violation_label(self, obj):
        return rules.driver_fault_label(obj.driver_violation) or admin_display.code_label(obj.driver_violation) or "—"

    @admin.display(description=gettext_lazy("زمان اعلام"), ordering="filed_at")
    def filed_on(self, obj):
        return format_jalali(obj.filed_at)

    @admin.display(description=gettext_lazy("مهلت پرداخت"), ordering="payment_due_on")
    def due(self, obj):
        if not obj.payment_due_on:
            return "—"
        text = format_jalali(obj.payment_due_on)
        if selectors.claim_is_overdue(obj):
            return format_html(_('<strong style="color:#b00020">⚠ {} (گذشته)</strong>'), text)
        return text

    def _run(self, request, queryset, service, done):
        ok = 0
        for claim in queryset:
            try:
                service(user=request.user, claim=claim)
            except ApplicationError as exc:
                self.message_user(
                    request, f"{_('خسارت شماره')} {to_persian_digits(claim.pk)}: {exc.message}", messages.ERROR
                )
            else:
                ok += 1
        if ok:
            self.message_user(request, done % {"n": ok}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("تکمیل مدارک (شروع مهلت چهار هفته)"))
    def documents_complete(self, request, queryset):
        self._run(request, queryset, services.claim_documents_complete, _("مدارک %(n)s پرونده کامل شد."))

    @admin.action(description=gettext_lazy("تأیید پرداخت (در سطح اختیار اداره یا نظارت)"))
    def approve(self, request, queryset):
        self._run(request, queryset, services.claim_approve, _("%(n)s پرونده تأیید شد."))

    @admin.action(description=gettext_lazy("صدور حواله پرداخت"))
    def order_payment(self, request, queryset):
        self._run(request, queryset, services.claim_order_payment, _("حواله %(n)s پرونده صادر شد."))

    def get_urls(self):
        custom = [
            path(
                "<int:claim_id>/transition/<str:action>/",
                self.admin_site.admin_view(self.transition_view),
                name="claims_claim_transition",
            ),
            path(
                "<int:claim_id>/simple/<str:action>/",
                self.admin_site.admin_view(self.simple_transition_view),
                name="claims_claim_simple",
            ),
        ]
        return custom + super().get_urls()

    def simple_transition_view(self, request, claim_id, action):
        """Buttons on the change page for the steps without input (POST only)."""
        claim = get_object_or_404(Claim, pk=claim_id)
        service = {
            "documents_complete": services.claim_documents_complete,
            "order_payment": services.claim_order_payment,
        }.get(action)
        if service is None or request.method != "POST":
            return redirect("admin:claims_claim_change", claim.pk)
        try:
            service(user=request.user, claim=claim)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(request, _("انجام شد."), messages.SUCCESS)
        return redirect("admin:claims_claim_change", claim.pk)

    def transition_view(self, request, claim_id, action):
        """A small form for the steps that need input: assess, approve, pay, reject."""
        claim = get_object_or_404(Claim, pk=claim_id)
        if action not in TRANSITIONS:
            return redirect("admin:claims_claim_change", claim.pk)
        title, form_class = TRANSITIONS[action]
        form = form_class(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if action in FORM_STEPS:
                    FORM_STEPS[action](user=request.user, claim=claim, **form.service_kwargs())
                elif action == "approve":
                    services.claim_approve(user=request.user, claim=claim, reference=form.cleaned_data["reference"])
                elif action == "pay":
                    services.claim_mark_paid(user=request.user, claim=claim, reference=form.cleaned_data["reference"])
                else:
                    services.claim_reject(user=request.user, claim=claim, reason=form.cleaned_data["reason"])
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                self.message_user(request, _("%(step)s ثبت شد.") % {"step": title}, messages.SUCCESS)
                return redirect("admin:claims_claim_change", claim.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("%(step)s — پرونده %(claim)s") % {"step": title, "claim": claim.pk},
            "claim": claim,
            "form": form,
            "opts": self.model._meta,
            "missing": selectors.missing_documents(claim),
        }
        return render(request, "claims/admin/claim_transition.html", context)
