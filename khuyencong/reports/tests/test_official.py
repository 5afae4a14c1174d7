"""The official report files, made through the page in the background and reopened: .xlsx with openpyxl, .docx with
python-docx, .pdf with pypdf (and pdftoppm to PNG); their figures are checked against the API for the same scope and
period."""

import io
import subprocess

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader
from rest_framework.test import APIClient

from khuyencong.plans.services import DecisionInput, plan_create, plan_item_set
from khuyencong.plans.tests.test_money import TY
from khuyencong.reports.models import ReportJob
from khuyencong.reports.official import million

from .test_dashboard import world  # noqa: F401 - the shared fixture

pytestmark = pytest.mark.django_db


def _make(client, user, **data):
    client.force_login(user)
    response = client.post(reverse("reports:files"), data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    job = ReportJob.objects.filter(user=user).first()
    assert job is not None and job.status == ReportJob.JobStatus.DONE, job.error if job else None
    page = client.get(response["Location"]).content.decode()
    assert 'data-testid="report-download"' in page
    download = client.get(reverse("reports:download", args=[job.pk]))
    assert download.status_code == 200
    # Saved under a name in words (the title and subtitle of the document), not "bao-cao-….pdf".
    disposition = download["Content-Disposition"]
    assert "filename*=utf-8''B" in disposition and "%20" in disposition and f".{job.file_format}" in disposition
    return b"".join(download.streaming_content)


def _xlsx_rows(data: bytes) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [[str(c) if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


def _docx_text(data: bytes) -> tuple[str, list[list[str]]]:
    document = Document(io.BytesIO(data))
    cells = [[c.text for c in row.cells] for table in document.tables for row in table.rows]
    return "\n".join(p.text for p in document.paragraphs), cells


def _pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "1", str(path), str(tmp_path / "p")], check=True)
    assert next(tmp_path.glob("p*.png")).read_bytes().startswith(b"\x89PNG")
    return "\n".join(page.extract_text() for page in PdfReader(str(path)).pages)


def test_the_provinces_periodic_report_in_three_formats_matches_the_api(client, world, tmp_path):  # noqa: F811
    cast, own = world
    year = timezone.localdate().year
    approval = DecisionInput("5/QĐ-BCT", timezone.localdate(), "Bộ trưởng")
    plan = plan_create(user=cast["mofficer"], fund="kcqg", year=year, province_id=None, title=f"KH {year}",
                       total_vnd=50 * TY, decision=approval)  # fmt: skip
    plan_item_set(user=cast["mofficer"], plan_id=plan.pk, project_id=own.pk, approved_vnd=10 * TY)
    api = APIClient()
    api.force_authenticate(cast["so"])
    params = {
        "province": own.province_id,
        "year_from": year,
        "year_to": year,
        "as_of": timezone.localdate().isoformat(),
    }
    figures = api.get("/api/v1/plan-vs-actual/", params).json()["figures"]
    disbursed, assigned = million(figures["disbursed_vnd"]), million(figures["assigned_vnd"])
    assert disbursed == "3.000" and assigned == "10.000"
    form = {"kind": "periodic", "year": year, "period": "year", "province": own.province_id}

    rows = _xlsx_rows(_make(client, cast["so"], **form, file_format="xlsx"))
    by_label = {row[0]: row for row in rows if row and row[0]}
    assert by_label["Đã giải ngân (tạm ứng, thanh toán)"][1:4] == [disbursed, "0", disbursed]
    assert by_label["Đã giao cho đề án"][3] == assigned
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cell for row in rows for cell in row)

    text, cells = _docx_text(_make(client, cast["so"], **form, file_format="docx"))
    assert "BÁO CÁO" in text and "Tình hình thực hiện công tác khuyến công năm" in text
    assert ["Đã giải ngân (tạm ứng, thanh toán)", disbursed, "0", disbursed] in cells
    assert any("Độc lập - Tự do - Hạnh phúc" in cell for row in cells for cell in row)

    pdf = _pdf_text(_make(client, cast["so"], **form, file_format="pdf"), tmp_path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in pdf and disbursed in pdf and "Nơi nhận" in pdf

    # Another province's officer cannot ask for this province.
    client.force_login(cast["other_so"])
    count = ReportJob.objects.count()
    response = client.post(reverse("reports:files"), {**form, "file_format": "pdf"})
    assert response.status_code == 200 and ReportJob.objects.count() == count


def test_summary_progress_and_regional_reports(client, world, tmp_path):  # noqa: F811
    cast, own = world
    year = timezone.localdate().year
    kc = own.budget_lines.get(source="khuyen_cong")
    cells = _docx_text(_make(client, cast["so"], kind="registered", year=year, province=own.province_id,
                             file_format="docx"))[1]  # fmt: skip
    row = next(r for r in cells if own.name in r)
    assert million(kc.planned_vnd) in row and "Xã Đức Trọng, Tỉnh Lâm Đồng" in row

    rows = _xlsx_rows(_make(client, cast["centre"], kind="project", year=year, project=own.code, file_format="xlsx"))
    assert ["Đã giải ngân", million(3 * TY)] in [r[:2] for r in rows]

    api = APIClient()
    api.force_authenticate(cast["mofficer"])
    national = api.get("/api/v1/plan-vs-actual/", {"year_from": str(year), "year_to": str(year), "fund": "kcqg"}).json()
    pdf = _pdf_text(_make(client, cast["mofficer"], kind="regional", year=year, file_format="pdf"), tmp_path)
    assert "Cả nước" in pdf and million(national["figures"]["disbursed_vnd"]) in pdf
    assert "Khu vực miền Nam" in pdf
    # The national report is the ministry's.
    client.force_login(cast["so"])
    response = client.post(reverse("reports:files"), {"kind": "regional", "year": year, "file_format": "pdf"})
    assert response.status_code == 200 and "cán bộ của Bộ" in response.content.decode()
    assert not ReportJob.objects.filter(user=cast["so"], kind="regional").exists()


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(481_407_000_000, "481.407"), (1_250_000, "1,25"), (1_234_567, "1,235"), (0, "0"), (500_000, "0,5"),
     (999_999_999, "1.000"), (None, "")],
)  # fmt: skip
def test_amounts_in_trieu_dong_carry_the_decimals_they_need(amount, shown):
    assert million(amount) == shown


def test_the_agency_name_never_leaves_a_lone_word_on_its_last_line():
    from khuyencong.core.text import keep_last_words

    assert keep_last_words("CỤC ĐỔI MỚI SÁNG TẠO, CHUYỂN ĐỔI XANH VÀ KHUYẾN CÔNG").endswith("KHUYẾN\u00a0CÔNG")
    assert keep_last_words("SỞ CÔNG THƯƠNG") == "SỞ CÔNG\u00a0THƯƠNG"
    assert keep_last_words("BỘ CÔNG") == "BỘ CÔNG"
