"""Geographic access scope: the one place that decides what part of the country a user may reach.

The user model computes its `Scope` (accounts.models.User.get_scope); everything else goes through here.

Every selector passes its queryset through `scope_queryset()`; every object check goes through `in_scope()`
(used by the `rules` predicates). A model says where it is through two class attributes:
`scope_province_field` (a path to a province-level AdminUnit, or None for national records),
`scope_commune_field` (a path to a current commune, or None) and `scope_establishment_field` (a path to the
establishment the record belongs to, for establishment representatives, who see their own establishments only; a
model without it shows them nothing). A record that joins two places (a possible-duplicate pair of two
establishments) gives a tuple of paths: it is in scope only when every one of them is.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext as _

from .exceptions import ApplicationError, ErrorCode

__all__ = [
    "COMMUNES",
    "COUNTRY",
    "ESTABLISHMENTS",
    "PROVINCE",
    "Scope",
    "in_scope",
    "require_in_scope",
    "scope_queryset",
    "user_scope",
]

COUNTRY, PROVINCE, COMMUNES, ESTABLISHMENTS = "country", "province", "communes", "establishments"


@dataclass(frozen=True)
class Scope:
    level: str
    province_ids: frozenset[int] = field(default_factory=frozenset)
    commune_ids: frozenset[int] = field(default_factory=frozenset)
    establishment_ids: frozenset[int] = field(default_factory=frozenset)
    label: str = ""

    @property
    def is_country(self) -> bool:
        return self.level == COUNTRY

    @property
    def is_empty(self) -> bool:
        """No area at all: nothing geographic (figures by province or commune) is shown. An establishment
        representative's scope is empty in this sense: it holds records, not an area."""
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


Paths = str | tuple[str, ...] | None


def _paths(value: Paths) -> tuple[str, ...]:
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _scope_q(
    model: type[models.Model],
    scope: Scope,
    province_field: Paths,
    commune_field: Paths,
    establishment_field: Paths = None,
) -> Q:
    """Every path must lie in the scope (one path for most records; both sides of a pair)."""
    if scope.is_country:
        return Q()
    level_paths = {PROVINCE: province_field, COMMUNES: commune_field, ESTABLISHMENTS: establishment_field}
    paths = _paths(level_paths.get(scope.level))
    if not paths:
        return Q(pk__in=[])  # the record cannot be placed inside this scope: nothing
    condition = Q()
    for path in paths:
        condition &= _path_q(model, scope, path)
    return condition


def _path_q(model: type[models.Model], scope: Scope, path: str) -> Q:
    if scope.level == PROVINCE:
        return Q(**{f"{path}__in": scope.province_ids})
    if scope.level == COMMUNES:
        return Q(**{f"{path}__in": scope.commune_ids})
    if "__" not in path:
        return Q(**{f"{path}__in": scope.establishment_ids})
    # A path across a to-many relation (a project's beneficiaries): a subquery, so no row comes twice.
    matching = model._default_manager.filter(**{f"{path}__in": scope.establishment_ids})
    return Q(pk__in=matching.values("pk"))


def scope_queryset[M: models.Model](
    queryset: models.QuerySet[M],
    user: Any,
    *,
    province_field: Paths = None,
    commune_field: Paths = None,
) -> models.QuerySet[M]:
    """Restrict `queryset` to what `user` may reach. Fields default to the model's `scope_*_field` attributes."""
    model = queryset.model
    province_field = province_field or getattr(model, "scope_province_field", None)
    commune_field = commune_field or getattr(model, "scope_commune_field", None)
    establishment_field = getattr(model, "scope_establishment_field", None)
    scope = user_scope(user)
    if scope.level == _EMPTY.level:
        return queryset.none()
    return queryset.filter(_scope_q(model, scope, province_field, commune_field, establishment_field))


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
        paths, allowed = _paths(getattr(obj, "scope_province_field", None)), scope.province_ids
    elif scope.level == COMMUNES:
        paths, allowed = _paths(getattr(obj, "scope_commune_field", None)), scope.commune_ids
    else:
        paths, allowed = _paths(getattr(obj, "scope_establishment_field", None)), scope.establishment_ids
    if not paths or not allowed:
        return False
    for path in paths:
        if scope.level == ESTABLISHMENTS and "__" in path:  # across a to-many relation: ask the database
            if getattr(obj, "pk", None) is None:
                return False
            if not type(obj)._default_manager.filter(pk=obj.pk, **{f"{path}__in": allowed}).exists():
                return False
        elif _resolve(obj, path) not in allowed:
            return False
    return True


def require_in_scope(user: Any, obj: Any) -> None:
    """Raise the out-of-scope error (shown as a 404: the object's existence is not revealed)."""
    if not in_scope(user, obj):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
