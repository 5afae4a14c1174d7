from rest_framework import serializers

from khuyencong.core.api.fields import DateField
from khuyencong.geography.models import AdminUnit, Region, RegionMembership


class AdminUnitBriefSerializer(serializers.ModelSerializer):
    class Meta:
        model = AdminUnit
        fields = ["id", "code", "full_name", "level", "unit_type", "valid_from", "valid_to"]


class AdminUnitSerializer(serializers.ModelSerializer):
    parent = AdminUnitBriefSerializer(read_only=True, allow_null=True, help_text="null for a province")
    province = AdminUnitBriefSerializer(read_only=True, allow_null=True, help_text="null for a province")
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    unit_type_display = serializers.CharField(source="get_unit_type_display", read_only=True)
    is_current = serializers.BooleanField(read_only=True)

    class Meta:
        model = AdminUnit
        fields = [
            "id",
            "code",
            "name",
            "full_name",
            "level",
            "level_display",
            "unit_type",
            "unit_type_display",
            "parent",
            "province",
            "valid_from",
            "valid_to",
            "is_current",
        ]


class UnitAtQuerySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=5, help_text="Official code, e.g. 01 or 00004")
    date = DateField(help_text="yyyy-mm-dd or dd/mm/yyyy")
    level = serializers.ChoiceField(choices=["", "province", "district", "commune"], required=False, default="")


class RegionMembershipSerializer(serializers.ModelSerializer):
    province = AdminUnitBriefSerializer(read_only=True)

    class Meta:
        model = RegionMembership
        fields = ["province", "valid_from", "valid_to", "legal_basis", "uncertain"]
        read_only_fields = fields


class RegionSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    memberships = RegionMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Region
        fields = ["id", "code", "kind", "kind_display", "name", "sort_order", "memberships"]
        read_only_fields = fields
