"""Project serializers: they parse and show; the services validate and write (money is integer VND)."""

from typing import Any

from rest_framework import serializers

from khuyencong.accounts.selectors import organisations_for
from khuyencong.core.api.fields import DateField, IntegerField, MoneyField, YearField
from khuyencong.core.api.scoped import ReferenceRelatedField, ReferenceSlugRelatedField, ScopedPrimaryKeyRelatedField
from khuyencong.establishments.selectors import establishment_queryset
from khuyencong.geography.selectors import communes_for, provinces_for
from khuyencong.policy.models import ActivityContent, Fund, Indicator, SupportItem

from ..choices import BudgetSource, DocumentKind, Kind, SelectionMethod
from ..models import Beneficiary, BudgetLine, Decision, Document, Project, Target, Transition
from ..selectors import documents_for
from ..services import BeneficiaryData, BudgetLineData, ProjectContent, TargetData

#: The most a target may plan or achieve (the services' bound).
MAX_TARGET = 10_000_000


class BeneficiarySerializer(serializers.ModelSerializer):
    establishment_name = serializers.CharField(source="establishment.name", read_only=True)
    support_item: serializers.Field = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    support_item_id = ReferenceRelatedField(
        source="support_item", queryset=SupportItem.objects.all(), required=False, allow_null=True
    )
    establishment_id = ScopedPrimaryKeyRelatedField(source="establishment", selector=establishment_queryset)
    eligible_cost_vnd = MoneyField(required=False)
    support_vnd = MoneyField(required=False)
    counterpart_vnd = MoneyField(required=False)

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
    planned_vnd = MoneyField(required=False)

    class Meta:
        model = BudgetLine
        fields = ["id", "item", "source", "planned_vnd", "approved_vnd", "settled_vnd"]
        read_only_fields = ["approved_vnd", "settled_vnd"]


class TargetSerializer(serializers.ModelSerializer):
    indicator = ReferenceSlugRelatedField(
        slug_field="code", queryset=Indicator.objects.filter(computed=False),
        help_text="An indicator's code (GET /api/v1/policy/indicators/)",
    )  # fmt: skip
    planned = IntegerField(required=False, max_value=MAX_TARGET)

    class Meta:
        model = Target
        fields = ["id", "indicator", "planned", "achieved", "achieved_on"]
        read_only_fields = ["achieved", "achieved_on"]


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Decision
        fields = ["id", "kind", "number", "signed_on", "signer", "issuer", "document"]
        read_only_fields = fields


class TransitionSerializer(serializers.ModelSerializer):
    actor: serializers.Field = serializers.StringRelatedField(allow_null=True)
    decision = DecisionSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Transition
        fields = ["id", "name", "from_status", "to_status", "actor", "at", "reason", "decision", "deadline", "late"]
        read_only_fields = fields


class StepOptionSerializer(serializers.Serializer):
    """A lifecycle step the caller may take now (POST /projects/{id}/steps/{name}/ takes it)."""

    name = serializers.CharField(read_only=True)
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # a field named like the attribute
    decision = serializers.CharField(
        read_only=True, allow_null=True, help_text="The kind of decision the step records, or null."
    )
    reason_required = serializers.BooleanField(read_only=True)


class DocumentUploadSerializer(serializers.Serializer):
    """A document to attach (multipart): the file and its kind."""

    file = serializers.FileField(help_text="PDF, DOCX, XLSX, JPEG or PNG, up to 25 MB (checked by content).")
    kind = serializers.ChoiceField(choices=DocumentKind.choices)


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "kind", "original_name", "content_type", "size", "sha256", "stage", "uploaded_at"]
        read_only_fields = fields


class ProjectSerializer(serializers.ModelSerializer):
    fund = serializers.ChoiceField(choices=Fund.choices)
    kind = serializers.ChoiceField(choices=Kind.choices, default=Kind.NORMAL)
    selection_method = serializers.ChoiceField(choices=SelectionMethod.choices, default=SelectionMethod.REVIEW)
    plan_year = YearField(min_value=2000)
    end_year = YearField(min_value=2000, required=False)
    province = ScopedPrimaryKeyRelatedField(selector=provinces_for)
    commune = ScopedPrimaryKeyRelatedField(selector=communes_for, required=False, allow_null=True)
    implementing_org = ScopedPrimaryKeyRelatedField(selector=organisations_for)
    contents: serializers.Field = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    content_ids = ReferenceRelatedField(
        queryset=ActivityContent.objects.all(), many=True, write_only=True, required=False
    )
    beneficiaries = BeneficiarySerializer(many=True, required=False)
    budget_lines = BudgetLineSerializer(many=True, required=False)
    targets = TargetSerializer(many=True, required=False)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    version = IntegerField(required=False)

    class Meta:
        model = Project
        fields = [
            "id", "code", "name", "fund", "kind", "plan_year", "end_year", "province", "commune", "location",
            "implementing_org", "selection_method", "objectives", "scale", "expected_effects", "contents",
            "content_ids", "status", "status_label", "status_changed_at", "version", "beneficiaries",
            "budget_lines", "targets",
        ]  # fmt: skip
        read_only_fields = ["code", "status", "status_changed_at"]

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
            if name in data:
                fields[name] = data[name]
        for text in ("location", "objectives", "scale", "expected_effects"):
            fields[text] = fields.get(text) or ""
        return ProjectContent(
            fields=fields,
            contents=[content.pk for content in data["content_ids"]] if "content_ids" in data else None,
            beneficiaries=[
                BeneficiaryData(
                    establishment_id=b["establishment"].pk,
                    support_item_id=b["support_item"].pk if b.get("support_item") else None,
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
            targets=[TargetData(t["indicator"].code, t.get("planned", 0)) for t in data.get("targets", [])],
        )


class StepSerializer(serializers.Serializer):
    """A lifecycle step: reason, decision (when the step needs one), expected version and the step's figures."""

    reason = serializers.CharField(required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(required=False, allow_blank=True, default="")
    decision_signed_on = DateField(required=False, allow_null=True, default=None)
    decision_signer = serializers.CharField(required=False, allow_blank=True, default="")
    decision_issuer = serializers.CharField(required=False, allow_blank=True, default="")
    decision_document = ScopedPrimaryKeyRelatedField(
        selector=documents_for, required=False, allow_null=True, default=None
    )
    expected_version = IntegerField(required=False, allow_null=True, default=None)
    approved = serializers.DictField(
        child=MoneyField(), required=False, help_text="{budget line id: approved amount of đồng}"
    )
    settled = serializers.DictField(
        child=MoneyField(), required=False, help_text="{budget line id: settled amount of đồng}"
    )
    achieved = serializers.DictField(
        child=IntegerField(max_value=MAX_TARGET), required=False, help_text="{indicator: achieved value}"
    )
    scale = serializers.CharField(required=False)
    changes = serializers.DictField(required=False)
