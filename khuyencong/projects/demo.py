"""A few demo projects in Lâm Đồng, written through the services and steps like real ones: a local draft, a national
project appraised by the Department, and one under way with a progress report."""

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from khuyencong.accounts.models import User
from khuyencong.establishments.models import Establishment
from khuyencong.policy.models import SupportItem

from .models import Project
from .services import (
    BeneficiaryData,
    BudgetLineData,
    ProjectContent,
    TargetData,
    progress_report_submit,
    project_create,
)
from .workflow import DecisionData, StepInput, project_transition

M = 1_000_000


def demo_content(centre: User, establishments: list[Establishment], name: str, fund: str, year: int) -> ProjectContent:
    item = SupportItem.objects.filter(code="b1").first()
    return ProjectContent(
        fields={
            "name": name,
            "fund": fund,
            "kind": "normal",
            "plan_year": year,
            "end_year": year,
            "province": establishments[0].province,
            "commune": establishments[0].commune,
            "implementing_org": centre.organisation,
            "selection_method": "review",
            "objectives": "Ứng dụng máy móc tiên tiến, nâng cao năng suất và chất lượng sản phẩm.",
            "scale": "Mô hình trình diễn tại cơ sở, công suất phù hợp quy mô sản xuất.",
            "expected_effects": "Tăng năng suất lao động, tạo việc làm ổn định cho lao động địa phương.",
        },
        beneficiaries=[
            BeneficiaryData(
                establishment_id=e.pk,
                support_item_id=item.pk if item else None,
                eligible_cost_vnd=1_200 * M,
                support_vnd=300 * M,
                counterpart_vnd=900 * M,
            )
            for e in establishments
        ],
        budget_lines=[
            BudgetLineData("Hỗ trợ máy móc, thiết bị", "khuyen_cong", 300 * M * len(establishments)),
            BudgetLineData("Vốn đối ứng của cơ sở", "counterpart", 900 * M * len(establishments)),
        ],
        targets=[TargetData("models", len(establishments)), TargetData("jobs_created", 15 * len(establishments))],
    )


def _decision(number: str) -> StepInput:
    return StepInput(decision=DecisionData(number=number, signed_on=timezone.localdate(), signer="Phạm Văn Dũng"))


@transaction.atomic
def load_demo_projects() -> int:
    """Create the demo projects when there are none; returns how many were created."""
    if Project.objects.exists():
        return 0
    centre = User.objects.filter(username="lamdong.canbo").first()
    department = User.objects.filter(username="lamdong.so").first()
    agency = User.objects.filter(username="bo.canbo").first()
    minister = User.objects.filter(username="bo.pheduyet").first()
    if not (centre and department and agency and minister and centre.organisation):
        return 0
    establishments = list(
        Establishment.objects.filter(province__code="68", legal_form__in=["htx", "dn_nho", "dn_sieu_nho"])
        .exclude(eligible_group=None)
        .order_by("pk")[:5]
    )
    if len(establishments) < 5:
        return 0
    year = timezone.localdate().year
    draft = project_create(
        user=centre,
        content=demo_content(centre, establishments[:2], "Hỗ trợ máy sấy nông sản cho hợp tác xã", "kcdp", year + 1),
    )
    appraised = project_create(
        user=centre,
        content=demo_content(centre, establishments[2:4], "Mô hình trình diễn chế biến chè", "kcqg", year + 1),
    )
    running = project_create(
        user=centre,
        content=demo_content(centre, establishments[4:5], "Mô hình trình diễn sản xuất gốm", "kcqg", year),
    )
    steps: list[tuple[Project, str, Any, StepInput | None]] = [
        (appraised, "submit", centre, None),
        (appraised, "receive", department, None),
        (appraised, "pass_appraisal", department, _decision("112/PTĐ-SCT")),
    ]
    for name, user, data in [
        ("submit", centre, None),
        ("receive", department, None),
        ("pass_appraisal", department, _decision("87/PTĐ-SCT")),
        ("register", department, None),
        ("ministry_receive", agency, None),
        ("include_in_plan", minister, _decision("2310/QĐ-BCT")),
        ("assign", agency, _decision("45/QĐ-CĐMST")),
        ("sign_contract", agency, _decision("17/HĐ-KCQG")),
        ("start", centre, None),
    ]:
        steps.append((running, name, user, data))
    for project, name, user, data in steps:
        project_transition(user=user, project_id=project.pk, name=name, data=data)
    month = timezone.localdate().replace(day=1) - datetime.timedelta(days=1)
    if month.year == running.plan_year:
        progress_report_submit(
            user=centre,
            project_id=running.pk,
            month=month,
            work_done="Đã lắp đặt lò nung và chạy thử.",
            percent_done=60,
            spent={"khuyen_cong": 150 * M, "counterpart": 400 * M},
        )
    return 3 if draft else 0
