"""The project document (hồ sơ đề án, the content of TT 36/2013 Art. 5) laid out as a Vietnamese administrative
document: agency header and number, national motto, place and date, title, numbered sections and tables, recipients
and signature block, in Liberation Serif (metric-compatible with Times New Roman). PDF through WeasyPrint from an
HTML template; .docx through python-docx from the same figures."""

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from khuyencong.core import admindoc
from khuyencong.core.formatting import format_number
from khuyencong.core.text import fold

from .choices import BudgetSource
from .models import Project
from .selectors import beneficiaries_of, budget_totals

FUND_TITLE = {"kcqg": "QUỐC GIA", "kcdp": "ĐỊA PHƯƠNG"}


@dataclass
class DocumentData:
    project: Project
    agency_parent: str
    agency: str
    number_line: str
    place_date: str
    title: str
    sections: list[tuple[str, str]]
    budget_rows: list[tuple[str, str, str, str]]
    budget_totals: list[tuple[str, str]]
    beneficiary_rows: list[tuple[str, str, str, str, str]]
    target_rows: list[tuple[str, str, str]]
    contents: list[str]
    recipients: list[str]
    signer_title: str


def file_stem(project: Project) -> str:
    return fold(project.code).replace(" ", "-").upper() or f"de-an-{project.pk}"


def document_data(project: Project) -> DocumentData:
    """Every text and figure of the document, in Vietnamese whatever the user's language (it is an official file)."""
    with translation.override("vi"):
        organisation = project.implementing_org
        parent = getattr(organisation, "parent", None)
        today = timezone.localdate()
        lines = list(project.budget_lines.all())
        totals = budget_totals(lines)
        source_label = dict(BudgetSource.choices)
        beneficiaries = list(beneficiaries_of(project))
        return DocumentData(
            project=project,
            agency_parent=(parent.name if parent else "").upper(),
            agency=organisation.name.upper(),
            number_line=f"Số: {project.code}",
            place_date=f"{project.province.name}, ngày {today.day:02d} tháng {today.month:02d} năm {today.year}",
            title=f"ĐỀ ÁN KHUYẾN CÔNG {FUND_TITLE.get(project.fund, '')} NĂM {project.years_label}",
            sections=[
                ("Mục tiêu của đề án", project.objectives or "—"),
                ("Quy mô và tính nổi bật", project.scale or "—"),
                ("Hiệu quả kinh tế - xã hội - môi trường dự kiến", project.expected_effects or "—"),
            ],
            budget_rows=[
                (str(i), line.item, str(source_label[line.source]), format_number(line.planned_vnd))
                for i, line in enumerate(lines, start=1)
            ],
            budget_totals=[(str(source_label[s]), format_number(totals.planned[s])) for s in BudgetSource.values]
            + [("Tổng cộng", format_number(totals.planned_total))],
            beneficiary_rows=[
                (
                    str(i),
                    f"{b.establishment.name} ({b.establishment.commune.full_name})",
                    b.support_item.code if b.support_item else "—",
                    format_number(b.support_vnd),
                    format_number(b.counterpart_vnd),
                )
                for i, b in enumerate(beneficiaries, start=1)
            ],
            target_rows=[
                (str(i), t.indicator.name, format_number(t.planned))
                for i, t in enumerate(project.targets.select_related("indicator"), start=1)
            ],
            contents=[f"{c.code}. {c.name}" for c in project.contents.all()],
            recipients=["Sở Công Thương (để thẩm định)", "Lưu: VT."],
            signer_title="THỦ TRƯỞNG ĐƠN VỊ",
        )


def project_pdf(project: Project, *, request: Any = None) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "projects/project_print.html",
        {"doc": document_data(project), "motto_1": admindoc.MOTTO_1, "motto_2": admindoc.MOTTO_2},
    )
    return HTML(string=html, base_url=None).write_pdf()


def project_docx(project: Project) -> bytes:
    doc = document_data(project)
    document = admindoc.new_document()
    admindoc.header(
        document, agency_parent=doc.agency_parent, agency=doc.agency, number_line=doc.number_line,
        place_date=doc.place_date, title=doc.title, subtitle=doc.project.name,
    )  # fmt: skip
    paragraph = admindoc.paragraph
    paragraph(document, "I. THÔNG TIN CHUNG", bold=True)
    project = doc.project
    for label, value in (
        ("Đơn vị thực hiện", project.implementing_org.name),
        ("Đơn vị phối hợp", ", ".join(o.name for o in project.coordinating_orgs.all()) or "—"),
        ("Địa điểm", ", ".join(x for x in (project.location, project.commune.full_name if project.commune else "",
                                            project.province.full_name) if x)),
        ("Hình thức lựa chọn", str(project.get_selection_method_display())),
        ("Thời gian thực hiện", project.years_label),
    ):  # fmt: skip
        paragraph(document, f"- {label}: {value}")
    for number, (heading, text) in enumerate(doc.sections, start=2):
        paragraph(document, f"{_roman(number)}. {heading.upper()}", bold=True)
        paragraph(document, text)
    paragraph(document, f"{_roman(len(doc.sections) + 2)}. NỘI DUNG KHUYẾN CÔNG", bold=True)
    for line in doc.contents or ["—"]:
        paragraph(document, f"- {line}")
    n = len(doc.sections) + 3
    admindoc.table(
        document, f"{_roman(n)}. DỰ TOÁN KINH PHÍ (Bảng 1)", "Đơn vị tính: đồng",
        ["TT", "Nội dung chi", "Nguồn", "Số tiền"], doc.budget_rows, numeric_from=3,
    )  # fmt: skip
    for label, value in doc.budget_totals:
        paragraph(document, f"{label}: {value} đồng")
    admindoc.table(
        document, f"{_roman(n + 1)}. CƠ SỞ THỤ HƯỞNG (Bảng 2)", "Đơn vị tính: đồng",
        ["TT", "Cơ sở", "Khoản hỗ trợ", "Kinh phí hỗ trợ", "Vốn đối ứng"], doc.beneficiary_rows, numeric_from=3,
    )  # fmt: skip
    admindoc.table(
        document, f"{_roman(n + 2)}. CHỈ TIÊU (Bảng 3)", "Đơn vị tính: theo chỉ tiêu",
        ["TT", "Chỉ tiêu", "Kế hoạch"], doc.target_rows, numeric_from=2,
    )  # fmt: skip
    admindoc.signature(document, recipients=doc.recipients, signer_title=doc.signer_title)
    return admindoc.to_bytes(document)


def _roman(number: int) -> str:
    values = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    text = ""
    for value, symbol in values:
        while number >= value:
            text += symbol
            number -= value
    return text
