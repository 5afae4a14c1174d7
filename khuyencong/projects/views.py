"""Pages of the projects: list with filters, detail with its timeline and tables, the guided create/edit form,
the lifecycle steps with their confirmation, documents, progress reports, post-support figures, and the project
document as PDF and .docx."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khuyencong.core.exceptions import ApplicationError
from khuyencong.core.history_views import history_rows
from khuyencong.core.parsing import parse_id, query_id
from khuyencong.core.views import ObjectListView
from khuyencong.geography.models import AdminUnit

from . import documents, selectors, services, workflow
from .choices import EDITABLE_STATES, BudgetSource, DecisionKind, DocumentKind
from .forms import (
    BeneficiaryFormSet,
    BudgetLineFormSet,
    DocumentForm,
    EvaluationForm,
    ProgressReportForm,
    ProjectForm,
    StepForm,
    TargetFormSet,
    project_content,
)
from .models import Project
from .workflow import DecisionData, StepInput

TABS = ("overview", "documents", "progress", "results", "history")


def _get(request: HttpRequest, pk: Any) -> Project:
    try:
        return selectors.project_get(user=request.user, pk=pk)
    except ApplicationError as error:
        raise Http404(str(error.message)) from error


class ProjectListView(ObjectListView):
    template_name = "projects/project_list.html"
    table_template = "projects/project_table.html"
    title = gettext_lazy("Khuyến công projects")

    def get_queryset(self, request: HttpRequest) -> Any:
        self.filterset = selectors.project_filterset(user=request.user, params=request.GET)
        if not self.filterset.is_valid():
            return Project.objects.none()
        return self.filterset.qs.select_related(*selectors.LIST_RELATED).order_by("-plan_year", "code")

    def get_extra_context(self, request: HttpRequest) -> dict:
        return {
            "filter_form": self.filterset.form,
            "can_add": request.user.has_perm("projects.add_project"),
            "nav_active": "projects",
        }


def _detail_context(request: HttpRequest, project: Project, tab: str) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "object": project,
        "tab": tab,
        "nav_active": "projects",
        "steps": workflow.available_steps(user, project),
        "next_step": workflow.next_step_text(project),
        "can_edit": services.can_edit_content(user, project),
        "can_attach": services.can_attach(user, project),
        "pending_deadline": workflow.pending_deadline(project, timezone.localdate()),
        "today": timezone.localdate(),
    }
    if tab == "overview":
        selectors.project_with_tables(project)
        lines = list(project.budget_lines.all())
        context.update(
            {
                "findings": selectors.project_findings(project),
                "lines": lines,
                "totals": selectors.budget_totals(lines),
                "sources": BudgetSource.choices,
                "timeline": selectors.timeline(project),
                "adjustments": project.adjustments.all(),
            }
        )
    elif tab == "documents":
        context["documents"] = selectors.documents_of(project)
        context["document_form"] = DocumentForm()
    elif tab == "progress":
        context["reports"] = project.progress_reports.select_related("submitted_by", "confirmed_by")
        context["report_form"] = ProgressReportForm()
        context["can_report"] = (
            services.can_report_progress(user, project) and project.status in services.REPORTING_STATES
        )
        context["can_confirm"] = services.can_confirm_progress(user, project)
    elif tab == "results":
        context["targets"] = project.targets.select_related("indicator")
        context["evaluations"] = [
            (row, EvaluationForm(prefix=f"b{row.beneficiary.pk}", initial=_evaluation_initial(row)))
            for row in selectors.evaluation_rows(project)
        ]
        context["can_evaluate"] = (
            services.can_record_evaluation(user, project) and project.status in services.EVALUATION_STATES
        )
    else:
        from django.core.paginator import Paginator

        context["history_page"] = Paginator(history_rows(project), 25).get_page(request.GET.get("page"))
    return context


def _evaluation_initial(row: Any) -> dict[str, Any]:
    initial = {}
    for name in services.EVALUATION_FIELDS:
        value = getattr(row.beneficiary, name)
        initial[name] = value if value is not None else row.registry.get(name)
    return initial


@login_required
def project_detail(request: HttpRequest, pk: int, tab: str = "overview") -> HttpResponse:
    if tab not in TABS:
        raise Http404
    project = _get(request, pk)
    return render(request, "projects/project_detail.html", _detail_context(request, project, tab))


def _formsets(request: HttpRequest, project: Project | None) -> tuple[Any, Any, Any]:
    data = request.POST if request.method == "POST" else None
    initial_b = initial_l = initial_t = None
    if project is not None and data is None:
        initial_b = [
            {
                "establishment": b.establishment_id,
                "support_item": b.support_item_id,
                "eligible_cost_vnd": b.eligible_cost_vnd,
                "support_vnd": b.support_vnd,
                "counterpart_vnd": b.counterpart_vnd,
                "priority": b.priority,
            }
            for b in project.beneficiaries.all()
        ]
        initial_l = [
            {"item": x.item, "source": x.source, "planned_vnd": x.planned_vnd} for x in project.budget_lines.all()
        ]
        initial_t = [{"indicator": t.indicator_id, "planned": t.planned} for t in project.targets.all()]
    return (
        BeneficiaryFormSet(data, prefix="beneficiaries", initial=initial_b, form_kwargs={"user": request.user}),
        BudgetLineFormSet(data, prefix="budget", initial=initial_l),
        TargetFormSet(data, prefix="targets", initial=initial_t),
    )


def _establishment_names(formset: Any, user: Any) -> dict[str, str]:
    """The names of the establishments already chosen in the rows (those the user may reach), to show them in their
    selects again."""
    from khuyencong.establishments.selectors import establishment_queryset

    ids = set()
    for form in formset.forms:
        try:
            value = parse_id(form["establishment"].value())
        except ApplicationError:
            continue  # the row's own error says so
        if value is not None:
            ids.add(value)
    return {
        str(e.pk): f"{e.name} · {e.commune.full_name}"
        for e in establishment_queryset(user=user).filter(pk__in=ids).select_related("commune")
    }


def _attach_error(error: ApplicationError, form: ProjectForm, formsets: dict[str, Any]) -> None:
    field = error.field or ""
    prefix, _sep, rest = field.partition("-")
    if prefix in formsets and rest:
        index, _sep, name = rest.partition("-")
        formset = formsets[prefix]
        rows = [f for f in formset.forms if f.has_changed() and not (f.cleaned_data or {}).get("DELETE")]
        if index.isdigit() and int(index) < len(rows) and name in rows[int(index)].fields:
            rows[int(index)].add_error(name, str(error.message))
            return
    if field in form.fields:
        form.add_error(field, str(error.message))
    else:
        form.add_error(None, str(error.message))


@login_required
def project_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    project = _get(request, pk) if pk else None
    if project is None and not request.user.has_perm("projects.add_project"):
        raise PermissionDenied
    if project is not None and not services.can_edit_content(request.user, project):
        if project.status in EDITABLE_STATES:
            raise PermissionDenied
        messages.error(request, _("Only a draft can be edited; a project under way changes through an adjustment."))
        return redirect("projects:detail", project.pk)
    province = None
    province_value = request.POST.get("province") if request.method == "POST" else request.GET.get("province")
    province_id = parse_id(province_value, field="province")
    if province_id is not None:
        province = AdminUnit.objects.filter(pk=province_id, level="province").first()
    elif project is not None:
        province = project.province
    initial = None
    if project is not None:
        initial = {
            name: getattr(project, name)
            for name in (
                "name", "fund", "kind", "plan_year", "end_year", "province", "commune", "location",
                "implementing_org", "selection_method", "objectives", "scale", "expected_effects", "version",
            )
        }  # fmt: skip
        initial["contents"] = list(project.contents.all())
        initial["coordinating_orgs"] = list(project.coordinating_orgs.all())
    form = ProjectForm(
        request.POST if request.method == "POST" else None, user=request.user, province=province, initial=initial
    )
    beneficiaries, budget, targets = _formsets(request, project)
    formsets = {"beneficiaries": beneficiaries, "budget": budget, "targets": targets}
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for f in formsets.values()):
        content = project_content(form, beneficiaries, budget, targets)
        try:
            if project is None:
                saved = services.project_create(
                    user=request.user, content=content, reason=form.cleaned_data.get("reason") or ""
                )
            else:
                saved = services.project_update(
                    user=request.user,
                    project_id=project.pk,
                    content=content,
                    expected_version=form.cleaned_data.get("version") or 0,
                    reason=form.cleaned_data.get("reason") or "",
                )
        except ApplicationError as error:
            _attach_error(error, form, formsets)
        else:
            messages.success(request, _("The project %(code)s was saved.") % {"code": saved.code})
            return redirect("projects:detail", saved.pk)
    return render(
        request,
        "projects/project_form.html",
        {
            "form": form,
            "object": project,
            "beneficiaries": beneficiaries,
            "budget": budget,
            "targets": targets,
            "establishment_names": _establishment_names(beneficiaries, request.user),
            "nav_active": "projects",
        },
    )


@login_required
def commune_options(request: HttpRequest) -> HttpResponse:
    """The communes of a province, as <option>s for the form's commune select (htmx)."""
    province = query_id(request.GET, "province")
    communes = (
        AdminUnit.objects.filter(level="commune", valid_to__isnull=True, province_id=province).order_by("name_folded")
        if province is not None
        else AdminUnit.objects.none()
    )
    return render(request, "projects/commune_options.html", {"communes": communes})


