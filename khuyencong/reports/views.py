"""The dashboard: headline figures, charts with their tables, and a map of the provinces that drills down to the
communes of one province, all for the user's scope; the same figures as JSON at /api/v1/dashboard/."""

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.forms import ScopedFormMixin, ScopedModelChoiceField, YearField, style_widgets
from khuyencong.geography.models import AdminUnit
from khuyencong.geography.selectors import provinces_for
from khuyencong.plans.forms import ProgressForm

from . import inbox, official, selectors


def home(request: HttpRequest) -> HttpResponse:
    """Where work starts: “Việc cần làm” for staff; a collaborator's reports; a representative's establishments;
    the public overview map for a visitor who is not signed in."""
    from django.shortcuts import redirect

    from khuyencong.accounts.choices import Role
    from khuyencong.establishments.selectors import establishment_queryset
    from khuyencong.geography.views import home as overview

    user = request.user
    if not user.is_authenticated:
        return overview(request)
    if user.role == Role.COLLABORATOR:
        return redirect("collaborators:my_reports")
    if user.role == Role.ESTABLISHMENT_REP:
        own = list(establishment_queryset(user=user).values_list("pk", flat=True)[:2])
        if len(own) == 1:
            return redirect("establishments:detail_tab", own[0], "support")
        return redirect("establishments:list")
    board = inbox.inbox_for(user=user)
    return render(
        request,
        "reports/home.html",
        {
            "inbox": board,
            "deadlines": [(d, inbox.deadline_text(d)) for d in board.deadlines],
            "headline": board.headline.display() if board.headline is not None else None,
            "nav_active": "home",
        },
    )


def dashboard_form(params: Any, user: Any) -> ProgressForm:
    """The dashboard takes the progress page's parameters (plan years, fund, programme, region, province, date)."""
    return ProgressForm(params or {}, user=user)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    form = dashboard_form(request.GET, request.user)
    board = selectors.dashboard(user=request.user, query=form.query()) if form.is_valid() else None
    context: dict[str, Any] = {"form": form, "board": board, "nav_active": "reports"}
    if board is not None:
        province = form.cleaned_data.get("province")
        context.update(
            {
                "scope_label": form.scope_label(),
                "status_chart": {
                    "name": _("Projects by status"),
                    "labels": [label for label, _n in board.status_rows()],
                    "values": [n for _label, n in board.status_rows()],
                },
                "content_chart": {
                    "name": _("Projects by content"),
                    "labels": [f"{code}" for code, _name, _n in board.stats["by_content"]],
                    "values": [n for _code, _name, n in board.stats["by_content"]],
                },
                "map_rows": [
                    {"code": r["code"], "value": r["projects"], "full_name": r["full_name"], "id": r["id"]}
                    for r in board.provinces
                ],  # fmt: skip
                "province": province,
                "commune_rows": _commune_rows(province, board) if province else [],
            }
        )
    return render(request, "reports/dashboard.html", context)


def _commune_rows(province: AdminUnit, board: selectors.Dashboard) -> list[dict[str, Any]]:
    counts = board.stats["by_commune"]
    communes = AdminUnit.objects.filter(level="commune", valid_to__isnull=True, province=province).order_by(
        "name_folded"
    )
    return [{"code": c.code, "value": counts.get(c.code, 0), "full_name": c.full_name} for c in communes]


# ---- official report files ------------------------------------------------------------------------------------------


class ReportForm(ScopedFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Report"), choices=list(official.KINDS.items()))
    file_format = forms.ChoiceField(
        label=gettext_lazy("File"), choices=[("docx", "Word (.docx)"), ("pdf", "PDF"), ("xlsx", "Excel (.xlsx)")]
    )
    year = YearField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)
    period = forms.ChoiceField(
        label=gettext_lazy("Period"), choices=[(k, v[0]) for k, v in official.PERIODS.items()], required=False
    )
    province = ScopedModelChoiceField(label=gettext_lazy("Province"), selector=provinces_for, required=False)
    project = forms.CharField(label=gettext_lazy("Project code (progress report)"), max_length=40, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        from khuyencong.core.scoping import user_scope

        scope = user_scope(user)
        if not scope.is_country:
            self.fields["province"].initial = next(iter(scope.province_ids), None)
        style_widgets(self)

    def params(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "year": data["year"],
            "period": data.get("period") or "year",
            "province": data["province"].pk if data.get("province") else None,
            "project": data.get("project") or None,
        }


def _user(request: HttpRequest) -> Any:
    return request.user


def _project_id(user: Any, code: str | None) -> int | None:
    from khuyencong.projects.selectors import project_queryset

    if not code:
        return None
    return project_queryset(user=user).filter(code=code.strip()).values_list("pk", flat=True).first()


@login_required
def report_files(request: HttpRequest) -> HttpResponse:
    """Choose a report, its scope and period and a format; the file is made in the background."""
    from django.shortcuts import redirect

    from .models import ReportJob
    from .tasks import make_report

    data = request.POST if request.method == "POST" else None
    form = ReportForm(data, user=request.user, initial={"year": timezone.localdate().year})
    if data is not None and form.is_valid():
        from khuyencong.core.scoping import user_scope

        params = form.params()
        kind, file_format = form.cleaned_data["kind"], form.cleaned_data["file_format"]
        if kind == "regional" and not user_scope(request.user).is_country:
            form.add_error("kind", _("The national report is for the ministry's officers."))
        if kind == "project":
            params["project"] = _project_id(request.user, form.cleaned_data.get("project"))
            if params["project"] is None:
                form.add_error("project", _("No project of your area has this code."))
        if not form.errors:
            job = ReportJob.objects.create(user=_user(request), kind=kind, file_format=file_format, params=params)
            make_report.enqueue(str(job.pk))
            return redirect("reports:job", job.pk)
    jobs = ReportJob.objects.filter(user=_user(request))[:10]
    return render(request, "reports/report_files.html", {"form": form, "jobs": jobs, "nav_active": "reports"})


@login_required
def report_job(request: HttpRequest, job_id: str) -> HttpResponse:
    from django.http import Http404

    from .models import ReportJob

    job = ReportJob.objects.filter(pk=job_id, user=_user(request)).first()
    if job is None:
        raise Http404
    template = "reports/job_progress.html" if request.htmx else "reports/job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job, "kinds": official.KINDS, "nav_active": "reports"})


def _download_name(job: Any) -> str:
    """The file's name in words, as an official would save it: “Báo cáo – Tình hình thực hiện công tác khuyến công
    quý IV năm 2026 – Tỉnh Lâm Đồng.pdf” (characters a file system refuses taken out)."""
    import re

    title = (job.params or {}).get("file_title") or str(job.file.name).rsplit("/", 1)[-1].rsplit(".", 1)[0]
    title = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', " ", title)
    return f"{' '.join(title.split())[:180]}.{job.file_format}"


@login_required
def report_download(request: HttpRequest, job_id: str) -> FileResponse:
    from django.http import Http404

    from .models import ReportJob

    job = ReportJob.objects.filter(pk=job_id, user=_user(request), status=ReportJob.JobStatus.DONE).first()
    if job is None or not job.file:
        raise Http404
    response = FileResponse(job.file.open("rb"), as_attachment=True, filename=_download_name(job))
    response["Content-Type"] = official.RENDERERS[job.file_format][1]
    return response
