"""The administrators' global activity log: recent history rows of every audited model, with filters."""

import datetime
from typing import Any

from django.apps import apps
from django.db import models

from .history_views import HISTORY_TYPES, HistoryRow, history_row


def audited_models() -> list[type[models.Model]]:
    """Every model of our apps that keeps history (simple-history registers a `history` manager)."""
    found = []
    for model in apps.get_models():
        if (
            model.__module__.startswith("khuyencong.")
            and hasattr(model, "history")
            and not model.__name__.startswith("Historical")
        ):
            found.append(model)
    return sorted(found, key=lambda m: str(m._meta.verbose_name))


def activity_records(
    *,
    model_label: str = "",
    username: str = "",
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    limit: int = 1000,
) -> list[Any]:
    """The newest history records of every audited model (at most `limit`), newest first."""
    records: list[Any] = []
    for model in audited_models():
        if model_label and model._meta.label_lower != model_label:
            continue
        history = model.history.model  # type: ignore[attr-defined]
        qs = history.objects.select_related("history_user").order_by("-history_date")
        if username:
            qs = qs.filter(history_user__username=username)
        if kind in HISTORY_TYPES:
            qs = qs.filter(history_type=kind)
        if date_from:
            qs = qs.filter(history_date__date__gte=date_from)
        if date_to:
            qs = qs.filter(history_date__date__lte=date_to)
        records.extend(qs[:limit])
    records.sort(key=lambda record: record.history_date, reverse=True)
    return records[:limit]


def activity_rows(records: list[Any]) -> list[HistoryRow]:
    """Readable rows for one page of records (each "changed" row reads the record before it)."""
    return [
        history_row(
            record,
            record.prev_record if record.history_type == "~" else None,
            model_label=str(record.instance_type._meta.verbose_name).capitalize(),
        )
        for record in records
    ]


def model_choices() -> list[tuple[str, Any]]:
    return [(m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in audited_models()]
