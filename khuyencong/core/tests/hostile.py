"""Hostile spreadsheet and CSV files, made in the test (never committed as binaries): sparse dimensions, zip bombs,
deep nesting, entity expansion, huge shared-string tables, encrypted workbooks, programs renamed .xlsx, CSV in other
encodings and formula injection. Each builder takes `header`, the text of the first cell (an import's header row),
so that the same files serve the generic reader's tests and an app's import tests."""

import io
import struct
import unicodedata
import zipfile
import zlib
from collections.abc import Sequence
from typing import Any

import openpyxl

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'


def workbook(rows: Sequence[Sequence[Any]]) -> bytes:
    """A plain .xlsx (openpyxl) with `rows` on its first sheet."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def raw_zip(members: Sequence[tuple[str, bytes, int, int]]) -> bytes:
    """A zip written byte by byte, so that it can lie: (name, deflated data, CRC-32, declared unpacked size)."""
    out = io.BytesIO()
    central = []
    for name, data, crc, size in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0))
        out.write(encoded + data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                *(0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0, 0, 0, 0, 0, offset),
            )
            + encoded
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), out.tell() - start, start, 0))
    return out.getvalue()


def _members(content: bytes, replace: dict[str, bytes]) -> list[tuple[str, bytes, int, int]]:
    source = zipfile.ZipFile(io.BytesIO(content))
    members = []
    for name in source.namelist():
        data = replace.pop(name, None)
        data = source.read(name) if data is None else data
        members.append((name, _deflate(data), zlib.crc32(data), len(data)))
    for name, data in replace.items():
        members.append((name, _deflate(data), zlib.crc32(data), len(data)))
    return members


def with_parts(header: str, parts: dict[str, bytes], *, content_types: str = "") -> bytes:
    """A real workbook whose parts in `parts` are replaced (or added)."""
    base = workbook([[header]])
    if content_types:
        types = zipfile.ZipFile(io.BytesIO(base)).read("[Content_Types].xml").decode()
        parts = {**parts, "[Content_Types].xml": types.replace("</Types>", content_types + "</Types>").encode()}
    return raw_zip(_members(base, dict(parts)))


def worksheet(body: str, *, dimension: str | None = None, prolog: str = XML) -> bytes:
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f'{prolog}<worksheet xmlns="{MAIN}">{declared}<sheetData>{body}</sheetData></worksheet>'.encode()


def text_cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sparse_xlsx(header: str, far: str = "XFD1048576", *, declared: bool = True) -> bytes:
    """Two cells, A1 and `far`: a dense reader allocates every cell between them (A1:XFD1048576 is 2^34 cells)."""
    row = int("".join(c for c in far if c.isdigit()))
    body = f'<row r="1">{text_cell("A1", header)}</row><row r="{row}"><c r="{far}"><v>1</v></c></row>'
    return with_parts(
        header, {"xl/worksheets/sheet1.xml": worksheet(body, dimension=f"A1:{far}" if declared else None)}
    )


def _repeated_deflate(head: bytes, unit: bytes, times: int, tail: bytes) -> bytes:
    """A raw deflate stream of head + unit × times + tail, built in milliseconds: after a full flush the compressor
    starts afresh, so the compressed unit can be repeated byte for byte."""

    def segment(data: bytes) -> bytes:
        compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
        return compressor.compress(data) + compressor.flush(zlib.Z_FULL_FLUSH)

    return segment(head) + segment(unit) * times + _deflate(tail)


def zip_bomb(header: str, *, gigabytes: int = 2, lying: bool = False) -> bytes:
    """A workbook whose worksheet inflates to `gigabytes` GB of blanks from about `gigabytes` MB. `lying`: the zip
    declares 1 MB unpacked (with the CRC of that first megabyte), so only reading it finds the truth."""
    head = f'{XML}<worksheet xmlns="{MAIN}"><sheetData><row r="1">{text_cell("A1", header)}</row>'.encode()
    unit = b" " * (1 << 20)
    tail = b"</sheetData></worksheet>"
    times = gigabytes * 1024
    data = _repeated_deflate(head, unit, times, tail)
    if lying:
        size = 1 << 20
        crc = zlib.crc32((head + unit)[:size])
    else:
        size = (len(head) + len(unit) * times + len(tail)) & 0xFFFFFFFF  # a 4 GB+ bomb would need zip64
        crc = 0  # never reached: the declared size is refused first
    members = [m for m in _members(workbook([[header]]), {}) if m[0] != "xl/worksheets/sheet1.xml"]
    members.append(("xl/worksheets/sheet1.xml", data, crc, size))
    return raw_zip(members)


def expanding_part(header: str, *, megabytes: int = 64) -> bytes:
    """A workbook with an extra part that expands about a thousand times (under the total size limit)."""
    data = _repeated_deflate(b"", b"\x00" * (1 << 20), megabytes, b"")
    members = _members(workbook([[header]]), {})
    members.append(("xl/media/image1.bin", data, 0, megabytes << 20))
    return raw_zip(members)


def many_parts(header: str, count: int = 5_000) -> bytes:
    return with_parts(header, {f"xl/extra/part{n}.xml": b"<x/>" for n in range(count)})


def nested_xml(header: str, depth: int = 100_000) -> bytes:
    """A worksheet with `depth` nested elements after the header row."""
    body = f'<row r="1">{text_cell("A1", header)}</row>' + "<x>" * depth + "</x>" * depth
    return with_parts(header, {"xl/worksheets/sheet1.xml": worksheet(body)})


def billion_laughs(header: str) -> bytes:
    """Entity expansion: &lol9; would be 10^9 "lol"s if a parser expanded it."""
    entities = '<!ENTITY lol0 "lol">' + "".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">' for n in range(1, 10))
    prolog = f'<?xml version="1.0"?><!DOCTYPE worksheet [{entities}]>'
    body = f'<row r="1">{text_cell("A1", header)}</row><row r="2">{text_cell("A2", "&lol9;")}</row>'
    return with_parts(header, {"xl/worksheets/sheet1.xml": worksheet(body, prolog=prolog)})


_SST_TYPE = (
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
)
_SST_REL = (
    '<Relationship Id="rIdSst" Target="sharedStrings.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
)


def _with_shared_strings(header: str, strings: bytes, sheet: bytes) -> bytes:
    base = workbook([[header]])
    rels = zipfile.ZipFile(io.BytesIO(base)).read("xl/_rels/workbook.xml.rels").decode()
    return with_parts(
        header,
        {
            "xl/sharedStrings.xml": strings,
            "xl/worksheets/sheet1.xml": sheet,
            "xl/_rels/workbook.xml.rels": rels.replace("</Relationships>", _SST_REL + "</Relationships>").encode(),
        },
        content_types=_SST_TYPE,
    )


def shared_strings(header: str, *, count: int = 300_000, declared: int | None = None) -> bytes:
    """A shared-strings table of `count` strings (declaring `declared` of them), the header cell using the first."""
    items = f"<si><t>{header}</t></si>" + "".join(f"<si><t>Chuỗi số {n}</t></si>" for n in range(1, count))
    strings = f'{XML}<sst xmlns="{MAIN}" count="{count}" uniqueCount="{declared or count}">{items}</sst>'.encode()
    sheet = worksheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>')
    return _with_shared_strings(header, strings, sheet)


def shared_string_amplified(header: str, *, megabytes: int = 1, cells: int = 3_000) -> bytes:
    """One string of `megabytes` MB used by `cells` cells: a reader that copies it per cell needs cells × size."""
    big = "x" * (megabytes << 20)
    strings = (
        f'{XML}<sst xmlns="{MAIN}" count="{cells + 1}" uniqueCount="2">'
        f"<si><t>{header}</t></si><si><t>{big}</t></si></sst>"
    ).encode()
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' + "".join(
        f'<row r="{n}"><c r="B{n}" t="s"><v>1</v></c></row>' for n in range(2, cells + 2)
    )
    return _with_shared_strings(header, strings, worksheet(rows))


def encrypted_xlsx(header: str, password: str = "matkhau") -> bytes:  # noqa: S107
    from msoffcrypto.format.ooxml import OOXMLFile

    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(workbook([[header]]))).encrypt(password, encrypted)
    return encrypted.getvalue()


def elf_program() -> bytes:
    """The start of a Linux program (ELF header) followed by code-like bytes."""
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + bytes(range(256)) * 16


def windows_program() -> bytes:
    """The start of a Windows program (MZ header, "This program cannot be run in DOS mode")."""
    return (
        b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 52 + b"This program cannot be run in DOS mode.\r\r\n$" + b"\x00" * 512
    )


def sparse_xls(header: str) -> bytes:
    """An .xls (xlwt) with the header in A1 and a number in its last cell (IV65536)."""
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Trang 1")
    sheet.write(0, 0, header)
    sheet.write(65535, 255, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ods(table: str) -> bytes:
    """An OpenDocument spreadsheet with the given <table:table> body."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="S">{table}</table:table>'
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
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def ods_repeated(header: str, *, rows: int = 1_048_575, columns: int = 16_384) -> bytes:
    """A one-cell value repeated over `rows` × `columns` cells: a few hundred bytes standing for billions of cells."""
    first = (
        '<table:table-row><table:table-cell office:value-type="string">'
        f"<text:p>{header}</text:p></table:table-cell></table:table-row>"
    )
    repeated = (
        f'<table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell table:number-columns-repeated="{columns}" office:value-type="float" office:value="1">'
        "<text:p>1</text:p></table:table-cell></table:table-row>"
    )
    return ods(first + repeated)


