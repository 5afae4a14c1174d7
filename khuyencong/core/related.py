"""Looking up the record a foreign key from outside names: the one rule behind the API's and the forms' related
fields (`core.api.scoped`, `core.forms`).

Every id that a form, a serializer, a file or a JSON body sends to name another record is either

- **scoped**: looked up in a selector's queryset called with the acting user (`selector(user=user)`), so an id of
  another area answers exactly like an id that does not exist ("no craft village has the id 5 in your area"), and
  the other province's record is neither named nor used; or
- **reference**: looked up in public reference data that every user may name (policy tables, administrative units
  where a pre-2025 unit may be recorded and the service judges its successor).

The id is parsed by `core.parsing` first (integer ids) or as a UUID (organisations), so junk gets the parser's
message and never reaches a query.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.utils.translation import gettext as _

from .exceptions import ApplicationError, ErrorCode
from .parsing import parse_id

__all__ = ["Selector", "empty_queryset", "lookup", "not_found", "parse_pk"]

#: A selector: called as `selector(user=user)`, it returns the records `user` may name.
Selector = Callable[..., models.QuerySet]


def empty_queryset(selector: Selector) -> models.QuerySet:
    """What the selector gives nobody (an anonymous user): an empty queryset of its model, without a query. Fields
    start with it, so an unbound field accepts nothing and the schema still knows the model."""
    return selector(user=AnonymousUser()).none()


def parse_pk(model: type[models.Model], value: Any, *, field: str | None = None, label: str | None = None) -> Any:
    """`value` as a primary key of `model`: an id read by `core.parsing.parse_id`, or a UUID; ApplicationError
    (INVALID, Vietnamese message) for anything else."""
    if isinstance(value, models.Model):
        value = value.pk
    if isinstance(model._meta.pk, models.UUIDField):
        if isinstance(value, uuid.UUID):
            return value
        try:
            return uuid.UUID(str(value).strip()[:64])
        except (ValueError, AttributeError) as exc:
            text = "".join(c for c in str(value) if c.isprintable())[:40]
            raise ApplicationError(
                ErrorCode.INVALID, _("“%(value)s” is not a valid id.") % {"value": text}, field=field
            ) from exc
    return parse_id(value, field=field, label=label, required=True)


def not_found(model: type[models.Model], value: Any, *, scoped: bool, field: str | None = None) -> ApplicationError:
    """The one message for an id that names nothing the user may name: the same whether the record does not exist
    or lies in another area."""
    name = str(model._meta.verbose_name)
    shown = "".join(c for c in str(value) if c.isprintable())[:40]
    message = (
        _("No %(name)s has the id “%(value)s” in your area.") % {"name": name, "value": shown}
        if scoped
        else _("No %(name)s has the id “%(value)s”.") % {"name": name, "value": shown}
    )
    return ApplicationError(ErrorCode.INVALID, message, field=field)


def lookup[M: models.Model](queryset: models.QuerySet[M], value: Any, *, scoped: bool, field: str | None = None) -> M:
    """The record of `queryset` that `value` names, or ApplicationError (INVALID) with the parser's or the
    not-found message."""
    pk = parse_pk(queryset.model, value, field=field)
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise not_found(queryset.model, pk, scoped=scoped, field=field)
    return found
