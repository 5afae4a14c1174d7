"""Review: user-supplied text longer than a database column (history reasons are varchar(100), decision numbers
varchar(60), a project's location varchar(255)…). SQLite stores anything; PostgreSQL refuses it, and the request
must then answer 400, never 500. Run on both:

    .venv/bin/python -m pytest -q -p no:xdist tests/review/test_review_lengths.py
    .venv/bin/python -m pytest -q -p no:xdist --ds=PostgreSQL (DATABASE_URL) tests/review/test_review_lengths.py
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.conftest import login

pytestmark = pytest.mark.django_db

LONG = "Lý do rất dài " * 12  # 168 characters: more than a history reason's 100
assert len(LONG) > 100


def _client(user):
    return login(Client(raise_request_exception=False), user)


def _no_5xx(response, what):
    assert response.status_code < 500, f"{what}: {response.status_code} {response.content[:300]!r}"


def test_step_reason_over_100_characters_api(world):
    """POST /api/v1/projects/{id}/steps/request_adjustment/ with a 168-character reason (provincial officer)."""
    client = _client(world.users["officer"])
    project = world.own["project"]
    response = client.post(
        f"/api/v1/projects/{project.pk}/steps/request_adjustment/",
        {"reason": LONG, "scale": "minor", "changes": {"location": "Thôn 2"}},
        content_type="application/json",
    )
    _no_5xx(response, "step reason over the API")


def test_step_reason_over_100_characters_page(world):
    """The same through the HTML step page (projects:step) with a 168-character reason."""
    client = _client(world.users["officer"])
    project = world.own["project"]
    response = client.post(
        reverse("projects:step", args=[project.pk, "request_adjustment"]),
        {"reason": LONG, "scale": "minor", "new_location": "Thôn 2", "version": project.version},
    )
    _no_5xx(response, "step reason on the page")


def test_adjusted_location_longer_than_its_column_is_stored_or_crashes(world):
    """request_adjustment with changes.location of 300 characters (the column holds 255): accepted, then the
    approval writes it into Project.location."""
    from khuyencong.projects.models import Project

    officer = _client(world.users["officer"])
    project = world.own["project"]
    response = officer.post(
        f"/api/v1/projects/{project.pk}/steps/request_adjustment/",
        {"reason": "Đổi địa điểm", "scale": "minor", "changes": {"location": "Đ" * 300}},
        content_type="application/json",
    )
    _no_5xx(response, "request_adjustment with a 300-character location")
    print("request_adjustment 300 chars:", response.status_code, response.content[:200])
    if response.status_code != 201:
        return  # refused: fine
    approver = _client(world.users["mofficer"])  # minor adjustment of a national project: the agency
    response = approver.post(
        f"/api/v1/projects/{project.pk}/steps/approve_adjustment/",
        {"reason": "Đồng ý", "decision_number": "9/QĐ", "decision_signed_on": datetime.date.today().isoformat(),
         "decision_signer": "Cục trưởng"},
        content_type="application/json",
    )  # fmt: skip
    _no_5xx(response, "approve_adjustment writing a 300-character location")
    location = Project.objects.get(pk=project.pk).location
    assert len(location) <= 255, f"Project.location now holds {len(location)} characters (column: 255)"


def test_plan_decision_number_and_title_over_their_columns(world):
    """POST /api/v1/plans/ as the Department officer with a 100-character decision number (column 60)."""
    client = _client(world.users["so"])
    year = datetime.date.today().year + 1
    response = client.post(
        "/api/v1/plans/",
        {"fund": "kcdp", "year": year, "province": world.own["province"].pk, "title": "Kế hoạch",
         "total_vnd": 1000, "decision_number": "1" * 100, "decision_date": datetime.date.today().isoformat(),
         "signer": "S" * 300},
        content_type="application/json",
    )  # fmt: skip
    _no_5xx(response, "plan with a 100-character decision number")
    if response.status_code == 201 and connection.vendor == "sqlite":
        pytest.fail("a 100-character decision number was stored into a 60-character column")


def test_step_decision_number_over_60_over_the_api(world):
    """approve_adjustment/suspend decision_number of 100 characters over the API (the page's form caps it at 60)."""
    client = _client(world.users["mapprover"])
    project = world.own["project"]
    response = client.post(
        f"/api/v1/projects/{project.pk}/steps/suspend/",
        {"reason": "Tạm dừng", "decision_number": "9" * 100, "decision_signed_on": datetime.date.today().isoformat(),
         "decision_signer": "Bộ trưởng"},
        content_type="application/json",
    )  # fmt: skip
    _no_5xx(response, "suspend with a 100-character decision number")
    assert response.status_code != 201, "a 100-character decision number was accepted (column: 60)"


def test_merge_of_two_records_with_long_names(world):
    """Merging two same-province records with an ordinary long company name (85 characters): the reason the
    service writes quotes the name ("Đã gộp vào cơ sở #id “…”.")."""
    from khuyencong.establishments.services import establishment_create

    officer = world.users["officer"]
    name = "Công ty TNHH Một thành viên Sản xuất Thương mại và Dịch vụ Chế biến Nông sản Lâm Đồng"  # 85 characters
    a = establishment_create(
        user=officer, data={"name": name, "legal_form": "ho_kinh_doanh", "commune_recorded": world.own["commune"]}
    )
    b = establishment_create(
        user=officer, data={"name": name + "x", "legal_form": "ho_kinh_doanh", "commune_recorded": world.own["commune"]}
    )
    response = _client(officer).post(
        reverse("establishments:merge", args=[a.pk, b.pk]), {"other": b.pk, "reason": "Trùng"}
    )
    _no_5xx(response, "merge of two records with long names")


def test_import_of_a_file_with_a_long_name(world):
    """Import a good CSV whose file name is an ordinary 92-character one: the commit writes the history reason
    “Nhập từ tệp “…””, longer than 100."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from khuyencong.establishments.models import ImportBatch

    client = _client(world.users["officer"])
    commune = world.own["commune"]
    body = f"Tên cơ sở,Loại hình,Mã xã\nCơ sở nhập dài tên,Hộ kinh doanh,{commune.code}\n".encode()
    name = "Danh sách cơ sở công nghiệp nông thôn tỉnh Lâm Đồng năm 2025 (cập nhật tháng 11) - bản cuối.csv"
    response = client.post(reverse("establishments:import"), {"file": SimpleUploadedFile(name, body)})
    _no_5xx(response, "upload")
    batch = ImportBatch.objects.filter(user=world.users["officer"]).order_by("-created_at").first()
    assert batch is not None and batch.status == "checked", (batch and batch.status, batch and batch.error)
    response = client.post(reverse("establishments:import_commit", args=[batch.pk]))
    _no_5xx(response, "commit")
    batch.refresh_from_db()
    assert batch.status == "committed", (batch.status, batch.error)


def test_establishment_edit_reason_of_200_characters_is_saved(world):
    """Same as above, checking what happened: the change saved with its reason, or the form refused it."""
    from khuyencong.establishments.models import Establishment

    client = _client(world.users["officer"])
    record = Establishment.objects.get(pk=world.own["establishment_outside"].pk)
    response = client.post(
        reverse("establishments:edit", args=[record.pk]),
        {"name": record.name + " mới", "legal_form": record.legal_form, "commune_recorded": record.commune_recorded_id,
         "status": record.status, "source": record.source, "version": record.version, "reason": "R" * 200},
    )  # fmt: skip
    _no_5xx(response, "establishment edit with a 200-character reason")
    import re as _re

    errors = _re.findall(r"(?:invalid-feedback|alert-danger)[^>]*>(.*?)<", response.content.decode(), _re.S)
    assert response.status_code == 302, (response.status_code, errors)


def test_two_factor_reset_reason_of_400_characters(world):
    """The reset (admin action and service) allows a 500-character reason; the history keeps 100."""
    from khuyencong.accounts.models import TwoFactorEvent
    from khuyencong.accounts.services import two_factor_reset

    admin = type(world.users["admin"]).objects.get(pk=world.users["admin"].pk)
    admin.is_verified = lambda: True
    two_factor_reset(user=admin, target_id=world.users["approver"].pk, reason="Mất điện thoại " * 25)
    assert TwoFactorEvent.objects.filter(user=world.users["approver"]).exists()


def test_returning_a_report_with_a_comment_of_150_characters(world):
    """The province returns a collaborator's report with an ordinary explanatory comment (150 characters; the API
    allows 3000): the history reason is “<step>: <comment>”."""
    client = _client(world.users["officer"])
    submission = world.own["submission"]
    comment = "Số lao động nữ lớn hơn tổng số lao động ở dòng ngành chế biến; đề nghị kiểm tra lại số liệu quý này " \
              "và bổ sung nhu cầu hỗ trợ máy móc cho các cơ sở."  # fmt: skip
    assert len(comment) > 100
    response = client.post(
        f"/api/v1/submissions/{submission.pk}/return/", {"comment": comment}, content_type="application/json"
    )
    _no_5xx(response, "return with a 150-character comment (API)")
    response = client.post(reverse("collaborators:review_step", args=[submission.pk, "return"]), {"comment": comment})
    _no_5xx(response, "return with a 150-character comment (page)")
