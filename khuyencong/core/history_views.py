"""Readable change history built from django-simple-history rows: one row per change with its field diffs."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str


@dataclass
class HistoryRow:
    date: Any
    user: Any
    kind: str
    kind_label: str
    reason: str
    changes: list[FieldChange]
    record: Any
    model_label: str = ""


def _display(record: Any, field: models.Field) -> str:
    value = getattr(record, field.attname, None)
    if value is None or value == "":
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        try:
            related = getattr(record, field.name)
        except Exception:  # the related row may have been deleted since
            return str(value)
        return str(related) if related is not None else "—"
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def _diff(record: Any, previous: Any | None) -> list[FieldChange]:
    model = record.instance_type
    changes = []
    for field in model._meta.concrete_fields:
        if field.name in ("id",) or not field.editable:
            continue
        try:
            hfield = record._meta.get_field(field.name)
        except FieldDoesNotExist:  # excluded from history (passwords)
            continue
        new = _display(record, hfield)
        old = _display(previous, hfield) if previous is not None else "—"
        if previous is None and new == "—":
            continue
        if previous is not None and getattr(previous, hfield.attname) == getattr(record, hfield.attname):
            continue
        changes.append(FieldChange(field=field.name, label=str(field.verbose_name), old=old, new=new))
    return changes


def _object_label(record: Any) -> str:
    """What the history row is about, as the object's own name ("Tỉnh Lâm Đồng"), not the record's repr."""
    try:
        return str(record.instance)
    except Exception:  # noqa: BLE001 - a row whose related objects are gone still shows its id
        return f"#{getattr(record, 'id', '?')}"


def history_rows(obj: Any) -> list[HistoryRow]:
    """The history of `obj`, newest first, each row with what changed."""
    records = list(obj.history.select_related("history_user").order_by("history_date", "history_id"))
    return list(reversed(list(_rows(records))))


def history_row(record: Any, previous: Any | None, *, model_label: str = "") -> HistoryRow:
    """One readable row: who, when, what kind of change, which fields went from what to what, and why."""
    return HistoryRow(
        date=record.history_date,
        user=record.history_user,
        kind=record.history_type,
        kind_label=str(HISTORY_TYPES.get(record.history_type, record.history_type)),
        reason=record.history_change_reason or "",
        changes=_diff(record, previous),
        record=_object_label(record),
        model_label=model_label,
    )


def _rows(records: list[Any]) -> Iterator[HistoryRow]:
    previous = None
    for record in records:
        yield history_row(record, previous)
        previous = record
