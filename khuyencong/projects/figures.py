"""Running project figures: counts by status and content, targets, supported establishments and revenue, kept per
(province, plan year, fund) group so a national 20-year dashboard sums a few thousand rows instead of reading 100,000
projects.

Every service that changes what these figures count (a project's fields, contents, targets, beneficiaries, status)
calls `figures_refresh()` with the projects it changed, in its own transaction: the groups the projects were in and
are in now are recomputed from the projects, under a lock on the group. The tables are derived, not domain records
(no history); `figures_rebuild()` recomputes them all after a bulk load or a data repair.
"""

from typing import Any

from django.db import transaction
from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import TruncMonth

from .choices import SUPPORTING_STATES
from .models import (
    Beneficiary,
    ContentTotal,
    FigureGroup,
    Project,
    StatusTotal,
    SupportedEstablishment,
    Target,
    TargetTotal,
)

type Group = tuple[int, int, str]


def main_content_of(project_path: str) -> Subquery:
    """The main content (the first of a project's contents by code) of the project at `project_path`, as a
    subquery; NULL for a project without content."""
    rows = Project.contents.through.objects.filter(project_id=OuterRef(project_path)).order_by(
        "activitycontent__code", "activitycontent__valid_from"
    )
    return Subquery(rows.values("activitycontent_id")[:1])


TABLES = (StatusTotal, ContentTotal, TargetTotal, SupportedEstablishment)


def group_of(project: Project) -> Group:
    return (project.province_id, project.plan_year, project.fund)


def figures_refresh(*groups: Group | Project) -> None:
    """Recompute the figures of the groups given (or of the projects' current groups). Call it inside the writing
    transaction, with the project's group before the change as well when the change may move it."""
    keys = sorted({group_of(g) if isinstance(g, Project) else g for g in groups if g is not None})
    if not keys:
        return
    with transaction.atomic():
        for province_id, plan_year, fund in keys:
            FigureGroup.objects.get_or_create(province_id=province_id, plan_year=plan_year, fund=fund)
        locks = Q()
        for province_id, plan_year, fund in keys:
            locks |= Q(province_id=province_id, plan_year=plan_year, fund=fund)
        list(FigureGroup.objects.select_for_update().filter(locks).order_by("pk").values_list("pk"))
        for province_id, plan_year, fund in keys:
            _recompute(Q(province_id=province_id, plan_year=plan_year, fund=fund))


def figures_rebuild() -> int:
    """Recompute every group's figures from the projects; returns the number of status rows written."""
    with transaction.atomic():
        FigureGroup.objects.bulk_create(
            [
                FigureGroup(province_id=p, plan_year=y, fund=f)
                for p, y, f in Project.objects.values_list("province_id", "plan_year", "fund").distinct().order_by()
            ],
            ignore_conflicts=True,
            batch_size=5_000,
        )
        return _recompute(Q())


def _recompute(where: Q) -> int:
    """Delete and recompute the figures of the projects matching `where` (a filter on province, plan year, fund)."""
    for table in TABLES:
        table.objects.filter(where).delete()
    projects = Project.objects.filter(where)
    group = ("province_id", "plan_year", "fund")
    project_group = tuple(f"project__{name}" for name in group)
    revenue: dict[tuple[Any, ...], dict[str, int]] = {
        row[:4]: {"before": row[4], "after": row[5], "n": row[6]}
        for row in Beneficiary.objects.filter(
            project__in=projects, revenue_before_vnd__isnull=False, revenue_year1_vnd__isnull=False
        )
        .values_list(*project_group, "project__status")
        .annotate(Sum("revenue_before_vnd"), Sum("revenue_year1_vnd"), Count("id"))
        .order_by()
    }
    statuses = [
        StatusTotal(
            province_id=p,
            plan_year=y,
            fund=f,
            status=status,
            projects=n,
            revenue_before_vnd=revenue.get((p, y, f, status), {}).get("before") or 0,
            revenue_after_vnd=revenue.get((p, y, f, status), {}).get("after") or 0,
            revenue_evaluated=revenue.get((p, y, f, status), {}).get("n") or 0,
        )
        for p, y, f, status, n in projects.values_list(*group, "status").annotate(Count("id")).order_by()
    ]
    StatusTotal.objects.bulk_create(statuses, batch_size=5_000)
    through = Project.contents.through.objects.filter(project__in=projects)
    ContentTotal.objects.bulk_create(
        [
            ContentTotal(province_id=p, plan_year=y, fund=f, content_id=content, projects=n)
            for p, y, f, content, n in through.values_list(*project_group, "activitycontent_id")
            .annotate(Count("project_id", distinct=True))
            .order_by()
        ],
        batch_size=5_000,
    )
    TargetTotal.objects.bulk_create(
        [
            TargetTotal(province_id=p, plan_year=y, fund=f, indicator=indicator, content_key=content or 0,
                        month=month, planned=planned or 0, achieved=achieved or 0)
            for p, y, f, indicator, content, month, planned, achieved in Target.objects.filter(project__in=projects)
            .annotate(main_content=main_content_of("project"), month=TruncMonth("achieved_on"))
            .values_list(*project_group, "indicator", "main_content", "month")
            .annotate(Sum("planned"), Sum("achieved"))
            .order_by()
        ],
        batch_size=5_000,
    )  # fmt: skip
    SupportedEstablishment.objects.bulk_create(
        [
            SupportedEstablishment(province_id=p, plan_year=y, fund=f, establishment_id=establishment)
            for p, y, f, establishment in Beneficiary.objects.filter(
                project__in=projects.filter(status__in=SUPPORTING_STATES)
            )
            .values_list(*project_group, "establishment_id")
            .distinct()
            .order_by()
        ],
        batch_size=5_000,
    )
    return len(statuses)
