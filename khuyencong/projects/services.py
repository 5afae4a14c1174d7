"""Writes on projects: the content (while a draft), documents, progress reports, post-support figures, and the
step hooks of the lifecycle (approved and settled amounts, adjustments, results). Every function checks permission
and scope, validates, writes atomically and leaves history with its reason."""

import datetime
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.base import File
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from khuyencong.accounts.selectors import organisations_for
from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.files import check_upload
from khuyencong.core.formatting import format_money
from khuyencong.core.history import attribute, bulk_update_with_history
from khuyencong.core.money import check_amount
from khuyencong.core.parsing import parse_year
from khuyencong.core.related import lookup
from khuyencong.core.scoping import in_scope
from khuyencong.core.text import fold
from khuyencong.core.validation import check_text_lengths
from khuyencong.establishments.models import Establishment
from khuyencong.establishments.selectors import establishment_queryset
from khuyencong.geography.models import AdminUnit
from khuyencong.geography.selectors import communes_for, provinces_for
from khuyencong.policy.models import ActivityContent, CalendarDeadline, Fund, SupportItem
from khuyencong.policy.models import Indicator as PolicyIndicator

from . import workflow
from .choices import (
    EDITABLE_STATES,
    AdjustmentScale,
    AdjustmentStatus,
    BudgetSource,
    Kind,
    SelectionMethod,
    Status,
)
from .figures import figures_refresh
from .models import Adjustment, Beneficiary, BudgetLine, Document, ProgressReport, Project, Target, Transition
from .workflow import Actor, StepInput, actors_of

MAX_UPLOAD_BYTES = 25 * 1024 * 1024
PROJECT_FIELDS = [
    "name",
    "fund",
    "kind",
    "plan_year",
    "end_year",
    "province",
    "commune",
    "location",
    "implementing_org",
    "selection_method",
    "objectives",
    "scale",
    "expected_effects",
]
ADJUSTABLE_FIELDS = {"end_year", "commune", "location", "scale", "objectives", "expected_effects"}
ACTING = frozenset(Actor)


@dataclass
class BeneficiaryData:
    establishment_id: int
    support_item_id: int | None = None
    eligible_cost_vnd: int = 0
    support_vnd: int = 0
    counterpart_vnd: int = 0
    priority: bool = False


@dataclass
class BudgetLineData:
    item: str
    source: str
    planned_vnd: int = 0


@dataclass
class TargetData:
    indicator: str
    planned: int = 0


@dataclass
class ProjectContent:
    """Everything the guided form (or the API) sends: the project's fields and its three tables."""

    fields: dict[str, Any]
    contents: list[int] | None = None
    coordinating_orgs: list[Any] | None = None
    beneficiaries: list[BeneficiaryData] = field(default_factory=list)
    budget_lines: list[BudgetLineData] = field(default_factory=list)
    targets: list[TargetData] = field(default_factory=list)


def _invalid(message: str, field_name: str | None = None, **extra: Any) -> ApplicationError:
    return ApplicationError(ErrorCode.INVALID, message, field=field_name, extra=extra or None)


def _amount(value: Any, label: str, field_name: str) -> int:
    """An amount of đồng: a whole number from 0 to 10.000 tỷ."""
    return check_amount(value, field_name, label=label)


# ---- content ---------------------------------------------------------------------------------------------------------


def next_code(*, fund: str, year: int, province: AdminUnit) -> str:
    """The next project code of the fund, plan year and province: KCQG-2027-68-001."""
    prefix = f"{Fund(fund).name}-{year}-{province.code}-"
    # Two officers creating projects of one province at the same moment would take the same number: hold the
    # province's row until the creating transaction ends (PostgreSQL; SQLite writes one transaction at a time).
    AdminUnit.objects.select_for_update().filter(pk=province.pk).values_list("pk", flat=True).first()
    codes = Project.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    last = max((int(code.rsplit("-", 1)[1]) for code in codes if code.rsplit("-", 1)[1].isdigit()), default=0)
    return f"{prefix}{last + 1:03d}"


def _can_edit_content(user: Any, project: Project) -> bool:
    return bool(actors_of(user, project) & {Actor.IMPLEMENTER, Actor.DEPARTMENT}) and in_scope(user, project)


#: States in which progress is reported, and in which the figures after support are recorded.
REPORTING_STATES = frozenset({Status.IN_PROGRESS, Status.ADJUSTMENT_PENDING})
EVALUATION_STATES = frozenset({Status.ACCEPTED, Status.SETTLED, Status.EVALUATED})


# The predicates below are what the services check and what the pages ask to show or hide a control.


