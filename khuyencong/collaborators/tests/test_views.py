"""The pages and the API of collaborators and their reports, each reached only within the user's area."""

import uuid

import pytest

from khuyencong.collaborators.models import Submission

from .factories import GOOD, appoint, last_quarter

pytestmark = pytest.mark.django_db


def _url(world, commune=None, period=None):
    commune = commune or world["places"][0]
    return f"/collaborators/reports/ctv-quy/{commune.pk}/{(period or last_quarter()).isoformat()}/"


def _post_form(values):
    data = {}
    for name, value in values.items():
        if isinstance(value, list):
            for i, row in enumerate(value):
                for column, cell in row.items():
                    data[f"{name}.{i}.{column}"] = cell
        else:
            data[name] = value
    return data


def _login(client, user):
    client.force_login(user)
    if user.requires_two_factor:  # the approver has passed the second factor
        device = user.totpdevice_set.first() or user.totpdevice_set.create(name="t", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def test_the_collaborator_fills_and_submits_through_the_page_without_javascript(client, world):
    _login(client, world["user"])
    page = client.get("/collaborators/reports/")
    assert page.status_code == 200
    assert f"owed-{world['places'][0].code}-{last_quarter().isoformat()}" in page.text
    form = client.get(_url(world))
    assert form.status_code == 200 and "data-report-form" in form.text
    saved = client.post(_url(world), {**_post_form({"workers": "12"}), "action": "save"})
    assert saved.status_code == 302
    assert Submission.objects.get().values["workers"] == "12"
    bad = client.post(_url(world), {**_post_form(dict(GOOD, female_workers="99999")), "action": "submit",
                                    "submit_key": "k1"})  # fmt: skip
    assert bad.status_code == 200
    assert "không được lớn hơn" in bad.text and 'data-error-for="female_workers"' in bad.text
    good = client.post(_url(world), {**_post_form(GOOD), "action": "submit", "submit_key": "k2"})
    assert good.status_code == 302
    submission = Submission.objects.get()
    assert submission.status == "submitted" and submission.values["by_industry"][1]["establishments"] == 50
    after = client.get(_url(world))
    assert "data-report-form" not in after.text and 'data-testid="value-workers"' in after.text


def test_the_province_reviews_through_the_pages_and_other_areas_get_404(client, world):
    _login(client, world["user"])
    client.post(_url(world), {**_post_form(GOOD), "action": "submit", "submit_key": "k"})
    submission = Submission.objects.get()

    other = client.__class__()
    _login(other, world["other_officer"])
    assert other.get(_url(world)).status_code == 404
    assert other.post(f"/collaborators/submissions/{submission.pk}/accept/").status_code == 404
    assert other.get(f"/collaborators/{world['collaborator'].pk}/").status_code == 404
    outsider = appoint(world["officer"], world["places"][2:], name="Đỗ Văn Em")
    _login(other, outsider.user)
    assert other.get(_url(world)).status_code == 404

    officer = client.__class__()
    _login(officer, world["officer"])
    queue = officer.get("/collaborators/reports/")
    assert queue.status_code == 200 and world["places"][0].full_name in queue.text
    # the period in the words the collaborator's pages use ("Quý 3/2026"), not a month ("07/2026")
    period = last_quarter()
    assert f"Quý {(period.month - 1) // 3 + 1}/{period.year}" in queue.text
    assert f">{period:%m/%Y}<" not in queue.text
    page = officer.get(_url(world))
    assert 'data-testid="return"' in page.text and 'data-testid="approve"' not in page.text
    officer.post(f"/collaborators/submissions/{submission.pk}/return/", {"comment": "Thiếu số lao động nữ"})
    submission.refresh_from_db()
    assert submission.status == "returned"
    assert "Thiếu số lao động nữ" in client.get(_url(world)).text

    approver = client.__class__()
    _login(approver, world["approver"])
    client.post(_url(world), {**_post_form(GOOD), "action": "submit", "submit_key": "k3"})
    approver.post(f"/collaborators/submissions/{submission.pk}/approve/")
    submission.refresh_from_db()
    assert submission.status == "approved"
    refused = approver.post(f"/collaborators/submissions/{submission.pk}/reopen/", {"comment": ""}, follow=True)
    assert "Hãy nêu lý do mở lại." in refused.text
    submission.refresh_from_db()
    assert submission.status == "approved"


def test_collaborator_pages_for_the_province(client, world):
    _login(client, world["officer"])
    listing = client.get("/collaborators/")
    assert listing.status_code == 200 and world["collaborator"].full_name in listing.text
    new = client.post(
        "/collaborators/new/",
        {
            "full_name": "Vũ Thị Giang", "phone": "0988000111", "decision_number": "20/QĐ-SCT",
            "decision_date": "2026-01-05", "decision_signer": "Trần Văn Bình", "status": "active",
            "communes": [world["places"][2].pk],
        },
    )  # fmt: skip
    assert new.status_code == 302
    bad = client.post("/collaborators/new/", {"full_name": "X", "decision_number": "1", "decision_date": "2099-01-01",
                                              "decision_signer": "Y", "status": "active"})  # fmt: skip
    assert bad.status_code == 200 and "Ngày quyết định không thể ở tương lai." in bad.text
    _login(client, world["other_officer"])
    assert world["collaborator"].full_name not in client.get("/collaborators/").text
    _login(client, world["ministry"])
    assert client.get("/collaborators/new/").status_code == 403


def test_completeness_page_for_each_level(client, world):
    _login(client, world["user"])
    client.post(_url(world), {**_post_form(GOOD), "action": "submit", "submit_key": "k"})
    for who, expected in (("ministry", "row-68"), ("officer", f"row-{world['places'][0].code}")):
        _login(client, world[who])
        page = client.get("/collaborators/completeness/", {"first": last_quarter().isoformat(),
                                                           "last": last_quarter().isoformat()})  # fmt: skip
        assert page.status_code == 200 and f'data-testid="{expected}"' in page.text
        assert 'data-testid="total-received">1<' in page.text and 'data-testid="total-expected">2<' in page.text
    _login(client, world["ministry"])
    bad = client.get("/collaborators/completeness/", {"first": "2026-05-01", "last": "2026-01-01"})
    assert bad.status_code == 200 and "Ngày kết thúc trước ngày bắt đầu." in bad.text


def test_the_api_drafts_submits_once_reviews_and_counts(client, world):
    _login(client, world["user"])
    body = {"form": "ctv-quy", "commune": world["places"][0].pk, "period": last_quarter().isoformat(),
            "values": {"workers": "10"}}  # fmt: skip
    draft = client.post("/api/v1/submissions/draft/", body, content_type="application/json")
    assert draft.status_code == 200 and draft.json()["status"] == "draft"
    key = uuid.uuid4().hex
    first = client.post("/api/v1/submissions/submit/", {**body, "values": GOOD, "submit_key": key},
                        content_type="application/json")  # fmt: skip
    second = client.post("/api/v1/submissions/submit/", {**body, "values": GOOD, "submit_key": key},
                         content_type="application/json")  # fmt: skip
    assert first.status_code == second.status_code == 200 and first.json()["id"] == second.json()["id"]
    assert Submission.objects.count() == 1
    bad = client.post("/api/v1/submissions/draft/", {**body, "commune": world["places"][2].pk},
                      content_type="application/json")  # fmt: skip
    assert bad.status_code == 404 and bad.json()["code"] == "out_of_scope"
    owed = client.get("/api/v1/expected-reports/", {"first": last_quarter().isoformat()}).json()["results"]
    assert {(r["commune"], r["status"]) for r in owed if r["period"] == last_quarter().isoformat()} == {
        (world["places"][0].pk, "submitted"),
        (world["places"][1].pk, "missing"),
    }

    submission_id = first.json()["id"]
    _login(client, world["other_officer"])
    assert client.get(f"/api/v1/submissions/{submission_id}/").status_code == 404
    assert client.get("/api/v1/submissions/").json()["count"] == 0
    assert client.post(f"/api/v1/submissions/{submission_id}/accept/").status_code == 404
    _login(client, world["officer"])
    returned = client.post(f"/api/v1/submissions/{submission_id}/return/", {"comment": ""},
                           content_type="application/json")  # fmt: skip
    assert returned.status_code == 400 and returned.json()["field"] == "comment"
    assert client.post(f"/api/v1/submissions/{submission_id}/accept/").json()["status"] == "accepted"
    _login(client, world["approver"])
    assert client.post(f"/api/v1/submissions/{submission_id}/approve/").json()["status"] == "approved"
    board = client.get(
        "/api/v1/completeness/", {"first": last_quarter().isoformat(), "last": last_quarter().isoformat()}
    ).json()
    assert board["level"] == "commune" and board["total"]["approved"] == 1 and board["total"]["expected"] == 2
    _login(client, world["ministry"])
    national = client.get(
        "/api/v1/completeness/", {"first": last_quarter().isoformat(), "last": last_quarter().isoformat()}
    ).json()
    assert national["level"] == "province"
    assert [r["total"]["received"] for r in national["rows"] if r["code"] == "68"] == [1]
    assert client.get("/api/v1/expected-reports/").status_code == 400
    forms = client.get("/api/v1/report-forms/").json()
    assert forms["results"][0]["code"] == "ctv-quy" if "results" in forms else forms[0]["code"] == "ctv-quy"
    assert client.get("/api/v1/collaborators/").json()["count"] == 1
    _login(client, world["other_officer"])
    assert client.get("/api/v1/collaborators/").json()["count"] == 0


def test_survey_pages_open_answer_and_accept_within_each_area(client, world):
    import datetime

    from django.utils import timezone

    from khuyencong.collaborators.models import ReportForm, SurveyCampaign, SurveyResponse
    from khuyencong.establishments.tests.factories import make_establishment

    today = timezone.localdate()
    _login(client, world["officer"])
    opened = client.post(
        "/collaborators/surveys/",
        {
            "title": "Khảo sát cơ sở 2026", "form": ReportForm.objects.get(code="khao-sat-co-so").pk,
            "communes": [world["places"][0].pk], "opens_on": today.isoformat(),
            "closes_on": (today + datetime.timedelta(days=10)).isoformat(), "year": today.year - 1,
        },
    )  # fmt: skip
    campaign = SurveyCampaign.objects.get()
    assert opened.status_code == 302 and opened.url == f"/collaborators/surveys/{campaign.pk}/"
    existing = make_establishment(world["officer"], name="Cơ sở dệt thổ cẩm", commune_recorded=world["places"][0])

    _login(client, world["user"])
    detail = client.get(f"/collaborators/surveys/{campaign.pk}/")
    assert 'data-testid="respond-links"' in detail.text
    url = f"/collaborators/surveys/{campaign.pk}/{world['places'][0].pk}/new/"
    assert existing.name in client.get(url).text
    bad = client.post(
        url, {"establishment": existing.pk, "employees": "5", "employees_female": "9", "action": "submit"}
    )
    assert bad.status_code == 200 and "không được lớn hơn" in bad.text and not SurveyResponse.objects.exists()
    sent = client.post(url, {"establishment": existing.pk, "employees": "9", "revenue_vnd": "800.000.000",
                             "action": "submit"})  # fmt: skip
    assert sent.status_code == 302 and SurveyResponse.objects.get().status == "submitted"
    assert client.get(f"/collaborators/surveys/{campaign.pk}/{world['places'][2].pk}/new/").status_code == 404

    _login(client, world["other_officer"])
    assert client.get(f"/collaborators/surveys/{campaign.pk}/").status_code == 404
    assert client.post(f"/collaborators/surveys/{campaign.pk}/", {"response": 1}).status_code == 404
    _login(client, world["officer"])
    response = SurveyResponse.objects.get()
    client.post(f"/collaborators/surveys/{campaign.pk}/", {"response": response.pk, "action": "accept"})
    existing.refresh_from_db()
    assert existing.employees_total == 9 and existing.years.get(year=today.year - 1).revenue_vnd == 800_000_000


def test_another_provinces_collaborators_surveys_and_completeness_stay_out_of_reach(client, world):
    import datetime

    from django.utils import timezone

    from khuyencong.collaborators.models import ReportForm
    from khuyencong.collaborators.surveys import campaign_create

    today = timezone.localdate()
    campaign = campaign_create(
        user=world["officer"], title="Khảo sát Lâm Đồng", form_id=ReportForm.objects.get(code="khao-sat-co-so").pk,
        communes=[world["places"][0].pk], opens_on=today, closes_on=today + datetime.timedelta(days=3),
        year=today.year - 1,
    )  # fmt: skip
    _login(client, world["other_officer"])
    pk = world["collaborator"].pk
    assert client.get(f"/collaborators/{pk}/edit/").status_code == 404
    assert client.post(f"/collaborators/{pk}/", {"account": world["user"].pk}).status_code == 404
    assert "Khảo sát Lâm Đồng" not in client.get("/collaborators/surveys/").text
    assert client.get(f"/collaborators/surveys/{campaign.pk}/{world['places'][0].pk}/new/").status_code == 404
    page = client.get("/collaborators/completeness/", {"province": world["province"].pk})
    assert page.status_code == 200 and 'data-testid="completeness-table"' not in page.text
    assert client.get("/api/v1/completeness/", {"province": world["province"].pk}).status_code == 404
    _login(client, world["user"])
    assert "Khảo sát Lâm Đồng" in client.get("/collaborators/surveys/").text
    assert client.post("/collaborators/surveys/", {"title": "x"}).status_code == 403


def test_administrators_add_a_checked_form_version_in_the_admin(client):
    from khuyencong.accounts.choices import Role
    from khuyencong.accounts.tests.factories import make_user
    from khuyencong.collaborators.models import FormVersion, ReportForm

    admin = make_user(Role.SYSTEM_ADMIN, province=None)
    _login(client, admin)
    form = ReportForm.objects.get(code="ctv-quy")
    url = f"/admin/collaborators/reportform/{form.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and "versions-TOTAL_FORMS" in page.text
    data = {
        "code": form.code, "name": form.name, "period_type": form.period_type, "due_days": 10, "grace_days": 5,
        "is_periodic": "on", "is_active": "on", "versions-TOTAL_FORMS": "2", "versions-INITIAL_FORMS": "1",
        "versions-MIN_NUM_FORMS": "0", "versions-MAX_NUM_FORMS": "1000",
        "versions-0-id": form.versions.get().pk, "versions-0-form": form.pk,
        "versions-1-form": form.pk, "versions-1-number": "2", "versions-1-note": "x",
        "versions-1-fields": '[{"name": "a", "type": "integer"}]', "versions-1-rules": '[{"left": "b", "op": "<="}]',
    }  # fmt: skip
    refused = client.post(url, data)
    assert refused.status_code == 200 and FormVersion.objects.filter(form=form).count() == 1
    data["versions-1-rules"] = '[{"left": "a", "op": "<=", "right": 100}]'
    saved = client.post(url, data)
    assert saved.status_code == 302 and form.versions.order_by("-number").first().fields == [
        {"name": "a", "type": "integer"}
    ]


def test_only_the_provinces_accounts_are_offered_and_garbage_never_makes_a_500(client, world):
    from khuyencong.accounts.choices import Role
    from khuyencong.accounts.tests.factories import make_user
    from khuyencong.collaborators.services import collaborator_link_user
    from khuyencong.core.exceptions import ApplicationError

    from .factories import appoint, communes

    unlinked = appoint(world["officer"], world["places"][2:], name="Lý Thị Mai", login=False)
    ours = make_user(Role.COLLABORATOR, communes=world["places"][2:], username="ctv.ours")
    theirs = make_user(Role.COLLABORATOR, communes=communes("01", 1), username="ctv.hanoi")
    _login(client, world["officer"])
    page = client.get(f"/collaborators/{unlinked.pk}/")
    assert "ctv.ours" in page.text and "ctv.hanoi" not in page.text
    with pytest.raises(ApplicationError) as caught:
        collaborator_link_user(user=world["officer"], collaborator_id=unlinked.pk, account_id=theirs.pk)
    assert caught.value.message == f"Không tìm thấy người dùng có mã số “{theirs.pk}” trong phạm vi của bạn."
    with pytest.raises(ApplicationError) as missing:
        collaborator_link_user(user=world["officer"], collaborator_id=unlinked.pk, account_id=99_999_999)
    assert missing.value.message == "Không tìm thấy người dùng có mã số “99999999” trong phạm vi của bạn."
    assert ours.pk  # offered above
    for url, data in (
        (f"/collaborators/{unlinked.pk}/", {"account": "abc"}),
        (f"/collaborators/{unlinked.pk}/edit/", {"full_name": "X", "version": "abc"}),
    ):
        assert client.post(url, data).status_code in (200, 302), url
    _login(client, world["user"])
    assert client.post(_url(world), {"version": "abc", "action": "save", "workers": "1"}).status_code == 302


def test_a_report_is_named_alike_on_every_page_overdue_once_its_due_date_has_passed(world):
    import datetime

    from khuyencong.collaborators.selectors import report_state

    due = datetime.date(2026, 10, 20)
    assert str(report_state(None, due, datetime.date(2026, 10, 20))["label"]) == "Chưa làm"
    late = report_state(None, due, datetime.date(2026, 10, 21))
    assert str(late["label"]) == "Quá hạn" and late["colour"] == "danger" and late["overdue"]


def test_a_new_report_opens_with_what_the_registry_knows_of_the_commune(client, world):
    import re

    from khuyencong.core.history import allow_untracked_writes
    from khuyencong.establishments.tests.factories import make_establishment
    from khuyencong.policy.models import EligibleIndustryGroup

    commune = world["places"][0]
    food = EligibleIndustryGroup.objects.get(code="a")
    crafts = EligibleIndustryGroup.objects.get(code="dd")
    made = [
        ("Cơ sở chế biến chè Minh Hà", food, 12, 7),
        ("Cơ sở bánh tráng Bà Ba", food, 5, 5),
        ("Cơ sở đan lát Phú Vinh", crafts, 30, 21),
        ("Cơ sở chưa rõ ngành", None, None, None),
    ]
    for name, group, workers, women in made:
        make_establishment(
            world["officer"], name=name, commune_recorded=commune, eligible_group=group,
            employees_total=workers, employees_female=women,
        )  # fmt: skip
    closed = make_establishment(world["officer"], name="Cơ sở đã nghỉ", commune_recorded=commune, employees_total=99)
    Establishment = type(closed)
    with allow_untracked_writes():
        Establishment.objects.filter(pk=closed.pk).update(status="closed")
    page = _login(client, world["user"]).get(_url(world)).content.decode()
    assert 'data-testid="prefilled"' in page and "4 cơ sở đang hoạt động" in page
    assert 'name="establishments_total" value="4"' in page
    assert 'name="workers" value="47"' in page and 'name="female_workers" value="33"' in page
    # by industry group, in the form's order; an establishment of no known group under "other"
    rows = [("a", "2", "17"), ("dd", "1", "30"), ("other", "1", "0")]
    for i, (group, count, people) in enumerate(rows):
        select = re.search(rf'name="by_industry\.{i}\.industry".*?</select>', page, re.DOTALL)
        assert select and f'<option value="{group}" selected>' in select.group(0)
        assert f'name="by_industry.{i}.establishments" value="{count}"' in page
        assert f'name="by_industry.{i}.workers" value="{people}"' in page
    # a commune the registry knows nothing of opens empty
    empty = client.get(_url(world, commune=world["places"][1])).content.decode()
    assert 'data-testid="prefilled"' not in empty and 'name="establishments_total" value=""' in empty
