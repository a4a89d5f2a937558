from django.contrib import admin

from jaring.regions.models import BranchOffice, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind"]
    search_fields = ["code", "name"]
    list_filter = ["level"]


@admin.register(BranchOffice)
class BranchOfficeAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    filter_horizontal = ["regencies"]