def can_edit_content(user: Any, project: Project) -> bool:
    """The implementing unit or the Department edits a draft's content (a project under way is adjusted instead)."""
    return project.status in EDITABLE_STATES and _can_edit_content(user, project)


def can_attach(user: Any, project: Project) -> bool:
    return bool(actors_of(user, project) & ACTING) and in_scope(user, project)


def can_report_progress(user: Any, project: Project) -> bool:
    return Actor.IMPLEMENTER in actors_of(user, project) and in_scope(user, project)


def can_confirm_progress(user: Any, project: Project) -> bool:
    return bool(actors_of(user, project) & {Actor.DEPARTMENT, Actor.AGENCY}) and in_scope(user, project)


def can_record_evaluation(user: Any, project: Project) -> bool:
    return bool(actors_of(user, project) & {Actor.DEPARTMENT, Actor.IMPLEMENTER}) and in_scope(user, project)


def _validate_fields(project: Project) -> None:
    project.name = " ".join((project.name or "").split())
    if not project.name:
        raise _invalid(_("Give the project a name."), "name")
    if project.fund not in Fund.values:
        raise _invalid(_("Choose the fund."), "fund")
    if project.kind not in Kind.values:
        raise _invalid(_("Choose the kind of project."), "kind")
    if project.selection_method not in SelectionMethod.values:
        raise _invalid(_("Choose the selection method."), "selection_method")
    this_year = timezone.localdate().year
    if not project.plan_year or not 2000 <= project.plan_year <= this_year + 5:
        raise _invalid(_("The plan year must be between 2000 and %(last)s.") % {"last": this_year + 5}, "plan_year")
    if not project.end_year:
        project.end_year = project.plan_year
    if project.end_year < project.plan_year or project.end_year > project.plan_year + 5:
        raise _invalid(_("The last year must be from the plan year to five years later."), "end_year")
    if project.kind == Kind.FLAGSHIP and project.end_year == project.plan_year:
        raise _invalid(_("A flagship project runs for more than one year."), "end_year")
    province = project.province
    if province is None or province.level != "province" or province.valid_to is not None:
        raise _invalid(_("Choose a province of today."), "province")
    if project.commune_id:
        commune = project.commune
        if commune is None or commune.level != "commune" or commune.province_id != province.pk:
            raise _invalid(
                _("%(commune)s is not in %(province)s.")
                % {"commune": getattr(commune, "full_name", "?"), "province": province.full_name},
                "commune",
            )
    organisation = project.implementing_org
    if organisation is None:
        raise _invalid(_("Choose the implementing organisation."), "implementing_org")
    if organisation.province_id not in (None, province.pk):
        raise _invalid(
            _("%(organisation)s is not an organisation of %(province)s or of the ministry.")
            % {"organisation": organisation.name, "province": province.full_name},
            "implementing_org",
        )
    if project.fund == Fund.KCDP and organisation.province_id is None:
        raise _invalid(_("A local-fund project is implemented by an organisation of the province."), "implementing_org")


