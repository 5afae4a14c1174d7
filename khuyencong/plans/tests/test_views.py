"""Plan pages and API: scope, the progress page and its .xlsx equal the API, plans made and adjusted through the
form with a version comparison, money recorded through the page, bad input refused at the field."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation
from rest_framework.test import APIClient

from khuyencong.plans.models import AnnualPlan, MoneyEvent
from khuyencong.plans.services import AllocationInput, DecisionInput, money_event_record, plan_create, plan_item_set

from .test_money import TY, _project_under_way

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def cast():
    from khuyencong.projects.tests.factories import people

    return people()


@pytest.fixture
def scenario(cast):
    plan = plan_create(
        user=cast["mofficer"], fund="kcqg", year=2025, province_id=None, title="Kế hoạch KCQG 2025",
        total_vnd=100 * TY, decision=DecisionInput("10/QĐ-BCT", D(2024, 12, 30), "Bộ trưởng"),
        allocations=[AllocationInput(40 * TY, cast["_centre_org"].province_id, None)],
    )  # fmt: skip
    project = _project_under_way(cast, year=2025, kc_vnd=10 * TY)
    plan_item_set(user=cast["mofficer"], plan_id=plan.pk, project_id=project.pk, approved_vnd=10 * TY)
    money_event_record(
        user=cast["mofficer"], project_id=project.pk, kind="advance", source="khuyen_cong",
        amount_vnd=6_861_000_000, occurred_on=D(2025, 3, 10),
    )  # fmt: skip
    return plan, project


def test_progress_page_xlsx_and_api_agree(client, cast, scenario):
    params = {"province": cast["_centre_org"].province_id, "as_of": "31/03/2025", "year_from": 2025, "year_to": 2025}
    client.force_login(cast["so"])
    page = client.get(reverse("plans:progress"), params).content.decode()
    api = APIClient()
    api.force_authenticate(cast["so"])
    body = api.get("/api/v1/plan-vs-actual/", params).json()
    assert body["figures"]["planned_vnd"] == 40 * TY and body["figures"]["disbursed_vnd"] == 6_861_000_000
    assert body["display"]["progress"] == "17,15 %"
    for key in ("progress", "planned_vnd", "disbursed_vnd", "assigned_vnd"):
        assert body["display"][key] in page, key
    assert "quy đổi theo địa giới mới" in page  # 2025 and the year before: restated on today's provinces
    response = client.get(reverse("plans:progress_xlsx"), params)
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["Kế hoạch"] == body["figures"]["planned_vnd"]
    assert values["Giải ngân"] == body["figures"]["disbursed_vnd"]
    assert values["Tiến độ so với kế hoạch"] == "17,15 %"
    # Another province's officer asking for this province gets nothing of it.
    api.force_authenticate(cast["other_so"])
    refused = api.get("/api/v1/plan-vs-actual/", params)
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"  # not a province of theirs
    other = api.get("/api/v1/plan-vs-actual/", {k: v for k, v in params.items() if k != "province"}).json()
    assert other["figures"]["disbursed_vnd"] == 0 and other["figures"]["planned_vnd"] == 0
    bad = api.get("/api/v1/plan-vs-actual/", {"year_from": 2026, "year_to": 2025})
    assert bad.status_code == 400 and bad.json()["code"] == "invalid"


def test_plan_pages_scope_and_version_comparison(client, cast, scenario):
    plan, project = scenario
    client.force_login(cast["mofficer"])
    data = {
        "total_vnd": "120.000.000.000", "decision_number": "20/QĐ-BCT", "decision_date": "01/06/2025",
        "signer": "Bộ trưởng", "note": "Bổ sung kinh phí",
        "allocations-TOTAL_FORMS": "1", "allocations-INITIAL_FORMS": "0",
        "allocations-0-province": str(cast["_centre_org"].province_id), "allocations-0-amount_vnd": "35.000.000.000",
    }  # fmt: skip
    assert client.post(reverse("plans:adjust", args=[plan.pk]), {**data, "decision_number": ""}).status_code == 200
    assert plan.versions.count() == 1
    too_much = {**data, "allocations-0-amount_vnd": "130.000.000.000"}
    response = client.post(reverse("plans:adjust", args=[plan.pk]), too_much)
    assert response.status_code == 200 and "vượt" in response.content.decode()
    assert client.post(reverse("plans:adjust", args=[plan.pk]), data).status_code == 302
    page = client.get(reverse("plans:detail", args=[plan.pk]), {"a": 1, "b": 2}).content.decode()
    assert "10/QĐ-BCT" in page and "20/QĐ-BCT" in page
    assert "20.000.000.000 đ" in page  # the total's difference
    assert "-5.000.000.000 đ" in page  # the province's allocation went from 40 to 35 tỷ
    assert project.code in page
    # The Department may not adjust a national plan; a local plan of another province is not even visible.
    client.force_login(cast["so"])
    assert client.post(reverse("plans:adjust", args=[plan.pk]), data).status_code == 403
    local = plan_create(
        user=cast["other_so"], fund="kcdp", year=2025, province_id=cast["other_so"].scope_province_id,
        title="KH KCĐP Hà Nội 2025", total_vnd=TY, decision=DecisionInput("1/QĐ-UBND", D(2025, 1, 5), "Chủ tịch"),
    )  # fmt: skip
    assert client.get(reverse("plans:detail", args=[local.pk])).status_code == 404
    assert "KH KCĐP Hà Nội 2025" not in client.get(reverse("plans:list")).content.decode()
    api = APIClient()
    api.force_authenticate(cast["so"])
    assert api.get(f"/api/v1/plans/{local.pk}/").status_code == 404
    assert AnnualPlan.objects.count() == 2


def test_money_page_records_and_refuses(client, cast, scenario):
    _plan, project = scenario
    client.force_login(cast["mofficer"])
    url = reverse("plans:project_money", args=[project.pk])
    good = {"source": "khuyen_cong", "kind": "payment", "amount_vnd": "1.000.000.000", "occurred_on": "01/04/2025"}
    assert client.post(url, good).status_code == 302
    over = {**good, "amount_vnd": "5.000.000.000"}
    response = client.post(url, over)
    assert response.status_code == 400 and "vượt số được duyệt" in response.content.decode()
    assert MoneyEvent.objects.filter(project=project).count() == 2
    page = client.get(url).content.decode()
    assert "7.861.000.000 đ" in page  # disbursed: 6.861 + 1.000 million
    client.force_login(cast["other_so"])
    assert client.get(url).status_code == 404
    api = APIClient()
    api.force_authenticate(cast["other_so"])
    assert api.get("/api/v1/money-events/", {"project": project.pk}).json()["count"] == 0
    response = api.post("/api/v1/money-events/", {**good, "project": project.pk, "occurred_on": "2025-04-02",
                                                  "amount_vnd": 1}, format="json")  # fmt: skip
    # Another province's project answers exactly like a project that does not exist, and nothing is written.
    missing = api.post("/api/v1/money-events/", {**good, "project": 99_999_999, "occurred_on": "2025-04-02",
                                                 "amount_vnd": 1}, format="json")  # fmt: skip
    assert response.status_code == missing.status_code == 400
    assert response.json()["errors"]["project"] == [
        f"Không tìm thấy đề án có mã số “{project.pk}” trong phạm vi của bạn."
    ]
    assert missing.json()["errors"]["project"] == ["Không tìm thấy đề án có mã số “99999999” trong phạm vi của bạn."]
    assert MoneyEvent.objects.filter(project=project).count() == 2


def test_projects_are_included_in_a_plan_from_its_page(client, cast, scenario):
    plan, project = scenario
    client.force_login(cast["mofficer"])
    url = reverse("plans:detail", args=[plan.pk])
    response = client.post(url, {"project": project.code, "approved_vnd": "999.000.000.000"})
    # more than the project's approved khuyến công funds: refused with the figures
    assert response.status_code == 200 and "vượt kinh phí khuyến công được duyệt cho đề án" in response.content.decode()
    assert client.post(url, {"project": "KHONG-CO", "approved_vnd": "1"}).status_code == 200
    assert client.post(url, {"project": project.code, "approved_vnd": "9.000.000.000"}).status_code == 302
    assert plan.versions.get().items.get().approved_vnd == 9 * TY
    client.force_login(cast["so"])
    assert client.post(url, {"project": project.code, "approved_vnd": "1"}).status_code == 403
