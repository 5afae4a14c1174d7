"""Reading uploaded spreadsheets (.xlsx, .xls, .ods, .csv) so that no file can take a web or task worker down.

Two steps, for every import of every app (an app gives its limits and keeps its own columns and rules):

1. `precheck()`, in this process and cheap (a few reads of the file's head and of the zip's directory): the file's
   content must be the kind its name says (an executable or a PDF named .xlsx is refused); a zip must have few
   parts of bounded unpacked size, none expanding like a zip bomb; the first worksheet's
   declared `<dimension>` and the shared-strings count must stay within the limits.
2. `read_table()` then reads the cells in a fresh interpreter (`core/sheet_reader.py`, started with
   `sys.executable -I`, so it does not inherit this process's memory) under `RLIMIT_AS` (`KC_IMPORT_MEMORY_MB`),
   `RLIMIT_CPU` and a wall-clock timeout (`KC_IMPORT_SECONDS`). The reader streams the worksheet's XML (or walks an
   .xls's records) for the real row and column extent before python-calamine allocates anything, and hands the
   rows back as JSON lines. A reader that runs out of memory or time dies alone; the caller gets an
   `ApplicationError(FILE_REFUSED)` with a Vietnamese message naming the limit.
"""

import datetime
import json
import logging
import os
import re
import signal
import struct
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import sheet_reader
from .exceptions import ApplicationError, ErrorCode
from .formatting import format_number

__all__ = ["KINDS", "SheetLimits", "Table", "check_name_and_size", "precheck", "read_table", "refuse"]

logger = logging.getLogger(__name__)

KINDS = {".xlsx": "xlsx", ".xls": "xls", ".ods": "ods", ".csv": "csv"}
READER = Path(sheet_reader.__file__).resolve()
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_DIMENSION = re.compile(
    rb'<(?:[\w.-]+:)?dimension\s+ref="\$?([A-Z]{1,4})\$?([0-9]{1,8})(?::\$?([A-Z]{1,4})\$?([0-9]{1,8}))?"'
)
_UNIQUE_COUNT = re.compile(rb'<(?:[\w.-]+:)?sst\b[^>]*?\buniqueCount="([0-9]{1,12})"')
_MB = 1024 * 1024


@dataclass(frozen=True)
class SheetLimits:
    """What an import accepts. `max_rows` counts data rows; `header_rows` more are allowed for titles and headers."""

    max_bytes: int = 25 * _MB
    max_rows: int = 200_000
    header_rows: int = 20
    max_columns: int = 200
    #: rows × columns of the first sheet's extent (python-calamine allocates that many cells, 32 bytes each)
    max_cells: int = 220_000 * 40
    max_zip_members: int = 1_000
    #: unpacked size of all the parts of a zip (.xlsx, .ods); the largest import file unpacks to about 310 MB
    max_unpacked_bytes: int = 1024 * _MB
    #: a part larger than `ratio_from_bytes` may not expand more than this many times (zip bombs expand ~1000×)
    max_ratio: int = 400
    ratio_from_bytes: int = 8 * _MB
    #: the rows handed back, as JSON lines
    max_output_bytes: int = 1024 * _MB
    #: at most this many seconds, when less than `KC_IMPORT_SECONDS` (a file read during a web request must end
    #: well before the web server's own timeout)
    max_seconds: int | None = None

    @property
    def memory_mb(self) -> int:
        return int(getattr(settings, "KC_IMPORT_MEMORY_MB", 1024))

    @property
    def seconds(self) -> int:
        configured = int(getattr(settings, "KC_IMPORT_SECONDS", 300))
        return min(configured, self.max_seconds) if self.max_seconds else configured


@dataclass
class Table:
    """The first sheet's rows (index 0 is the sheet's first row) and what the user should know about the reading."""

    rows: list[list[Any]]
    notes: list[str] = field(default_factory=list)


def refuse(message: str) -> ApplicationError:
    return ApplicationError(ErrorCode.FILE_REFUSED, message, field="file")


def _n(value: int) -> str:
    return format_number(value, lang=get_language() or "vi")


