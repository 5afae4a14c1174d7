from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AdminUnit, AdminUnitSuccession, AdminUnitTypePeriod, Region, RegionMembership


class TypePeriodInline(admin.TabularInline):
    model = AdminUnitTypePeriod
    extra = 0


@admin.register(AdminUnit)
class AdminUnitAdmin(SimpleHistoryAdmin):
    list_display = ["code", "full_name", "level", "unit_type", "valid_from", "valid_to"]
    list_filter = ["level", "unit_type", "valid_to"]
    search_fields = ["code", "name_folded", "full_name"]
    raw_id_fields = ["parent", "province"]
    inlines = [TypePeriodInline]


@admin.register(AdminUnitSuccession)
class AdminUnitSuccessionAdmin(SimpleHistoryAdmin):
    list_display = ["predecessor", "successor", "effective_on", "is_primary"]
    raw_id_fields = ["predecessor", "successor"]
    list_filter = ["is_primary"]


@admin.register(AdminUnitTypePeriod)
class AdminUnitTypePeriodAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "unit_type", "full_name", "valid_from", "valid_to", "uncertain"]
    raw_id_fields = ["unit"]


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "sort_order"]


@admin.register(RegionMembership)
class RegionMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["region", "province", "valid_from", "valid_to", "uncertain"]
    list_filter = ["region"]
    raw_id_fields = ["province"]
