"""The collaborator's quarterly report on a 360 px phone in Debian's chromium: filled, refused at the field, submitted
with a double tap (one submission), returned by the province with a comment, fixed and resubmitted, approved and
locked, the completeness table following; and a connection cut in the middle of typing loses nothing."""

import pytest
from playwright.sync_api import expect

from khuyencong.collaborators.models import Review, Submission
from tests.browser import log_in

from .factories import last_quarter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def _completeness(page, period):
    page.goto(f"/collaborators/completeness/?first={period}&last={period}")
    return page.get_by_test_id("total-received")


@pytest.fixture
def world(world, live_server):
    return {**world, "period": last_quarter().isoformat()}


def test_the_quarterly_report_from_the_phone_to_the_locked_period(phone_page, world):
    page = phone_page
    period, commune = world["period"], world["places"][0]
    log_in(page, world["officer"])
    expect(_completeness(page, period)).to_have_text("0")
    expect(page.get_by_test_id("total-expected")).to_have_text("2")

    log_in(page, world["user"])
    page.on("dialog", lambda dialog: dialog.accept())  # "Gửi báo cáo cho tỉnh?" is confirmed
    page.goto("/collaborators/reports/")
    owed = page.get_by_test_id(f"owed-{commune.code}-{period}")
    # One vocabulary: the list and the report page say the same of it ("Quá hạn" once its due date has passed).
    state = owed.get_by_test_id("state").inner_text().strip()
    assert state in ("Chưa làm", "Quá hạn"), state
    owed.click()
    expect(page.get_by_test_id("report-status")).to_have_text(state)
    page.locator('[name="establishments_total"]').fill("120")
    page.locator('[name="establishments_opened"]').fill("3")
    page.locator('[name="establishments_closed"]').fill("1")
    page.locator('[name="workers"]').fill("1.450")
    page.locator('[name="female_workers"]').fill("2.000")  # more women than workers: refused at the field
    page.locator('[name="by_industry.0.industry"]').select_option("a")
    page.locator('[name="by_industry.0.establishments"]').fill("70")
    page.locator('[data-rows="by_industry"] [data-add-row]').click()
    page.locator('[name="by_industry.1.industry"]').select_option("dd")
    page.locator('[name="by_industry.1.establishments"]').fill("50")
    page.locator('[name="difficulties"]').fill("Thiếu vốn mua máy sấy")
    expect(page.get_by_test_id("save-status")).to_contain_text("Đã lưu nháp lúc")
    _fits(page)
    page.get_by_test_id("submit-report").click()
    expect(page.locator('[data-error-for="female_workers"]')).to_have_text(
        "“Trong đó: lao động nữ” không được lớn hơn “Tổng số lao động tại các cơ sở”."
    )
    assert Submission.objects.get().status == "draft"

    page.locator('[name="female_workers"]').fill("800")
    page.get_by_test_id("submit-report").dblclick()  # a double tap
    expect(page.get_by_test_id("report-status")).to_have_text("Đã nộp")
    submission = Submission.objects.get()
    assert submission.values["workers"] == 1450 and submission.values["by_industry"][1] == {
        "industry": "dd",
        "establishments": 50,
        "workers": None,
    }
    assert Review.objects.filter(submission=submission, action="submit").count() == 1
    _fits(page)

    log_in(page, world["officer"])
    expect(_completeness(page, period)).to_have_text("1")
    page.goto(f"/collaborators/reports/ctv-quy/{commune.pk}/{period}/")
    expect(page.get_by_test_id("value-workers")).to_have_text("1.450")
    page.get_by_placeholder("Nội dung cần sửa").fill("Số cơ sở mới thành lập là 4")
    page.get_by_test_id("return").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Trả lại để sửa")

    log_in(page, world["user"])
    page.goto(f"/collaborators/reports/ctv-quy/{commune.pk}/{period}/")
    expect(page.get_by_test_id("return-comment")).to_contain_text("Số cơ sở mới thành lập là 4")
    expect(page.locator('[name="workers"]')).to_have_value("1.450")
    page.locator('[name="establishments_opened"]').fill("4")
    page.get_by_test_id("submit-report").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã nộp")

    log_in(page, world["approver"])
    page.goto(f"/collaborators/reports/ctv-quy/{commune.pk}/{period}/")
    page.get_by_test_id("approve").click()
    expect(page.get_by_test_id("report-status")).to_have_text("Đã phê duyệt (khóa)")
    expect(_completeness(page, period)).to_have_text("1")
    expect(page.get_by_test_id(f"row-{commune.code}")).to_contain_text("1/1")
    expect(page.get_by_test_id("total-completeness")).to_have_text("50,0 %")

    log_in(page, world["user"])
    page.goto(f"/collaborators/reports/ctv-quy/{commune.pk}/{period}/")
    expect(page.get_by_test_id("report-status")).to_have_text("Đã phê duyệt (khóa)")
    expect(page.locator("[data-report-form]")).to_have_count(0)  # locked: nothing to type into
    submission.refresh_from_db()
    assert submission.status == "approved" and submission.values["establishments_opened"] == 4


