"""Programme targets against results: a provincial programme entered in the app with its decision and targets; its
page, .xlsx and API give each target, what the projects achieved by a date and the share achieved; another province
reaches none of it."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone, translation

from khuyencong.core.exceptions import ApplicationError
from khuyencong.plans.models import Programme
from khuyencong.plans.services import DecisionInput, TargetInput, programme_save
from khuyencong.plans.tests.test_money import WALK
from khuyencong.policy.models import ActivityContent
from khuyencong.projects.services import TargetData, project_create
from khuyencong.projects.tests.factories import content, decision, people
from khuyencong.projects.workflow import project_transition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def test_a_provincial_programme_with_its_targets_against_the_projects_results(client):
    cast = people()
    year = timezone.localdate().year
    province = cast["_centre_org"].province
    with pytest.raises(ApplicationError) as caught:  # the centre is not the Department
        programme_save(user=cast["centre"], name="CT", start_year=year, end_year=year + 4, province_id=province.pk,
                       decision=DecisionInput("12/QĐ-UBND", datetime.date(2025, 12, 1), "Chủ tịch"))  # fmt: skip
    with pytest.raises(ApplicationError) as caught:
        programme_save(user=cast["so"], name="CT", start_year=year, end_year=year + 4, province_id=province.pk,
                       decision=DecisionInput("12/QĐ-UBND", datetime.date(2025, 12, 1), "Chủ tịch"),
                       targets=[TargetInput("models", "-3")])  # fmt: skip
    assert caught.value.field == "targets-0-value"
    with pytest.raises(ApplicationError) as caught:
        programme_save(user=cast["other_so"], name="CT", start_year=year, end_year=year + 4,
                       province_id=province.pk, decision=DecisionInput("1/QĐ", datetime.date(2025, 1, 1), "A"),
                       )  # fmt: skip
    assert not Programme.objects.filter(level="provincial").exists()
    programme = programme_save(
        user=cast["so"], name="Chương trình khuyến công tỉnh Lâm Đồng giai đoạn 2026 - 2030", start_year=year,
        end_year=year + 4, province_id=province.pk,
        decision=DecisionInput("12/QĐ-UBND", datetime.date(2025, 12, 1), "Chủ tịch UBND tỉnh"),
        targets=[TargetInput("models", "4"), TargetInput("establishments_supported", 58),
                 TargetInput("jobs_created", "1.000")],
    )  # fmt: skip
    assert programme.code == f"kcdp-68-{year}-{year + 4}" and programme.targets.count() == 3
    with pytest.raises(ApplicationError):  # a second programme for the same years
        programme_save(user=cast["so"], name="CT", start_year=year, end_year=year + 1, province_id=province.pk,
                       decision=DecisionInput("13/QĐ-UBND", datetime.date(2025, 12, 1), "Chủ tịch"))  # fmt: skip
    client.force_login(cast["so"])
    page = client.get(f"/plans/programmes/{programme.pk}/")
    assert page.status_code == 200 and "Mô hình trình diễn kỹ thuật" in page.content.decode()
    client.force_login(cast["other_so"])
    assert client.get(f"/plans/programmes/{programme.pk}/").status_code == 404
    assert client.get(f"/api/v1/programmes/{programme.pk}/results/").status_code == 404


def test_the_national_programme_against_what_its_projects_achieved(client):
    cast = people()
    year = timezone.localdate().year
    national = Programme.objects.get(code="kcqg-2026-2030")
    programme_save(
        user=cast["mofficer"], programme_id=national.pk, name=national.name, start_year=2026, end_year=2030,
        decision=None, targets=[TargetInput("models", 340), TargetInput("establishments_supported", 1000),
                                TargetInput("models", 20, cast["_centre_org"].province_id)],
    )  # fmt: skip
    values = content(cast["centre"], cast["_centre_org"], year=year)
    values.contents = [ActivityContent.objects.get(code="4.3", valid_to__isnull=True).pk]
    values.targets = [TargetData("models", 2)]
    project = project_create(user=cast["centre"], content=values)
    for name, who, needs_decision in WALK:
        data = decision() if needs_decision else None
        project_transition(user=cast[who], project_id=project.pk, name=name, data=data)
    accept = decision("7/BB-NT", timezone.localdate())
    accept.extra = {"achieved": {"models": 2}}
    project_transition(user=cast["so"], project_id=project.pk, name="accept", data=accept)
    client.force_login(cast["mofficer"])
    answer = client.get(f"/api/v1/programmes/{national.pk}/results/").json()
    rows = {(r["indicator"], r["province"]): r for r in answer["targets"]}
    assert rows[("models", None)]["achieved"] == 2 and rows[("models", None)]["share_pct"].startswith("0.588")
    assert rows[("establishments_supported", None)]["achieved"] == 2  # the project's two beneficiaries
    assert rows[("models", cast["_centre_org"].province_id)]["share_pct"] == "10"
    before = client.get(f"/api/v1/programmes/{national.pk}/results/", {"as_of": "01/01/2026"}).json()
    assert {(r["indicator"], r["achieved"]) for r in before["targets"]} >= {("models", 0)}
    page = client.get(f"/plans/programmes/{national.pk}/").content.decode()
    assert "0,59 %" in page and "10,00 %" in page
    workbook = client.get(f"/plans/programmes/{national.pk}/results.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.content)).active
    values_seen = [row for row in sheet.iter_rows(values_only=True)]
    assert ("Mô hình trình diễn kỹ thuật", "Cả chương trình", 340, 2, "0,59 %") in values_seen
    # A province's officer sees the national targets with the results of their own area only.
    client.force_login(cast["other_so"])
    other = client.get(f"/api/v1/programmes/{national.pk}/results/").json()
    assert other["restricted"] is True
    assert {r["achieved"] for r in other["targets"] if r["indicator"] == "models"} == {0}


def test_only_the_provinces_department_enters_its_programme(client):
    cast = people()
    for who, status in (("so", 200), ("centre", 403), ("mofficer", 403), ("collaborator", 403)):
        client.force_login(cast[who])
        assert client.get("/plans/programmes/new/").status_code == status, who
    client.force_login(cast["so"])
    year = timezone.localdate().year
    answer = client.post("/plans/programmes/new/", {
        "name": "Chương trình khuyến công tỉnh", "province": cast["_centre_org"].province_id, "start_year": year,
        "end_year": year + 4, "decision_number": "12/QĐ-UBND", "decision_date": "01/12/2025", "signer": "Chủ tịch",
        "targets-TOTAL_FORMS": "2", "targets-INITIAL_FORMS": "0", "targets-0-indicator": "models",
        "targets-0-value": "1.000", "targets-1-indicator": "", "targets-1-value": "",
    })  # fmt: skip
    assert answer.status_code == 302, answer.content.decode()[-2000:]
    programme = Programme.objects.get(level="provincial")
    assert list(programme.targets.values_list("indicator_id", "value")) == [("models", 1000)]
    assert programme.decision_number == "12/QĐ-UBND" and programme.history.exists()
