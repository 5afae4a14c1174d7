"""Checks every record goes through before it is saved, whatever the path that wrote it."""

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from .exceptions import ApplicationError, ErrorCode

__all__ = ["check_text_lengths"]


def check_text_lengths(instance: Any) -> None:
    """A text longer than its column is a Vietnamese message at the field, not a database error: PostgreSQL refuses
    it (a 500 and an aborted transaction), SQLite would keep it whole. `core.apps` runs this before every save of
    our models (a form, the API, a JSON body, a service called by a command alike); a service may call it earlier,
    e.g. on a change it only records now and applies later."""
    for field in type(instance)._meta.concrete_fields:
        if not isinstance(field, models.CharField) or not field.max_length:
            continue
        value = getattr(instance, field.attname, None)
        if isinstance(value, str) and len(value) > field.max_length:
            raise ApplicationError(
                ErrorCode.INVALID,
                _("%(field)s is too long: %(n)s characters, at most %(max)s.")
                % {"field": str(field.verbose_name).capitalize(), "n": len(value), "max": field.max_length},
                field=field.name,
            )
