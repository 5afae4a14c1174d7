"""Writes on programmes, plans and money. Every function checks permission and scope, validates, writes atomically
and leaves history; money events update the running totals in the same transaction."""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.formatting import format_money, format_percent
from khuyencong.core.history import attribute
from khuyencong.core.money import check_amount
from khuyencong.core.related import lookup
from khuyencong.core.scoping import in_scope
from khuyencong.geography.models import AdminUnit
from khuyencong.policy.models import ActivityContent, AdvanceRule, Fund
from khuyencong.projects import workflow
from khuyencong.projects.choices import BudgetSource, Status
from khuyencong.projects.models import Project
from khuyencong.projects.workflow import Actor, actors_of

from .choices import KINDS_BY_SOURCE, MoneyKind, VersionKind
from .models import (
    Allocation,
    AnnualPlan,
    MoneyEvent,
    MoneyTotal,
    MoneyYearTotal,
    PlanItem,
    PlanItemTotal,
    PlanVersion,
    Programme,
    ProgrammeTarget,
)
from .selectors import programmes_for

PAYABLE = frozenset(
    {Status.ASSIGNED, Status.CONTRACTED, Status.IN_PROGRESS, Status.ADJUSTMENT_PENDING, Status.ACCEPTED}
)
SETTLEABLE = frozenset({Status.ACCEPTED, Status.SETTLED, Status.EVALUATED})


def _invalid(message: str, field: str | None = None) -> ApplicationError:
    return ApplicationError(ErrorCode.INVALID, message, field=field)


def _amount(value: Any, field: str, *, positive: bool = False) -> int:
    return check_amount(value, field, positive=positive)


# ---- who may do what ------------------------------------------------------------------------------------------------


def can_manage_plan(user: Any, plan: AnnualPlan) -> bool:
    """The ministry keeps the national plans; a province's Department keeps its local plans."""
    actors = actors_of(user, None)
    if plan.fund == Fund.KCQG:
        return Actor.AGENCY in actors
    return Actor.DEPARTMENT in actors and in_scope(user, plan)


def can_create_plan(user: Any) -> bool:
    """Whether the user keeps any plan at all: the ministry's agency (national plans) or a Department (its
    province's local plans). Others are not offered “New plan”."""
    return bool(actors_of(user, None) & {Actor.AGENCY, Actor.DEPARTMENT})


def _check_plan(user: Any, plan: AnnualPlan) -> None:
    if plan.province_id and not in_scope(user, plan):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    if not can_manage_plan(user, plan):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Your role does not allow changing this plan."))


# ---- plans -----------------------------------------------------------------------------------------------------------


@dataclass
class DecisionInput:
    number: str
    date: datetime.date | None
    signer: str
    effective_on: datetime.date | None = None


@dataclass
class AllocationInput:
    amount_vnd: int
    province_id: int | None = None
    content_id: int | None = None
    #: The row's number as the person entering the table sees it (blank rows left out of the input count); by
    #: default its place in the input.
    row: int | None = None


def _check_decision(decision: DecisionInput | None) -> DecisionInput:
    if (
        decision is None
        or not (decision.number or "").strip()
        or not decision.date
        or not (decision.signer or "").strip()
    ):
        raise _invalid(
            _("A plan and every adjustment need their decision: number, date and signer."), "decision_number"
        )
    if decision.date > timezone.localdate():
        raise ApplicationError(
            ErrorCode.INVALID_DATE, _("A decision cannot be dated in the future."), field="decision_date"
        )
    return decision


def _check_allocations(
    plan: AnnualPlan, total: int, allocations: list[AllocationInput], on: datetime.date
) -> list[AllocationInput]:
    """The allocation table of a version in force from `on`, checked cell by cell: amounts are đồng from 0; a local
    plan allocates only inside its province; each content is taken as its version in force on `on` (refused when the
    content did not exist then); no cell twice; and every part fits in what contains it — the provinces (their own
    rows, else the sum of their cells) and the contents in the plan's total, a province's cells in its own row, a
    content's cells in its own row. Returns the rows with each content as its version in force."""
    from khuyencong.policy.selectors import content_version_on

    provinces = set(
        AdminUnit.objects.filter(
            pk__in=[a.province_id for a in allocations if a.province_id], level="province"
        ).values_list("pk", flat=True)
    )
    checked: list[AllocationInput] = []
    seen: dict[tuple[int | None, int | None], int] = {}
    for position, row in enumerate(allocations, start=1):
        number = row.row or position
        field = f"allocations-{number - 1}-amount_vnd"
        _amount(row.amount_vnd, field)
        if row.province_id and row.province_id not in provinces:
            raise _invalid(_("Allocation %(n)s: choose a province of the list.") % {"n": number}, field)
        content_id = row.content_id
        if content_id:
            version = content_version_on(content_id, on)
            if version is None:
                known = ActivityContent.objects.filter(pk=content_id).first()
                message = (
                    _("Allocation %(n)s: content %(code)s was not in force on %(date)s.")
                    % {"n": number, "code": known.code, "date": on.strftime("%d/%m/%Y")}
                    if known
                    else _("Allocation %(n)s: choose a content of the list.") % {"n": number}
                )
                raise _invalid(message, field)
            content_id = version.pk
        province_id = row.province_id
        if plan.province_id:
            if province_id not in (None, plan.province_id):
                raise _invalid(
                    _("Allocation %(n)s: a local plan allocates only inside its province.") % {"n": number}, field
                )
            province_id = None  # a local plan's rows are its province's
        key = (province_id, content_id)
        if key == (None, None) and row.amount_vnd > total:  # a row of the whole plan holds no more than it
            raise _invalid(
                _("Allocation %(n)s: %(amount)s is more than the plan's total %(total)s.")
                % {"n": number, "amount": format_money(row.amount_vnd), "total": format_money(total)},
                field,
            )
        if key in seen:
            raise _invalid(
                _("Allocation %(n)s repeats allocation %(m)s (same province and content).")
                % {"n": number, "m": seen[key]},
                field,
            )
        seen[key] = number
        checked.append(AllocationInput(row.amount_vnd, province_id, content_id, row=number))
    problem = room_problem(plan, total, [(a.province_id, a.content_id, a.amount_vnd) for a in checked], {})
    if problem:
        raise ApplicationError(ErrorCode.INVALID, problem, field="allocations")
    return checked