@login_required
def establishment_options(request: HttpRequest) -> HttpResponse:
    """Establishments of the project's province matching what was typed, as <option>s (htmx)."""
    found = selectors.establishment_options(
        user=request.user, province_id=request.GET.get("province"), query=request.GET.get("q", "")
    )
    return render(
        request, "projects/establishment_options.html", {"establishments": found, "query": request.GET.get("q", "")}
    )


def _step_form(request: HttpRequest, project: Project, step: workflow.Step) -> StepForm:
    initial: dict[str, Any] = {"version": project.version, "decision_signed_on": timezone.localdate()}
    config = workflow.local_workflow(project)
    if config is not None and step.decision == DecisionKind.PLAN_APPROVAL:
        # The province decides who approves its local plan: the chairman or the Department's director.
        initial["decision_issuer"] = config.get_approver_display()
    return StepForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        user=request.user,
        project=project,
        lines=project.budget_lines.all(),
        targets=project.targets.select_related("indicator"),
        initial=initial,
        step=step,
    )


def _step_documents(project: Project, step: workflow.Step) -> list[tuple[str, list[Any]]]:
    """The documents the step rests on, each with the files of that kind already attached."""
    kinds = workflow.STEP_DOCUMENTS.get(step.name, ())
    attached: dict[str, list[Any]] = {kind: [] for kind in kinds}
    for document in selectors.documents_of(project).filter(kind__in=kinds):
        attached[document.kind].append(document)
    return [(str(DocumentKind(kind).label), attached[kind]) for kind in kinds]


