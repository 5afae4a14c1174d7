"""Change history for every domain model (django-simple-history), and the guard that keeps it complete.

`QuerySet.update()` and `bulk_update()` write rows without history. Audited models use `AuditedManager`, whose
querysets refuse both unless called from inside the `*_with_history` helpers below, so a change that would escape
the history fails loudly (and the test suite proves it for every audited model).
"""

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import models, transaction
from simple_history import utils as sh_utils

from .exceptions import ApplicationError, ErrorCode

__all__ = [
    "AuditedManager",
    "attribute",
    "AuditedQuerySet",
    "allow_untracked_writes",
    "bulk_create_with_history",
    "bulk_update_with_history",
    "update_with_history",
]

_untracked_allowed: ContextVar[bool] = ContextVar("untracked_allowed", default=False)


@contextmanager
def allow_untracked_writes() -> Iterator[None]:
    """Let `update()`/`bulk_update()` through: only for the helpers here and for data migrations that write
    history rows themselves."""
    token = _untracked_allowed.set(True)
    try:
        yield
    finally:
        _untracked_allowed.reset(token)


class AuditedQuerySet(models.QuerySet):
    def _refuse(self, operation: str) -> None:
        if not _untracked_allowed.get():
            raise ApplicationError(
                ErrorCode.UNTRACKED_WRITE,
                f"{self.model.__name__}: {operation}() bypasses the change history; "
                "use khuyencong.core.history.*_with_history",
            )

    def update(self, **kwargs: Any) -> int:
        self._refuse("update")
        return super().update(**kwargs)

    def bulk_update(self, objs: Iterable[Any], fields: Iterable[str], batch_size: int | None = None) -> int:
        self._refuse("bulk_update")
        return super().bulk_update(objs, fields, batch_size=batch_size)


class AuditedManager(models.Manager.from_queryset(AuditedQuerySet)):  # type: ignore[misc]
    """Default manager of every audited model."""


def bulk_create_with_history(objs: list[Any], model: type[models.Model], *, user: Any = None, reason: str = "") -> list:
    """Create many rows and one "+" history row each."""
    with transaction.atomic():
        return sh_utils.bulk_create_with_history(objs, model, default_user=user, default_change_reason=reason or None)


def bulk_update_with_history(
    objs: list[Any], model: type[models.Model], fields: Sequence[str], *, user: Any = None, reason: str = ""
) -> int:
    """Update many rows and write one "~" history row each."""
    with transaction.atomic(), allow_untracked_writes():
        return (
            sh_utils.bulk_update_with_history(
                objs, model, list(fields), default_user=user, default_change_reason=reason or None
            )
            or 0
        )


def update_with_history(queryset: models.QuerySet, *, user: Any = None, reason: str = "", **values: Any) -> int:
    """`queryset.update(**values)` with a history row per changed object."""
    objs = list(queryset)
    for obj in objs:
        for name, value in values.items():
            setattr(obj, name, value)
    if not objs:
        return 0
    return bulk_update_with_history(objs, queryset.model, list(values), user=user, reason=reason)


def attribute(obj: Any, *, user: Any = None, reason: str = "") -> Any:
    """Say who makes the next save of `obj` and why; simple-history records both in the history row."""
    if user is not None:
        obj._history_user = user
    if reason:
        obj._change_reason = reason
    return obj
