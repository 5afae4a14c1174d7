"""The generic spreadsheet reader (core/sheets.py): the checks before reading, the reading in a separate process
under a memory and time limit, and what comes back (the same values as python-calamine in process)."""

import datetime
import resource
import time
from pathlib import Path

import openpyxl
import pytest
from django.test import override_settings
from python_calamine import CalamineWorkbook

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.sheets import SheetLimits, read_table
from khuyencong.core.tests import hostile

HEADER = "Tên cơ sở"


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def _refused(tmp_path: Path, name: str, content: bytes, limits: SheetLimits | None = None) -> str:
    with pytest.raises(ApplicationError) as error:
        read_table(_write(tmp_path, name, content), name, limits=limits)
    assert error.value.code == ErrorCode.FILE_REFUSED and error.value.field == "file"
    return str(error.value.message)


def test_values_are_those_python_calamine_reads_in_process(tmp_path):
    """Same rows and types as `to_python(skip_empty_area=False)`: the sheet starts at row 1 and column A even when
    the first cell is C3, numbers stay numbers, dates dates, formulas their values."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"] = "Hợp tác xã Mây tre đan Phú Vinh"
    sheet["D3"] = 1920
    sheet["E3"] = 2.5
    sheet["C4"] = datetime.datetime(2024, 3, 5)
    sheet["D4"] = True
    sheet["E5"] = "=1+1"
    path = tmp_path / "a.xlsx"
    book.save(path)
    expected = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    table = read_table(path, "a.xlsx")
    assert table.rows == expected
    assert table.rows[2][2:5] == ["Hợp tác xã Mây tre đan Phú Vinh", 1920, 2.5]
    assert table.rows[3][2] == datetime.date(2024, 3, 5) and table.rows[3][3] is True
    assert table.notes == []


def test_xls_and_ods_too(tmp_path):
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Trang 1")
    sheet.write(1, 1, "Đắk Lắk")
    sheet.write(1, 2, 7)
    path = tmp_path / "a.xls"
    book.save(str(path))
    assert read_table(path, "a.xls").rows == [["", "", ""], ["", "Đắk Lắk", 7.0]]
    ods = hostile.ods(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Nguyễn Thị Hương</text:p>'
        "</table:table-cell></table:table-row>"
    )
    assert read_table(_write(tmp_path, "b.ods", ods), "b.ods").rows == [["Nguyễn Thị Hương"]]


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("chuong-trinh.xlsx", lambda: hostile.elf_program(), "không phải bảng tính .xlsx"),
        ("chuong-trinh.xls", lambda: hostile.windows_program(), "không phải bảng tính .xls"),
        ("van-ban.ods", lambda: b"%PDF-1.7\n" + b"0" * 100, "không phải bảng tính .ods"),
        (
            "so-lieu.xlsx",
            lambda: hostile.sparse_xls(HEADER),
            "không phải bảng tính .xlsx",
        ),  # an .xls with the wrong name
        ("mat-khau.xlsx", lambda: hostile.encrypted_xlsx(HEADER), "bảo vệ bằng mật khẩu"),
        ("thua.xlsx", lambda: hostile.sparse_xlsx(HEADER), "hơn 200.000 dòng"),
        ("thua-khong-khai.xlsx", lambda: hostile.sparse_xlsx(HEADER, declared=False), "hơn 200.000 dòng"),
        ("thua-rong.xlsx", lambda: hostile.sparse_xlsx(HEADER, "XFD2"), "16.384 cột"),
        ("thua-giua.xlsx", lambda: hostile.sparse_xlsx(HEADER, "GR200000"), "200.000 dòng × 200 cột"),
        ("bom.xlsx", lambda: hostile.zip_bomb(HEADER), "giới hạn là 1.024 MB"),
        ("bom-gia.xlsx", lambda: hostile.zip_bomb(HEADER, gigabytes=1, lying=True), "bị hỏng"),
        ("phinh.xlsx", lambda: hostile.expanding_part(HEADER), "bom nén"),
        ("nhieu-phan.xlsx", lambda: hostile.many_parts(HEADER), "5.009 thành phần"),
        ("khai-chuoi.xlsx", lambda: hostile.shared_strings(HEADER, count=3, declared=10**9), "1.000.000.000 mục"),
        (
            "nhan-chuoi.xlsx",
            lambda: hostile.shared_string_amplified(HEADER),
            "cần nhiều bộ nhớ hơn mức cho phép (1.024 MB)",
        ),
        ("cuoi.xlsx", lambda: hostile.billion_laughs(HEADER), "bị hỏng"),
        ("thua.xls", lambda: hostile.sparse_xls(HEADER), "256 cột"),
        ("lap.ods", lambda: hostile.ods_repeated(HEADER), "8.800.000 ô"),
        ("nhi-phan.csv", lambda: bytes(range(256)) * 8, "không phải tệp văn bản CSV"),
        ("tcvn3.csv", lambda: hostile.tcvn3_like([[HEADER], ["Đông Hưng", "Đông Hưng"]]), "TCVN3"),
    ],
)
def test_hostile_files_are_refused_with_a_message_and_this_process_does_not_grow(tmp_path, name, build, message):
    content = build()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    assert message in _refused(tmp_path, name, content)
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 64, f"the test process grew by {grown_mb:.0f} MB: the file was read in process"


def test_crafted_text_does_not_make_the_checks_backtrack(tmp_path):
    """Unclosed tags repeated in the workbook and the sheet: the checks before reading (in this process) and the
    reader's extent scan stay linear; the file ends in a message within seconds, not the time limit."""
    content = hostile.backtracking(HEADER)
    start = time.monotonic()
    _refused(tmp_path, "treo.xlsx", content)
    assert time.monotonic() - start < 10


