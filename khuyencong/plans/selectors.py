"""Reads of programmes, plans and money, and the plan-versus-actual figures for any scope, fund, programme, content,
plan years and date. Every figure is an unrounded integer of đồng; rates and ratios are computed from them and
rounded half-up only for display (docs/figures.md)."""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from khuyencong.core.formatting import (
    format_money,
    format_percent,
    format_ratio,
    percent_of,
    ratio_of,
    shares_largest_remainder,
)
from khuyencong.core.scoping import scope_queryset, user_scope
from khuyencong.core.text import fold
from khuyencong.geography.models import REORGANISATION_DATE
from khuyencong.policy.models import ActivityContent, Fund
from khuyencong.policy.selectors import content_family
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


def programme_span(query: Query) -> tuple[int, int, str | None, frozenset[int] | None]:
    """The plan years, fund and provinces the query covers once its programme is applied (a provincial programme
    is its province's local fund in its years): what the other figures of a page filtered by programme use."""
    programme = _programme_filter(query)
    if programme is None:
        return query.year_from, query.year_to, query.fund, query.provinces
    start, end = _years(query, programme)
    fund = programme[2] if query.fund in (None, "", programme[2]) else "none"  # another fund: nothing
    provinces = query.provinces
    if programme[3] is not None:
        provinces = frozenset({programme[3]}) & provinces if provinces is not None else frozenset({programme[3]})
    return start, end, fund, provinces


def _years(query: Query, programme: tuple | None) -> tuple[int, int]:
    start, end = query.year_from, query.year_to
    if programme:
        start, end = max(start, programme[0]), min(end, programme[1])
    return start, end


@dataclass
class _Version:
    pk: int
    total: int
    province_id: int | None  # the plan's province: None for a national plan


def _versions_in_force(query: Query, provinces: frozenset[int] | None, programme: tuple | None) -> list[_Version]:
    """The version of each plan of the years, fund and programme asked for that is in force on the date (the last one
    whose decision took effect by then)."""
    start, end = _years(query, programme)
    plans = AnnualPlan.objects.filter(year__gte=start, year__lte=end)
    fund = programme[2] if programme else query.fund
    if fund:
        plans = plans.filter(fund=fund)
    if programme and programme[3]:
        plans = plans.filter(province_id=programme[3])
    if provinces is not None:
        plans = plans.filter(Q(province__isnull=True) | Q(province_id__in=provinces))
    in_force: dict[int, _Version] = {}
    for plan_id, version_id, total, province_id in (
        PlanVersion.objects.filter(plan__in=plans, effective_on__lte=query.as_of)
        .order_by("plan_id", "number")
        .values_list("plan_id", "pk", "total_vnd", "plan__province_id")
    ):
        in_force[plan_id] = _Version(version_id, total, province_id)  # the last one in force wins
    return list(in_force.values())