# ---- CSV ------------------------------------------------------------------------------------------------------------

_TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def to_cp1258(text: str) -> bytes:
    """Vietnamese text as Windows-1258 writes it: letters with their vowel marks (â, ê, ô, ơ, ư, ă, đ) precomposed,
    the tone marks as separate combining characters ("ễ" is "ê" + U+0303)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            out.append(char.encode("cp1258"))
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
        tones = "".join(c for c in decomposed if c in _TONE_MARKS)
        out.append((base + tones).encode("cp1258"))
    return b"".join(out)


def csv_text(rows: Sequence[Sequence[Any]], delimiter: str = ",") -> str:
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def unicode_text(rows: Sequence[Sequence[Any]]) -> bytes:
    """Excel's "Unicode text" (.txt, often renamed .csv): UTF-16 little-endian with a BOM, tab-separated."""
    return csv_text(rows, "\t").encode("utf-16")


def windows_1258(rows: Sequence[Sequence[Any]]) -> bytes:
    return to_cp1258(csv_text(rows))


def tcvn3_like(rows: Sequence[Sequence[Any]]) -> bytes:
    """Text typed with an old TCVN3 (ABC) font: the vowel letters sit on bytes that Windows-1258 reads as symbols
    ("ô" is 0xAB «, "ư" 0xAD, "Đ" 0xA7 §)."""
    table = str.maketrans({"ô": "\xab", "ư": "\xad", "Đ": "\xa7", "ơ": "\xac", "â": "\xa9", "ê": "\xaa", "đ": "\xae"})
    return csv_text(rows).translate(table).encode("latin-1", errors="replace")


def backtracking(header: str) -> bytes:
    """Tags that never close, repeated: text on which a careless pattern (`<sheet[^>]*id=`, `<c r="A1"[^>]*>`)
    backtracks for hours."""
    base = workbook([[header]])
    book = zipfile.ZipFile(io.BytesIO(base)).read("xl/workbook.xml")
    crafted_book = book.replace(b"<sheets>", b"<sheets>" + b"<sheet " * 100_000)
    body = f'<row r="1">{text_cell("A1", header)}</row><row r="2">' + '<c r="B2" ' * 300_000 + "</row>"
    return with_parts(header, {"xl/workbook.xml": crafted_book, "xl/worksheets/sheet1.xml": worksheet(body)})
