"""The lifecycle, walked state by state for a national-fund and a local-fund project: at every step the right
people may act and every other role, and every other province, is refused with nothing written."""

import datetime

import pytest
from django.utils import timezone, translation

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.projects import workflow
from khuyencong.projects.choices import Status
from khuyencong.projects.models import Adjustment, Decision, LocalWorkflow, Project, Transition
from khuyencong.projects.workflow import StepInput, project_transition

from .factories import decision, make_project, people

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def cast():
    return people()


EVERYONE = [
    "centre", "so", "approver", "mofficer", "mapprover", "other_so", "other_approver", "other_centre",
    "collaborator", "auditor", "admin",
]  # fmt: skip


def _refused_by_all_but(cast, project, name, allowed, data=None):
    """Everyone outside `allowed` is refused: `can_…` says no and the service writes nothing."""
    for who in EVERYONE:
        if who in allowed:
            continue
        user = cast[who]
        project.refresh_from_db()
        assert not workflow.can(user, project, name), (name, who)
        before = (project.status, project.version, Transition.objects.count(), Decision.objects.count())
        with pytest.raises(ApplicationError) as caught:
            project_transition(user=user, project_id=project.pk, name=name, data=data)
        assert caught.value.code in (ErrorCode.PERMISSION_DENIED, ErrorCode.OUT_OF_SCOPE), (name, who)
        project.refresh_from_db()
        assert (project.status, project.version, Transition.objects.count(), Decision.objects.count()) == before


def _step(cast, project, name, allowed, actor, expected, data=None):
    assert actor in allowed
    _refused_by_all_but(cast, project, name, allowed, data)
    for who in allowed:
        project.refresh_from_db()
        assert workflow.can(cast[who], project, name), (name, who)
    history_before = project.history.count()
    transition = project_transition(user=cast[actor], project_id=project.pk, name=name, data=data)
    project.refresh_from_db()
    assert project.status == expected, name
    assert transition.to_status == expected and transition.actor == cast[actor]
    assert project.history.count() == history_before + 1 + (name == "approve_adjustment")
    return transition