def room_problem(
    plan: AnnualPlan,
    total: int,
    rows: list[tuple[int | None, int | None, int]],
    included: dict[tuple[int, int], int],
    *,
    touching: tuple[int, int] | None = None,
) -> str | None:
    """The first part of a plan version that does not hold what is put in it, as a sentence with the figures; None
    when everything fits. `rows` is the allocation table (province, content, amount), `included` the approved funds of
    the projects in the plan by (province, main content id or 0). With `touching` (a project's province and main
    content), only the parts that project falls in are checked."""
    codes = dict(ActivityContent.objects.values_list("pk", "code"))
    names = dict(
        AdminUnit.objects.filter(
            pk__in={p for p, _c, _a in rows if p} | {p for p, _k in included} | ({touching[0]} if touching else set())
        ).values_list("pk", "name")
    )

    def over(label: str, amount: int, limit: int, what: str) -> str:
        return _("%(label)s: %(what)s would be %(amount)s, more than its allocation %(limit)s.") % {
            "label": label,
            "what": what,
            "amount": format_money(amount),
            "limit": format_money(limit),
        }

    projects, allocations = _("the projects included"), _("the allocations")
    touch_province = touching[0] if touching else None
    touch_code = codes.get(touching[1]) if touching and touching[1] else None
    item_total = sum(included.values())
    if item_total > total:
        return _("With these projects the plan would hold %(sum)s, more than its total %(total)s.") % {
            "sum": format_money(item_total),
            "total": format_money(total),
        }
    content_rows: dict[str, list[tuple[int | None, int]]] = defaultdict(list)  # code → [(province, amount)]
    province_rows: dict[int, list[tuple[str | None, int]]] = defaultdict(list)  # province → [(code, amount)]
    for province_id, content_id, amount in rows:
        code = codes.get(content_id) if content_id else None
        if code:
            content_rows[code].append((province_id, amount))
        if province_id:
            province_rows[province_id].append((code, amount))
    by_code: dict[str, int] = defaultdict(int)
    by_province: dict[int, int] = defaultdict(int)
    by_cell: dict[tuple[int, str], int] = defaultdict(int)
    for (province_id, key), amount in included.items():
        by_province[province_id] += amount
        if key and key in codes:
            by_code[codes[key]] += amount
            by_cell[(province_id, codes[key])] += amount
    # The parts and what contains them: provinces and contents in the total.
    province_parts: dict[int, int | None] = {
        p: next((a for c, a in cells if c is None), None) for p, cells in province_rows.items()
    }  # explicit row or None
    province_limit: dict[int, int] = {
        p: own if own is not None else sum(a for c, a in province_rows[p] if c is not None)
        for p, own in province_parts.items()
    }
    content_parts: dict[str, int | None] = {
        code: next((a for p, a in cells if p is None), None) for code, cells in content_rows.items()
    }
    content_limit: dict[str, int] = {
        code: own if own is not None else sum(a for p, a in content_rows[code] if p is not None)
        for code, own in content_parts.items()
    }
    if touching is None:
        if sum(province_limit.values()) > total:
            return _("The allocations to provinces add up to %(sum)s, more than the plan's total %(total)s.") % {
                "sum": format_money(sum(province_limit.values())),
                "total": format_money(total),
            }
        if sum(content_limit.values()) > total:
            return _("The allocations to contents add up to %(sum)s, more than the plan's total %(total)s.") % {
                "sum": format_money(sum(content_limit.values())),
                "total": format_money(total),
            }
        for province_id, own in province_parts.items():
            in_cells = sum(a for c, a in province_rows[province_id] if c is not None)
            if own is not None and in_cells > own:
                return over(names.get(province_id, str(province_id)), in_cells, own, allocations)
        for code, own_row in content_parts.items():
            spread = sum(a for p, a in content_rows[code] if p is not None)
            if own_row is not None and spread > own_row:
                return over(_("content %(code)s") % {"code": code}, spread, own_row, allocations)
    # What the projects take from each part: the cell first (the narrowest), then the province, then the content.
    for (province_id, code), amount in by_cell.items():
        if touching is not None and (province_id != touch_province or code != touch_code):
            continue
        cell = [a for c, a in province_rows.get(province_id, []) if c == code]
        if cell and amount > sum(cell):
            label = _("%(province)s, content %(code)s") % {"province": names.get(province_id, ""), "code": code}
            return over(label, amount, sum(cell), projects)
    for province_id, limit in province_limit.items():
        if touching is not None and province_id != touch_province:
            continue
        if by_province[province_id] > limit:
            return over(names.get(province_id, str(province_id)), by_province[province_id], limit, projects)
    for code, limit in content_limit.items():
        if touching is not None and code != touch_code:
            continue
        if by_code[code] > limit:
            return over(_("content %(code)s") % {"code": code}, by_code[code], limit, projects)
    # Provinces (contents) the table does not name share what it leaves to no province (content).
    if province_limit and (touching is None or touch_province not in province_limit):
        free = max(total - sum(province_limit.values()), 0)
        unnamed = sum(a for p, a in by_province.items() if p not in province_limit)
        if unnamed > free:
            return _(
                "Provinces without an allocation: the projects included would take %(amount)s, more than the "
                "%(free)s the table leaves to no province."
            ) % {"amount": format_money(unnamed), "free": format_money(free)}
    if content_limit and (touching is None or touch_code not in content_limit):
        free = max(total - sum(content_limit.values()), 0)
        unnamed = sum(a for (_p, key), a in included.items() if codes.get(key) not in content_limit)
        if unnamed > free:
            return _(
                "Contents without an allocation: the projects included would take %(amount)s, more than the "
                "%(free)s the table leaves to no content."
            ) % {"amount": format_money(unnamed), "free": format_money(free)}
    return None


