"""Reads of projects, always through the user's scope, and the figures the detail page and the documents show."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, Count, Max, Prefetch, Q, QuerySet, Sum, When
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.parsing import parse_id, parse_year
from khuyencong.core.scoping import in_scope, scope_queryset, user_scope
from khuyencong.core.text import fold
from khuyencong.establishments.models import Establishment, EstablishmentYear
from khuyencong.policy.eligibility import Finding, SupportCase, check_support
from khuyencong.policy.models import ActivityContent
from khuyencong.policy.models import Indicator as PolicyIndicator

from .choices import SUPPORTING_STATES, BudgetSource, Status
from .figures import main_content_of
from .filtersets import ProjectFilterSet
from .models import (
    Beneficiary,
    BudgetLine,
    ContentTotal,
    Document,
    ProgressReport,
    Project,
    StatusTotal,
    SupportedEstablishment,
    Target,
    TargetTotal,
    Transition,
)
from .workflow import KCDP, waiting_for_q

LIST_RELATED = ("province", "implementing_org")


def project_queryset(*, user: Any) -> QuerySet[Project]:
    return scope_queryset(Project.objects.all(), user)


def projects_waiting(*, user: Any) -> QuerySet[Project]:
    """The projects of the user's area whose next step is the user's to take, those waiting longest first."""
    return (
        project_queryset(user=user)
        .filter(waiting_for_q(user))
        .select_related(*LIST_RELATED)
        .order_by("status_changed_at", "pk")
    )


def project_filterset(*, user: Any, params: QueryDict | dict) -> ProjectFilterSet:
    filterset = ProjectFilterSet(params, queryset=project_queryset(user=user))
    filterset.user = user
    from khuyencong.accounts.models import Organisation

    filterset.filters["implementing_org"].queryset = scope_queryset(
        Organisation.objects.all(), user, province_field="province"
    ) | Organisation.objects.filter(province__isnull=True)
    return filterset


def project_list(*, user: Any, params: QueryDict | dict) -> QuerySet[Project]:
    filterset = project_filterset(user=user, params=params)
    if not filterset.is_valid():
        errors = {name: [str(e) for e in messages] for name, messages in filterset.errors.items()}
        raise ApplicationError(ErrorCode.INVALID, _("Some filters are not valid."), extra={"errors": errors})
    return filterset.qs.select_related(*LIST_RELATED).order_by("-plan_year", "code")


def project_get(*, user: Any, pk: Any) -> Project:
    try:
        project = (
            Project.objects.select_related("province", "commune", "implementing_org", "created_by")
            .prefetch_related("contents", "coordinating_orgs")
            .get(pk=int(pk))
        )
    except (ValueError, TypeError, Project.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Project not found.")) from exc
    if not in_scope(user, project):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    return project


def beneficiaries_of(project: Project) -> QuerySet[Beneficiary]:
    return project.beneficiaries.select_related(
        "establishment__commune",
        "establishment__commune_recorded",
        "establishment__province",
        "establishment__craft_village",
        "establishment__eligible_group",
        "support_item",
    )


def timeline(project: Project) -> QuerySet[Transition]:
    return project.transitions.select_related("actor", "decision").order_by("at", "pk")


@dataclass
class BudgetTotals:
    planned: dict[str, int]
    approved: dict[str, int | None]
    settled: dict[str, int | None]
    planned_total: int
    approved_total: int | None
    settled_total: int | None


def budget_totals(lines: list[BudgetLine]) -> BudgetTotals:
    """Totals by source; an approved or settled total is None until every line has its figure."""
    planned: dict[str, int] = defaultdict(int)
    approved: dict[str, int | None] = {}
    settled: dict[str, int | None] = {}
    for source in BudgetSource.values:
        rows = [line for line in lines if line.source == source]
        planned[source] = sum(line.planned_vnd for line in rows)
        approved[source] = None if any(r.approved_vnd is None for r in rows) else sum(r.approved_vnd or 0 for r in rows)
        settled[source] = None if any(r.settled_vnd is None for r in rows) else sum(r.settled_vnd or 0 for r in rows)

    def total(values: dict[str, int | None]) -> int | None:
        return None if not lines or any(v is None for v in values.values()) else sum(v or 0 for v in values.values())

    return BudgetTotals(dict(planned), approved, settled, sum(planned.values()), total(approved), total(settled))


def reference_date(project: Project) -> datetime.date:
    """The date a project is judged on: the day it was first submitted, or today for a draft never submitted."""
    first = project.transitions.filter(name="submit").order_by("at").values_list("at", flat=True).first()
    return timezone.localdate(first) if first else timezone.localdate()


@dataclass
class BeneficiaryFindings:
    beneficiary: Beneficiary
    findings: list[Finding]


def _previous_support(beneficiaries: list[Beneficiary], project: Project, on: datetime.date) -> dict[int, list]:
    """Other live projects of the last three years that supported the same establishment with the same item."""
    pairs = {(b.establishment_id, b.support_item_id) for b in beneficiaries if b.support_item_id}
    if not pairs:
        return {}
    rows = (
        Beneficiary.objects.filter(establishment_id__in=[e for e, _item in pairs], support_item__isnull=False)
        .exclude(project=project)
        .exclude(project__status__in=[Status.REJECTED, Status.STOPPED, Status.DRAFT])
        .filter(project__plan_year__gte=on.year - 3, project__plan_year__lte=on.year + 1)
        .values_list("establishment_id", "support_item_id", "project__code", "project__plan_year")
    )
    found: dict[int, list] = defaultdict(list)
    for establishment_id, item_id, code, year in rows:
        if (establishment_id, item_id) in pairs:
            found[establishment_id].append((code, year))
    return found


def project_findings(project: Project, *, on: datetime.date | None = None) -> list[BeneficiaryFindings]:
    """The eligibility and ceiling findings of each beneficiary, by the rules in force on the project's date."""
    on = on or reference_date(project)
    beneficiaries = list(beneficiaries_of(project))
    previous = _previous_support(beneficiaries, project, on)
    result = []
    for beneficiary in beneficiaries:
        establishment = beneficiary.establishment
        recorded = establishment.commune_recorded
        commune = recorded if (recorded.valid_to is None or recorded.valid_to >= on) else establishment.commune
        village = establishment.craft_village
        findings: list[Finding] = []
        if beneficiary.support_item_id:
            case = SupportCase(
                on=on,
                fund=project.fund,
                item_code=beneficiary.support_item.code,  # type: ignore[union-attr]
                legal_form=establishment.legal_form,
                commune=commune,
                eligible_cost_vnd=beneficiary.eligible_cost_vnd,
                support_vnd=beneficiary.support_vnd,
                counterpart_vnd=beneficiary.counterpart_vnd,
                in_recognised_craft_village=bool(
                    village and (village.recognised_on is None or village.recognised_on <= on)
                ),
                eligible_group=establishment.eligible_group,
                priority=beneficiary.priority,
                province=project.province if project.fund == KCDP else None,
                previous_support=previous.get(establishment.pk, ()),
            )
            findings = check_support(case)
        else:
            findings = [Finding("warning", "no_item", _("No support item is chosen: the ceiling cannot be checked."))]
        result.append(BeneficiaryFindings(beneficiary, findings))
    return result


