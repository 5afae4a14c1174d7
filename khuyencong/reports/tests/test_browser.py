"""The dashboard in Debian's chromium as a ministry, a provincial and a collaborator user: each sees only its
scope's figures, the charts and the map are drawn, and a province drills down to its communes."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser import log_in

from .test_dashboard import world  # noqa: F401 - the shared fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dashboard_per_role(page, world):  # noqa: F811
    cast, own = world
    year = timezone.localdate().year
    query = f"?year_from={year}&year_to={year + 1}"
    expected = {"mofficer": "2", "so": "1", "collaborator": "1"}
    for who, projects in expected.items():
        log_in(page, cast[who].username)
        page.goto(f"/reports/{query}")
        expect(page.get_by_test_id("card-projects")).to_have_text(projects)
        api = page.request.get(f"/api/v1/dashboard/{query}").json()
        expect(page.get_by_test_id("card-disbursed")).to_have_text(api["cards"]["disbursed"])
        # each of the two charts drawn, or "Chưa có số liệu" in its place when it has nothing to draw
        expect(page.locator("[data-chart][data-rendered=true], [data-testid=no-data]")).to_have_count(2)
        assert page.locator("[data-chart]").count() + page.get_by_text("Chưa có số liệu", exact=True).count() >= 2
        if who == "mofficer":
            expect(page.get_by_test_id("card-disbursed")).to_have_text("3.000.000.000 đ")
            expect(page.locator("[data-testid=province-map][data-rendered=true]")).to_have_count(1)
            assert page.get_by_test_id("province-table").locator("tbody tr").count() == 34
        elif who == "so":
            rows = page.get_by_test_id("province-table").locator("tbody tr")
            expect(rows).to_have_count(1)
            expect(rows).to_contain_text("Lâm Đồng")
            page.locator("details:has([data-testid=province-table]) > summary").click()  # the map's table view
            rows.get_by_role("link").click()
            expect(page).to_have_url(re.compile(r"province="))
            expect(page.locator("[data-testid=commune-map][data-rendered=true]")).to_have_count(1)
        else:
            expect(page.get_by_test_id("card-disbursed")).to_have_text("0 đ")
            expect(page.get_by_test_id("province-table").locator("tbody tr")).to_have_count(0)