def _write_allocations(version: PlanVersion, allocations: list[AllocationInput], user: Any, reason: str) -> None:
    for row in allocations:
        allocation = Allocation(
            version=version, province_id=row.province_id, content_id=row.content_id, amount_vnd=row.amount_vnd
        )
        attribute(allocation, user=user, reason=reason)
        allocation.save()


@transaction.atomic
def plan_create(
    *,
    user: Any,
    fund: str,
    year: int,
    province_id: int | None,
    title: str,
    total_vnd: int,
    decision: DecisionInput | None,
    programme_id: int | None = None,
    allocations: list[AllocationInput] | None = None,
) -> AnnualPlan:
    """A plan approved by its decision: the plan and its first version."""
    if fund not in Fund.values:
        raise _invalid(_("Choose the fund."), "fund")
    if not isinstance(year, int) or not 2000 <= year <= timezone.localdate().year + 5:
        raise _invalid(_("Choose a year from 2000 to five years ahead."), "year")
    province = AdminUnit.objects.filter(pk=province_id, level="province").first() if province_id else None
    if fund == Fund.KCDP and province is None:
        raise _invalid(_("A local plan belongs to a province."), "province")
    if fund == Fund.KCQG:
        province = None
    if programme_id is not None:  # another province's programme is "not found", like one that does not exist
        programme_id = lookup(programmes_for(user=user), programme_id, scoped=True, field="programme").pk
    plan = AnnualPlan(
        fund=fund,
        year=year,
        province=province,
        programme_id=programme_id,
        title=" ".join((title or "").split()),
    )
    if not plan.title:
        raise _invalid(_("Give the plan a title."), "title")
    _check_plan(user, plan)
    duplicate = AnnualPlan.objects.filter(fund=fund, year=year, province=province)
    if duplicate.exists():
        raise ApplicationError(ErrorCode.DUPLICATE, _("This plan already exists: adjust it instead."), field="year")
    decision = _check_decision(decision)
    _amount(total_vnd, "total_vnd")
    allocations = _check_allocations(
        plan,
        total_vnd,
        allocations or [],
        decision.effective_on or decision.date,  # type: ignore[arg-type]
    )
    reason = _("Approved by %(number)s") % {"number": decision.number}
    attribute(plan, user=user, reason=reason)
    plan.save()
    version = PlanVersion(
        plan=plan,
        number=1,
        kind=VersionKind.APPROVAL,
        decision_number=decision.number.strip(),
        decision_date=decision.date,  # type: ignore[misc]
        signer=decision.signer.strip(),
        effective_on=decision.effective_on or decision.date,
        total_vnd=total_vnd,
        created_by=user,
    )
    attribute(version, user=user, reason=reason)
    version.save()
    _write_allocations(version, allocations, user, reason)
    return plan


def _included(version: PlanVersion) -> dict[tuple[int, int], int]:
    """The approved funds of the version's projects by (province, main content id or 0)."""
    return {
        (province_id, key): amount
        for province_id, key, amount in version.item_totals.values_list("province_id", "content_key", "amount_vnd")
    }


def latest_version(plan: AnnualPlan) -> PlanVersion:
    version = plan.versions.order_by("-number").first()
    assert version is not None  # a plan is created with its first version
    return version


