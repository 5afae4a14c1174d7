"""The reading half of `core.sheets`: runs in a fresh interpreter, under memory, CPU and file-size limits.

`core.sheets.read_table()` starts `python -I <this file>` and writes one JSON request on its stdin (the file, its
kind, the limits, where to write the rows). This program sets its own resource limits first, then decodes the file
(python-calamine for .xlsx, .xls and .ods; the csv module for .csv), writes every row to the output file as one
JSON line, and prints one JSON status object on stdout: `{"ok": true, ...}` or `{"error": "<code>", ...}`. A file
that needs more memory or time than allowed kills this process, never the web or task worker that asked.

It imports only the standard library, python-calamine and olefile (no Django), so that it starts in milliseconds.
"""

import csv
import datetime
import io
import json
import re
import resource
import struct
import sys
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

# Cells that hold something (not self-closing): `<c r="AB12" ...>`. Excel and every writer we know put `r` first;
# a cell this misses is still read under the memory limit, it only loses the early, clear refusal. Every repetition
# is bounded, so that no crafted text makes a pattern backtrack for long.
_CELL_REF = re.compile(rb'<c r="([A-Z]{1,4})([0-9]{1,8})"[^>]{0,256}(?<!/)>')
_SHEET_TAG = re.compile(rb"<(?:[\w.-]{1,64}:)?sheet[\s/]")
_RELATIONSHIP_TAG = re.compile(rb"<(?:[\w.-]{1,64}:)?Relationship[\s/]")
_RELATION_ID = re.compile(rb'\s(?:[\w.-]{1,64}:)id="([^"]{1,256})"')
_ATTRIBUTE = re.compile(rb'\s(Id|Target)="([^"]{0,2048})"')
_CHUNK = 4 * 1024 * 1024


class Refused(Exception):
    def __init__(self, code: str, **detail: Any):
        super().__init__(code)
        self.code = code
        self.detail = detail


def column_index(letters: bytes | str) -> int:
    """1 for A, 27 for AA, 16384 for XFD."""
    number = 0
    for char in letters if isinstance(letters, str) else letters.decode("ascii"):
        number = number * 26 + ord(char) - 64
    return number


def _limit(kind: int, soft: int, hard: int) -> None:
    """Lower a limit (never above a hard limit the system already sets)."""
    _current, ceiling = resource.getrlimit(kind)
    if ceiling != resource.RLIM_INFINITY:
        soft, hard = min(soft, ceiling), min(hard, ceiling)
    resource.setrlimit(kind, (soft, hard))


def limit_resources(memory_mb: int, cpu_seconds: int, output_mb: int) -> None:
    memory = memory_mb * 1024 * 1024
    _limit(resource.RLIMIT_AS, memory, memory)
    _limit(resource.RLIMIT_CPU, cpu_seconds, cpu_seconds + 5)
    output = output_mb * 1024 * 1024
    _limit(resource.RLIMIT_FSIZE, output, output)
    _limit(resource.RLIMIT_CORE, 0, 0)


# ---- structure checks before the cells are read ---------------------------------------------------------------------


class Extent:
    """The rows and columns a sheet declares, checked against the limits as they are found."""

    def __init__(self, limits: dict[str, int]):
        self.limits = limits
        self.rows = 0
        self.columns = 0

    def add(self, row: int, column: int) -> None:
        if row > self.rows:
            self.rows = row
            if row > self.limits["max_rows"]:
                raise Refused("too_many_rows", rows=row)
        if column > self.columns:
            self.columns = column
            if column > self.limits["max_columns"]:
                raise Refused("too_many_columns", columns=column)
        if self.rows * self.columns > self.limits["max_cells"]:
            raise Refused("too_many_cells", rows=self.rows, columns=self.columns)


def _first_sheet_part(archive: zipfile.ZipFile) -> str | None:
    """The worksheet part that python-calamine reads as sheet 0 (the first `<sheet>` of the workbook)."""
    try:
        with archive.open("xl/workbook.xml") as handle:
            workbook = handle.read(1024 * 1024)
        with archive.open("xl/_rels/workbook.xml.rels") as handle:
            rels = handle.read(1024 * 1024)
    except KeyError:
        return None
    sheet = _tag(workbook, _SHEET_TAG, 0)
    found = _RELATION_ID.search(sheet[0]) if sheet else None
    if not found:
        return None
    position = 0
    while relationship := _tag(rels, _RELATIONSHIP_TAG, position):
        tag, position = relationship
        attributes = dict(_ATTRIBUTE.findall(tag))
        if attributes.get(b"Id") == found.group(1) and b"Target" in attributes:
            target = attributes[b"Target"].decode("utf-8", "replace")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _tag(data: bytes, start: re.Pattern[bytes], position: int) -> tuple[bytes, int] | None:
    """The next tag that `start` opens, from `position`: its text (up to ">") and where the search goes on. Each
    byte is looked at a bounded number of times, however the text is crafted."""
    opened = start.search(data, position)
    if opened is None:
        return None
    end = data.find(b">", opened.end(), opened.end() + 65_536)
    if end < 0:
        return None
    return data[opened.end() - 1 : end], end + 1


