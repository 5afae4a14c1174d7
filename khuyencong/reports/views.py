"""The dashboard: headline figures, charts with their tables, and a map of the provinces that drills down to the
communes of one province, all for the user's scope; the same figures as JSON at /api/v1/dashboard/."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from khuyencong.geography.models import AdminUnit
from khuyencong.plans.forms import ProgressForm

from . import selectors


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