@transaction.atomic
def plan_adjust(
    *,
    user: Any,
    plan_id: int,
    decision: DecisionInput | None,
    total_vnd: int | None = None,
    allocations: list[AllocationInput] | None = None,
    note: str = "",
) -> PlanVersion:
    """A new version of the plan under its adjustment decision: the previous allocations and projects carried over,
    then the changes given (a new total, a new set of allocations)."""
    plan = AnnualPlan.objects.select_for_update().filter(pk=plan_id).order_by("pk").first()
    if plan is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your area."))
    _check_plan(user, plan)
    decision = _check_decision(decision)
    previous = latest_version(plan)
    same = plan.versions.filter(decision_number__iexact=decision.number).order_by("number").first()
    if same is not None:  # the same decision sent again (a double click, a retried request) adds no version
        raise ApplicationError(
            ErrorCode.DUPLICATE,
            _("Decision %(number)s is already recorded as version %(version)s of this plan.")
            % {"number": decision.number, "version": same.number},
            field="decision_number",
        )
    effective = decision.effective_on or decision.date
    if effective < previous.effective_on:  # type: ignore[operator]
        raise ApplicationError(
            ErrorCode.INVALID_DATE,
            _("An adjustment cannot take effect before the version it changes (%(date)s).")
            % {"date": previous.effective_on.strftime("%d/%m/%Y")},
            field="decision_date",
        )
    total = previous.total_vnd if total_vnd is None else _amount(total_vnd, "total_vnd")
    if allocations is None:
        allocations = [AllocationInput(a.amount_vnd, a.province_id, a.content_id) for a in previous.allocations.all()]
    allocations = _check_allocations(plan, total, allocations, effective)  # type: ignore[arg-type]
    items = list(previous.items.all())
    included = sum(item.approved_vnd for item in items)
    if included > total:
        raise _invalid(
            _("The projects already in the plan (%(sum)s) exceed the new total (%(total)s).")
            % {"sum": format_money(included), "total": format_money(total)},
            "total_vnd",
        )
    problem = room_problem(
        plan,
        total,
        [(a.province_id, a.content_id, a.amount_vnd) for a in allocations],
        _included(previous),
    )
    if problem:
        raise ApplicationError(ErrorCode.INVALID, problem, field="allocations")
    reason = _("Adjusted by %(number)s") % {"number": decision.number}
    version = PlanVersion(
        plan=plan,
        number=previous.number + 1,
        kind=VersionKind.ADJUSTMENT,
        decision_number=decision.number.strip(),
        decision_date=decision.date,  # type: ignore[misc]
        signer=decision.signer.strip(),
        effective_on=effective,
        total_vnd=total,
        note=(note or "").strip(),
        created_by=user,
    )
    attribute(version, user=user, reason=reason)
    version.save()
    _write_allocations(version, allocations, user, reason)
    for item in items:
        copy = PlanItem(version=version, project_id=item.project_id, approved_vnd=item.approved_vnd)
        attribute(copy, user=user, reason=reason)
        copy.save()
    for row in previous.item_totals.all():
        PlanItemTotal.objects.create(
            version=version, province_id=row.province_id, content_key=row.content_key, amount_vnd=row.amount_vnd
        )
    return version


#: A project still being prepared or appraised, refused or stopped is not put into a plan.
NOT_INCLUDABLE = frozenset(
    {Status.DRAFT, Status.SUBMITTED, Status.BASE_APPRAISAL, Status.REJECTED,
     Status.STOPPED}
)  # fmt: skip


@transaction.atomic
def plan_item_set(*, user: Any, plan_id: int, project_id: int, approved_vnd: int | None) -> PlanItem | None:
    """Include a project in the plan's current version with its approved funds (None removes it)."""
    plan = AnnualPlan.objects.select_for_update().filter(pk=plan_id).order_by("pk").first()
    if plan is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your area."))
    _check_plan(user, plan)
    version = latest_version(plan)
    project = Project.objects.filter(pk=project_id).select_related("province").first()
    if project is None or not in_scope(user, project):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."), field="project")
    if project.fund != plan.fund or (plan.province_id and project.province_id != plan.province_id):
        raise _invalid(
            _("%(project)s is not a project of this plan's fund and province.") % {"project": project.code}, "project"
        )
    if project.plan_year > plan.year or project.end_year < plan.year:
        raise _invalid(
            _("%(project)s does not run in %(year)s.") % {"project": project.code, "year": plan.year}, "project"
        )
    existing = version.items.filter(project=project).first()
    if approved_vnd is None:
        if existing is not None:
            _item_total(version, project, -existing.approved_vnd)
            attribute(existing, user=user, reason=_("Removed from the plan"))
            existing.delete()
        return None
    if project.status in NOT_INCLUDABLE:
        raise _invalid(
            _("%(project)s is “%(status)s”: only a project that passed its appraisal goes into a plan.")
            % {"project": project.code, "status": project.get_status_display()},
            "project",
        )
    _amount(approved_vnd, "approved_vnd")
    approved = approved_khuyen_cong(project)
    if approved_vnd > approved:
        raise _invalid(
            _("%(project)s: %(amount)s is more than the khuyến công funds approved for the project (%(approved)s).")
            % {"project": project.code, "amount": format_money(approved_vnd), "approved": format_money(approved)},
            "approved_vnd",
        )
    others = version.items.exclude(project=project).aggregate(total=Sum("approved_vnd"))["total"] or 0
    if others + approved_vnd > version.total_vnd:
        raise _invalid(
            _("With this project the plan would hold %(sum)s, more than its total %(total)s.")
            % {"sum": format_money(others + approved_vnd), "total": format_money(version.total_vnd)},
            "approved_vnd",
        )
    main = _main_content_id(project) or 0
    included = _included(version)
    key = (project.province_id, main)
    included[key] = included.get(key, 0) - (existing.approved_vnd if existing else 0) + approved_vnd
    problem = room_problem(
        plan,
        version.total_vnd,
        list(version.allocations.values_list("province_id", "content_id", "amount_vnd")),
        included,
        touching=key,
    )
    if problem:
        raise _invalid(problem, "approved_vnd")
    item = existing or PlanItem(version=version, project=project)
    _item_total(version, project, approved_vnd - (existing.approved_vnd if existing else 0))
    item.approved_vnd = approved_vnd
    attribute(item, user=user, reason=_("Included in the plan"))
    item.save()
    return item


