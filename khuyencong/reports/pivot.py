"""Pivot analysis: rows and columns chosen among year, region, province, commune, fund, content, legal form, industry
and status, one measure, totals, sorting, an .xlsx export and a URL that reopens the same view."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core.exceptions import ApplicationError
from khuyencong.core.formatting import format_money, format_number
from khuyencong.core.forms import YearField, style_widgets
from khuyencong.core.xlsx import XLSX_CONTENT_TYPE, titled_table
from khuyencong.establishments.choices import LegalForm
from khuyencong.geography.models import RegionMembership
from khuyencong.policy.models import ActivityContent, Fund, SupportItem
from khuyencong.policy.selectors import indicator_choices
from khuyencong.projects.choices import Status
from khuyencong.projects.selectors import project_pivot

DIMENSIONS = [
    ("year", gettext_lazy("Plan year")),
    ("region", gettext_lazy("Region")),
    ("province", gettext_lazy("Province")),
    ("commune", gettext_lazy("Commune")),
    ("fund", gettext_lazy("Fund")),
    ("content", gettext_lazy("Content")),
    ("status", gettext_lazy("Status")),
    ("legal_form", gettext_lazy("Legal form (beneficiaries)")),
    ("industry", gettext_lazy("Industry group (beneficiaries)")),
    ("support_item", gettext_lazy("Support item")),
]
MEASURES = [
    ("projects", gettext_lazy("Number of projects")),
    ("state_funds_vnd", gettext_lazy("Khuyến công funds (đ)")),
    ("counterpart_vnd", gettext_lazy("Counterpart capital (đ)")),
    ("beneficiaries", gettext_lazy("Number of beneficiaries")),
    ("establishments_supported", gettext_lazy("Establishments supported")),
    ("support_vnd", gettext_lazy("Support to beneficiaries (đ)")),
    ("target_planned", gettext_lazy("Indicator: planned")),
    ("target_achieved", gettext_lazy("Indicator: achieved")),
]
SORTS = [("label", gettext_lazy("By name")), ("-total", gettext_lazy("Largest total first"))]


def _indicators() -> list[tuple[str, Any]]:
    return [("", "—"), *indicator_choices()]


class PivotForm(forms.Form):
    rows = forms.ChoiceField(label=gettext_lazy("Rows"), choices=DIMENSIONS, initial="province")
    cols = forms.ChoiceField(label=gettext_lazy("Columns"), choices=DIMENSIONS, initial="year")
    measure = forms.ChoiceField(label=gettext_lazy("Measure"), choices=MEASURES, initial="projects")
    indicator = forms.ChoiceField(
        label=gettext_lazy("Indicator (for an indicator measure)"), choices=_indicators, required=False
    )
    year_from = YearField(label=gettext_lazy("Plan years from"), min_value=2000, max_value=2100, required=False)
    year_to = YearField(label=gettext_lazy("to"), min_value=2000, max_value=2100, required=False)
    fund = forms.ChoiceField(
        label=gettext_lazy("Fund"), choices=[("", gettext_lazy("Both funds")), *Fund.choices], required=False
    )
    sort = forms.ChoiceField(label=gettext_lazy("Sort"), choices=SORTS, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


@dataclass
class PivotTable:
    row_label: str
    col_label: str
    measure: str
    rows: list[str]
    cols: list[str]
    cells: dict[tuple[str, str], int]
    row_totals: dict[str, int]
    col_totals: dict[str, int]
    total: int

    def value(self, amount: int) -> str:
        return format_money(amount) if self.measure.endswith("_vnd") else format_number(amount)

    def footer(self) -> tuple[list[str], str]:
        return [self.value(self.col_totals[col]) for col in self.cols], self.value(self.total)

    def matrix(self) -> list[tuple[str, list[str], str]]:
        return [
            (row, [self.value(self.cells.get((row, col), 0)) for col in self.cols], self.value(self.row_totals[row]))
            for row in self.rows
        ]


def _labeller(dimension: str) -> Any:
    if dimension == "status":
        return lambda v: str(Status(v).label) if v in Status.values else "—"
    if dimension == "fund":
        return lambda v: str(Fund(v).label) if v in Fund.values else "—"
    if dimension == "legal_form":
        return lambda v: str(LegalForm(v).label) if v in LegalForm.values else "—"
    if dimension == "content":
        names = dict(ActivityContent.objects.values_list("code", "name"))
        return lambda v: f"{v}. {names.get(v, '')}" if v else _("No content")
    if dimension == "support_item":
        items = dict(SupportItem.objects.values_list("code", "name"))
        return lambda v: f"{v}. {items.get(v, '')}" if v else _("No support item")
    if dimension == "region":
        today = timezone.localdate()
        regions = (
            dict(
                RegionMembership.objects.filter(region__kind="khuyen_cong")
                .filter(valid_from__isnull=True)
                .values_list("province__code", "region__name")
            )
            or {}
        )
        regions |= dict(
            RegionMembership.objects.filter(region__kind="khuyen_cong", valid_from__lte=today)
            .exclude(valid_to__lt=today)
            .values_list("province__code", "region__name")
        )
        return lambda v: regions.get(v, "—")
    return lambda v: "—" if v in (None, "") else str(v)


def build_pivot(*, user: Any, data: dict[str, Any]) -> PivotTable:
    today = timezone.localdate()
    year_to = data.get("year_to") or today.year
    year_from = data.get("year_from") or year_to
    rows_dim, cols_dim, measure = data["rows"], data["cols"], data["measure"]
    grouped = project_pivot(
        user=user, dimensions=[rows_dim, cols_dim], measure=measure, year_from=year_from, year_to=year_to,
        fund=data.get("fund") or None, indicator=data.get("indicator") or None,
    )  # fmt: skip
    row_label, col_label = _labeller(rows_dim), _labeller(cols_dim)
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for (row_value, col_value), value in grouped:
        cells[(row_label(row_value), col_label(col_value))] += value
    row_totals: dict[str, int] = defaultdict(int)
    col_totals: dict[str, int] = defaultdict(int)
    for (row, col), value in cells.items():
        row_totals[row] += value
        col_totals[col] += value
    rows = sorted(row_totals, key=lambda r: (-row_totals[r], r)) if data.get("sort") == "-total" else sorted(row_totals)
    names = dict(DIMENSIONS)
    return PivotTable(
        row_label=str(names[rows_dim]),
        col_label=str(names[cols_dim]),
        measure=measure,
        rows=rows,
        cols=sorted(col_totals),
        cells=dict(cells),
        row_totals=dict(row_totals),
        col_totals=dict(col_totals),
        total=sum(row_totals.values()),
    )


def _form(request: HttpRequest) -> PivotForm:
    params = request.GET.copy()
    for name, field in PivotForm.base_fields.items():
        if field.initial is not None and not params.get(name):
            params[name] = field.initial
    return PivotForm(params)


@login_required
def pivot(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    table, error = None, None
    if form.is_valid():
        try:
            table = build_pivot(user=request.user, data=form.cleaned_data)
        except ApplicationError as exc:
            error = exc.message
    return render(
        request,
        "reports/pivot.html",
        {
            "form": form,
            "table": table,
            "error": error,
            "query": request.GET.urlencode(),
            "nav_active": "reports",
            "share_url": request.build_absolute_uri(),
        },  # fmt: skip
    )


@login_required
def pivot_xlsx(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    if not form.is_valid():
        return pivot(request)
    try:
        table = build_pivot(user=request.user, data=form.cleaned_data)
    except ApplicationError:
        return pivot(request)
    measure = str(dict(MEASURES)[table.measure])
    data = titled_table(
        f"{measure}: {table.row_label} × {table.col_label}",
        [table.row_label, *table.cols, _("Total")],
        ([row, *(table.cells.get((row, col), 0) for col in table.cols), table.row_totals[row]] for row in table.rows),
        total_row=[_("Total"), *(table.col_totals[col] for col in table.cols), table.total],
        sheet_name="Phan tich",
    )
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="phan-tich-{timezone.localdate():%Y%m%d}.xlsx"'
    return response
