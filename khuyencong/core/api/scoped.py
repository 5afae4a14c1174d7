"""Related fields of the API: every id a JSON body sends to name another record is one of these two, so that
forgetting the caller's scope cannot happen (a test walks every serializer of the project and fails on any other
writable related or id field).

- `ScopedPrimaryKeyRelatedField(selector=...)`: the record is looked up in `selector(user=<the request's user>)`
  at validation time; an id of another area gets the same message as an id that does not exist.
- `ReferenceRelatedField(queryset=...)`: public reference data any user may name (policy tables; administrative
  units where the service itself judges the place, e.g. a commune recorded before 2025 whose successor must lie in
  the user's area).

Both read the id through `core.parsing` (or as a UUID) and answer `{"field": ["<Vietnamese message>"]}`.
"""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from rest_framework import serializers

from khuyencong.core.exceptions import ApplicationError
from khuyencong.core.related import Selector, empty_queryset, lookup

__all__ = ["ReferenceRelatedField", "ScopedPrimaryKeyRelatedField", "request_user"]


def request_user(field: serializers.Field) -> Any:
    """The acting user of `field`'s serializer: the request's, or `context["user"]` (services called outside a
    request). A scoped field without one is a programming error, never a silent "everything"."""
    context = getattr(field, "context", None) or {}
    request = context.get("request")
    user = getattr(request, "user", None) if request is not None else context.get("user")
    if user is None:
        raise ImproperlyConfigured(
            f"{type(field).__name__} '{field.field_name}' needs the request (or 'user') in the serializer's context."
        )
    return user


class _LookupMixin:
    scoped = True

    def to_internal_value(self, data: Any) -> models.Model:
        try:
            return lookup(self.get_queryset(), data, scoped=self.scoped)  # type: ignore[attr-defined]
        except ApplicationError as error:
            raise serializers.ValidationError(str(error.message), code="does_not_exist") from error


class ScopedPrimaryKeyRelatedField(_LookupMixin, serializers.PrimaryKeyRelatedField):
    """The id of a record the caller may reach, looked up through `selector(user=request.user)`."""

    def __init__(self, *, selector: Selector, **kwargs: Any) -> None:
        self.selector = selector
        if not kwargs.get("read_only"):
            # Never used for lookups (see get_queryset): it tells the schema (and DRF) which model the id names.
            kwargs["queryset"] = empty_queryset(selector)
        super().__init__(**kwargs)

    def get_queryset(self) -> models.QuerySet:
        return self.selector(user=request_user(self))


class ReferenceRelatedField(_LookupMixin, serializers.PrimaryKeyRelatedField):
    """The id of a row of public reference data, which every user may name."""

    scoped = False


class ReferenceSlugRelatedField(serializers.SlugRelatedField):
    """A row of public reference data named by its code (an indicator's code), which every user may name."""

    scoped = False

    def to_internal_value(self, data: Any) -> models.Model:
        from khuyencong.core.related import not_found

        queryset = self.get_queryset()
        assert queryset is not None  # a writable field is given its queryset
        if isinstance(data, str) and len(data) <= 100:
            found = queryset.filter(**{self.slug_field: data.strip()}).first()
            if found is not None:
                return found
        error = not_found(queryset.model, data, scoped=False)
        raise serializers.ValidationError(str(error.message), code="does_not_exist")