# ---- money -----------------------------------------------------------------------------------------------------------


def approved_khuyen_cong(project: Project) -> int:
    """The khuyến công funds approved for the project: its approved budget lines (the planned ones until then)."""
    lines = list(project.budget_lines.filter(source=BudgetSource.KHUYEN_CONG))
    return sum(line.approved_vnd if line.approved_vnd is not None else line.planned_vnd for line in lines)


def advance_rule_for(project: Project, on: datetime.date) -> AdvanceRule | None:
    """The advance rule in force for the project's support items: an item's own rule first, the general one else.
    With several items, the most restrictive rule applies."""
    rules = list(AdvanceRule.objects.valid_on(on).filter(fund=project.fund).prefetch_related("items"))
    items = set(project.beneficiaries.exclude(support_item=None).values_list("support_item_id", flat=True))
    own = [r for r in rules if items & {i.pk for i in r.items.all()}]
    general = [r for r in rules if not r.items.all()]
    candidates = own or general
    return min(candidates, key=lambda r: r.max_percent) if candidates else None


def _sums(project: Project) -> dict[tuple[str, str], int]:
    rows = project.money_events.values_list("source", "kind").annotate(total=Sum("amount_vnd"))
    return {(source, kind): total for source, kind, total in rows}


def _money_recorders(project: Project, source: str) -> set[Actor]:
    """Who records the money of `source` on `project`: khuyến công funds by whoever pays them (the agency for a
    national project, the Department for a local one); counterpart and other sources by the implementing unit, the
    Department or the agency."""
    if source == BudgetSource.KHUYEN_CONG:
        return {Actor.AGENCY} if project.fund == Fund.KCQG else {Actor.DEPARTMENT}
    return {Actor.IMPLEMENTER, Actor.DEPARTMENT, Actor.AGENCY}


def money_sources_for(user: Any, project: Project) -> list[str]:
    """The sources of funds whose money events the user may record on the project (the money form offers those)."""
    actors = actors_of(user, project)
    if not in_scope(user, project):
        return []
    return [source for source in BudgetSource.values if actors & _money_recorders(project, source)]


def money_recorders_text(project: Project, source: str) -> str:
    """“The ministry's khuyến công agency”: who records the money of `source` on `project`, for a refusal."""
    recorders = _money_recorders(project, source)
    return _(" or ").join(str(workflow.ACTOR_LABELS[a]) for a in workflow.ACTOR_ORDER if a in recorders)


def _roles_for_money(user: Any, project: Project, source: str) -> None:
    if not actors_of(user, project) & _money_recorders(project, source):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED,
            _("Money of the source “%(source)s” on this project is recorded by: %(who)s.")
            % {"source": BudgetSource(source).label, "who": money_recorders_text(project, source)},
            field="source",
        )


def _month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def _main_content_id(project: Project) -> int | None:
    return project.contents.order_by("code").values_list("pk", flat=True).first()


def _bump(model: Any, key: dict[str, Any], amount: int, events: int = 1) -> None:
    """Add `amount` to the running-total row of `key` (created when missing, even by a concurrent transaction)."""
    changes: dict[str, Any] = {"amount_vnd": F("amount_vnd") + amount}
    if events and hasattr(model, "events"):
        changes["events"] = F("events") + events
    if model.objects.filter(**key).update(**changes):
        return
    values = {"amount_vnd": amount, **({"events": events} if hasattr(model, "events") else {})}
    try:
        with transaction.atomic():  # another transaction may create the same row meanwhile
            model.objects.create(**key, **values)
    except IntegrityError:
        model.objects.filter(**key).update(**changes)


def _add_to_totals(event: MoneyEvent) -> None:
    key = {
        "fund": event.fund,
        "province_id": event.province_id,
        "plan_year": event.plan_year,
        "content_key": event.content_id or 0,
        "source": event.source,
        "kind": event.kind,
    }
    _bump(MoneyTotal, {**key, "month": _month(event.occurred_on)}, event.amount_vnd)
    _bump(MoneyYearTotal, {**key, "year": event.occurred_on.year}, event.amount_vnd)


def _item_total(version: PlanVersion, project: Project, amount: int) -> None:
    if amount:
        key = {"version": version, "province_id": project.province_id, "content_key": _main_content_id(project) or 0}
        _bump(PlanItemTotal, key, amount, events=0)


