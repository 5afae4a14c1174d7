"""Geographic access scope: the one place that decides what part of the country a user may reach.

The user model computes its `Scope` (accounts.models.User.get_scope); everything else goes through here.

Every selector passes its queryset through `scope_queryset()`; every object check goes through `in_scope()`
(used by the `rules` predicates). A model says where it is through two class attributes:
`scope_province_field` (a path to a province-level AdminUnit, or None for national records) and
`scope_commune_field` (a path to a current commune, or None).
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .exceptions import ApplicationError, ErrorCode

__all__ = ["COUNTRY", "COMMUNES", "PROVINCE", "Scope", "in_scope", "require_in_scope", "scope_queryset", "user_scope"]

COUNTRY, PROVINCE, COMMUNES = "country", "province", "communes"


@dataclass(frozen=True)
class Scope:
    level: str
    province_ids: frozenset[int] = field(default_factory=frozenset)
    commune_ids: frozenset[int] = field(default_factory=frozenset)
    label: str = ""

    @property
    def is_country(self) -> bool:
        return self.level == COUNTRY

    @property
    def is_empty(self) -> bool:
        return not self.is_country and not self.province_ids and not self.commune_ids


_EMPTY = Scope(level="none", label="")


def user_scope(user: Any) -> Scope:
    """The scope of `user` (from `user.get_scope()`), computed once per request and cached on the user object."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return _EMPTY
    cached = getattr(user, "_kc_scope", None)
    if cached is not None:
        return cached
    scope = user.get_scope() if hasattr(user, "get_scope") else _EMPTY
    user._kc_scope = scope
    return scope


def _scope_q(model: type[models.Model], scope: Scope, province_field: str | None, commune_field: str | None) -> Q:
    if scope.is_country:
        return Q()
    if scope.level == PROVINCE and province_field:
        return Q(**{f"{province_field}__in": scope.province_ids})
    if scope.level == COMMUNES and commune_field:
        return Q(**{f"{commune_field}__in": scope.commune_ids})
    return Q(pk__in=[])  # the record cannot be placed inside this scope: nothing


def scope_queryset[M: models.Model](
    queryset: models.QuerySet[M],
    user: Any,
    *,
    province_field: str | None = None,
    commune_field: str | None = None,
) -> models.QuerySet[M]:
    """Restrict `queryset` to what `user` may reach. Fields default to the model's `scope_*_field` attributes."""
    model = queryset.model
    province_field = province_field or getattr(model, "scope_province_field", None)
    commune_field = commune_field or getattr(model, "scope_commune_field", None)
    scope = user_scope(user)
    if scope.level == _EMPTY.level:
        return queryset.none()
    return queryset.filter(_scope_q(model, scope, province_field, commune_field))


def _resolve(obj: Any, path: str | None) -> Any:
    """The primary key at the end of `path` ("province", "commune__province", "pk") starting from `obj`."""
    if not path:
        return None
    *parents, last = path.split("__")
    value = obj
    for part in parents:
        value = getattr(value, part, None)
        if value is None:
            return None
    if last == "pk":
        return value.pk
    if hasattr(value, f"{last}_id"):
        return getattr(value, f"{last}_id")
    related = getattr(value, last, None)
    return getattr(related, "pk", related)


def in_scope(user: Any, obj: Any) -> bool:
    """Whether `obj` lies inside `user`'s scope (the single-object twin of `scope_queryset`)."""
    scope = user_scope(user)
    if scope.is_country:
        return True
    if scope.level == _EMPTY.level or obj is None:
        return False
    if scope.level == PROVINCE:
        province_id = _resolve(obj, getattr(obj, "scope_province_field", None))
        return province_id in scope.province_ids
    commune_id = _resolve(obj, getattr(obj, "scope_commune_field", None))
    return commune_id in scope.commune_ids


def require_in_scope(user: Any, obj: Any) -> None:
    """Raise the out-of-scope error (shown as a 404: the object's existence is not revealed)."""
    if not in_scope(user, obj):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
