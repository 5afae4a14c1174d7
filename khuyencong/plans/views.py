"""Pages of programmes, plans and money: the progress page (plan versus actual for any scope and date, with a chart
and an .xlsx export), plan list and detail with two versions side by side, plan approval and adjustment with
allocation tables totalled as they are typed, and a project's money events."""

import re
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.formatting import format_percent
from khuyencong.core.parsing import parse_integer
from khuyencong.core.xlsx import XLSX_CONTENT_TYPE, titled_table
from khuyencong.projects.choices import BudgetSource
from khuyencong.projects.models import Project
from khuyencong.projects.selectors import project_get, project_queryset

from . import selectors, services
from .choices import ENTERED_KINDS_BY_SOURCE, MoneyKind
from .forms import (
    AllocationFormSet,
    MoneyEventForm,
    PlanDecisionForm,
    PlanItemForm,
    ProgrammeForm,
    ProgrammeTargetFormSet,
    ProgressForm,
)
from .models import AnnualPlan, Programme


def _progress(request: HttpRequest) -> tuple[ProgressForm, Any]:
    form = ProgressForm(request.GET or {}, user=request.user)
    result = selectors.plan_vs_actual(user=request.user, query=form.query()) if form.is_valid() else None
    return form, result


def _breakdown_tables(breakdown: Any) -> list[tuple[str, list, str, str]]:
    if breakdown is None:
        return []
    return [
        (_("Plan by province"), breakdown.by_province, "breakdown-provinces", _("Not allocated to a province")),
        (_("Plan by content"), breakdown.by_content, "breakdown-contents", _("Not allocated to a content")),
    ]


@login_required
def progress(request: HttpRequest) -> HttpResponse:
    form, result = _progress(request)
    chart, breakdown = None, None
    if result is not None:
        breakdown = selectors.plan_breakdown(user=request.user, query=result.query)
        f = result.figures
        chart = {
            "labels": [_("Planned"), _("Assigned"), _("Disbursed"), _("Settled"), _("Counterpart settled")],
            "values": [f.planned_vnd, f.assigned_vnd, f.disbursed_vnd, f.settled_vnd, f.counterpart_settled_vnd],
            "previous": [
                result.previous.planned_vnd,
                result.previous.assigned_vnd,
                result.previous.disbursed_vnd,
                result.previous.settled_vnd,
                result.previous.counterpart_settled_vnd,
            ],
        }
    return render(
        request,
        "plans/progress.html",
        {
            "form": form,
            "result": result,
            "display": result.display() if result else {},
            "chart": chart,
            "scope_label": form.scope_label() if result else "",
            "restated": result is not None and result.restated,
            "breakdown": breakdown,
            "breakdown_tables": _breakdown_tables(breakdown),
            "query_string": request.GET.urlencode(),
            "nav_active": "plans",
        },
    )


@login_required
def progress_xlsx(request: HttpRequest) -> HttpResponse:
    form, result = _progress(request)
    if result is None:
        raise Http404
    display = result.display()
    f, p = result.figures, result.previous
    rows: list[list[Any]] = [
        [_("Planned"), f.planned_vnd, p.planned_vnd],
        [_("Assigned"), f.assigned_vnd, p.assigned_vnd],
        [_("Advanced"), f.advanced_vnd, p.advanced_vnd],
        [_("Paid"), f.paid_vnd, p.paid_vnd],
        [_("Refunded"), f.refunded_vnd, p.refunded_vnd],
        [_("Disbursed"), f.disbursed_vnd, p.disbursed_vnd],
        [_("Settled"), f.settled_vnd, p.settled_vnd],
        [_("Counterpart committed"), f.counterpart_committed_vnd, p.counterpart_committed_vnd],
        [_("Counterpart settled"), f.counterpart_settled_vnd, p.counterpart_settled_vnd],
        [_("Other sources committed"), f.other_committed_vnd, p.other_committed_vnd],
        [_("Other sources settled"), f.other_settled_vnd, p.other_settled_vnd],
        [_("Progress against the plan"), display["progress"], ""],
        [_("Leverage (counterpart per đồng of khuyến công funds)"), display["leverage"], ""],
        [_("Share of khuyến công funds"), display["share_state"], ""],
        [_("Share of counterpart capital"), display["share_counterpart"], ""],
    ]
    for caption, lines, _testid, none_label in _breakdown_tables(
        selectors.plan_breakdown(user=request.user, query=result.query)
    ):
        rows.append([caption, _("Planned"), _("Disbursed")])
        rows += [
            [f"  {row.label if row.key is not None else none_label}", row.planned_vnd, row.disbursed_vnd]
            for row in lines
        ]
    title = _("Plan versus actual — %(scope)s, plan years %(start)s–%(end)s, as of %(date)s") % {
        "scope": form.scope_label(),
        "start": result.query.year_from,
        "end": result.query.year_to,
        "date": result.query.as_of.strftime("%d/%m/%Y"),
    }
    return _workbook(
        f"tien-do-{result.query.as_of:%Y%m%d}.xlsx",
        title,
        [_("Figure"), _("This period (đ)"), _("Same period a year before (đ)")],
        rows,
    )


