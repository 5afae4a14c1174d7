"""The main path as a person walks it, in Debian's chromium: log in as a provincial officer, land on the work
waiting, see the map and the scope, find a commune by typing its name without diacritics, and be refused another
province's objects."""

import re

import pytest
from playwright.sync_api import expect

from khuyencong.accounts.tests.factories import PASSWORD, org_in
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(make_user):
    organisation = org_in("68", name="Trung tâm Khuyến công tỉnh Lâm Đồng", kind="provincial_centre")
    return make_user("provincial_officer", province="68", username="canbo.lamdong", organisation=organisation)


def test_provincial_officer_main_path(page, officer):
    ha_noi = org_in("01", name="Sở Công Thương thành phố Hà Nội")
    log_in(page, officer.username)

    # Work starts on “Việc cần làm”; the map of the 34 provinces, with the same figures as a table, is a page of
    # the administrative units.
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    expect(page.get_by_test_id("inbox-projects")).to_contain_text("Không có đề án nào chờ bạn xử lý")
    page.goto("/units/map/")
    expect(page.locator("#province-map[data-rendered='true'] canvas")).to_have_count(1)
    expect(page.get_by_test_id("province-table").locator("tbody tr")).to_have_count(34)
    expect(page.get_by_test_id("province-table")).to_contain_text("Tỉnh Lâm Đồng")

    # The user menu names the organisation and the scope.
    page.get_by_test_id("user-menu").click()
    expect(page.get_by_test_id("user-scope")).to_contain_text("Tỉnh Lâm Đồng")
    expect(page.get_by_test_id("user-organisation")).to_contain_text("Trung tâm Khuyến công tỉnh Lâm Đồng")

    # Find a commune by typing its name without diacritics.
    page.goto("/units/communes/find/")
    page.get_by_label("Xã, phường, đặc khu").fill("duc trong")
    results = page.get_by_test_id("commune-results")
    expect(results).to_contain_text("Xã Đức Trọng")
    expect(results).to_contain_text("Tỉnh Lâm Đồng")
    # A commune of another province is not offered.
    page.get_by_label("Xã, phường, đặc khu").fill("ba dinh")
    expect(page.get_by_role("status")).to_contain_text("Không có xã, phường nào")

    # Another province's organisation is refused with a Vietnamese 404; the own province's opens.
    response = page.goto(f"/accounts/organisations/{ha_noi.pk}/")
    assert response is not None and response.status == 404
    expect(page.get_by_test_id("error-404")).to_contain_text("nằm ngoài địa bàn")
    page.goto("/accounts/organisations/")
    expect(page.locator("#object-list")).to_contain_text("Trung tâm Khuyến công tỉnh Lâm Đồng")
    expect(page.locator("#object-list")).not_to_contain_text("Hà Nội")
    response = page.goto(f"/api/v1/organisations/{ha_noi.pk}/")
    assert response is not None and response.status == 404


def test_search_updates_the_list_as_one_types(page, officer):
    log_in(page, officer.username)
    page.goto("/units/?level=province")
    page.get_by_placeholder("Tìm kiếm (có dấu hoặc không dấu)").fill("dak lak")
    expect(page.locator("#object-list tbody tr")).to_have_count(1)
    expect(page.locator("#object-list")).to_contain_text("Tỉnh Đắk Lắk")
    expect(page).to_have_url(re.compile(r"q=dak"))


def test_wrong_password_then_lockout(page, officer, settings):
    page.goto("/accounts/login/")
    for attempt in range(1, settings.AXES_FAILURE_LIMIT + 1):
        page.get_by_label("Tên đăng nhập").fill(officer.username)
        page.get_by_label("Mật khẩu").fill("sai-mat-khau")
        page.get_by_role("button", name="Đăng nhập").click()
        if attempt < settings.AXES_FAILURE_LIMIT:
            expect(page.get_by_role("alert")).to_contain_text("Sai tên đăng nhập hoặc mật khẩu")
    expect(page.get_by_test_id("locked-out")).to_contain_text("tạm thời bị khóa")
    # Even the right password is refused while the account is locked.
    page.goto("/accounts/login/")
    page.get_by_label("Tên đăng nhập").fill(officer.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_test_id("locked-out")).to_contain_text("tạm thời bị khóa")


