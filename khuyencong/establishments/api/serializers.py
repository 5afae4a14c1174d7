from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from khuyencong.core.api.fields import DecimalField, IntegerField
from khuyencong.core.api.scoped import ReferenceRelatedField, ScopedPrimaryKeyRelatedField
from khuyencong.establishments.models import Establishment
from khuyencong.establishments.selectors import craft_villages_for
from khuyencong.geography.api.serializers import AdminUnitBriefSerializer
from khuyencong.geography.choices import UnitLevel
from khuyencong.geography.models import AdminUnit
from khuyencong.policy.models import EligibleIndustryGroup, Industry


class EstablishmentSerializer(serializers.ModelSerializer):
    commune = AdminUnitBriefSerializer(read_only=True)
    province = AdminUnitBriefSerializer(read_only=True)
    # Any commune, current or as it was before 01/07/2025: the service places the record in today's commune
    # (the primary successor) and refuses it when that commune is outside the caller's area.
    commune_recorded = ReferenceRelatedField(
        queryset=AdminUnit.objects.filter(level=UnitLevel.COMMUNE),
        help_text=_("Id of the commune (current, or as it was before 01/07/2025)."),
    )
    craft_village = ScopedPrimaryKeyRelatedField(
        selector=craft_villages_for,
        required=False,
        allow_null=True,
        help_text=_("Id of a craft village of your area."),
    )
    main_industry = ReferenceRelatedField(queryset=Industry.objects.all(), required=False, allow_null=True)
    eligible_group = ReferenceRelatedField(
        queryset=EligibleIndustryGroup.objects.all(), required=False, allow_null=True
    )
    main_industry_code = serializers.CharField(
        source="main_industry.code", read_only=True, default=None, allow_null=True
    )
    legal_form_display = serializers.CharField(source="legal_form_label", read_only=True)
    status_display = serializers.CharField(source="status_label", read_only=True)
    employees_total = IntegerField(required=False, allow_null=True)
    employees_female = IntegerField(required=False, allow_null=True)
    employees_ethnic_minority = IntegerField(required=False, allow_null=True)
    latitude = DecimalField(max_digits=8, decimal_places=5, min_value=8, max_value=24, required=False, allow_null=True)
    longitude = DecimalField(
        max_digits=8, decimal_places=5, min_value=102, max_value=118, required=False, allow_null=True
    )
    version = IntegerField(
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
