"""Reads of programmes, plans and money, and the plan-versus-actual figures for any scope, fund, programme, content,
plan years and date. Every figure is an unrounded integer of đồng; rates and ratios are computed from them and
rounded half-up only for display (docs/figures.md)."""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet, Sum

from khuyencong.core.formatting import (
    format_money,
    format_percent,
    format_ratio,
    percent_of,
    ratio_of,
    shares_largest_remainder,
)
from khuyencong.core.scoping import scope_queryset, user_scope
from khuyencong.geography.models import REORGANISATION_DATE
from khuyencong.policy.models import Fund
from khuyencong.projects.choices import BudgetSource

from .choices import MoneyKind
from .models import AnnualPlan, MoneyEvent, MoneyTotal, MoneyYearTotal, PlanItemTotal, PlanVersion, Programme

KC, CP, OT = BudgetSource.KHUYEN_CONG.value, BudgetSource.COUNTERPART.value, BudgetSource.OTHER.value


def plan_queryset(*, user: Any) -> QuerySet[AnnualPlan]:
    """National plans are visible to everyone logged in; local plans only within the scope."""
    scope = user_scope(user)
    plans = AnnualPlan.objects.select_related("province", "programme")
    if scope.is_country:
        return plans
    return plans.filter(Q(province__isnull=True) | Q(province_id__in=scope.province_ids))


def programmes_for(*, user: Any) -> QuerySet[Programme]:
    """The programmes a user may name on a plan or a figure: the national ones and the provincial ones of the
    user's area."""
    scope = user_scope(user)
    programmes = Programme.objects.order_by("-start_year", "code")
    if scope.is_country:
        return programmes
    return programmes.filter(Q(province__isnull=True) | Q(province_id__in=scope.province_ids))


def version_in_force(plan: AnnualPlan, on: datetime.date) -> PlanVersion | None:
    return plan.versions.filter(effective_on__lte=on).order_by("-number").first()


@dataclass(frozen=True)
class Query:
    """What the figures are asked for. `provinces` None means the whole of the user's scope."""

    as_of: datetime.date
    year_from: int
    year_to: int
    fund: str | None = None
    provinces: frozenset[int] | None = None
    programme_id: int | None = None
    content_id: int | None = None
    commune_id: int | None = None

    def shifted(self, years: int) -> "Query":
        try:
            as_of = self.as_of.replace(year=self.as_of.year + years)
        except ValueError:  # 29 February
            as_of = self.as_of.replace(year=self.as_of.year + years, day=28)
        return Query(as_of, self.year_from + years, self.year_to + years, self.fund, self.provinces,
                     self.programme_id, self.content_id, self.commune_id)  # fmt: skip


@dataclass
class Figures:
    planned_vnd: int = 0
    assigned_vnd: int = 0
    advanced_vnd: int = 0
    paid_vnd: int = 0
    refunded_vnd: int = 0
    disbursed_vnd: int = 0
    settled_vnd: int = 0
    counterpart_committed_vnd: int = 0
    counterpart_settled_vnd: int = 0
    other_committed_vnd: int = 0
    other_settled_vnd: int = 0


@dataclass
class PlanVsActual:
    query: Query
    figures: Figures
    previous: Figures
    progress_pct: Decimal | None
    settled_pct: Decimal | None
    leverage: Decimal | None
    leverage_committed: Decimal | None
    shares: list[Decimal] | None
    changes: dict[str, Decimal | None] = field(default_factory=dict)

    @property
    def restated(self) -> bool:
        """Figures are kept on today's provinces: plan years up to the 1/7/2025 reorganisation (the year-before
        comparison included) are restated on the current 34 provinces, and must say so."""
        return self.query.year_from - 1 <= REORGANISATION_DATE.year

    def display(self, lang: str = "vi") -> dict[str, str]:
        """The Vietnamese display strings: đồng amounts, rates with 2 decimals, shares with 1."""
        f = self.figures
        shares: list[Decimal | None] = list(self.shares) if self.shares else [None, None, None]
        return {
            **{name: format_money(value, lang=lang) for name, value in asdict(f).items()},
            "progress": format_percent(self.progress_pct, 2, lang=lang),
            "settled_progress": format_percent(self.settled_pct, 2, lang=lang),
            "leverage": format_ratio(self.leverage, 2, lang=lang),
            "leverage_committed": format_ratio(self.leverage_committed, 2, lang=lang),
            "share_state": format_percent(shares[0], 1, lang=lang),
            "share_counterpart": format_percent(shares[1], 1, lang=lang),
            "share_other": format_percent(shares[2], 1, lang=lang),
            **{f"change_{k}": format_percent(v, 2, lang=lang) for k, v in self.changes.items()},
        }

    def as_dict(self) -> dict[str, Any]:
        def number(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "figures": asdict(self.figures),
            "previous_year": asdict(self.previous),
            "progress_pct": number(self.progress_pct),
            "settled_pct": number(self.settled_pct),
            "leverage": number(self.leverage),
            "leverage_committed": number(self.leverage_committed),
            "shares_pct": None if self.shares is None else [str(s) for s in self.shares],
            "changes_pct": {k: number(v) for k, v in self.changes.items()},
            "display": self.display(),
        }


