"""Pages of the registry: list with filters and exports, detail with tabs, create and edit with conflict
detection, duplicates and merge, saved filters, import with a dry run."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    QueryDict,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khuyencong.core.exceptions import ApplicationError
from khuyencong.core.history_views import history_rows
from khuyencong.core.views import ObjectListView

from . import exports, imports, selectors, services
from .forms import CraftVillageForm, EstablishmentForm, EstablishmentYearForm, MergeForm, SavedFilterForm
from .models import DuplicateFlag, Establishment, ExportJob, ImportBatch, SavedFilter

EXPORT_CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _user(request: HttpRequest) -> Any:
    return request.user


def _filter_query(request: HttpRequest) -> QueryDict:
    params = request.GET.copy()
    params.pop("page", None)
    return params


class EstablishmentListView(ObjectListView):
    template_name = "establishments/establishment_list.html"
    table_template = "establishments/establishment_table.html"
    title = gettext_lazy("Rural industrial establishments")

    def get_queryset(self, request: HttpRequest) -> Any:
        self.filterset = selectors.establishment_filterset(user=request.user, params=request.GET)
        if not self.filterset.is_valid():
            return Establishment.objects.none()
        return self.filterset.ordered().select_related(*selectors.LIST_RELATED)

    def get_extra_context(self, request: HttpRequest) -> dict:
        params = _filter_query(request)
        # Empty fields (a form sends every one) are left out: the URL, the export links and the saved filter name
        # only the filters set.
        for key in [k for k, v in params.lists() if not any(v)]:
            params.pop(key)
        query = params.urlencode()
        without_commune = params.copy()
        without_commune.pop("commune", None)
        chosen = self.filterset.form.cleaned_data.get("commune") if self.filterset.is_valid() else None
        return {
            "chosen_commune": chosen,
            "without_commune": without_commune.urlencode(),
            "filter_form": self.filterset.form,
            "saved_filters": SavedFilter.objects.filter(user=request.user),
            "filter_query": query,
            "can_add": request.user.has_perm("establishments.add_establishment"),
            "nav_active": "establishments",
        }


def _form_errors(form: EstablishmentForm, error: ApplicationError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def _cleaned_data(form: EstablishmentForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in form.Meta.fields}


@login_required
def establishment_create(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("establishments.add_establishment"):
        raise PermissionDenied
    form = EstablishmentForm(request.POST or None, user=request.user)
    existing_url = None
    if request.method == "POST" and form.is_valid():
        try:
            establishment = services.establishment_create(
                user=request.user, data=_cleaned_data(form), reason=form.cleaned_data.get("reason") or ""
            )
        except ApplicationError as error:
            _form_errors(form, error)
            existing_url = error.extra.get("existing_url")
        else:
            flags = selectors.duplicate_flags_for(user=request.user, establishment=establishment).count()
            messages.success(request, _("The establishment was saved."))
            if flags:
                messages.warning(
                    request, _("It looks like an establishment already registered: check the duplicates tab.")
                )
            return redirect("establishments:detail", establishment.pk)
    return render(
        request,
        "establishments/establishment_form.html",
        {
            "form": form,
            "existing_url": existing_url,
            "nav_active": "establishments",
            "commune": _picked(form["commune_recorded"].value()),
        },
    )


def _picked(value: Any) -> Any:
    """The commune a form's hidden field names, to show it again beside the picker; None if it names none (a
    forged or stale value is the form's error to report, not a reason to fail)."""
    if not value:
        return None
    from khuyencong.geography.selectors import unit_get

    try:
        return unit_get(pk=value)
    except ApplicationError:
        return None


