"""“Việc cần làm” in Debian's chromium, on a desktop and a 360 px phone: a step waiting for the Department is on the
home of `lamdong.so`, taken from there, gone from it and on the agency's; and each role lands where its work is."""

import re

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import make_user
from khuyencong.establishments.tests.factories import commune, make_establishment
from khuyencong.projects import workflow
from khuyencong.projects.models import Project
from khuyencong.projects.tests.factories import decision, make_project, people
from tests.browser import SCREENS, header_problems, log_in, wider_than_the_screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cast(live_server):
    cast = people()
    so = cast["so"]
    so.username = "lamdong.so"
    so.save()
    return cast


def _fits(page):
    assert wider_than_the_screen(page) == [], page.url
    assert header_problems(page) == [], page.url


@pytest.mark.parametrize("screen", SCREENS)
def test_a_step_waiting_for_the_department_is_taken_from_its_home(request, screen, cast):
    page = request.getfixturevalue(screen)
    project = make_project(cast["centre"], cast["_centre_org"])
    workflow.project_submit(user=cast["centre"], project_id=project.pk)
    workflow.project_receive(user=cast["so"], project_id=project.pk)
    workflow.project_pass_appraisal(user=cast["so"], project_id=project.pk, data=decision("7/QĐ-SCT"))
    register = workflow.step_for(Project.objects.get(pk=project.pk), "register")
    assert register is not None

    log_in(page, "lamdong.so")
    expect(page.get_by_role("heading", name="Việc cần làm", exact=True)).to_be_visible()
    waiting = page.get_by_test_id("inbox-projects")
    expect(page.get_by_test_id("inbox-projects-count")).to_have_text("1")
    expect(waiting).to_contain_text(str(register.label))
    expect(waiting).to_contain_text(re.compile(r"chờ \d+ ngày"))
    _fits(page)

    waiting.get_by_role("link", name=project.code).click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.get_by_test_id("next-step")).to_contain_text("Sở Công Thương")
    page.get_by_test_id("step-register").click()
    page.get_by_test_id("confirm-step").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.get_by_test_id("next-step")).to_contain_text("Cơ quan khuyến công của Bộ")

    page.locator(".navbar-brand").click()
    expect(page.get_by_test_id("inbox-projects-count")).to_have_text("0")
    expect(page.get_by_test_id("inbox-projects")).not_to_contain_text(project.code)
    expect(page.get_by_test_id("inbox-projects")).to_contain_text("Không có đề án nào chờ bạn")

    # now the ministry's agency's turn, on its own home
    log_in(page, cast["mofficer"])
    expect(page.get_by_test_id("inbox-projects-count")).to_have_text("1")
    expect(page.get_by_test_id("inbox-projects").get_by_role("link", name=project.code)).to_be_visible()
    _fits(page)


@pytest.mark.parametrize("screen", SCREENS)
def test_each_role_lands_where_its_work_is(request, screen, cast):
    page = request.getfixturevalue(screen)
    place = commune("Xã Đức Trọng")
    establishment = make_establishment(cast["so"], name="Hợp tác xã gốm Đức Trọng", commune_recorded=place)
    representative = make_user("establishment_rep", represents=[establishment])
    for role in ("centre", "approver", "mofficer", "mapprover", "auditor", "admin"):
        log_in(page, cast[role])
        page.goto("/")
        expect(page.get_by_role("heading", name="Việc cần làm", exact=True)).to_be_visible()
        expect(page.get_by_test_id("inbox-projects")).to_be_visible()
        expect(page.locator("script[src*=echarts]")).to_have_count(0)
        _fits(page)

    log_in(page, cast["collaborator"])
    expect(page).to_have_url(re.compile(r"/collaborators/reports/$"))
    expect(page.get_by_role("heading", name="Báo cáo của tôi")).to_be_visible()
    _fits(page)

    log_in(page, representative)
    expect(page).to_have_url(re.compile(rf"/establishments/{establishment.pk}/support/$"))
    expect(page.get_by_role("heading", name="Hợp tác xã gốm Đức Trọng")).to_be_visible()
    _fits(page)

    page.context.clear_cookies()
    page.goto("/")
    expect(page.locator("#province-map")).to_be_visible()
    expect(page.locator("#nav-main")).not_to_contain_text("Đề án")
    _fits(page)
