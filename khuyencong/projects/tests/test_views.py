"""The project pages: scope on every view, the guided form with good and bad input, steps, documents checked by
content, the PDF (rendered to PNG) and the .docx reopened."""

import io
import subprocess
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from khuyencong.projects.choices import Status
from khuyencong.projects.models import Beneficiary, Document, Project
from khuyencong.projects.workflow import project_transition

from .factories import beneficiary_establishments, decision, make_project, people

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return people()


@pytest.fixture
def project(cast):
    return make_project(cast["centre"], cast["_centre_org"])


def _client(client, user):
    client.force_login(user)
    return client


def _pdf_bytes() -> bytes:
    from weasyprint import HTML

    return HTML(string="<p>Biên bản</p>").write_pdf()


def test_every_project_url_is_a_404_outside_the_scope(client, cast, project):
    _client(client, cast["other_so"])
    document = Document.objects.create(
        project=project, kind="other", file="x.pdf", original_name="x.pdf", content_type="application/pdf",
        size=1, sha256="0", stage="draft",
    )  # fmt: skip
    beneficiary = project.beneficiaries.first()
    assert beneficiary is not None
    urls = [
        reverse("projects:detail", args=[project.pk]),
        *[
            reverse("projects:detail_tab", args=[project.pk, tab])
            for tab in ("documents", "progress", "results", "history")
        ],
        reverse("projects:edit", args=[project.pk]),
        reverse("projects:step", args=[project.pk, "submit"]),
        reverse("projects:pdf", args=[project.pk]),
        reverse("projects:docx", args=[project.pk]),
        reverse("projects:document_download", args=[document.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("projects:step", args=[project.pk, "submit"]),
        reverse("projects:document_upload", args=[project.pk]),
        reverse("projects:progress_create", args=[project.pk]),
        reverse("projects:evaluation_save", args=[project.pk, beneficiary.pk]),
    ]
    for url in posts:
        assert client.post(url, {}).status_code == 404, url
    assert project.code not in client.get(reverse("projects:list")).content.decode()
    # The establishment search of the form does not reach another province either.
    response = client.get(reverse("projects:establishment_options"), {"province": project.province_id, "q": "hop tac"})
    assert "Hợp tác xã thử nghiệm" not in response.content.decode()
    assert Project.objects.get(pk=project.pk).status == Status.DRAFT


def test_list_filters_and_detail_tabs(client, cast, project, django_assert_max_num_queries):
    _client(client, cast["so"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("projects:list"), {"fund": "kcqg", "year": project.plan_year})
    assert project.code in response.content.decode()
    assert project.code not in client.get(reverse("projects:list"), {"fund": "kcdp"}).content.decode()
    assert project.code in client.get(reverse("projects:list"), {"q": "mo hinh trinh dien"}).content.decode()
    for tab in ("documents", "progress", "results", "history"):
        assert client.get(reverse("projects:detail_tab", args=[project.pk, tab])).status_code == 200
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "1.000.000.000 đ" in page  # the khuyến công budget line, in Vietnamese format
    assert 'data-testid="step-submit"' in page


def test_overdue_filter(client, cast):
    late = make_project(cast["centre"], cast["_centre_org"], year=timezone.localdate().year)
    on_time = make_project(cast["centre"], cast["_centre_org"], year=timezone.localdate().year + 2)
    _client(client, cast["so"])
    page = client.get(reverse("projects:list"), {"overdue": "true"}).content.decode()
    assert late.code in page and on_time.code not in page


def _form_data(cast, establishments, **overrides):
    organisation = cast["_centre_org"]
    data = {
        "name": "Đề án thử nghiệm qua biểu mẫu",
        "fund": "kcdp",
        "kind": "normal",
        "plan_year": str(timezone.localdate().year + 1),
        "end_year": "",
        "province": str(organisation.province_id),
        "commune": "",
        "location": "Thôn 1",
        "implementing_org": str(organisation.pk),
        "selection_method": "review",
        "beneficiaries-TOTAL_FORMS": str(len(establishments)),
        "beneficiaries-INITIAL_FORMS": "0",
        "budget-TOTAL_FORMS": "2",
        "budget-INITIAL_FORMS": "0",
        "budget-0-item": "Máy móc",
        "budget-0-source": "khuyen_cong",
        "budget-0-planned_vnd": "600.000.000",
        "budget-1-item": "Đối ứng",
        "budget-1-source": "counterpart",
        "budget-1-planned_vnd": "1.400.000.000",
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-0-indicator": "models",
        "targets-0-planned": "2",
    }
    for n, establishment in enumerate(establishments):
        data.update(
            {
                f"beneficiaries-{n}-establishment": str(establishment.pk),
                f"beneficiaries-{n}-eligible_cost_vnd": "1.000.000.000",
                f"beneficiaries-{n}-support_vnd": "300.000.000",
                f"beneficiaries-{n}-counterpart_vnd": "700.000.000",
            }
        )
    data.update(overrides)
    return data


def test_the_guided_form_creates_then_refuses_bad_input_with_nothing_written(client, cast):
    establishments = beneficiary_establishments(cast["centre"])
    _client(client, cast["centre"])
    with translation.override("vi"):
        response = client.post(reverse("projects:create"), _form_data(cast, establishments), HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 302, response.content.decode()[:2000]
    project = Project.objects.get(name="Đề án thử nghiệm qua biểu mẫu")
    assert project.code.startswith(f"KCDP-{project.plan_year}-68-")
    assert sorted(project.beneficiaries.values_list("support_vnd", flat=True)) == [300_000_000, 300_000_000]
    count = Project.objects.count()
    bad_cases = [
        {"budget-0-planned_vnd": "500.000.000"},  # support 600 million > khuyến công lines 500 million
        {"beneficiaries-0-support_vnd": "-5"},
        {"beneficiaries-0-support_vnd": "12,5"},
        {"budget-0-planned_vnd": "99.999.999.999.999.999"},
        {"beneficiaries-1-establishment": str(establishments[0].pk)},  # the same establishment twice
        {"plan_year": "1990"},
    ]
    for overrides in bad_cases:
        response = client.post(reverse("projects:create"), _form_data(cast, establishments, **overrides))
        assert response.status_code == 200, overrides
        assert 'role="alert"' in response.content.decode(), overrides
    # An establishment of another province is refused with the reason.
    outsider = beneficiary_establishments(cast["other_so"], count=1, province="01")
    response = client.post(reverse("projects:create"), _form_data(cast, [establishments[0], *outsider]))
    assert response.status_code == 200
    # Another area's establishment is "not in the registry": nothing about it (its province) is told.
    assert "Hà Nội" not in response.content.decode().split("<main", 1)[1].split("</form>", 1)[0]
    assert Project.objects.count() == count
    assert Beneficiary.objects.filter(establishment=outsider[0]).count() == 0


def test_edit_refuses_a_stale_version_and_a_submitted_project(client, cast, project):
    _client(client, cast["centre"])
    establishments = list(Beneficiary.objects.filter(project=project).values_list("establishment", flat=True))
    from khuyencong.establishments.models import Establishment

    data = _form_data(cast, list(Establishment.objects.filter(pk__in=establishments)), fund="kcqg")
    data["version"] = str(project.version - 1)
    response = client.post(reverse("projects:edit", args=[project.pk]), data)
    assert response.status_code == 200 and "Người khác đã lưu đề án này" in response.content.decode()
    data["version"] = str(project.version)
    assert client.post(reverse("projects:edit", args=[project.pk]), data).status_code == 302
    project.refresh_from_db()
    assert project.name == "Đề án thử nghiệm qua biểu mẫu" and project.version == 2
    project_transition(user=cast["centre"], project_id=project.pk, name="submit")
    response = client.get(reverse("projects:edit", args=[project.pk]))
    assert response.status_code == 302


def test_steps_through_the_pages_with_decision_and_reason(client, cast, project):
    _client(client, cast["centre"])
    assert (
        client.post(reverse("projects:step", args=[project.pk, "submit"]), {"version": project.version}).status_code
        == 302
    )
    _client(client, cast["so"])
    client.post(reverse("projects:step", args=[project.pk, "receive"]), {})
    response = client.post(reverse("projects:step", args=[project.pk, "pass_appraisal"]), {"decision_number": ""})
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    response = client.post(
        reverse("projects:step", args=[project.pk, "pass_appraisal"]),
        {
            "decision_number": "01/PTĐ",
            "decision_signed_on": timezone.localdate().strftime("%d/%m/%Y"),
            "decision_signer": "Lê Văn B",
        },
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.BASE_APPROVED
    page = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
    assert "01/PTĐ" in page and page.count('data-testid="timeline-item"') == 3
    # A step the user may not take is not offered and not taken.
    _client(client, cast["centre"])
    client.post(reverse("projects:step", args=[project.pk, "register"]), {})
    project.refresh_from_db()
    assert project.status == Status.BASE_APPROVED


def test_documents_are_checked_by_content_and_served_only_in_scope(client, cast, project):
    _client(client, cast["centre"])
    url = reverse("projects:document_upload", args=[project.pk])
    good = SimpleUploadedFile("to-trinh.pdf", _pdf_bytes(), content_type="application/pdf")
    assert client.post(url, {"kind": "request_letter", "file": good}).status_code == 302
    document = Document.objects.get(project=project)
    assert document.content_type == "application/pdf" and document.stage == Status.DRAFT
    fake = SimpleUploadedFile("du-toan.xlsx", b"this is not a workbook", content_type="application/vnd.ms-excel")
    response = client.post(url, {"kind": "estimate", "file": fake})
    assert response.status_code == 400 and "du-toan.xlsx" in response.content.decode()
    word_as_pdf = io.BytesIO()
    with zipfile.ZipFile(word_as_pdf, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    response = client.post(url, {"kind": "estimate", "file": SimpleUploadedFile("x.pdf", word_as_pdf.getvalue())})
    assert response.status_code == 400
    exe = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    assert client.post(url, {"kind": "other", "file": exe}).status_code == 400
    assert Document.objects.filter(project=project).count() == 1
    response = client.get(reverse("projects:document_download", args=[document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    _client(client, cast["collaborator"])  # a collaborator of a commune elsewhere in the province
    assert client.get(reverse("projects:document_download", args=[document.pk])).status_code == 404


def test_the_project_document_as_pdf_rendered_to_png_and_as_docx(client, cast, project, tmp_path):
    _client(client, cast["so"])
    response = client.get(reverse("projects:pdf", args=[project.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = tmp_path / "de-an.pdf"
    pdf.write_bytes(response.content)
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert project.code in text and "1.000.000.000" in text and "Hợp tác xã thử nghiệm 1" in text
    fonts: set[str] = set()
    for page in PdfReader(str(pdf)).pages:
        resources: Any = page["/Resources"]
        fonts |= {str(font.get_object()["/BaseFont"]) for font in resources["/Font"].values()}
    assert fonts and all("Liberation-Serif" in name for name in fonts), fonts
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 5_000
    response = client.get(reverse("projects:docx", args=[project.pk]))
    assert response.status_code == 200
    from docx import Document as Docx

    docx = Docx(io.BytesIO(response.content))
    body = "\n".join(p.text for p in docx.paragraphs)
    cells = "\n".join(c.text for t in docx.tables for r in t.rows for c in r.cells)
    assert "Độc lập - Tự do - Hạnh phúc" in cells and project.name in body
    assert "1.000.000.000" in cells and "Hợp tác xã thử nghiệm 2" in cells


def test_progress_report_and_evaluation_pages(client, cast):
    project = make_project(cast["centre"], cast["_centre_org"], year=timezone.localdate().year)
    for name, who, data in [
        ("submit", "centre", None), ("receive", "so", None), ("pass_appraisal", "so", decision()),
        ("register", "so", None), ("ministry_receive", "mofficer", None), ("include_in_plan", "mapprover", decision()),
        ("assign", "mofficer", decision()), ("sign_contract", "mofficer", decision()), ("start", "centre", None),
    ]:  # fmt: skip
        project_transition(user=cast[who], project_id=project.pk, name=name, data=data)
    _client(client, cast["centre"])
    url = reverse("projects:progress_create", args=[project.pk])
    month = timezone.localdate().strftime("01/%m/%Y")
    good = {"month": month, "work_done": "Lắp đặt máy", "percent_done": "40", "spent_khuyen_cong_vnd": "100.000.000"}
    assert client.post(url, good).status_code == 302
    assert client.post(url, good).status_code == 400  # the same month twice
    assert client.post(url, {**good, "month": "01/01/2099"}).status_code == 400
    report = project.progress_reports.get()
    assert report.spent_khuyen_cong_vnd == 100_000_000
    _client(client, cast["so"])
    client.post(reverse("projects:progress_confirm", args=[project.pk, report.pk]))
    report.refresh_from_db()
    assert report.confirmed_by == cast["so"]
    beneficiary = project.beneficiaries.first()
    assert beneficiary is not None
    # Figures after support are refused before acceptance.
    client.post(
        reverse("projects:evaluation_save", args=[project.pk, beneficiary.pk]),
        {f"b{beneficiary.pk}-employees_before": "12"},
    )
    beneficiary.refresh_from_db()
    assert beneficiary.employees_before is None


def test_a_local_plan_approval_names_the_provinces_approver(client, cast):
    from khuyencong.projects.models import LocalWorkflow

    LocalWorkflow.objects.create(province=cast["_centre_org"].province, approver="director")
    project = make_project(cast["centre"], cast["_centre_org"], fund="kcdp")
    for name, who, data in [("submit", "centre", None), ("receive", "so", None), ("pass_appraisal", "so", decision())]:
        project_transition(user=cast[who], project_id=project.pk, name=name, data=data)
    cast["approver"].totpdevice_set.create(name="t", confirmed=True)
    client.force_login(cast["approver"])
    session = client.session
    session["otp_device_id"] = cast["approver"].totpdevice_set.get().persistent_id
    session.save()
    page = client.get(reverse("projects:step", args=[project.pk, "include_in_plan"])).content.decode()
    assert "Giám đốc Sở Công Thương" in page
