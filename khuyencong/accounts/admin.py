from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "province"]
    list_filter = ["kind"]
    search_fields = ["name", "name_folded"]
    raw_id_fields = ["province", "commune", "parent"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "first_name", "last_name", "role", "scope_level", "organisation", "is_active"]
    list_filter = ["role", "scope_level", "is_active"]
    raw_id_fields = ["organisation", "scope_province", "scope_communes"]
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("Khuyến công"),
            {"fields": ("organisation", "role", "scope_level", "scope_province", "scope_communes", "phone")},
        ),
    )
