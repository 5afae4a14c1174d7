"""Answers the API contract suite (tests/test_api_contract.py) found broken, kept as plain regression tests."""

import pytest
from django.utils import timezone, translation
from rest_framework.test import APIClient

from khuyencong.plans.models import PlanVersion
from khuyencong.plans.services import DecisionInput, plan_create

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def ministry(make_user):
    return make_user("ministry_officer", province=None)


@pytest.fixture
def plan(ministry):
    return plan_create(
        user=ministry, fund="kcqg", year=timezone.localdate().year, province_id=None, title="Kế hoạch KCQG",
        total_vnd=10**11, decision=DecisionInput("10/QĐ-BCT", timezone.localdate(), "Bộ trưởng"),
    )  # fmt: skip


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_29_digit_amount_is_refused_with_its_message_not_a_500(ministry, plan):
    """Was a 500: the refusal's message formatted the amount with 28 digits of decimal precision."""
    body = {"total_vnd": "72768742257770414729890627584", "decision_number": "11/QĐ-BCT", "signer": "Bộ trưởng",
            "decision_date": timezone.localdate().isoformat()}  # fmt: skip
    for sent in (_api(ministry).post(f"/api/v1/plans/{plan.pk}/adjust/", body, format="multipart"),
                 _api(ministry).post(f"/api/v1/plans/{plan.pk}/adjust/", {**body, "total_vnd": int(body["total_vnd"])},
                                     format="json")):  # fmt: skip
        assert sent.status_code == 400
        assert sent.json()["errors"]["total_vnd"] == [
            "72.768.742.257.770.414.729.890.627.584 đ lớn hơn mọi khoản khuyến công; hãy kiểm tra lại số chữ số."
        ]
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_a_body_that_cannot_be_read_is_a_documented_415_in_vietnamese(ministry, plan):
    """Was an undocumented 415 with an English message (a body sent without a content type, or with another)."""
    response = _api(ministry).generic("POST", f"/api/v1/plans/{plan.pk}/adjust/", "\x1e\u0094", content_type="")
    assert response.status_code == 415
    assert response.json() == {
        "code": "unsupported_media_type",
        "message": "Không đọc được nội dung gửi lên: hãy gửi dạng JSON, hoặc multipart/form-data khi kèm tệp.",
    }
    response = _api(ministry).generic("POST", f"/api/v1/plans/{plan.pk}/adjust/", "<x/>", content_type="text/xml")
    assert response.status_code == 415 and response.json()["code"] == "unsupported_media_type"