def _workbook(filename: str, title: str, headers: list[str], rows: list[list[Any]]) -> HttpResponse:
    response = HttpResponse(titled_table(title, headers, rows), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def plan_list(request: HttpRequest) -> HttpResponse:
    plans = selectors.plan_queryset(user=request.user).prefetch_related("versions")
    return render(
        request,
        "plans/plan_list.html",
        {
            "plans": plans,
            "programmes": selectors.programmes_for(user=request.user)
            .prefetch_related("targets__indicator")
            .select_related("legal_document", "province"),
            "can_add_plan": services.can_create_plan(request.user),
            "can_add_programme": services.can_manage_programme(
                request.user, Programme(level="provincial", province=_own_province(request.user))
            ),
            "nav_active": "plans",
        },
    )


def _own_province(user: Any) -> Any:
    from khuyencong.geography.selectors import provinces_for

    provinces = list(provinces_for(user=user)[:2])
    return provinces[0] if len(provinces) == 1 else None


def _plan(request: HttpRequest, pk: int) -> AnnualPlan:
    plan = selectors.plan_queryset(user=request.user).filter(pk=pk).first()
    if plan is None:
        raise Http404(_("Not found, or outside your area."))
    return plan


@login_required
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = _plan(request, pk)
    versions = list(plan.versions.order_by("number"))
    numbers = [v.number for v in versions]

    def pick(name: str, default: int) -> int:
        value = parse_integer(request.GET.get(name), field=name)
        return value if value in numbers else default

    right = pick("b", numbers[-1])
    left = pick("a", numbers[-2] if len(numbers) > 1 else numbers[-1])
    comparison = selectors.compare_versions(plan, left, right)
    item_form = PlanItemForm(request.POST if request.method == "POST" else None)
    can_manage = services.can_manage_plan(request.user, plan)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        if item_form.is_valid():
            code = item_form.cleaned_data["project"].strip()
            project = project_queryset(user=request.user).filter(code=code).first()
            try:
                if project is None:
                    raise ApplicationError(ErrorCode.NOT_FOUND, _("No project has this code."), field="project")
                services.plan_item_set(
                    user=request.user,
                    plan_id=plan.pk,
                    project_id=project.pk,
                    approved_vnd=item_form.cleaned_data.get("approved_vnd"),
                )
            except ApplicationError as error:
                item_form.add_error(error.field if error.field in item_form.fields else None, str(error.message))
            else:
                messages.success(request, _("The plan's projects were updated."))
                return redirect("plans:detail", plan.pk)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "versions": versions,
            "comparison": comparison,
            "can_manage": can_manage,
            "item_form": item_form,
            "nav_active": "plans",
        },
    )


def _allocations(formset: Any) -> list[services.AllocationInput]:
    rows = []
    for index, form in enumerate(formset.forms):
        data = form.cleaned_data
        if not form.has_changed() or not data or data.get("DELETE") or data.get("amount_vnd") is None:
            continue
        rows.append(
            services.AllocationInput(
                data["amount_vnd"],
                data["province"].pk if data.get("province") else None,
                data["content"].pk if data.get("content") else None,
                row=index + 1,  # the row as the page numbers it, blank rows included
            )
        )
    return rows


def _decision(form: PlanDecisionForm) -> services.DecisionInput:
    data = form.cleaned_data
    return services.DecisionInput(
        number=data.get("decision_number") or "",
        date=data.get("decision_date"),
        signer=data.get("signer") or "",
        effective_on=data.get("effective_on"),
    )


