"""Exports of exactly the filtered rows, to .csv (streamed) and .xlsx; large ones run as a background task."""

import io
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from khuyencong.core import csvsafe
from khuyencong.core.xlsx import write_xlsx

from .choices import LegalForm, Status

BACKGROUND_THRESHOLD = 50_000

# (header, value path, column width)
COLUMNS: list[tuple[str, str, int]] = [
    ("ID", "id", 9),
    ("Tên cơ sở", "name", 40),
    ("Loại hình", "legal_form", 20),
    ("Mã số thuế / số ĐKKD", "tax_code", 18),
    ("Chủ cơ sở / người đại diện", "owner_name", 24),
    ("Điện thoại", "phone", 14),
    ("Thư điện tử", "email", 22),
    ("Địa chỉ", "address", 36),
    ("Mã xã (hiện nay)", "commune__code", 10),
    ("Xã, phường (hiện nay)", "commune__full_name", 24),
    ("Tỉnh, thành phố", "province__full_name", 22),
    ("Xã, phường (khi ghi nhận)", "commune_recorded__full_name", 24),
    ("Mã ngành VSIC", "main_industry__code", 10),
    ("Sản phẩm chính", "main_products", 30),
    ("Tổng số lao động", "employees_total", 10),
    ("Lao động nữ", "employees_female", 10),
    ("Lao động dân tộc thiểu số", "employees_ethnic_minority", 10),
    ("Trạng thái", "status", 14),
    ("Mã nhập", "import_key", 14),
]
_LABELS = {"legal_form": dict(LegalForm.choices), "status": dict(Status.choices)}


def export_rows(queryset: QuerySet, *, chunk_size: int = 5000) -> Iterator[list[Any]]:
    """The export columns of every row of `queryset`, read in chunks (constant memory)."""
    paths = [path for _header, path, _width in COLUMNS]
    label_index = {paths.index(name): {k: str(v) for k, v in labels.items()} for name, labels in _LABELS.items()}
    for values in queryset.values_list(*paths).iterator(chunk_size=chunk_size):
        row = list(values)
        for index, labels in label_index.items():
            row[index] = labels.get(row[index], row[index])
        yield row


class _Echo:
    def write(self, value: str) -> str:
        return value


def stream_csv(queryset: QuerySet) -> Iterator[bytes]:
    """UTF-8 with a BOM (Excel opens it with the right accents), one chunk of rows at a time."""
    writer = csvsafe.writer(_Echo())
    yield "\ufeff".encode()
    yield writer.writerow([header for header, _path, _width in COLUMNS]).encode()
    batch: list[str] = []
    for row in export_rows(queryset):
        batch.append(writer.writerow(["" if v is None else v for v in row]))
        if len(batch) >= 2000:
            yield "".join(batch).encode()
            batch.clear()
    if batch:
        yield "".join(batch).encode()


def write_xlsx_export(target: Any, queryset: QuerySet, *, progress: Callable[[int], None] | None = None) -> int:
    return write_xlsx(
        target,
        [header for header, _path, _width in COLUMNS],
        export_rows(queryset),
        sheet_name=_("Establishments"),
        widths=[width for _header, _path, width in COLUMNS],
        progress=progress,
    )


def write_csv_export(target: Any, queryset: QuerySet, *, progress: Callable[[int], None] | None = None) -> int:
    count = 0
    text = io.TextIOWrapper(target, encoding="utf-8-sig", newline="")
    writer = csvsafe.writer(text)
    writer.writerow([header for header, _path, _width in COLUMNS])
    for row in export_rows(queryset):
        writer.writerow(["" if v is None else v for v in row])
        count += 1
        if progress and count % 5000 == 0:
            progress(count)
    text.flush()
    text.detach()
    if progress:
        progress(count)
    return count


def export_start(*, user: Any, query: str, file_format: str, total: int) -> Any:
    """Record a background export of the rows `query` selects for `user`, and queue it."""
    from .models import ExportJob
    from .tasks import export_establishments

    job = ExportJob.objects.create(user=user, query=query, file_format=file_format, total=total)
    export_establishments.enqueue(str(job.pk))
    return job
