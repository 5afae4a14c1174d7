"""Administrative units over the API: list and search, retrieve, the unit in force at a date, successors."""

from typing import Any

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.core.text import fold_words
from khuyencong.geography import selectors
from khuyencong.geography.choices import UnitLevel, UnitType
from khuyencong.geography.models import AdminUnit, Region, RegionMembership

from .serializers import AdminUnitBriefSerializer, AdminUnitSerializer, RegionSerializer, UnitAtQuerySerializer


class AdminUnitFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_q", label="Search (diacritics optional)")
    level = django_filters.ChoiceFilter(choices=UnitLevel.choices)
    unit_type = django_filters.ChoiceFilter(choices=UnitType.choices)
    code = django_filters.CharFilter()
    province = django_filters.CharFilter(field_name="province__code", label="Province code")
    current = django_filters.BooleanFilter(method="filter_current", label="Only units in force today")
    on = django_filters.DateFilter(method="filter_on", label="Units in force on this date")

    class Meta:
        model = AdminUnit
        fields = ["q", "level", "unit_type", "code", "province", "current", "on"]

    def filter_q(self, queryset: Any, name: str, value: str) -> Any:
        for word in fold_words(value):
            queryset = queryset.filter(path_folded__contains=word)
        return queryset

    def filter_current(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        return queryset.filter(valid_to__isnull=value)

    def filter_on(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(
            (Q(valid_from__isnull=True) | Q(valid_from__lte=value))
            & (Q(valid_to__isnull=True) | Q(valid_to__gte=value))
        )


class AdminUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Administrative units before and after 1/7/2025 (public reference data for every logged-in user)."""

    serializer_class = AdminUnitSerializer
    filterset_class = AdminUnitFilterSet

    def get_queryset(self) -> Any:
        return selectors.unit_list().order_by("level", "code", "valid_from")

    def get_object(self) -> AdminUnit:
        return selectors.unit_get(pk=self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter("code", str, required=True),
            OpenApiParameter("date", str, required=True, description="yyyy-mm-dd or dd/mm/yyyy"),
            OpenApiParameter("level", str, required=False),
        ],
        responses=AdminUnitSerializer,
    )
    @action(detail=False, methods=["get"])
    def at(self, request: Request) -> Response:
        """The unit that had this official code on this date (404 with a message if none)."""
        query = UnitAtQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        unit = selectors.unit_at(
            query.validated_data["code"], query.validated_data["date"], level=query.validated_data["level"]
        )
        return Response(AdminUnitSerializer(unit).data)

    @extend_schema(responses=AdminUnitBriefSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def successors(self, request: Request, pk: str | None = None) -> Response:
        """The current units that took over this unit (itself if it is current), primary first."""
        unit = self.get_object()
        return Response(AdminUnitBriefSerializer(selectors.current_successors(unit), many=True).data)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    """Regions (the six socio-economic regions, the three khuyến công regions) with their provinces and the dates
    each belonged (public reference data)."""

    serializer_class = RegionSerializer
    filterset_fields = ["kind", "code"]
    queryset = Region.objects.prefetch_related(
        Prefetch(
            "memberships",
            queryset=RegionMembership.objects.select_related("province").order_by("province__code", "valid_from"),
        )
    ).order_by("kind", "sort_order", "pk")