def _validate_tables(project: Project, content: ProjectContent, user: Any) -> list[Establishment]:
    # Only establishments the user may reach: another area's record is "not in the registry" (its name is not told).
    establishments = {
        e.pk: e
        for e in establishment_queryset(user=user)
        .select_related("province")
        .filter(pk__in=[b.establishment_id for b in content.beneficiaries])
    }
    seen: set[int] = set()
    ordered = []
    for number, row in enumerate(content.beneficiaries, start=1):
        prefix = f"beneficiaries-{number - 1}-"
        establishment = establishments.get(row.establishment_id)
        if establishment is None:
            raise _invalid(
                _("Beneficiary %(n)s: choose an establishment of the registry.") % {"n": number},
                prefix + "establishment",
            )
        if establishment.province_id != project.province_id:
            raise _invalid(
                _("Beneficiary %(n)s: %(name)s is in %(province)s, outside the project's province %(project)s.")
                % {
                    "n": number,
                    "name": establishment.name,
                    "province": establishment.province.full_name,
                    "project": project.province.full_name,
                },
                prefix + "establishment",
            )
        if row.establishment_id in seen:
            raise _invalid(
                _("Beneficiary %(n)s: %(name)s is listed twice.") % {"n": number, "name": establishment.name},
                prefix + "establishment",
            )
        seen.add(row.establishment_id)
        _amount(
            row.eligible_cost_vnd,
            _("Beneficiary %(n)s: the eligible cost") % {"n": number},
            prefix + "eligible_cost_vnd",
        )
        _amount(row.support_vnd, _("Beneficiary %(n)s: the support") % {"n": number}, prefix + "support_vnd")
        _amount(
            row.counterpart_vnd,
            _("Beneficiary %(n)s: the counterpart capital") % {"n": number},
            prefix + "counterpart_vnd",
        )
        if row.eligible_cost_vnd and row.support_vnd > row.eligible_cost_vnd:
            raise _invalid(
                _("Beneficiary %(n)s: the support (%(support)s) is larger than the eligible cost (%(cost)s).")
                % {"n": number, "support": format_money(row.support_vnd), "cost": format_money(row.eligible_cost_vnd)},
                prefix + "support_vnd",
            )
        if row.support_item_id and not SupportItem.objects.filter(pk=row.support_item_id).exists():
            raise _invalid(
                _("Beneficiary %(n)s: choose a support item of the list.") % {"n": number}, prefix + "support_item"
            )
        ordered.append(establishment)
    totals: Counter[str] = Counter()
    for number, line in enumerate(content.budget_lines, start=1):
        prefix = f"budget-{number - 1}-"
        line.item = " ".join((line.item or "").split())
        if not line.item:
            raise _invalid(_("Budget line %(n)s: name the item.") % {"n": number}, prefix + "item")
        if line.source not in BudgetSource.values:
            raise _invalid(_("Budget line %(n)s: choose the source of funds.") % {"n": number}, prefix + "source")
        _amount(line.planned_vnd, _("Budget line %(n)s: the planned amount") % {"n": number}, prefix + "planned_vnd")
        totals[line.source] += line.planned_vnd
    support = sum(b.support_vnd for b in content.beneficiaries)
    counterpart = sum(b.counterpart_vnd for b in content.beneficiaries)
    if content.budget_lines:
        for total, source, label in (
            (support, BudgetSource.KHUYEN_CONG, _("support to the beneficiaries")),
            (counterpart, BudgetSource.COUNTERPART, _("beneficiaries' counterpart capital")),
        ):
            if total > totals[source]:
                raise _invalid(
                    _(
                        "The budget does not add up: the %(what)s (%(total)s) is more than the budget lines of "
                        "the source “%(source)s” (%(lines)s)."
                    )
                    % {
                        "what": label,
                        "total": format_money(total),
                        "source": BudgetSource(source).label,
                        "lines": format_money(totals[source]),
                    },
                    "budget",
                )
    indicators: dict[str, int] = {}
    codes = [str(t.indicator) for t in content.targets]
    known_indicators = {i.code: i for i in PolicyIndicator.objects.filter(code__in=codes)}
    content_codes = set(ActivityContent.objects.filter(pk__in=content.contents or []).values_list("code", flat=True))
    for number, target in enumerate(content.targets, start=1):
        indicator = known_indicators.get(str(target.indicator))
        field_name = f"targets-{number - 1}-indicator"
        if indicator is None:
            raise _invalid(_("Target %(n)s: choose an indicator.") % {"n": number}, field_name)
        if not _in_force_during(indicator, project):
            raise _invalid(
                _("Target %(n)s: “%(indicator)s” was not in force in the project's years (%(years)s).")
                % {"n": number, "indicator": indicator.name, "years": project.years_label},
                field_name,
            )
        if indicator.computed:
            raise _invalid(
                _("Target %(n)s: “%(indicator)s” is computed from the projects' data, not entered.")
                % {"n": number, "indicator": indicator.name},
                field_name,
            )
        if indicator.code in indicators:
            raise _invalid(
                _("Target %(n)s: “%(indicator)s” is listed twice.") % {"n": number, "indicator": indicator.name},
                field_name,
            )
        if content_codes and not indicator.belongs_to(content_codes):
            raise _invalid(
                _(
                    "Target %(n)s: “%(indicator)s” counts the results of content %(codes)s, not of this project's "
                    "contents."
                )
                % {"n": number, "indicator": indicator.name, "codes": ", ".join(indicator.content_codes)},
                field_name,
            )
        if isinstance(target.planned, bool) or not isinstance(target.planned, int) or not 0 <= target.planned <= 10**7:
            raise _invalid(
                _("Target %(n)s: give a whole number from 0 to 10.000.000.") % {"n": number},
                f"targets-{number - 1}-planned",
            )
        indicators[indicator.code] = target.planned
    _check_trainees(indicators, "targets")
    if content.contents:
        rows = {row.pk: row for row in ActivityContent.objects.filter(pk__in=content.contents)}
        if set(content.contents) - set(rows):
            raise _invalid(_("Choose khuyến công contents of the list."), "contents")
        codes_seen: set[str] = set()
        in_force: list[int] = []
        for pk in content.contents:
            row = rows[pk]
            if row.code in codes_seen:  # both wordings of one content: it would count twice
                raise _invalid(_("Content %(code)s is chosen twice.") % {"code": row.code}, "contents")
            codes_seen.add(row.code)
            if not _in_force_during(row, project):
                # Another wording of the same content, in force in the project's years, is the one meant.
                wordings = ActivityContent.objects.filter(code=row.code).order_by("-valid_from")
                row = next((w for w in wordings if _in_force_during(w, project)), None) or row
            if not _in_force_during(row, project):
                raise _invalid(
                    _("Content %(code)s as worded by %(basis)s was not in force in the project's years (%(years)s).")
                    % {"code": row.code, "basis": row.legal_document.number, "years": project.years_label},
                    "contents",
                )
            in_force.append(row.pk)
        content.contents = in_force
    if content.coordinating_orgs:
        organisations = organisations_for(user=user)
        content.coordinating_orgs = [
            lookup(organisations, pk, scoped=True, field="coordinating_orgs").pk for pk in content.coordinating_orgs
        ]
    return ordered


