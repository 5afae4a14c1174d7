"""Reads of the policy data for the reference pages (public to every logged-in user: it is the law, not a record)."""

import datetime
from typing import Any

from django.db.models import F, Prefetch, Q, QuerySet

from khuyencong.geography.models import AdminUnit

from .models import ActivityContent, CalendarDeadline, EnterpriseSizeLimit, LegalDocument, SupportItem, SupportRule


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


def _in_force_first(rows: list[ActivityContent], on: datetime.date) -> ActivityContent:
    """Of one content's versions, the one in force on `on`; else the last one started by then; else the first."""

    def valid(row: ActivityContent) -> bool:
        return (row.valid_from is None or row.valid_from <= on) and (row.valid_to is None or row.valid_to >= on)

    started = [row for row in rows if row.valid_from is None or row.valid_from <= on]
    return next((row for row in rows if valid(row)), started[-1] if started else rows[0])


def contents_in_force(on: datetime.date) -> list[ActivityContent]:
    """Every activity content once, as its version in force on `on` (with its legal document), in code order."""
    by_code: dict[str, list[ActivityContent]] = {}
    for row in ActivityContent.objects.select_related("legal_document").order_by("code", "valid_from"):
        by_code.setdefault(row.code, []).append(row)
    found = [_in_force_first(rows, on) for rows in by_code.values()]
    return sorted(found, key=lambda row: content_sort_key(row.code))


def content_sort_key(code: str) -> list[Any]:
    """4.2 before 4.10, 4.7 before 4.7a."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.replace("-", ".").split(".")]


def content_version_on(content_id: int, on: datetime.date) -> ActivityContent | None:
    """The version of the same content (same code) in force on `on`, None when the content had no version then."""
    code = ActivityContent.objects.filter(pk=content_id).values_list("code", flat=True).first()
    if code is None:
        return None
    return ActivityContent.objects.valid_on(on).filter(code=code).order_by("-valid_from").first()


def content_family(content_id: int | None) -> frozenset[int] | None:
    """The ids of every version of a content (4.5 of ND 45/2012 and 4.5 as amended by ND 235/2025 are one content in
    the figures); None when no content is asked for, an empty set for an unknown id (nothing matches)."""
    if content_id is None:
        return None
    code = ActivityContent.objects.filter(pk=content_id).values_list("code", flat=True).first()
    if code is None:
        return frozenset()
    return frozenset(ActivityContent.objects.filter(code=code).values_list("pk", flat=True))


def all_indicator_choices() -> list[tuple[str, Any]]:
    """Every indicator (a programme's targets may name computed ones too), grouped, with its unit."""
    return indicator_choices(computed=True)


def indicator_choices(*, computed: bool = False, on: datetime.date | None = None) -> list[tuple[str, Any]]:
    """The indicators a project may set targets for (not the computed ones), grouped, with their unit: those not
    ended before `on` (default today)."""
    from django.utils import timezone

    from .models import Indicator

    groups: dict[str, list[tuple[str, str]]] = {}
    on = on or timezone.localdate()
    rows = Indicator.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).order_by("sort_order", "code")
    for indicator in rows if computed else rows.filter(computed=False):
        groups.setdefault(indicator.group, []).append(
            (indicator.code, f"{indicator.name} ({indicator.get_unit_display()})")
        )
    found: list[tuple[str, Any]] = []
    for group, options in groups.items():
        if group:
            found.append((group, options))
        else:
            found.extend(options)
    return found


def enterprise_size_limits(on: datetime.date) -> dict[str, int]:
    """The most employees of each enterprise size (by legal form code) in force on `on` (ND 80/2021/NĐ-CP Art. 5 and
    what replaces it, as administrators keep it)."""
    rows = EnterpriseSizeLimit.objects.valid_on(on).order_by(F("valid_from").asc(nulls_first=True), "pk")
    return dict(rows.values_list("legal_form", "max_employees"))  # the latest row of a form wins
