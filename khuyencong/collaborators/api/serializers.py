from typing import Any

from rest_framework import serializers

from ..models import Collaborator, FormVersion, ReportForm, Review, Submission


class FormVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FormVersion
        fields = ["number", "fields", "rules", "published_at", "note"]


class ReportFormSerializer(serializers.ModelSerializer):
    versions = FormVersionSerializer(many=True, read_only=True)

    class Meta:
        model = ReportForm
        fields = ["code", "name", "period_type", "due_days", "grace_days", "is_periodic", "versions"]


class CollaboratorSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code")
    communes = serializers.SerializerMethodField()

    class Meta:
        model = Collaborator
        fields = [
            "id", "full_name", "phone", "email", "province", "status", "decision_number", "decision_date",
            "decision_signer", "remuneration", "communes",
        ]  # fmt: skip

    def get_communes(self, obj: Collaborator) -> list[dict[str, Any]]:
        return [
            {"commune": c.commune.code, "name": c.commune.full_name, "from": c.valid_from, "to": c.valid_to}
            for c in obj.coverages.all()
        ]


class ReviewSerializer(serializers.ModelSerializer):
    actor: serializers.Field = serializers.StringRelatedField()

    class Meta:
        model = Review
        fields = ["action", "comment", "actor", "at"]


class SubmissionSerializer(serializers.ModelSerializer):
    form = serializers.CharField(source="form.code")
    form_version = serializers.IntegerField(source="form_version.number")
    commune = serializers.IntegerField(source="commune_id")
    commune_code = serializers.CharField(source="commune.code")
    province = serializers.CharField(source="province.code")
    reviews = ReviewSerializer(many=True, read_only=True)

    class Meta:
        model = Submission
        fields = [
            "id", "form", "form_version", "commune", "commune_code", "province", "period_start", "status", "values",
            "version", "saved_at", "first_submitted_at", "submitted_at", "on_time", "reviews",
        ]  # fmt: skip


class ReportInputSerializer(serializers.Serializer):
    form = serializers.SlugField()
    commune = serializers.IntegerField()
    period = serializers.DateField()
    values = serializers.DictField()
    expected_version = serializers.IntegerField(required=False, allow_null=True)
    submit_key = serializers.CharField(required=False, allow_blank=True, max_length=64)


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, max_length=3000)
    expected_version = serializers.IntegerField(required=False, allow_null=True)
