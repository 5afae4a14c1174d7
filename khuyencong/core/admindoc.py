"""The parts every Vietnamese administrative document in Word shares (Nghị định 30/2020/NĐ-CP layout): A4 with
3 / 1,5 / 2 / 2 cm margins, Times New Roman 13, the header with the issuing agency and number on the left and the
national motto, place and date on the right, the title, numbered tables, and the recipients beside the signature
block. Used by the project document and the official report files."""

import io
from collections.abc import Sequence
from typing import Any

from .text import keep_last_words

MOTTO_1 = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO_2 = "Độc lập - Tự do - Hạnh phúc"


def new_document(*, landscape: bool = False) -> Any:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm, Pt

    document = Document()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    else:
        section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.top_margin = section.bottom_margin = Cm(2)
    section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)
    return document


def paragraph(
    where: Any, text: str, *, bold: bool = False, italic: bool = False, center: bool = False, right: bool = False,
    size: int | None = None, underline: bool = False,
) -> Any:  # fmt: skip
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    p = where.add_paragraph()
    run = p.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    if size:
        run.font.size = Pt(size)
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return p


def _two_cells(document: Any) -> tuple[Any, Any]:
    table = document.add_table(rows=1, cols=2)
    left, right = table.rows[0].cells
    left._element.clear_content()
    right._element.clear_content()
    return left, right


def header(
    document: Any, *, agency_parent: str, agency: str, number_line: str, place_date: str, title: str, subtitle: str
) -> None:
    left, right = _two_cells(document)
    if agency_parent:
        paragraph(left, keep_last_words(agency_parent), center=True, size=12)
    paragraph(left, keep_last_words(agency), bold=True, center=True, size=12)
    paragraph(left, number_line, center=True, size=12)
    paragraph(right, MOTTO_1, bold=True, center=True, size=12)
    paragraph(right, MOTTO_2, bold=True, center=True, underline=True)
    paragraph(right, place_date, italic=True, center=True)
    paragraph(document, title, bold=True, center=True, size=14)
    paragraph(document, subtitle, bold=True, center=True)


def table(
    document: Any, caption: str, unit: str, headers: Sequence[str], rows: Sequence[Sequence[str]], *,
    numeric_from: int | None = None,
) -> None:  # fmt: skip
    """A captioned grid with its unit above it on the right; columns from `numeric_from` aligned right."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    paragraph(document, caption, bold=True)
    paragraph(document, unit, italic=True, right=True)
    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, head in zip(grid.rows[0].cells, headers, strict=True):
        cell.text = head
        cell.paragraphs[0].runs[0].bold = True
    for values in rows:
        for index, (cell, value) in enumerate(zip(grid.add_row().cells, values, strict=True)):
            cell.text = value
            if numeric_from is not None and index >= numeric_from:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def signature(document: Any, *, recipients: Sequence[str], signer_title: str) -> None:
    left, right = _two_cells(document)
    paragraph(left, "Nơi nhận:", bold=True, italic=True, size=12)
    for recipient in recipients:
        paragraph(left, f"- {recipient}", size=11)
    paragraph(right, signer_title, bold=True, center=True)
    paragraph(right, "(Ký, ghi rõ họ tên, đóng dấu)", italic=True, center=True, size=12)


def to_bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
