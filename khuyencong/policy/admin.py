from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import EligibleIndustryGroup, Industry


@admin.register(EligibleIndustryGroup)
class EligibleIndustryGroupAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "legal_basis", "valid_from", "valid_to", "uncertain"]


@admin.register(Industry)
class IndustryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "eligible_group"]
    list_filter = ["level", "eligible_group"]
    search_fields = ["code", "name"]
