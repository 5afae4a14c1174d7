"""Reads of the policy data for the reference pages (public to every logged-in user: it is the law, not a record)."""

import datetime

from django.db.models import Prefetch, Q, QuerySet

from khuyencong.geography.models import AdminUnit

from .models import CalendarDeadline, LegalDocument, SupportItem, SupportRule


def support_items_with_rules() -> QuerySet[SupportItem]:
    """Every support item with its rules (general ones, newest first), for the "mức hỗ trợ" page."""
    rules = SupportRule.objects.select_related("legal_document", "province").order_by(
        "fund", "province__name_folded", "-valid_from", "-legal_document__signed_on", "area_class"
    )
    return SupportItem.objects.prefetch_related(Prefetch("rules", queryset=rules))


def legal_documents() -> QuerySet[LegalDocument]:
    return LegalDocument.objects.prefetch_related("amends", "replaces").order_by("-signed_on", "number")


def calendar_deadline(
    *, fund: str, step: str, year: int, on: datetime.date, province: AdminUnit | None = None
) -> tuple[datetime.date, CalendarDeadline] | None:
    """The deadline of `step` for the plan year `year`, by the calendar in force on `on`: the province's own row
    for a local fund when it has one, otherwise the general row. None when no dated deadline applies."""
    rows = list(
        CalendarDeadline.objects.valid_on(on)
        .filter(fund=fund, step=step, month__isnull=False)
        .filter(Q(province__isnull=True) | Q(province=province))
        .select_related("legal_document")
    )
    if not rows:
        return None
    rows.sort(key=lambda row: (row.province_id is None, -(row.valid_from or datetime.date.min).toordinal()))
    row = rows[0]
    date = row.date_for(year)
    return (date, row) if date else None
