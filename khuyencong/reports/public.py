"""The transparency pages, open to everyone (no login), rate-limited and cached: approved and completed projects
with their province, content, khuyến công funds and counterpart capital, the headline figures and the map, and the
open data in CSV and JSON with documented fields. Nothing about persons or establishments is shown."""

import io
import json
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_page

from khuyencong.core import csvsafe
from khuyencong.core.formatting import format_ratio, ratio_of
from khuyencong.core.ratelimit import rate_limited
from khuyencong.geography.models import AdminUnit
from khuyencong.projects.selectors import PUBLIC_FIELDS, public_projects, public_row, public_totals

CACHE_SECONDS = 300


def _cached_totals() -> dict[str, Any]:
    """The headline figures, computed at most every `CACHE_SECONDS` (the data is cached, never a rendered page: a
    page carries the visitor's own menu and form token)."""
    from django.core.cache import cache

    totals = cache.get_or_set("public:totals", public_totals, CACHE_SECONDS)
    return totals if totals is not None else public_totals()


@rate_limited()
def public_home(request: HttpRequest) -> HttpResponse:
    totals = _cached_totals()
    provinces = AdminUnit.objects.filter(level="province", valid_to__isnull=True).order_by("name_folded")
    projects = public_projects(province_id=request.GET.get("province"), year=request.GET.get("year"))
    page = Paginator(projects, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "reports/public_home.html",
        {
            "totals": totals,
            "leverage": format_ratio(ratio_of(totals["counterpart_vnd"], totals["state_funds_vnd"])),
            "page_obj": page,
            "rows": [public_row(p) for p in page.object_list],
            "provinces": provinces,
            "map_rows": [
                {"code": p.code, "value": totals["by_province"].get(p.code, 0), "full_name": p.full_name, "id": p.pk}
                for p in provinces
            ],
            "chosen_province": request.GET.get("province", ""),
            "chosen_year": request.GET.get("year", ""),
        },
    )


@rate_limited()
def public_data(request: HttpRequest) -> HttpResponse:
    return render(request, "reports/public_data.html", {"fields": PUBLIC_FIELDS})


def _rows(request: HttpRequest) -> Any:
    for project in public_projects(province_id=request.GET.get("province"), year=request.GET.get("year")).iterator(
        chunk_size=2000
    ):
        yield public_row(project)


# The open data files carry nothing of the visitor's: they are cached whole, the same for everyone (the key ignores
# cookies on purpose).
@rate_limited()
@cache_page(CACHE_SECONDS)
def public_csv(request: HttpRequest) -> HttpResponse:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # so that Excel opens the Vietnamese text as UTF-8
    writer = csvsafe.dict_writer(buffer, fieldnames=PUBLIC_FIELDS)
    writer.writeheader()
    for row in _rows(request):
        writer.writerow(row)
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="de-an-khuyen-cong.csv"'
    return response


@rate_limited()
@cache_page(CACHE_SECONDS)
def public_json(request: HttpRequest) -> HttpResponse:
    body = json.dumps({"fields": list(PUBLIC_FIELDS), "projects": list(_rows(request))}, ensure_ascii=False)
    return HttpResponse(body, content_type="application/json; charset=utf-8")
