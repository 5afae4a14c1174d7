"""Hostile files through the establishments import, on the web path (checked in the request) and the task path
(checked by the background worker): each is refused with a Vietnamese message or read safely, it is read out of
this process (whose peak memory does not jump), and a normal import in the same process and path works afterwards.

The files are made in the test (`core/tests/hostile.py`); the generic reader's own tests are in
`core/tests/test_sheets.py`.
"""

import resource
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from khuyencong.core.tests import hostile
from khuyencong.establishments import imports
from khuyencong.establishments.models import Establishment, ImportBatch
from khuyencong.establishments.tests import files
from khuyencong.establishments.tests.factories import commune

pytestmark = pytest.mark.django_db

HEADER = "Tên cơ sở"
NAMES = ("Hợp tác xã Mây tre đan Phú Vinh", "Nguyễn Thị Hương", "Đắk Lắk")

# (file name, builder, message in the failed batch); `True` in the last place: also through the background task,
# for the files that would take a reader's memory.
REFUSED: list[tuple[str, Callable[[], bytes], str, bool]] = [
    ("thua-khai-bao.xlsx", lambda: hostile.sparse_xlsx(HEADER), "hơn 200.000 dòng", True),
    ("thua-khong-khai.xlsx", lambda: hostile.sparse_xlsx(HEADER, declared=False), "hơn 200.000 dòng", True),
    ("thua-giua.xlsx", lambda: hostile.sparse_xlsx(HEADER, "GR200000"), "200.000 dòng × 200 cột", True),
    ("bom-nen.xlsx", lambda: hostile.zip_bomb(HEADER), "giới hạn là 1.024 MB", True),
    ("bom-nen-gia.xlsx", lambda: hostile.zip_bomb(HEADER, gigabytes=1, lying=True), "bị hỏng", True),
    ("phinh-to.xlsx", lambda: hostile.expanding_part(HEADER), "bom nén", False),
    ("nhieu-phan.xlsx", lambda: hostile.many_parts(HEADER), "5.009 thành phần", False),
    ("thuc-the.xlsx", lambda: hostile.billion_laughs(HEADER), "bị hỏng", False),
    ("khai-chuoi.xlsx", lambda: hostile.shared_strings(HEADER, count=3, declared=10**9), "1.000.000.000 mục", False),
    ("nhan-chuoi.xlsx", lambda: hostile.shared_string_amplified(HEADER), "cần nhiều bộ nhớ hơn mức cho phép", True),
    ("mat-khau.xlsx", lambda: hostile.encrypted_xlsx(HEADER), "bảo vệ bằng mật khẩu", False),
    ("chuong-trinh.xlsx", hostile.elf_program, "không phải bảng tính .xlsx", False),
    ("setup.xlsx", hostile.windows_program, "không phải bảng tính .xlsx", False),
    ("thua.xls", lambda: hostile.sparse_xls(HEADER), "256 cột", True),
    ("lap-lai.ods", lambda: hostile.ods_repeated(HEADER), "8.800.000 ô", True),
    ("tcvn3.csv", lambda: hostile.tcvn3_like([[HEADER], ["Đông Hưng"]]), "TCVN3", False),
    ("nhi-phan.csv", lambda: bytes(range(256)) * 8, "không phải tệp văn bản CSV", False),
]
# Read safely: the header is found and there are no data rows.
READ_SAFELY: list[tuple[str, Callable[[], bytes]]] = [
    ("long-sau.xlsx", lambda: hostile.nested_xml(HEADER)),
    ("bang-chuoi-lon.xlsx", lambda: hostile.shared_strings(HEADER)),
]
# With the UTF-16, Windows-1258 and formula-injection CSV files below: 22 hostile files.


def _on_path(monkeypatch, path: str) -> None:
    """ "web": every file checked in the request; "task": every file checked by the (immediate) task backend."""
    monkeypatch.setattr(imports, "SYNC_CHECK_BYTES", 10**9 if path == "web" else 0)


