"""A small, realistic demo dataset: organisations of the ministry and two provinces, and one account per role."""

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.utils import update_change_reason

from khuyencong.geography.models import AdminUnit

from .choices import ROLE_SCOPES, OrganisationKind, Role, ScopeLevel
from .models import Organisation, User

DEMO_PASSWORD = "khuyencong-demo-2026"  # noqa: S105 - printed for the demo on purpose; never used in production
REASON = "Dữ liệu minh họa"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    first_name: str
    last_name: str
    role: str
    organisation: str
    province: str | None = None
    communes: tuple[str, ...] = ()


ORGANISATIONS = [
    # (key, name, kind, province code, parent key)
    ("cuc", "Cục Đổi mới sáng tạo, Chuyển đổi xanh và Khuyến công", OrganisationKind.MINISTRY_AGENCY, None, None),
    ("so-ld", "Sở Công Thương tỉnh Lâm Đồng", OrganisationKind.DEPARTMENT, "68", None),
    ("tt-ld", "Trung tâm Khuyến công tỉnh Lâm Đồng", OrganisationKind.PROVINCIAL_CENTRE, "68", "so-ld"),
    ("so-hn", "Sở Công Thương thành phố Hà Nội", OrganisationKind.DEPARTMENT, "01", None),
    (
        "tt-hn",
        "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hà Nội",
        OrganisationKind.PROVINCIAL_CENTRE,
        "01",
        "so-hn",
    ),
    ("so-dl", "Sở Công Thương tỉnh Đắk Lắk", OrganisationKind.DEPARTMENT, "66", None),
]

# Communes of Lâm Đồng by name (looked up among the current units, so codes stay right if the data changes).
LAM_DONG_COMMUNES = ("Xã Đức Trọng", "Xã Nam Ban Lâm Hà", "Phường 1 Bảo Lộc")

ACCOUNTS = [
    DemoAccount("quantri", "Quản trị", "Hệ thống", Role.SYSTEM_ADMIN, "cuc"),
    DemoAccount("bo.canbo", "Lan", "Nguyễn Thị", Role.MINISTRY_OFFICER, "cuc"),
    DemoAccount("bo.pheduyet", "Hùng", "Trần Văn", Role.MINISTRY_APPROVER, "cuc"),
    DemoAccount("lamdong.canbo", "Mai", "Lê Thị", Role.PROVINCIAL_OFFICER, "tt-ld", province="68"),
    DemoAccount("lamdong.so", "Quang", "Vũ Minh", Role.PROVINCIAL_OFFICER, "so-ld", province="68"),
    DemoAccount("lamdong.pheduyet", "Dũng", "Phạm Văn", Role.PROVINCIAL_APPROVER, "so-ld", province="68"),
    DemoAccount("hanoi.canbo", "Hà", "Đỗ Thu", Role.PROVINCIAL_OFFICER, "tt-hn", province="01"),
    DemoAccount("ctv.lamdong", "K'Brơi", "Ka", Role.COLLABORATOR, "tt-ld", communes=LAM_DONG_COMMUNES),
    # Linked to one establishment of Xã Đức Trọng by `load_demo_data` once the registry is loaded.
    DemoAccount("coso.lamdong", "Tâm", "Võ Minh", Role.ESTABLISHMENT_REP, "tt-ld"),
    DemoAccount("kiemtoan", "Bình", "Hoàng Thanh", Role.AUDITOR, "cuc"),
]


def _province(code: str) -> AdminUnit:
    return AdminUnit.objects.get(level="province", code=code, valid_to__isnull=True)


@transaction.atomic
def load_demo_data() -> list[dict[str, Any]]:
    """Create (or reuse) the demo organisations and accounts; returns the logins to print."""
    orgs: dict[str, Organisation] = {}
    for key, name, kind, province_code, parent_key in ORGANISATIONS:
        province = _province(province_code) if province_code else None
        org, created = Organisation.objects.get_or_create(
            name=name,
            province=province,
            defaults={"kind": kind, "parent": orgs.get(parent_key) if parent_key else None},
        )
        if created:
            update_change_reason(org, REASON)
        orgs[key] = org
    logins = []
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = User(username=account.username)
            user.set_password(DEMO_PASSWORD)
        wanted: dict[str, Any] = {
            "first_name": account.first_name,
            "last_name": account.last_name,
            "full_name": f"{account.last_name} {account.first_name}",
            "role": account.role,
            "organisation_id": orgs[account.organisation].pk,
            "is_staff": account.role == Role.SYSTEM_ADMIN,
            "is_superuser": account.role == Role.SYSTEM_ADMIN,
            "scope_level": ROLE_SCOPES[account.role][0]
            if account.role == Role.ESTABLISHMENT_REP
            else ScopeLevel.PROVINCE
            if account.province
            else (ScopeLevel.COMMUNES if account.communes else ScopeLevel.COUNTRY),
            "scope_province_id": _province(account.province).pk if account.province else None,
        }
        if user.pk is None or any(getattr(user, name) != value for name, value in wanted.items()):
            for name, value in wanted.items():
                setattr(user, name, value)
            user._change_reason = REASON
            user.save()
        if account.communes:
            communes = AdminUnit.objects.filter(
                level="commune", valid_to__isnull=True, province__code="68", full_name__in=account.communes
            )
            user.scope_communes.set(communes)
        elif user.scope_communes.exists():
            user.scope_communes.clear()
        otp_key = None
        if user.requires_two_factor:
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                device = TOTPDevice.objects.create(user=user, name="Demo", confirmed=True)
            otp_key = device.key
        user._kc_scope = None
        logins.append(
            {
                "username": user.username,
                "password": DEMO_PASSWORD,
                "role": user.get_role_display(),
                "organisation": str(user.organisation),
                "two_factor": otp_key is not None,
            }
        )
    return logins
