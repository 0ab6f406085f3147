from django.contrib import admin

from core.admin_history import HistoryAdmin
from insurers.models import InsuranceLine, Insurer, Province


@admin.register(Insurer)
class InsurerAdmin(HistoryAdmin):
    list_display = ["name", "code", "is_active", "order"]
    list_editable = ["is_active", "order"]
    search_fields = ["name", "code"]


@admin.register(InsuranceLine)
class InsuranceLineAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]
    search_fields = ["name", "code"]
