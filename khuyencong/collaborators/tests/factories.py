"""Collaborators, their users and reports for tests, written through the services like real ones."""

import datetime
from typing import Any

from django.utils import timezone

from khuyencong.accounts.choices import Role
from khuyencong.accounts.tests.factories import current_province, make_user
from khuyencong.collaborators import periods
from khuyencong.collaborators.models import Collaborator, ReportForm
from khuyencong.collaborators.services import CollaboratorData, collaborator_create, collaborator_link_user
from khuyencong.geography.models import AdminUnit


def communes(province: str = "68", count: int = 3) -> list[AdminUnit]:
    return list(
        AdminUnit.objects.filter(level="commune", valid_to__isnull=True, province__code=province).order_by("code")[
            :count
        ]
    )


def quarterly() -> ReportForm:
    return ReportForm.objects.get(code="ctv-quy")


def last_quarter(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return periods.period_start("quarterly", periods.period_start("quarterly", today) - datetime.timedelta(days=1))


def appoint(
    officer: Any, places: list[AdminUnit], *, name: str = "Nguyễn Thị Hoa", since: datetime.date | None = None,
    login: bool = True,
) -> Collaborator:  # fmt: skip
    """A collaborator of the officer's province covering `places` since `since` (two years ago by default), with a
    linked collaborator user when `login`."""
    since = since or timezone.localdate() - datetime.timedelta(days=730)
    collaborator = collaborator_create(
        user=officer,
        data=CollaboratorData(
            full_name=name,
            province_id=int(places[0].province_id or 0),
            decision_number="12/QĐ-SCT",
            decision_date=since,
            decision_signer="Trần Văn Bình",
            phone="0912345678",
            communes=[p.pk for p in places],
        ),
    )
    if login:
        account = make_user(Role.COLLABORATOR, communes=places)
        collaborator = collaborator_link_user(user=officer, collaborator_id=collaborator.pk, account_id=account.pk)
    return collaborator


def staff(province: str = "68") -> dict[str, Any]:
    return {
        "officer": make_user(Role.PROVINCIAL_OFFICER, province=province),
        "approver": make_user(Role.PROVINCIAL_APPROVER, province=province),
        "other_officer": make_user(Role.PROVINCIAL_OFFICER, province="01"),
        "ministry": make_user(Role.MINISTRY_OFFICER, province=None),
        "province": current_province(province),
    }


GOOD = {
    "establishments_total": "120",
    "establishments_opened": "3",
    "establishments_closed": "1",
    "workers": "1.450",
    "female_workers": "800",
    "by_industry": [
        {"industry": "a", "establishments": "70", "workers": "900"},
        {"industry": "dd", "establishments": "50", "workers": "550"},
    ],
    "support_needs": [{"need": "machinery", "description": "Máy sấy chè", "estimated_cost_vnd": "350.000.000"}],
    "proposed_projects": [{"name": "Mô hình sấy chè", "content": "4.3", "estimated_cost_vnd": "1.200.000.000"}],
    "events": "Hội chợ nông sản huyện",
    "difficulties": "Thiếu vốn",
    "proposals": "Hỗ trợ máy sấy",
}
