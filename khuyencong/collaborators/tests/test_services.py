"""The collaborator's report from draft to approval: a double tap submits once, the province returns it with a
comment, accepts and approves it, the period locks and only an approver reopens it with a reason; bad input and
another area are refused with a Vietnamese message and nothing written."""

import datetime
import uuid

import pytest
from django.utils import timezone

from khuyencong.collaborators import periods
from khuyencong.collaborators.models import Coverage, Review, Submission
from khuyencong.collaborators.selectors import approved_figures, completeness, reports_owed
from khuyencong.collaborators.services import (
    CollaboratorData,
    collaborator_update,
    draft_save,
    form_version_publish,
    report_accept,
    report_approve,
    report_reopen,
    report_return,
    report_submit,
    reporting_totals_rebuild,
    review_steps,
)
from khuyencong.core.exceptions import ApplicationError, ErrorCode

from .factories import GOOD, appoint, communes, last_quarter, quarterly, staff

pytestmark = pytest.mark.django_db


def _submit(world, values=None, key=None, commune=None, period=None):
    return report_submit(
        user=world["user"],
        form_id=quarterly().pk,
        commune_id=(commune or world["places"][0]).pk,
        period_start=period or last_quarter(),
        values=values if values is not None else GOOD,
        submit_key=key or uuid.uuid4().hex,
    ).submission


def _refused(code, fn, **kwargs):
    before = (
        Submission.objects.count(),
        Review.objects.count(),
        list(Submission.objects.values_list("status", "version")),
    )
    with pytest.raises(ApplicationError) as caught:
        fn(**kwargs)
    assert caught.value.code == code
    assert before == (
        Submission.objects.count(),
        Review.objects.count(),
        list(Submission.objects.values_list("status", "version")),
    )
    return str(caught.value.message)


