"""Permission predicates (django-rules). Object checks always include the geographic scope."""

from typing import Any

import rules

from khuyencong.core.scoping import in_scope

from .choices import Role


@rules.predicate
def is_system_admin(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role == Role.SYSTEM_ADMIN))


def is_two_factor_verified(user: Any) -> bool:
    """Whether this request's user passed the second factor: a session verified with a code (django-otp's
    middleware installs `is_verified`), or a verified API token (accounts.middleware.ApiTokenMiddleware). A user
    object read from the database, without a request, is never verified."""
    check = getattr(user, "is_verified", None)
    return bool(user.is_authenticated and callable(check) and check())


@rules.predicate
def is_verified_system_admin(user: Any) -> bool:
    return bool(is_system_admin(user) and is_two_factor_verified(user))


@rules.predicate
def is_ministry_staff(user: Any) -> bool:
    return bool(user.is_authenticated and user.role in (Role.MINISTRY_OFFICER, Role.MINISTRY_APPROVER))


@rules.predicate
def is_provincial_approver(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.PROVINCIAL_APPROVER)


@rules.predicate
def is_object_in_scope(user: Any, obj: Any) -> bool:
    if obj is None:
        return False
    return in_scope(user, obj)


is_authenticated = rules.is_authenticated

rules.add_perm("accounts.view_organisation", is_authenticated & is_object_in_scope)
rules.add_perm(
    "accounts.change_organisation",
    is_system_admin | ((is_ministry_staff | is_provincial_approver) & is_object_in_scope),
)
rules.add_perm("accounts.view_activity_log", is_system_admin)
rules.add_perm("accounts.reset_two_factor", is_verified_system_admin)
