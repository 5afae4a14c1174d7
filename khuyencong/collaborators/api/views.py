"""Report forms, collaborators, the reports owed, submissions (draft, submit and the province's review steps as
actions) and completeness over the API, through the same services and selectors as the pages."""

import datetime
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.parsing import check_date, query_id

from .. import selectors, services
from ..models import ReportForm
from .serializers import (
    CollaboratorSerializer,
    CommentSerializer,
    ExpectedReportsSerializer,
    ReportFormSerializer,
    ReportInputSerializer,
    SavedSerializer,
    SubmissionSerializer,
)


class ReportFormViewSet(viewsets.ReadOnlyModelViewSet):
    """Report forms with every version of their fields and rules."""

    serializer_class = ReportFormSerializer
    lookup_field = "code"
    queryset = ReportForm.objects.filter(is_active=True).prefetch_related("versions")


class CollaboratorViewSet(viewsets.ReadOnlyModelViewSet):
    """Collaborators of the caller's area with the communes they cover."""

    serializer_class = CollaboratorSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.collaborator_queryset(user=self.request.user).prefetch_related("coverages__commune")


def _saved(saved: services.Saved) -> dict[str, Any]:
    submission = saved.submission
    return {
        "id": submission.pk,
        "status": submission.status,
        "version": submission.version,
        "saved_at": submission.saved_at,
        "form_version": submission.form_version.number,
        "notice": saved.notice,
        "errors": saved.errors,
    }


class SubmissionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Reports of the caller's area. `draft` saves what was typed (kept as typed, with the problems found);
    `submit` submits once per `submit_key`; `return` (with a comment), `accept`, `approve` and `reopen` (with the
    reason) are the province's steps."""

    serializer_class = SubmissionSerializer

    def get_queryset(self) -> QuerySet:
        queryset = selectors.submission_queryset(user=self.request.user).prefetch_related("reviews__actor")
        params = self.request.query_params
        if params.get("form"):
            queryset = queryset.filter(form__code=params["form"])
        if params.get("status"):
            queryset = queryset.filter(status=params["status"])
        return queryset.order_by("-period_start", "commune__code")

    def get_object(self) -> Any:
        return selectors.submission_get(user=self.request.user, pk=self.kwargs["pk"])

    def _input(self, request: Request) -> dict[str, Any]:
        serializer = ReportInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        form = selectors.form_get(data["form"])
        return {
            "user": request.user,
            "form_id": form.pk,
            "commune_id": data["commune"].pk,
            "period_start": data["period"],
            "values": data["values"],
            "expected_version": data.get("expected_version"),
            "key": data.get("submit_key", ""),
        }

    @extend_schema(request=ReportInputSerializer, responses=SavedSerializer)
    @action(detail=False, methods=["post"])
    def draft(self, request: Request) -> Response:
        data = self._input(request)
        data.pop("key")
        return Response(_saved(services.draft_save(**data)))

    @extend_schema(request=ReportInputSerializer, responses=SavedSerializer)
    @action(detail=False, methods=["post"])
    def submit(self, request: Request) -> Response:
        data = self._input(request)
        data["submit_key"] = data.pop("key")
        return Response(_saved(services.report_submit(**data)))

    def _step(self, request: Request, pk: Any, name: str) -> Response:
        serializer = CommentSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        submission_id = selectors.submission_get(user=request.user, pk=pk).pk
        version = data.get("expected_version")
        comment = data.get("comment", "")
        if name == "return":
            services.report_return(user=request.user, submission_id=submission_id, comment=comment,
                                   expected_version=version)  # fmt: skip
        elif name == "accept":
            services.report_accept(user=request.user, submission_id=submission_id, expected_version=version)
        elif name == "approve":
            services.report_approve(user=request.user, submission_id=submission_id, expected_version=version)
        else:
            services.report_reopen(user=request.user, submission_id=submission_id, reason=comment,
                                   expected_version=version)  # fmt: skip
        return Response(SubmissionSerializer(selectors.submission_get(user=request.user, pk=pk)).data)

    @extend_schema(request=CommentSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, pk, "return")

    @extend_schema(request=CommentSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, pk, "accept")

    @extend_schema(request=CommentSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, pk, "approve")

    @extend_schema(request=CommentSerializer, responses=SubmissionSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: Any = None) -> Response:
        return self._step(request, pk, "reopen")


PERIOD_PARAMETERS = [
    OpenApiParameter("form", str, description="form code, e.g. ctv-quy"),
    OpenApiParameter("first", OpenApiTypes.DATE, description="first period (a day in it); a year ago by default"),
    OpenApiParameter("last", OpenApiTypes.DATE, description="last period (a day in it); today by default"),
    OpenApiParameter("province", int, description="a province's communes (national users)"),
]


def _period_query(request: Request) -> tuple[ReportForm, datetime.date, datetime.date, int | None]:
    from django.utils.translation import gettext as _

    form = selectors.form_get(request.query_params.get("form") or "ctv-quy")
    today = timezone.localdate()
    params = request.query_params
    try:
        first = (
            datetime.date.fromisoformat(params["first"]) if params.get("first") else today.replace(year=today.year - 1)
        )
        last = datetime.date.fromisoformat(params["last"]) if params.get("last") else today
    except ValueError as exc:
        raise ApplicationError(ErrorCode.INVALID, _("Give dates as YYYY-MM-DD."), field="first") from exc
    check_date(first, field="first")
    check_date(last, field="last")
    return form, first, last, query_id(request.query_params, "province")


@extend_schema(parameters=PERIOD_PARAMETERS, responses=OpenApiTypes.OBJECT)
@api_view(["GET"])
def completeness(request: Request) -> Response:
    """Reports expected, received, received on time and approved by province (national users) or commune, and
    period, with completeness (received ÷ expected) and timeliness (on time ÷ received) in percent."""
    form, first, last, province = _period_query(request)
    board = selectors.completeness(user=request.user, form=form, first=first, last=last, province_id=province)
    return Response(selectors.completeness_as_dict(board))


@extend_schema(parameters=PERIOD_PARAMETERS, responses=ExpectedReportsSerializer)
@api_view(["GET"])
def expected_reports(request: Request) -> Response:
    """Every report expected of the caller's communes (a collaborator's, or a province's) in the periods, with
    its due date and where it stands (missing, draft, submitted, returned, accepted, approved)."""
    form, first, last, province = _period_query(request)
    rows = selectors.expected_reports(user=request.user, form=form, first=first, last=last, province_id=province)
    return Response({"form": form.code, "results": rows})