@transaction.atomic
def money_event_record(
    *,
    user: Any,
    project_id: int,
    kind: str,
    source: str,
    amount_vnd: int,
    occurred_on: datetime.date,
    reference: str = "",
    note: str = "",
) -> MoneyEvent:
    """Record an advance, payment, refund, settlement or commitment; refused with the reason (nothing written) when
    it breaks the approved amount, the advance rule, the project's stage or the date."""
    project = (
        Project.objects.select_for_update().select_related("province", "implementing_org").filter(pk=project_id).first()
    )
    if project is None or not in_scope(user, project):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    if source not in KINDS_BY_SOURCE:
        raise _invalid(_("Choose the source of funds."), "source")
    if kind not in KINDS_BY_SOURCE[source]:
        raise _invalid(
            _("“%(kind)s” does not apply to %(source)s.")
            % {
                "kind": MoneyKind(kind).label if kind in MoneyKind.values else kind,
                "source": BudgetSource(source).label,
            },
            "kind",
        )
    if kind == MoneyKind.SETTLEMENT:
        raise ApplicationError(
            ErrorCode.CONFLICT,
            _(
                "A settlement is recorded by the step “Approve the settlement”, with its decision and the settled "
                "amount of each budget line; the figures read it from there."
            ),
            field="kind",
        )
    _roles_for_money(user, project, source)
    _amount(amount_vnd, "amount_vnd", positive=True)
    if not isinstance(occurred_on, datetime.date) or occurred_on > timezone.localdate() or occurred_on.year < 2000:
        raise ApplicationError(
            ErrorCode.INVALID_DATE, _("The date must be a past day (from 2000)."), field="occurred_on"
        )
    reference = " ".join((reference or "").split())
    if reference and MoneyEvent.objects.filter(project=project, kind=kind, source=source, reference=reference).exists():
        # The same payment order twice (a double click, a retry after a lost answer): recorded once. The project row
        # is locked above, so requests sent at the same moment see each other's event.
        raise ApplicationError(
            ErrorCode.DUPLICATE,
            _("A %(kind)s with the reference “%(reference)s” is already recorded for this project.")
            % {"kind": MoneyKind(kind).label.lower(), "reference": reference},
            field="reference",
        )
    sums = _sums(project)
    kc = BudgetSource.KHUYEN_CONG
    approved = approved_khuyen_cong(project)
    if kind == MoneyKind.SETTLEMENT and project.status not in SETTLEABLE:
        raise ApplicationError(
            ErrorCode.CONFLICT,
            _("A settlement is recorded after the acceptance; the project is “%(status)s”.")
            % {"status": project.get_status_display()},
            field="kind",
        )
    if source == kc and kind in (MoneyKind.ADVANCE, MoneyKind.PAYMENT) and project.status not in PAYABLE:
        raise ApplicationError(
            ErrorCode.CONFLICT,
            _(
                "Money is advanced or paid once the plan is assigned and until the acceptance; "
                "the project is “%(status)s”."
            )
            % {"status": project.get_status_display()},
            field="kind",
        )
    disbursed = (
        sums.get((kc, MoneyKind.ADVANCE), 0)
        + sums.get((kc, MoneyKind.PAYMENT), 0)
        - sums.get((kc, MoneyKind.REFUND), 0)
    )
    if source == kc and kind in (MoneyKind.ADVANCE, MoneyKind.PAYMENT) and disbursed + amount_vnd > approved:
        raise _invalid(
            _("With this %(kind)s the project would receive %(total)s, more than its approved %(approved)s.")
            % {
                "kind": MoneyKind(kind).label.lower(),
                "total": format_money(disbursed + amount_vnd),
                "approved": format_money(approved),
            },
            "amount_vnd",
        )
    if source == kc and kind == MoneyKind.ADVANCE:
        rule = advance_rule_for(project, occurred_on)
        if rule is not None:
            advanced = sums.get((kc, MoneyKind.ADVANCE), 0) + amount_vnd
            limit = Decimal(approved) * rule.max_percent / 100
            if advanced > limit:
                raise _invalid(
                    _(
                        "Advances would reach %(advanced)s, %(pct)s of the approved %(approved)s; the rule allows "
                        "at most %(max)s (%(basis)s)."
                    )
                    % {
                        "advanced": format_money(advanced),
                        "pct": format_percent(Decimal(advanced) * 100 / approved if approved else None),
                        "approved": format_money(approved),
                        "max": format_percent(rule.max_percent, 0),
                        "basis": rule.basis(),
                    },
                    "amount_vnd",
                )
    if kind == MoneyKind.REFUND and amount_vnd > disbursed:
        raise _invalid(
            _("A refund (%(amount)s) cannot be more than what was disbursed (%(disbursed)s).")
            % {"amount": format_money(amount_vnd), "disbursed": format_money(disbursed)},
            "amount_vnd",
        )
    if source == kc and kind == MoneyKind.SETTLEMENT and sums.get((kc, kind), 0) + amount_vnd > approved:
        raise _invalid(
            _("The settlement would reach %(total)s, more than the approved %(approved)s.")
            % {"total": format_money(sums.get((kc, kind), 0) + amount_vnd), "approved": format_money(approved)},
            "amount_vnd",
        )
    event = MoneyEvent(
        project=project,
        kind=kind,
        source=source,
        amount_vnd=amount_vnd,
        occurred_on=occurred_on,
        reference=reference,
        note=(note or "").strip(),
        fund=project.fund,
        province_id=project.province_id,
        plan_year=project.plan_year,
        content_id=_main_content_id(project),
        created_by=user,
    )
    attribute(event, user=user, reason=str(MoneyKind(kind).label))
    event.save()
    _add_to_totals(event)
    return event


