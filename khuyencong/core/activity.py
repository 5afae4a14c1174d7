"""The administrators' global activity log: recent history rows of every audited model, with filters."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from .history_views import HISTORY_TYPES, HistoryRow, _diff, _object_label


@dataclass
class ActivityRow(HistoryRow):
    model_label: str = ""


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


def activity_rows(
    *,
    model_label: str = "",
    username: str = "",
    kind: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    limit: int = 500,
) -> list[ActivityRow]:
    rows: list[ActivityRow] = []
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
        for record in qs[:limit]:
            previous = record.prev_record if record.history_type == "~" else None
            rows.append(
                ActivityRow(
                    date=record.history_date,
                    user=record.history_user,
                    kind=record.history_type,
                    kind_label=str(HISTORY_TYPES.get(record.history_type, record.history_type)),
                    reason=record.history_change_reason or "",
                    changes=_diff(record, previous),
                    record=_object_label(record),
                    model_label=str(model._meta.verbose_name).capitalize(),
                )
            )
    rows.sort(key=lambda row: row.date, reverse=True)
    return rows[:limit]


def model_choices() -> list[tuple[str, Any]]:
    return [(m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in audited_models()]