def _error(form: PlanDecisionForm, error: ApplicationError, formset: Any = None) -> None:
    """The service's refusal at the field it names: a cell of the allocation table ("allocations-2-amount_vnd"),
    else a field of the form, else the top of the page."""
    cell = re.fullmatch(r"allocations-(\d+)-(\w+)", error.field or "")
    if cell and formset is not None and int(cell.group(1)) < len(formset.forms):
        row = formset.forms[int(cell.group(1))]
        row.add_error(cell.group(2) if cell.group(2) in row.fields else None, str(error.message))
        return
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


@login_required
def plan_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """A new plan with its approval decision, or an adjustment of `pk` as a new version."""
    plan = _plan(request, pk) if pk else None
    if plan is not None and not services.can_manage_plan(request.user, plan):
        raise PermissionDenied
    if plan is None and not services.can_create_plan(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = PlanDecisionForm(data, user=request.user, adjusting=plan is not None)
    initial = None
    if plan is not None and data is None:
        current = services.latest_version(plan)
        form.initial["total_vnd"] = current.total_vnd
        initial = [
            {"province": a.province_id, "content": a.content_id, "amount_vnd": a.amount_vnd}
            for a in current.allocations.all()
        ]
    formset = AllocationFormSet(data, prefix="allocations", initial=initial, form_kwargs={"user": request.user})
    if data is not None and form.is_valid() and formset.is_valid():
        try:
            if plan is None:
                plan = services.plan_create(
                    user=request.user,
                    fund=form.cleaned_data.get("fund") or "",
                    year=form.cleaned_data.get("year") or 0,
                    province_id=form.cleaned_data["province"].pk if form.cleaned_data.get("province") else None,
                    title=form.cleaned_data.get("title") or "",
                    total_vnd=form.cleaned_data["total_vnd"],
                    decision=_decision(form),
                    programme_id=form.cleaned_data["programme"].pk if form.cleaned_data.get("programme") else None,
                    allocations=_allocations(formset),
                )
            else:
                services.plan_adjust(
                    user=request.user,
                    plan_id=plan.pk,
                    decision=_decision(form),
                    total_vnd=form.cleaned_data["total_vnd"],
                    allocations=_allocations(formset),
                    note=form.cleaned_data.get("note") or "",
                )
        except ApplicationError as error:
            _error(form, error, formset)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect("plans:detail", plan.pk)
    return render(
        request,
        "plans/plan_form.html",
        {"form": form, "formset": formset, "plan": plan, "nav_active": "plans"},
    )


def _project(request: HttpRequest, pk: int) -> Project:
    try:
        return project_get(user=request.user, pk=pk)
    except ApplicationError as error:
        raise Http404(str(error.message)) from error


@login_required
def project_money(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's money events, with the form to record one."""
    project = _project(request, pk)
    sources = services.money_sources_for(request.user, project)
    form = MoneyEventForm(request.POST if request.method == "POST" else None, sources=sources)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.money_event_record(
                user=request.user,
                project_id=project.pk,
                kind=data["kind"],
                source=data["source"],
                amount_vnd=data["amount_vnd"] or 0,
                occurred_on=data["occurred_on"],
                reference=data.get("reference") or "",
                note=data.get("note") or "",
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The money event was recorded."))
            return redirect("plans:project_money", project.pk)
    events = selectors.money_events_of(user=request.user, project_id=project.pk).select_related("created_by")
    return render(
        request,
        "plans/project_money.html",
        {
            "project": project,
            "events": events,
            "form": form,
            "summary": selectors.project_money_summary(project),
            "can_record": bool(sources),
            "recorders": [
                (BudgetSource(source).label, services.money_recorders_text(project, source))
                for source in BudgetSource.values
            ],
            "kinds_by_source": {
                s: [str(MoneyKind(k).label) for k in kinds] for s, kinds in ENTERED_KINDS_BY_SOURCE.items()
            },
            "nav_active": "plans",
        },
        status=400 if request.method == "POST" else 200,
    )


# ---- programmes ------------------------------------------------------------------------------------------------------


def _programme(request: HttpRequest, pk: int) -> Programme:
    programme = selectors.programmes_for(user=request.user).filter(pk=pk).first()
    if programme is None:
        raise Http404(_("Not found, or outside your area."))
    return programme


def _as_of(request: HttpRequest) -> Any:
    from django.utils import timezone

    from khuyencong.core.parsing import parse_date

    try:
        return parse_date(request.GET.get("as_of"), field="as_of") or timezone.localdate(), None
    except ApplicationError as error:
        return timezone.localdate(), str(error.message)


@login_required
def programme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A programme's targets against what its projects achieved to a date, for the country and by province."""
    programme = _programme(request, pk)
    as_of, error = _as_of(request)
    results = selectors.programme_results(user=request.user, programme_id=programme.pk, as_of=as_of)
    return render(
        request,
        "plans/programme_detail.html",
        {
            "programme": programme,
            "results": results,
            "as_of": as_of,
            "as_of_error": error,
            "can_manage": services.can_manage_programme(request.user, programme),
            "nav_active": "plans",
        },
    )


@login_required
def programme_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    programme = _programme(request, pk)
    as_of, _error = _as_of(request)
    results = selectors.programme_results(user=request.user, programme_id=programme.pk, as_of=as_of)
    rows = [
        [r.name, r.province or _("Whole programme"), r.target,
         r.achieved if not isinstance(r.achieved, Decimal) else format_percent(r.achieved, 2),
         format_percent(r.share_pct, 2)]
        for r in results.rows
    ]  # fmt: skip
    title = _("%(programme)s: targets and results as of %(date)s") % {
        "programme": programme.name,
        "date": as_of.strftime("%d/%m/%Y"),
    }
    if results.restricted:
        title += " — " + _("results of your area")
    return _workbook(
        f"chuong-trinh-{programme.code}-{as_of:%Y%m%d}.xlsx",
        title,
        [_("Indicator"), _("Scope"), _("Target"), _("Achieved"), _("Share achieved")],
        rows,
    )


@login_required
def programme_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Enter a provincial programme with its decision and targets (or change one, or a national one's targets)."""
    programme = _programme(request, pk) if pk else None
    if programme is not None and not services.can_manage_programme(request.user, programme):
        raise PermissionDenied
    if programme is None and not services.can_manage_programme(
        request.user, Programme(level="provincial", province=_own_province(request.user))
    ):
        raise PermissionDenied  # a province's Department enters its programme
    initial: dict[str, Any] = {}
    targets_initial: list[dict[str, Any]] = []
    if programme is not None:
        names = ("name", "start_year", "end_year", "decision_number", "decision_date", "signer", "total_vnd", "note")
        initial = {name: getattr(programme, name) for name in names}
        targets_initial = [
            {"indicator": t.indicator_id, "value": t.value} for t in programme.targets.filter(province=None)
        ]
    data = request.POST if request.method == "POST" else None
    form = ProgrammeForm(data, initial=initial, user=request.user, editing=programme is not None)
    formset = ProgrammeTargetFormSet(data, prefix="targets", initial=targets_initial)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        values = form.cleaned_data
        targets = [
            services.TargetInput(row["indicator"], row.get("value"))
            for row in formset.cleaned_data
            if row and not row.get("DELETE") and row.get("indicator")
        ]
        if programme is not None:  # a national programme's targets split by province are kept
            targets += [
                services.TargetInput(t.indicator_id, t.value, t.province_id, t.fund)
                for t in programme.targets.exclude(province=None)
            ]
        try:
            saved = services.programme_save(
                user=request.user,
                programme_id=programme.pk if programme else None,
                name=values["name"],
                start_year=values["start_year"],
                end_year=values["end_year"],
                province_id=values["province"].pk if values.get("province") else None,
                decision=services.DecisionInput(
                    values.get("decision_number") or "", values.get("decision_date"), values.get("signer") or ""
                ),
                total_vnd=values.get("total_vnd"),
                targets=targets,
                note=values.get("note") or "",
            )
        except ApplicationError as error:
            if error.field and error.field.startswith("targets-"):
                form.add_error(None, str(error.message))
            else:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The programme was saved."))
            return redirect("plans:programme", saved.pk)
    return render(
        request,
        "plans/programme_form.html",
        {"form": form, "formset": formset, "programme": programme, "nav_active": "plans"},
    )