def _in_force_during(row: Any, project: Project) -> bool:
    """Whether a dated row (a content's wording, an indicator) was in force at some time in the project's years."""
    first = datetime.date(project.plan_year, 1, 1)
    last = datetime.date(project.end_year or project.plan_year, 12, 31)
    return (row.valid_from is None or row.valid_from <= last) and (row.valid_to is None or row.valid_to >= first)


def _check_trainees(values: Mapping[str, int | None], field_name: str) -> None:
    trainees, employed = values.get("trainees"), values.get("trainees_employed")
    if employed is not None and employed > (trainees or 0):
        raise _invalid(
            _("Trainees employed after training (%(employed)s) cannot be more than the trainees (%(trainees)s).")
            % {"employed": employed, "trainees": trainees or 0},
            field_name,
        )


def _resolve_fields(data: dict[str, Any], user: Any) -> dict[str, Any]:
    """The project's fields with its places and organisation looked up through the user's scope (objects or primary
    keys are accepted; another area's record is "not found", like one that does not exist)."""
    values = {name: data[name] for name in PROJECT_FIELDS if name in data}
    for name, selector in (
        ("province", provinces_for),
        ("commune", communes_for),
        ("implementing_org", organisations_for),
    ):
        value = values.get(name)
        if value is not None and value != "":
            values[name] = lookup(selector(user=user), value, scoped=True, field=name)
        elif name in values:
            values[name] = None
    return values


def _write_tables(project: Project, content: ProjectContent, user: Any, reason: str) -> None:
    """Replace the project's beneficiaries, budget lines and targets with those of `content` (each change in the
    history of its row)."""
    for model in (Beneficiary, BudgetLine, Target):
        for row in model.objects.filter(project=project):
            attribute(row, user=user, reason=reason)
            row.delete()
    for row in content.beneficiaries:
        beneficiary = Beneficiary(
            project=project,
            establishment_id=row.establishment_id,
            support_item_id=row.support_item_id,
            eligible_cost_vnd=row.eligible_cost_vnd,
            support_vnd=row.support_vnd,
            counterpart_vnd=row.counterpart_vnd,
            priority=row.priority,
        )
        attribute(beneficiary, user=user, reason=reason)
        beneficiary.save()
    for position, entry in enumerate(content.budget_lines):
        line = BudgetLine(
            project=project, item=entry.item, source=entry.source, planned_vnd=entry.planned_vnd, position=position
        )
        attribute(line, user=user, reason=reason)
        line.save()
    for data in content.targets:
        target = Target(project=project, indicator_id=str(data.indicator), planned=data.planned)
        attribute(target, user=user, reason=reason)
        target.save()
    if content.contents is not None:
        project.contents.set(content.contents)
    if content.coordinating_orgs is not None:
        project.coordinating_orgs.set(content.coordinating_orgs)


@transaction.atomic
def project_create(*, user: Any, content: ProjectContent, reason: str = "") -> Project:
    """Create a draft project with its tables; its code is the next of its fund, year and province."""
    project = Project(**_resolve_fields(content.fields, user), created_by=user)
    _validate_fields(project)
    if not _can_edit_content(user, project):
        raise ApplicationError(
            ErrorCode.PERMISSION_DENIED if in_scope(user, project) else ErrorCode.OUT_OF_SCOPE,
            _("You may not create projects for %(province)s.") % {"province": project.province.full_name},
            field="province",
        )
    _validate_tables(project, content, user)
    project.name_folded = fold(project.name)
    project.code = next_code(fund=project.fund, year=project.plan_year, province=project.province)
    reason = reason or _("Created")
    attribute(project, user=user, reason=reason)
    project.save()
    _write_tables(project, content, user, reason)
    figures_refresh(project)
    return project