@login_required
def establishment_edit(request: HttpRequest, pk: int) -> HttpResponse:
    establishment = _get(request, pk)
    if not request.user.has_perm("establishments.change_establishment", establishment):
        raise PermissionDenied
    form = EstablishmentForm(
        request.POST or None,
        instance=establishment,
        user=request.user,
        initial={"version": establishment.version},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.establishment_update(
                user=request.user,
                establishment_id=establishment.pk,
                data=_cleaned_data(form),
                expected_version=form.cleaned_data.get("version") or 0,
                reason=form.cleaned_data.get("reason") or "",
            )
        except ApplicationError as error:
            if error.code == "stale_version":
                conflict = {"message": error.message, "changes": error.extra.get("changes", [])}
            else:
                _form_errors(form, error)
        else:
            messages.success(request, _("The changes were saved."))
            return redirect("establishments:detail", establishment.pk)
    status = 409 if conflict else 200
    return render(
        request,
        "establishments/establishment_form.html",
        {
            "form": form,
            "object": establishment,
            "conflict": conflict,
            "nav_active": "establishments",
            "commune": _picked(form["commune_recorded"].value()),
        },
        status=status,
    )


def _get(request: HttpRequest, pk: Any) -> Establishment:
    try:
        return selectors.establishment_get(user=request.user, pk=pk)
    except ApplicationError as error:
        raise Http404(str(error.message)) from error


TABS = ["overview", "years", "products", "support", "duplicates", "history"]


@login_required
def establishment_detail(request: HttpRequest, pk: int, tab: str = "overview") -> HttpResponse:
    if tab not in TABS:
        raise Http404
    return _detail(request, _get(request, pk), tab)


def _detail(
    request: HttpRequest, establishment: Establishment, tab: str, *, year_form: Any = None, status: int = 200
) -> HttpResponse:
    """The establishment's page on `tab`; a refused year's figures come back in their form, as typed."""
    context: dict[str, Any] = {
        "object": establishment,
        "tab": tab,
        "nav_active": "establishments",
        "can_edit": request.user.has_perm("establishments.change_establishment", establishment),
        "open_flags": selectors.duplicate_flags_for(user=request.user, establishment=establishment)
        .filter(status="open")
        .count(),
    }
    if tab == "overview":
        context["representatives"] = selectors.representatives_of(user=request.user, establishment=establishment)
        village = establishment.craft_village
        context["can_view_village"] = village is not None and request.user.has_perm(
            "establishments.view_craftvillage", village
        )
    if tab == "years":
        context["years"] = establishment.years.all()
        context["year_form"] = year_form or EstablishmentYearForm()
    elif tab == "support":
        from .support import support_received

        context["support"] = support_received(request.user, establishment)
    elif tab == "duplicates":
        context["flags"] = selectors.duplicate_flags_for(user=request.user, establishment=establishment)
    elif tab == "history":
        context["history_page"] = Paginator(history_rows(establishment), 25).get_page(request.GET.get("page"))
    return render(request, "establishments/establishment_detail.html", context, status=status)


@login_required
@require_POST
def year_add(request: HttpRequest, pk: int) -> HttpResponse:
    establishment = _get(request, pk)
    if not request.user.has_perm("establishments.change_establishment", establishment):
        raise PermissionDenied  # a reader sees the figures, with no form to send
    form = EstablishmentYearForm(request.POST)
    if form.is_valid():
        try:
            services.establishment_year_save(
                user=request.user, establishment_id=establishment.pk, data=form.cleaned_data
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The figures of %(y)s were saved.") % {"y": form.cleaned_data["year"]})
            return redirect("establishments:detail_tab", establishment.pk, "years")
    return _detail(request, establishment, "years", year_form=form, status=400)


@login_required
@require_POST
def duplicate_decide(request: HttpRequest, pk: int, flag_id: int) -> HttpResponse:
    establishment = _get(request, pk)
    try:
        services.duplicate_flag_decide(
            user=request.user,
            flag_id=flag_id,
            is_duplicate=request.POST.get("decision") == "confirm",
            establishment_id=establishment.pk,
        )
    except (ApplicationError, DuplicateFlag.DoesNotExist) as error:
        raise Http404 from error
    return redirect("establishments:detail_tab", establishment.pk, "duplicates")


@login_required
@require_POST
def representative_link(request: HttpRequest, pk: int) -> HttpResponse:
    establishment = _get(request, pk)
    try:
        services.representative_link(
            user=request.user, establishment_id=establishment.pk, username=request.POST.get("username", "")
        )
    except ApplicationError as error:
        if error.http_status == 404:
            raise Http404 from error
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The account now sees this establishment."))
    return redirect("establishments:detail", establishment.pk)


@login_required
@require_POST
def representative_unlink(request: HttpRequest, pk: int, representative_id: int) -> HttpResponse:
    establishment = _get(request, pk)
    if (
        not selectors.representatives_of(user=request.user, establishment=establishment)
        .filter(pk=representative_id)
        .exists()
    ):
        raise Http404
    services.representative_unlink(user=request.user, representative_id=representative_id)
    messages.success(request, _("The account no longer sees this establishment."))
    return redirect("establishments:detail", establishment.pk)


@login_required
def establishment_merge(request: HttpRequest, pk: int, other_pk: int) -> HttpResponse:
    survivor, other = _get(request, pk), _get(request, other_pk)
    choices = [
        (name, getattr(Establishment._meta.get_field(name), "verbose_name", name))
        for name in services.MERGEABLE_FIELDS
        if getattr(survivor, name) != getattr(other, name)
    ]
    form = MergeForm(request.POST or None, user=request.user, field_choices=choices, initial={"other": other.pk})
    if request.method == "POST" and form.is_valid():
        try:
            services.establishment_merge(
                user=request.user,
                survivor_id=survivor.pk,
                other_id=other.pk,
                take_from_other=form.cleaned_data["take_from_other"],
                reason=form.cleaned_data["reason"],
            )
        except ApplicationError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("The two records were merged."))
            return redirect("establishments:detail", survivor.pk)
    rows = [
        {"name": name, "label": label, "survivor": getattr(survivor, name), "other": getattr(other, name)}
        for name, label in choices
    ]
    return render(
        request,
        "establishments/merge.html",
        {"object": survivor, "other": other, "form": form, "rows": rows, "nav_active": "establishments"},
    )


# ---- saved filters --------------------------------------------------------------------------------------------------


@login_required
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    form = SavedFilterForm(request.POST)
    if form.is_valid():
        services.saved_filter_save(user=request.user, name=form.cleaned_data["name"], query=form.cleaned_data["query"])
        messages.success(request, _("The filter was saved."))
    else:
        messages.error(request, _("Give the filter a name."))
    return redirect(f"{reverse('establishments:list')}?{form.data.get('query', '')}")


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, filter_id: int) -> HttpResponse:
    try:
        services.saved_filter_delete(user=request.user, filter_id=filter_id)
    except ApplicationError as error:
        raise Http404 from error
    return redirect("establishments:list")


