from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from khuyencong.establishments.models import Establishment
from khuyencong.geography.api.serializers import AdminUnitBriefSerializer
from khuyencong.geography.models import AdminUnit


class EstablishmentSerializer(serializers.ModelSerializer):
    commune = AdminUnitBriefSerializer(read_only=True)
    province = AdminUnitBriefSerializer(read_only=True)
    commune_recorded = serializers.PrimaryKeyRelatedField(
        queryset=AdminUnit.objects.filter(level="commune"),
        help_text=_("Id of the commune (current, or as it was before 01/07/2025)."),
        error_messages={"does_not_exist": _("No commune has the id {pk_value}.")},
    )
    main_industry_code = serializers.CharField(source="main_industry.code", read_only=True, default=None)
    legal_form_display = serializers.CharField(source="legal_form_label", read_only=True)
    status_display = serializers.CharField(source="status_label", read_only=True)
    version = serializers.IntegerField(
        required=False, help_text=_("On update: the version you read; a stale one is refused with 409.")
    )

    class Meta:
        model = Establishment
        fields = [
            "id",
            "name",
            "legal_form",
            "legal_form_display",
            "tax_code",
            "owner_name",
            "owner_gender",
            "owner_ethnic_minority",
            "phone",
            "email",
            "address",
            "commune_recorded",
            "commune",
            "province",
            "craft_village",
            "main_industry",
            "main_industry_code",
            "eligible_group",
            "main_products",
            "employees_total",
            "employees_female",
            "employees_ethnic_minority",
            "status",
            "status_display",
            "status_since",
            "source",
            "import_key",
            "latitude",
            "longitude",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