@dataclass
class EvaluationRow:
    beneficiary: Beneficiary
    registry: dict[str, int | None]


def evaluation_rows(project: Project) -> list[EvaluationRow]:
    """Each beneficiary with the registry's yearly figures for the year before the project and the two years after
    it (offered beside the recorded post-support figures)."""
    beneficiaries = list(beneficiaries_of(project))
    years = {project.plan_year - 1: "before", project.end_year + 1: "year1", project.end_year + 2: "year2"}
    figures = EstablishmentYear.objects.filter(
        establishment_id__in=[b.establishment_id for b in beneficiaries], year__in=list(years)
    ).values_list("establishment_id", "year", "revenue_vnd", "employees")
    by_establishment: dict[int, dict[str, int | None]] = defaultdict(dict)
    for establishment_id, year, revenue, employees in figures:
        suffix = years[year]
        by_establishment[establishment_id][f"revenue_{suffix}_vnd"] = revenue
        by_establishment[establishment_id][f"employees_{suffix}"] = employees
    return [EvaluationRow(b, by_establishment.get(b.establishment_id, {})) for b in beneficiaries]


def documents_for(*, user: Any) -> QuerySet[Document]:
    """Documents of the projects in the user's scope (a step names its decision's file among them; the step then
    checks that it is attached to that project)."""
    return Document.objects.filter(project__in=project_queryset(user=user))


