"""Indicators as dated reference data: a target names an indicator of the project's contents (not a computed one);
achieved values carry the date of the acceptance, so outputs read "as of" a date, by indicator and by content, in the
statistics, the pivot and the periodic report file."""

import datetime
import io

import openpyxl
import pytest
from django.utils import translation

from khuyencong.core.exceptions import ApplicationError
from khuyencong.plans.tests.test_money import WALK
from khuyencong.policy.models import ActivityContent, Indicator
from khuyencong.projects.selectors import project_pivot, project_statistics
from khuyencong.projects.services import TargetData, project_create
from khuyencong.projects.tests.factories import content, decision, people
from khuyencong.projects.workflow import project_transition
from khuyencong.reports.official import periodic_report, render_xlsx

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


def _content(cast, code="4.3", targets=None):
    values = content(cast["centre"], cast["_centre_org"], year=2026)
    values.contents = [ActivityContent.objects.get(code=code, valid_to__isnull=True).pk]
    if targets is not None:
        values.targets = targets
    return values


def test_the_catalogue_names_every_indicator_the_reports_need():
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert {"trainees", "course_participants", "courses_digital", "courses_cleaner_production", "courses_energy",
            "courses_management", "trainees_employed", "models", "machinery_establishments", "technology_lines",
            "fairs_domestic", "fairs_abroad", "fair_booths", "showrooms", "brands", "enterprises_founded",
            "clusters_planned", "clusters_infrastructure", "media_tv_radio", "media_articles", "media_newsletters",
            "media_web", "consulting", "cleaner_production_assessments", "jobs_created",
            "revenue_change"} <= codes  # fmt: skip
    models = Indicator.objects.get(code="models")
    assert models.content_codes == ["4.3"] and models.basis() == "Nghị định 45/2012/NĐ-CP, Điều 4 khoản 3"
    assert set(models.support_items.values_list("code", flat=True)) == {"b1", "b2"}


def test_a_target_names_an_indicator_of_the_projects_contents():
    cast = people()
    with pytest.raises(ApplicationError) as caught:
        project_create(user=cast["centre"], content=_content(cast, "4.1", [TargetData("models", 2)]))
    assert caught.value.message == (
        "Chỉ tiêu 1: “Mô hình trình diễn kỹ thuật” tính kết quả của nội dung 4.3, không thuộc các nội dung của đề án "
        "này."
    )
    assert caught.value.field == "targets-0-indicator"
    with pytest.raises(ApplicationError) as caught:
        project_create(user=cast["centre"], content=_content(cast, "4.3", [TargetData("establishments_supported", 2)]))
    assert "do hệ thống tính" in str(caught.value.message)
    with pytest.raises(ApplicationError) as caught:
        project_create(user=cast["centre"], content=_content(cast, "4.3", [TargetData("khong-co", 2)]))
    assert caught.value.message == "Chỉ tiêu 1: hãy chọn chỉ tiêu."
    project = project_create(
        user=cast["centre"], content=_content(cast, "4.3", [TargetData("models", 2), TargetData("jobs_created", 9)])
    )
    assert sorted(project.targets.values_list("indicator__name", "planned")) == [
        ("Mô hình trình diễn kỹ thuật", 2), ("Việc làm mới tạo ra", 9)
    ]  # fmt: skip


def test_results_are_dated_by_the_acceptance_and_read_as_of_a_date_by_indicator_and_content():
    cast = people()
    project = project_create(
        user=cast["centre"], content=_content(cast, "4.3", [TargetData("models", 2), TargetData("jobs_created", 9)])
    )
    for name, who, needs_decision in WALK:
        project_transition(
            user=cast[who], project_id=project.pk, name=name, data=decision() if needs_decision else None
        )
    accept = decision("7/BB-NT", D(2020, 1, 1))
    accept.extra = {"achieved": {"models": 2, "jobs_created": 12}}
    with pytest.raises(ApplicationError) as caught:  # before the project started (today)
        project_transition(user=cast["so"], project_id=project.pk, name="accept", data=accept)
    assert "trước ngày đề án bắt đầu thực hiện" in str(caught.value.message)
    accepted_on = datetime.date.today()
    accept = decision("7/BB-NT", accepted_on)
    accept.extra = {"achieved": {"models": 2, "jobs_created": 12}}
    project_transition(user=cast["so"], project_id=project.pk, name="accept", data=accept)
    assert set(project.targets.values_list("achieved_on", flat=True)) == {accepted_on}
    before = project_statistics(
        user=cast["so"], year_from=2026, year_to=2026, as_of=accepted_on - datetime.timedelta(1)
    )
    after = project_statistics(user=cast["so"], year_from=2026, year_to=2026, as_of=accepted_on)
    assert before["outputs"]["models"] == (2, 0) and after["outputs"]["models"] == (2, 2)
    assert after["outputs_by_content"][("4.3", "jobs_created")] == (9, 12)
    # The same figures counted from the projects (a collaborator's way) and through the pivot.
    pivot = dict(project_pivot(user=cast["so"], dimensions=["content", "fund"], measure="target_achieved",
                               year_from=2026, year_to=2026, indicator="models"))  # fmt: skip
    assert pivot == {("4.3", "kcqg"): 2}
    supported = dict(project_pivot(user=cast["so"], dimensions=["support_item", "fund"],
                                   measure="establishments_supported", year_from=2026, year_to=2026))  # fmt: skip
    assert supported == {("b1", "kcqg"): 2}
    with pytest.raises(ApplicationError):
        project_pivot(user=cast["so"], dimensions=["content", "fund"], measure="target_achieved", year_from=2026,
                      year_to=2026, indicator="establishments_supported")  # fmt: skip
    # The province's periodic report file lists the results by indicator (with units) and by content.
    document = periodic_report(user=cast["so"], province_id=project.province_id, year=2026, period="year")
    rows = [row for row in openpyxl.load_workbook(io.BytesIO(render_xlsx(document))).active.iter_rows(values_only=True)]
    assert ("Mô hình trình diễn kỹ thuật", "mô hình", "2", "2") in [tuple(r[:4]) for r in rows]
    titles = [r[0] for r in rows if r and r[0]]
    assert "Bảng 4. Kết quả thực hiện theo nội dung khuyến công" in titles
    assert any(str(t).startswith("4.3. ") for t in titles)
    assert ("  Việc làm mới tạo ra", "việc làm", "9", "12") in [tuple(r[:4]) for r in rows]