@transaction.atomic
def project_update(
    *, user: Any, project_id: int, content: ProjectContent, expected_version: int, reason: str = ""
) -> Project:
    """Save the content of a draft (refused when someone saved first, or once it has been submitted)."""
    project = (
        Project.objects.select_for_update().select_related("province", "implementing_org").filter(pk=project_id).first()
    )
    if project is None or not in_scope(user, project):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    if not _can_edit_content(user, project):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Your role does not allow editing projects."))
    if project.status not in EDITABLE_STATES:
        raise ApplicationError(
            ErrorCode.CONFLICT,
            _("Only a draft can be edited; a project under way changes through an adjustment."),
        )
    if project.version != expected_version:
        raise ApplicationError(
            ErrorCode.STALE_VERSION,
            _("Someone else saved this project after you opened it. Your changes were not saved."),
        )
    province_before, fund_before, year_before = project.province_id, project.fund, project.plan_year
    for name, value in _resolve_fields(content.fields, user).items():
        setattr(project, name, value)
    _validate_fields(project)
    if not _can_edit_content(user, project):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("The new province is outside your area."), field="province")
    _validate_tables(project, content, user)
    if (project.province_id, project.fund, project.plan_year) != (province_before, fund_before, year_before):
        project.code = next_code(fund=project.fund, year=project.plan_year, province=project.province)
    project.name_folded = fold(project.name)
    project.version += 1
    reason = reason or _("Edited")
    attribute(project, user=user, reason=reason)
    project.save()
    _write_tables(project, content, user, reason)
    figures_refresh((province_before, year_before, fund_before), project)
    return project


# ---- step hooks ------------------------------------------------------------------------------------------------------


def _before_submit(*, project: Project, user: Any, data: StepInput, step: Any) -> None:
    from .selectors import project_findings

    lines = list(project.budget_lines.all())
    if not any(line.source == BudgetSource.KHUYEN_CONG and line.planned_vnd > 0 for line in lines):
        raise _invalid(_("Before submitting, fill in the budget estimate with its khuyến công funds."), "budget")
    if project.kind in (Kind.NORMAL, Kind.FLAGSHIP) and not project.beneficiaries.exists():
        raise _invalid(_("Before submitting, list the beneficiary establishments."), "beneficiaries")
    blocking = [
        f"{row.beneficiary.establishment.name}: {finding.sentence()}"
        for row in project_findings(project)
        for finding in row.findings
        if finding.blocking
    ]
    if blocking:
        raise _invalid(
            _("The project cannot be submitted: %(findings)s") % {"findings": " ".join(blocking)}, "beneficiaries"
        )


#: Findings that may let a project be submitted but must be settled before its appraisal passes.
BEFORE_APPRAISAL_FINDINGS = frozenset({"no_rule"})


def _before_pass_appraisal(*, project: Project, user: Any, data: StepInput, step: Any) -> None:
    """An appraisal does not pass while a beneficiary's support is refused by the rules, or waits on data the
    findings say must be entered before appraisal (a support level not yet in force for the item)."""
    from .selectors import project_findings

    open_findings = [
        f"{row.beneficiary.establishment.name}: {finding.sentence()}"
        for row in project_findings(project)
        for finding in row.findings
        if finding.blocking or finding.code in BEFORE_APPRAISAL_FINDINGS
    ]
    if open_findings:
        raise _invalid(
            _("The appraisal cannot pass yet: %(findings)s") % {"findings": " ".join(open_findings)}, "beneficiaries"
        )