# ---- exports --------------------------------------------------------------------------------------------------------


@login_required
def export(request: HttpRequest, file_format: str) -> HttpResponseBase:
    """Exactly the filtered rows; small exports stream at once, large ones become a background job."""
    if file_format not in EXPORT_CONTENT_TYPES:
        raise Http404
    params = _filter_query(request)
    try:
        queryset = selectors.establishment_list(user=request.user, params=params)
    except ApplicationError:
        messages.error(request, _("Some filters are not valid."))
        return redirect("establishments:list")
    total = queryset.count()
    if total > exports.BACKGROUND_THRESHOLD:
        job = exports.export_start(user=request.user, query=params.urlencode(), file_format=file_format, total=total)
        return redirect("establishments:export_job", job.pk)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"co-so-cnnt-{stamp}.{file_format}"
    if file_format == "csv":
        response = StreamingHttpResponse(exports.stream_csv(queryset), content_type=EXPORT_CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    import tempfile

    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    exports.write_xlsx_export(handle, queryset)
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=filename, content_type=EXPORT_CONTENT_TYPES["xlsx"])


@login_required
def export_job(request: HttpRequest, job_id: str) -> HttpResponse:
    job = ExportJob.objects.filter(pk=job_id, user=_user(request)).first()
    if job is None:
        raise Http404
    template = "establishments/export_progress.html" if request.htmx else "establishments/export_job.html"  # type: ignore[attr-defined]
    return render(request, template, {"job": job, "nav_active": "establishments"})


