"""A đề án as people make it, in Debian's chromium: the implementing centre fills the guided form with two
beneficiaries found by typing their names, submits it; the Department receives and appraises it; the timeline tells
the story; the project document comes out as a PDF that renders to PNG."""

import subprocess

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from khuyencong.accounts.demo import DEMO_PASSWORD
from khuyencong.accounts.models import User
from khuyencong.policy.models import SupportItem
from khuyencong.projects.models import Project
from tests.browser import log_in

from .factories import beneficiary_establishments, people

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _beneficiary(page, index, search, name):
    row = page.get_by_test_id("beneficiary-form").nth(index)
    row.get_by_test_id("establishment-search").fill(search)
    select = row.get_by_test_id("establishment-select")
    option = select.locator("option", has_text=name)
    expect(option).to_have_count(1)
    select.select_option(option.get_attribute("value"))
    row.locator(f"#id_beneficiaries-{index}-support_item").select_option(str(SupportItem.objects.get(code="b1").pk))
    row.locator(f"#id_beneficiaries-{index}-eligible_cost_vnd").fill("2.000.000.000")
    row.locator(f"#id_beneficiaries-{index}-support_vnd").fill("500.000.000")
    row.locator(f"#id_beneficiaries-{index}-counterpart_vnd").fill("1.500.000.000")


def test_create_submit_appraise_and_read_the_timeline(page, tmp_path):
    cast = people()
    beneficiary_establishments(cast["centre"])
    log_in(page, cast["centre"].username)
    page.goto("/projects/")
    page.get_by_role("link", name="Đề án mới").click()
    page.locator("#id_name").fill("Hỗ trợ mô hình trình diễn chế biến chè Đức Trọng")
    page.locator("#id_fund").select_option("kcqg")
    page.locator("#id_implementing_org").select_option(label=cast["_centre_org"].name)
    _beneficiary(page, 0, "hop tac xa thu nghiem 1", "Hợp tác xã thử nghiệm 1")
    page.get_by_test_id("add-beneficiary").click()
    _beneficiary(page, 1, "thu nghiem 2", "Hợp tác xã thử nghiệm 2")
    page.locator("#id_budget-0-item").fill("Máy móc, thiết bị")
    page.locator("#id_budget-0-source").select_option("khuyen_cong")
    page.locator("#id_budget-0-planned_vnd").fill("1.000.000.000")
    page.get_by_test_id("add-budget-line").click()
    page.locator("#id_budget-1-item").fill("Vốn đối ứng của cơ sở")
    page.locator("#id_budget-1-source").select_option("counterpart")
    page.locator("#id_budget-1-planned_vnd").fill("3.000.000.000")
    page.locator("#id_targets-0-indicator").select_option("models")
    page.locator("#id_targets-0-planned").fill("2")
    page.get_by_test_id("save-project").click()

    expect(page.get_by_test_id("project-status")).to_have_text("Nháp")
    expect(page.get_by_test_id("beneficiary-row")).to_have_count(2)
    expect(page.get_by_test_id("budget-total")).to_have_text("4.000.000.000 đ")
    project = Project.objects.get(name="Hỗ trợ mô hình trình diễn chế biến chè Đức Trọng")
    assert sorted(project.beneficiaries.values_list("establishment__name", flat=True)) == [
        "Hợp tác xã thử nghiệm 1",
        "Hợp tác xã thử nghiệm 2",
    ]
    page.get_by_test_id("step-submit").click()
    page.get_by_test_id("confirm-step").click()
    expect(page.get_by_test_id("project-status")).to_have_text("Đã nộp Sở")

    log_in(page, cast["so"].username)
    page.goto(f"/projects/{project.pk}/")
    page.get_by_test_id("step-receive").click()
    page.get_by_test_id("confirm-step").click()
    expect(page.get_by_test_id("project-status")).to_have_text("Đang thẩm định cấp cơ sở")
    page.get_by_test_id("step-pass_appraisal").click()
    page.get_by_test_id("confirm-step").click()  # without the decision: refused at the field
    expect(page.locator(".invalid-feedback, [data-testid=step-error]").first).to_be_visible()
    page.locator("#id_decision_number").fill("125/PTĐ-SCT")
    page.locator("#id_decision_signed_on").fill(timezone.localdate().strftime("%d/%m/%Y"))
    page.locator("#id_decision_signer").fill("Nguyễn Văn An")
    page.locator("#id_reason").fill("Hồ sơ đầy đủ, đạt yêu cầu")
    page.get_by_test_id("confirm-step").click()
    expect(page.get_by_test_id("project-status")).to_have_text("Đạt thẩm định cấp cơ sở")

    items = page.get_by_test_id("timeline-item")
    expect(items).to_have_count(3)
    expect(items.nth(0)).to_contain_text("Đã nộp Sở")
    expect(items.nth(2)).to_contain_text("125/PTĐ-SCT")
    expect(items.nth(2)).to_contain_text("Hồ sơ đầy đủ, đạt yêu cầu")
    expect(page.get_by_test_id("step-register")).to_be_visible()

    response = page.request.get(f"/projects/{project.pk}/document.pdf")
    assert response.ok and response.headers["content-type"] == "application/pdf"
    pdf = tmp_path / "de-an.pdf"
    pdf.write_bytes(response.body())
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(tmp_path / "trang")], check=True)
    pages = sorted(tmp_path.glob("trang*.png"))
    assert pages and all(p.read_bytes().startswith(b"\x89PNG") for p in pages)


def test_project_pages_fit_a_360px_phone(phone_page):
    from khuyencong.accounts.demo import load_demo_data
    from khuyencong.projects.demo import load_demo_projects

    load_demo_data()
    centre = User.objects.get(username="lamdong.canbo")
    beneficiary_establishments(centre, count=5)
    assert load_demo_projects() == 3
    assert load_demo_projects() == 0  # idempotent
    running = Project.objects.get(status="in_progress")
    log_in(phone_page, "lamdong.so", password=DEMO_PASSWORD)
    for url in ("/projects/", f"/projects/{running.pk}/", f"/projects/{running.pk}/progress/", "/projects/new/"):
        phone_page.goto(url)
        overflow = phone_page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (url, overflow)
    phone_page.goto(f"/projects/{running.pk}/")
    expect(phone_page.get_by_test_id("project-status")).to_have_text("Đang thực hiện")
    expect(phone_page.get_by_test_id("timeline-item")).to_have_count(9)
