"""Project serializers: they parse and show; the services validate and write (money is integer VND)."""

from typing import Any

from rest_framework import serializers

from khuyencong.policy.models import Fund

from ..choices import BudgetSource, Indicator, Kind, SelectionMethod
from ..models import Beneficiary, BudgetLine, Decision, Document, Project, Target, Transition
from ..services import BeneficiaryData, BudgetLineData, ProjectContent, TargetData


class BeneficiarySerializer(serializers.ModelSerializer):
    establishment_name = serializers.CharField(source="establishment.name", read_only=True)
    support_item: serializers.Field = serializers.SlugRelatedField(slug_field="code", read_only=True)
    support_item_id = serializers.IntegerField(required=False, allow_null=True)
    establishment_id = serializers.IntegerField()

    class Meta:
        model = Beneficiary
        fields = [
            "id", "establishment_id", "establishment_name", "support_item", "support_item_id", "eligible_cost_vnd",
            "support_vnd", "counterpart_vnd", "priority", "revenue_before_vnd", "employees_before",
            "revenue_year1_vnd", "employees_year1", "revenue_year2_vnd", "employees_year2",
        ]  # fmt: skip
        read_only_fields = [
            "revenue_before_vnd", "employees_before", "revenue_year1_vnd", "employees_year1", "revenue_year2_vnd",
            "employees_year2",
        ]  # fmt: skip


class BudgetLineSerializer(serializers.ModelSerializer):
    source = serializers.ChoiceField(choices=BudgetSource.choices)  # type: ignore[assignment]

    class Meta:
        model = BudgetLine
        fields = ["id", "item", "source", "planned_vnd", "approved_vnd", "settled_vnd"]
        read_only_fields = ["approved_vnd", "settled_vnd"]


class TargetSerializer(serializers.ModelSerializer):
    indicator = serializers.ChoiceField(choices=Indicator.choices)

    class Meta:
        model = Target
        fields = ["id", "indicator", "planned", "achieved"]
        read_only_fields = ["achieved"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "kind", "number", "signed_on", "signer", "issuer", "document"]


class TransitionSerializer(serializers.ModelSerializer):
    actor: serializers.Field = serializers.StringRelatedField()
    decision = DecisionSerializer(read_only=True)

    class Meta:
        model = Transition
        fields = ["id", "name", "from_status", "to_status", "actor", "at", "reason", "decision", "deadline", "late"]


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "stage", "uploaded_at"]


class ProjectSerializer(serializers.ModelSerializer):
    fund = serializers.ChoiceField(choices=Fund.choices)
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.NORMAL)
    selection_method = serializers.ChoiceField(choices=SelectionMethod.choices, default=SelectionMethod.REVIEW)
    province = serializers.IntegerField(source="province_id")
    commune = serializers.IntegerField(source="commune_id", required=False, allow_null=True)
    implementing_org = serializers.CharField(source="implementing_org_id")
    contents: serializers.Field = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    content_ids = serializers.ListField(child=serializers.IntegerField(), write_only=True, required=False)
    beneficiaries = BeneficiarySerializer(many=True, required=False)
    budget_lines = BudgetLineSerializer(many=True, required=False)
    targets = TargetSerializer(many=True, required=False)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Project
        fields = [
            "id", "code", "name", "fund", "kind", "plan_year", "end_year", "province", "commune", "location",
            "implementing_org", "selection_method", "objectives", "scale", "expected_effects", "contents",
            "content_ids", "status", "status_label", "status_changed_at", "version", "beneficiaries",
            "budget_lines", "targets",
        ]  # fmt: skip
        read_only_fields = ["code", "status", "status_changed_at"]
        extra_kwargs = {"end_year": {"required": False}}

    def to_content(self) -> ProjectContent:
        data: dict[str, Any] = dict(self.validated_data)
        fields: dict[str, Any] = {
            name: data.get(name)
            for name in (
                "name",
                "fund",
                "kind",
                "plan_year",
                "end_year",
                "location",
                "selection_method",
                "objectives",
                "scale",
                "expected_effects",
            )  # fmt: skip
            if name in data
        }
        fields["end_year"] = fields.get("end_year") or fields.get("plan_year")
        for name in ("province", "commune", "implementing_org"):
            if f"{name}_id" in data:
                fields[name] = data[f"{name}_id"]
        for text in ("location", "objectives", "scale", "expected_effects"):
            fields[text] = fields.get(text) or ""
        return ProjectContent(
            fields=fields,
            contents=data.get("content_ids"),
            beneficiaries=[
                BeneficiaryData(
                    establishment_id=b["establishment_id"],
                    support_item_id=b.get("support_item_id"),
                    eligible_cost_vnd=b.get("eligible_cost_vnd", 0),
                    support_vnd=b.get("support_vnd", 0),
                    counterpart_vnd=b.get("counterpart_vnd", 0),
                    priority=b.get("priority", False),
                )
                for b in data.get("beneficiaries", [])
            ],
            budget_lines=[
                BudgetLineData(line["item"], line["source"], line.get("planned_vnd", 0))
                for line in data.get("budget_lines", [])
            ],
            targets=[TargetData(t["indicator"], t.get("planned", 0)) for t in data.get("targets", [])],
        )


class StepSerializer(serializers.Serializer):
    """A lifecycle step: reason, decision (when the step needs one), expected version and the step's figures."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(required=False, allow_blank=True, default="")
    decision_signed_on = serializers.DateField(required=False, allow_null=True, default=None)
    decision_signer = serializers.CharField(required=False, allow_blank=True, default="")
    decision_issuer = serializers.CharField(required=False, allow_blank=True, default="")
    decision_document = serializers.IntegerField(required=False, allow_null=True, default=None)
    expected_version = serializers.IntegerField(required=False, allow_null=True, default=None)
    approved = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False)
    settled = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False)
    achieved = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False)
    scale = serializers.CharField(required=False)
    changes = serializers.DictField(required=False)