def test_deep_nesting_and_huge_shared_string_tables_are_read_safely(tmp_path):
    nested = read_table(_write(tmp_path, "long.xlsx", hostile.nested_xml(HEADER)), "long.xlsx")
    assert nested.rows == [[HEADER]]
    strings = read_table(_write(tmp_path, "chuoi.xlsx", hostile.shared_strings(HEADER)), "chuoi.xlsx")
    assert strings.rows == [[HEADER]]


@override_settings(KC_IMPORT_MEMORY_MB=64)
def test_a_reader_that_needs_more_memory_than_allowed_dies_alone(tmp_path):
    """The limit is real: with 64 MB, a sheet spanning A1:T200000 (4 million cells for python-calamine, 128 MB)
    cannot be read; the caller gets the message naming the limit."""
    message = _refused(tmp_path, "lon.xlsx", hostile.sparse_xlsx(HEADER, "T200000"))
    assert "cần nhiều bộ nhớ hơn mức cho phép (64 MB)" in message


@override_settings(KC_IMPORT_SECONDS=1)
def test_a_reader_that_takes_too_long_is_stopped(tmp_path):
    content = ("a;" * 99 + "a\n").encode() * 120_000  # 24 MB, 12 million cells: more than a second of work
    limits = SheetLimits(max_rows=10**7, max_cells=10**9)
    start = time.monotonic()
    message = _refused(tmp_path, "cham.csv", content, limits)
    assert "lâu hơn mức cho phép (1 giây)" in message
    assert time.monotonic() - start < 10


NAMES = ["Nguyễn Thị Hương", "Đắk Lắk", "Hợp tác xã Mây tre đan Phú Vinh"]


@pytest.mark.parametrize(
    ("encoding", "content", "note"),
    [
        ("utf-8", hostile.csv_text([[HEADER], NAMES]).encode(), None),
        ("utf-8 with a BOM", hostile.csv_text([[HEADER], NAMES]).encode("utf-8-sig"), None),
        ("Excel's Unicode text", hostile.unicode_text([[HEADER], NAMES]), "UTF-16"),
        ("Windows-1258", hostile.windows_1258([[HEADER], NAMES]), "Windows-1258"),
    ],
)
def test_vietnamese_names_come_out_right_in_every_encoding_read(tmp_path, encoding, content, note):
    table = read_table(_write(tmp_path, "co-so.csv", content), "co-so.csv")
    assert table.rows == [[HEADER], NAMES], encoding
    if note:
        assert len(table.notes) == 1 and note in table.notes[0]
    else:
        assert table.notes == []


def test_windows_1258_really_writes_tone_marks_apart():
    """The test files are what Windows writes: "ễ" is "ê" followed by a combining tilde, which the reader joins."""
    assert hostile.to_cp1258("ễ") == "ê".encode("cp1258") + b"\xde"
    assert hostile.to_cp1258("Đắk") == b"\xd0\xe3\xeck"


def test_formula_like_cells_stay_text(tmp_path):
    cells = ['=HYPERLINK("http://x","y")', "+84912000111", "-", "@SUM(1)", "=1+1"]
    table = read_table(_write(tmp_path, "cong-thuc.csv", hostile.csv_text([cells]).encode()), "cong-thuc.csv")
    assert table.rows == [cells]


def test_limits_are_the_callers(tmp_path):
    rows = [[HEADER]] + [[f"Cơ sở {n}"] for n in range(30)]
    content = hostile.workbook(rows)
    assert "hơn 5 dòng" in _refused(tmp_path, "a.xlsx", content, SheetLimits(max_rows=5, header_rows=0))
    assert len(read_table(_write(tmp_path, "b.xlsx", content), "b.xlsx", limits=SheetLimits(max_rows=31)).rows) == 31