@transaction.atomic
def totals_rebuild() -> int:
    """Recompute every running total from the events and the plans' items (after a data repair); returns the number
    of monthly total rows."""
    MoneyTotal.objects.all().delete()
    MoneyYearTotal.objects.all().delete()
    PlanItemTotal.objects.all().delete()
    months: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    years: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for fund, province_id, plan_year, content_id, occurred_on, source, kind, amount in MoneyEvent.objects.values_list(
        "fund", "province_id", "plan_year", "content_id", "occurred_on", "source", "kind", "amount_vnd"
    ).iterator(chunk_size=10_000):
        for table, when in ((months, _month(occurred_on)), (years, occurred_on.year)):
            row = table[(fund, province_id, plan_year, content_id or 0, when, source, kind)]
            row[0] += amount
            row[1] += 1
    MoneyTotal.objects.bulk_create(
        [
            MoneyTotal(
                fund=k[0], province_id=k[1], plan_year=k[2], content_key=k[3], month=k[4], source=k[5], kind=k[6],
                amount_vnd=v[0], events=v[1],
            )
            for k, v in months.items()
        ],
        batch_size=5_000,
    )  # fmt: skip
    MoneyYearTotal.objects.bulk_create(
        [
            MoneyYearTotal(
                fund=k[0], province_id=k[1], plan_year=k[2], content_key=k[3], year=k[4], source=k[5], kind=k[6],
                amount_vnd=v[0], events=v[1],
            )
            for k, v in years.items()
        ],
        batch_size=5_000,
    )  # fmt: skip
    main_content = dict(
        Project.contents.through.objects.order_by("project_id", "-activitycontent__code").values_list(
            "project_id", "activitycontent_id"
        )
    )
    items: dict[tuple, int] = defaultdict(int)
    for version_id, project_id, province_id, amount in PlanItem.objects.values_list(
        "version_id", "project_id", "project__province_id", "approved_vnd"
    ).iterator(chunk_size=10_000):
        items[(version_id, province_id, main_content.get(project_id) or 0)] += amount
    PlanItemTotal.objects.bulk_create(
        [PlanItemTotal(version_id=k[0], province_id=k[1], content_key=k[2], amount_vnd=v) for k, v in items.items()],
        batch_size=5_000,
    )
    return len(months)


def programme_for(*, fund: str, year: int, province: AdminUnit | None) -> Programme | None:
    query = Programme.objects.filter(start_year__lte=year, end_year__gte=year)
    if fund == Fund.KCQG:
        return query.filter(level="national").first()
    return query.filter(Q(province=province)).first()


def _after_settle(*, project: Project, user: Any, data: Any, step: Any, transition: Any) -> None:
    """The settle step's approved amounts are the settlement: one settlement money event per source (the settled
    amounts of its budget lines), dated and referenced by the settlement decision, with the running totals — so the
    step and the figures read one record. Settlements recorded as events before this rule count towards it."""
    decision = transition.decision
    on = decision.signed_on if decision is not None else timezone.localdate()
    reference = decision.number if decision is not None else ""
    settled: dict[str, int] = defaultdict(int)
    for source, amount in project.budget_lines.values_list("source", "settled_vnd"):
        settled[source] += amount or 0
    recorded = dict(
        project.money_events.filter(kind=MoneyKind.SETTLEMENT)
        .values_list("source")
        .annotate(total=Sum("amount_vnd"))
        .order_by()
    )
    content_id = _main_content_id(project)
    for source, amount in sorted(settled.items()):
        missing = amount - recorded.get(source, 0)
        if missing <= 0:
            continue
        event = MoneyEvent(
            project=project, kind=MoneyKind.SETTLEMENT, source=source, amount_vnd=missing, occurred_on=on,
            reference=reference, fund=project.fund, province_id=project.province_id, plan_year=project.plan_year,
            content_id=content_id, created_by=user,
        )  # fmt: skip
        attribute(event, user=user, reason=str(step.label))
        event.save()
        _add_to_totals(event)


workflow.AFTER_HOOKS["settle"] = _after_settle


# ---- programmes ------------------------------------------------------------------------------------------------------


@dataclass
class TargetInput:
    indicator: str
    value: Any
    province_id: int | None = None
    fund: str = ""


def can_manage_programme(user: Any, programme: Programme) -> bool:
    """The ministry's agency keeps the national programmes; a province's Department keeps its own programme."""
    actors = actors_of(user, None)
    if programme.level == "national":
        return Actor.AGENCY in actors
    return Actor.DEPARTMENT in actors and in_scope(user, programme)