def _line_amounts(project: Project, values: Any, attr: str, label: str, *, cap_attr: str | None, user: Any) -> None:
    """Set `attr` of each budget line from {line id: amount}; lines not given keep their value, or (for approved
    amounts) take the planned one. Each amount is checked, and settled amounts may not exceed approved ones."""
    values = values or {}
    if not isinstance(values, dict):
        raise _invalid(_("The amounts are not in the expected form."), attr)
    lines = list(project.budget_lines.all())
    known = {str(line.pk) for line in lines}
    unknown = set(map(str, values)) - known
    if unknown:
        raise _invalid(_("A budget line given is not one of this project's."), attr)
    for line in lines:
        value = values.get(line.pk, values.get(str(line.pk)))
        if value is None:
            value = getattr(line, attr)
            if value is None and attr == "approved_vnd":
                value = line.planned_vnd
        if value is None:
            raise _invalid(_("Give the %(what)s amount of “%(item)s”.") % {"what": label, "item": line.item}, attr)
        _amount(value, f"{line.item}: {label}", attr)
        cap = getattr(line, cap_attr) if cap_attr else None
        if cap is not None and value > cap:
            raise _invalid(
                _("%(item)s: the settled amount (%(value)s) is more than the approved amount (%(cap)s).")
                % {"item": line.item, "value": format_money(value), "cap": format_money(cap)},
                attr,
            )
        setattr(line, attr, value)
    if lines:
        bulk_update_with_history(lines, BudgetLine, [attr], user=user, reason=str(label))


def _before_assign(*, project: Project, user: Any, data: StepInput, step: Any) -> None:
    _line_amounts(project, data.extra.get("approved"), "approved_vnd", _("approved"), cap_attr=None, user=user)


def _before_settle(*, project: Project, user: Any, data: StepInput, step: Any) -> None:
    _line_amounts(project, data.extra.get("settled"), "settled_vnd", _("settled"), cap_attr="approved_vnd", user=user)


def _before_accept(*, project: Project, user: Any, data: StepInput, step: Any) -> None:
    """The results at acceptance: each target's achieved value, dated by the acceptance (its minutes' date), which
    may not be before the project started nor in the future."""
    achieved = data.extra.get("achieved") or {}
    if not isinstance(achieved, dict):
        raise _invalid(_("The results are not in the expected form."), "achieved")
    targets = {t.indicator_id: t for t in project.targets.select_related("indicator")}
    values: dict[str, int | None] = {k: t.achieved for k, t in targets.items()}
    for indicator, value in achieved.items():
        if indicator not in targets:
            raise _invalid(_("“%(indicator)s” is not a target of this project.") % {"indicator": indicator}, "achieved")
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**7:
            raise _invalid(
                _("%(indicator)s: give a whole number from 0 to 10.000.000.")
                % {"indicator": targets[indicator].indicator.name},
                "achieved",
            )
        values[indicator] = value
    _check_trainees(values, "achieved")
    on = data.decision.signed_on if data.decision and data.decision.signed_on else timezone.localdate()
    started = project.transitions.filter(name="start").order_by("at").values_list("at", flat=True).first()
    if started is not None and on < timezone.localdate(started):
        raise ApplicationError(
            ErrorCode.INVALID_DATE,
            _("The results are dated %(date)s, before the project started (%(start)s).")
            % {"date": on.strftime("%d/%m/%Y"), "start": timezone.localdate(started).strftime("%d/%m/%Y")},
            field="decision_signed_on",
        )
    changed = []
    for indicator, target in targets.items():
        if values[indicator] != target.achieved or (values[indicator] is not None and target.achieved_on != on):
            target.achieved = values[indicator]
            target.achieved_on = on if values[indicator] is not None else None
            changed.append(target)
    if changed:
        bulk_update_with_history(
            changed, Target, ["achieved", "achieved_on"], user=user, reason=_("Results at acceptance")
        )


def _before_request_adjustment(*, project: Project, user: Any, data: StepInput, step: Any) -> None:
    scale = data.extra.get("scale")
    if scale not in AdjustmentScale.values:
        raise _invalid(_("Say whether the adjustment is minor or major."), "scale")
    wanted = data.extra.get("changes") or {}
    if not isinstance(wanted, dict) or not wanted:
        raise _invalid(_("Say what the adjustment changes."), "changes")
    unknown = set(wanted) - ADJUSTABLE_FIELDS
    if unknown:
        raise _invalid(
            _("These cannot be adjusted this way: %(fields)s.") % {"fields": ", ".join(sorted(unknown))}, "changes"
        )
    trial = Project.objects.select_related("province", "implementing_org").get(pk=project.pk)
    changes: dict[str, dict[str, Any]] = {}
    for name, after in wanted.items():
        if name == "commune":
            before = trial.commune_id
            trial.commune = lookup(communes_for(user=user), after, scoped=True, field="commune") if after else None
            after = trial.commune_id
        elif name == "end_year":
            after = parse_year(after, field="end_year", label=_("The last year"), required=True)
            before = trial.end_year
            trial.end_year = after
        else:
            after = str(after or "").strip()
            before = getattr(trial, name)
            setattr(trial, name, after)
        if before != after:
            changes[name] = {"before": before, "after": after}
    if not changes:
        raise _invalid(_("The adjustment changes nothing."), "changes")
    _validate_fields(trial)
    check_text_lengths(trial)  # checked now: the change is applied only when approved
    if "end_year" in changes and changes["end_year"]["after"] > project.end_year and scale != AdjustmentScale.MAJOR:
        raise _invalid(_("Extending a project into another year is a major adjustment."), "scale")
    adjustment = Adjustment(
        project=project, scale=scale, changes=changes, reason=data.reason.strip(), requested_by=user
    )
    attribute(adjustment, user=user)
    adjustment.save()