def scan_xlsx(path: str, limits: dict[str, int]) -> Extent:
    """Stream the first worksheet's XML and find the last row and column that hold a cell, refusing as soon as they
    pass the limits (python-calamine would allocate rows × columns cells before anyone could look)."""
    extent = Extent(limits)
    with zipfile.ZipFile(path) as archive:
        part = _first_sheet_part(archive)
        names = archive.namelist()
        parts = [part] if part in names else [n for n in names if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        for name in parts:
            with archive.open(name) as handle:
                tail = b""
                while chunk := handle.read(_CHUNK):
                    data = tail + chunk
                    cut = data.rfind(b"<")
                    body, tail = (data[:cut], data[cut:]) if cut > 0 else (data, b"")
                    found = _CELL_REF.findall(body)
                    if found:
                        letters = max((c for c, _r in found), key=lambda c: (len(c), c))
                        extent.add(max(int(r) for _c, r in found), column_index(letters))
                if tail:
                    for letters, row in _CELL_REF.findall(tail):
                        extent.add(int(row), column_index(letters))
    return extent


# BIFF8 records that carry a cell, and where their last column is.
_BIFF_CELLS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0201, 0x0204, 0x0205, 0x00D6, 0x0207}
_BIFF_MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, ..., last column


def workbook_stream(path: str) -> bytes:
    """The workbook stream of an OLE file (.xls); refuses a password-protected .xlsx (an OLE file holding an
    "EncryptionInfo" and an "EncryptedPackage" stream) and OLE files that hold no workbook (.doc, .msi…)."""
    import olefile

    if not olefile.isOleFile(path):
        raise Refused("damaged")
    with olefile.OleFileIO(path) as ole:
        if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
            raise Refused("encrypted")
        stream_name = "Workbook" if ole.exists("Workbook") else "Book" if ole.exists("Book") else None
        if stream_name is None:
            raise Refused("not_spreadsheet")
        return ole.openstream(stream_name).read()


def scan_xls(path: str, limits: dict[str, int]) -> Extent:
    """Walk the records of the first worksheet of an .xls (BIFF8) and find its last row and column."""
    data = workbook_stream(path)
    extent = Extent(limits)
    offset, first_sheet = 0, None
    while offset + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, offset)
        body = offset + 4
        if kind == 0x0085 and first_sheet is None and length >= 4:  # BOUNDSHEET: where the first sheet starts
            first_sheet = struct.unpack_from("<I", data, body)[0]
        if kind == 0x000A:  # EOF of the workbook globals
            break
        offset = body + length
    if first_sheet is None or first_sheet >= len(data):
        return extent
    offset = first_sheet
    while offset + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, offset)
        body = offset + 4
        if kind == 0x000A:
            break
        if kind in _BIFF_CELLS and length >= 4:
            row, column = struct.unpack_from("<HH", data, body)
            extent.add(row + 1, column + 1)
        elif kind in _BIFF_MULTI and length >= 6:
            row = struct.unpack_from("<H", data, body)[0]
            last = struct.unpack_from("<H", data, body + length - 2)[0]
            extent.add(row + 1, last + 1)
        offset = body + length
    return extent


# ---- reading --------------------------------------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    """JSON for the values JSON lacks; `core.sheets` turns them back."""
    if isinstance(value, datetime.datetime):
        return ["t", value.isoformat()]
    if isinstance(value, datetime.date):
        return ["d", value.isoformat()]
    if isinstance(value, datetime.time):
        return ["h", value.isoformat()]
    if isinstance(value, datetime.timedelta):
        return ["s", value.total_seconds()]
    return str(value)


def write_rows(rows: Iterable[list[Any]], output: IO[str], limits: dict[str, int]) -> tuple[int, int]:
    dumps = json.JSONEncoder(ensure_ascii=False, default=_encode).encode
    count = width = cells = 0
    for row in rows:
        count += 1
        if count > limits["max_rows"]:
            raise Refused("too_many_rows", rows=count)
        cells += len(row)
        if cells > limits["max_cells"]:
            raise Refused("too_many_cells", rows=count, columns=width)
        if len(row) > width:
            width = len(row)
            if width > limits["max_columns"]:
                raise Refused("too_many_columns", columns=width)
        output.write(dumps(row))
        output.write("\n")
    return count, width


