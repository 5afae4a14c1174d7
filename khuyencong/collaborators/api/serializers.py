from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from khuyencong.core.api.fields import DateField, IntegerField
from khuyencong.core.api.scoped import ReferenceRelatedField
from khuyencong.geography.choices import UnitLevel
from khuyencong.geography.models import AdminUnit

from ..models import Collaborator, FormVersion, ReportForm, Review, Submission


class FormVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormVersion
        fields = ["number", "fields", "rules", "published_at", "note"]
        read_only_fields = fields


class ReportFormSerializer(serializers.ModelSerializer):
    versions = FormVersionSerializer(many=True, read_only=True)

    class Meta:
        model = ReportForm
        fields = ["code", "name", "period_type", "due_days", "grace_days", "is_periodic", "versions"]
        read_only_fields = fields


class CoverageSerializer(serializers.Serializer):
    """A commune a collaborator covers (or covered), with the dates."""

    commune = serializers.CharField(read_only=True, help_text="the commune's official code")
    name = serializers.CharField(read_only=True)


# The keys are Python keywords: declared after the class.
CoverageSerializer._declared_fields["from"] = serializers.DateField(read_only=True)
CoverageSerializer._declared_fields["to"] = serializers.DateField(read_only=True, allow_null=True)


class CollaboratorSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)
    communes = serializers.SerializerMethodField()

    class Meta:
        model = Collaborator
        fields = [
            "id", "full_name", "phone", "email", "province", "status", "decision_number", "decision_date",
            "decision_signer", "remuneration", "communes",
        ]  # fmt: skip

    @extend_schema_field(CoverageSerializer(many=True))
    def get_communes(self, obj: Collaborator) -> list[dict[str, Any]]:
        return [
            {"commune": c.commune.code, "name": c.commune.full_name, "from": c.valid_from, "to": c.valid_to}
            for c in obj.coverages.all()
        ]


class ReviewSerializer(serializers.ModelSerializer):
    actor: serializers.Field = serializers.StringRelatedField(allow_null=True)

    class Meta:
        model = Review
        fields = ["action", "comment", "actor", "at"]


class SubmissionSerializer(serializers.ModelSerializer):
    form = serializers.CharField(source="form.code", read_only=True)
    form_version = serializers.IntegerField(source="form_version.number", read_only=True)
    commune = serializers.IntegerField(source="commune_id", read_only=True)
    commune_code = serializers.CharField(source="commune.code", read_only=True)
    province = serializers.CharField(source="province.code", read_only=True)
    reviews = ReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id", "form", "form_version", "commune", "commune_code", "province", "period_start", "status", "values",
            "version", "saved_at", "first_submitted_at", "submitted_at", "on_time", "reviews",
        ]  # fmt: skip


class ReportInputSerializer(serializers.Serializer):
    form = serializers.SlugField()
    # Any commune: the service accepts only one the caller covered in that period (a collaborator's communes change
    # over time, so today's scope is not the test).
    commune = ReferenceRelatedField(queryset=AdminUnit.objects.filter(level=UnitLevel.COMMUNE))
    period = DateField()
    values = serializers.DictField(help_text="{field key: value as typed}; establishment fields take an id")
    expected_version = IntegerField(required=False, allow_null=True)
    submit_key = serializers.CharField(required=False, allow_blank=True, max_length=64)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=3000)
    expected_version = IntegerField(required=False, allow_null=True)


class SavedSerializer(serializers.Serializer):
    """What `draft` and `submit` answer: where the report stands, and what the collaborator must be told."""

    id = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    saved_at = serializers.DateTimeField(read_only=True, allow_null=True)
    form_version = serializers.IntegerField(read_only=True)
    notice = serializers.CharField(read_only=True, help_text="e.g. the form changed under an open draft")
    errors = serializers.DictField(  # type: ignore[assignment]  # a field named like the property
        child=serializers.CharField(), read_only=True, help_text="{field key: the problem found}"
    )


class ExpectedReportSerializer(serializers.Serializer):
    commune = serializers.IntegerField(read_only=True)
    commune_code = serializers.CharField(read_only=True)
    commune_name = serializers.CharField(read_only=True)
    period = serializers.DateField(read_only=True)
    period_label = serializers.CharField(read_only=True)
    due = serializers.DateField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="missing, draft, submitted, returned, accepted, approved")
    overdue = serializers.BooleanField(read_only=True)
    on_time = serializers.BooleanField(read_only=True, allow_null=True)
    submission = serializers.IntegerField(read_only=True, allow_null=True)


class ExpectedReportsSerializer(serializers.Serializer):
    form = serializers.CharField(read_only=True)
    results = ExpectedReportSerializer(many=True, read_only=True)