@login_required
def export_download(request: HttpRequest, job_id: str) -> HttpResponseBase:
    job = ExportJob.objects.filter(pk=job_id, user=_user(request), status=ExportJob.JobStatus.DONE).first()
    if job is None or not job.file:
        raise Http404
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=str(job.file.name).rsplit("/", 1)[-1])


# ---- import ---------------------------------------------------------------------------------------------------------


@login_required
def import_template(request: HttpRequest) -> HttpResponse:
    from .templates_xlsx import import_template_workbook

    response = HttpResponse(
        import_template_workbook(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-co-so-cnnt.xlsx"'
    return response


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("establishments.import_establishments"):
        raise PermissionDenied
    error = None
    if request.method == "POST":
        uploaded = request.FILES.get("file")
        if uploaded is None:
            error = _("Choose a file to import.")
        else:
            try:
                batch = imports.import_start(user=request.user, uploaded=uploaded)
            except ApplicationError as exc:
                error = str(exc.message)
            else:
                imports.import_check_soon(batch=batch)
                return redirect("establishments:import_batch", batch.pk)
    recent = ImportBatch.objects.filter(user=_user(request))[:10]
    return render(
        request,
        "establishments/import_upload.html",
        {
            "error": error,
            "recent": recent,
            "columns": imports.COLUMNS,
            "nav_active": "establishments",
            "max_mb": imports.MAX_BYTES // 1024 // 1024,
            "max_rows": imports.MAX_ROWS,
        },
        status=400 if error else 200,
    )


def _batch(request: HttpRequest, batch_id: str) -> ImportBatch:
    batch = ImportBatch.objects.filter(pk=batch_id, user=_user(request)).first()
    if batch is None:
        raise Http404
    return batch


@login_required
def import_batch(request: HttpRequest, batch_id: str) -> HttpResponse:
    batch = imports.import_expire_stale(batch=_batch(request, batch_id))
    status_filter = request.GET.get("status", "")
    rows = [r for r in batch.report if not status_filter or r["status"] == status_filter]
    page = Paginator(rows, 100).get_page(request.GET.get("page"))
    decisions = batch.decisions or {}
    for row in page.object_list:
        row["decision"] = decisions.get(str(row["row"]), "skip")
    counts = batch.counts or {}
    to_update = sum(1 for d in decisions.values() if d == "update")
    to_create = sum(1 for d in decisions.values() if d == "new")
    template = "establishments/import_progress.html" if request.htmx else "establishments/import_batch.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "batch": batch,
            "page_obj": page,
            "status_filter": status_filter,
            "nav_active": "establishments",
            "to_save": counts.get("new", 0) + counts.get("update", 0) + to_update + to_create,
            "decision_choices": [
                ("update", _("Update the existing record")),
                ("skip", _("Skip this row")),
                ("new", _("Save as a new establishment (without the tax code, flagged for review)")),
            ],
        },
    )


@login_required
@require_POST
def import_decide(request: HttpRequest, batch_id: str) -> HttpResponse:
    """The user's choice for one row whose tax code belongs to an establishment it does not look like."""
    batch = _batch(request, batch_id)
    from khuyencong.core.parsing import ParseError, parse_id

    try:
        row = parse_id(request.POST.get("row"), field="row") or 0
    except ParseError:
        row = 0  # refused by the service as a row with nothing to decide
    try:
        imports.import_decide(user=request.user, batch_id=batch.pk, row=row, decision=request.POST.get("decision", ""))
    except ApplicationError as error:
        messages.error(request, str(error.message))
    url = reverse("establishments:import_batch", args=[batch.pk])
    query = request.POST.get("back", "")
    return redirect(f"{url}?{query}" if query and "\n" not in query and "//" not in query else url)


