"""Surveys of establishments: the province opens a campaign, the collaborator answers for an establishment of the
registry or proposes a new one, and an accepted response writes the registry through its own services (duplicate
and tax-code checks included) and the figures of the year; bad input is refused with nothing written."""

import datetime

import pytest
from django.utils import timezone

from khuyencong.collaborators.models import ReportForm, SurveyResponse
from khuyencong.collaborators.surveys import campaign_create, response_accept, response_reject, response_save
from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.establishments.models import Establishment, EstablishmentYear
from khuyencong.establishments.tests.factories import make_establishment

from .factories import communes

pytestmark = pytest.mark.django_db

ANSWERS = {
    "employees": "12",
    "employees_female": "5",
    "revenue_vnd": "1.200.000.000",
    "production_value_vnd": "1.500.000.000",
    "export_value_vnd": "",
    "main_products": "Chè sấy khô",
    "support_need": "machinery",
}


@pytest.fixture
def world(world):
    people, places = world, world["places"]
    today = timezone.localdate()
    campaign = campaign_create(
        user=people["officer"], title="Khảo sát cơ sở CNNT 2026",
        form_id=ReportForm.objects.get(code="khao-sat-co-so").pk,
        communes=[p.pk for p in places[:2]], opens_on=today - datetime.timedelta(days=5),
        closes_on=today + datetime.timedelta(days=30), year=today.year - 1,
    )  # fmt: skip
    existing = make_establishment(people["officer"], name="Cơ sở chè Thanh Bình", commune_recorded=places[0])
    return {**world, "campaign": campaign, "existing": existing}


def _refused(code, fn, **kwargs):
    before = (
        SurveyResponse.objects.count(),
        list(SurveyResponse.objects.values_list("status", "version")),
        Establishment.objects.count(),
        EstablishmentYear.objects.count(),
    )
    with pytest.raises(ApplicationError) as caught:
        fn(**kwargs)
    assert caught.value.code == code, caught.value.message
    assert before == (
        SurveyResponse.objects.count(),
        list(SurveyResponse.objects.values_list("status", "version")),
        Establishment.objects.count(),
        EstablishmentYear.objects.count(),
    )
    return caught.value


def test_a_campaign_is_opened_by_the_province_with_sound_input(world):
    form = ReportForm.objects.get(code="khao-sat-co-so")
    today = timezone.localdate()
    good = {
        "title": "Khảo sát", "form_id": form.pk, "communes": [world["places"][0].pk], "opens_on": today,
        "closes_on": today, "year": today.year,
    }  # fmt: skip
    with pytest.raises(ApplicationError) as caught:
        campaign_create(user=world["other_officer"], **good)
    assert caught.value.code == ErrorCode.OUT_OF_SCOPE
    for change, message in (
        ({"form_id": ReportForm.objects.get(code="ctv-quy").pk}, "Hãy chọn một phiếu khảo sát."),
        ({"closes_on": today - datetime.timedelta(days=1)}, "Thời gian khảo sát kết thúc trước khi bắt đầu."),
        ({"year": today.year + 1}, "Số liệu phải của năm đã qua hoặc năm nay."),
        ({"communes": [world["places"][0].pk, communes("01", 1)[0].pk]}, "Hãy chọn các xã hiện hành của một tỉnh."),
        ({"title": " "}, "Hãy đặt tên cho đợt khảo sát."),
    ):
        with pytest.raises(ApplicationError) as caught:
            campaign_create(user=world["officer"], **{**good, **change})
        assert str(caught.value.message) == message


def test_responses_for_a_registered_and_a_new_establishment_are_written_into_the_registry(world):
    campaign, existing, place = world["campaign"], world["existing"], world["places"][0]
    registered = response_save(
        user=world["user"], campaign_id=campaign.pk, commune_id=place.pk, establishment_id=existing.pk,
        values=ANSWERS, submit=True,
    )  # fmt: skip
    assert registered.status == "submitted" and registered.values["revenue_vnd"] == 1_200_000_000
    draft = response_save(
        user=world["user"], campaign_id=campaign.pk, commune_id=place.pk, values={"employees": "7"},
        proposed={"name": "Hộ làm nón lá Bà Năm"},
    )  # fmt: skip
    assert draft.status == "draft"
    new = response_save(
        user=world["user"], campaign_id=campaign.pk, commune_id=place.pk, response_id=draft.pk,
        expected_version=draft.version, values=dict(ANSWERS, employees="7", employees_female="6"),
        proposed={"name": "Hộ làm nón lá Bà Năm", "legal_form": "ho_kinh_doanh", "phone": "0263 3888 999"},
        submit=True,
    )  # fmt: skip
    assert new.pk == draft.pk and new.status == "submitted"

    accepted = response_accept(user=world["officer"], response_id=registered.pk)
    existing.refresh_from_db()
    assert accepted.status == "accepted" and existing.employees_total == 12 and existing.main_products == "Chè sấy khô"
    year = EstablishmentYear.objects.get(establishment=existing, year=campaign.year)
    assert (year.revenue_vnd, year.production_value_vnd, year.export_value_vnd, year.employees) == (
        1_200_000_000, 1_500_000_000, None, 12,
    )  # fmt: skip
    assert existing.history.first().history_change_reason == "Khảo sát: Khảo sát cơ sở CNNT 2026"

    created = response_accept(user=world["officer"], response_id=new.pk).establishment
    assert created is not None
    assert created.name == "Hộ làm nón lá Bà Năm" and created.source == "survey" and created.commune_id == place.pk
    assert created.employees_female == 6 and created.years.get().revenue_vnd == 1_200_000_000


