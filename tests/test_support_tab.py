"""An establishment's "Hỗ trợ đã nhận" tab lists the projects that support it (it said "nothing yet" whatever the
projects held): its representative, who lands there, sees its own support; staff open the project from it."""

from django.test import Client

from khuyencong.core.formatting import format_money

from .conftest import login


def _tab(world, role, establishment):
    return login(Client(), world.users[role]).get(f"/establishments/{establishment.pk}/support/").content.decode()


def test_the_support_tab_lists_the_projects_that_support_the_establishment(world, db):
    project, beneficiary = world.own["project"], world.own["beneficiary"]
    establishment = world.own["establishment"]
    for role in ("representative", "officer", "mofficer"):
        page = _tab(world, role, establishment)
        assert 'data-testid="support-table"' in page and project.code in page, role
        assert format_money(beneficiary.support_vnd) in page, role
        opens = f'href="/projects/{project.pk}/"' in page
        assert opens == (role != "representative"), role  # the project's own page is the staff's
    # the draft project naming the twin is not support; the twin's tab says there is none yet
    twin_page = _tab(world, "officer", world.own["establishment_twin"])
    assert 'data-testid="support-empty"' in twin_page and world.own["draft_project"].code not in twin_page


def test_a_representative_lands_on_their_establishments_support(world, db):
    client = login(Client(), world.users["representative"])
    answer = client.get("/", follow=True)
    page = answer.content.decode()
    assert answer.redirect_chain[-1][0].endswith(f"/establishments/{world.own['establishment'].pk}/support/")
    assert world.own["project"].code in page
