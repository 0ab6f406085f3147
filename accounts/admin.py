from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import IdentityChangeRequest, SupportTicket, TicketMessage, User
from accounts.services import identity_change_request_decide, ticket_reply
from core.exceptions import ApplicationError


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("mobile",)


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserCreationForm
    form = UserEditForm
    ordering = ["-date_joined"]
    list_display = ["mobile", "first_name", "last_name", "national_code", "is_verified", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_active", "is_superuser"]
    search_fields = ["mobile", "national_code", "first_name", "last_name"]
    readonly_fields = ["date_joined", "last_login", "mobile_verified_at"]
    fieldsets = (
        (None, {"fields": ("mobile", "password")}),
        (_("هویت"), {"fields": ("first_name", "last_name", "national_code", "birth_date", "mobile_verified_at")}),
        (_("تماس"), {"fields": ("email", "province", "city", "postal_address", "postal_code")}),
        (_("دسترسی"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("زمان‌ها"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("mobile", "usable_password", "password1", "password2")}),)

    @admin.display(boolean=True, description=_("موبایل تأییدشده"))
    def is_verified(self, obj):
        return obj.is_verified


@admin.register(IdentityChangeRequest)
class IdentityChangeRequestAdmin(admin.ModelAdmin):
    """Staff decide with the two buttons of the change page; both call the same service as any other caller."""

    change_form_template = "admin/accounts/identitychangerequest/change_form.html"
    list_display = ["user", "field", "old_value", "new_value", "status", "created_at"]
    list_filter = ["status", "field"]
    search_fields = ["user__mobile", "user__national_code", "new_value"]
    readonly_fields = [
        "user",
        "field",
        "old_value",
        "new_value",
        "reason",
        "status",
        "decided_by",
        "decided_at",
        "created_at",
    ]
    fields = readonly_fields[:5] + ["decision_note"] + readonly_fields[5:]
    actions = ["approve_selected"]

    def has_add_permission(self, request):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "decided_by")

    @admin.action(description=_("تأیید و اعمال درخواست‌های انتخاب‌شده"))
    def approve_selected(self, request, queryset):
        done = 0
        for change in queryset.filter(status=IdentityChangeRequest.Status.PENDING):
            try:
                identity_change_request_decide(change=change, staff=request.user, approve=True)
                done += 1
            except ApplicationError as exc:
                self.message_user(request, f"{change}: {exc.message}", messages.ERROR)
        self.message_user(request, gettext("%(count)s درخواست تأیید و اعمال شد.") % {"count": done}, messages.SUCCESS)

    def response_change(self, request, obj):
        decision = "_approve" in request.POST or ("_reject" in request.POST and "reject")
        if decision:
            note = request.POST.get("decision_note", "")
            try:
                identity_change_request_decide(
                    change=obj, staff=request.user, approve="_approve" in request.POST, note=note
                )
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(request, gettext("تصمیم ثبت شد و به کاربر پیامک می‌شود."), messages.SUCCESS)
            return HttpResponseRedirect(reverse("admin:accounts_identitychangerequest_changelist"))
        return super().response_change(request, obj)

    def save_model(self, request, obj, form, change):
        # Decisions go through the service only (see response_change); a plain save
        # must not change the request behind the audit trail's back.
        return None


class TicketMessageInline(admin.TabularInline):
    model = TicketMessage
    extra = 0
    can_delete = False
    fields = ["created_at", "is_staff_reply", "body"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class TicketAdminForm(forms.ModelForm):
    reply = forms.CharField(label=_("پاسخ پشتیبانی"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    close = forms.BooleanField(label=_("بستن تیکت پس از پاسخ"), required=False)

    class Meta:
        model = SupportTicket
        fields = []


@admin.register(SupportTicket)
class SupportTicketAdmin(admin.ModelAdmin):
    form = TicketAdminForm
    list_display = ["subject", "user", "category", "status", "updated_at"]
    list_filter = ["status", "category"]
    search_fields = ["subject", "user__mobile"]
    readonly_fields = ["user", "category", "subject", "status", "created_at"]
    fields = readonly_fields + ["reply", "close"]
    inlines = [TicketMessageInline]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        body = form.cleaned_data.get("reply", "").strip()
        if body:
            ticket_reply(ticket=obj, staff=request.user, body=body, close=form.cleaned_data.get("close", False))
            self.message_user(request, gettext("پاسخ ثبت شد و به کاربر پیامک می‌شود."), messages.SUCCESS)
