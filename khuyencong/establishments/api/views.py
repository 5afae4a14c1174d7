"""Establishments over the API: the list takes the same filters as the list page; writes go through the services."""

from typing import Any

from django.db.models import QuerySet
from rest_framework import mixins, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.establishments import selectors, services
from khuyencong.establishments.filtersets import EstablishmentFilterSet

from .serializers import EstablishmentSerializer


class EstablishmentViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Rural industrial establishments in the caller's scope. Filters: q, province, commune, legal_form, industry,
    craft_village, status, size, sort (the list page's)."""

    serializer_class = EstablishmentSerializer
    filterset_class = EstablishmentFilterSet

    def get_queryset(self) -> QuerySet:
        return selectors.establishment_queryset(user=self.request.user).select_related(*selectors.LIST_RELATED)

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return selectors.establishment_list(user=self.request.user, params=self.request.query_params)

    def get_object(self) -> Any:
        return selectors.establishment_get(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data.pop("version", None)
        establishment = services.establishment_create(user=request.user, data=data, reason="API")
        return Response(self.get_serializer(establishment).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        establishment = self.get_object()
        serializer = self.get_serializer(establishment, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        version = data.pop("version", establishment.version)
        updated = services.establishment_update(
            user=request.user, establishment_id=establishment.pk, data=data, expected_version=version, reason="API"
        )
        return Response(self.get_serializer(updated).data)