def _check_targets(programme: Programme, targets: list[TargetInput]) -> list[TargetInput]:
    from khuyencong.core.parsing import parse_integer
    from khuyencong.policy.models import Indicator

    known = {i.code: i for i in Indicator.objects.filter(code__in=[str(t.indicator) for t in targets])}
    provinces = set(AdminUnit.objects.filter(level="province", valid_to__isnull=True).values_list("pk", flat=True))
    seen: dict[tuple[str, int | None, str], int] = {}
    checked = []
    for number, row in enumerate(targets, start=1):
        prefix = f"targets-{number - 1}-"
        indicator = known.get(str(row.indicator))
        if indicator is None:
            raise _invalid(_("Target %(n)s: choose an indicator.") % {"n": number}, prefix + "indicator")
        value = parse_integer(row.value, field=prefix + "value", label=_("Target %(n)s") % {"n": number}, required=True)
        province_id = row.province_id
        if province_id is not None:
            if programme.level != "national":
                province_id = None  # a provincial programme's targets are its province's
            elif province_id not in provinces:
                raise _invalid(_("Target %(n)s: choose a province of the list.") % {"n": number}, prefix + "province")
        fund = row.fund if row.fund in Fund.values else ""
        key = (indicator.code, province_id, fund)
        if key in seen:
            raise _invalid(
                _("Target %(n)s repeats target %(m)s.") % {"n": number, "m": seen[key]}, prefix + "indicator"
            )
        seen[key] = number
        checked.append(TargetInput(indicator.code, value, province_id, fund))
    return checked


@transaction.atomic
def programme_save(
    *,
    user: Any,
    programme_id: int | None = None,
    name: str,
    start_year: Any,
    end_year: Any,
    decision: DecisionInput | None,
    province_id: int | None = None,
    total_vnd: Any = None,
    targets: list[TargetInput] | None = None,
    note: str = "",
) -> Programme:
    """Create a provincial programme (for the user's province, under its People's Committee decision), or change a
    programme and replace its targets; each change in the history. A national programme is changed by the agency."""
    from khuyencong.core.parsing import parse_year

    if programme_id is not None:
        programme = Programme.objects.select_for_update().filter(pk=programme_id).order_by("pk").first()
        if programme is None or (programme.province_id and not in_scope(user, programme)):
            raise ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your area."))
    else:
        province = lookup(provinces_for_programme(user), province_id, scoped=True, field="province")
        programme = Programme(level="provincial", province=province)
    if not can_manage_programme(user, programme):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Your role does not allow changing this programme."))
    name = " ".join((name or "").split())
    if not name:
        raise _invalid(_("Give the programme a name."), "name")
    start = parse_year(start_year, field="start_year", required=True)
    end = parse_year(end_year, field="end_year", required=True)
    assert start is not None and end is not None  # required
    if end < start or end - start > 10:
        raise _invalid(_("The last year must be from the first year to ten years after it."), "end_year")
    if programme.level == "provincial":
        decision = _check_decision(decision)
        programme.decision_number = decision.number.strip()
        programme.decision_date = decision.date
        programme.signer = decision.signer.strip()
    programme.name, programme.start_year, programme.end_year = name, start, end
    programme.total_vnd = None if total_vnd in (None, "") else _amount(total_vnd, "total_vnd")
    programme.note = (note or "").strip()
    if not programme.code:
        base = f"kcdp-{programme.province.code}-{start}-{end}" if programme.province else f"kcqg-{start}-{end}"
        code, n = base, 1
        while Programme.objects.filter(code=code).exists():
            n += 1
            code = f"{base}-{n}"
        programme.code = code
    if programme.province_id:  # two saves at once for one province see each other's programme
        list(AdminUnit.objects.select_for_update().filter(pk=programme.province_id).values_list("pk"))
    overlapping = Programme.objects.filter(
        level=programme.level, province=programme.province, start_year__lte=end, end_year__gte=start
    ).exclude(pk=programme.pk)
    if programme.level == "provincial" and overlapping.exists():
        raise ApplicationError(
            ErrorCode.DUPLICATE,
            _("The province already has a programme for these years: %(name)s.") % {"name": overlapping.first()},
            field="start_year",
        )
    reason = _("Programme approved by %(number)s") % {"number": programme.decision_number or name}
    attribute(programme, user=user, reason=reason)
    programme.save()
    if targets is not None:
        # Targets are matched by indicator and province: an unchanged one is left as it is (its fund and note
        # kept when the input names none), a changed one saved, one no longer given deleted — each in the history.
        checked = _check_targets(programme, targets)
        existing = {(t.indicator_id, t.province_id): t for t in programme.targets.all()}
        wanted = {(row.indicator, row.province_id) for row in checked}
        for key, old in existing.items():
            if key not in wanted:
                attribute(old, user=user, reason=reason)
                old.delete()
        for row in checked:
            target = existing.get((row.indicator, row.province_id))
            if target is None:
                target = ProgrammeTarget(programme=programme, indicator_id=row.indicator, province_id=row.province_id)
            fund = row.fund or target.fund
            if target.pk is not None and target.value == row.value and target.fund == fund:
                continue
            target.value, target.fund = row.value, fund
            attribute(target, user=user, reason=reason)
            target.save()
    return programme


def provinces_for_programme(user: Any) -> Any:
    from khuyencong.geography.selectors import provinces_for

    return provinces_for(user=user)