def document_get(*, user: Any, pk: Any) -> Document:
    """A document of a project in the user's scope (anything else is "not found")."""
    try:
        document = Document.objects.select_related("project__province").get(pk=int(pk))
    except (ValueError, TypeError, Document.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your area.")) from exc
    if not in_scope(user, document.project):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    return document


def establishment_options(*, user: Any, province_id: Any, query: str, limit: int = 20) -> list[Establishment]:
    """Establishments of the province (within the user's scope) whose name, tax code or owner match `query`."""
    text = fold(query or "")
    province = parse_id(province_id, field="province")
    if province is None or len(text) < 2:
        return []
    queryset = scope_queryset(Establishment.objects.filter(province_id=province), user)
    return list(
        queryset.filter(Q(search_folded__contains=text) | Q(tax_code=query.strip()))
        .select_related("commune")
        .order_by("name_folded")[:limit]
    )


def documents_of(project: Project) -> QuerySet[Document]:
    return project.documents.select_related("uploaded_by")


def project_with_tables(project: Project) -> Project:
    """Load the tables of the detail page and the printed document in a few queries."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(
        [project],
        Prefetch("budget_lines"),
        Prefetch("targets"),
        Prefetch("decisions"),
        Prefetch("progress_reports", queryset=project.progress_reports.select_related("submitted_by", "confirmed_by")),
        Prefetch("adjustments"),
    )
    return project


# ---- statistics (read by the reports app) ---------------------------------------------------------------------------


def project_statistics(
    *,
    user: Any,
    year_from: int,
    year_to: int,
    fund: str | None = None,
    provinces: frozenset[int] | None = None,
    communes: bool = False,
    as_of: datetime.date | None = None,
    content_id: int | None = None,
    commune_id: int | None = None,
) -> dict[str, Any]:
    """Counts and outputs of the projects in the user's scope with a plan year in the range (and, when given, whose
    main content is of `content_id`'s content, or in the commune `commune_id`): by status, by content,
    by province (and by commune when `communes`), targets planned and achieved by indicator, establishments
    supported, and the revenue of the beneficiaries before support and one year after (where both are recorded).

    A country or provincial scope reads the running figures of `figures.py`; a commune scope (a collaborator's few
    projects) counts the projects themselves. Both give the same figures (tested)."""
    scope = user_scope(user)
    narrowed = content_id is not None or commune_id is not None
    if narrowed:  # the running figures are not kept by content or commune: count the projects themselves
        projects = project_queryset(user=user)
        if commune_id is not None:
            projects = projects.filter(commune_id=commune_id)
        if content_id is not None:
            from khuyencong.policy.selectors import content_family

            family = content_family(content_id) or [content_id]
            projects = projects.annotate(kc_main=main_content_of("pk")).filter(kc_main__in=family)
        stats = project_statistics_counted(
            projects, year_from=year_from, year_to=year_to, fund=fund, provinces=provinces, as_of=as_of
        )
    elif scope.is_country or scope.level == "province":
        where = Q(plan_year__gte=year_from, plan_year__lte=year_to)
        if fund:
            where &= Q(fund=fund)
        if provinces is not None:
            where &= Q(province_id__in=provinces)
        if not scope.is_country:
            where &= Q(province_id__in=scope.province_ids)
        part = (
            year_from, year_to, fund or "",
            "all" if provinces is None else sorted(provinces),
            "country" if scope.is_country else sorted(scope.province_ids),
        )  # fmt: skip
        stats = _statistics_from_totals(where, as_of, part=repr(part))
    else:
        stats = project_statistics_counted(
            project_queryset(user=user), year_from=year_from, year_to=year_to, fund=fund, provinces=provinces,
            as_of=as_of,
        )  # fmt: skip
    if communes:
        projects = _in_range(project_queryset(user=user), year_from, year_to, fund, provinces)
        stats["by_commune"] = dict(
            projects.filter(commune__isnull=False).values_list("commune__code").annotate(n=Count("id")).order_by()
        )
    return stats


def _in_range(
    projects: QuerySet[Project], year_from: int, year_to: int, fund: str | None, provinces: frozenset[int] | None
) -> QuerySet[Project]:
    projects = projects.filter(plan_year__gte=year_from, plan_year__lte=year_to)
    if fund:
        projects = projects.filter(fund=fund)
    if provinces is not None:
        projects = projects.filter(province_id__in=provinces)
    return projects


def _by_content_code(by_content_id: dict[int, int]) -> list[tuple[str, str, int]]:
    """Counts by content id summed by content (the versions of one content together), named as its newest version:
    (code, name, count) in code order."""
    from khuyencong.policy.selectors import content_sort_key

    counts: dict[str, int] = defaultdict(int)
    names: dict[str, str] = {}
    rows = ActivityContent.objects.filter(pk__in=by_content_id).order_by("code", "valid_from")
    for pk, code, name in rows.values_list("pk", "code", "name"):
        counts[code] += by_content_id[pk]
        names[code] = name
    return [(code, names[code], counts[code]) for code in sorted(counts, key=content_sort_key)]


def _outputs_from_totals_kept(where: Q, as_of: datetime.date | None, part: str) -> tuple[dict, dict]:
    """`_outputs_from_totals`, kept in the shared cache until the totals change. Over many years of a whole country
    the outputs by content and indicator sum every group's rows (a sort of some 200.000 rows at national scale); the
    key holds the totals' state — their highest id and their number, which every recompute of a group changes (rows
    are deleted and written again, ids never reused) — so a figure read after a write is recomputed."""
    import hashlib

    from django.core.cache import cache

    state = TargetTotal.objects.aggregate(last=Max("id"), rows=Count("id"))
    digest = hashlib.sha256(f"{part}|{as_of}|{state['last']}|{state['rows']}".encode()).hexdigest()[:32]
    key = f"kc:outputs:{digest}"
    kept = cache.get(key)
    if kept is not None:
        return kept
    result = _outputs_from_totals(where, as_of)
    cache.set(key, result, 6 * 3600)
    return result


def _outputs_from_totals(where: Q, as_of: datetime.date | None) -> tuple[dict, dict]:
    """Targets planned and achieved by indicator, and by (content code, indicator): planned whatever the date,
    achieved up to `as_of` (whole months from the running totals, the date's own month from the targets)."""
    planned: dict[tuple[str, int], int] = defaultdict(int)
    achieved: dict[tuple[str, int], int] = defaultdict(int)
    # One pass over the totals: planned whatever the date, achieved in the whole months before the date's own.
    done = Q(month__isnull=False)
    if as_of is not None:
        month_start = as_of.replace(day=1)
        done &= Q(month__lt=month_start)
    sums = (
        TargetTotal.objects.filter(where)
        .values_list("indicator", "content_key")
        .annotate(p=Sum("planned"), a=Sum(Case(When(done, then="achieved"), default=0)))
        .order_by()
    )
    for indicator, key, planned_sum, achieved_sum in sums:
        planned[(indicator, key)] += planned_sum or 0
        achieved[(indicator, key)] += achieved_sum or 0
    if as_of is not None:  # the date's own month: the few targets achieved in it, read through their date's index
        recent = list(
            Target.objects.filter(
                _project_where(where), achieved_on__gte=month_start, achieved_on__lte=as_of
            ).values_list("project_id", "indicator", "achieved")
        )
        mains = _main_contents(sorted({project_id for project_id, _i, _a in recent}))
        for project_id, indicator, amount in recent:
            achieved[(indicator, mains.get(project_id, 0))] += amount or 0
    return _outputs(planned, achieved)


def _main_contents(project_ids: list[int]) -> dict[int, int]:
    """The main content (the first of its contents by code, then by wording) of each project of `project_ids`, as
    `figures.main_content_of` gives it in SQL, a query per 5.000 projects."""
    best: dict[int, tuple[tuple[str, datetime.date], int]] = {}
    rows = [
        row
        for start in range(0, len(project_ids), 5000)
        for row in Project.contents.through.objects.filter(project_id__in=project_ids[start : start + 5000])
        .values_list("project_id", "activitycontent_id", "activitycontent__code", "activitycontent__valid_from")
        .order_by()
    ]
    for project_id, content_id, code, valid_from in rows:
        key = (code, valid_from or datetime.date.min)
        if project_id not in best or key < best[project_id][0]:
            best[project_id] = (key, content_id)
    return {project_id: content_id for project_id, (_key, content_id) in best.items()}


def _project_where(where: Q) -> Q:
    """The same condition on a target's project (province, plan year, fund)."""
    children: list[Any] = []
    for child in where.children:
        if isinstance(child, Q):
            children.append(_project_where(child))
        else:
            name, value = child  # type: ignore[misc]
            children.append((f"project__{name}", value))
    return Q(*children, _connector=where.connector, _negated=where.negated)


def _outputs(planned: dict[tuple[str, int], int], achieved: dict[tuple[str, int], int]) -> tuple[dict, dict]:
    codes = dict(ActivityContent.objects.values_list("pk", "code"))
    outputs: dict[str, tuple[int, int]] = {}
    by_content: dict[tuple[str, str], tuple[int, int]] = {}
    for indicator, key in set(planned) | set(achieved):
        p, a = planned.get((indicator, key), 0), achieved.get((indicator, key), 0)
        total = outputs.get(indicator, (0, 0))
        outputs[indicator] = (total[0] + p, total[1] + a)
        code = codes.get(key, "")
        total = by_content.get((code, indicator), (0, 0))
        by_content[(code, indicator)] = (total[0] + p, total[1] + a)
    return outputs, by_content


def _statistics_from_totals(where: Q, as_of: datetime.date | None = None, part: str = "") -> dict[str, Any]:
    from khuyencong.geography.models import AdminUnit

    statuses = StatusTotal.objects.filter(where)
    by_status = dict(statuses.values_list("status").annotate(Sum("projects")).order_by())
    by_province_id = dict(statuses.values_list("province_id").annotate(Sum("projects")).order_by())
    codes = dict(AdminUnit.objects.filter(pk__in=by_province_id).values_list("pk", "code"))
    evaluated = statuses.filter(status__in=SUPPORTING_STATES).aggregate(
        before=Sum("revenue_before_vnd"), after=Sum("revenue_after_vnd"), n=Sum("revenue_evaluated")
    )
    by_content_id = dict(
        ContentTotal.objects.filter(where).values_list("content_id").annotate(Sum("projects")).order_by()
    )
    by_content = _by_content_code(by_content_id)
    outputs, outputs_by_content = (
        _outputs_from_totals_kept(where, as_of, part) if part else _outputs_from_totals(where, as_of)
    )
    supported_rows = SupportedEstablishment.objects.filter(where)
    if connection.vendor == "sqlite":  # reads the index in establishment order, no temporary B-tree
        supported = supported_rows.values("establishment_id").distinct().count()
    else:  # PostgreSQL sorts in memory here, where a hashed DISTINCT spills to disk
        supported = supported_rows.aggregate(n=Count("establishment_id", distinct=True))["n"] or 0
    return {
        "projects": sum(by_status.values()),
        "by_status": by_status,
        "by_content": by_content,
        "by_province": {codes[pk]: n for pk, n in by_province_id.items() if n},
        "by_commune": {},
        "outputs": outputs,
        "outputs_by_content": outputs_by_content,
        "establishments_supported": supported,
        "revenue_before_vnd": evaluated["before"] or 0,
        "revenue_after_vnd": evaluated["after"] or 0,
        "revenue_evaluated": evaluated["n"] or 0,
    }


def project_statistics_counted(
    projects: QuerySet[Project],
    *,
    year_from: int,
    year_to: int,
    fund: str | None = None,
    provinces: frozenset[int] | None = None,
    as_of: datetime.date | None = None,
) -> dict[str, Any]:
    """`project_statistics` counted from the projects themselves (the running figures' reference)."""
    projects = _in_range(projects, year_from, year_to, fund, provinces)
    by_status = dict(projects.values_list("status").annotate(n=Count("id")).order_by())
    by_content = _by_content_code(
        dict(
            projects.filter(contents__isnull=False)
            .values_list("contents")
            .annotate(n=Count("id", distinct=True))
            .order_by()
        )
    )
    by_province = dict(projects.values_list("province__code").annotate(n=Count("id")).order_by())
    targets = Target.objects.filter(project__in=projects).annotate(main_content=main_content_of("project"))
    planned: dict[tuple[str, int], int] = defaultdict(int)
    achieved: dict[tuple[str, int], int] = defaultdict(int)
    for indicator, key, amount in targets.values_list("indicator", "main_content").annotate(Sum("planned")).order_by():
        planned[(indicator, key or 0)] += amount or 0
    done = targets.exclude(achieved_on=None)
    if as_of is not None:
        done = done.filter(achieved_on__lte=as_of)
    for indicator, key, amount in done.values_list("indicator", "main_content").annotate(Sum("achieved")).order_by():
        achieved[(indicator, key or 0)] += amount or 0
    outputs, outputs_by_content = _outputs(planned, achieved)
    supporting = Beneficiary.objects.filter(project__in=projects.filter(status__in=SUPPORTING_STATES))
    evaluated = supporting.filter(revenue_before_vnd__isnull=False, revenue_year1_vnd__isnull=False).aggregate(
        before=Sum("revenue_before_vnd"), after=Sum("revenue_year1_vnd"), n=Count("id")
    )
    return {
        "projects": sum(by_status.values()),
        "by_status": by_status,
        "by_content": by_content,
        "by_province": by_province,
        "by_commune": {},
        "outputs": outputs,
        "outputs_by_content": outputs_by_content,
        "establishments_supported": supporting.values("establishment_id").distinct().count(),
        "revenue_before_vnd": evaluated["before"] or 0,
        "revenue_after_vnd": evaluated["after"] or 0,
        "revenue_evaluated": evaluated["n"] or 0,
    }


#: States in which a project is published on the transparency pages: approved into a plan, under way or completed.
PUBLIC_STATES = (Status.IN_PLAN, *SUPPORTING_STATES)
#: The only fields the public pages and the open data show (no person, no establishment, no contact).
PUBLIC_FIELDS = (
    "code",
    "name",
    "plan_year",
    "end_year",
    "fund",
    "province",
    "contents",
    "implementing_organisation",
    "status",
    "state_funds_vnd",
    "counterpart_vnd",
)


def public_projects(*, province_id: Any = None, year: Any = None) -> QuerySet[Project]:
    """Approved and completed projects, with their khuyến công funds (approved, else planned) and counterpart capital,
    for the public pages (no login: no scope, and only `PUBLIC_FIELDS` ever leave through `public_row`)."""
    from django.db.models import Case, F, Sum, When
    from django.db.models.functions import Coalesce

    projects = Project.objects.filter(status__in=PUBLIC_STATES)
    province = parse_id(province_id, field="province")
    if province is not None:
        projects = projects.filter(province_id=province)
    plan_year = parse_year(year, field="year")
    if plan_year is not None:
        projects = projects.filter(plan_year=plan_year)
    amount = Coalesce(F("budget_lines__approved_vnd"), F("budget_lines__planned_vnd"))
    return (
        projects.annotate(
            state_funds_vnd=Coalesce(
                Sum(Case(When(budget_lines__source=BudgetSource.KHUYEN_CONG, then=amount), default=0)), 0
            ),
            counterpart_total_vnd=Coalesce(
                Sum(Case(When(budget_lines__source=BudgetSource.COUNTERPART, then=amount), default=0)), 0
            ),
        )
        .select_related("province", "implementing_org")
        .prefetch_related("contents")
        .order_by("-plan_year", "code")
    )


def public_row(project: Project) -> dict[str, Any]:
    """One project as the public sees it: exactly `PUBLIC_FIELDS`."""
    row = {
        "code": project.code,
        "name": project.name,
        "plan_year": project.plan_year,
        "end_year": project.end_year,
        "fund": project.fund,
        "province": project.province.full_name,
        "contents": "; ".join(f"{c.code}. {c.name}" for c in project.contents.all()),
        "implementing_organisation": project.implementing_org.name,
        "status": str(project.get_status_display()),
        "state_funds_vnd": project.state_funds_vnd,  # type: ignore[attr-defined]
        "counterpart_vnd": project.counterpart_total_vnd,  # type: ignore[attr-defined]
    }
    assert tuple(row) == PUBLIC_FIELDS
    return row


def public_totals() -> dict[str, Any]:
    """The headline figures of the public pages: projects published, their khuyến công funds and counterpart capital,
    and projects by province code."""
    from django.db.models import Count, F, Sum
    from django.db.models.functions import Coalesce

    projects = Project.objects.filter(status__in=PUBLIC_STATES)
    lines = BudgetLine.objects.filter(project__status__in=PUBLIC_STATES)
    sums = dict(
        lines.values_list("source").annotate(total=Sum(Coalesce(F("approved_vnd"), F("planned_vnd")))).order_by()
    )
    return {
        "projects": projects.count(),
        "state_funds_vnd": sums.get(BudgetSource.KHUYEN_CONG, 0) or 0,
        "counterpart_vnd": sums.get(BudgetSource.COUNTERPART, 0) or 0,
        "by_province": dict(projects.values_list("province__code").annotate(n=Count("id")).order_by()),
    }


# ---- pivot (read by the reports app) --------------------------------------------------------------------------------

#: dimension → (field on a project, field on a beneficiary); None where the dimension does not apply.
PIVOT_DIMENSIONS: dict[str, tuple[str | None, str | None]] = {
    "year": ("plan_year", "project__plan_year"),
    "fund": ("fund", "project__fund"),
    "province": ("province__full_name", "project__province__full_name"),
    "region": ("province__code", "project__province__code"),  # rolled up to regions by the caller
    "commune": ("commune__full_name", "project__commune__full_name"),
    "content": ("contents__code", "project__contents__code"),
    "status": ("status", "project__status"),
    "legal_form": (None, "establishment__legal_form"),
    "industry": (None, "establishment__eligible_group__name"),
    "support_item": ("beneficiaries__support_item__code", "support_item__code"),
}
MAIN_CONTENT = "kc_main_content"
PIVOT_MEASURES = ("projects", "state_funds_vnd", "counterpart_vnd", "beneficiaries", "establishments_supported",
                  "support_vnd", "target_planned", "target_achieved")  # fmt: skip
BENEFICIARY_MEASURES = frozenset({"beneficiaries", "support_vnd", "establishments_supported"})
TARGET_MEASURES = frozenset({"target_planned", "target_achieved"})


def project_pivot(
    *,
    user: Any,
    dimensions: list[str],
    measure: str,
    year_from: int,
    year_to: int,
    fund: str | None = None,
    indicator: str | None = None,
    as_of: datetime.date | None = None,
) -> list[tuple[tuple[Any, ...], int]]:
    """Grouped values of `measure` by the `dimensions`, over the projects (or their beneficiaries, or their targets
    for `indicator`) in the user's scope with a plan year in the range. A project with several contents (support
    items) counts under its main content (docs/figures.md) and once under each of its support items, once in each
    cell whatever the number of its beneficiaries; establishments supported are counted distinct in each cell
    (beneficiaries of projects approved into a plan or further); achieved values up to `as_of`."""  # fmt: skip
    from django.db.models import BigIntegerField, Count, OuterRef, Subquery, Sum
    from django.db.models.functions import Coalesce

    if measure not in PIVOT_MEASURES:
        raise ApplicationError(ErrorCode.INVALID, _("Choose a measure of the list."), field="measure")
    on_beneficiaries = measure in BENEFICIARY_MEASURES
    on_targets = measure in TARGET_MEASURES
    if on_targets and not PolicyIndicator.objects.filter(code=indicator or "", computed=False).exists():
        raise ApplicationError(ErrorCode.INVALID, _("Choose the indicator to count."), field="indicator")
    fields = []
    for dimension in dimensions:
        if dimension not in PIVOT_DIMENSIONS:
            raise ApplicationError(ErrorCode.INVALID, _("Choose rows and columns of the list."), field="rows")
        field_name = PIVOT_DIMENSIONS[dimension][1 if on_beneficiaries else 0]
        if on_targets and field_name is not None:
            field_name = f"project__{field_name}"
        if field_name is None:
            raise ApplicationError(
                ErrorCode.INVALID,
                _("Legal form and industry are those of the beneficiaries: choose a beneficiary measure."),
                field="measure",
            )
        if dimension == "content":
            field_name = MAIN_CONTENT
        fields.append(field_name)
    by_content = "content" in dimensions
    project_path = "project" if on_targets or on_beneficiaries else "pk"
    main = {MAIN_CONTENT: main_content_of(project_path)} if by_content else {}
    projects = project_queryset(user=user).filter(plan_year__gte=year_from, plan_year__lte=year_to)
    if fund:
        projects = projects.filter(fund=fund)
    if on_targets:
        targets = Target.objects.filter(project__in=projects, indicator_id=indicator).annotate(**main)
        if measure == "target_achieved":
            targets = targets.exclude(achieved_on=None)
            if as_of is not None:
                targets = targets.filter(achieved_on__lte=as_of)
        total: Any = Sum("planned") if measure == "target_planned" else Sum("achieved")
        grouped = targets.values(*fields).annotate(value=total).order_by()
    elif on_beneficiaries:
        rows = Beneficiary.objects.filter(project__in=projects).annotate(**main)
        if measure == "establishments_supported":
            rows = rows.filter(project__status__in=SUPPORTING_STATES)
        value: Any = {
            "beneficiaries": Count("id"),
            "support_vnd": Sum("support_vnd"),
            "establishments_supported": Count("establishment_id", distinct=True),
        }[measure]
        grouped = rows.values(*fields).annotate(value=value).order_by()
    elif measure == "projects":
        grouped = projects.annotate(**main).values(*fields).annotate(value=Count("id", distinct=True)).order_by()
    else:
        source = BudgetSource.KHUYEN_CONG if measure == "state_funds_vnd" else BudgetSource.COUNTERPART
        per_project = (
            BudgetLine.objects.filter(project=OuterRef("pk"), source=source)
            .values("project")
            .annotate(total=Sum(Coalesce("approved_vnd", "planned_vnd")))
            .values("total")
        )
        # One row per project and cell (a project with two beneficiaries of one support item is one project).
        cells = (
            projects.annotate(**main, amount=Coalesce(Subquery(per_project, output_field=BigIntegerField()), 0))
            .values("pk", *fields, "amount")
            .distinct()
            .order_by()
        )
        sums: dict[tuple[Any, ...], int] = defaultdict(int)
        for row in cells:
            sums[tuple(row[f] for f in fields)] += int(row["amount"] or 0)
        grouped = [{**dict(zip(fields, key, strict=True)), "value": value} for key, value in sums.items()]
    result = [(tuple(row[f] for f in fields), int(row["value"] or 0)) for row in grouped]
    if by_content:  # the main content's id → its code (both wordings of a content are one code)
        codes = dict(ActivityContent.objects.values_list("pk", "code"))
        at = fields.index(MAIN_CONTENT)
        merged: dict[tuple[Any, ...], int] = defaultdict(int)
        for key, value in result:
            key = (*key[:at], codes.get(key[at]), *key[at + 1 :])
            merged[key] += value
        result = list(merged.items())
    return result


def progress_reports_to_confirm(*, user: Any) -> QuerySet[ProgressReport]:
    """Monthly progress reports of the user's area not confirmed yet, that the user may confirm (the Department;
    the ministry's agency for national projects), oldest first."""
    from .workflow import Actor, actors_of

    actors = actors_of(user, None)
    reports = scope_queryset(ProgressReport.objects.filter(confirmed_at__isnull=True), user)
    if Actor.DEPARTMENT in actors:
        pass
    elif Actor.AGENCY in actors:
        reports = reports.filter(project__fund="kcqg")
    else:
        return reports.none()
    return reports.select_related("project").order_by("submitted_at", "pk")


@dataclass
class SupportReceived:
    """One project that supports an establishment, as its "Hỗ trợ đã nhận" tab shows it."""

    project: Project
    support_vnd: int
    counterpart_vnd: int
    openable: bool  # whether the user may open the project's own page


def support_received(user: Any, establishment: Any) -> list[SupportReceived]:
    """The projects (past the draft) naming `establishment` among their beneficiaries, newest first, with the
    support and counterpart of this establishment. Called for an establishment already in the user's scope: its
    representative sees its own support even where the projects' pages are not theirs to open."""
    from .models import Beneficiary, Status

    rows = (
        Beneficiary.objects.filter(establishment=establishment)
        .exclude(project__status=Status.DRAFT)
        .select_related("project", "project__province")
        .order_by("-project__plan_year", "project__code")
    )
    rows = list(rows[:200])
    openable = set(project_queryset(user=user).filter(pk__in=[r.project_id for r in rows]).values_list("pk", flat=True))
    return [
        SupportReceived(r.project, r.support_vnd or 0, r.counterpart_vnd or 0, r.project_id in openable) for r in rows
    ]