class PlanTable:
    """The allocations of the plan versions in force, and what is **planned** for any set of provinces and any
    content from them (docs/figures.md, "Planned"):

    - a national plan: the whole country is the version's total; a province is its own row (province, no content)
      when the table has one, else the sum of its cells (province × content); a content is its own row (no province,
      content) when the table has one, else the sum of its cells; a province and a content is the cell;
    - a local plan: its province is the version's total; a content is the row of that content;
    - a set of provinces (a region, a scope) is the sum of its provinces, and the versions of one content are one.

    What a table does not give to any province (or any content) is the part **not allocated** to one, so that the
    provinces (contents) and that part always add up to the whole."""

    def __init__(self, versions: list[_Version], rows: list[tuple[int, int | None, int | None, int]]) -> None:
        self.versions = versions
        # Indexed once, so a figure for each of 34 provinces and 9 contents reads only its own cells.
        self.own_province: dict[int, dict[int, int]] = defaultdict(dict)  # version → province → its own row
        self.own_content: dict[int, dict[int, int]] = defaultdict(dict)  # version → content → its own row
        self.province_cells: dict[int, dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
        self.content_cells: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))  # version → content → Σ
        self.local_rows: dict[int, dict[int, int]] = defaultdict(lambda: defaultdict(int))  # version → content → Σ
        national = {v.pk for v in versions if v.province_id is None}
        for version_id, province_id, content_id, amount in rows:
            if version_id not in national:
                if content_id is not None:
                    self.local_rows[version_id][content_id] += amount
            elif province_id is not None and content_id is None:
                self.own_province[version_id][province_id] = amount
            elif province_id is None and content_id is not None:
                self.own_content[version_id][content_id] = amount
            elif province_id is not None and content_id is not None:
                self.province_cells[version_id][province_id][content_id] = amount
                self.content_cells[version_id][content_id] += amount

    @classmethod
    def load(
        cls,
        versions: list[_Version],
        *,
        provinces: frozenset[int] | None = None,
        contents: frozenset[int] | None = None,
    ) -> "PlanTable":
        """The rows needed for the provinces and contents asked (None: all of them), in one query."""
        from .models import Allocation

        rows = Allocation.objects.filter(version_id__in=[v.pk for v in versions])
        if provinces is not None:
            national = [v.pk for v in versions if v.province_id is None]
            rows = rows.filter(Q(province_id__in=provinces) | ~Q(version_id__in=national))
        if contents is not None:
            rows = rows.filter(Q(content_id__in=contents) | Q(content__isnull=True))
        return cls(versions, list(rows.values_list("version_id", "province_id", "content_id", "amount_vnd")))

    def _national_province(self, version: _Version, province_id: int, contents: frozenset[int] | None) -> int:
        cells = self.province_cells[version.pk].get(province_id, {})
        if contents is not None:
            return sum(a for c, a in cells.items() if c in contents)
        own = self.own_province[version.pk].get(province_id)
        return own if own is not None else sum(cells.values())

    def _national_country(self, version: _Version, contents: frozenset[int] | None) -> int:
        if contents is None:
            return version.total
        own = [a for c, a in self.own_content[version.pk].items() if c in contents]
        if own:
            return sum(own)
        return sum(a for c, a in self.content_cells[version.pk].items() if c in contents)

    def _local(self, version: _Version, contents: frozenset[int] | None) -> int:
        if contents is None:
            return version.total
        return sum(a for c, a in self.local_rows[version.pk].items() if c in contents)

    def planned(self, provinces: frozenset[int] | None, contents: frozenset[int] | None) -> int:
        """Planned for the provinces (None: the whole country) and the content's versions (None: every content)."""
        total = 0
        for version in self.versions:
            if version.province_id is not None:
                if provinces is None or version.province_id in provinces:
                    total += self._local(version, contents)
            elif provinces is None:
                total += self._national_country(version, contents)
            else:
                total += sum(self._national_province(version, p, contents) for p in provinces)
        return total

    def provinces_named(self) -> set[int]:
        named = {v.province_id for v in self.versions if v.province_id is not None}
        for table in (self.own_province, self.province_cells):
            for by_province in table.values():
                named |= set(by_province)
        return named

    def contents_named(self) -> set[int]:
        named: set[int] = set()
        for table in (self.own_content, self.content_cells, self.local_rows):
            for by_content in table.values():
                named |= set(by_content)
        return named


def _planned(
    query: Query, provinces: frozenset[int] | None, programme: tuple | None, contents: frozenset[int] | None
) -> tuple[int, int]:
    """Planned and assigned funds of the plan versions in force on the date (a handful of queries whatever the
    number of years and plans)."""
    from .models import PlanItem

    versions = _versions_in_force(query, provinces, programme)
    version_ids = [v.pk for v in versions]
    if query.commune_id is not None:
        # Plans are allocated down to provinces, not communes: a commune's plan is what the plans in force give its
        # projects (so planned and assigned are the same).
        from khuyencong.projects.figures import main_content_of

        items = PlanItem.objects.filter(version_id__in=version_ids, project__commune_id=query.commune_id)
        if contents is not None:  # a project counts under its main content
            items = items.annotate(main_content=main_content_of("project")).filter(main_content__in=contents)
        amount = items.aggregate(total=Sum("approved_vnd"))["total"] or 0
        return amount, amount
    if provinces is None and contents is None:
        planned = sum(v.total for v in versions)
    else:
        planned = PlanTable.load(versions, provinces=provinces, contents=contents).planned(provinces, contents)
    totals = PlanItemTotal.objects.filter(version_id__in=version_ids)
    if provinces is not None:
        totals = totals.filter(province_id__in=provinces)
    if contents is not None:
        totals = totals.filter(content_key__in=contents)
    assigned = totals.aggregate(total=Sum("amount_vnd"))["total"] or 0
    return planned, assigned


