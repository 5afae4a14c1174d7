"""What comes next on a project and whose turn it is: `next_step` for the page, and `waiting_for_q`, the same
answer as one query for the inboxes — checked against each other for every state, fund, local workflow, pending
adjustment and user."""

import pytest
from django.utils import translation

from khuyencong.accounts.choices import OrganisationKind
from khuyencong.accounts.tests.factories import org_in
from khuyencong.core.history import allow_untracked_writes
from khuyencong.projects import workflow
from khuyencong.projects.choices import Status
from khuyencong.projects.models import Adjustment, LocalWorkflow, Project
from khuyencong.projects.selectors import project_queryset, projects_waiting
from khuyencong.projects.tests.factories import beneficiary_establishments, make_project, people


@pytest.fixture
def cast(db):
    return people()


def _projects(cast):
    """Projects of both funds in both provinces, one implemented by the ministry's agency; Lâm Đồng runs its local
    projects without base appraisal or contract, Hà Nội with the default steps."""
    LocalWorkflow.objects.create(
        province=cast["_centre_org"].province, approver="director", base_appraisal=False, contract_step=False
    )
    agency = org_in(None, name="Cục Công Thương địa phương", kind=OrganisationKind.MINISTRY_AGENCY)
    hanoi_centre = cast["other_centre"].organisation
    hanoi = beneficiary_establishments(cast["other_centre"], province="01")
    projects = [
        make_project(cast["centre"], cast["_centre_org"], fund="kcqg"),
        make_project(cast["centre"], cast["_centre_org"], fund="kcdp"),
        make_project(cast["other_centre"], hanoi_centre, fund="kcqg", establishments=hanoi),
        make_project(cast["other_centre"], hanoi_centre, fund="kcdp", establishments=hanoi),
        make_project(cast["mofficer"], agency, fund="kcqg", province=cast["_centre_org"].province),
    ]
    return projects


def _set_status(ids, status):
    """Put the projects in a state directly (the walk through the steps is tested in test_workflow)."""
    with allow_untracked_writes():
        Project.objects.filter(pk__in=ids).update(status=status)


def _expected(user, projects):
    found = set()
    for project in Project.objects.filter(pk__in=[p.pk for p in projects]).select_related("implementing_org"):
        step = workflow.next_step(project)
        if step is not None and workflow._allowed(user, project, step):
            found.add(project.pk)
    return found


def test_the_inbox_query_agrees_with_the_next_step_for_every_state_and_user(cast):
    projects = _projects(cast)
    ids = [p.pk for p in projects]
    users = {name: user for name, user in cast.items() if not name.startswith("_")}
    seen_waiting = 0
    for status in Status.values:
        for scale in (None, "major", "minor") if status == Status.ADJUSTMENT_PENDING else (None,):
            _set_status(ids, status)
            Adjustment.objects.filter(project_id__in=ids).delete()
            if scale:
                for project in projects:
                    Adjustment.objects.create(project=project, scale=scale, reason="Đổi địa điểm")
            for name, user in users.items():
                got = set(projects_waiting(user=user).filter(pk__in=ids).values_list("pk", flat=True))
                expected = _expected(user, projects)
                assert got == expected, (status, scale, name)
                seen_waiting += len(got)
    assert seen_waiting > 40  # the walk found work for people, not only empty inboxes


def test_next_step_is_named_with_who_acts_in_vietnamese(cast):
    LocalWorkflow.objects.create(province=cast["_centre_org"].province, approver="director")
    project = make_project(cast["centre"], cast["_centre_org"], fund="kcdp")
    _set_status([project.pk], Status.ASSIGNED)
    project.refresh_from_db()
    with translation.override("vi"):
        assert workflow.next_step_text(project) == "Bước tiếp theo: Sở Công Thương ghi nhận hợp đồng đã ký"
    _set_status([project.pk], Status.IN_PROGRESS)
    project.refresh_from_db()
    with translation.override("vi"):
        assert workflow.next_step_text(project) == "Bước tiếp theo: Sở Công Thương ghi nhận nghiệm thu"
    _set_status([project.pk], Status.EVALUATED)
    project.refresh_from_db()
    assert workflow.next_step_text(project) == ""


def test_the_project_page_names_the_next_step_to_someone_who_cannot_take_it(cast, client):
    project = make_project(cast["centre"], cast["_centre_org"], fund="kcqg")
    workflow.project_submit(user=cast["centre"], project_id=project.pk)
    client.force_login(cast["auditor"])
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert 'data-testid="next-step"' in page
    assert "Bước tiếp theo: Sở Công Thương tiếp nhận, thẩm định cấp cơ sở" in page
    assert project_queryset(user=cast["auditor"]).filter(pk=project.pk).exists()