def test_a_connection_cut_while_typing_loses_nothing(phone_page, world):
    page = phone_page
    period, commune = world["period"], world["places"][1]
    url = f"/collaborators/reports/ctv-quy/{commune.pk}/{period}/"
    log_in(page, world["user"])
    page.goto(url)
    page.locator('[name="workers"]').fill("100")
    expect(page.get_by_test_id("save-status")).to_contain_text("Đã lưu nháp lúc")
    assert Submission.objects.get().values["workers"] == "100"

    # The connection drops while typing: the page says so and the browser keeps everything.
    page.context.set_offline(True)
    page.locator('[name="establishments_total"]').fill("250")
    page.locator('[name="events"]').fill("Mất mạng giữa chừng")
    expect(page.get_by_test_id("save-status")).to_contain_text("Mất kết nối")
    key = f"kc-copy-{world['user'].pk}-ctv-quy-{commune.pk}-{period}"
    kept = page.evaluate(f"JSON.parse(localStorage.getItem('{key}'))")
    assert kept["pending"] is True and kept["values"]["events"] == "Mất mạng giữa chừng"
    assert "events" not in Submission.objects.get().values or not Submission.objects.get().values["events"]

    # It returns: the draft is sent by itself.
    page.context.set_offline(False)
    expect(page.get_by_test_id("save-status")).to_contain_text("Đã lưu nháp lúc")
    values = Submission.objects.get().values
    assert values["establishments_total"] == "250" and values["events"] == "Mất mạng giữa chừng"

    # Offline again, and the tab is closed before the connection returns: the next visit restores and sends it.
    page.context.set_offline(True)
    page.locator('[name="difficulties"]').fill("Điện yếu")
    expect(page.get_by_test_id("save-status")).to_contain_text("Mất kết nối")
    context = page.context
    page.close()
    context.set_offline(False)
    again = context.new_page()
    again.goto(url)
    expect(again.get_by_test_id("report-notice")).to_contain_text("Đã khôi phục")
    expect(again.locator('[name="difficulties"]')).to_have_value("Điện yếu")
    expect(again.get_by_test_id("save-status")).to_contain_text("Đã lưu nháp lúc")
    values = Submission.objects.get().values
    assert values["difficulties"] == "Điện yếu" and values["workers"] == "100"


def test_the_demo_collaborator_and_every_page_fit_a_360px_phone(phone_page):
    from khuyencong.accounts.demo import DEMO_PASSWORD, load_demo_data
    from khuyencong.accounts.models import User
    from khuyencong.collaborators.demo import load_demo_collaborators
    from khuyencong.collaborators.models import Collaborator

    load_demo_data()
    assert load_demo_collaborators() == 1
    assert load_demo_collaborators() == 0  # idempotent
    collaborator = Collaborator.objects.get()
    account = User.objects.get(username="ctv.lamdong")
    communes = list(account.scope_communes.order_by("code"))
    assert collaborator.user == account and Submission.objects.get().status == "submitted"

    def fits(page, url):
        page.goto(url)
        overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (url, overflow)

    log_in(phone_page, account, DEMO_PASSWORD)
    for url in (
        "/collaborators/reports/",
        f"/collaborators/reports/ctv-quy/{communes[1].pk}/{last_quarter()}/",
        f"/collaborators/reports/ctv-quy/{communes[0].pk}/{last_quarter()}/",
        "/collaborators/completeness/",
    ):
        fits(phone_page, url)
    log_in(phone_page, User.objects.get(username="lamdong.so"), DEMO_PASSWORD)
    for url in (
        "/collaborators/",
        f"/collaborators/{collaborator.pk}/",
        f"/collaborators/{collaborator.pk}/edit/",
        "/collaborators/reports/",
        "/collaborators/completeness/",
    ):
        fits(phone_page, url)
    expect(phone_page.get_by_test_id("total-received")).to_have_text("1")
