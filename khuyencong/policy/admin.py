"""Administrators edit the policy data through these forms; every change is kept in the model's history."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    ActivityContent,
    AdvanceRule,
    AreaClassification,
    BeneficiaryRule,
    CalendarDeadline,
    EligibleIndustryGroup,
    EnterpriseSizeLimit,
    Indicator,
    Industry,
    LegalDocument,
    SupportItem,
    SupportRule,
)

DATED = ["legal_document", "provision", "valid_from", "valid_to", "uncertain"]


@admin.register(EligibleIndustryGroup)
class EligibleIndustryGroupAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "legal_basis", "valid_from", "valid_to", "uncertain"]


@admin.register(Industry)
class IndustryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "level", "eligible_group"]
    list_filter = ["level", "eligible_group"]
    search_fields = ["code", "name"]


@admin.register(LegalDocument)
class LegalDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["number", "kind", "title", "signed_on", "effective_from", "effective_to", "uncertain"]
    list_filter = ["kind", "uncertain"]
    search_fields = ["number", "title"]
    filter_horizontal = ["amends", "replaces"]


@admin.register(ActivityContent)
class ActivityContentAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", *DATED]
    list_filter = ["legal_document", "uncertain"]
    search_fields = ["code", "name"]


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "unit", "group", "computed", *DATED]
    list_filter = ["unit", "computed", "uncertain"]
    search_fields = ["code", "name"]
    filter_horizontal = ["support_items"]


@admin.register(SupportItem)
class SupportItemAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name", "content_code"]


@admin.register(SupportRule)
class SupportRuleAdmin(SimpleHistoryAdmin):
    list_display = [
        "item",
        "fund",
        "province",
        "area_class",
        "max_percent",
        "max_amount_vnd",
        "unit",
        "priority_multiplier",
        *DATED,
    ]
    list_filter = ["fund", "legal_document", "area_class", "uncertain"]
    autocomplete_fields = ["province"]


@admin.register(AreaClassification)
class AreaClassificationAdmin(SimpleHistoryAdmin):
    list_display = ["unit", "kind", *DATED]
    list_filter = ["kind"]
    autocomplete_fields = ["unit"]


@admin.register(BeneficiaryRule)
class BeneficiaryRuleAdmin(SimpleHistoryAdmin):
    list_display = ["location_rule", "legal_forms", *DATED]


@admin.register(CalendarDeadline)
class CalendarDeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["step", "fund", "province", "day", "month", "year_offset", *DATED]
    list_filter = ["fund", "step"]


@admin.register(AdvanceRule)
class AdvanceRuleAdmin(SimpleHistoryAdmin):
    list_display = ["fund", "max_percent", "condition", *DATED]
    filter_horizontal = ["items"]


@admin.register(EnterpriseSizeLimit)
class EnterpriseSizeLimitAdmin(SimpleHistoryAdmin):
    list_display = ["legal_form", "max_employees", *DATED]
