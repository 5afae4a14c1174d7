"""Pages: collaborators of a province, the collaborator's reports (a phone-first form that saves as it is typed and
keeps a copy in the browser while the connection is down), the province's review, and completeness with its map."""

import datetime
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from khuyencong.accounts.choices import Role
from khuyencong.core.exceptions import ApplicationError
from khuyencong.core.formatting import format_money, format_number
from khuyencong.core.forms import (
    DateField,
    PhoneField,
    ReferenceModelChoiceField,
    ScopedFormMixin,
    ScopedModelChoiceField,
    ScopedModelMultipleChoiceField,
    YearField,
    style_widgets,
)
from khuyencong.core.parsing import check_date, parse_id
from khuyencong.core.scoping import user_scope
from khuyencong.core.text import fold
from khuyencong.establishments.choices import LegalForm
from khuyencong.establishments.models import Establishment
from khuyencong.geography.models import AdminUnit
from khuyencong.geography.selectors import communes_for, provinces_for

from . import engine, periods, selectors, services, surveys
from .choices import CollaboratorStatus, FieldType, ReviewAction, SubmissionStatus
from .models import ReportForm, Submission, SurveyResponse


def _not_found(exc: ApplicationError) -> Http404:
    return Http404(exc.message)


def _number(value: Any) -> int | None:
    """The id sent by a form, or None for anything else (never a 500 for "abc" or "²")."""
    try:
        return parse_id(value)
    except ApplicationError:
        return None


# ---- collaborators --------------------------------------------------------------------------------------------------


@login_required
def collaborator_list(request: HttpRequest) -> HttpResponse:
    if getattr(request.user, "role", None) == Role.COLLABORATOR:
        return redirect("collaborators:my_reports")
    collaborators = selectors.collaborator_queryset(user=request.user).prefetch_related("coverages__commune")
    q = (request.GET.get("q") or "").strip()
    if q:
        collaborators = collaborators.filter(name_folded__contains=fold(q))
    status = request.GET.get("status")
    if status in CollaboratorStatus.values:
        collaborators = collaborators.filter(status=status)
    scope = user_scope(request.user)
    province_id = next(iter(scope.province_ids), None) if scope.level == "province" else None
    return render(
        request,
        "collaborators/collaborator_list.html",
        {
            "collaborators": collaborators[:500],
            "q": q,
            "status": status,
            "statuses": CollaboratorStatus.choices,
            "can_manage": services.can_manage_collaborators(request.user, province_id),
            "nav_active": "collaborators",
        },
    )


