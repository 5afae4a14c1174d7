from rest_framework import serializers

from khuyencong.core.api.fields import DateField, MoneyField, YearField
from khuyencong.core.api.scoped import ReferenceRelatedField, ScopedPrimaryKeyRelatedField
from khuyencong.geography.selectors import provinces_for
from khuyencong.policy.models import ActivityContent
from khuyencong.projects.selectors import project_queryset

from ..models import Allocation, AnnualPlan, MoneyEvent, PlanItem, PlanVersion, Programme, ProgrammeTarget
from ..selectors import programmes_for


class ProgrammeTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeTarget
        fields = ["indicator", "province", "fund", "value", "note"]
        read_only_fields = fields


class ProgrammeSerializer(serializers.ModelSerializer):
    targets = ProgrammeTargetSerializer(many=True, read_only=True)
    decision = serializers.SerializerMethodField()

    class Meta:
        model = Programme
        fields = ["id", "code", "name", "level", "province", "start_year", "end_year", "decision", "total_vnd",
                  "uncertain", "note", "targets"]  # fmt: skip
        read_only_fields = fields

    def get_decision(self, programme: Programme) -> str | None:
        """The approving decision's number: the one entered with the programme, else its legal document's."""
        if programme.decision_number:
            return programme.decision_number
        return programme.legal_document.number if programme.legal_document is not None else None


class AllocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Allocation
        fields = ["province", "content", "amount_vnd"]
        read_only_fields = fields


class PlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["project", "approved_vnd"]
        read_only_fields = fields


class PlanVersionSerializer(serializers.ModelSerializer):
    allocations = AllocationSerializer(many=True, read_only=True)
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["number", "kind", "decision_number", "decision_date", "signer", "effective_on", "total_vnd", "note",
                  "allocations", "items"]  # fmt: skip
        read_only_fields = fields


class AnnualPlanSerializer(serializers.ModelSerializer):
    versions = PlanVersionSerializer(many=True, read_only=True)

    class Meta:
        model = AnnualPlan
        fields = ["id", "fund", "year", "province", "programme", "title", "versions"]
        read_only_fields = fields


class AllocationInputSerializer(serializers.Serializer):
    province = ScopedPrimaryKeyRelatedField(selector=provinces_for, required=False, allow_null=True)
    content = ReferenceRelatedField(queryset=ActivityContent.objects.all(), required=False, allow_null=True)
    amount_vnd = MoneyField()


class PlanWriteSerializer(serializers.Serializer):
    """A plan with its approval decision (create), or an adjustment (only the decision, total and allocations)."""

    fund = serializers.CharField(required=False, default="")
    year = YearField(min_value=2000, required=False, allow_null=True, default=None)
    province = ScopedPrimaryKeyRelatedField(selector=provinces_for, required=False, allow_null=True, default=None)
    programme = ScopedPrimaryKeyRelatedField(selector=programmes_for, required=False, allow_null=True, default=None)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    total_vnd = MoneyField(required=False, allow_null=True, default=None)
    decision_number = serializers.CharField(required=False, allow_blank=True, default="")
    decision_date = DateField(required=False, allow_null=True, default=None)
    signer = serializers.CharField(required=False, allow_blank=True, default="")
    effective_on = DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    allocations = AllocationInputSerializer(many=True, required=False)


class PlanItemInputSerializer(serializers.Serializer):
    project = ScopedPrimaryKeyRelatedField(selector=project_queryset)
    approved_vnd = MoneyField(allow_null=True, help_text="null removes the project from the plan")


class MoneyEventSerializer(serializers.ModelSerializer):
    project = ScopedPrimaryKeyRelatedField(selector=project_queryset)
    amount_vnd = MoneyField()

    class Meta:
        model = MoneyEvent
        fields = ["id", "project", "kind", "source", "amount_vnd", "occurred_on", "reference", "note", "fund",
                  "province", "plan_year", "created_at"]  # fmt: skip
        read_only_fields = ["fund", "province", "plan_year", "created_at"]