def test_a_proposed_establishment_already_registered_is_not_created_twice(world):
    campaign, existing, place = world["campaign"], world["existing"], world["places"][0]
    response = response_save(
        user=world["user"], campaign_id=campaign.pk, commune_id=place.pk, values=ANSWERS, submit=True,
        proposed={"name": "Cơ sở chè Thanh Bình", "legal_form": "ho_kinh_doanh"},
    )  # fmt: skip
    error = _refused(ErrorCode.DUPLICATE, response_accept, user=world["officer"], response_id=response.pk)
    assert f"(#{existing.pk})" in str(error.message) and error.extra["existing_id"] == existing.pk
    accepted = response_accept(user=world["officer"], response_id=response.pk, establishment_id=existing.pk)
    assert accepted.establishment == existing and Establishment.objects.filter(name="Cơ sở chè Thanh Bình").count() == 1

    taxed = make_establishment(world["officer"], name="Công ty TNHH Gốm Lâm Viên", legal_form="dn_nho",
                               tax_code="5800123456", commune_recorded=world["places"][1])  # fmt: skip
    clash = response_save(
        user=world["user"], campaign_id=campaign.pk, commune_id=place.pk, values=ANSWERS, submit=True,
        proposed={"name": "Công ty Gốm Mới", "legal_form": "dn_nho", "tax_code": "5800123456"},
    )  # fmt: skip
    error = _refused(ErrorCode.DUPLICATE, response_accept, user=world["officer"], response_id=clash.pk)
    assert taxed.name in str(error.message)
    _refused(ErrorCode.INVALID, response_reject, user=world["officer"], response_id=clash.pk, reason="")
    rejected = response_reject(user=world["officer"], response_id=clash.pk, reason="Mã số thuế trùng")
    assert rejected.status == "rejected" and rejected.note == "Mã số thuế trùng"


def test_bad_responses_are_refused_with_nothing_written(world):
    campaign, existing = world["campaign"], world["existing"]
    base = {"user": world["user"], "campaign_id": campaign.pk, "commune_id": world["places"][0].pk,
            "values": ANSWERS, "submit": True}  # fmt: skip
    error = _refused(ErrorCode.INVALID, response_save, **{**base, "commune_id": world["places"][2].pk})
    assert error.message == "Xã này không thuộc đợt khảo sát."
    error = _refused(
        ErrorCode.INVALID, response_save, **{**base, "values": dict(ANSWERS, employees_female="20")},
        establishment_id=existing.pk,
    )  # fmt: skip
    assert error.extra["errors"] == {"employees_female": "“Trong đó: lao động nữ” không được lớn hơn “Số lao động”."}
    error = _refused(ErrorCode.INVALID, response_save, **base, proposed={"name": "Cơ sở X"})
    assert error.extra["errors"]["proposed.legal_form"] == "Hãy chọn loại hình của cơ sở mới."
    # Everything wrong is said in one round: the new establishment's missing fields and the answers' errors.
    error = _refused(ErrorCode.INVALID, response_save, **{**base, "values": dict(ANSWERS, employees="12abc")})
    assert {"proposed.name", "proposed.legal_form", "employees"} <= set(error.extra["errors"])
    other = make_establishment(world["officer"], name="Cơ sở khác xã", commune_recorded=world["places"][1])
    _refused(ErrorCode.INVALID, response_save, **base, establishment_id=other.pk)
    _refused(ErrorCode.OUT_OF_SCOPE, response_save, **{**base, "user": world["officer"]}, establishment_id=existing.pk)
    response_save(**base, establishment_id=existing.pk)
    error = _refused(ErrorCode.DUPLICATE, response_save, **base, establishment_id=existing.pk)
    assert "đã có phiếu trả lời" in error.message
    sent = SurveyResponse.objects.get()
    _refused(ErrorCode.OUT_OF_SCOPE, response_accept, user=world["other_officer"], response_id=sent.pk)
    _refused(ErrorCode.PERMISSION_DENIED, response_accept, user=world["user"], response_id=sent.pk)
    campaign.closes_on = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()
    error = _refused(ErrorCode.CONFLICT, response_save, **base, proposed={"name": "Y", "legal_form": "htx"})
    assert error.message == "Đợt khảo sát này đã kết thúc."


def test_survey_pages_say_from_and_to_and_name_communes_in_full(client, world):
    campaign = world["campaign"]
    client.force_login(world["officer"])
    listed = client.get("/collaborators/surveys/").content.decode()
    span = f"từ {campaign.opens_on:%d/%m/%Y} đến {campaign.closes_on:%d/%m/%Y}"
    assert span in listed
    client.force_login(world["user"])
    page = client.get(f"/collaborators/surveys/{campaign.pk}/").content.decode()
    assert span in page
    assert f"Phiếu mới: {world['places'][0].full_name}" in " ".join(page.split())