class CollaboratorForm(ScopedFormMixin, forms.Form):
    full_name = forms.CharField(label=gettext_lazy("Full name"), max_length=200)
    phone = PhoneField(label=gettext_lazy("Phone"), max_length=20)
    email = forms.EmailField(label=gettext_lazy("E-mail"), required=False)
    decision_number = forms.CharField(label=gettext_lazy("Appointing decision number"), max_length=60)
    decision_date = DateField(
        label=gettext_lazy("Decision date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    decision_signer = forms.CharField(label=gettext_lazy("Signed by"), max_length=200)
    remuneration = forms.CharField(label=gettext_lazy("Remuneration basis"), max_length=300, required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=CollaboratorStatus.choices)
    communes = ScopedModelMultipleChoiceField(
        label=gettext_lazy("Communes covered"), selector=communes_for, required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip

    def __init__(self, *args: Any, province: AdminUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communes"].narrow(province=province)
        style_widgets(self)

    def data_for(self, province: AdminUnit) -> services.CollaboratorData:
        d = self.cleaned_data
        return services.CollaboratorData(
            full_name=d["full_name"], province_id=province.pk, decision_number=d["decision_number"],
            decision_date=d["decision_date"], decision_signer=d["decision_signer"], phone=d["phone"],
            email=d["email"], remuneration=d["remuneration"], status=d["status"],
            communes=[c.pk for c in d["communes"]],
        )  # fmt: skip


def _own_province(request: HttpRequest) -> AdminUnit:
    scope = user_scope(request.user)
    province_id = next(iter(scope.province_ids), None) if scope.level == "province" else None
    if not services.can_manage_collaborators(request.user, province_id):
        raise PermissionDenied
    return AdminUnit.objects.get(pk=province_id)


@login_required
def collaborator_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    province = _own_province(request)
    collaborator = None
    initial: dict[str, Any] = {"status": CollaboratorStatus.ACTIVE}
    if pk is not None:
        try:
            collaborator = selectors.collaborator_get(user=request.user, pk=pk)
        except ApplicationError as exc:
            raise _not_found(exc) from exc
        initial = {
            name: getattr(collaborator, name)
            for name in ("full_name", "phone", "email", "decision_number", "decision_date", "decision_signer",
                         "remuneration", "status")
        }  # fmt: skip
        initial["communes"] = list(
            collaborator.coverages.filter(valid_to__isnull=True).values_list("commune_id", flat=True)
        )
    form = CollaboratorForm(request.POST or None, initial=initial, user=request.user, province=province)
    if request.method == "POST" and form.is_valid():
        try:
            if collaborator is None:
                collaborator = services.collaborator_create(user=request.user, data=form.data_for(province))
            else:
                collaborator = services.collaborator_update(
                    user=request.user, collaborator_id=collaborator.pk, data=form.data_for(province),
                    expected_version=_number(request.POST.get("version")) or 0,
                )  # fmt: skip
        except ApplicationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
        else:
            messages.success(request, _("Saved."))
            return redirect("collaborators:detail", pk=collaborator.pk)
    return render(
        request,
        "collaborators/collaborator_form.html",
        {"form": form, "collaborator": collaborator, "nav_active": "collaborators"},
    )


@login_required
def collaborator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        collaborator = selectors.collaborator_get(user=request.user, pk=pk)
    except ApplicationError as exc:
        raise _not_found(exc) from exc
    can_manage = services.can_manage_collaborators(request.user, collaborator.province_id)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied
        try:
            services.collaborator_link_user(
                user=request.user, collaborator_id=collaborator.pk, account_id=_number(request.POST.get("account")) or 0
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("User account linked."))
        return redirect("collaborators:detail", pk=collaborator.pk)
    accounts = (
        list(selectors.linkable_accounts(collaborator)[:200]) if can_manage and collaborator.user_id is None else []
    )
    return render(
        request,
        "collaborators/collaborator_detail.html",
        {
            "collaborator": collaborator,
            "coverages": collaborator.coverages.select_related("commune").order_by("-valid_to", "commune__name"),
            "can_manage": can_manage,
            "accounts": accounts,
            "nav_active": "collaborators",
        },
    )


# ---- reports --------------------------------------------------------------------------------------------------------


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    """A collaborator's reports due and done; the province's queue of reports to review."""
    forms_in_use = list(selectors.periodic_forms())
    if getattr(request.user, "role", None) == Role.COLLABORATOR:
        owed = [o for form in forms_in_use for o in selectors.reports_owed(user=request.user, form=form)]
        # Returned reports first, then those overdue, then the rest (newest period first within each).
        owed.sort(key=lambda o: 0 if o.status == SubmissionStatus.RETURNED else 1 if o.overdue else 2)
        overdue = sum(1 for o in owed if o.overdue)
        return render(
            request,
            "collaborators/my_reports.html",
            {"owed": owed, "overdue": overdue, "nav_active": "collaborators"},
        )
    overdue_count = selectors.overdue_in_province(user=request.user)
    status = request.GET.get("status") or ""
    queue = selectors.review_queue(user=request.user, status=status or None)
    return render(
        request,
        "collaborators/review_queue.html",
        {
            "submissions": queue[:300],
            "overdue": overdue_count,
            "status": status,
            "statuses": [(v, label) for v, label in SubmissionStatus.choices if v != SubmissionStatus.DRAFT],
            "nav_active": "collaborators",
        },
    )


def _values_from_post(fields: list[engine.Field], data: QueryDict) -> dict[str, Any]:
    """The report's values from a plain form post (names "workers", "by_industry.0.establishments")."""
    values: dict[str, Any] = {}
    for f in fields:
        if f.type != FieldType.ROWS:
            values[f.name] = data.get(f.name, "")
            continue
        rows: dict[int, dict[str, Any]] = {}
        prefix = f"{f.name}."
        for key in data:
            if not key.startswith(prefix):
                continue
            index, _dot, column = key[len(prefix) :].partition(".")
            if index.isascii() and index.isdigit() and len(index) <= 4 and column:
                rows.setdefault(int(index), {})[column] = data.get(key, "")
        values[f.name] = [rows[i] for i in sorted(rows)]
    return values


def _cell(f: engine.Field, name: str, value: Any, errors: dict[str, str]) -> dict[str, Any]:
    shown = value
    if f.type in (FieldType.INTEGER, FieldType.MONEY) and isinstance(value, int) and not isinstance(value, bool):
        shown = format_number(value)
    return {"field": f, "name": name, "value": "" if shown is None else str(shown), "error": errors.get(name, "")}


def _widgets(fields: list[engine.Field], values: dict[str, Any], errors: dict[str, str]) -> list[dict[str, Any]]:
    """What the report form draws: each field with its value as typed and its error; repeating rows with theirs
    and an empty row for "add a row"."""
    widgets = []
    for f in fields:
        if f.type != FieldType.ROWS:
            widgets.append(_cell(f, f.name, values.get(f.name), errors))
            continue
        rows = values.get(f.name) if isinstance(values.get(f.name), list) else []
        widgets.append(
            {
                "field": f,
                "name": f.name,
                "error": errors.get(f.name, ""),
                "rows": [
                    [_cell(c, f"{f.name}.{i}.{c.name}", row.get(c.name), errors) for c in f.columns]
                    for i, row in enumerate(rows or [{}])
                    if isinstance(row, dict)
                ],
                "blank": [_cell(c, f"{f.name}.__i__.{c.name}", None, {}) for c in f.columns],
            }
        )
    return widgets


NUMBER_TYPES = (FieldType.INTEGER, FieldType.MONEY)


def _display(f: engine.Field, value: Any, establishments: dict[int, str]) -> str:
    if value is None or value == "":
        return "—"
    if f.type in (FieldType.INTEGER, FieldType.MONEY) and isinstance(value, int):
        lang = translation.get_language() or "vi"
        return format_money(value, lang=lang) if f.type == FieldType.MONEY else format_number(value, lang=lang)
    if f.type == FieldType.CHOICE:
        return f.choice_label(value)
    if f.type == FieldType.ESTABLISHMENT:
        return establishments.get(value, f"#{value}") if isinstance(value, int) else str(value)
    return str(value)


def _read_only(fields: list[engine.Field], values: dict[str, Any]) -> list[dict[str, Any]]:
    ids = [
        row.get(c.name)
        for f in fields
        if f.type == FieldType.ROWS
        for row in (values.get(f.name) or [])
        if isinstance(row, dict)
        for c in f.columns
        if c.type == FieldType.ESTABLISHMENT
    ] + [values.get(f.name) for f in fields if f.type == FieldType.ESTABLISHMENT]
    names = dict(Establishment.objects.filter(pk__in=[i for i in ids if isinstance(i, int)]).values_list("pk", "name"))
    shown = []
    for f in fields:
        value = values.get(f.name)
        if f.type == FieldType.ROWS:
            rows = [r for r in (value or []) if isinstance(r, dict)]
            shown.append(
                {
                    "field": f,
                    "rows": [
                        [
                            {"text": _display(c, r.get(c.name), names), "figure": c.type in NUMBER_TYPES}
                            for c in f.columns
                        ]
                        for r in rows
                    ],
                }
            )
        else:
            shown.append({"field": f, "value": _display(f, value, names)})
    return shown


def _place(request: HttpRequest, code: str, commune_id: int, period: str) -> tuple:
    try:
        form = selectors.form_get(code)
        start = check_date(datetime.date.fromisoformat(period))
    except (ApplicationError, ValueError) as exc:
        raise Http404(_("Not found, or outside your area.")) from exc
    commune = AdminUnit.objects.filter(pk=commune_id, level="commune").select_related("province").first()
    if commune is None:
        raise Http404(_("Not found, or outside your area."))
    return form, start, commune


@login_required
def report_page(request: HttpRequest, code: str, commune_id: int, period: str) -> HttpResponse:
    form, start, commune = _place(request, code, commune_id, period)
    submission = Submission.objects.filter(form=form, commune=commune, period_start=start).first()
    mine, editable = services.can_fill(request.user, form, commune.pk, start, submission)
    if submission is not None:
        try:
            submission = selectors.submission_get(user=request.user, pk=submission.pk)
        except ApplicationError:
            if not mine:
                raise Http404(_("Not found, or outside your area.")) from None
    elif not mine:
        raise Http404(_("Not found, or outside your area."))
    version = submission.form_version if submission else services.current_version(form)
    fields = engine.fields_of(version.fields)
    errors: dict[str, str] = {}
    values = dict(submission.values) if submission else {}
    # A report not started yet opens with what the registry knows of the commune, to check rather than count.
    prefilled = selectors.registry_prefill(fields, commune.pk) if submission is None and editable else {}
    values = values or dict(prefilled)
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        values = _values_from_post(fields, request.POST)
        arguments = {
            "user": request.user, "form_id": form.pk, "commune_id": commune.pk, "period_start": start,
            "values": values, "expected_version": _number(request.POST.get("version")),
        }  # fmt: skip
        try:
            if request.POST.get("action") == "submit":
                services.report_submit(**arguments, submit_key=request.POST.get("submit_key", ""))
                messages.success(request, _("The report was submitted."))
            else:
                saved = services.draft_save(**arguments)
                messages.success(request, saved.notice or _("Draft saved."))
            return redirect(request.path)
        except ApplicationError as exc:
            errors = exc.extra.get("errors") or ({exc.field: exc.message} if exc.field else {})
            messages.error(request, str(exc.message))
            submission = Submission.objects.filter(form=form, commune=commune, period_start=start).first()
    last_comment = (
        submission.reviews.filter(action__in=[ReviewAction.RETURN, ReviewAction.REOPEN]).last() if submission else None
    )
    establishments = []
    if editable and any(
        f.type == FieldType.ESTABLISHMENT or any(c.type == FieldType.ESTABLISHMENT for c in f.columns) for f in fields
    ):
        establishments = list(
            Establishment.objects.filter(commune=commune).order_by("name_folded").values_list("pk", "name")[:1000]
        )
    due = periods.due_date(form.period_type, start, form.due_days)
    return render(
        request,
        "collaborators/report.html",
        {
            "form": form,
            "commune": commune,
            "period_start": start,
            "period_label": periods.period_label(form.period_type, start),
            "due": due,
            "state": selectors.report_state(submission, due),
            "prefilled": prefilled,
            "submission": submission,
            "form_version": version,
            "widgets": _widgets(fields, values, errors) if editable else [],
            "shown": [] if editable else _read_only(fields, values),
            "errors": errors,
            "editable": editable,
            "submit_key": uuid.uuid4().hex,
            # whether the server's copy was last saved by this user: a copy kept on the device, typed on an older
            # version, is then this user's own work, not overtaken by someone else's
            "saved_by_me": bool(
                submission
                and submission.history.order_by("-history_date").values_list("history_user_id", flat=True).first()
                == request.user.pk
            ),
            "last_comment": last_comment,
            "establishments": establishments,
            "steps": services.review_steps(request.user, submission) if submission is not None else [],
            "nav_active": "collaborators",
        },
    )


STEPS: dict[str, Any] = {
    "return": services.report_return,
    "accept": services.report_accept,
    "approve": services.report_approve,
    "reopen": services.report_reopen,
}


@login_required
@require_POST
def review_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    try:
        submission = selectors.submission_get(user=request.user, pk=pk)
    except ApplicationError as exc:
        raise _not_found(exc) from exc
    if step not in STEPS:
        raise Http404
    arguments: dict[str, Any] = {
        "user": request.user, "submission_id": submission.pk, "expected_version": _number(request.POST.get("version")),
    }  # fmt: skip
    if step == "return":
        arguments["comment"] = request.POST.get("comment", "")
    if step == "reopen":
        arguments["reason"] = request.POST.get("comment", "")
    try:
        STEPS[step](**arguments)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Done."))
    return redirect(
        reverse(
            "collaborators:report",
            args=[submission.form.code, submission.commune_id, submission.period_start.isoformat()],
        )
    )


# ---- completeness ---------------------------------------------------------------------------------------------------


class CompletenessForm(ScopedFormMixin, forms.Form):
    form = forms.ChoiceField(label=gettext_lazy("Report"), required=False)
    first = DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    last = DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    province = ScopedModelChoiceField(label=gettext_lazy("Province"), selector=provinces_for, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["form"].choices = [(f.code, f.name) for f in selectors.periodic_forms()]
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        first, last = data.get("first"), data.get("last")
        if first and last and first > last:
            self.add_error("last", _("The end date is before the start date."))
        if first and last and (last - first).days > 366 * 12:
            self.add_error("first", _("Choose at most twelve years."))
        return data


@login_required
def completeness_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = CompletenessForm(request.GET or None, user=request.user)
    board = None
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if request.GET else {}
        try:
            report_form = selectors.form_get(data.get("form") or "ctv-quy")
            province = data.get("province")
            board = selectors.completeness(
                user=request.user,
                form=report_form,
                first=data.get("first") or today.replace(year=today.year - 1),
                last=data.get("last") or today,
                province_id=province.pk if province else None,
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
    map_rows = []
    province_unit = None
    if board is not None:
        map_rows = [
            {
                "code": row.unit.code,
                "full_name": row.unit.full_name,
                "value": float(round(row.total.completeness or Decimal(0), 2)),
                "id": row.unit.pk,
            }
            for row in board.rows
        ]
        if board.level == "commune" and board.rows:
            province_unit = board.rows[0].unit.province
    return render(
        request,
        "collaborators/completeness.html",
        {
            "form": form,
            "board": board,
            "map_rows": map_rows,
            "province_unit": province_unit,
            "nav_active": "collaborators",
        },
    )


# ---- surveys --------------------------------------------------------------------------------------------------------


class CampaignForm(ScopedFormMixin, forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    form = ReferenceModelChoiceField(
        label=gettext_lazy("Survey form"), queryset=ReportForm.objects.filter(is_active=True, is_periodic=False)
    )
    communes = ScopedModelMultipleChoiceField(
        label=gettext_lazy("Communes"),
        selector=communes_for,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    opens_on = DateField(label=gettext_lazy("Opens"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    closes_on = DateField(
        label=gettext_lazy("Closes"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    year = YearField(label=gettext_lazy("Year of the figures"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, province: AdminUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["communes"].narrow(province=province)
        style_widgets(self)


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """The province's survey campaigns (and the form to open one); a collaborator's open campaigns and responses."""
    today = timezone.localdate()
    campaigns = selectors.campaign_queryset(user=request.user)
    form = None
    scope = user_scope(request.user)
    province_id = next(iter(scope.province_ids), None) if scope.level == "province" else None
    if services.can_manage_collaborators(request.user, province_id):
        province = AdminUnit.objects.get(pk=province_id)
        form = CampaignForm(
            request.POST or None, user=request.user, province=province,
            initial={"opens_on": today, "closes_on": today + datetime.timedelta(days=30), "year": today.year - 1},
        )  # fmt: skip
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                campaign = surveys.campaign_create(
                    user=request.user, title=d["title"], form_id=d["form"].pk, communes=[c.pk for c in d["communes"]],
                    opens_on=d["opens_on"], closes_on=d["closes_on"], year=d["year"],
                )  # fmt: skip
            except ApplicationError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc.message))
            else:
                messages.success(request, _("The survey is open."))
                return redirect("collaborators:survey", pk=campaign.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(
        request,
        "collaborators/survey_list.html",
        {
            "campaigns": campaigns,
            "form": form,
            "mine": selectors.my_responses(user=request.user),
            "today": today,
            "nav_active": "collaborators",
        },
    )


@login_required
def survey_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        campaign = selectors.campaign_get(user=request.user, pk=pk)
    except ApplicationError as exc:
        raise _not_found(exc) from exc
    can_decide = services.can_manage_collaborators(request.user, campaign.province_id)
    if request.method == "POST":
        if not can_decide:
            raise PermissionDenied
        response_id = _number(request.POST.get("response")) or 0
        try:
            if request.POST.get("action") == "reject":
                surveys.response_reject(
                    user=request.user, response_id=response_id, reason=request.POST.get("reason", "")
                )
            else:
                surveys.response_accept(
                    user=request.user, response_id=response_id,
                    establishment_id=_number(request.POST.get("establishment")),
                )  # fmt: skip
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Done."))
        return redirect("collaborators:survey", pk=campaign.pk)
    covered = {c.pk for c in campaign.communes.all()}
    my_communes = [
        c for c in campaign.communes.order_by("name_folded")
        if services.covering(request.user, c.pk, timezone.localdate()) is not None
    ]  # fmt: skip
    return render(
        request,
        "collaborators/survey_detail.html",
        {
            "campaign": campaign,
            "responses": selectors.campaign_responses(user=request.user, campaign=campaign),
            "can_decide": can_decide,
            "my_communes": my_communes if campaign.is_open(timezone.localdate()) else [],
            "covered": covered,
            "nav_active": "collaborators",
        },
    )


PROPOSED_LABELS = {
    "name": gettext_lazy("Name"),
    "legal_form": gettext_lazy("Legal form"),
    "owner_name": gettext_lazy("Owner"),
    "phone": gettext_lazy("Phone"),
    "address": gettext_lazy("Address"),
    "tax_code": gettext_lazy("Tax code or registration number"),
}


@login_required
def survey_respond(request: HttpRequest, pk: int, commune_id: int, response_id: int | None = None) -> HttpResponse:
    """The collaborator's response for one establishment (of the registry, or a new one proposed)."""
    try:
        campaign = selectors.campaign_get(user=request.user, pk=pk)
    except ApplicationError as exc:
        raise _not_found(exc) from exc
    commune = AdminUnit.objects.filter(pk=commune_id, level="commune").first()
    if commune is None or services.covering(request.user, commune.pk, timezone.localdate()) is None:
        raise Http404(_("Not found, or outside your area."))
    response = None
    if response_id is not None:
        response = SurveyResponse.objects.filter(pk=response_id, campaign=campaign, commune=commune).first()
        if response is None or response.collaborator.user_id != request.user.pk:
            raise Http404(_("Not found, or outside your area."))
    version = services.current_version(campaign.form)
    fields = engine.fields_of(version.fields)
    values = dict(response.values) if response else {}
    proposed = dict(response.proposed) if response else {}
    establishment_id = str(response.establishment_id or "") if response else ""
    errors: dict[str, str] = {}
    if request.method == "POST":
        values = _values_from_post(fields, request.POST)
        proposed = {name: request.POST.get(f"proposed.{name}", "") for name in PROPOSED_LABELS}
        establishment_id = request.POST.get("establishment", "")
        try:
            saved = surveys.response_save(
                user=request.user, campaign_id=campaign.pk, commune_id=commune.pk, values=values,
                establishment_id=_number(establishment_id), proposed=proposed,
                response_id=response.pk if response else None,
                expected_version=_number(request.POST.get("version")),
                submit=request.POST.get("action") == "submit",
            )  # fmt: skip
        except ApplicationError as exc:
            errors = exc.extra.get("errors") or ({exc.field: str(exc.message)} if exc.field else {})
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Sent.") if saved.status == "submitted" else _("Draft saved."))
            if saved.status == "submitted":
                return redirect("collaborators:survey", pk=campaign.pk)
            return redirect(
                "collaborators:survey_response", pk=campaign.pk, commune_id=commune.pk, response_id=saved.pk
            )
    editable = response is None or response.status == SurveyResponse.Status.DRAFT
    return render(
        request,
        "collaborators/survey_respond.html",
        {
            "campaign": campaign,
            "commune": commune,
            "response": response,
            "editable": editable,
            "widgets": _widgets(fields, values, errors),
            "errors": errors,
            "proposed": [
                (name, label, proposed.get(name, ""), errors.get(f"proposed.{name}", ""))
                for name, label in PROPOSED_LABELS.items()
            ],
            "legal_forms": LegalForm.choices,
            "establishment_id": establishment_id,
            "establishments": list(
                Establishment.objects.filter(commune=commune).order_by("name_folded").values_list("pk", "name")[:1000]
            ),
            "nav_active": "collaborators",
        },
    )
