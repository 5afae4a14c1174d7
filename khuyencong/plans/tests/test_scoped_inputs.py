"""The records a plan, its items, a money event and the figures name (province, commune, programme, project) are
looked up through the user's scope: another area's record answers exactly like one that does not exist, nothing is
written."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework.test import APIClient

from khuyencong.core.history import attribute
from khuyencong.geography.models import AdminUnit
from khuyencong.plans.models import AnnualPlan, PlanItem, Programme
from khuyencong.plans.services import DecisionInput, plan_create
from khuyencong.projects.tests.factories import beneficiary_establishments, make_project, people

pytestmark = pytest.mark.django_db
TY = 1_000_000_000


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


def _hanoi_programme(user) -> Programme:
    programme = Programme(
        code="ct-kc-ha-noi-2026-2030", name="Chương trình khuyến công Hà Nội 2026–2030", level="provincial",
        province=user.scope_province, start_year=2026, end_year=2030,
    )  # fmt: skip
    attribute(programme, user=user, reason="Thử nghiệm")
    programme.save()
    return programme


def _local_plan(cast, **changes):
    body = {
        "fund": "kcdp",
        "year": timezone.localdate().year,
        "province": cast["so"].scope_province_id,
        "title": "Kế hoạch khuyến công địa phương",
        "total_vnd": 5 * TY,
        "decision_number": "3/QĐ-UBND",
        "decision_date": timezone.localdate().isoformat(),
        "signer": "Chủ tịch",
    }
    return {**body, **changes}


def test_a_local_plan_cannot_name_another_province_or_its_programme(cast):
    api = _api(cast["so"])
    hanoi = cast["other_so"].scope_province_id
    programme = _hanoi_programme(cast["other_so"])
    refused = api.post("/api/v1/plans/", _local_plan(cast, province=hanoi), format="json")
    missing = api.post("/api/v1/plans/", _local_plan(cast, province=99_999_999), format="json")
    assert refused.status_code == missing.status_code == 400
    assert refused.json()["errors"] == {"province": [_in_area("đơn vị hành chính", hanoi)]}
    assert missing.json()["errors"] == {"province": [_in_area("đơn vị hành chính", 99_999_999)]}
    other_programme = api.post("/api/v1/plans/", _local_plan(cast, programme=programme.pk), format="json")
    assert other_programme.status_code == 400
    assert other_programme.json()["errors"] == {"programme": [_in_area("chương trình", programme.pk)]}
    allocation = api.post(
        "/api/v1/plans/", _local_plan(cast, allocations=[{"province": hanoi, "amount_vnd": TY}]), format="json"
    )
    assert allocation.status_code == 400
    assert allocation.json()["errors"] == {"allocations": {"0": {"province": [_in_area("đơn vị hành chính", hanoi)]}}}
    assert not AnnualPlan.objects.exists()
    assert api.post("/api/v1/plans/", _local_plan(cast), format="json").status_code == 201


def test_the_service_refuses_another_provinces_programme(cast):
    from khuyencong.core.exceptions import ApplicationError

    programme = _hanoi_programme(cast["other_so"])
    with pytest.raises(ApplicationError) as refused:
        plan_create(
            user=cast["so"], fund="kcdp", year=timezone.localdate().year, province_id=cast["so"].scope_province_id,
            title="Kế hoạch", total_vnd=TY, decision=DecisionInput("1/QĐ", timezone.localdate(), "Chủ tịch"),
            programme_id=programme.pk,
        )  # fmt: skip
    assert refused.value.field == "programme"
    assert str(refused.value.message) == _in_area("chương trình", programme.pk)
    assert not AnnualPlan.objects.exists()


def test_a_plan_item_cannot_name_another_provinces_project(cast):
    plan = plan_create(
        user=cast["so"], fund="kcdp", year=timezone.localdate().year + 1, province_id=cast["so"].scope_province_id,
        title="Kế hoạch KCĐP", total_vnd=5 * TY, decision=DecisionInput("3/QĐ-UBND", timezone.localdate(), "Chủ tịch"),
    )  # fmt: skip
    hanoi_project = make_project(
        cast["other_centre"],
        cast["other_centre"].organisation,
        fund="kcdp",
        establishments=beneficiary_establishments(cast["other_centre"], 1, province="01"),
    )
    response = _api(cast["so"]).post(
        f"/api/v1/plans/{plan.pk}/items/", {"project": hanoi_project.pk, "approved_vnd": TY}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"project": [_in_area("đề án", hanoi_project.pk)]}
    assert hanoi_project.code not in response.content.decode()
    assert not PlanItem.objects.exists()


def test_the_plan_form_refuses_another_province(client, cast):
    client.force_login(cast["so"])
    hanoi = cast["other_so"].scope_province_id
    data = {
        "title": "Kế hoạch KCĐP",
        "fund": "kcdp",
        "year": timezone.localdate().year,
        "province": hanoi,
        "total_vnd": "5.000.000.000",
        "decision_number": "3/QĐ-UBND",
        "decision_date": timezone.localdate().strftime("%d/%m/%Y"),
        "signer": "Chủ tịch",
        "allocations-TOTAL_FORMS": "1",
        "allocations-INITIAL_FORMS": "0",
        "allocations-0-province": hanoi,
        "allocations-0-amount_vnd": "1.000.000.000",
    }
    page = client.post(reverse("plans:create"), data).content.decode()
    assert page.count(_in_area("đơn vị hành chính", hanoi)) == 2  # the plan's province and the allocation's
    assert not AnnualPlan.objects.exists()


def test_the_figures_refuse_another_areas_commune(cast):
    commune = AdminUnit.objects.filter(level="commune", province__code="01", valid_to__isnull=True).first()
    assert commune is not None
    response = _api(cast["so"]).get("/api/v1/plan-vs-actual/", {"commune": commune.pk})
    assert response.status_code == 400
    assert response.json()["errors"] == {"commune": [_in_area("đơn vị hành chính", commune.pk)]}
    assert commune.full_name not in response.content.decode()
    today = timezone.localdate() - datetime.timedelta(days=1)
    ok = _api(cast["mofficer"]).get("/api/v1/plan-vs-actual/", {"commune": commune.pk, "as_of": today.isoformat()})
    assert ok.status_code == 200 and ok.json()["scope"] == commune.full_name
