"""The records collaborators' forms and reports name are looked up through the user's scope: communes covered,
communes surveyed, the province of the completeness board, establishments inside a report's values."""

import datetime
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from khuyencong.collaborators.models import Collaborator, Submission, SurveyCampaign
from khuyencong.establishments.tests.factories import make_establishment

from .factories import GOOD, communes, last_quarter, staff

pytestmark = pytest.mark.django_db


def _in_area(pk) -> str:
    return f"Không tìm thấy đơn vị hành chính có mã số “{pk}” trong phạm vi của bạn."


def test_a_report_cannot_name_an_establishment_of_another_area(world):
    hanoi = staff("01")
    hanoi_place = communes("01", 1)[0]
    elsewhere = make_establishment(hanoi["officer"], name="Cơ sở gốm Bát Tràng", commune_recorded=hanoi_place)
    mine = make_establishment(world["officer"], name="Cơ sở chè Cầu Đất", commune_recorded=world["places"][0])
    need: dict[str, Any] = {"establishment": elsewhere.pk, "need": "machinery", "description": "Lò"}
    values = dict(GOOD, support_needs=[need])
    api = APIClient()
    api.force_authenticate(world["user"])
    body = {"form": "ctv-quy", "commune": world["places"][0].pk, "period": last_quarter().isoformat()}
    refused = api.post("/api/v1/submissions/submit/", {**body, "values": values, "submit_key": "a"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "support_needs.0.establishment": "Cơ sở này không thuộc sổ đăng ký của xã báo cáo."
    }
    assert "Bát Tràng" not in refused.content.decode()
    assert Submission.objects.get().status == "draft"  # kept as typed, not submitted
    need["establishment"] = mine.pk
    accepted = api.post("/api/v1/submissions/submit/", {**body, "values": values, "submit_key": "b"}, format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "submitted"


def test_the_collaborator_form_offers_and_accepts_only_the_provinces_communes(client, world):
    hanoi_place = communes("01", 1)[0]
    client.force_login(world["officer"])
    data = {
        "full_name": "Phạm Văn Hùng",
        "decision_number": "15/QĐ-SCT",
        "decision_date": timezone.localdate().isoformat(),
        "decision_signer": "Giám đốc Sở",
        "status": "active",
        "communes": [world["places"][2].pk, hanoi_place.pk],
    }
    response = client.post(reverse("collaborators:create"), data)
    assert response.status_code == 200
    assert _in_area(hanoi_place.pk) in response.content.decode()
    assert not Collaborator.objects.filter(full_name="Phạm Văn Hùng").exists()


def test_a_survey_campaign_cannot_cover_another_provinces_communes(client, world):
    hanoi_place = communes("01", 1)[0]
    client.force_login(world["officer"])
    today = timezone.localdate()
    data = {
        "title": "Khảo sát cơ sở 2026",
        "form": "",
        "communes": [hanoi_place.pk],
        "opens_on": today.isoformat(),
        "closes_on": (today + datetime.timedelta(days=30)).isoformat(),
        "year": today.year - 1,
    }
    from khuyencong.collaborators.models import ReportForm

    data["form"] = ReportForm.objects.get(code="khao-sat-co-so").pk
    response = client.post(reverse("collaborators:surveys"), data)
    assert _in_area(hanoi_place.pk) in response.content.decode()
    assert not SurveyCampaign.objects.exists()


def test_the_completeness_board_refuses_another_province(client, world):
    hanoi_province = communes("01", 1)[0].province_id
    client.force_login(world["officer"])
    response = client.get(reverse("collaborators:completeness"), {"province": hanoi_province})
    assert _in_area(hanoi_province) in response.content.decode()
