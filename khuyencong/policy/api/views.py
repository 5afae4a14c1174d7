"""Policy reference data over the API, read-only for every logged-in user (it is the law, not a record): legal
documents, activity contents with their validity, support items — so that every id other endpoints take can be
looked up by an integration."""

from typing import Any

import django_filters
from django.db.models import Q
from rest_framework import viewsets

from khuyencong.policy.models import ActivityContent, Indicator, LegalDocument, SupportItem

from .serializers import (
    ActivityContentSerializer,
    IndicatorSerializer,
    LegalDocumentSerializer,
    SupportItemSerializer,
)


def _in_force_on(queryset: Any, start: str, end: str, value: Any) -> Any:
    return queryset.filter(
        (Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": value}))
        & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": value}))
    )


class LegalDocumentFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=LegalDocument.Kind.choices)
    number = django_filters.CharFilter(lookup_expr="icontains")
    on = django_filters.DateFilter(method="filter_on", label="In force on this date")

    class Meta:
        model = LegalDocument
        fields = ["kind", "number", "on"]

    def filter_on(self, queryset: Any, name: str, value: Any) -> Any:
        return _in_force_on(queryset, "effective_from", "effective_to", value)


class ContentFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter()
    on = django_filters.DateFilter(method="filter_on", label="Only the wording in force on this date")

    class Meta:
        model = ActivityContent
        fields = ["code", "on"]

    def filter_on(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.valid_on(value)


class IndicatorFilterSet(django_filters.FilterSet):
    computed = django_filters.ChoiceFilter(
        choices=[("true", "true"), ("false", "false")], method="filter_computed", label="Computed from the data"
    )

    class Meta:
        model = Indicator
        fields = ["code", "unit", "computed"]

    def filter_computed(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(computed=value == "true")


class LegalDocumentViewSet(viewsets.ReadOnlyModelViewSet):
    """The legal documents the rules cite, with their dates and what they amend or replace."""

    serializer_class = LegalDocumentSerializer
    filterset_class = LegalDocumentFilterSet
    queryset = LegalDocument.objects.prefetch_related("amends", "replaces").order_by("-signed_on", "number", "pk")


class ActivityContentViewSet(viewsets.ReadOnlyModelViewSet):
    """Khuyến công activity contents: every wording of each content with its validity dates and legal basis (the
    figures treat the wordings of one code as one content)."""

    serializer_class = ActivityContentSerializer
    filterset_class = ContentFilterSet
    queryset = ActivityContent.objects.select_related("legal_document").order_by("code", "valid_from", "pk")


class SupportItemViewSet(viewsets.ReadOnlyModelViewSet):
    """Items of the support-level tables, each under its activity content."""

    serializer_class = SupportItemSerializer
    filterset_fields = ["content_code", "code"]
    queryset = SupportItem.objects.order_by("sort_order", "code", "pk")


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    """What projects, programmes and reports count: each indicator with its unit, contents, support items, validity
    and legal basis (the codes project targets and programme targets take)."""

    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    queryset = (
        Indicator.objects.select_related("legal_document")
        .prefetch_related("support_items")
        .order_by("sort_order", "code", "pk")
    )
