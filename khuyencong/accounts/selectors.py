"""Reads of users and organisations, always through the user's scope."""

import uuid
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.scoping import require_in_scope, scope_queryset, user_scope
from khuyencong.core.text import fold_words

from .models import ApiToken, Organisation, User


def organisation_list(*, user: Any, query: str = "", kind: str = "") -> QuerySet[Organisation]:
    qs = scope_queryset(Organisation.objects.select_related("province", "commune", "parent"), user)
    for word in fold_words(query):
        qs = qs.filter(name_folded__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("name_folded")


def organisations_for(*, user: Any) -> QuerySet[Organisation]:
    """The organisations a user may name on a record (a project's implementing or coordinating organisations): those
    of their area and the national ones (the ministry and its agency, which have no province)."""
    if user_scope(user).level == "none":
        return Organisation.objects.none()
    return (
        scope_queryset(Organisation.objects.all(), user) | Organisation.objects.filter(province__isnull=True)
    ).order_by("name_folded")


def organisation_get(*, user: Any, pk: Any) -> Organisation:
    """One organisation in the user's scope; unknown, malformed and out-of-scope ids are all "not found"."""
    try:
        key = uuid.UUID(str(pk))
        org = Organisation.objects.select_related("province", "commune", "parent").get(pk=key)
    except (ValueError, Organisation.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Organisation not found.")) from exc
    if not user.has_perm("accounts.view_organisation", org):  # the rules predicate: logged in and in scope
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    return org


def organisation_members(*, user: Any, organisation: Organisation) -> QuerySet[User]:
    require_in_scope(user, organisation)
    return organisation.users.filter(is_active=True).order_by("username")


def has_authenticator(*, user: Any) -> bool:
    """Whether the user has a confirmed authenticator app (TOTP device)."""
    return bool(user.is_authenticated and TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists())


def api_token_list(*, user: Any) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first (revoked and expired ones included)."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-pk")


def api_token_get(*, user: Any, pk: Any) -> ApiToken:
    """One of the user's own tokens; another user's token, an unknown or a malformed id are all "not found"."""
    try:
        return api_token_list(user=user).get(pk=int(str(pk)))
    except (ValueError, ApiToken.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("API token not found.")) from exc