def read_workbook(path: str, limits: dict[str, int]) -> Iterator[list[Any]]:
    """Rows of the first sheet as python-calamine gives them, from the sheet's first row and column (as
    `to_python(skip_empty_area=False)` would), without holding them all as Python objects."""
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError

    try:
        sheet = CalamineWorkbook.from_path(path).get_sheet_by_index(0)
    except PasswordError as exc:
        raise Refused("encrypted") from exc
    except CalamineError as exc:
        if "limit" in str(exc).lower():  # python-calamine's own cap on the cells of a sheet (.ods repeats)
            raise Refused("too_many_cells") from exc
        raise
    if sheet.end is None:
        return  # an empty sheet
    end_row, end_column = sheet.end
    start_column = sheet.start[1] if sheet.start else 0
    rows, columns = end_row + 1, end_column + 1
    if rows > limits["max_rows"]:
        raise Refused("too_many_rows", rows=rows)
    if columns > limits["max_columns"]:
        raise Refused("too_many_columns", columns=columns)
    if rows * columns > limits["max_cells"]:
        raise Refused("too_many_cells", rows=rows, columns=columns)
    # iter_rows() starts at the sheet's first row but at the range's first column (a test holds it to that).
    padding = [""] * start_column
    for row in sheet.iter_rows():
        yield padding + row if padding else row


_SYMBOLS = re.compile("[\u00a1-\u00bf]")


def decode_csv(raw: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was read in: UTF-8 (with or without a BOM), UTF-16 with a BOM
    (Excel's "Unicode text"), or Windows-1258 (older Vietnamese Windows), normalised to NFC."""
    if raw.startswith(b"\xef\xbb\xbf"):
        try:
            return raw[3:].decode("utf-8"), "utf-8"
        except UnicodeDecodeError as exc:
            raise Refused("bad_encoding") from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise Refused("bad_encoding") from exc
    if b"\x00" in raw:  # binary, or UTF-16 without its BOM (Excel always writes one)
        raise Refused("not_text")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        text = raw.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise Refused("bad_encoding") from exc
    letters = [c for c in text if not c.isascii()]
    if letters and len(_SYMBOLS.findall(text)) > len(letters) // 5:
        # Windows-1258 Vietnamese is letters and combining tone marks; text full of ¨©ª«¬®§ is an old font
        # encoding (TCVN3, VNI) read with the wrong table.
        raise Refused("legacy_encoding")
    return unicodedata.normalize("NFC", text), "cp1258"


def read_csv(path: str, limits: dict[str, int], status: dict[str, Any]) -> Iterator[list[Any]]:
    with open(path, "rb") as handle:
        raw = handle.read()
    text, encoding = decode_csv(raw)
    del raw
    if "\x00" in text:
        raise Refused("not_text")
    status["encoding"] = encoding
    sample = text[:4096]
    delimiter = max([",", ";", "\t"], key=sample.count)
    status["delimiter"] = delimiter
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as exc:
        raise Refused("damaged") from exc


def read(request: dict[str, Any]) -> dict[str, Any]:
    path, kind, limits = request["path"], request["kind"], request["limits"]
    status: dict[str, Any] = {"ok": True}
    if kind == "ole":  # an OLE file named .xlsx: a password-protected workbook, or something else
        workbook_stream(path)
        raise Refused("not_spreadsheet")
    if kind == "xlsx":
        scan_xlsx(path, limits)
    elif kind == "xls":
        scan_xls(path, limits)
    rows = read_csv(path, limits, status) if kind == "csv" else read_workbook(path, limits)
    with open(request["output"], "w", encoding="utf-8", errors="replace") as output:
        status["rows"], status["columns"] = write_rows(rows, output, limits)
    return status


def main() -> None:
    request = json.loads(sys.stdin.read())
    limit_resources(request["memory_mb"], request["cpu_seconds"], request["output_mb"])
    try:
        status = read(request)
    except Refused as refused:
        status = {"error": refused.code, **refused.detail}
    except MemoryError:
        status = {"error": "memory"}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError) as exc:
        status = {"error": "damaged", "detail": repr(exc)[:300]}
    except BaseException as exc:  # noqa: BLE001 - python-calamine's errors and panics: a damaged or odd file
        status = {"error": "damaged", "detail": repr(exc)[:300]}
    sys.stdout.write(json.dumps(status))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