def _money(
    query: Query, provinces: frozenset[int] | None, programme: tuple | None, contents: frozenset[int] | None
) -> dict[tuple[str, str], int]:
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
    if contents is not None:
        years = years.filter(content_key__in=contents)
        totals = totals.filter(content_key__in=contents)
        events = events.filter(content_id__in=contents)
    found: dict[tuple[str, str], int] = defaultdict(int)
    for table in (years, totals):
        for source, kind, amount in table.values_list("source", "kind").annotate(total=Sum("amount_vnd")).order_by():
            found[(source, kind)] += amount
    for source, kind, amount in events.values_list("source", "kind").annotate(total=Sum("amount_vnd")).order_by():
        found[(source, kind)] += amount
    return found


def _figures(query: Query, provinces: frozenset[int] | None) -> Figures:
    programme = _programme_filter(query)
    contents = content_family(query.content_id)
    planned, assigned = _planned(query, provinces, programme, contents)
    money = _money(query, provinces, programme, contents)
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


def _disbursed_by(query: Query, provinces: frozenset[int] | None, key: str) -> dict[Any, int]:
    """Khuyến công funds disbursed (advances + payments − refunds) up to the date, grouped by `key` ("province_id"
    or "content_key"): one grouped query per table whatever the number of groups."""
    programme = _programme_filter(query)
    start, end = _years(query, programme)
    conditions = Q(plan_year__gte=start, plan_year__lte=end, source=KC)
    fund = programme[2] if programme else query.fund
    if fund:
        conditions &= Q(fund=fund)
    if programme and programme[3]:
        conditions &= Q(province_id=programme[3])
    if provinces is not None:
        conditions &= Q(province_id__in=provinces)
    contents = content_family(query.content_id)
    month_start, year_start = query.as_of.replace(day=1), query.as_of.replace(month=1, day=1)
    events = MoneyEvent.objects.filter(conditions, occurred_on__gte=month_start, occurred_on__lte=query.as_of)
    tables = [
        MoneyYearTotal.objects.filter(conditions, year__lt=query.as_of.year),
        MoneyTotal.objects.filter(conditions, month__gte=year_start, month__lt=month_start),
    ]
    if contents is not None:
        tables = [table.filter(content_key__in=contents) for table in tables]
        events = events.filter(content_id__in=contents)
    found: dict[Any, int] = defaultdict(int)
    sign = {MoneyKind.ADVANCE: 1, MoneyKind.PAYMENT: 1, MoneyKind.REFUND: -1}
    fields = {"province_id": (("province_id",), ("province_id",)), "content_key": (("content_key",), ("content_id",)),
              "province_content": (("province_id", "content_key"), ("province_id", "content_id"))}[key]  # fmt: skip
    for table, names in ((tables[0], fields[0]), (tables[1], fields[0]), (events, fields[1])):
        rows = table.filter(kind__in=list(sign)).values_list(*names, "kind").annotate(t=Sum("amount_vnd"))
        for *group, kind, amount in rows.order_by():
            values = tuple(g or 0 for g in group)
            found[values if len(values) > 1 else values[0]] += sign[kind] * amount
    return dict(found)


def disbursed_by_province(*, user: Any, query: Query) -> dict[int, int]:
    """Khuyến công funds disbursed up to the date, by province id, within the user's scope (for the map)."""
    if user_scope(user).level not in ("country", "province"):
        return {}
    return _disbursed_by(query, _allowed_provinces(user, query.provinces), "province_id")


@dataclass
class BreakdownRow:
    """One line of the plan broken down by province or by content: `key` is the province's id or the content's code,
    None for the part not allocated to any."""

    key: int | str | None
    label: str
    planned_vnd: int
    disbursed_vnd: int

    @property
    def progress_pct(self) -> Decimal | None:
        return percent_of(self.disbursed_vnd, self.planned_vnd)


@dataclass
class Breakdown:
    planned_vnd: int
    disbursed_vnd: int
    by_province: list[BreakdownRow]
    by_content: list[BreakdownRow]