def test_a_national_project_through_every_state(cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    assert project.code.startswith(f"KCQG-{project.plan_year}-68-")
    assert project.status == Status.DRAFT
    walk = [
        ("submit", {"centre", "so"}, "centre", Status.SUBMITTED, None),
        ("receive", {"so", "approver"}, "so", Status.BASE_APPRAISAL, None),
        ("pass_appraisal", {"so", "approver"}, "so", Status.BASE_APPROVED, decision("01/PTĐ-SCT")),
        ("register", {"so", "approver"}, "so", Status.REGISTERED, None),
        ("ministry_receive", {"mofficer", "mapprover"}, "mofficer", Status.MINISTRY_APPRAISAL, None),
        ("include_in_plan", {"mapprover"}, "mapprover", Status.IN_PLAN, decision("120/QĐ-BCT")),
        ("assign", {"mofficer", "mapprover"}, "mofficer", Status.ASSIGNED, decision("45/QĐ-CĐMST")),
        ("sign_contract", {"mofficer", "mapprover"}, "mofficer", Status.CONTRACTED, decision("07/HĐ-KCQG")),
        ("start", {"centre", "so"}, "centre", Status.IN_PROGRESS, None),
    ]
    for name, allowed, actor, expected, data in walk:
        _step(cast, project, name, allowed, actor, expected, data)

    # A minor adjustment (the location within the province), decided by the agency or the Department.
    request = StepInput(reason="Đổi địa điểm", extra={"scale": "minor", "changes": {"location": "Thôn 3"}})
    _step(cast, project, "request_adjustment", {"centre", "so"}, "centre", Status.ADJUSTMENT_PENDING, request)
    approve = decision("09/QĐ-CĐMST")
    _step(
        cast,
        project,
        "approve_adjustment",
        {"mofficer", "mapprover", "so", "approver"},
        "so",
        Status.IN_PROGRESS,
        approve,
    )
    project.refresh_from_db()
    assert project.location == "Thôn 3"
    adjustment = Adjustment.objects.get(project=project)
    assert adjustment.status == "approved" and adjustment.changes == {"location": {"before": "", "after": "Thôn 3"}}
    assert adjustment.decision is not None and adjustment.decision.number == "09/QĐ-CĐMST"

    accept = decision("03/BB-NT")
    accept.extra = {"achieved": {"models": 2, "jobs_created": 25}}
    _step(cast, project, "accept", {"so", "approver", "mofficer", "mapprover"}, "so", Status.ACCEPTED, accept)
    assert dict(project.targets.values_list("indicator", "achieved")) == {"models": 2, "jobs_created": 25}

    lines = list(project.budget_lines.order_by("position"))
    assert lines[0].approved_vnd is not None
    assert [line.approved_vnd for line in lines] == [line.planned_vnd for line in lines]  # set when assigned
    settle = decision("11/QĐ-CĐMST")
    first_approved = lines[0].approved_vnd
    settle.extra = {"settled": {lines[0].pk: first_approved - 1, lines[1].pk: lines[1].approved_vnd}}
    _step(cast, project, "settle", {"mofficer", "mapprover"}, "mofficer", Status.SETTLED, settle)
    assert list(project.budget_lines.order_by("position").values_list("settled_vnd", flat=True)) == [
        first_approved - 1,
        lines[1].approved_vnd,
    ]
    _step(cast, project, "evaluate", {"so", "approver", "centre"}, "so", Status.EVALUATED)

    steps = list(project.transitions.order_by("at", "pk").values_list("name", flat=True))
    assert steps == [
        "submit", "receive", "pass_appraisal", "register", "ministry_receive", "include_in_plan", "assign",
        "sign_contract", "start", "request_adjustment", "approve_adjustment", "accept", "settle", "evaluate",
    ]  # fmt: skip
    decisions = {t.name: t.decision.number for t in project.transitions.exclude(decision=None) if t.decision}
    assert decisions["include_in_plan"] == "120/QĐ-BCT" and decisions["settle"] == "11/QĐ-CĐMST"
    # A final state allows nothing.
    assert not any(workflow.available_steps(cast[who], project) for who in EVERYONE)


def test_a_local_project_through_every_state_with_the_province_as_approver(cast):
    project = make_project(cast["centre"], cast["_centre_org"], fund="kcdp")
    assert project.code.startswith(f"KCDP-{project.plan_year}-68-")
    walk = [
        ("submit", {"centre", "so"}, "centre", Status.SUBMITTED, None),
        ("receive", {"so", "approver"}, "so", Status.BASE_APPRAISAL, None),
        ("pass_appraisal", {"so", "approver"}, "so", Status.BASE_APPROVED, decision("02/PTĐ-SCT")),
    ]
    for name, allowed, actor, expected, data in walk:
        _step(cast, project, name, allowed, actor, expected, data)
    # No ministry steps for a local project.
    assert workflow.step_for(project, "register") is None
    with pytest.raises(ApplicationError) as caught:
        project_transition(user=cast["so"], project_id=project.pk, name="register")
    assert caught.value.code == ErrorCode.CONFLICT
    walk = [
        ("include_in_plan", {"approver"}, "approver", Status.IN_PLAN, decision("300/QĐ-UBND")),
        ("assign", {"so", "approver"}, "so", Status.ASSIGNED, decision("31/QĐ-SCT")),
        ("sign_contract", {"so", "approver"}, "so", Status.CONTRACTED, decision("08/HĐ-KCĐP")),
        ("start", {"centre", "so"}, "centre", Status.IN_PROGRESS, None),
    ]
    for name, allowed, actor, expected, data in walk:
        _step(cast, project, name, allowed, actor, expected, data)
    # A major adjustment (extension into the next year) is the provincial approver's.
    request = StepInput(
        reason="Kéo dài thời gian", extra={"scale": "major", "changes": {"end_year": project.plan_year + 1}}
    )
    _step(cast, project, "request_adjustment", {"centre", "so"}, "centre", Status.ADJUSTMENT_PENDING, request)
    _step(cast, project, "approve_adjustment", {"approver"}, "approver", Status.IN_PROGRESS, decision("05/QĐ-UBND"))
    project.refresh_from_db()
    assert project.end_year == project.plan_year + 1
    accept = decision("04/BB-NT")
    _step(cast, project, "accept", {"so", "approver"}, "so", Status.ACCEPTED, accept)
    settle = decision("12/QĐ-SCT")
    settle.extra = {"settled": {line.pk: line.approved_vnd for line in project.budget_lines.all()}}
    _step(cast, project, "settle", {"so", "approver"}, "so", Status.SETTLED, settle)
    _step(cast, project, "evaluate", {"so", "approver", "centre"}, "centre", Status.EVALUATED)


def test_a_province_without_base_appraisal_or_contract_runs_the_shorter_path(cast):
    LocalWorkflow.objects.create(
        province=cast["_centre_org"].province, approver="director", base_appraisal=False, contract_step=False
    )
    project = make_project(cast["centre"], cast["_centre_org"], fund="kcdp")
    _step(cast, project, "submit", {"centre", "so"}, "centre", Status.SUBMITTED)
    assert workflow.step_for(project, "receive") is None
    _step(cast, project, "pass_appraisal", {"so", "approver"}, "so", Status.BASE_APPROVED)
    _step(cast, project, "include_in_plan", {"approver"}, "approver", Status.IN_PLAN, decision("1/QĐ-SCT"))
    _step(cast, project, "assign", {"so", "approver"}, "so", Status.ASSIGNED, decision("2/QĐ-SCT"))
    assert workflow.step_for(project, "sign_contract") is None
    _step(cast, project, "start", {"centre", "so"}, "centre", Status.IN_PROGRESS)


def test_side_paths_return_reject_suspend_resume_and_stop(cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    project_transition(user=cast["centre"], project_id=project.pk, name="submit")
    # A return needs its reason, and puts the project back to draft.
    with pytest.raises(ApplicationError) as caught:
        project_transition(user=cast["so"], project_id=project.pk, name="return")
    assert caught.value.field == "reason"
    _refused_by_all_but(cast, project, "return", {"so", "approver"}, StepInput(reason="Thiếu dự toán"))
    project_transition(user=cast["so"], project_id=project.pk, name="return", data=StepInput(reason="Thiếu dự toán"))
    project.refresh_from_db()
    assert project.status == Status.DRAFT
    last = project.transitions.last()
    assert last is not None and last.reason == "Thiếu dự toán"

    for name, who, data in [
        ("submit", "centre", None),
        ("receive", "so", None),
        ("pass_appraisal", "so", decision()),
        ("register", "so", None),
        ("ministry_receive", "mofficer", None),
        ("include_in_plan", "mapprover", decision()),
        ("assign", "mofficer", decision()),
        ("sign_contract", "mofficer", decision()),
        ("start", "centre", None),
    ]:
        project_transition(user=cast[who], project_id=project.pk, name=name, data=data)
    suspend = decision("77/QĐ-BCT")
    suspend.reason = "Vi phạm tiến độ"
    _step(cast, project, "suspend", {"mapprover"}, "mapprover", Status.SUSPENDED, suspend)
    _step(cast, project, "resume", {"mapprover"}, "mapprover", Status.IN_PROGRESS, StepInput(reason="Đã khắc phục"))
    project_transition(user=cast["mapprover"], project_id=project.pk, name="suspend", data=suspend)
    stop = decision("78/QĐ-BCT")
    stop.reason = "Không khả thi"
    _step(cast, project, "stop", {"mapprover"}, "mapprover", Status.STOPPED, stop)

    rejected = make_project(cast["centre"], cast["_centre_org"])
    project_transition(user=cast["centre"], project_id=rejected.pk, name="submit")
    project_transition(user=cast["so"], project_id=rejected.pk, name="receive")
    _step(cast, rejected, "reject", {"so", "approver"}, "so", Status.REJECTED, StepInput(reason="Không phù hợp"))


def test_wrong_state_missing_decision_future_decision_and_stale_version_are_refused(cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    with pytest.raises(ApplicationError) as caught:
        project_transition(user=cast["so"], project_id=project.pk, name="pass_appraisal", data=decision())
    assert caught.value.code == ErrorCode.CONFLICT
    assert caught.value.extra["status"] == "draft"
    with pytest.raises(ApplicationError) as caught:
        project_transition(user=cast["so"], project_id=project.pk, name="no_such_step")
    assert caught.value.code == ErrorCode.INVALID
    project_transition(user=cast["centre"], project_id=project.pk, name="submit")
    project_transition(user=cast["so"], project_id=project.pk, name="receive")
    count = Transition.objects.count()
    with pytest.raises(ApplicationError) as caught:
        project_transition(user=cast["so"], project_id=project.pk, name="pass_appraisal")
    assert caught.value.field == "decision_number"
    future = decision(on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ApplicationError) as caught:
        project_transition(user=cast["so"], project_id=project.pk, name="pass_appraisal", data=future)
    assert caught.value.code == ErrorCode.INVALID_DATE
    project.refresh_from_db()
    stale = decision()
    stale.expected_version = project.version - 1
    with pytest.raises(ApplicationError) as caught:
        project_transition(user=cast["so"], project_id=project.pk, name="pass_appraisal", data=stale)
    assert caught.value.code == ErrorCode.STALE_VERSION
    assert Transition.objects.count() == count and Decision.objects.count() == 0
    assert Project.objects.get(pk=project.pk).status == Status.BASE_APPRAISAL


def test_late_steps_are_flagged_against_the_calendar(cast):
    # Plan year this year: the 20/5 deadline of the year before has passed.
    project = make_project(cast["centre"], cast["_centre_org"], year=timezone.localdate().year)
    assert workflow.pending_deadline(project, timezone.localdate()) is not None
    transition = project_transition(user=cast["centre"], project_id=project.pk, name="submit")
    assert transition.deadline == datetime.date(project.plan_year - 1, 5, 20)
    assert transition.late
    on_time = make_project(cast["centre"], cast["_centre_org"], year=timezone.localdate().year + 2)
    transition = project_transition(user=cast["centre"], project_id=on_time.pk, name="submit")
    assert transition.deadline == datetime.date(on_time.plan_year - 1, 5, 20)
    assert not transition.late


def test_local_side_paths_are_the_provincial_approvers(cast):
    project = make_project(cast["centre"], cast["_centre_org"], fund="kcdp")
    for name, who, data in [
        ("submit", "centre", None),
        ("receive", "so", None),
        ("pass_appraisal", "so", decision()),
        ("include_in_plan", "approver", decision()),
        ("assign", "so", decision()),
        ("sign_contract", "so", decision()),
        ("start", "centre", None),
    ]:
        project_transition(user=cast[who], project_id=project.pk, name=name, data=data)
    suspend = decision("9/QĐ-UBND")
    suspend.reason = "Cơ sở thụ hưởng ngừng sản xuất"
    _step(cast, project, "suspend", {"approver"}, "approver", Status.SUSPENDED, suspend)
    _step(cast, project, "resume", {"approver"}, "approver", Status.IN_PROGRESS, StepInput(reason="Đã thay cơ sở"))
    project_transition(user=cast["approver"], project_id=project.pk, name="suspend", data=suspend)
    stop = decision("10/QĐ-UBND")
    stop.reason = "Không khả thi"
    _step(cast, project, "stop", {"approver"}, "approver", Status.STOPPED, stop)

    rejected = make_project(cast["centre"], cast["_centre_org"], fund="kcdp")
    for name, who, data in [("submit", "centre", None), ("receive", "so", None), ("pass_appraisal", "so", decision())]:
        project_transition(user=cast[who], project_id=rejected.pk, name=name, data=data)
    _step(cast, rejected, "reject", {"approver"}, "approver", Status.REJECTED, StepInput(reason="Vượt kế hoạch vốn"))
