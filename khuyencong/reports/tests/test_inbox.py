"""“Việc cần làm”: each role's home, the inbox's lists against the same answers computed another way, and the API."""

import datetime

import pytest
from django.utils import timezone

from khuyencong.accounts.tests.factories import make_user
from khuyencong.establishments.tests.factories import commune, make_establishment
from khuyencong.policy.models import CalendarDeadline
from khuyencong.projects import workflow
from khuyencong.projects.choices import Status
from khuyencong.projects.models import Project
from khuyencong.projects.services import progress_report_submit
from khuyencong.projects.tests.factories import decision, make_project, people
from khuyencong.reports.inbox import inbox_for


@pytest.fixture
def cast(db):
    return people()


def _to_base_approved(cast, **kwargs):
    project = make_project(cast["centre"], cast["_centre_org"], **kwargs)
    workflow.project_submit(user=cast["centre"], project_id=project.pk)
    workflow.project_receive(user=cast["so"], project_id=project.pk)
    workflow.project_pass_appraisal(user=cast["so"], project_id=project.pk, data=decision("7/QĐ-SCT"))
    return project


def test_a_step_waiting_for_the_department_appears_and_goes_once_taken(cast, client):
    project = _to_base_approved(cast)
    client.force_login(cast["so"])
    page = client.get("/")
    assert page.status_code == 200
    board = page.context["inbox"]
    assert [w.project.pk for w in board.waiting] == [project.pk]
    register = workflow.step_for(Project.objects.get(pk=project.pk), "register")
    assert register is not None and workflow.next_step(Project.objects.get(pk=project.pk)) == register
    assert board.waiting[0].step == str(register.label)
    text = page.content.decode()
    assert project.code in text and 'data-testid="inbox-projects-count">1<' in text
    # the same list over the API, for the same user
    api = client.get("/api/v1/me/tasks/").json()
    assert api["projects_waiting"]["count"] == 1
    assert api["projects_waiting"]["items"][0]["code"] == project.code
    # not the centre's (an implementer), not another province's Department
    assert inbox_for(user=cast["centre"]).waiting_count == 0
    assert inbox_for(user=cast["other_so"]).waiting_count == 0
    workflow.project_register(user=cast["so"], project_id=project.pk)
    assert inbox_for(user=cast["so"]).waiting_count == 0
    # now the ministry's agency's turn
    officer_box = inbox_for(user=cast["mofficer"])
    assert [w.project.pk for w in officer_box.waiting] == [project.pk]
    receive = workflow.step_for(Project.objects.get(pk=project.pk), "ministry_receive")
    assert receive is not None and officer_box.waiting[0].step == str(receive.label)
    # the project list's "waiting for me" filter is the inbox's "All" link
    listed = client.get("/projects/", {"waiting": "true"})
    assert project.code not in listed.content.decode()
    client.force_login(cast["mofficer"])
    assert project.code in client.get("/projects/", {"waiting": "true"}).content.decode()


def test_deadlines_show_the_projects_still_waiting_on_them(cast):
    year = timezone.localdate().year + 1
    project = make_project(cast["centre"], cast["_centre_org"], year=year)
    assert project.status == Status.DRAFT
    row = CalendarDeadline.objects.filter(fund="kcqg", step="submit_department", month__isnull=False).first()
    assert row is not None, "the programme calendar is seeded"
    due = row.date_for(year)
    board = inbox_for(user=cast["centre"])
    days_left = (due - timezone.localdate()).days
    found = [d for d in board.deadlines if d.year == year and d.label == str(CalendarDeadline.Step(row.step).label)]
    if -45 <= days_left <= 90:
        assert found and found[0].projects == 1 and found[0].date == due
    else:
        assert not found


def test_a_passed_deadline_with_a_late_project_is_listed_in_red(cast, client):
    """A calendar row in force from yesterday puts the submission deadline of next year's plan three days ago: the
    draft still waiting on it shows as late."""
    today = timezone.localdate()
    year = today.year + 1
    due = today - datetime.timedelta(days=3)
    CalendarDeadline.objects.create(
        fund="kcqg",
        step="submit_department",
        day=due.day,
        month=due.month,
        year_offset=due.year - year,
        valid_from=today - datetime.timedelta(days=1),
        legal_document=CalendarDeadline.objects.filter(legal_document__isnull=False).first().legal_document,
    )
    make_project(cast["centre"], cast["_centre_org"], year=year)
    board = inbox_for(user=cast["centre"])
    late = [d for d in board.deadlines if d.passed and d.projects]
    assert late and late[0].days_left == -3
    client.force_login(cast["centre"])
    page = client.get("/").content.decode()
    assert "đã quá 3 ngày" in page and "list-group-item-danger" in page


def test_progress_reports_to_confirm_are_the_departments(cast):
    project = _to_base_approved(cast, fund="kcdp", year=timezone.localdate().year)
    workflow.project_include_in_plan(user=cast["approver"], project_id=project.pk, data=decision("8/QĐ-UBND"))
    workflow.project_assign(user=cast["so"], project_id=project.pk, data=decision("9/QĐ-SCT"))
    workflow.project_sign_contract(user=cast["so"], project_id=project.pk, data=decision("10/HĐ"))
    workflow.project_start(user=cast["centre"], project_id=project.pk)
    progress_report_submit(
        user=cast["centre"], project_id=project.pk, month=timezone.localdate().replace(day=1),
        work_done="Lắp đặt máy", percent_done=40, spent={"khuyen_cong": 0},
    )  # fmt: skip
    assert inbox_for(user=cast["so"]).progress_count == 1
    assert inbox_for(user=cast["centre"]).progress_count == 0
    assert inbox_for(user=cast["other_so"]).progress_count == 0
    assert inbox_for(user=cast["mofficer"]).progress_count == 0  # a local project: not the agency's


def test_duplicates_to_decide_are_listed_for_registry_editors_of_both_records(cast):
    place = commune("Xã Đức Trọng")
    make_establishment(cast["so"], name="Cơ sở mây tre Phú Hội", commune_recorded=place)
    make_establishment(cast["so"], name="Cơ sở mây tre Phú Hội", commune_recorded=place)
    assert inbox_for(user=cast["so"]).duplicate_count >= 1
    assert inbox_for(user=cast["auditor"]).duplicate_count == 0  # reads, does not decide
    assert inbox_for(user=cast["other_so"]).duplicate_count == 0


def test_each_role_lands_where_its_work_is(cast, client):
    client.force_login(cast["collaborator"])
    assert client.get("/").url == "/collaborators/reports/"
    place = commune("Xã Đức Trọng")
    establishment = make_establishment(cast["so"], name="Hợp tác xã gốm Đức Trọng", commune_recorded=place)
    rep = make_user("establishment_rep", represents=[establishment])
    client.force_login(rep)
    assert client.get("/").url == f"/establishments/{establishment.pk}/support/"
    client.logout()
    anonymous = client.get("/")
    assert anonymous.status_code == 200 and 'id="province-map"' in anonymous.content.decode()


def test_home_loads_no_chart_library_and_the_menu_follows_the_role(cast, client):
    client.force_login(cast["so"])
    page = client.get("/").content.decode()
    assert "echarts" not in page
    assert 'href="/plans/"' in page and 'href="/projects/"' in page
    client.force_login(cast["collaborator"])
    page = client.get("/collaborators/reports/").content.decode()
    assert 'href="/plans/"' not in page and 'href="/accounts/organisations/"' not in page
    client.logout()
    page = client.get("/public/").content.decode()
    assert 'href="/projects/"' not in page and 'href="/establishments/"' not in page and 'href="/public/data/"' in page