def plan_breakdown(*, user: Any, query: Query) -> Breakdown | None:
    """The plan in force and the funds disbursed, by province and by content, for the user's scope: each province and
    content as `PlanTable` defines it, and the part allocated to none, so that every list adds up to the whole
    (a commune's figures have no breakdown: None)."""
    from khuyencong.geography.models import AdminUnit

    scope = user_scope(user)
    if scope.level not in ("country", "province") or query.commune_id is not None:
        return None
    provinces = _allowed_provinces(user, query.provinces)
    programme = _programme_filter(query)
    contents = content_family(query.content_id)
    versions = _versions_in_force(query, provinces, programme)
    table = PlanTable.load(versions, provinces=provinces)
    whole = table.planned(provinces, contents)
    grouped = _disbursed_by(query, provinces, "province_content")
    by_province_money: dict[int, int] = defaultdict(int)
    by_content_money: dict[int, int] = defaultdict(int)
    for pair, amount in grouped.items():
        province_key, content_key = pair
        by_province_money[province_key] += amount
        by_content_money[content_key] += amount
    disbursed = sum(grouped.values())  # every event has its province: the whole is the sum of the groups
    named = provinces if provinces is not None else table.provinces_named() | set(by_province_money)
    names = dict(AdminUnit.objects.filter(pk__in=named).values_list("pk", "name"))
    by_province = [
        BreakdownRow(pk, names.get(pk, str(pk)), table.planned(frozenset({pk}), contents), by_province_money.get(pk, 0))
        for pk in named
    ]
    by_province.sort(key=lambda row: fold(row.label))
    rest = BreakdownRow(None, "", whole - sum(r.planned_vnd for r in by_province),
                        disbursed - sum(r.disbursed_vnd for r in by_province))  # fmt: skip
    if rest.planned_vnd or rest.disbursed_vnd:
        by_province.append(rest)
    # By content: each content's versions together, named as the version in force on the date.
    versions_of = ActivityContent.objects.order_by("code", "valid_from")
    codes: dict[str, set[int]] = defaultdict(set)
    label: dict[str, str] = {}
    for pk, code, name, valid_from, valid_to in versions_of.values_list("pk", "code", "name", "valid_from", "valid_to"):
        codes[code].add(pk)
        if code not in label or ((valid_from is None or valid_from <= query.as_of) and
                                 (valid_to is None or valid_to >= query.as_of)):  # fmt: skip
            label[code] = f"{code}. {name}"
    used = {code for code, ids in codes.items() if ids & (table.contents_named() | set(by_content_money))}
    if contents is not None:
        used = {code for code in used if codes[code] & contents}
    by_content = []
    for code in sorted(used, key=lambda c: [int(x) if x.isdigit() else x for x in c.replace("-", ".").split(".")]):
        family = frozenset(codes[code]) if contents is None else frozenset(codes[code] & contents)
        by_content.append(
            BreakdownRow(
                code, label[code], table.planned(provinces, family), sum(by_content_money.get(pk, 0) for pk in family)
            )  # fmt: skip
        )
    rest = BreakdownRow(None, "", whole - sum(r.planned_vnd for r in by_content),
                        disbursed - sum(r.disbursed_vnd for r in by_content))  # fmt: skip
    if rest.planned_vnd or rest.disbursed_vnd:
        by_content.append(rest)
    return Breakdown(whole, disbursed, by_province, by_content)


# ---- programme targets against results -------------------------------------------------------------------------------


@dataclass
class TargetResult:
    """One target of a programme (for the country, or a province's part) and what the projects achieved."""

    indicator: str
    name: str
    unit: str
    province_id: int | None
    province: str
    fund: str
    target: int
    achieved: int | Decimal | None

    @property
    def share_pct(self) -> Decimal | None:
        """Achieved ÷ target × 100, unrounded (None without a target or an achievement)."""
        if self.achieved is None or not self.target:
            return None
        return Decimal(self.achieved) * 100 / Decimal(self.target)


@dataclass
class ProgrammeResults:
    programme: Programme
    as_of: datetime.date
    rows: list[TargetResult]
    restricted: bool  # the achieved figures are those of the user's area only