def _decide_adjustment(approved: bool) -> Any:
    def hook(*, project: Project, user: Any, data: StepInput, step: Any, transition: Any) -> None:
        adjustment = workflow._pending_adjustment(project)
        if adjustment is None:  # pragma: no cover - the state guarantees one
            raise _invalid(_("There is no pending adjustment."))
        if approved:
            for name, change in adjustment.changes.items():
                if name == "commune":
                    project.commune_id = change["after"]
                else:
                    setattr(project, name, change["after"])
            attribute(project, user=user, reason=_("Adjustment approved: %(reason)s") % {"reason": adjustment.reason})
            project.save()
        adjustment.status = AdjustmentStatus.APPROVED if approved else AdjustmentStatus.DENIED
        adjustment.decided_by, adjustment.decided_at = user, timezone.now()
        adjustment.decision = transition.decision
        attribute(adjustment, user=user, reason=data.reason)
        adjustment.save()

    return hook


workflow.BEFORE_HOOKS.update(
    {
        "submit": _before_submit,
        "pass_appraisal": _before_pass_appraisal,
        "assign": _before_assign,
        "settle": _before_settle,
        "accept": _before_accept,
        "request_adjustment": _before_request_adjustment,
    }
)
workflow.AFTER_HOOKS.update(
    {"approve_adjustment": _decide_adjustment(True), "deny_adjustment": _decide_adjustment(False)}
)


# ---- documents -------------------------------------------------------------------------------------------------------


def _project_for(user: Any, project_id: int, *, lock: bool = False) -> Project:
    queryset = Project.objects.select_related("province", "implementing_org")
    if lock:
        queryset = queryset.select_for_update()
    project = queryset.filter(pk=project_id).first()
    if project is None or not in_scope(user, project):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    return project


@transaction.atomic
def document_upload(*, user: Any, project_id: int, kind: str, stream: IO[bytes], name: str, size: int) -> Document:
    """Attach a file, checked by content (PDF, DOCX, XLSX, JPEG, PNG) and size (≤ 25 MB)."""
    from .choices import DocumentKind

    project = _project_for(user, project_id)
    if not can_attach(user, project):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Your role does not allow attaching files."))
    if kind not in DocumentKind.values:
        raise _invalid(_("Choose the kind of document."), "kind")
    checked = check_upload(stream, name, size, max_bytes=MAX_UPLOAD_BYTES)
    document = Document(
        project=project,
        kind=kind,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        stage=project.status,
        uploaded_by=user,
    )
    document.file.save(checked.name, File(stream, name=checked.name), save=False)
    attribute(document, user=user, reason=_("Attached"))
    document.save()
    return document


@transaction.atomic
def project_step_take(*, user: Any, project_id: int, name: str, data: StepInput, upload: Any = None) -> Transition:
    """Take a step with the file of its decision attached in the same transaction (the step page): the file is
    filed as the kind of document the decision is (a contract, acceptance minutes …) and becomes the decision's
    document; a refused step leaves no attachment behind."""
    if upload is not None:
        project = _project_for(user, project_id)
        step = workflow.step_for(project, name)
        if step is None or not workflow.can(user, project, name):
            raise ApplicationError(
                ErrorCode.CONFLICT, _("This step is not possible now, or your role does not allow it.")
            )
        kind = workflow.DECISION_DOCUMENT.get(step.decision or "", "other")
        document = document_upload(
            user=user, project_id=project_id, kind=kind, stream=upload, name=upload.name, size=upload.size
        )
        if data.decision is not None:
            data.decision.document_id = document.pk
    return workflow.project_transition(user=user, project_id=project_id, name=name, data=data)


# ---- progress reports and post-support figures -----------------------------------------------------------------------


def progress_deadline(project: Project, month: datetime.date) -> datetime.date | None:
    """The day of the month after which that month's progress report is late (the calendar's monthly deadline)."""
    row = (
        CalendarDeadline.objects.valid_on(month)
        .filter(fund=project.fund, step=CalendarDeadline.Step.PROGRESS_REPORT, month__isnull=True)
        .order_by("-valid_from")
        .first()
    )
    if row is None:
        return None
    last_day = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)
    return month.replace(day=min(row.day, last_day.day))


