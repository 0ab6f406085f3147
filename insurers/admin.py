from django.contrib import admin

from insurers.models import InsuranceLine, Insurer, Province


@admin.register(Insurer)
class InsurerAdmin(admin.ModelAdmin):
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