def programme_results(*, user: Any, programme_id: Any, as_of: datetime.date) -> ProgrammeResults:
    """Each target of the programme — for the country, and for each province where it is split — with what the
    projects of the programme's fund and years achieved up to `as_of` (entered indicators: the achieved values dated
    by then; establishments supported: distinct beneficiaries of projects approved into a plan or further; revenue
    change: of the evaluated beneficiaries; funds: khuyến công funds disbursed) and the share achieved. A user of a
    province sees the national targets with the achievements of their own area (`restricted`)."""
    from khuyencong.core.exceptions import ApplicationError, ErrorCode
    from khuyencong.core.related import lookup
    from khuyencong.policy.models import Indicator
    from khuyencong.projects.choices import SUPPORTING_STATES
    from khuyencong.projects.choices import Status as ProjectStatus
    from khuyencong.projects.models import Beneficiary, Target, Transition

    try:
        programme = lookup(programmes_for(user=user), programme_id, scoped=True)
    except ApplicationError as error:  # a path's id: not found, like another area's programme
        raise ApplicationError(ErrorCode.NOT_FOUND, error.message) from error
    scope_provinces = _allowed_provinces(user, None)
    scope = user_scope(user)
    if scope.level not in ("country", "province"):  # a commune's few projects are no programme's result
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED,
            _("A programme's results are read for a province or the whole country."),
        )
    fund = Fund.KCQG if programme.level == "national" else Fund.KCDP
    projects = Q(project__plan_year__gte=programme.start_year, project__plan_year__lte=programme.end_year,
                 project__fund=fund)  # fmt: skip
    if programme.province_id:
        projects &= Q(project__province_id=programme.province_id)
    if scope_provinces is not None:
        projects &= Q(project__province_id__in=scope_provinces)
    # Beneficiaries of projects approved into a plan by `as_of` (and still supported: not stopped or refused).
    approved_by_then = Transition.objects.filter(
        project=OuterRef("project"), to_status=ProjectStatus.IN_PLAN, at__date__lte=as_of
    )
    supported_by_then = Q(project__status__in=SUPPORTING_STATES) & Q(Exists(approved_by_then))
    indicators = {i.code: i for i in Indicator.objects.all()}
    targets = list(programme.targets.select_related("province").order_by("indicator__sort_order", "province__name"))
    if scope_provinces is not None:  # another province's share of a split target is that province's
        targets = [t for t in targets if t.province_id is None or t.province_id in scope_provinces]
    entered: dict[tuple[str, int], int] = defaultdict(int)
    for code, province_id, amount in (
        Target.objects.filter(projects, achieved_on__lte=as_of)
        .values_list("indicator", "project__province_id")
        .annotate(Sum("achieved"))
        .order_by()
    ):
        entered[(code, province_id)] += amount or 0

    def achieved_of(code: str, provinces: frozenset[int] | None) -> int | Decimal | None:
        def keep(province_id: int) -> bool:
            return provinces is None or province_id in provinces

        if code == "establishments_supported":
            rows = Beneficiary.objects.filter(projects, supported_by_then)
            if provinces is not None:
                rows = rows.filter(project__province_id__in=provinces)
            return rows.values("establishment_id").distinct().count()
        if code == "revenue_change":
            rows = Beneficiary.objects.filter(
                projects, supported_by_then, revenue_before_vnd__isnull=False, revenue_year1_vnd__isnull=False,
            )  # fmt: skip
            if provinces is not None:
                rows = rows.filter(project__province_id__in=provinces)
            sums = rows.aggregate(before=Sum("revenue_before_vnd"), after=Sum("revenue_year1_vnd"))
            before = sums["before"] or 0
            return None if not before else Decimal(sums["after"] - before) * 100 / Decimal(before)
        if code == "funds_vnd":
            query = Query(as_of, programme.start_year, programme.end_year, fund=fund)
            wanted = provinces if provinces is not None else scope_provinces
            if programme.province_id:
                wanted = frozenset({programme.province_id}) & (
                    wanted if wanted is not None else {programme.province_id}
                )
            return sum(_disbursed_by(query, wanted, "province_id").values())
        return sum(amount for (c, p), amount in entered.items() if c == code and keep(p))

    rows = []
    for target in targets:
        indicator = indicators.get(target.indicator_id)
        provinces = frozenset({target.province_id}) if target.province_id else None
        if provinces is not None and scope_provinces is not None:
            provinces = provinces & scope_provinces
        rows.append(
            TargetResult(
                indicator=target.indicator_id,
                name=indicator.name if indicator else target.indicator_id,
                unit=indicator.unit if indicator else "",
                province_id=target.province_id,
                province=target.province.name if target.province else "",
                fund=target.fund,
                target=target.value,
                achieved=achieved_of(target.indicator_id, provinces),
            )
        )
    return ProgrammeResults(
        programme, as_of, rows, restricted=scope_provinces is not None and not programme.province_id
    )
