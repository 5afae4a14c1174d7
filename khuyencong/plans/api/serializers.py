from rest_framework import serializers

from ..models import Allocation, AnnualPlan, MoneyEvent, PlanItem, PlanVersion, Programme, ProgrammeTarget


class ProgrammeTargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeTarget
        fields = ["indicator", "fund", "value", "note"]


class ProgrammeSerializer(serializers.ModelSerializer):
    targets = ProgrammeTargetSerializer(many=True, read_only=True)
    decision: serializers.Field = serializers.CharField(source="legal_document.number", default=None, read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "code", "name", "level", "province", "start_year", "end_year", "decision", "total_vnd",
                  "uncertain", "note", "targets"]  # fmt: skip


class AllocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Allocation
        fields = ["province", "content", "amount_vnd"]


class PlanItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlanItem
        fields = ["project", "approved_vnd"]


class PlanVersionSerializer(serializers.ModelSerializer):
    allocations = AllocationSerializer(many=True, read_only=True)
    items = PlanItemSerializer(many=True, read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["number", "kind", "decision_number", "decision_date", "signer", "effective_on", "total_vnd", "note",
                  "allocations", "items"]  # fmt: skip


class AnnualPlanSerializer(serializers.ModelSerializer):
    versions = PlanVersionSerializer(many=True, read_only=True)

    class Meta:
        model = AnnualPlan
        fields = ["id", "fund", "year", "province", "programme", "title", "versions"]


class AllocationInputSerializer(serializers.Serializer):
    province = serializers.IntegerField(required=False, allow_null=True)
    content = serializers.IntegerField(required=False, allow_null=True)
    amount_vnd = serializers.IntegerField()


class PlanWriteSerializer(serializers.Serializer):
    """A plan with its approval decision (create), or an adjustment (only the decision, total and allocations)."""

    fund = serializers.CharField(required=False, default="")
    year = serializers.IntegerField(required=False, default=0)
    province = serializers.IntegerField(required=False, allow_null=True, default=None)
    programme = serializers.IntegerField(required=False, allow_null=True, default=None)
    title = serializers.CharField(required=False, allow_blank=True, default="")
    total_vnd = serializers.IntegerField(required=False, allow_null=True, default=None)
    decision_number = serializers.CharField(required=False, allow_blank=True, default="")
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)
    signer = serializers.CharField(required=False, allow_blank=True, default="")
    effective_on = serializers.DateField(required=False, allow_null=True, default=None)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    allocations = AllocationInputSerializer(many=True, required=False)


class PlanItemInputSerializer(serializers.Serializer):
    project = serializers.IntegerField()
    approved_vnd = serializers.IntegerField(allow_null=True)


class MoneyEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = MoneyEvent
        fields = ["id", "project", "kind", "source", "amount_vnd", "occurred_on", "reference", "note", "fund",
                  "province", "plan_year", "created_at"]  # fmt: skip
        read_only_fields = ["fund", "province", "plan_year", "created_at"]