def _upload(client, name: str, content: bytes) -> ImportBatch:
    response = client.post(reverse("establishments:import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.content[:500]
    return ImportBatch.objects.get(file_name=name)


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _normal_import_works(client, name: str) -> None:
    """The worker is alive: a small import checks and saves in the same process and path."""
    row = files.row(name=f"Cơ sở sau {name}", legal_form="Hộ kinh doanh", commune_code=commune("Xã Đức Trọng").code)
    batch = _upload(client, f"binh-thuong-{name}.xlsx", files.xlsx([row]))
    assert batch.status == "checked" and batch.counts["new"] == 1, batch.error
    client.post(reverse("establishments:import_commit", args=[batch.pk]))
    assert Establishment.objects.filter(name=f"Cơ sở sau {name}").exists()


def _cases(path: str) -> list:
    return [
        pytest.param(name, build, message, id=f"{path}-{name}")
        for name, build, message, also_task in REFUSED
        if path == "web" or also_task
    ]


@pytest.mark.parametrize(
    ("path", "name", "build", "message"),
    [pytest.param("web", *case.values, id=case.id) for case in _cases("web")]
    + [pytest.param("task", *case.values, id=case.id) for case in _cases("task")],
)
def test_a_hostile_file_fails_with_a_message_and_the_next_import_works(
    client, officer, monkeypatch, path, name, build, message
):
    _on_path(monkeypatch, path)
    client.force_login(officer)
    content = build()
    before = _maxrss_mb()
    batch = _upload(client, name, content)
    assert batch.status == "failed" and message in batch.error, batch.error
    grown = _maxrss_mb() - before
    assert grown < 64, f"the process grew by {grown:.0f} MB: the file was read in process"
    page = client.get(reverse("establishments:import_batch", args=[batch.pk]))
    assert page.status_code == 200 and message in page.text
    assert not Establishment.objects.exists()
    _normal_import_works(client, name)


@pytest.mark.parametrize(("name", "build"), READ_SAFELY)
def test_deep_nesting_and_a_huge_shared_string_table_are_read_safely(client, officer, monkeypatch, name, build):
    _on_path(monkeypatch, "web")
    client.force_login(officer)
    content = build()
    before = _maxrss_mb()
    batch = _upload(client, name, content)
    assert batch.status == "checked" and batch.total_rows == 0, batch.error
    assert _maxrss_mb() - before < 64
    _normal_import_works(client, name)


def _vietnamese_rows() -> list[list[str | None]]:
    name, owner, address = NAMES
    return [
        files.HEADERS,
        files.row(
            name=name,
            legal_form="Hợp tác xã",
            owner_name=owner,
            address=address,
            commune_code=commune("Xã Đức Trọng").code,
        ),
    ]


@pytest.mark.parametrize(
    ("path", "name", "build", "notice"),
    [
        ("web", "unicode-text.csv", lambda: hostile.unicode_text(_vietnamese_rows()), "UTF-16"),
        ("task", "unicode-text.csv", lambda: hostile.unicode_text(_vietnamese_rows()), "UTF-16"),
        ("web", "windows-1258.csv", lambda: hostile.windows_1258(_vietnamese_rows()), "Windows-1258"),
        ("task", "windows-1258.csv", lambda: hostile.windows_1258(_vietnamese_rows()), "Windows-1258"),
    ],
)
def test_csv_in_utf16_and_windows_1258_is_imported_with_a_notice_and_the_names_right(
    client, officer, monkeypatch, path, name, build, notice
):
    """Excel's "Unicode text" is UTF-16 with a BOM, tab-separated; older Vietnamese Windows writes Windows-1258
    with separate tone marks. Both are read (NFC), and the page says how."""
    _on_path(monkeypatch, path)
    client.force_login(officer)
    batch = _upload(client, name, build())
    assert batch.status == "checked" and batch.counts["new"] == 1, batch.error or batch.report
    assert notice in batch.notice
    page = client.get(reverse("establishments:import_batch", args=[batch.pk]))
    assert notice in page.text and 'data-testid="import-notice"' in page.text
    client.post(reverse("establishments:import_commit", args=[batch.pk]))
    saved = Establishment.objects.get()
    assert (saved.name, saved.owner_name, saved.address) == NAMES
    assert saved.legal_form == "htx"


def test_formula_injection_in_a_csv_is_stored_as_text(client, officer):
    """Nothing is evaluated: cells that a spreadsheet would run as formulas are stored as the text they are."""
    client.force_login(officer)
    cells = {
        "name": '=HYPERLINK("http://x","y")',
        "phone": "+84 912 000 111",
        "owner_name": "-",
        "address": "@SUM(1)",
        "main_products": "=1+1",
    }
    rows = [files.row(legal_form="Hộ kinh doanh", commune_code=commune("Xã Đức Trọng").code, **cells)]
    batch = _upload(client, "cong-thuc.csv", files.csv_bytes(rows))
    assert batch.status == "checked" and batch.counts["new"] == 1, batch.report
    client.post(reverse("establishments:import_commit", args=[batch.pk]))
    saved = Establishment.objects.values(*cells).get()
    assert saved == cells
