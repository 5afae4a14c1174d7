"""Issue 14 end to end, in Debian's chromium: the ministry enters a plan's allocation table (province × content),
includes a project, the province records the results at acceptance, and the same figures are read on the progress
page (with its breakdown by content), the dashboard, the pivot and the province's periodic report file."""

import io

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from khuyencong.plans.services import money_event_record
from khuyencong.policy.models import ActivityContent
from khuyencong.reports.official import periodic_report, render_xlsx
from tests.browser import log_in

from .test_plan_arithmetic import _under_way

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_allocation_table_results_and_the_same_figures_everywhere(page):
    from khuyencong.projects.tests.factories import people

    cast = people()
    today = timezone.localdate()
    year = today.year
    lam_dong = cast["_centre_org"].province
    c43 = ActivityContent.objects.get(code="4.3", valid_to__isnull=True)
    c41 = ActivityContent.objects.get(code="4.1", valid_to__isnull=True)
    project = _under_way(cast, c43, year=year)
    money_event_record(user=cast["mofficer"], project_id=project.pk, kind="advance", source="khuyen_cong",
                       amount_vnd=700_000_000, occurred_on=today)  # fmt: skip

    # The ministry enters the national plan with its allocation table.
    log_in(page, cast["mofficer"].username)
    page.goto("/plans/new/")
    page.locator("#id_title").fill(f"Kế hoạch khuyến công quốc gia {year}")
    page.locator("#id_fund").select_option("kcqg")
    page.locator("#id_year").fill(str(year))
    page.locator("#id_total_vnd").fill("5.000.000.000")
    page.locator("#id_decision_number").fill(f"3150/QĐ-BCT-{year}")
    page.locator("#id_decision_date").fill(f"05/01/{year}")
    page.locator("#id_signer").fill("Thứ trưởng")
    page.locator("#id_allocations-0-province").select_option(str(lam_dong.pk))
    page.locator("#id_allocations-0-content").select_option(str(c43.pk))
    page.locator("#id_allocations-0-amount_vnd").fill("2.000.000.000")
    page.locator("#id_allocations-1-province").select_option(str(lam_dong.pk))
    page.locator("#id_allocations-1-content").select_option(str(c41.pk))
    page.locator("#id_allocations-1-amount_vnd").fill("500.000.000")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_test_id("compare-table")).to_be_visible()
    # Including the project beyond its approved funds is refused with the figures; within them it is included.
    page.locator("#id_project").fill(project.code)
    page.locator("#id_approved_vnd").fill("1.000.000.001")
    page.get_by_role("button", name="Đưa vào hoặc sửa").click()
    expect(page.get_by_text("vượt kinh phí khuyến công được duyệt cho đề án")).to_be_visible()
    page.locator("#id_approved_vnd").fill("1.000.000.000")
    page.get_by_role("button", name="Đưa vào hoặc sửa").click()
    expect(page.get_by_test_id("compare-table")).to_contain_text(project.code)

    # The province accepts the project with its results.
    log_in(page, cast["so"].username)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_test_id("step-accept").click()
    page.locator("#id_decision_number").fill("7/BB-NT")
    page.locator("#id_decision_signed_on").fill(today.strftime("%d/%m/%Y"))
    page.locator("#id_decision_signer").fill("Nguyễn Văn An")
    page.locator("#id_achieved_models").fill("2")
    page.locator("#id_achieved_jobs_created").fill("25")
    page.get_by_test_id("confirm-step").click()
    expect(page.get_by_test_id("project-status")).to_have_text("Đã nghiệm thu")

    # The progress page: the province's plan is its cells, and its breakdown by content.
    page.goto(f"/plans/progress/?year_from={year}&year_to={year}")
    expect(page.get_by_test_id("figure-planned")).to_have_text("2.500.000.000 đ")
    expect(page.get_by_test_id("figure-progress")).to_have_text("28,00 %")
    contents = page.get_by_test_id("breakdown-contents")
    expect(contents.locator("tr", has_text="4.3.")).to_contain_text("2.000.000.000 đ")
    expect(contents.locator("tr", has_text="4.3.")).to_contain_text("35,00 %")
    expect(contents.locator("tr", has_text="4.1.")).to_contain_text("500.000.000 đ")
    # The dashboard: a card for each indicator with values.
    page.goto(f"/reports/?year_from={year}&year_to={year}")
    expect(page.get_by_test_id("card-planned")).to_have_text("2.500.000.000 đ")
    expect(page.get_by_test_id("card-models")).to_have_text("2")
    expect(page.get_by_test_id("card-jobs_created")).to_have_text("25")
    by_content = page.get_by_test_id("outputs-by-content")
    expect(by_content).to_contain_text("4.3. ")
    expect(by_content.locator("tbody tr:not(.table-light)", has_text="Mô hình trình diễn kỹ thuật")).to_contain_text(
        "mô hình"
    )
    # The pivot: the indicator as a measure, by content.
    page.goto(
        f"/reports/pivot/?rows=content&cols=fund&measure=target_achieved&indicator=models&year_from={year}"
        f"&year_to={year}"
    )
    expect(page.get_by_test_id("pivot-table").locator("tr", has_text="4.3.")).to_contain_text("2")
    # The province's periodic report file says the same.
    document = periodic_report(user=cast["so"], province_id=lam_dong.pk, year=year, period="year")
    rows = list(openpyxl.load_workbook(io.BytesIO(render_xlsx(document))).active.iter_rows(values_only=True))
    by_label = {row[0]: row[1:4] for row in rows if row and row[0]}
    assert by_label["Kế hoạch"] == ("2.500", "0", "2.500")
    assert by_label["Tỷ lệ giải ngân so với kế hoạch (%)"][0] == "28,00"
    assert ("Mô hình trình diễn kỹ thuật", "mô hình", "2", "2") in [tuple(r[:4]) for r in rows]
