from typing import Any, ClassVar

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.admin import SimpleHistoryAdmin

from khuyencong.core.exceptions import ApplicationError
from khuyencong.core.forms import PhoneField, keep_phones

from . import services
from .forms import TwoFactorResetForm
from .models import ApiToken, Organisation, TwoFactorEvent, User

# django-otp registers its devices in the admin: there an administrator could read a user's TOTP key or plant a
# device (or a backup code) of their own, with no TwoFactorEvent. Devices change only through accounts.services
# (set-up, replacement, the administrator's reset with its reason), which record every change.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "province"]
    list_filter = ["kind"]
    search_fields = ["name", "name_folded"]
    raw_id_fields = ["province", "commune", "parent"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin, SimpleHistoryAdmin):
    list_display = ["username", "full_name", "role", "scope_level", "organisation", "is_active"]
    list_filter = ["role", "scope_level", "is_active"]
    search_fields = ["username", "full_name", "email"]
    raw_id_fields = ["organisation", "scope_province", "scope_communes"]
    # The name as the person writes it ("Lê Thị Mai"), in place of Django's first and last name.
    fieldsets: ClassVar[Any] = (
        *(
            (title, {**options, "fields": ("full_name", "email")})
            if "first_name" in options.get("fields", ())
            else (title, options)
            for title, options in DjangoUserAdmin.fieldsets or ()
        ),
        (
            gettext_lazy("Khuyến công"),
            {"fields": ("organisation", "role", "scope_level", "scope_province", "scope_communes", "phone")},
        ),
    )
    actions = ["reset_two_factor"]

    def formfield_for_dbfield(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "phone":  # a Vietnamese number, as everywhere else
            return PhoneField(label=db_field.verbose_name, max_length=db_field.max_length)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        base = super().get_form(request, obj, change=change, **kwargs)

        class Form(base):  # type: ignore[valid-type, misc]
            def __init__(self, *args: Any, **kwargs: Any) -> None:
                super().__init__(*args, **kwargs)
                keep_phones(self)  # the number an account holds stays acceptable as it is

        return Form

    def has_reset_two_factor_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.reset_two_factor")  # a system administrator, verified

    @admin.action(description=gettext_lazy("Reset two-factor authentication"), permissions=["reset_two_factor"])
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        """Asks for the reason, then removes the chosen accounts' authenticator apps and backup codes through
        `services.two_factor_reset` (each reset is a `TwoFactorEvent` in the history)."""
        form = TwoFactorResetForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done, refused = [], []
            for target in queryset:
                try:
                    reason = form.cleaned_data["reason"]
                    services.two_factor_reset(user=request.user, target_id=target.pk, reason=reason)
                except ApplicationError as error:
                    if error.field == "reason":
                        form.add_error("reason", str(error.message))
                        break
                    refused.append(f"{target.username}: {error.message}")
                else:
                    done.append(target.username)
            if not form.errors:
                if done:
                    self.message_user(
                        request, _("Two-factor authentication reset for: %(users)s.") % {"users": ", ".join(done)}
                    )
                for line in refused:
                    self.message_user(request, line, level=messages.ERROR)
                return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Reset two-factor authentication"),
            "opts": self.model._meta,
            "queryset": queryset,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/accounts/user/two_factor_reset.html", context)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are made and revoked by their owners on /accounts/me/tokens/; here administrators see them and may
    revoke one. The key is never shown (only its hash is stored, and that is not shown either) nor set."""

    list_display = [
        "name", "user", "prefix", "access", "verified", "created_at", "expires_at", "last_used_at", "revoked_at",
    ]  # fmt: skip
    list_filter = ["access", "verified"]
    search_fields = ["name", "prefix", "user__username"]
    fields = readonly_fields = (
        "user", "name", "prefix", "access", "verified", "created_at", "expires_at", "last_used_at", "revoked_at",
    )  # fmt: skip
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # revoke instead: the record and its history stay

    @admin.action(description=gettext_lazy("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            try:
                services.api_token_revoke(user=request.user, token_id=token.pk)
            except ApplicationError as error:
                self.message_user(request, f"{token}: {error.message}", level=messages.ERROR)
            else:
                self.message_user(request, _("The token “%(name)s” was revoked.") % {"name": token.name})


@admin.register(TwoFactorEvent)
class TwoFactorEventAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "kind", "actor", "reason"]
    list_filter = ["kind"]
    search_fields = ["user__username", "actor__username", "reason"]
    readonly_fields = ["at", "user", "kind", "actor", "reason"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
