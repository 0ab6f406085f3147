from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core import admin_display
from core.models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "target_kind", "target_id", "actor"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_id", "action"]
    fields = admin_display.readable_fields(AuditLog, replace={"target_type": "target_kind"})
    readonly_fields = fields

    @admin.display(description=_("نوع هدف"), ordering="target_type")
    def target_kind(self, entry):
        return admin_display.model_label(entry.target_type)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
