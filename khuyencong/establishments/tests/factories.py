"""Establishments for tests, written through the services like real ones."""

from typing import Any

from khuyencong.establishments.models import Establishment
from khuyencong.establishments.services import establishment_create
from khuyencong.geography.models import AdminUnit


def commune(full_name: str, province_code: str = "68") -> AdminUnit:
    return AdminUnit.objects.get(full_name=full_name, province__code=province_code, valid_to__isnull=True)


def make_establishment(user: Any, **data: Any) -> Establishment:
    values: dict[str, Any] = {"name": "Cơ sở thử nghiệm", "legal_form": "ho_kinh_doanh"}
    values.update(data)
    values.setdefault("commune_recorded", commune("Xã Đức Trọng"))
    return establishment_create(user=user, data=values)