def _allowed_provinces(user: Any, wanted: frozenset[int] | None) -> frozenset[int] | None:
    """The provinces the figures may cover: the wanted ones inside the user's scope (None: no restriction)."""
    scope = user_scope(user)
    if scope.is_country:
        return wanted
    mine = frozenset(scope.province_ids) if scope.level == "province" else frozenset()
    return mine if wanted is None else wanted & mine


def _programme_filter(query: Query) -> tuple[int, int, str | None, int | None] | None:
    if query.programme_id is None:
        return None
    programme = Programme.objects.filter(pk=query.programme_id).first()
    if programme is None:
        return (0, -1, None, None)  # nothing matches
    fund = Fund.KCQG if programme.level == "national" else Fund.KCDP
    return programme.start_year, programme.end_year, fund, programme.province_id


def _years(query: Query, programme: tuple | None) -> tuple[int, int]:
    start, end = query.year_from, query.year_to
    if programme:
        start, end = max(start, programme[0]), min(end, programme[1])
    return start, end


def _planned(query: Query, provinces: frozenset[int] | None, programme: tuple | None) -> tuple[int, int]:
    """Planned and assigned funds of the plan versions in force on the date (a handful of queries whatever the
    number of years and plans)."""
    from .models import Allocation, PlanItem

    start, end = _years(query, programme)
    plans = AnnualPlan.objects.filter(year__gte=start, year__lte=end)
    fund = programme[2] if programme else query.fund
    if fund:
        plans = plans.filter(fund=fund)
    if programme and programme[3]:
        plans = plans.filter(province_id=programme[3])
    if provinces is not None:
        plans = plans.filter(Q(province__isnull=True) | Q(province_id__in=provinces))
    in_force: dict[int, tuple[int, int, bool]] = {}  # plan id → (version id, total, national)
    for plan_id, version_id, total, province_id in (
        PlanVersion.objects.filter(plan__in=plans, effective_on__lte=query.as_of)
        .order_by("plan_id", "number")
        .values_list("plan_id", "pk", "total_vnd", "plan__province_id")
    ):
        in_force[plan_id] = (version_id, total, province_id is None)  # the last one in force wins
    version_ids = [v for v, _t, _n in in_force.values()]
    if query.commune_id is not None:
        items = PlanItem.objects.filter(version_id__in=version_ids, project__commune_id=query.commune_id)
        if query.content_id:
            items = items.filter(project__contents=query.content_id)
        return 0, items.aggregate(total=Sum("approved_vnd"))["total"] or 0
    if provinces is None and query.content_id is None:
        planned = sum(total for _v, total, _n in in_force.values())
    else:
        national = [v for v, _t, is_national in in_force.values() if is_national]
        local = [(v, total) for v, total, is_national in in_force.values() if not is_national]
        # National plans count through their allocations to the provinces (or to the content); local plans in full,
        # or through their allocations to the content.
        rows = Allocation.objects.filter(version_id__in=national)
        rows = rows.filter(province_id__in=provinces) if provinces is not None else rows.filter(province__isnull=True)
        rows = rows.filter(content_id=query.content_id) if query.content_id else rows.filter(content__isnull=True)
        planned = rows.aggregate(total=Sum("amount_vnd"))["total"] or 0
        if query.content_id:
            planned += (
                Allocation.objects.filter(version_id__in=[v for v, _t in local], content_id=query.content_id).aggregate(
                    total=Sum("amount_vnd")
                )["total"]
                or 0
            )
        else:
            planned += sum(total for _v, total in local)
    items = PlanItemTotal.objects.filter(version_id__in=version_ids)
    if provinces is not None:
        items = items.filter(province_id__in=provinces)
    if query.content_id:
        items = items.filter(content_key=query.content_id)
    assigned = items.aggregate(total=Sum("amount_vnd"))["total"] or 0
    return planned, assigned


