"""Projects over the API: scope, create with its tables, bad input refused with the code and message, steps as
actions, documents checked by content."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from khuyencong.projects.models import Project

from .factories import beneficiary_establishments, make_project, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return people()


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _payload(cast, establishments, **overrides):
    organisation = cast["_centre_org"]
    data = {
        "name": "Đề án qua API",
        "fund": "kcqg",
        "plan_year": timezone.localdate().year + 1,
        "province": organisation.province_id,
        "implementing_org": organisation.pk,
        "beneficiaries": [
            {
                "establishment_id": e.pk,
                "eligible_cost_vnd": 1_000_000_000,
                "support_vnd": 300_000_000,
                "counterpart_vnd": 700_000_000,
            }
            for e in establishments
        ],  # fmt: skip
        "budget_lines": [
            {"item": "Máy móc", "source": "khuyen_cong", "planned_vnd": 600_000_000},
            {"item": "Đối ứng", "source": "counterpart", "planned_vnd": 1_400_000_000},
        ],
        "targets": [{"indicator": "models", "planned": 2}],
    }
    data.update(overrides)
    return data


def test_create_list_scope_and_bad_input(cast, django_assert_max_num_queries):
    establishments = beneficiary_establishments(cast["centre"])
    client = _api(cast["centre"])
    response = client.post("/api/v1/projects/", _payload(cast, establishments), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["code"].startswith("KCQG-") and len(body["beneficiaries"]) == 2
    assert body["budget_lines"][0]["planned_vnd"] == 600_000_000
    bad = _payload(cast, establishments)
    bad["budget_lines"][0]["planned_vnd"] = 100
    response = client.post("/api/v1/projects/", bad, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert "budget" in response.json().get("field", "")
    response = client.post("/api/v1/projects/", _payload(cast, establishments, fund="xyz"), format="json")
    assert response.status_code == 400
    assert Project.objects.count() == 1
    make_project(cast["centre"], cast["_centre_org"])
    with django_assert_max_num_queries(15):
        listed = client.get("/api/v1/projects/", {"fund": "kcqg"}).json()
    assert listed["count"] == 2
    other = _api(cast["other_so"])
    assert other.get("/api/v1/projects/").json()["count"] == 0
    assert other.get(f"/api/v1/projects/{body['id']}/").status_code == 404
    assert other.post(f"/api/v1/projects/{body['id']}/steps/submit/", {}, format="json").status_code == 404


def test_steps_as_actions_with_refusals(cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    centre, so = _api(cast["centre"]), _api(cast["so"])
    assert [s["name"] for s in centre.get(f"/api/v1/projects/{project.pk}/steps/").json()] == ["submit"]
    response = so.post(f"/api/v1/projects/{project.pk}/steps/receive/", {}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "conflict"
    assert centre.post(f"/api/v1/projects/{project.pk}/steps/submit/", {}, format="json").status_code == 201
    response = centre.post(f"/api/v1/projects/{project.pk}/steps/receive/", {}, format="json")
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    so.post(f"/api/v1/projects/{project.pk}/steps/receive/", {}, format="json")
    response = so.post(f"/api/v1/projects/{project.pk}/steps/pass_appraisal/", {}, format="json")
    assert response.status_code == 400 and response.json()["field"] == "decision_number"
    response = so.post(
        f"/api/v1/projects/{project.pk}/steps/pass_appraisal/",
        {
            "decision_number": "5/PTĐ",
            "decision_signed_on": timezone.localdate().isoformat(),
            "decision_signer": "Trần C",
        },
        format="json",
    )
    assert response.status_code == 201 and response.json()["decision"]["number"] == "5/PTĐ"
    timeline = so.get(f"/api/v1/projects/{project.pk}/timeline/").json()
    assert [t["to_status"] for t in timeline] == ["submitted", "base_appraisal", "base_approved"]


def test_documents_over_the_api(cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    client = _api(cast["centre"])
    png = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    response = client.post(
        f"/api/v1/projects/{project.pk}/documents/", {"kind": "photo", "file": png}, format="multipart"
    )
    assert response.status_code == 201 and response.json()["content_type"] == "image/png"
    fake = SimpleUploadedFile("anh.jpg", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/jpeg")
    response = client.post(
        f"/api/v1/projects/{project.pk}/documents/", {"kind": "photo", "file": fake}, format="multipart"
    )
    assert response.status_code == 400 and response.json()["code"] == "file_refused"
    assert len(client.get(f"/api/v1/projects/{project.pk}/documents/").json()) == 1


def test_partial_update_is_refused_in_vietnamese_and_a_full_update_checks_the_version(cast):
    project = make_project(cast["centre"], cast["_centre_org"])
    client = _api(cast["centre"])
    response = client.patch(f"/api/v1/projects/{project.pk}/", {"name": "x"}, format="json")
    assert response.status_code == 400 and "PUT" in response.json()["message"]
    assert "Hãy gửi" in response.json()["message"]
    establishments = list(project.beneficiaries.values_list("establishment", flat=True))
    from khuyencong.establishments.models import Establishment

    payload = _payload(cast, list(Establishment.objects.filter(pk__in=establishments)), name="Tên mới", version=99)
    response = client.put(f"/api/v1/projects/{project.pk}/", payload, format="json")
    assert response.status_code == 409 and response.json()["code"] == "stale_version"
    payload["version"] = project.version
    response = client.put(f"/api/v1/projects/{project.pk}/", payload, format="json")
    assert response.status_code == 200 and response.json()["name"] == "Tên mới"


def test_unknown_contents_or_organisations_are_refused_not_a_500(cast):
    establishments = beneficiary_establishments(cast["centre"])
    client = _api(cast["centre"])
    response = client.post("/api/v1/projects/", _payload(cast, establishments, content_ids=[999_999]), format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["content_ids"] == [
        "Không tìm thấy nội dung hoạt động khuyến công có mã số “999999”."
    ]
    assert Project.objects.count() == 0
