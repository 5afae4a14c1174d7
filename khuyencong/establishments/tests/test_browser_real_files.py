"""A province's real registry file in Debian's chromium, on a desktop and a 360 px phone: 5-digit VSIC codes,
communes of before 1/7/2025 and a tax code held by another-looking establishment, decided in the dry run; then the
list filtered on the page, exported with exactly the rows shown, and narrowed with the commune picker."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from khuyencong.establishments.models import Establishment
from khuyencong.establishments.tests import files
from khuyencong.establishments.tests.factories import commune, make_establishment
from khuyencong.geography.models import AdminUnit
from tests.browser import SCREENS, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(make_user):
    return make_user("provincial_officer", province="68", username="canbo.lamdong")


@pytest.mark.parametrize("screen", SCREENS)
def test_a_provincial_file_with_5_digit_codes_old_communes_and_a_tax_code_conflict(request, screen, officer, tmp_path):
    page = request.getfixturevalue(screen)
    holder = make_establishment(
        officer, name="Công ty TNHH Chè Cầu Đất", legal_form="dn_nho", tax_code="5800111111", owner_name="Nguyễn Văn An"
    )
    old = (
        AdminUnit.objects.filter(level="commune", valid_to__isnull=False, province__code="67")
        .select_related("province")
        .earliest("code")
    )
    rows = [
        files.row(
            name="Cơ sở cà phê Cầu Đất",
            legal_form="Hộ kinh doanh",
            commune_code=commune("Xã Đức Trọng").code,
            industry_code=10770,
        ),
        files.row(
            name="Cơ sở mây tre đan Đắk Nông",
            legal_form="Hộ kinh doanh",
            commune_name=old.full_name,
            province_name="Đắk Nông",
            recorded_on="05/03/2024",
            industry_code="16292",
        ),
        files.row(
            name="Cơ sở rượu cần Ka Bông",
            legal_form="DN nhỏ",
            tax_code="5800111111",
            commune_code=commune("Xã Di Linh").code,
            owner_name="Trần Văn Bình",
        ),
        files.row(name="Cơ sở sai", legal_form="Công ty ma", commune_code=commune("Xã Đức Trọng").code),
    ]
    path = tmp_path / "danh-sach-tinh.xlsx"
    path.write_bytes(files.xlsx(rows, title="DANH SÁCH CƠ SỞ CNNT NĂM 2026"))
    log_in(page, officer.username)
    page.goto("/establishments/import/")
    page.get_by_label("Tệp").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_test_id("count-new")).to_have_text("2")
    expect(page.get_by_test_id("count-conflict")).to_have_text("1")
    expect(page.get_by_test_id("count-error")).to_have_text("1")
    expect(page.get_by_test_id("conflict-notice")).to_contain_text("mã số thuế của một cơ sở khác tên")
    diff = page.get_by_test_id("row-diff")
    expect(diff).to_contain_text("Công ty TNHH Chè Cầu Đất")
    expect(diff).to_contain_text("Cơ sở rượu cần Ka Bông")
    expect(diff).to_contain_text("Trần Văn Bình")
    expect(page.get_by_test_id("rejected-file")).to_be_visible()
    expect(page.get_by_test_id("commit")).to_contain_text("Lưu 2 dòng")
    page.get_by_label("Cập nhật cơ sở đã có").check()
    page.get_by_test_id("decide").click()
    expect(page.get_by_test_id("commit")).to_contain_text("Lưu 3 dòng")
    expect(page.get_by_label("Cập nhật cơ sở đã có")).to_be_checked()
    if screen == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("2 cơ sở mới, 1 cơ sở được cập nhật")
    holder.refresh_from_db()
    assert (holder.name, holder.owner_name) == ("Cơ sở rượu cần Ka Bông", "Trần Văn Bình")
    coffee = Establishment.objects.select_related("main_industry").get(name="Cơ sở cà phê Cầu Đất")
    assert coffee.main_industry is not None and coffee.main_industry.code == "10770"
    bamboo = Establishment.objects.get(name="Cơ sở mây tre đan Đắk Nông")
    assert bamboo.commune_recorded_id == old.pk and bamboo.province.code == "68"


@pytest.mark.parametrize("screen", SCREENS)
def test_the_export_after_filtering_on_the_page_holds_exactly_the_rows_shown(request, screen, officer, tmp_path):
    page = request.getfixturevalue(screen)
    di_linh = commune("Xã Di Linh")
    make_establishment(officer, name="Cơ sở gốm Tân Phú")
    make_establishment(officer, name="Cơ sở gốm Di Linh Xưa", commune_recorded=di_linh)
    make_establishment(officer, name="Hợp tác xã chè", commune_recorded=di_linh)
    make_establishment(officer, name="Cơ sở dệt thổ cẩm")
    log_in(page, officer.username)
    page.goto("/establishments/")
    expect(page.locator("#object-list tbody tr")).to_have_count(4)
    page.get_by_placeholder("Tìm kiếm (có dấu hoặc không dấu)").fill("gom")
    expect(page.locator("#object-list tbody tr")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/establishments/\?q=gom"))
    shown = set(page.locator("#object-list tbody tr td:first-child a").all_inner_texts())
    with page.expect_download() as download_info:
        page.get_by_test_id("export-xlsx").click()
    target = tmp_path / "xuat.xlsx"
    download_info.value.save_as(target)
    sheet = openpyxl.load_workbook(target).active
    exported = {row[1] for row in sheet.iter_rows(min_row=2, values_only=True) if row[1]}
    assert exported == shown == {"Cơ sở gốm Tân Phú", "Cơ sở gốm Di Linh Xưa"}
    # typing more does not make the URL grow
    page.get_by_placeholder("Tìm kiếm (có dấu hoặc không dấu)").fill("gom di")
    expect(page.locator("#object-list tbody tr")).to_have_count(1)
    assert page.url.count("q=") == 1
    # the commune picker narrows the list to a commune
    page.get_by_placeholder("Tìm kiếm (có dấu hoặc không dấu)").fill("")
    expect(page.locator("#object-list tbody tr")).to_have_count(4)
    page.get_by_label("Xã, phường, đặc khu").fill("di linh")
    page.get_by_test_id("commune-results").get_by_text("Xã Di Linh").first.click()
    expect(page.locator("#object-list tbody tr")).to_have_count(2)
    expect(page.get_by_test_id("commune-choice")).to_contain_text("Xã Di Linh")
    if screen == "phone_page":
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
