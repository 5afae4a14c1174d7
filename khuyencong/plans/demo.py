"""A year of the programme for the demo, written through the services like real work: this year's national plan
(KCQG) allocated to six provinces, Lâm Đồng's local plan (KCĐP), its projects put into the plan and paid (advance,
payment, the establishments' counterpart), one finished project accepted with its results and settled — so that plan
versus actual, leverage, the dashboard and the report files show figures on a fresh machine. The steps, payments and
results are dated the day the demo is made (a project's steps are taken live; entering past ones with their own dates
is issue 16's back-entry); the plans' decisions carry their dates.

Runs after `load_demo_data` and `load_demo_projects`; idempotent (nothing happens once any plan exists)."""

import datetime

from django.db import transaction
from django.utils import timezone

from khuyencong.accounts.models import User
from khuyencong.establishments.models import Establishment
from khuyencong.geography.models import AdminUnit
from khuyencong.projects.demo import demo_content
from khuyencong.projects.models import Project
from khuyencong.projects.services import project_create
from khuyencong.projects.workflow import DecisionData, StepInput, project_transition

from .models import AnnualPlan
from .services import AllocationInput, DecisionInput, money_event_record, plan_create, plan_item_set

M = 1_000_000
TY = 1_000 * M

#: This year's national plan: what each province receives (the rest is the ministry's own work).
NATIONAL_ALLOCATIONS = {"68": 14 * TY, "01": 12 * TY, "79": 11 * TY, "38": 9 * TY, "19": 8 * TY, "92": 7 * TY}
#: Lâm Đồng's own plan (KCĐP) this year.
LOCAL_PLAN_VND = 6 * TY


def _on(year: int, month: int, day: int) -> datetime.date:
    """A date of the demo year, never after today (a step or a payment is not dated in the future)."""
    return min(datetime.date(year, month, day), timezone.localdate())


def _step(number: str, on: datetime.date, **extra: object) -> StepInput:
    return StepInput(decision=DecisionData(number=number, signed_on=on, signer="Phạm Văn Dũng"), extra=dict(extra))


def _record_money(project: Project, events: list[tuple[User, str, str, int, str]]) -> None:
    """The money events of a demo project (who records it, kind, source, amount, reference), dated today."""
    for user, kind, source, amount, reference in events:
        money_event_record(
            user=user, project_id=project.pk, kind=kind, source=source, amount_vnd=amount,
            occurred_on=timezone.localdate(), reference=reference,
        )  # fmt: skip


@transaction.atomic
def load_demo_plans() -> int:
    """Create the demo year's plans, money and finished project when there is no plan; returns the plans created."""
    if AnnualPlan.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__contains=".")}
    centre, department = users.get("lamdong.canbo"), users.get("lamdong.so")
    agency, minister = users.get("bo.canbo"), users.get("bo.pheduyet")
    if not (centre and department and agency and minister and centre.organisation):
        return 0
    today = timezone.localdate()
    year = today.year
    provinces = dict(
        AdminUnit.objects.filter(level="province", valid_to__isnull=True, code__in=NATIONAL_ALLOCATIONS).values_list(
            "code", "pk"
        )
    )
    national = plan_create(
        user=agency, fund="kcqg", year=year, province_id=None, title=f"Kế hoạch khuyến công quốc gia năm {year}",
        total_vnd=80 * TY, decision=DecisionInput("3120/QĐ-BCT", _on(year - 1, 12, 26), "Bộ trưởng Bộ Công Thương"),
        allocations=[
            AllocationInput(amount, provinces[code], None)
            for code, amount in NATIONAL_ALLOCATIONS.items() if code in provinces
        ],
    )  # fmt: skip
    local = plan_create(
        user=department, fund="kcdp", year=year, province_id=provinces["68"],
        title=f"Kế hoạch khuyến công địa phương tỉnh Lâm Đồng năm {year}", total_vnd=LOCAL_PLAN_VND,
        decision=DecisionInput("45/QĐ-UBND", _on(year, 1, 15), "Chủ tịch Ủy ban nhân dân tỉnh"),
        allocations=[AllocationInput(LOCAL_PLAN_VND, provinces["68"], None)],
    )  # fmt: skip

    # The project under way (projects' demo): in the national plan, advanced and partly paid.
    running = Project.objects.filter(province__code="68", fund="kcqg", plan_year=year, status="in_progress").first()
    if running is not None:
        plan_item_set(user=agency, plan_id=national.pk, project_id=running.pk, approved_vnd=300 * M)
        _record_money(running, [
            (agency, "advance", "khuyen_cong", 150 * M, "UNC 112/KBNN"),
            (agency, "payment", "khuyen_cong", 60 * M, "UNC 287/KBNN"),
            (centre, "commitment", "counterpart", 900 * M, "Cam kết đối ứng"),
        ])  # fmt: skip

    # A project of this year taken from the Department's proposal to its settlement, with its results.
    establishments = list(
        Establishment.objects.filter(province__code="68", legal_form__in=["htx", "dn_nho", "dn_sieu_nho"])
        .exclude(eligible_group=None)
        .order_by("pk")[5:7]
    )
    if len(establishments) == 2:
        finished = project_create(
            user=centre,
            content=demo_content(centre, establishments, "Hỗ trợ máy chế biến cà phê cho hợp tác xã", "kcqg", year),
        )
        walk = [
            ("submit", centre, None),
            ("receive", department, None),
            ("pass_appraisal", department, _step("21/PTĐ-SCT", _on(year - 1, 6, 20))),
            ("register", department, None),
            ("ministry_receive", agency, None),
            ("include_in_plan", minister, _step("3120/QĐ-BCT", _on(year - 1, 12, 26))),
            ("assign", agency, _step("12/QĐ-CĐMST", _on(year, 1, 20))),
            ("sign_contract", agency, _step("08/HĐ-KCQG", _on(year, 2, 5))),
            ("start", centre, None),
        ]
        for name, user, data in walk:
            project_transition(user=user, project_id=finished.pk, name=name, data=data)
        plan_item_set(user=agency, plan_id=national.pk, project_id=finished.pk, approved_vnd=600 * M)
        _record_money(finished, [
            (agency, "advance", "khuyen_cong", 300 * M, "UNC 58/KBNN"),
            (centre, "commitment", "counterpart", 1_800 * M, "Cam kết đối ứng"),
        ])  # fmt: skip
        project_transition(
            user=department, project_id=finished.pk, name="accept",
            data=_step("05/BB-NT", today, achieved={"models": 2, "jobs_created": 34}),
        )  # fmt: skip
        lines = {line.source: line.pk for line in finished.budget_lines.all()}
        project_transition(
            user=agency, project_id=finished.pk, name="settle",
            data=_step(
                "31/QĐ-QT", today,
                settled={lines["khuyen_cong"]: 588 * M, lines["counterpart"]: 1_790 * M},
            ),
        )  # fmt: skip
    return 2 if local else 1
