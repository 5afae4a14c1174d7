"""The progress page as an officer of a province reads it, in Debian's chromium: the same figures as the API for
the same province and date, the chart drawn, and the page usable on a 360 px phone."""

import datetime
import json

import pytest
from playwright.sync_api import expect

from khuyencong.plans.services import AllocationInput, DecisionInput, money_event_record, plan_create, plan_item_set
from tests.browser import log_in

from .test_money import TY, _project_under_way

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
D = datetime.date


def test_progress_page_shows_the_api_figures_for_a_province_and_date(page, phone_page):
    from khuyencong.projects.tests.factories import people

    cast = people()
    plan = plan_create(
        user=cast["mofficer"], fund="kcqg", year=2025, province_id=None, title="Kế hoạch KCQG 2025",
        total_vnd=100 * TY, decision=DecisionInput("10/QĐ-BCT", D(2024, 12, 30), "Bộ trưởng"),
        allocations=[AllocationInput(40 * TY, cast["_centre_org"].province_id, None)],
    )  # fmt: skip
    project = _project_under_way(cast, year=2025, kc_vnd=10 * TY)
    plan_item_set(user=cast["mofficer"], plan_id=plan.pk, project_id=project.pk, approved_vnd=10 * TY)
    for day, amount in ((D(2025, 3, 10), 5_000_000_000), (D(2025, 5, 20), 1_861_000_000)):
        money_event_record(
            user=cast["mofficer"], project_id=project.pk, kind="advance", source="khuyen_cong",
            amount_vnd=amount, occurred_on=day,
        )  # fmt: skip
    province = cast["_centre_org"].province
    log_in(page, cast["so"].username)
    page.goto("/plans/")
    page.get_by_test_id("progress-link").click()
    page.locator("#id_province").select_option(str(province.pk))
    page.locator("#id_as_of").fill("31/03/2025")
    page.locator("#id_year_from").fill("2025")
    page.locator("#id_year_to").fill("2025")
    page.get_by_role("button", name="Xem").click()
    expect(page.get_by_test_id("progress-scope")).to_contain_text(province.full_name)
    response = page.request.get(
        f"/api/v1/plan-vs-actual/?province={province.pk}&as_of=2025-03-31&year_from=2025&year_to=2025"
    )
    api = json.loads(response.body())
    assert api["figures"]["disbursed_vnd"] == 5_000_000_000  # the May advance is after the date
    expect(page.get_by_test_id("figure-progress")).to_have_text(api["display"]["progress"])
    expect(page.get_by_test_id("figure-progress")).to_have_text("12,50 %")
    expect(page.get_by_test_id("figure-planned")).to_have_text(api["display"]["planned_vnd"])
    expect(page.get_by_test_id("figure-assigned")).to_have_text(api["display"]["assigned_vnd"])
    expect(page.get_by_test_id("figure-disbursed")).to_have_text(api["display"]["disbursed_vnd"])
    expect(page.locator("#progress-chart[data-rendered=true]")).to_have_count(1)

    log_in(phone_page, cast["so"].username)
    phone_page.goto(f"/plans/progress/?province={province.pk}&as_of=30/06/2025&year_from=2025&year_to=2025")
    expect(phone_page.get_by_test_id("figure-progress")).to_have_text("17,15 %")
    assert phone_page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 1
