"""The registry as a provincial officer uses it, in Debian's chromium: import a file with good and bad rows through
the template and the dry-run report, find the new establishment by typing its name without diacritics, and see a
second editor's save refused."""

import openpyxl
import pytest
from playwright.sync_api import expect

from khuyencong.establishments.tests.factories import commune, make_establishment
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(make_user):
    return make_user("provincial_officer", province="68", username="canbo.lamdong")


def test_import_through_the_template_and_find_the_new_establishment(page, officer, tmp_path):
    duc_trong = commune("Xã Đức Trọng")
    log_in(page, officer.username)
    page.goto("/establishments/")
    page.get_by_role("link", name="Nhập từ Excel").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("template-link").click()
    template = tmp_path / "mau.xlsx"
    download_info.value.save_as(template)

    workbook = openpyxl.load_workbook(template)
    sheet = workbook["Cơ sở"]
    headers = [c.value.rstrip(" *") for c in sheet[1]]

    def add(**values):
        sheet.append([values.get(h) for h in headers])

    add(
        **{
            "Tên cơ sở": "Cơ sở mây tre đan Phước Thành",
            "Loại hình": "Hộ kinh doanh",
            "Mã xã": duc_trong.code,
            "Tổng số lao động": "1.920",
        }
    )
    add(
        **{
            "Tên cơ sở": "Hợp tác xã chè Tân Hội",
            "Loại hình": "Hợp tác xã",
            "Xã, phường": "Đức Trọng",
            "Tỉnh, thành phố": "Tỉnh Lâm Đồng",
            "Mã số thuế / số ĐKKD": "5800123456",
        }
    )
    add(**{"Tên cơ sở": "Cơ sở sai", "Loại hình": "Công ty ma", "Mã xã": duc_trong.code})
    add(**{"Tên cơ sở": "Cơ sở không xã", "Loại hình": "Hộ kinh doanh"})
    filled = tmp_path / "danh-sach.xlsx"
    workbook.save(filled)

    page.get_by_label("Tệp").set_input_files(str(filled))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    expect(page.get_by_test_id("count-new")).to_have_text("2")
    expect(page.get_by_test_id("count-error")).to_have_text("2")
    rows = page.get_by_test_id("import-rows")
    expect(rows).to_contain_text("“Công ty ma” không phải là loại hình hợp lệ")
    expect(rows).to_contain_text("cần ghi mã xã, hoặc tên xã và tên tỉnh")
    page.get_by_test_id("commit").click()
    expect(page.get_by_test_id("import-done")).to_contain_text("2 cơ sở mới")

    page.goto("/establishments/")
    page.get_by_placeholder("Tìm kiếm (có dấu hoặc không dấu)").fill("may tre phuoc thanh")
    expect(page.locator("#object-list tbody tr")).to_have_count(1)
    page.locator("#object-list").get_by_role("link", name="Cơ sở mây tre đan Phước Thành").click()
    expect(page.get_by_test_id("current-commune")).to_contain_text("Xã Đức Trọng, Tỉnh Lâm Đồng")
    page.get_by_role("link", name="Lịch sử thay đổi").click()
    expect(page.get_by_test_id("history-table")).to_contain_text("Nhập từ tệp “danh-sach.xlsx”")


def test_a_second_editor_is_refused_and_sees_what_changed(browser, live_server, officer, make_user):
    establishment = make_establishment(officer, name="Xưởng cơ khí Minh Phát", employees_total=8)
    colleague = make_user("provincial_officer", province="68", username="dongnghiep.lamdong")
    pages = []
    for user in (officer, colleague):
        context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
        page = context.new_page()
        log_in(page, user.username)
        page.goto(f"/establishments/{establishment.pk}/edit/")
        pages.append(page)
    first, second = pages
    first.get_by_label("Số lao động", exact=True).fill("12")
    first.get_by_role("button", name="Lưu").click()
    expect(first.get_by_role("alert").filter(has_text="Đã lưu thay đổi")).to_be_visible()

    second.get_by_label("Điện thoại").fill("0912 345 678")
    second.get_by_role("button", name="Lưu").click()
    conflict = second.get_by_test_id("conflict")
    expect(conflict).to_contain_text("Người khác đã lưu cơ sở này")
    expect(conflict).to_contain_text("Số lao động")
    expect(conflict.locator("del")).to_have_text("8")
    expect(conflict.locator("ins")).to_have_text("12")
    expect(second.get_by_label("Điện thoại")).to_have_value("0912 345 678")  # the user's entry is kept
    establishment.refresh_from_db()
    assert (establishment.employees_total, establishment.phone) == (12, "")
    for page in pages:
        page.context.close()


def test_create_with_the_commune_picker_on_a_phone(phone_page, officer):
    page = phone_page
    log_in(page, officer.username)
    page.goto("/establishments/new/")
    page.locator("#id_name").fill("Cơ sở dệt thổ cẩm K'Long")
    page.locator("#id_legal_form").select_option("ho_kinh_doanh")
    page.get_by_label("Xã, phường, đặc khu").fill("duc trong")
    page.get_by_test_id("commune-results").get_by_text("Xã Đức Trọng").click()
    expect(page.get_by_test_id("commune-choice")).to_contain_text("Xã Đức Trọng")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_role("heading", name="Cơ sở dệt thổ cẩm K'Long")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