def _step_input(form: StepForm, step: workflow.Step) -> StepInput:
    data = form.cleaned_data
    decision = None
    if step.decision:
        decision = DecisionData(
            number=data.get("decision_number") or "",
            signed_on=data.get("decision_signed_on"),  # type: ignore[arg-type]
            signer=data.get("decision_signer") or "",
            issuer=data.get("decision_issuer") or "",
            document_id=data["decision_document"].pk if data.get("decision_document") else None,
        )
    extra: dict[str, Any] = {}
    if step.name == "assign":
        extra["approved"] = {line.pk: data.get(f"line_{line.pk}") for line in form.lines}
    elif step.name == "settle":
        extra["settled"] = {line.pk: data.get(f"line_{line.pk}") for line in form.lines}
    elif step.name == "accept":
        extra["achieved"] = {t.indicator_id: data.get(f"achieved_{t.indicator_id}") for t in form.targets}
    elif step.name == "request_adjustment":
        changes: dict[str, Any] = {}
        if data.get("new_end_year"):
            changes["end_year"] = data["new_end_year"]
        if data.get("new_location"):
            changes["location"] = data["new_location"]
        if data.get("new_scale"):
            changes["scale"] = data["new_scale"]
        extra = {"scale": data.get("scale"), "changes": changes}
    return StepInput(
        reason=data.get("reason") or "", decision=decision, expected_version=data.get("version"), extra=extra
    )