def test_the_report_from_draft_to_approval_and_reopening(world):
    form = quarterly()
    form.due_days = 400  # due long after today: on time
    form.save()
    period = last_quarter()
    commune = world["places"][0]
    saved = draft_save(
        user=world["user"], form_id=form.pk, commune_id=commune.pk, period_start=period,
        values={"workers": "1.450", "female_workers": "2.000"},
    )  # fmt: skip
    assert saved.submission.status == "draft"
    assert saved.submission.values["workers"] == "1.450"  # kept as typed
    assert saved.errors == {
        "female_workers": "“Trong đó: lao động nữ” không được lớn hơn “Tổng số lao động tại các cơ sở”."
    }

    # A double tap: the same key twice makes one submission and one review step.
    key = uuid.uuid4().hex
    first = _submit(world, key=key)
    second = _submit(world, key=key)
    assert first.pk == second.pk and second.status == "submitted"
    assert first.values["workers"] == 1450 and first.values["support_needs"][0]["estimated_cost_vnd"] == 350_000_000
    assert first.on_time is True
    assert Review.objects.filter(submission=first, action="submit").count() == 1
    offered = {who: review_steps(world[who], first) for who in ("officer", "approver", "other_officer", "user")}
    assert offered == {
        "officer": ["accept", "return"],
        "approver": ["accept", "approve", "return"],
        "other_officer": [],
        "user": [],
    }

    # Submitted: the collaborator can no longer change it; another province cannot touch it.
    message = _refused(
        ErrorCode.CONFLICT, draft_save, user=world["user"], form_id=form.pk, commune_id=commune.pk,
        period_start=period, values=GOOD,
    )  # fmt: skip
    assert message == "Báo cáo đã gửi; chỉ sửa được khi tỉnh trả lại."
    _refused(ErrorCode.OUT_OF_SCOPE, report_return, user=world["other_officer"], submission_id=first.pk, comment="x")
    _refused(ErrorCode.INVALID, report_return, user=world["officer"], submission_id=first.pk, comment="  ")

    returned = report_return(user=world["officer"], submission_id=first.pk, comment="Số lao động nữ chưa đúng")
    assert returned.status == "returned"
    fixed = dict(GOOD, female_workers="750")
    resubmitted = _submit(world, values=fixed)
    assert resubmitted.status == "submitted" and resubmitted.values["female_workers"] == 750
    assert resubmitted.first_submitted_at == first.first_submitted_at  # timeliness is the first receipt's

    report_accept(user=world["officer"], submission_id=first.pk)
    message = _refused(ErrorCode.PERMISSION_DENIED, report_approve, user=world["officer"], submission_id=first.pk)
    assert message == "Báo cáo do người phê duyệt của tỉnh phê duyệt."
    approved = report_approve(user=world["approver"], submission_id=first.pk)
    assert approved.status == "approved" and approved.is_locked
    assert review_steps(world["officer"], approved) == [] and review_steps(world["approver"], approved) == ["reopen"]

    # Locked: nothing changes it until the approver reopens it, with a reason.
    message = _refused(ErrorCode.CONFLICT, _submit, world=world)
    assert message == "Kỳ báo cáo này đã được phê duyệt và khóa. Chỉ người phê duyệt của tỉnh mới mở lại được."
    _refused(ErrorCode.PERMISSION_DENIED, report_reopen, user=world["officer"], submission_id=first.pk, reason="x")
    _refused(ErrorCode.INVALID, report_reopen, user=world["approver"], submission_id=first.pk, reason="")
    reopened = report_reopen(user=world["approver"], submission_id=first.pk, reason="Sai số cơ sở theo ngành")
    assert reopened.status == "returned"
    steps = list(Review.objects.filter(submission=first).values_list("action", "comment"))
    assert steps == [
        ("submit", ""),
        ("return", "Số lao động nữ chưa đúng"),
        ("submit", ""),
        ("accept", ""),
        ("approve", ""),
        ("reopen", "Sai số cơ sở theo ngành"),
    ]
    reasons = list(first.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert "Mở lại: Sai số cơ sở theo ngành" in reasons


def test_values_that_break_a_rule_are_refused_at_the_field_and_the_draft_is_kept(world):
    bad = dict(GOOD, workers="10", female_workers="20", establishments_total="abc")
    bad["by_industry"] = [{"industry": "a", "establishments": "-1"}, {"industry": "zz", "establishments": "5"}]
    with pytest.raises(ApplicationError) as caught:
        _submit(world, values=bad)
    assert caught.value.code == ErrorCode.INVALID
    errors = caught.value.extra["errors"]
    assert errors["female_workers"] == "“Trong đó: lao động nữ” không được lớn hơn “Tổng số lao động tại các cơ sở”."
    assert errors["establishments_total"] == "Hãy nhập một số nguyên."
    assert errors["by_industry.0.establishments"] == "Hãy nhập số từ 0 đến 100.000."
    assert errors["by_industry.1.industry"] == "Hãy chọn một trong các lựa chọn."
    submission = Submission.objects.get()
    assert submission.status == "draft" and submission.values["establishments_total"] == "abc"  # nothing lost
    assert not Review.objects.exists()

    missing = {k: v for k, v in GOOD.items() if k != "workers"}
    with pytest.raises(ApplicationError) as caught:
        _submit(world, values=missing)
    assert caught.value.extra["errors"] == {"workers": "Bắt buộc."}

    too_many = dict(GOOD, by_industry=[{"industry": "a", "establishments": "200"}])
    with pytest.raises(ApplicationError) as caught:
        _submit(world, values=too_many)
    assert caught.value.extra["errors"] == {
        "by_industry": "Tổng của “Số cơ sở” không được lớn hơn “Số cơ sở CNNT đang hoạt động trên địa bàn”."
    }


def test_another_commune_a_future_or_odd_period_and_a_stale_copy_are_refused(world):
    form = quarterly()
    uncovered = world["places"][2]
    message = _refused(
        ErrorCode.OUT_OF_SCOPE, draft_save, user=world["user"], form_id=form.pk, commune_id=uncovered.pk,
        period_start=last_quarter(), values=GOOD,
    )  # fmt: skip
    assert uncovered.full_name in message
    _refused(
        ErrorCode.OUT_OF_SCOPE, draft_save, user=world["officer"], form_id=form.pk,
        commune_id=world["places"][0].pk, period_start=last_quarter(), values=GOOD,
    )  # fmt: skip
    next_quarter = periods.next_period("quarterly", periods.period_start("quarterly", timezone.localdate()))
    message = _refused(
        ErrorCode.INVALID, draft_save, user=world["user"], form_id=form.pk, commune_id=world["places"][0].pk,
        period_start=next_quarter, values=GOOD,
    )  # fmt: skip
    assert message == "Kỳ báo cáo này chưa bắt đầu."
    _refused(
        ErrorCode.INVALID, draft_save, user=world["user"], form_id=form.pk, commune_id=world["places"][0].pk,
        period_start=last_quarter() + datetime.timedelta(days=1), values=GOOD,
    )  # fmt: skip
    saved = draft_save(
        user=world["user"], form_id=form.pk, commune_id=world["places"][0].pk, period_start=last_quarter(),
        values={"workers": "5"},
    )  # fmt: skip
    draft_save(
        user=world["user"], form_id=form.pk, commune_id=world["places"][0].pk, period_start=last_quarter(),
        values={"workers": "6"}, expected_version=saved.submission.version,
    )  # fmt: skip
    message = _refused(
        ErrorCode.STALE_VERSION, draft_save, user=world["user"], form_id=form.pk, commune_id=world["places"][0].pk,
        period_start=last_quarter(), values={"workers": "7"}, expected_version=saved.submission.version,
    )  # fmt: skip
    assert "thiết bị khác" in message


def test_a_form_changed_while_a_draft_is_open_is_reconciled_and_the_user_told(world):
    form = quarterly()
    commune = world["places"][0]
    draft_save(
        user=world["user"], form_id=form.pk, commune_id=commune.pk, period_start=last_quarter(),
        values={"workers": "12", "events": "Hội chợ"},
    )  # fmt: skip
    version = form.versions.get(number=1)
    fields = [f for f in version.fields if f["name"] != "events"]
    with pytest.raises(ApplicationError) as caught:
        form_version_publish(user=world["officer"], form_id=form.pk, fields=fields, rules=version.rules)
    assert caught.value.code == ErrorCode.PERMISSION_DENIED
    with pytest.raises(ApplicationError) as caught:
        form_version_publish(user=world["ministry"], form_id=form.pk, fields=fields, rules=[{"left": "x", "op": "<"}])
    assert caught.value.code == ErrorCode.INVALID
    bounded = [dict(fields[0], max="nhiều"), *fields[1:]]
    with pytest.raises(ApplicationError) as caught:
        form_version_publish(user=world["ministry"], form_id=form.pk, fields=bounded, rules=version.rules)
    assert "giá trị nhỏ nhất và lớn nhất là số nguyên" in str(caught.value.message)
    assert form.versions.count() == 1
    form_version_publish(user=world["ministry"], form_id=form.pk, fields=fields, rules=version.rules, note="Bỏ sự kiện")
    saved = draft_save(
        user=world["user"], form_id=form.pk, commune_id=commune.pk, period_start=last_quarter(),
        values={"workers": "13", "events": "Hội chợ"},
    )  # fmt: skip
    assert saved.submission.form_version.number == 2
    assert saved.submission.values == {"workers": "13"}
    assert saved.notice == (
        "Biểu mẫu đã được cập nhật lên phiên bản 2 trong khi bản nháp của bạn đang mở; các nội dung đã nhập được giữ"
        " lại. Các trường không còn trên biểu mẫu: Sự kiện, hoạt động nổi bật trong kỳ."
    )


def test_completeness_timeliness_and_the_figures_of_approved_reports(world):
    form = quarterly()
    form.due_days, form.grace_days = 0, 0  # due the day after the period: anything submitted today is late
    form.save()
    old = last_quarter()
    older = periods.period_start("quarterly", old - datetime.timedelta(days=1))
    # A second collaborator also covers the first commune: it is still expected once.
    appoint(world["officer"], world["places"][:1], name="Lê Văn Cường", login=False)
    # A commune of another province, covered from the last quarter only.
    other = staff("01")
    other_places = communes("01", 1)
    appoint(other["officer"], other_places, name="Phạm Thị Dung", since=old)

    late = _submit(world, commune=world["places"][0], period=old)
    assert late.on_time is False
    form.due_days = 400
    form.save()
    timely = _submit(world, commune=world["places"][1], period=old)
    assert timely.on_time is True
    report_approve(user=world["approver"], submission_id=timely.pk)

    board = completeness(user=world["ministry"], form=form, first=older, last=old)
    assert board.level == "province" and board.period_starts == [older, old]
    rows = {row.unit.code: row for row in board.rows}
    assert [(c.expected, c.received, c.on_time, c.approved) for c in rows["68"].cells] == [(2, 0, 0, 0), (2, 2, 1, 1)]
    assert [(c.expected, c.received) for c in rows["01"].cells] == [(0, 0), (1, 0)]
    assert board.total.expected == 5 and board.total.received == 2
    assert str(rows["68"].total.completeness) == "50"
    assert str(board.totals[1].timeliness) == "50"

    province = completeness(user=world["officer"], form=form, first=older, last=old)
    assert province.level == "commune"
    assert {r.unit.pk: (r.total.expected, r.total.received) for r in province.rows} == {
        world["places"][0].pk: (2, 1),
        world["places"][1].pk: (2, 1),
    }
    with pytest.raises(ApplicationError):
        completeness(user=world["officer"], form=form, first=older, last=old, province_id=other["province"].pk)
    mine = completeness(user=world["user"], form=form, first=old, last=old)
    assert {r.unit.pk for r in mine.rows} == {p.pk for p in world["places"][:2]}

    owed = reports_owed(user=world["user"], form=form)
    states = {(o.commune.pk, o.period_start): o.status for o in owed}
    assert states[(world["places"][1].pk, old)] == "approved"
    assert states[(world["places"][0].pk, old)] == "submitted"

    figures = approved_figures(user=world["ministry"], form=form, first=older, last=old, province_ids=None)
    assert figures["reports"] == 1
    assert figures["sums"]["workers"] == 1450 and figures["sums"]["by_industry.establishments"] == 120
    assert figures["sums"]["support_needs.estimated_cost_vnd"] == 350_000_000

    kept = sorted(board.rows[0].cells[1].__dict__.items())
    assert reporting_totals_rebuild() == 1
    again = completeness(user=world["ministry"], form=form, first=older, last=old)
    assert sorted(again.rows[0].cells[1].__dict__.items()) == kept


def test_a_commune_removed_from_a_collaborator_is_no_longer_theirs(world):
    collaborator = world["collaborator"]
    data = CollaboratorData(
        full_name=collaborator.full_name, province_id=collaborator.province_id, decision_number="12/QĐ-SCT",
        decision_date=collaborator.decision_date, decision_signer="Trần Văn Bình",
        communes=[world["places"][1].pk, world["places"][2].pk],
    )  # fmt: skip
    message = _refused(
        ErrorCode.STALE_VERSION, collaborator_update, user=world["officer"], collaborator_id=collaborator.pk,
        data=data, expected_version=collaborator.version - 1,
    )  # fmt: skip
    assert message
    with pytest.raises(ApplicationError) as caught:
        collaborator_update(
            user=world["other_officer"], collaborator_id=collaborator.pk, data=data,
            expected_version=collaborator.version,
        )  # fmt: skip
    assert caught.value.code == ErrorCode.OUT_OF_SCOPE
    collaborator_update(
        user=world["officer"], collaborator_id=collaborator.pk, data=data, expected_version=collaborator.version
    )
    current = set(
        Coverage.objects.filter(collaborator=collaborator, valid_to__isnull=True).values_list("commune", flat=True)
    )
    assert current == {world["places"][1].pk, world["places"][2].pk}
    world["user"].refresh_from_db()
    assert set(world["user"].scope_communes.values_list("pk", flat=True)) == current
    # Today's period: the first commune is no longer covered.
    today_period = periods.period_start("quarterly", timezone.localdate())
    _refused(
        ErrorCode.OUT_OF_SCOPE, draft_save, user=world["user"], form_id=quarterly().pk,
        commune_id=world["places"][0].pk, period_start=today_period, values=GOOD,
    )  # fmt: skip


def test_the_provinces_periodic_report_takes_the_approved_collaborator_reports(world):
    from khuyencong.reports.official import periodic_report, render_xlsx

    form = quarterly()
    form.due_days = 400
    form.save()
    period = last_quarter()
    approved = _submit(world, commune=world["places"][0], period=period)
    report_approve(user=world["approver"], submission_id=approved.pk)
    _submit(world, commune=world["places"][1], period=period)  # submitted, not approved: not counted
    quarter = f"q{(period.month - 1) // 3 + 1}"
    document = periodic_report(
        user=world["officer"], province_id=world["province"].pk, year=period.year, period=quarter
    )
    table = next(t for t in document.tables() if t.number == 5)
    rows = dict((r[0], r[1]) for r in table.rows)
    assert rows["Báo cáo quý đã phê duyệt / phải nộp"] == "1 / 2"
    assert rows["Cơ sở CNNT đang hoạt động (cuối kỳ)"] == "120"
    assert rows["Lao động tại các cơ sở (cuối kỳ)"] == "1.450"
    assert rows["Nhu cầu hỗ trợ: kinh phí dự kiến (triệu đồng)"] == "350"

    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(render_xlsx(document))).active
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert "Cơ sở CNNT đang hoạt động (cuối kỳ)" in cells and "1.450" in cells
