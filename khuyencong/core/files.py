"""Uploaded files are judged by their content, not their name: the first bytes (and, for Office files, the parts
inside the zip) must be those of the kind the name claims, and the size must stay under the limit."""

import hashlib
import zipfile
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.utils.translation import gettext as _

from .exceptions import ApplicationError, ErrorCode

__all__ = ["ACCEPTED_KINDS", "CheckedFile", "check_upload", "safe_file_name", "sniff"]

#: The longest name kept for an uploaded file, in UTF-8 bytes (file systems allow 255 bytes per name, and the
#: storage path adds a folder and a hash prefix; a Vietnamese letter takes two or three bytes).
MAX_NAME_BYTES = 150

#: extension → (kind, content type)
ACCEPTED_KINDS: dict[str, tuple[str, str]] = {
    ".pdf": ("pdf", "application/pdf"),
    ".docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ".xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ".jpg": ("jpeg", "image/jpeg"),
    ".jpeg": ("jpeg", "image/jpeg"),
    ".png": ("png", "image/png"),
}
KIND_LABELS = {"pdf": "PDF", "docx": "Word (.docx)", "xlsx": "Excel (.xlsx)", "jpeg": "JPEG", "png": "PNG"}


def sniff(stream: IO[bytes]) -> str | None:
    """The kind of file `stream` holds (pdf, docx, xlsx, jpeg, png) by its content, or None."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(stream) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            stream.seek(0)
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    return None


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    content_type: str
    size: int
    sha256: str


def safe_file_name(name: str, *, default: str = "tep") -> str:
    """The name a file is kept under: its last path part (whether "/" or "\\" separated), NFC, without control
    characters, spaces collapsed, and cut to `MAX_NAME_BYTES` keeping the extension (a 300-character name from a
    phone is shortened, not refused and not a 500)."""
    import unicodedata

    text = unicodedata.normalize("NFC", str(name or "")).replace("\\", "/").rsplit("/", 1)[-1]
    text = " ".join("".join(c for c in text if c.isprintable()).split()).strip(" .")
    if not text:
        return default
    path = PurePath(text)
    suffix = path.suffix if len(path.suffix.encode()) <= 10 else ""
    stem = text[: len(text) - len(suffix)] if suffix else text
    while len((stem + suffix).encode()) > MAX_NAME_BYTES:
        stem = stem[:-1]
    return (stem.rstrip(" .") or default) + suffix


def check_upload(stream: IO[bytes], name: str, size: int, *, max_bytes: int) -> CheckedFile:
    """Refuse (ApplicationError FILE_REFUSED, field "file") an empty or oversized file, an extension we do not
    take, or content that does not match the name."""
    clean_name = safe_file_name(name)
    extension = PurePath(clean_name).suffix.lower()
    if size <= 0:
        raise ApplicationError(ErrorCode.FILE_REFUSED, _("The file is empty."), field="file")
    if size > max_bytes:
        raise ApplicationError(
            ErrorCode.FILE_REFUSED,
            _("The file is larger than %(limit)s MB.") % {"limit": max_bytes // (1024 * 1024)},
            field="file",
        )
    if extension not in ACCEPTED_KINDS:
        raise ApplicationError(
            ErrorCode.FILE_REFUSED,
            _("Only PDF, Word (.docx), Excel (.xlsx), JPEG and PNG files are accepted."),
            field="file",
        )
    expected, content_type = ACCEPTED_KINDS[extension]
    found = sniff(stream)
    if found != expected:
        raise ApplicationError(
            ErrorCode.FILE_REFUSED,
            _("The content of “%(name)s” is not a %(kind)s file as its name says.")
            % {"name": clean_name, "kind": KIND_LABELS[expected]},
            field="file",
        )
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return CheckedFile(clean_name, found, content_type, size, digest.hexdigest())
