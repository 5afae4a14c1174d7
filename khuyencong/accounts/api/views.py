from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.accounts import selectors

from .serializers import MeSerializer, OrganisationSerializer


@extend_schema(responses=MeSerializer)
@api_view(["GET"])
def me(request: Request) -> Response:
    """The logged-in user with their role, organisation and geographic scope."""
    return Response(MeSerializer(request.user).data)


class OrganisationViewSet(viewsets.ReadOnlyModelViewSet):
    """Organisations in the caller's scope; others answer 404."""

    serializer_class = OrganisationSerializer

    def get_queryset(self) -> Any:
        return selectors.organisation_list(user=self.request.user, query=self.request.query_params.get("q", ""))

    def get_object(self) -> Any:
        return selectors.organisation_get(user=self.request.user, pk=self.kwargs["pk"])
