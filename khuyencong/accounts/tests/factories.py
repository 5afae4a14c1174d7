"""Users and organisations for tests, in every role and scope."""

from typing import Any

import factory
from django_otp.plugins.otp_totp.models import TOTPDevice

from khuyencong.accounts.choices import OrganisationKind, Role, ScopeLevel
from khuyencong.accounts.models import Organisation, User
from khuyencong.geography.models import AdminUnit

PASSWORD = "mat-khau-thu-nghiem-2026"


def current_province(code: str) -> AdminUnit:
    return AdminUnit.objects.get(level="province", code=code, valid_to__isnull=True)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Tổ chức thử nghiệm {n}")
    kind = OrganisationKind.DEPARTMENT


def make_user(
    role: str = Role.PROVINCIAL_OFFICER,
    *,
    province: str | None = "68",
    communes: list[AdminUnit] | None = None,
    username: str | None = None,
    organisation: Organisation | None = None,
    with_totp: bool = False,
    represents: list[Any] | None = None,
) -> User:
    """A user of `role`. Provincial roles are scoped to `province`; collaborators to `communes`; establishment
    representatives to the establishments they `represents`."""
    username = username or f"{role}-{User.objects.count() + 1}"
    user = User(username=username, role=role, full_name="Thử Nghiệm", first_name="Nghiệm", last_name="Thử")
    user.set_password(PASSWORD)
    if role in (Role.PROVINCIAL_OFFICER, Role.PROVINCIAL_APPROVER) or (role == Role.AUDITOR and province):
        user.scope_level = ScopeLevel.PROVINCE
        user.scope_province = current_province(province or "68")
    elif role == Role.COLLABORATOR:
        user.scope_level = ScopeLevel.COMMUNES
    elif role == Role.ESTABLISHMENT_REP:
        user.scope_level = ScopeLevel.ESTABLISHMENTS
    else:
        user.scope_level = ScopeLevel.COUNTRY
    if role == Role.SYSTEM_ADMIN:
        user.is_staff = user.is_superuser = True
    user.organisation = organisation
    user.save()
    if communes:
        user.scope_communes.set(communes)
    if with_totp:
        TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    if represents:
        from khuyencong.establishments.models import Representative

        for establishment in represents:
            Representative.objects.create(establishment=establishment, user=user)
    return user


def org_in(province_code: str | None, **kwargs: Any) -> Organisation:
    province = current_province(province_code) if province_code else None
    return OrganisationFactory.create(province=province, **kwargs)
