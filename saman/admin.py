"""Staff screens for the Saman exports: the list, a download link, explicit regeneration.

Rows are never edited by hand: the file, its hash and counts come from the service.
Download goes through `saman_export_for_download` (staff with the download permission);
regeneration through `saman_export_regenerate` (its own permission, audited).
"""

from django.contrib import admin, messages
from django.http import FileResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.exceptions import ApplicationError
from core.jalali import format_jalali
from saman import selectors, services
from saman.models import SamanExport


@admin.register(SamanExport)
class SamanExportAdmin(admin.ModelAdmin):
    list_display = ["period", "version", "status", "record_counts", "short_hash", "finished", "download_link"]
    list_filter = ["status", "year"]
    actions = ["regenerate"]
    readonly_fields = [
        "year",
        "month",
        "status",
        "version",
        "file_name",
        "manifest_name",
        "sha256",
        "size",
        "counts",
        "error",
        "claimed_at",
        "finished_at",
        "requested_by",
        "download_link",
    ]
    exclude = ["created_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        # Viewable, never editable: the row is what the service wrote.
        return False

    @admin.display(description=gettext_lazy("دوره"), ordering="year")
    def period(self, obj):
        return f"{obj.year}/{obj.month:02d}"

    @admin.display(description=gettext_lazy("رکوردها"))
    def record_counts(self, obj):
        counts = obj.counts or {}
        return _("صدور %(p)s، الحاقی %(e)s، فسخ %(c)s، خسارت %(l)s") % {
            "p": counts.get("policies", "-"),
            "e": counts.get("endorsements", "-"),
            "c": counts.get("cancellations", "-"),
            "l": counts.get("claims_paid", "-"),
        }

    @admin.display(description="SHA-256")
    def short_hash(self, obj):
        return obj.sha256[:12]

    @admin.display(description=gettext_lazy("پایان تهیه"))
    def finished(self, obj):
        return format_jalali(obj.finished_at, with_time=True)

    @admin.display(description=gettext_lazy("فایل"))
    def download_link(self, obj):
        if obj.status != SamanExport.Status.DONE:
            return "-"
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:saman_samanexport_download", args=[obj.pk]), _("دریافت فایل")
        )

    def get_urls(self):
        return [
            path(
                "<int:export_id>/download/",
                self.admin_site.admin_view(self.download_view),
                name="saman_samanexport_download",
            ),
            *super().get_urls(),
        ]

    def download_view(self, request, export_id):
        export = selectors.saman_export_for_download(user=request.user, export_id=export_id)
        return FileResponse(
            services.saman_export_open(export=export),
            as_attachment=True,
            filename=export.file_name.rsplit("/", 1)[-1],
            content_type="text/plain; charset=utf-8",
        )

    def has_regenerate_permission(self, request):
        return request.user.has_perm("saman.regenerate_samanexport")

    @admin.action(description=gettext_lazy("تهیه دوباره خروجی (نسخه جدید، ثبت در ممیزی)"), permissions=["regenerate"])
    def regenerate(self, request, queryset):
        for export in queryset:
            try:
                export = services.saman_export_regenerate(export=export, actor=request.user)
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
                continue
            self.message_user(
                request,
                _("خروجی %(period)s نسخه %(version)s تهیه شد.")
                % {"period": f"{export.year}/{export.month:02d}", "version": export.version},
                messages.SUCCESS,
            )
        return redirect(request.get_full_path())
