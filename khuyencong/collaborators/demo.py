"""Demo collaborator: the demo account `ctv.lamdong` appointed in Lâm Đồng for its three communes, with last
quarter's report submitted for the first commune (through the services, like a real one)."""

import datetime
import uuid

from django.utils import timezone

from khuyencong.accounts.models import User

from . import periods
from .models import Collaborator, ReportForm
from .services import CollaboratorData, collaborator_create, collaborator_link_user, report_submit

VALUES = {
    "establishments_total": "86",
    "establishments_opened": "2",
    "establishments_closed": "1",
    "workers": "640",
    "female_workers": "352",
    "by_industry": [
        {"industry": "a", "establishments": "48", "workers": "390"},
        {"industry": "dd", "establishments": "21", "workers": "170"},
    ],
    "support_needs": [{"need": "machinery", "description": "Máy sấy cà phê", "estimated_cost_vnd": "450.000.000"}],
    "proposed_projects": [
        {
            "name": "Mô hình trình diễn sấy cà phê năng lượng mặt trời",
            "content": "4.3",
            "estimated_cost_vnd": "1.500.000.000",
        },
    ],  # fmt: skip
    "difficulties": "Thiếu vốn đổi mới thiết bị",
    "proposals": "Hỗ trợ máy sấy và bao bì",
}


def load_demo_collaborators() -> int:
    """Appoint the demo collaborator (only when no collaborator exists); returns how many were created."""
    if Collaborator.objects.exists():
        return 0
    account = User.objects.filter(username="ctv.lamdong").first()
    officer = (
        User.objects.filter(username="lamdong.so").first()
        or User.objects.filter(role="provincial_officer", scope_province__code="68").first()
    )
    if account is None or officer is None:
        return 0
    communes = list(account.scope_communes.order_by("code"))
    if not communes:
        return 0
    today = timezone.localdate()
    since = today - datetime.timedelta(days=400)
    collaborator = collaborator_create(
        user=officer,
        data=CollaboratorData(
            full_name=account.get_full_name() or account.username,
            province_id=int(communes[0].province_id or 0),
            decision_number="125/QĐ-SCT",
            decision_date=since,
            decision_signer="Phạm Văn Dũng",
            phone="0912 345 678",
            remuneration="Quyết định của UBND tỉnh về mức thù lao cộng tác viên khuyến công",
            communes=[c.pk for c in communes],
        ),
    )
    collaborator_link_user(user=officer, collaborator_id=collaborator.pk, account_id=account.pk)
    form = ReportForm.objects.get(code="ctv-quy")
    last = periods.period_start(
        form.period_type, periods.period_start(form.period_type, today) - datetime.timedelta(days=1)
    )
    report_submit(
        user=account, form_id=form.pk, commune_id=communes[0].pk, period_start=last, values=VALUES,
        submit_key=uuid.uuid4().hex,
    )  # fmt: skip
    return 1
