from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from khuyencong.accounts.models import Organisation, User
from khuyencong.core.scoping import user_scope
from khuyencong.geography.api.serializers import AdminUnitBriefSerializer


class OrganisationSerializer(serializers.ModelSerializer):
    province = AdminUnitBriefSerializer(read_only=True, allow_null=True, help_text="null for a national organisation")
    commune = AdminUnitBriefSerializer(read_only=True, allow_null=True)
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "name", "short_name", "kind", "kind_display", "province", "commune", "parent", "address"]
        read_only_fields = fields


class ScopeSerializer(serializers.Serializer):
    """The part of the country a user may reach."""

    level = serializers.ChoiceField(
        choices=["country", "province", "communes", "establishments", "none"], read_only=True
    )
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]  # a field named like the attribute
    province_codes = serializers.ListField(child=serializers.CharField(), read_only=True)
    commune_codes = serializers.ListField(child=serializers.CharField(), read_only=True)


class MeSerializer(serializers.ModelSerializer):
    organisation = OrganisationSerializer(read_only=True, allow_null=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)
    scope = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "full_name", "first_name", "last_name", "email", "role", "role_display",
                  "organisation", "scope"]  # fmt: skip

    @extend_schema_field(ScopeSerializer)
    def get_scope(self, user: User) -> dict:
        scope = user_scope(user)
        provinces = (
            []
            if scope.is_country
            else list(user.scope_communes.values_list("province__code", flat=True).distinct())
            if scope.commune_ids
            else ([user.scope_province.code] if user.scope_province else [])
        )
        return {
            "level": scope.level,
            "label": scope.label,
            "province_codes": sorted(set(provinces)),
            "commune_codes": sorted(user.scope_communes.values_list("code", flat=True)) if scope.commune_ids else [],
        }
