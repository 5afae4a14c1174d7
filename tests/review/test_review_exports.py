# mypy: disable-error-code="union-attr"
"""Review: text a user typed, containing control characters, written into the generated files (DOCX, PDF, XLSX).

.venv/bin/python -m pytest -q -p no:xdist tests/review/test_review_exports.py
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login

pytestmark = pytest.mark.django_db

CONTROL = "Đề án\x01 máy sấy\x1b chè"


def _client(user):
    return login(Client(raise_request_exception=False), user)


def _put_name(world, name):
    """PUT the draft project back with a new name, as its officer would over the API."""
    client = _client(world.users["officer"])
    project = world.own["draft_project"]
    body = client.get(f"/api/v1/projects/{project.pk}/").json()
    body["name"] = name
    body["content_ids"] = body.pop("contents")
    for row in body["beneficiaries"]:
        row.pop("id", None)
    response = client.put(f"/api/v1/projects/{project.pk}/", body, content_type="application/json")
    return client, project, response


def test_project_name_with_control_characters_is_accepted_then_breaks_the_docx(world):
    client, project, response = _put_name(world, CONTROL)
    assert response.status_code == 200, response.content[:500]
    project.refresh_from_db()
    accepted = "\x01" in project.name
    docx = client.get(reverse("projects:docx", args=[project.pk]))
    assert docx.status_code < 500, f"name {project.name!r} accepted ({accepted}); .docx: {docx.status_code}"


def test_project_name_with_control_characters_and_the_pdf(world):
    client, project, response = _put_name(world, CONTROL)
    assert response.status_code == 200
    pdf = client.get(reverse("projects:pdf", args=[project.pk]))
    assert pdf.status_code < 500, pdf.status_code


def test_establishment_name_with_control_characters_in_the_xlsx_export(world):
    client = _client(world.users["officer"])
    response = client.post(
        "/api/v1/establishments/",
        {"name": "Cơ sở\x01\x02 lạ", "legal_form": "ho_kinh_doanh", "commune_recorded": world.own["commune"].pk},
        content_type="application/json",
    )
    assert response.status_code in (201, 400)
    export = client.get(reverse("establishments:export", args=["xlsx"]))
    assert export.status_code < 500


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pdf"])
def test_official_reports_with_a_control_character_in_a_project_name(world, kind):
    """The official report files (reports:files) of a year, after a project name with a control character."""
    import datetime

    from khuyencong.reports.models import ReportJob

    _client_, project, response = _put_name(world, CONTROL)
    assert response.status_code == 200
    client = _client(world.users["so"])
    from khuyencong.reports import official

    failed = []
    for report_kind in official.KINDS:
        before = ReportJob.objects.count()
        client.post(
            reverse("reports:files"),
            {"kind": report_kind, "file_format": kind, "year": datetime.date.today().year, "period": "year",
             "province": world.own["province"].pk, "project": project.code or ""},
        )  # fmt: skip
        job = ReportJob.objects.order_by("-created_at").first()
        if ReportJob.objects.count() > before and job.status != "done":
            failed.append((report_kind, job.status, job.error[:200] if job.error else ""))
    assert not failed, failed
