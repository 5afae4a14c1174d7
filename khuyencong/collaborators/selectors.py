"""Reads, always through the user's scope: collaborators, the reports each collaborator owes, submissions to review,
completeness and timeliness by province or commune and period, and the figures of approved reports."""

import bisect
import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.formatting import percent_of
from khuyencong.core.scoping import in_scope, scope_queryset, user_scope
from khuyencong.geography.models import AdminUnit

from . import engine, periods
from .choices import FieldType, SubmissionStatus
from .models import Collaborator, Coverage, ReportForm, ReportingTotal, Submission, SurveyCampaign, SurveyResponse


def collaborator_queryset(*, user: Any) -> QuerySet[Collaborator]:
    return scope_queryset(Collaborator.objects.select_related("province", "organisation", "user"), user)


def collaborator_get(*, user: Any, pk: Any) -> Collaborator:
    try:
        collaborator = Collaborator.objects.select_related("province", "organisation", "user").get(pk=int(pk))
    except (TypeError, ValueError, Collaborator.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Collaborator not found.")) from exc
    if not in_scope(user, collaborator):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    return collaborator


def province_collaborator_accounts(province_id: Any) -> QuerySet[Any]:
    """Active collaborator-role users that belong to a province: by their organisation or by a commune already in
    their scope (never another province's)."""
    from khuyencong.accounts.choices import Role
    from khuyencong.accounts.models import User

    return (
        User.objects.filter(role=Role.COLLABORATOR, is_active=True)
        .filter(Q(organisation__province=province_id) | Q(scope_communes__province=province_id))
        .distinct()
        .order_by("username")
    )


def linkable_accounts(collaborator: Collaborator) -> QuerySet[Any]:
    """The province's collaborator accounts not linked to a collaborator yet (the choices offered)."""
    return province_collaborator_accounts(collaborator.province_id).filter(collaborator__isnull=True)


def submission_queryset(*, user: Any) -> QuerySet[Submission]:
    return scope_queryset(
        Submission.objects.select_related("form", "form_version", "commune", "province", "author"), user
    )


def submission_get(*, user: Any, pk: Any) -> Submission:
    try:
        submission = submission_queryset(user=user).get(pk=int(pk))
    except (TypeError, ValueError, Submission.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your area.")) from exc
    return submission


def periodic_forms() -> QuerySet[ReportForm]:
    return ReportForm.objects.filter(is_active=True, is_periodic=True).order_by("code")


def form_get(code: Any) -> ReportForm:
    form = ReportForm.objects.filter(code=str(code or ""), is_active=True).first()
    if form is None:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Form not found."))
    return form


# ---- what is expected -----------------------------------------------------------------------------------------------


type CoverageRow = tuple[int, int | None, datetime.date, datetime.date | None]


def _covered(coverages: list[CoverageRow], ends: list[datetime.date]) -> dict[int, list[int]]:
    """For each commune, the indexes of the periods (by their last day, sorted) on which it is covered, a commune
    covered twice on a day counted once."""
    by_commune: dict[int, set[int]] = defaultdict(set)
    for commune_id, _province_id, start, stop in coverages:
        first = bisect.bisect_left(ends, start)
        last = bisect.bisect_right(ends, stop) if stop is not None else len(ends)
        by_commune[commune_id].update(range(first, last))
    return {commune: sorted(indexes) for commune, indexes in by_commune.items()}


def report_state(submission: Submission | None, due: datetime.date, today: datetime.date | None = None) -> dict:
    """What a report's badge says, the same on the collaborator's list, the report page and the province's pages:
    "Quá hạn" when it was never sent and its due date has passed, else the submission's status, else "Chưa làm";
    with the badge's colour."""
    today = today or timezone.localdate()
    received = submission is not None and submission.first_submitted_at is not None
    if not received and today > due:
        return {"label": _("Overdue"), "colour": "danger", "overdue": True}
    if submission is None:
        return {"label": _("Not started"), "colour": "secondary", "overdue": False}
    colours = {"approved": "success", "returned": "warning", "draft": "secondary"}
    return {
        "label": submission.get_status_display(),
        "colour": colours.get(submission.status, "primary"),
        "overdue": False,
    }


@dataclass
class Owed:
    """One report a collaborator owes (or owed): the commune and period, its due date and where it stands."""

    form: ReportForm
    commune: AdminUnit
    period_start: datetime.date
    due: datetime.date
    submission: Submission | None

    @property
    def period_label(self) -> str:
        return periods.period_label(self.form.period_type, self.period_start)

    @property
    def status(self) -> str:
        return self.submission.status if self.submission else "missing"

    @property
    def state(self) -> dict:
        return report_state(self.submission, self.due)

    @property
    def overdue(self) -> bool:
        return bool(self.state["overdue"])


def reports_owed(*, user: Any, form: ReportForm, last: int = 4) -> list[Owed]:
    """The collaborator's reports of the form for the `last` periods up to the current one, newest first."""
    collaborator = Collaborator.objects.filter(user=user).first()
    if collaborator is None:
        return []
    today = timezone.localdate()
    start = periods.period_start(form.period_type, today)
    starts = [start]
    for _i in range(last - 1):
        starts.append(periods.period_start(form.period_type, starts[-1] - datetime.timedelta(days=1)))
    ends = [min(periods.period_end(form.period_type, s), today) for s in starts]
    coverages = list(collaborator.coverages.select_related("commune"))
    submissions = {
        (s.commune_id, s.period_start): s
        for s in Submission.objects.filter(
            form=form, commune_id__in=[c.commune_id for c in coverages], period_start__in=starts
        )
    }
    owed = []
    for period_start, end in zip(starts, ends, strict=True):
        communes = {
            c.commune_id: c.commune
            for c in coverages
            if c.valid_from <= end and (c.valid_to is None or c.valid_to >= end)
        }
        for commune_id, commune in sorted(communes.items(), key=lambda item: item[1].name_folded):
            owed.append(
                Owed(
                    form=form,
                    commune=commune,
                    period_start=period_start,
                    due=periods.due_date(form.period_type, period_start, form.due_days),
                    submission=submissions.get((commune_id, period_start)),
                )
            )
    return owed


# ---- completeness and timeliness -------------------------------------------------------------------------------


@dataclass
class Cell:
    expected: int = 0
    received: int = 0
    on_time: int = 0
    approved: int = 0

    @property
    def completeness(self) -> Decimal | None:
        """Received ÷ expected, in percent."""
        return percent_of(self.received, self.expected)

    @property
    def timeliness(self) -> Decimal | None:
        """Received on time ÷ received, in percent."""
        return percent_of(self.on_time, self.received)

    def add(self, other: "Cell") -> None:
        self.expected += other.expected
        self.received += other.received
        self.on_time += other.on_time
        self.approved += other.approved


@dataclass
class CompletenessRow:
    unit: AdminUnit
    cells: list[Cell]
    total: Cell = field(default_factory=Cell)


@dataclass
class Completeness:
    form: ReportForm
    level: str  # "province" or "commune"
    period_starts: list[datetime.date]
    rows: list[CompletenessRow]
    totals: list[Cell]
    total: Cell

    @property
    def period_labels(self) -> list[str]:
        return [periods.period_label(self.form.period_type, s) for s in self.period_starts]


def _coverages(user: Any, province_id: int | None) -> tuple[str, QuerySet[Coverage]]:
    """The coverage rows a completeness figure reads, and its level: a collaborator's communes, one province's
    communes (a provincial user's, or `province_id` for a national user), or the whole country by province."""
    scope = user_scope(user)
    coverages = Coverage.objects.all()
    if scope.level == "communes" or scope.is_empty:
        return "commune", coverages.filter(commune_id__in=scope.commune_ids)
    if province_id is not None or scope.level == "province":
        wanted = province_id if province_id is not None else next(iter(scope.province_ids), None)
        if not scope.is_country and wanted not in scope.province_ids:
            raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
        return "commune", coverages.filter(commune__province_id=wanted)
    return "province", coverages


def completeness(
    *,
    user: Any,
    form: ReportForm,
    first: datetime.date,
    last: datetime.date,
    province_id: int | None = None,
) -> Completeness:
    """Reports expected (communes covered on the period's last day, or today for the current period), received
    (first submission), received on time and approved, for the periods from `first` to `last`: by province for a
    national user, by commune for one province (a provincial user's, or `province_id`), by commune for a
    collaborator's communes."""
    today = timezone.localdate()
    starts = periods.periods_between(form.period_type, first, min(last, today))
    ends = [min(periods.period_end(form.period_type, s), today) for s in starts]
    level, coverages = _coverages(user, province_id)
    coverage_rows: list[CoverageRow] = list(
        coverages.values_list("commune_id", "commune__province_id", "valid_from", "valid_to")
    )
    covered = _covered(coverage_rows, ends)
    province_of = {commune: province or 0 for commune, province, _f, _t in coverage_rows}
    cells: dict[int, list[Cell]] = defaultdict(lambda: [Cell() for _s in starts])
    for commune_id, indexes in covered.items():
        key = commune_id if level == "commune" else province_of[commune_id]
        for index in indexes:
            cells[key][index].expected += 1
    position = {s: i for i, s in enumerate(starts)}
    if level == "province":
        for row in ReportingTotal.objects.filter(form=form, period_start__in=starts).values_list(
            "province_id", "period_start", "received", "on_time", "approved"
        ):
            cell = cells[row[0]][position[row[1]]]
            cell.received, cell.on_time, cell.approved = (
                cell.received + row[2],
                cell.on_time + row[3],
                cell.approved + row[4],
            )
    else:
        for commune_id, period_start, on_time, status in Submission.objects.filter(
            form=form, period_start__in=starts, commune_id__in=list(covered) or [0], first_submitted_at__isnull=False
        ).values_list("commune_id", "period_start", "on_time", "status"):
            cell = cells[commune_id][position[period_start]]
            cell.received += 1
            cell.on_time += int(bool(on_time))
            cell.approved += int(status == SubmissionStatus.APPROVED)
    units = {u.pk: u for u in AdminUnit.objects.filter(pk__in=list(cells))}
    lines: list[CompletenessRow] = []
    for key, row_cells in cells.items():
        if key not in units:
            continue
        line = CompletenessRow(unit=units[key], cells=row_cells)
        for cell in row_cells:
            line.total.add(cell)
        lines.append(line)
    lines.sort(key=lambda r: r.unit.name_folded)
    totals = [Cell() for _s in starts]
    total = Cell()
    for line in lines:
        for index, cell in enumerate(line.cells):
            totals[index].add(cell)
        total.add(line.total)
    return Completeness(form=form, level=level, period_starts=starts, rows=lines, totals=totals, total=total)


def completeness_as_dict(board: Completeness) -> dict[str, Any]:
    def cell(c: Cell) -> dict[str, Any]:
        return {
            "expected": c.expected,
            "received": c.received,
            "on_time": c.on_time,
            "approved": c.approved,
            "completeness_pct": None if c.completeness is None else float(round(c.completeness, 2)),
            "timeliness_pct": None if c.timeliness is None else float(round(c.timeliness, 2)),
        }

    return {
        "form": board.form.code,
        "level": board.level,
        "periods": [
            {"start": s, "label": label} for s, label in zip(board.period_starts, board.period_labels, strict=True)
        ],
        "rows": [
            {
                "code": row.unit.code,
                "name": row.unit.full_name,
                "periods": [cell(c) for c in row.cells],
                "total": cell(row.total),
            }
            for row in board.rows
        ],
        "totals": [cell(c) for c in board.totals],
        "total": cell(board.total),
    }


def expected_reports(
    *, user: Any, form: ReportForm, first: datetime.date, last: datetime.date, province_id: int | None = None
) -> list[dict[str, Any]]:
    """Every report expected of the user's communes (or a province's) in the periods, with where it stands."""
    scope = user_scope(user)
    if scope.is_country and province_id is None:
        raise ApplicationError(ErrorCode.INVALID, _("Choose a province."), field="province")
    today = timezone.localdate()
    starts = periods.periods_between(form.period_type, first, min(last, today))
    ends = [min(periods.period_end(form.period_type, s), today) for s in starts]
    _level, coverages = _coverages(user, province_id)
    covered = _covered(
        list(coverages.values_list("commune_id", "commune__province_id", "valid_from", "valid_to")), ends
    )
    submissions = {
        (s.commune_id, s.period_start): s
        for s in Submission.objects.filter(form=form, commune_id__in=list(covered) or [0], period_start__in=starts)
    }
    units = {u.pk: u for u in AdminUnit.objects.filter(pk__in=list(covered))}
    rows = []
    for commune_id, indexes in sorted(covered.items(), key=lambda item: units[item[0]].name_folded):
        for index in indexes:
            start = starts[index]
            submission = submissions.get((commune_id, start))
            due = periods.due_date(form.period_type, start, form.due_days)
            received = submission is not None and submission.first_submitted_at is not None
            rows.append(
                {
                    "commune": commune_id,
                    "commune_code": units[commune_id].code,
                    "commune_name": units[commune_id].full_name,
                    "period": start,
                    "period_label": periods.period_label(form.period_type, start),
                    "due": due,
                    "status": submission.status if submission else "missing",
                    "overdue": not received and today > due,
                    "on_time": submission.on_time if submission else None,
                    "submission": submission.pk if submission else None,
                }
            )
    return rows


def overdue_in_province(*, user: Any) -> int:
    """How many reports expected of a provincial user's communes in the last year are overdue (0 for other
    scopes, whose pages do not show it)."""
    if user_scope(user).level != "province":
        return 0
    today = timezone.localdate()
    first = today - datetime.timedelta(days=366)
    return sum(
        1
        for form in periodic_forms()
        for row in expected_reports(user=user, form=form, first=first, last=today)
        if row["overdue"]
    )


# ---- figures of approved reports ------------------------------------------------------------------------------------


def approved_figures(
    *, user: Any, form: ReportForm, first: datetime.date, last: datetime.date, province_ids: frozenset[int] | None
) -> dict[str, Any]:
    """The sums of the whole-number and money fields (and of their repeating rows' columns) of the approved reports
    of the periods from `first` to `last`, and how many reports they come from: what the province's periodic report
    to the ministry takes from its collaborators."""
    submissions = submission_queryset(user=user).filter(
        form=form, status=SubmissionStatus.APPROVED, period_start__gte=first, period_start__lte=last
    )
    if province_ids is not None:
        submissions = submissions.filter(province_id__in=province_ids)
    sums: dict[str, int] = defaultdict(int)
    count = 0
    numeric = (FieldType.INTEGER, FieldType.MONEY)
    for values, schema in submissions.values_list("values", "form_version__fields"):
        count += 1
        for f in engine.fields_of(schema):
            value = values.get(f.name)
            if f.type in numeric and isinstance(value, int):
                sums[f.name] += value
            elif f.type == FieldType.ROWS and isinstance(value, list):
                for row in value:
                    for column in f.columns:
                        cell = row.get(column.name)
                        if column.type in numeric and isinstance(cell, int):
                            sums[f"{f.name}.{column.name}"] += cell
    return {"reports": count, "sums": dict(sums)}


def review_queue(*, user: Any, status: str | None = None) -> QuerySet[Submission]:
    """Reports of the user's area, those waiting for a decision first."""
    submissions = submission_queryset(user=user).exclude(status=SubmissionStatus.DRAFT)
    if status in SubmissionStatus.values:
        submissions = submissions.filter(status=status)
    return submissions.order_by("-period_start", "commune__name_folded")


# ---- surveys --------------------------------------------------------------------------------------------------------


def campaign_queryset(*, user: Any) -> QuerySet[SurveyCampaign]:
    """Survey campaigns of the user's area (a collaborator's: those including a commune they cover)."""
    campaigns = SurveyCampaign.objects.select_related("form", "province").order_by("-opens_on", "title")
    scope = user_scope(user)
    if scope.level == "communes":
        return campaigns.filter(communes__in=scope.commune_ids).distinct()
    return scope_queryset(campaigns, user)


def campaign_get(*, user: Any, pk: Any) -> SurveyCampaign:
    try:
        return campaign_queryset(user=user).get(pk=int(pk))
    except (TypeError, ValueError, SurveyCampaign.DoesNotExist) as exc:
        raise ApplicationError(ErrorCode.NOT_FOUND, _("Not found, or outside your area.")) from exc


def campaign_responses(*, user: Any, campaign: SurveyCampaign) -> QuerySet[SurveyResponse]:
    """The campaign's responses the user may see: the province's all, a collaborator's own."""
    responses = campaign.responses.select_related("commune", "establishment", "collaborator")
    if user_scope(user).level == "communes":
        return responses.filter(collaborator__user=user)
    return scope_queryset(responses, user)


def my_responses(*, user: Any) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(collaborator__user=user).select_related("campaign", "commune", "establishment")


# ---- what the registry already knows, offered in a new report --------------------------------------------------------

#: Fields of a report the registry can fill before the collaborator types: the field's name → the registry's figure.
REGISTRY_FIGURES = {"establishments_total": "establishments", "workers": "workers", "female_workers": "female_workers"}
#: The repeating rows of establishments by khuyến công industry group, and the choice rows without a known group go to.
REGISTRY_ROWS, OTHER_GROUP = "by_industry", "other"


def registry_prefill(fields: list[engine.Field], commune_id: int) -> dict[str, Any]:
    """The figures of a new report that the registry holds for the commune today: its active establishments, their
    workers (and women among them) and the same by industry group — as the collaborator would type them, to be
    checked and corrected. Empty when the registry knows no active establishment there."""
    from django.db.models import Count, Sum

    from khuyencong.establishments.choices import Status
    from khuyencong.establishments.models import Establishment

    active = Establishment.objects.filter(commune_id=commune_id, status=Status.ACTIVE)
    # Women are counted only where the total is known too, so that they never exceed the workers (the form's rule).
    totals = active.aggregate(
        establishments=Count("pk"),
        workers=Sum("employees_total"),
        female_workers=Sum("employees_female", filter=Q(employees_total__isnull=False)),
    )
    if not totals["establishments"]:
        return {}
    by_name = {f.name: f for f in fields}
    values: dict[str, Any] = {
        name: totals[figure]
        for name, figure in REGISTRY_FIGURES.items()
        if name in by_name and by_name[name].type == FieldType.INTEGER and totals[figure] is not None
    }
    rows_field = by_name.get(REGISTRY_ROWS)
    columns = {c.name: c for c in rows_field.columns} if rows_field is not None else {}
    if rows_field is not None and {"industry", "establishments", "workers"} <= set(columns):
        offered = [value for value, _label in columns["industry"].choices]
        groups: dict[str, list[int]] = {}
        for row in active.values("eligible_group__code").annotate(n=Count("pk"), w=Sum("employees_total")):
            code = row["eligible_group__code"] if row["eligible_group__code"] in offered else OTHER_GROUP
            if code not in offered:
                continue
            counted = groups.setdefault(code, [0, 0])
            counted[0] += row["n"]
            counted[1] += row["w"] or 0
        values[REGISTRY_ROWS] = [
            {"industry": code, "establishments": groups[code][0], "workers": groups[code][1]}
            for code in offered
            if code in groups
        ][: rows_field.max_rows]
    return values