@login_required
def project_step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """The confirmation page of a step (GET) and the step itself (POST)."""
    project = _get(request, pk)
    step = workflow.step_for(project, name)
    if step is None or not workflow.can(request.user, project, name):
        messages.error(request, _("This step is not possible now, or your role does not allow it."))
        return redirect("projects:detail", project.pk)
    form = _step_form(request, project, step)
    if request.method == "POST" and form.is_valid():
        if step.name == "settle" or step.name == "assign":
            for line in form.lines:
                if form.cleaned_data.get(f"line_{line.pk}") is None and step.name == "settle":
                    form.add_error(f"line_{line.pk}", _("Give the settled amount."))
        if form.is_valid():
            try:
                services.project_step_take(
                    user=request.user,
                    project_id=project.pk,
                    name=name,
                    data=_step_input(form, step),
                    upload=form.cleaned_data.get("decision_file"),
                )
            except ApplicationError as error:
                field = {"decision_number": "decision_number", "decision_signed_on": "decision_signed_on"}.get(
                    error.field or ""
                )
                if error.field in form.fields:
                    field = error.field
                elif error.field == "file":
                    field = "decision_file"
                form.add_error(field, str(error.message))
            else:
                messages.success(request, _("Done: %(step)s.") % {"step": step.label})
                return redirect("projects:detail", project.pk)
    return render(
        request,
        "projects/project_step.html",
        {
            "object": project,
            "step": step,
            "form": form,
            "documents": _step_documents(project, step),
            "nav_active": "projects",
        },
    )


@login_required
@require_POST
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            services.document_upload(
                user=request.user,
                project_id=project.pk,
                kind=form.cleaned_data["kind"],
                stream=upload,
                name=upload.name,
                size=upload.size,
            )
        except ApplicationError as error:
            form.add_error("file" if error.field == "file" else None, str(error.message))
        else:
            messages.success(request, _("The file was attached."))
            return redirect("projects:detail_tab", project.pk, "documents")
    context = _detail_context(request, project, "documents")
    context["document_form"] = form
    return render(request, "projects/project_detail.html", context, status=400)


@login_required
def document_download(request: HttpRequest, pk: int) -> FileResponse:
    try:
        document = selectors.document_get(user=request.user, pk=pk)
    except ApplicationError as error:
        raise Http404(str(error.message)) from error
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.original_name)
    response["Content-Type"] = document.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def progress_report_create(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get(request, pk)
    form = ProgressReportForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.progress_report_submit(
                user=request.user,
                project_id=project.pk,
                month=data["month"],
                work_done=data["work_done"],
                percent_done=data["percent_done"],
                spent={
                    BudgetSource.KHUYEN_CONG: data.get("spent_khuyen_cong_vnd") or 0,
                    BudgetSource.COUNTERPART: data.get("spent_counterpart_vnd") or 0,
                    BudgetSource.OTHER: data.get("spent_other_vnd") or 0,
                },
                issues=data.get("issues") or "",
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The progress report was submitted."))
            return redirect("projects:detail_tab", project.pk, "progress")
    context = _detail_context(request, project, "progress")
    context["report_form"] = form
    return render(request, "projects/project_detail.html", context, status=400)


@login_required
@require_POST
def progress_report_confirm(request: HttpRequest, pk: int, report_pk: int) -> HttpResponse:
    project = _get(request, pk)
    report = project.progress_reports.filter(pk=report_pk).first()
    if report is None:
        raise Http404
    try:
        services.progress_report_confirm(user=request.user, report_id=report.pk)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The progress report was confirmed."))
    return redirect("projects:detail_tab", project.pk, "progress")


@login_required
@require_POST
def evaluation_save(request: HttpRequest, pk: int, beneficiary_pk: int) -> HttpResponse:
    project = _get(request, pk)
    beneficiary = project.beneficiaries.filter(pk=beneficiary_pk).first()
    if beneficiary is None:
        raise Http404
    form = EvaluationForm(request.POST, prefix=f"b{beneficiary.pk}")
    if form.is_valid():
        try:
            services.beneficiary_evaluation_save(
                user=request.user, beneficiary_id=beneficiary.pk, values=dict(form.cleaned_data)
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The figures after support were saved."))
            return redirect("projects:detail_tab", project.pk, "results")
    # Refused: the page again, this beneficiary's figures as typed with every error beside its field.
    context = _detail_context(request, project, "results")
    context["evaluations"] = [
        (row, form if row.beneficiary.pk == beneficiary.pk else other) for row, other in context["evaluations"]
    ]
    return render(request, "projects/project_detail.html", context, status=400)


@login_required
def project_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get(request, pk)
    data = documents.project_pdf(project, request=request)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{documents.file_stem(project)}.pdf"'
    return response


@login_required
def project_docx(request: HttpRequest, pk: int) -> HttpResponse:
    project = _get(request, pk)
    data = documents.project_docx(project)
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = f'attachment; filename="{documents.file_stem(project)}.docx"'
    return response