def test_phone_layout(phone_page, officer):
    page = phone_page
    log_in(page, officer.username)
    expect(page.get_by_test_id("inbox-deadlines")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto("/units/map/")
    expect(page.locator("#province-map[data-rendered='true'] canvas")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The navigation folds into the menu button.
    expect(page.get_by_role("link", name="Đơn vị hành chính")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#nav-main")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))  # unfolded, not unfolding
    page.get_by_test_id("nav-reference").click()  # the catalogues, under "Danh mục"
    expect(page.get_by_role("link", name="Đơn vị hành chính")).to_be_visible()
    page.goto("/units/communes/find/")
    page.get_by_label("Xã, phường, đặc khu").fill("bao loc")
    expect(page.get_by_test_id("commune-results")).to_contain_text("Bảo Lộc")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.goto("/units/?level=commune")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_api_documentation_renders_under_the_csp(page, officer):
    log_in(page, officer.username)
    page.goto("/api/v1/docs/")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Khuyến công API")
    expect(page.locator(".opblock-tag-section").first).to_be_visible()


def test_english_from_the_language_switcher(page, officer):
    log_in(page, officer.username)
    page.get_by_label("Ngôn ngữ").select_option("en")
    expect(page.get_by_role("link", name="Establishments")).to_be_visible()
    expect(page.get_by_test_id("nav-reference")).to_have_text("Reference")
    page.get_by_label("Language").select_option("vi")
    expect(page.get_by_role("link", name="Cơ sở CNNT")).to_be_visible()
    expect(page.get_by_test_id("nav-reference")).to_have_text("Danh mục")


def test_api_tokens_on_a_phone(phone_page, officer, live_server):
    """From the account page, make a token on a 360 px phone, copy its key once, use it, and revoke it."""
    import urllib.error
    import urllib.request

    page = phone_page
    log_in(page, officer.username)
    page.goto("/accounts/me/")
    page.get_by_test_id("profile-tokens").click()
    expect(page.get_by_role("heading", name="Mã API", exact=True)).to_be_visible()
    expect(page.get_by_test_id("no-tokens")).to_be_visible()
    page.get_by_label("Tên").fill("Phần mềm kế toán")
    page.get_by_label("Thời hạn (ngày)").fill("30")
    page.get_by_label("Chỉ đọc").check()
    page.get_by_role("button", name="Tạo mã").click()
    key = page.get_by_test_id("new-token-key").input_value()
    assert key.startswith("kc_")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    item = page.get_by_test_id("token-list").locator("li")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Phần mềm kế toán")
    expect(item.get_by_test_id("token-state")).to_have_text("Đang dùng")

    def me() -> int:
        url = f"{live_server.url}/api/v1/me/"  # the test's own live server
        request = urllib.request.Request(url, headers={"Authorization": f"Token {key}"})  # noqa: S310
        try:
            with urllib.request.urlopen(request) as response:  # noqa: S310
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    assert me() == 200
    page.goto("/accounts/me/tokens/")  # the key was shown once, in the answer to the form only
    expect(page.get_by_test_id("token-list").locator("li")).to_have_count(1)
    expect(page.get_by_test_id("new-token-key")).to_have_count(0)
    page.get_by_text("Thu hồi", exact=True).click()
    page.get_by_role("button", name="Thu hồi mã").click()
    expect(page.get_by_role("alert")).to_contain_text("đã bị thu hồi")
    expect(page.get_by_test_id("token-state")).to_have_text("Đã thu hồi")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert me() == 401
