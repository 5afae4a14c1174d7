"""Every record a project names (province, commune, implementing and coordinating organisations, beneficiaries,
support items, contents, the decision's file, an adjusted commune) is looked up through the user's scope or in
reference data: another area's record answers exactly like one that does not exist, and nothing is written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from khuyencong.core.exceptions import ApplicationError
from khuyencong.geography.models import AdminUnit
from khuyencong.projects.models import Adjustment, Project
from khuyencong.projects.services import document_upload, project_create

from .factories import beneficiary_establishments, content, make_project, people
from .test_api import _payload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def cast():
    return people()


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def _in_area(name: str, pk) -> str:
    return f"Không tìm thấy {name} có mã số “{pk}” trong phạm vi của bạn."


def _hanoi_commune() -> AdminUnit:
    return AdminUnit.objects.filter(level="commune", province__code="01", valid_to__isnull=True).order_by("code")[0]


@pytest.mark.parametrize(
    ("field", "name", "other"),
    [
        ("province", "đơn vị hành chính", lambda cast: cast["other_centre"].scope_province_id),
        ("commune", "đơn vị hành chính", lambda cast: _hanoi_commune().pk),
        ("implementing_org", "tổ chức", lambda cast: cast["other_centre"].organisation_id),
    ],
)
def test_another_areas_place_or_organisation_is_not_found(cast, field, name, other):
    establishments = beneficiary_establishments(cast["centre"])
    client = _api(cast["centre"])
    other_id = other(cast)
    missing_id = "00000000-0000-0000-0000-000000000000" if field == "implementing_org" else 99_999_999
    refused = client.post("/api/v1/projects/", _payload(cast, establishments, **{field: other_id}), format="json")
    missing = client.post("/api/v1/projects/", _payload(cast, establishments, **{field: missing_id}), format="json")
    assert refused.status_code == missing.status_code == 400
    assert refused.json()["errors"] == {field: [_in_area(name, other_id)]}
    assert missing.json()["errors"] == {field: [_in_area(name, missing_id)]}
    assert Project.objects.count() == 0


def test_another_provinces_beneficiary_is_not_found(cast):
    own = beneficiary_establishments(cast["centre"], 1)
    hanoi = beneficiary_establishments(cast["other_centre"], 1, province="01")
    client = _api(cast["centre"])
    response = client.post("/api/v1/projects/", _payload(cast, own + hanoi), format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"beneficiaries": {"1": {"establishment_id": [_in_area("cơ sở", hanoi[0].pk)]}}}
    assert hanoi[0].name not in response.content.decode()
    assert Project.objects.count() == 0


def test_support_items_and_contents_are_reference_data(cast):
    establishments = beneficiary_establishments(cast["centre"], 1)
    payload = _payload(cast, establishments)
    payload["beneficiaries"][0]["support_item_id"] = 99_999_999
    response = _api(cast["centre"]).post("/api/v1/projects/", payload, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "beneficiaries": {"0": {"support_item_id": ["Không tìm thấy khoản hỗ trợ có mã số “99999999”."]}}
    }


def test_the_service_looks_up_coordinating_organisations_in_the_scope(cast):
    """Ids inside the content (here the coordinating organisations) go through the user's scope in the service."""
    data = content(cast["centre"], cast["_centre_org"])
    data.coordinating_orgs = [cast["other_centre"].organisation_id]
    with pytest.raises(ApplicationError) as refused:
        project_create(user=cast["centre"], content=data)
    assert refused.value.field == "coordinating_orgs"
    assert str(refused.value.message) == _in_area("tổ chức", cast["other_centre"].organisation_id)
    assert Project.objects.count() == 0


def test_a_step_cannot_name_another_areas_document(cast):
    own = make_project(cast["centre"], cast["_centre_org"])
    other = make_project(
        cast["other_centre"],
        cast["other_centre"].organisation,
        establishments=beneficiary_establishments(cast["other_centre"], 1, province="01"),
    )
    png = SimpleUploadedFile("anh.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, content_type="image/png")
    document = document_upload(
        user=cast["other_centre"], project_id=other.pk, kind="photo", stream=png, name="anh.png", size=png.size or 0
    )
    response = _api(cast["centre"]).post(
        f"/api/v1/projects/{own.pk}/steps/submit/", {"decision_document": document.pk}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"decision_document": [_in_area("tài liệu", document.pk)]}
    own.refresh_from_db()
    assert own.status == "draft"


def test_an_adjustment_cannot_move_a_project_to_another_provinces_commune(cast):
    from khuyencong.projects.services import _before_request_adjustment
    from khuyencong.projects.workflow import StepInput

    project = make_project(cast["centre"], cast["_centre_org"])
    commune = _hanoi_commune()
    data = StepInput(reason="Đổi địa điểm", extra={"scale": "minor", "changes": {"commune": commune.pk}})
    with pytest.raises(ApplicationError) as refused:
        _before_request_adjustment(project=project, user=cast["centre"], data=data, step=None)
    assert refused.value.field == "commune"
    assert str(refused.value.message) == _in_area("đơn vị hành chính", commune.pk)
    assert not Adjustment.objects.exists()


def test_the_project_form_refuses_another_provinces_organisation(client, cast):
    establishments = beneficiary_establishments(cast["centre"], 1)
    client.force_login(cast["centre"])
    organisation = cast["_centre_org"]
    data = {
        "name": "Đề án qua trang",
        "fund": "kcqg",
        "kind": "normal",
        "plan_year": timezone.localdate().year + 1,
        "province": organisation.province_id,
        "implementing_org": cast["other_centre"].organisation_id,
        "coordinating_orgs": [cast["other_centre"].organisation_id],
        "selection_method": "review",
        "beneficiaries-TOTAL_FORMS": "1",
        "beneficiaries-INITIAL_FORMS": "0",
        "beneficiaries-0-establishment": establishments[0].pk,
        "budget-TOTAL_FORMS": "0",
        "budget-INITIAL_FORMS": "0",
        "targets-TOTAL_FORMS": "0",
        "targets-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("projects:create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert _in_area("tổ chức", cast["other_centre"].organisation_id) in page
    assert cast["other_centre"].organisation.name not in page  # neither chosen nor offered
    assert Project.objects.count() == 0