@login_required
def import_rejected(request: HttpRequest, batch_id: str) -> FileResponse:
    """The refused rows of the file with a column of reasons, to fix and upload again."""
    import io
    from pathlib import Path

    batch = _batch(request, batch_id)
    buffer = io.BytesIO()
    imports.rejected_rows_file(batch, buffer)
    buffer.seek(0)
    name = _("Rows not accepted – %(f)s") % {"f": Path(batch.file_name).stem}
    return FileResponse(buffer, as_attachment=True, filename=f"{name}.xlsx", content_type=EXPORT_CONTENT_TYPES["xlsx"])


@login_required
@require_POST
def import_commit(request: HttpRequest, batch_id: str) -> HttpResponse:
    batch = _batch(request, batch_id)
    include_duplicates = request.POST.get("include_duplicates") == "on"
    try:
        done_now = imports.import_commit_soon(batch=batch, include_duplicates=include_duplicates)
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        if done_now:
            messages.success(request, _("The file was imported."))
    return redirect("establishments:import_batch", batch.pk)


@login_required
@require_POST
def import_cancel(request: HttpRequest, batch_id: str) -> HttpResponse:
    imports.import_cancel(user=request.user, batch_id=_batch(request, batch_id).pk)
    return redirect("establishments:import")


# ---- craft villages -------------------------------------------------------------------------------------------------


class CraftVillageListView(ObjectListView):
    template_name = "establishments/village_list.html"
    table_template = "establishments/village_table.html"
    title = gettext_lazy("Craft villages")

    def get_queryset(self, request: HttpRequest) -> Any:
        return selectors.craft_village_list(user=request.user, query=request.GET.get("q", ""))

    def get_extra_context(self, request: HttpRequest) -> dict:
        return {"can_add": request.user.has_perm("establishments.add_craftvillage"), "nav_active": "establishments"}


def _village(request: HttpRequest, pk: Any) -> Any:
    try:
        return selectors.craft_village_get(user=request.user, pk=pk)
    except ApplicationError as error:
        raise Http404(str(error.message)) from error


VILLAGE_TABS = ["overview", "history"]


@login_required
def craft_village_detail(request: HttpRequest, pk: int, tab: str = "overview") -> HttpResponse:
    if tab not in VILLAGE_TABS:
        raise Http404
    village = _village(request, pk)
    context: dict[str, Any] = {
        "object": village,
        "tab": tab,
        "nav_active": "establishments",
        "can_edit": request.user.has_perm("establishments.change_craftvillage", village),
    }
    if tab == "overview":
        establishments = selectors.craft_village_establishments(user=request.user, village=village)
        context["establishments"] = Paginator(establishments.order_by("name_folded", "id"), 50).get_page(
            request.GET.get("page")
        )
    else:
        context["history_page"] = Paginator(history_rows(village), 25).get_page(request.GET.get("page"))
    return render(request, "establishments/village_detail.html", context)


@login_required
def craft_village_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    village = _village(request, pk) if pk is not None else None
    perm = "establishments.change_craftvillage" if village else "establishments.add_craftvillage"
    if not request.user.has_perm(perm, village):
        raise PermissionDenied
    form = CraftVillageForm(request.POST or None, instance=village)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in services.VILLAGE_FIELDS}
        try:
            saved = services.craft_village_save(
                user=request.user,
                data=data,
                village_id=village.pk if village else None,
                reason=form.cleaned_data.get("reason") or "",
            )
        except ApplicationError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The craft village was saved."))
            return redirect("establishments:village_detail", saved.pk)
    return render(
        request,
        "establishments/village_form.html",
        {
            "form": form,
            "object": village,
            "commune": _picked(form["commune"].value()),
            "nav_active": "establishments",
        },
    )
