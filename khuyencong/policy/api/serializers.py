from rest_framework import serializers

from khuyencong.policy.models import ActivityContent, Indicator, LegalDocument, SupportItem


class LegalDocumentBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalDocument
        fields = ["id", "number", "kind", "title"]
        read_only_fields = fields


class LegalDocumentSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    amends: serializers.Field = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    replaces: serializers.Field = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    url = serializers.CharField(read_only=True, help_text="a link to the text, empty when none is known")

    class Meta:
        model = LegalDocument
        fields = ["id", "number", "kind", "kind_display", "title", "issuer", "signed_on", "effective_from",
                  "effective_to", "amends", "replaces", "url", "uncertain", "note"]  # fmt: skip
        read_only_fields = fields


class ActivityContentSerializer(serializers.ModelSerializer):
    legal_document = LegalDocumentBriefSerializer(read_only=True)
    basis = serializers.CharField(read_only=True, help_text="the legal basis as a sentence cites it")

    class Meta:
        model = ActivityContent
        fields = ["id", "code", "name", "name_en", "parent", "legal_document", "provision", "basis", "valid_from",
                  "valid_to", "uncertain", "note"]  # fmt: skip
        read_only_fields = fields


class SupportItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = SupportItem
        fields = ["id", "code", "name", "content_code", "sort_order"]
        read_only_fields = fields


class IndicatorSerializer(serializers.ModelSerializer):
    legal_document = LegalDocumentBriefSerializer(read_only=True)
    unit_display = serializers.CharField(source="get_unit_display", read_only=True)
    support_items: serializers.Field = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = ["id", "code", "name", "name_en", "unit", "unit_display", "group", "content_codes", "support_items",
                  "computed", "legal_document", "provision", "valid_from", "valid_to", "uncertain", "note"]  # fmt: skip
        read_only_fields = fields
