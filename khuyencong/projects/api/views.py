"""Projects over the API: the list takes the list page's filters; content writes and every lifecycle step go
through the same services as the pages (steps are actions: POST /projects/{id}/steps/{name}/)."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.core.exceptions import ApplicationError, ErrorCode

from .. import selectors, services, workflow
from ..filtersets import ProjectFilterSet
from .serializers import (
    DocumentSerializer,
    DocumentUploadSerializer,
    ProjectSerializer,
    StepOptionSerializer,
    StepSerializer,
    TransitionSerializer,
)


class ProjectViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Khuyến công projects (đề án) in the caller's scope. Filters: q, year, fund, status, content, province,
    implementing_org, overdue."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    def get_queryset(self) -> QuerySet:
        return (
            selectors.project_queryset(user=self.request.user)
            .select_related(*selectors.LIST_RELATED)
            .prefetch_related(
                "contents", "beneficiaries__establishment", "beneficiaries__support_item", "budget_lines", "targets"
            )
        )

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        if self.action != "list":
            return queryset
        return selectors.project_list(user=self.request.user, params=self.request.query_params).prefetch_related(
            "contents", "beneficiaries__establishment", "beneficiaries__support_item", "budget_lines", "targets"
        )

    def get_object(self) -> Any:
        return selectors.project_get(user=self.request.user, pk=self.kwargs["pk"])

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = ProjectSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        project = services.project_create(user=request.user, content=serializer.to_content(), reason="API")
        return Response(self.get_serializer(project).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if kwargs.get("partial"):
            raise ApplicationError(ErrorCode.INVALID, _("Send the whole project with PUT: its tables are replaced."))
        project = self.get_object()
        serializer = ProjectSerializer(project, data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        updated = services.project_update(
            user=request.user,
            project_id=project.pk,
            content=serializer.to_content(),
            expected_version=serializer.validated_data.get("version", project.version),
            reason="API",
        )
        return Response(self.get_serializer(updated).data)

    @extend_schema(responses=TransitionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def timeline(self, request: Request, pk: Any = None) -> Response:
        project = self.get_object()
        return Response(TransitionSerializer(selectors.timeline(project), many=True).data)

    @extend_schema(responses=StepOptionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def steps(self, request: Request, pk: Any = None) -> Response:
        """The steps the caller may take now."""
        project = self.get_object()
        return Response(StepOptionSerializer(workflow.available_steps(request.user, project), many=True).data)

    @extend_schema(request=StepSerializer, responses={201: TransitionSerializer})
    @action(detail=True, methods=["post"], url_path=r"steps/(?P<name>[a-z_]+)")
    def step(self, request: Request, pk: Any = None, name: str = "") -> Response:
        """Take a lifecycle step."""
        project = self.get_object()
        serializer = StepSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision = None
        if data.get("decision_number") or data.get("decision_signed_on"):
            decision = workflow.DecisionData(
                number=data["decision_number"],
                signed_on=data["decision_signed_on"],
                signer=data["decision_signer"],
                issuer=data["decision_issuer"],
                document_id=data["decision_document"].pk if data["decision_document"] else None,
            )
        extra = {key: data[key] for key in ("approved", "settled", "achieved", "scale", "changes") if key in data}
        transition = workflow.project_transition(
            user=request.user,
            project_id=project.pk,
            name=name,
            data=workflow.StepInput(
                reason=data["reason"], decision=decision, expected_version=data["expected_version"], extra=extra
            ),
        )
        return Response(TransitionSerializer(transition).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses=DocumentSerializer(many=True))
    @extend_schema(methods=["POST"], request=DocumentUploadSerializer, responses={201: DocumentSerializer})
    @action(
        detail=True,
        methods=["get", "post"],
        parser_classes=[parsers.MultiPartParser],
        pagination_class=None,
        filter_backends=[],
    )
    def documents(self, request: Request, pk: Any = None) -> Response:
        """The project's documents; POST a multipart `file` with its `kind` to attach one."""
        project = self.get_object()
        if request.method == "GET":
            return Response(DocumentSerializer(selectors.documents_of(project), many=True).data)
        upload = request.FILES.get("file")
        if upload is None:
            raise ApplicationError(ErrorCode.FILE_REFUSED, _("Choose the file to attach."), field="file")
        document = services.document_upload(
            user=request.user,
            project_id=project.pk,
            kind=str(request.POST.get("kind", "")),
            stream=upload,
            name=upload.name or "",
            size=upload.size or 0,
        )
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)