def _money(query: Query, provinces: frozenset[int] | None, programme: tuple | None) -> dict[tuple[str, str], int]:
    """Money by (source, kind) up to the date: whole months from the running totals, the date's own month from the
    events themselves."""
    start, end = _years(query, programme)
    fund = programme[2] if programme else query.fund
    conditions = Q(plan_year__gte=start, plan_year__lte=end)
    if fund:
        conditions &= Q(fund=fund)
    if programme and programme[3]:
        conditions &= Q(province_id=programme[3])
    if provinces is not None:
        conditions &= Q(province_id__in=provinces)
    month_start = query.as_of.replace(day=1)
    year_start = query.as_of.replace(month=1, day=1)
    # Earlier years from the yearly totals, this year's earlier months from the monthly ones, this month from the
    # events themselves.
    years = MoneyYearTotal.objects.filter(conditions, year__lt=query.as_of.year)
    totals = MoneyTotal.objects.filter(conditions, month__gte=year_start, month__lt=month_start)
    events = MoneyEvent.objects.filter(conditions, occurred_on__gte=month_start, occurred_on__lte=query.as_of)
    if query.commune_id is not None:
        # Totals are kept by province: a commune's figures come from its projects' events (a small set).
        years, totals = years.none(), totals.none()
        events = MoneyEvent.objects.filter(
            conditions, project__commune_id=query.commune_id, occurred_on__lte=query.as_of
        )
    if query.content_id:
        years = years.filter(content_key=query.content_id)
        totals = totals.filter(content_key=query.content_id)
        events = events.filter(content_id=query.content_id)
    found: dict[tuple[str, str], int] = defaultdict(int)
    for table in (years, totals):
        for source, kind, amount in table.values_list("source", "kind").annotate(total=Sum("amount_vnd")).order_by():
            found[(source, kind)] += amount
    for source, kind, amount in events.values_list("source", "kind").annotate(total=Sum("amount_vnd")).order_by():
        found[(source, kind)] += amount
    return found


def _figures(query: Query, provinces: frozenset[int] | None) -> Figures:
    programme = _programme_filter(query)
    planned, assigned = _planned(query, provinces, programme)
    money = _money(query, provinces, programme)
    advanced, paid, refunded = (money[(KC, k)] for k in (MoneyKind.ADVANCE, MoneyKind.PAYMENT, MoneyKind.REFUND))
    return Figures(
        planned_vnd=planned,
        assigned_vnd=assigned,
        advanced_vnd=advanced,
        paid_vnd=paid,
        refunded_vnd=refunded,
        disbursed_vnd=advanced + paid - refunded,
        settled_vnd=money[(KC, MoneyKind.SETTLEMENT)],
        counterpart_committed_vnd=money[(CP, MoneyKind.COMMITMENT)],
        counterpart_settled_vnd=money[(CP, MoneyKind.SETTLEMENT)],
        other_committed_vnd=money[(OT, MoneyKind.COMMITMENT)],
        other_settled_vnd=money[(OT, MoneyKind.SETTLEMENT)],
    )


def _change(current: int, previous: int) -> Decimal | None:
    return None if not previous else Decimal(current - previous) * 100 / Decimal(previous)


def plan_vs_actual(*, user: Any, query: Query) -> PlanVsActual:
    """Planned, assigned, disbursed and settled khuyến công funds, counterpart and other sources, progress against
    the plan in force on the date, leverage (counterpart ÷ state funds), shares by source (largest remainder, total
    100 %) and the change on the same date a year before — for the user's scope only."""
    provinces = _allowed_provinces(user, query.provinces)
    scope = user_scope(user)
    if scope.level == "communes":
        # A collaborator sees the figures of a commune of theirs, nothing wider.
        if query.commune_id in scope.commune_ids:
            provinces = None
        else:
            provinces, query = frozenset(), Query(query.as_of, query.year_from, query.year_to, commune_id=-1)
    elif scope.level not in ("country", "province"):
        provinces = frozenset()
    current = _figures(query, provinces)
    previous = _figures(query.shifted(-1), provinces)
    return PlanVsActual(
        query=query,
        figures=current,
        previous=previous,
        progress_pct=percent_of(current.disbursed_vnd, current.planned_vnd),
        settled_pct=percent_of(current.settled_vnd, current.planned_vnd),
        leverage=ratio_of(current.counterpart_settled_vnd, current.settled_vnd),
        leverage_committed=ratio_of(current.counterpart_committed_vnd, current.assigned_vnd),
        shares=shares_largest_remainder(
            [current.settled_vnd, current.counterpart_settled_vnd, current.other_settled_vnd], 1
        ),
        changes={
            "planned": _change(current.planned_vnd, previous.planned_vnd),
            "disbursed": _change(current.disbursed_vnd, previous.disbursed_vnd),
            "settled": _change(current.settled_vnd, previous.settled_vnd),
        },
    )