def check_name_and_size(name: str, size: int, limits: SheetLimits) -> None:
    """Refuse by name and size before anything is read."""
    if Path(name).suffix.lower() not in KINDS:
        raise refuse(_("Only .xlsx, .xls, .ods or .csv files can be imported."))
    if size == 0:
        raise refuse(_("The file is empty."))
    if size > limits.max_bytes:
        raise refuse(
            _("The file is %(size)s MB; the limit is %(limit)s MB. Split it into several files.")
            % {"size": round(size / _MB, 1), "limit": limits.max_bytes // _MB}
        )


def _mismatch(kind: str) -> ApplicationError:
    return refuse(
        _("This file is not a %(kind)s spreadsheet (its content does not match its name).") % {"kind": f".{kind}"}
    )


def _too_big_unpacked(size: int, limits: SheetLimits) -> ApplicationError:
    return refuse(
        _(
            "Unpacked, the file would take %(size)s MB; the limit is %(limit)s MB. It is not read: save the data "
            "in a new workbook and upload that."
        )
        % {"size": _n(size // _MB), "limit": _n(limits.max_unpacked_bytes // _MB)}
    )


def _extent_refusal(rows: int, columns: int, limits: SheetLimits) -> ApplicationError | None:
    if rows > limits.max_rows + limits.header_rows:
        return refuse(
            _("The file has more than %(max)s rows. Split it into several files.") % {"max": _n(limits.max_rows)}
        )
    if columns > limits.max_columns:
        return refuse(
            _("The first sheet has %(n)s columns; an import file has at most %(max)s.")
            % {"n": _n(columns), "max": _n(limits.max_columns)}
        )
    if rows * columns > limits.max_cells:
        return refuse(
            _(
                "The first sheet spans %(rows)s rows × %(columns)s columns, more than the %(max)s cells an import "
                "file may have. Delete the rows and columns far from the table, or split the file."
            )
            % {"rows": _n(rows), "columns": _n(columns), "max": _n(limits.max_cells)}
        )
    return None


# ---- 1. the checks before reading ----------------------------------------------------------------------------------


def _zip_directory(path: Path, limits: SheetLimits) -> None:
    """Count the zip's parts from its end record before `zipfile` builds an object for each of them."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - 65_557))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        raise refuse(_("The file is damaged or cannot be read as a spreadsheet."))
    entries, directory_size = struct.unpack_from("<xxxxxxxxxxHI", tail, at)
    if entries == 0xFFFF or directory_size == 0xFFFFFFFF:  # zip64: the real counts are in the zip64 end record
        locator = tail.rfind(b"PK\x06\x06")
        if locator < 0 or len(tail) < locator + 56:
            raise refuse(_("The file is damaged or cannot be read as a spreadsheet."))
        entries, directory_size = struct.unpack_from("<32xQQ", tail, locator)
    if entries > limits.max_zip_members or directory_size > limits.max_zip_members * 1024:
        raise refuse(
            _("The file holds %(n)s parts; a spreadsheet holds at most %(max)s. It is not read.")
            % {"n": _n(entries), "max": _n(limits.max_zip_members)}
        )


def _check_zip(path: Path, kind: str, limits: SheetLimits) -> None:
    _zip_directory(path, limits)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise refuse(_("The file is damaged or cannot be read as a spreadsheet.")) from exc
    with archive:
        members = archive.infolist()
        names = {m.filename for m in members}
        if kind == "xlsx" and not {"[Content_Types].xml", "xl/workbook.xml"} <= names:
            raise _mismatch(kind)
        if kind == "ods" and "content.xml" not in names:
            raise _mismatch(kind)
        total = 0
        for member in members:
            total += member.file_size
            if total > limits.max_unpacked_bytes:
                raise _too_big_unpacked(total, limits)
            ratio = member.file_size // max(member.compress_size, 1)
            if member.file_size > limits.ratio_from_bytes and ratio > limits.max_ratio:
                raise refuse(
                    _(
                        "A part of the file expands %(ratio)s times when unpacked (at most %(max)s times for a "
                        "spreadsheet): it looks like a “zip bomb” and is not read."
                    )
                    % {"ratio": _n(ratio), "max": _n(limits.max_ratio)}
                )
        if kind == "xlsx":
            _check_xlsx_declarations(archive, names, limits)


def _head(archive: zipfile.ZipFile, name: str, size: int = 65_536) -> bytes:
    try:
        with archive.open(name) as handle:
            return handle.read(size)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise refuse(_("The file is damaged or cannot be read as a spreadsheet.")) from exc


def _check_xlsx_declarations(archive: zipfile.ZipFile, names: set[str], limits: SheetLimits) -> None:
    """What the first worksheet and the shared strings declare about their size, read from their first bytes."""
    part = sheet_reader._first_sheet_part(archive)
    if part in names:
        found = _DIMENSION.search(_head(archive, part))
        if found:
            first_column, first_row, last_column, last_row = found.groups()
            rows = int(last_row or first_row)
            columns = sheet_reader.column_index(last_column or first_column)
            refusal = _extent_refusal(rows, columns, limits)
            if refusal:
                raise refusal
    if "xl/sharedStrings.xml" in names:
        found = _UNIQUE_COUNT.search(_head(archive, "xl/sharedStrings.xml", 4096))
        if found and int(found.group(1)) > limits.max_cells:
            raise refuse(
                _("The file's table of texts has %(n)s entries; at most %(max)s are read. It is not read.")
                % {"n": _n(int(found.group(1))), "max": _n(limits.max_cells)}
            )


def precheck(path: Path, name: str, limits: SheetLimits) -> str:
    """The kind of spreadsheet to read ("xlsx", "xls", "ods", "csv", or "ole" for an OLE file named .xlsx),
    after the checks that need no reading of cells. Raises ApplicationError(FILE_REFUSED)."""
    suffix = Path(name).suffix.lower()
    if suffix not in KINDS:
        raise refuse(_("Only .xlsx, .xls, .ods or .csv files can be imported."))
    kind = KINDS[suffix]
    size = path.stat().st_size
    check_name_and_size(name, size, limits)
    with path.open("rb") as handle:
        head = handle.read(8)
    if kind == "csv":
        return kind
    if kind == "xlsx" and head.startswith(_OLE):
        return "ole"  # a password-protected .xlsx is an OLE file; the reader says whether it is one
    if not head.startswith(_OLE if kind == "xls" else _ZIP):
        raise _mismatch(kind)
    if kind in ("xlsx", "ods"):
        _check_zip(path, kind, limits)
    return kind


# ---- 2. the reading, in another process ------------------------------------------------------------------------------


def _decode(value: list[Any]) -> Any:
    tag, text = value[0], value[1]
    if tag == "t":
        return datetime.datetime.fromisoformat(text)
    if tag == "d":
        return datetime.date.fromisoformat(text)
    if tag == "h":
        return datetime.time.fromisoformat(text)
    if tag == "s":
        return datetime.timedelta(seconds=text)
    return str(value)


def _load_rows(path: Path) -> list[list[Any]]:
    rows: list[list[Any]] = []
    loads = json.loads
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = loads(line)
            for index, value in enumerate(row):
                if value.__class__ is list:
                    row[index] = _decode(value)
            rows.append(row)
    return rows


def _memory_refusal(limits: SheetLimits) -> ApplicationError:
    return refuse(
        _(
            "The file needs more memory than allowed (%(limit)s MB) to be read, so it was not read. Delete the rows "
            "and columns far from the table or split the file, then upload it again."
        )
        % {"limit": _n(limits.memory_mb)}
    )


def _time_refusal(limits: SheetLimits) -> ApplicationError:
    return refuse(
        _("Reading the file took longer than allowed (%(limit)s seconds), so it was stopped. Split the file.")
        % {"limit": _n(limits.seconds)}
    )


def _status_refusal(status: dict[str, Any], kind: str, limits: SheetLimits) -> ApplicationError:
    code = status.get("error")
    if code in ("too_many_rows", "too_many_columns", "too_many_cells"):
        rows = int(status.get("rows") or 0)
        columns = int(status.get("columns") or 0)
        if code == "too_many_rows":
            rows = max(rows, limits.max_rows + limits.header_rows + 1)
        refusal = _extent_refusal(rows, columns, limits)
        if refusal:
            return refusal
        return refuse(
            _(
                "The first sheet holds more than the %(max)s cells an import file may have. Delete the rows and "
                "columns far from the table, or split the file."
            )
            % {"max": _n(limits.max_cells)}
        )
    if code == "memory":
        return _memory_refusal(limits)
    if code == "encrypted":
        return refuse(_("The workbook is protected by a password. Remove the password and upload it again."))
    if code == "not_spreadsheet":
        return _mismatch(kind)
    if code == "not_text":
        return refuse(_("This file is not a CSV text file."))
    if code == "bad_encoding":
        return refuse(
            _(
                "The CSV file is not in UTF-8, UTF-16 or Windows-1258. In Excel choose “CSV UTF-8 (Comma delimited)” "
                "when saving."
            )
        )
    if code == "legacy_encoding":
        return refuse(
            _(
                "The CSV file seems to be typed in an old Vietnamese font encoding (TCVN3 or VNI). Convert it to "
                "Unicode (for example with Unikey's converter) and save it as “CSV UTF-8 (Comma delimited)”."
            )
        )
    return refuse(_("The file is damaged or cannot be read as a spreadsheet."))


def _notes(status: dict[str, Any]) -> list[str]:
    encoding = status.get("encoding")
    if encoding == "utf-16":
        return [_("The CSV file was read as UTF-16 (Excel's “Unicode text”).")]
    if encoding == "cp1258":
        return [
            _(
                "The CSV file was read as Windows-1258 (the older Vietnamese Windows encoding). Check the Vietnamese "
                "names in the report before saving."
            )
        ]
    return []


def read_table(path: Path, name: str, *, limits: SheetLimits | None = None) -> Table:
    """Every row of the file's first sheet as Python values (formulas give their computed values), read under the
    memory and time limits. Raises ApplicationError(FILE_REFUSED) with a Vietnamese message."""
    limits = limits or SheetLimits()
    kind = precheck(path, name, limits)
    reader_limits = {
        "max_rows": limits.max_rows + limits.header_rows,
        "max_columns": limits.max_columns,
        "max_cells": limits.max_cells,
    }
    with tempfile.TemporaryDirectory(prefix="kc-sheet-") as folder:
        output = Path(folder) / "rows.jsonl"
        request = {
            "path": str(path.resolve()),
            "kind": kind,
            "limits": reader_limits,
            "output": str(output),
            "memory_mb": limits.memory_mb,
            "cpu_seconds": limits.seconds,
            "output_mb": limits.max_output_bytes // _MB,
        }
        environment = {**os.environ, "RUST_BACKTRACE": "0"}
        try:
            finished = subprocess.run(  # noqa: S603 - our own reader, run by the same interpreter
                [sys.executable, "-I", str(READER)],
                input=json.dumps(request).encode(),
                capture_output=True,
                timeout=limits.seconds,
                check=False,
                env=environment,
                cwd=folder,
            )
        except subprocess.TimeoutExpired as exc:
            logger.warning("reading %s took longer than %s s; stopped", name, limits.seconds)
            raise _time_refusal(limits) from exc
        try:
            status = json.loads(finished.stdout or b"{}")
        except ValueError:
            status = {}
        if not status:
            code = finished.returncode
            logger.warning(
                "the reader of %s ended with %s: %s", name, code, finished.stderr.decode(errors="replace")[-500:]
            )
            if code == -signal.SIGXCPU:
                raise _time_refusal(limits)
            if code < 0 or b"MemoryError" in finished.stderr:
                raise _memory_refusal(limits)
            raise refuse(_("The file could not be read because of an internal error. Try again later."))
        if "error" in status:
            if status["error"] == "damaged":
                logger.info("the reader refused %s as damaged: %s", name, status.get("detail", ""))
            raise _status_refusal(status, KINDS[Path(name).suffix.lower()], limits)
        return Table(rows=_load_rows(output), notes=_notes(status))