@transaction.atomic
def progress_report_submit(
    *, user: Any, project_id: int, month: datetime.date, work_done: str, percent_done: int,
    spent: dict[str, int], issues: str = "",
) -> ProgressReport:  # fmt: skip
    """The implementing unit's report for a month of a project under way; late after the calendar's day."""
    project = _project_for(user, project_id, lock=True)
    if not can_report_progress(user, project):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Only the implementing unit reports progress."))
    if project.status not in REPORTING_STATES:
        raise ApplicationError(ErrorCode.CONFLICT, _("Progress is reported while the project is in progress."))
    month = month.replace(day=1)
    today = timezone.localdate()
    if month > today or month.year < project.plan_year:
        raise _invalid(_("Report on a month of the project that has begun."), "month")
    if project.progress_reports.filter(month=month).exists():
        raise ApplicationError(
            ErrorCode.DUPLICATE,
            _("The report of %(month)s is already in.") % {"month": f"{month:%m/%Y}"},
            field="month",
        )
    work_done = (work_done or "").strip()
    if not work_done:
        raise _invalid(_("Describe the work done."), "work_done")
    if isinstance(percent_done, bool) or not isinstance(percent_done, int) or not 0 <= percent_done <= 100:
        raise _invalid(_("The share done is a whole number from 0 to 100."), "percent_done")
    amounts = {}
    for source in BudgetSource.values:
        amounts[source] = _amount(spent.get(source, 0), str(BudgetSource(source).label), f"spent_{source}_vnd")
    deadline = progress_deadline(project, month)
    report = ProgressReport(
        project=project,
        month=month,
        work_done=work_done,
        percent_done=percent_done,
        spent_khuyen_cong_vnd=amounts[BudgetSource.KHUYEN_CONG],
        spent_counterpart_vnd=amounts[BudgetSource.COUNTERPART],
        spent_other_vnd=amounts[BudgetSource.OTHER],
        issues=(issues or "").strip(),
        submitted_by=user,
        late=bool(deadline and today > deadline),
    )
    attribute(report, user=user, reason=_("Submitted"))
    report.save()
    return report


@transaction.atomic
def progress_report_confirm(*, user: Any, report_id: int) -> ProgressReport:
    report = (
        ProgressReport.objects.select_for_update()
        .select_related("project__province", "project__implementing_org")
        .filter(pk=report_id)
        .first()
    )
    if report is None or not in_scope(user, report.project):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    if not can_confirm_progress(user, report.project):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Progress reports are confirmed by the Department."))
    if report.confirmed_at:
        raise ApplicationError(ErrorCode.CONFLICT, _("This report is already confirmed."))
    report.confirmed_by, report.confirmed_at = user, timezone.now()
    attribute(report, user=user, reason=_("Confirmed"))
    report.save()
    return report


EVALUATION_FIELDS = (
    "revenue_before_vnd",
    "employees_before",
    "revenue_year1_vnd",
    "employees_year1",
    "revenue_year2_vnd",
    "employees_year2",
)


@transaction.atomic
def beneficiary_evaluation_save(*, user: Any, beneficiary_id: int, values: dict[str, int | None]) -> Beneficiary:
    """Record a beneficiary's revenue and employees before support and one and two years after."""
    beneficiary = (
        Beneficiary.objects.select_for_update()
        .select_related("project__province", "project__implementing_org")
        .filter(pk=beneficiary_id)
        .first()
    )
    if beneficiary is None or not in_scope(user, beneficiary.project):
        raise ApplicationError(ErrorCode.OUT_OF_SCOPE, _("Not found, or outside your area."))
    project = beneficiary.project
    if not can_record_evaluation(user, project):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Your role does not allow recording the evaluation."))
    if project.status not in EVALUATION_STATES:
        raise ApplicationError(
            ErrorCode.CONFLICT, _("Figures after support are recorded once the project is accepted.")
        )
    for name in EVALUATION_FIELDS:
        if name not in values:
            continue
        value = values[name]
        if value is not None:
            if name.endswith("_vnd"):
                _amount(value, str(getattr(Beneficiary._meta.get_field(name), "verbose_name", name)), name)
            elif isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**6:
                raise _invalid(_("A number of employees is a whole number from 0 to 1.000.000."), name)
        setattr(beneficiary, name, value)
    attribute(beneficiary, user=user, reason=_("Post-support evaluation"))
    beneficiary.save()
    figures_refresh(project)
    return beneficiary
