"""Programmes, plans, allocations, money events and the plan-versus-actual figures over the API; writes go through
the same services as the pages, reads through the same selectors and the same parameter form."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.request import Request
from rest_framework.response import Response

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.parsing import query_id
from khuyencong.core.scoping import scope_queryset

from .. import selectors, services
from ..forms import ProgressForm
from ..models import MoneyEvent, Programme
from .serializers import (
    AnnualPlanSerializer,
    MoneyEventSerializer,
    PlanItemInputSerializer,
    PlanWriteSerializer,
    ProgrammeSerializer,
)


class ProgrammeViewSet(viewsets.ReadOnlyModelViewSet):
    """National and provincial khuyến công programmes with their targets."""

    serializer_class = ProgrammeSerializer
    queryset = Programme.objects.select_related("legal_document").prefetch_related("targets")

    @extend_schema(
        parameters=[OpenApiParameter("as_of", OpenApiTypes.STR, description="dd/mm/yyyy or yyyy-mm-dd; default today")],
        responses=OpenApiTypes.OBJECT,
    )
    @action(detail=True, methods=["get"], url_path="results", url_name="results")
    def results(self, request: Request, pk: str | None = None) -> Response:
        """Each target of the programme (the country's, and each province's part where it is split) with what the
        projects achieved up to `as_of` and the share achieved (unrounded decimal string); `restricted` says the
        achievements are those of the caller's area."""
        from django.utils import timezone

        from khuyencong.core.parsing import parse_date

        as_of = parse_date(request.query_params.get("as_of"), field="as_of") or timezone.localdate()
        found = selectors.programme_results(user=request.user, programme_id=pk, as_of=as_of)

        def number(value: Any) -> Any:
            return None if value is None else (str(value) if not isinstance(value, int) else value)

        return Response(
            {
                "programme": found.programme.pk,
                "as_of": as_of,
                "restricted": found.restricted,
                "targets": [
                    {
                        "indicator": r.indicator,
                        "name": r.name,
                        "unit": r.unit,
                        "province": r.province_id,
                        "fund": r.fund,
                        "target": r.target,
                        "achieved": number(r.achieved),
                        "share_pct": number(r.share_pct),
                    }
                    for r in found.rows
                ],  # fmt: skip
            }
        )


def _decision(data: dict) -> services.DecisionInput:
    return services.DecisionInput(
        number=data["decision_number"],
        date=data["decision_date"],
        signer=data["signer"],
        effective_on=data["effective_on"],
    )


def _allocations(data: dict) -> list[services.AllocationInput] | None:
    if "allocations" not in data:
        return None
    return [
        services.AllocationInput(
            a["amount_vnd"],
            a["province"].pk if a.get("province") else None,
            a["content"].pk if a.get("content") else None,
        )
        for a in data["allocations"]
    ]


class AnnualPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Annual plans with every version (approval and adjustments), their allocations and projects. POST creates a
    plan with its approval decision; `adjust` adds a version under its decision; `items` includes a project."""

    serializer_class = AnnualPlanSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.plan_queryset(user=self.request.user).prefetch_related(
            "versions__allocations", "versions__items"
        )

    @extend_schema(request=PlanWriteSerializer, responses={201: AnnualPlanSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = PlanWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data["total_vnd"] is None:
            raise ApplicationError(ErrorCode.INVALID, _("Give the plan's total."), field="total_vnd")
        plan = services.plan_create(
            user=request.user,
            fund=data["fund"],
            year=data["year"],
            province_id=data["province"].pk if data["province"] else None,
            title=data["title"],
            total_vnd=data["total_vnd"],
            decision=_decision(data),
            programme_id=data["programme"].pk if data["programme"] else None,
            allocations=_allocations(data),
        )
        return Response(AnnualPlanSerializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanWriteSerializer, responses={201: AnnualPlanSerializer})
    @action(detail=True, methods=["post"])
    def adjust(self, request: Request, pk: Any = None) -> Response:
        plan = self.get_object()
        serializer = PlanWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.plan_adjust(
            user=request.user,
            plan_id=plan.pk,
            decision=_decision(data),
            total_vnd=data["total_vnd"],
            allocations=_allocations(data),
            note=data["note"],
        )
        return Response(AnnualPlanSerializer(self.get_object()).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanItemInputSerializer, responses=AnnualPlanSerializer)
    @action(detail=True, methods=["post"])
    def items(self, request: Request, pk: Any = None) -> Response:
        plan = self.get_object()
        serializer = PlanItemInputSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.plan_item_set(
            user=request.user,
            plan_id=plan.pk,
            project_id=serializer.validated_data["project"].pk,
            approved_vnd=serializer.validated_data["approved_vnd"],
        )
        return Response(AnnualPlanSerializer(self.get_object()).data)


class MoneyEventViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Money events in the caller's scope (filter: `project`); POST records one through the checks."""

    serializer_class = MoneyEventSerializer

    def get_queryset(self) -> QuerySet:
        events = scope_queryset(MoneyEvent.objects.all(), self.request.user).order_by("occurred_on", "pk")
        project = query_id(self.request.query_params, "project")
        return events if project is None else events.filter(project_id=project)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event = services.money_event_record(
            user=request.user,
            project_id=data["project"].pk,
            kind=data["kind"],
            source=data["source"],
            amount_vnd=data["amount_vnd"],
            occurred_on=data["occurred_on"],
            reference=data.get("reference", ""),
            note=data.get("note", ""),
        )
        return Response(self.get_serializer(event).data, status=status.HTTP_201_CREATED)


@extend_schema(
    parameters=[
        OpenApiParameter(name, OpenApiTypes.STR, description=description)
        for name, description in (
            ("as_of", "date of the figures (dd/mm/yyyy or yyyy-mm-dd; default today)"),
            ("year_from", "first plan year"),
            ("year_to", "last plan year"),
            ("fund", "kcqg or kcdp (default both)"),
            ("region", "region id"),
            ("province", "province id"),
            ("commune", "commune id"),
            ("programme", "programme id"),
            ("content", "activity content id"),
            ("breakdown", "true: add the plan and the funds disbursed by province and by content"),
        )
    ],
    responses=OpenApiTypes.OBJECT,
)
@api_view(["GET"])
def plan_vs_actual(request: Request) -> Response:
    """Every plan-versus-actual figure for the scope, fund, programme, content, plan years and date: raw integers of
    đồng, unrounded rates as decimal strings, and the Vietnamese display strings."""
    form = ProgressForm(request.query_params, user=request.user)
    if not form.is_valid():
        errors = {name: [str(e) for e in messages] for name, messages in form.errors.items()}
        raise ApplicationError(ErrorCode.INVALID, "; ".join(sum(errors.values(), [])), extra={"errors": errors})
    result = selectors.plan_vs_actual(user=request.user, query=form.query())
    query = result.query
    return Response(
        {
            "scope": form.scope_label(),
            "as_of": query.as_of,
            "year_from": query.year_from,
            "year_to": query.year_to,
            "fund": query.fund,
            **result.as_dict(),
            "breakdown": _breakdown(selectors.plan_breakdown(user=request.user, query=query))
            if request.query_params.get("breakdown") in ("1", "true", "True", "yes")
            else None,
        }
    )


def _breakdown(breakdown: selectors.Breakdown | None) -> dict[str, Any] | None:
    """The plan and the funds disbursed by province and by content; `key` null is the part allocated to none."""
    if breakdown is None:
        return None

    def rows(lines: list[selectors.BreakdownRow]) -> list[dict[str, Any]]:
        return [
            {"key": r.key, "label": r.label, "planned_vnd": r.planned_vnd, "disbursed_vnd": r.disbursed_vnd,
             "progress_pct": None if r.progress_pct is None else str(r.progress_pct)}
            for r in lines
        ]  # fmt: skip

    return {
        "planned_vnd": breakdown.planned_vnd,
        "disbursed_vnd": breakdown.disbursed_vnd,
        "by_province": rows(breakdown.by_province),
        "by_content": rows(breakdown.by_content),
    }