def money_events_of(*, user: Any, project_id: int) -> QuerySet[MoneyEvent]:
    return scope_queryset(MoneyEvent.objects.filter(project_id=project_id), user).order_by("occurred_on", "pk")


@dataclass
class CompareRow:
    label: str
    left: int | None
    right: int | None

    @property
    def difference(self) -> int:
        return (self.right or 0) - (self.left or 0)

    @property
    def changed(self) -> bool:
        return self.left != self.right


@dataclass
class Comparison:
    left: PlanVersion
    right: PlanVersion
    total: CompareRow
    allocations: list[CompareRow]
    items: list[CompareRow]


def compare_versions(plan: AnnualPlan, left_number: int, right_number: int) -> Comparison:
    """Two versions of a plan side by side: total, allocations and projects, with their differences."""
    versions = {v.number: v for v in plan.versions.filter(number__in=[left_number, right_number])}
    left, right = versions[left_number], versions[right_number]

    def allocation_map(version: PlanVersion) -> dict[tuple, tuple[str, int]]:
        rows = version.allocations.select_related("province", "content")
        return {
            (a.province_id, a.content_id): (
                " · ".join(
                    x
                    for x in (
                        a.province.full_name if a.province else "",
                        str(a.content.code) + ". " + a.content.name if a.content else "",
                    )
                    if x
                )
                or "—",
                a.amount_vnd,
            )
            for a in rows
        }

    def item_map(version: PlanVersion) -> dict[int, tuple[str, int]]:
        return {
            i.project_id: (f"{i.project.code} · {i.project.name}", i.approved_vnd)
            for i in version.items.select_related("project")
        }

    def rows(a: dict, b: dict) -> list[CompareRow]:
        keys = list(dict.fromkeys([*a, *b]))
        found = [
            CompareRow((a[k] if k in a else b[k])[0], a[k][1] if k in a else None, b[k][1] if k in b else None)
            for k in keys
        ]
        return sorted(found, key=lambda r: r.label)

    return Comparison(
        left=left,
        right=right,
        total=CompareRow(str(plan), left.total_vnd, right.total_vnd),
        allocations=rows(allocation_map(left), allocation_map(right)),
        items=rows(item_map(left), item_map(right)),
    )


def project_money_summary(project: Any) -> dict[str, int]:
    """A project's approved khuyến công funds and its money so far, by source and kind."""
    from .services import approved_khuyen_cong

    sums = dict(
        ((s, k), t)
        for s, k, t in project.money_events.values_list("source", "kind").annotate(t=Sum("amount_vnd")).order_by()
    )
    advanced, paid, refunded = (sums.get((KC, k), 0) for k in (MoneyKind.ADVANCE, MoneyKind.PAYMENT, MoneyKind.REFUND))
    return {
        "approved_vnd": approved_khuyen_cong(project),
        "advanced_vnd": advanced,
        "paid_vnd": paid,
        "refunded_vnd": refunded,
        "disbursed_vnd": advanced + paid - refunded,
        "settled_vnd": sums.get((KC, MoneyKind.SETTLEMENT), 0),
        "counterpart_committed_vnd": sums.get((CP, MoneyKind.COMMITMENT), 0),
        "counterpart_settled_vnd": sums.get((CP, MoneyKind.SETTLEMENT), 0),
    }


def disbursed_by_province(*, user: Any, query: Query) -> dict[int, int]:
    """Khuyến công funds disbursed (advances + payments − refunds) up to the date, by province id, within the user's
    scope: one grouped query per table whatever the number of provinces (for the map)."""
    provinces = _allowed_provinces(user, query.provinces)
    if user_scope(user).level not in ("country", "province"):
        return {}
    conditions = Q(plan_year__gte=query.year_from, plan_year__lte=query.year_to, source=KC)
    if query.fund:
        conditions &= Q(fund=query.fund)
    if provinces is not None:
        conditions &= Q(province_id__in=provinces)
    month_start, year_start = query.as_of.replace(day=1), query.as_of.replace(month=1, day=1)
    tables = (
        MoneyYearTotal.objects.filter(conditions, year__lt=query.as_of.year),
        MoneyTotal.objects.filter(conditions, month__gte=year_start, month__lt=month_start),
        MoneyEvent.objects.filter(conditions, occurred_on__gte=month_start, occurred_on__lte=query.as_of),
    )
    found: dict[int, int] = defaultdict(int)
    sign = {MoneyKind.ADVANCE: 1, MoneyKind.PAYMENT: 1, MoneyKind.REFUND: -1}
    for table in tables:
        rows = table.filter(kind__in=list(sign)).values_list("province_id", "kind").annotate(t=Sum("amount_vnd"))
        for province_id, kind, amount in rows.order_by():
            found[province_id] += sign[kind] * amount
    return dict(found)
