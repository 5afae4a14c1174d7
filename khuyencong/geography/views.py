"""Pages of administrative units: list and search, detail with successors and history, the commune picker."""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from khuyencong.core.views import ObjectDetailView, ObjectHistoryView, ObjectListView

from . import selectors
from .choices import UnitLevel


class UnitListView(ObjectListView):
    template_name = "geography/unit_list.html"
    table_template = "geography/unit_table.html"
    title = _("Administrative units")

    def get_queryset(self, request: HttpRequest) -> Any:
        query = request.GET.get("q", "")
        level = request.GET.get("level", "") if request.GET.get("level") in UnitLevel.values else ""
        era = request.GET.get("era", "current")
        current_only = era == "current"
        if query:
            qs = selectors.unit_search(query=query, level=level, current_only=current_only)
        else:
            qs = selectors.current_units(level=level) if current_only else selectors.unit_list(level=level)
            qs = qs.order_by("level", "code")
        if era == "old":
            qs = qs.filter(valid_to__isnull=False)
        return qs

    def get_extra_context(self, request: HttpRequest) -> dict:
        return {
            "levels": UnitLevel.choices,
            "level": request.GET.get("level", ""),
            "era": request.GET.get("era", "current"),
            "nav_active": "geography",
        }


class UnitDetailView(ObjectDetailView):
    template_name = "geography/unit_detail.html"

    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return selectors.unit_get(pk=kwargs["pk"])

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict:
        return {
            "successors": selectors.current_successors(obj) if obj.valid_to else [],
            "predecessors": selectors.predecessors(obj)[:200],
            "children": obj.children.order_by("code")[:500],
            "children_count": obj.children.count(),
            "type_periods": obj.type_periods.order_by("valid_from"),
            "regions": obj.region_memberships.select_related("region").order_by("region__kind"),
            "nav_active": "geography",
        }


class UnitHistoryView(ObjectHistoryView):
    def get_object(self, request: HttpRequest, **kwargs: Any) -> Any:
        return selectors.unit_get(pk=kwargs["pk"])

    def get_extra_context(self, request: HttpRequest, obj: Any) -> dict:
        return {**super().get_extra_context(request, obj), "object_template": "geography/unit_detail.html"}


@login_required
def commune_picker(request: HttpRequest) -> HttpResponse:
    """htmx fragment: current communes in the user's scope matching what was typed (diacritics optional)."""
    query = request.GET.get("q", "").strip()[:100]
    results = selectors.commune_choices_for(user=request.user, query=query) if len(query) >= 2 else []
    return render(
        request,
        "geography/commune_picker_results.html",
        {"results": results, "query": query, "field": request.GET.get("field", "commune")},
    )


@login_required
def commune_picker_page(request: HttpRequest) -> HttpResponse:
    """A page that shows the picker on its own (find a commune, then open it)."""
    return render(request, "geography/commune_find.html", {"nav_active": "geography"})


def home(request: HttpRequest) -> HttpResponse:
    """The overview page: the 34 provinces on a map coloured by a live figure (here, their number of communes)."""
    provinces = selectors.provinces_with_commune_counts()
    return render(
        request,
        "core/home.html",
        {
            "provinces": provinces,
            "commune_total": sum(p["value"] for p in provinces),
            "map_title": _("Communes per province"),
            "nav_active": "home",
        },
    )
