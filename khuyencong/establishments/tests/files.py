"""Real spreadsheet files built by the tests: .xlsx (openpyxl, with cached formula values), .xls (xlwt), .ods (by
hand), .csv in several encodings, and broken ones."""

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

import openpyxl

from khuyencong.establishments.imports import COLUMNS

HEADERS = [c.header for c in COLUMNS]


def row(**values: Any) -> list[Any]:
    """A data row in the template's column order."""
    keys = [c.key for c in COLUMNS]
    unknown = set(values) - set(keys)
    assert not unknown, unknown
    return [values.get(key) for key in keys]


def xlsx(
    rows: Sequence[Sequence[Any]],
    *,
    title: str | None = None,
    headers: Sequence[str] = HEADERS,
    formulas: dict[str, tuple[str, Any]] | None = None,
) -> bytes:
    """An .xlsx whose first sheet has an optional merged title row, the header row and `rows`. `formulas` maps a
    cell ("P3") to (formula, cached value), as Excel saves them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    sheet.append(list(headers))
    for values in rows:
        sheet.append(list(values))
    for ref, (formula, _value) in (formulas or {}).items():
        sheet[ref] = f"={formula}"
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    return _with_cached_values(data, formulas) if formulas else data


def _with_cached_values(data: bytes, formulas: dict[str, tuple[str, Any]]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    target_buffer = io.BytesIO()
    with zipfile.ZipFile(target_buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                text = content.decode()
                for ref, (formula, value) in formulas.items():
                    pattern = re.compile(rf'<c r="{ref}"([^>]*)><f>[^<]*</f>(<v\s*/>|<v></v>)?</c>')
                    text, count = pattern.subn(f'<c r="{ref}"\\1><f>{formula}</f><v>{value}</v></c>', text)
                    assert count == 1, (ref, text[:500])
                content = text.encode()
            target.writestr(item, content)
    return target_buffer.getvalue()


def xls(rows: Sequence[Sequence[Any]]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Co so")
    for c, header in enumerate(HEADERS):
        sheet.write(0, c, header)
    for r, values in enumerate(rows, start=1):
        for c, value in enumerate(values):
            if value is not None:
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods(rows: Sequence[Sequence[Any]]) -> bytes:
    """A minimal OpenDocument spreadsheet."""
    from xml.sax.saxutils import escape

    def cell(value: Any) -> str:
        if value is None:
            return "<table:table-cell/>"
        if isinstance(value, int | float):
            kind = f'office:value-type="float" office:value="{value}"'
            return f"<table:table-cell {kind}><text:p>{value}</text:p></table:table-cell>"
        return f'<table:table-cell office:value-type="string"><text:p>{escape(str(value))}</text:p></table:table-cell>'

    body = "".join(
        "<table:table-row>" + "".join(cell(v) for v in values) + "</table:table-row>" for values in [HEADERS, *rows]
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="Co so">{body}</table:table>'
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def csv_bytes(rows: Sequence[Sequence[Any]], *, encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADERS)
    for values in rows:
        writer.writerow(["" if v is None else v for v in values])
    return buffer.getvalue().encode(encoding)


def encrypted_xlsx(rows: Sequence[Sequence[Any]], password: str = "matkhau") -> bytes:  # noqa: S107
    from msoffcrypto.format.ooxml import OOXMLFile

    plain = io.BytesIO(xlsx(rows))
    encrypted = io.BytesIO()
    OOXMLFile(plain).encrypt(password, encrypted)
    return encrypted.getvalue()


def wide_xlsx(columns: int) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS + [f"Cột {i}" for i in range(columns - len(HEADERS))])
    sheet.append(["x"] * columns)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def checked(user: Any, content: bytes, name: str = "so-lieu.xlsx") -> Any:
    """`content` uploaded as `name` by `user` and checked (the dry run): the batch with its report."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from khuyencong.establishments import imports

    batch = imports.import_start(user=user, uploaded=SimpleUploadedFile(name, content))
    return imports.import_check(batch_id=batch.pk)
