"""Import from real .xlsx, .xls, .ods and .csv files: dry run, atomic commit, Vietnamese messages, bad files."""

import datetime
import io
import unicodedata
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from khuyencong.core.exceptions import ApplicationError
from khuyencong.establishments import imports
from khuyencong.establishments.models import DuplicateFlag, Establishment, ImportBatch
from khuyencong.establishments.search import apply_search
from khuyencong.establishments.tests import files
from khuyencong.establishments.tests.factories import commune, make_establishment
from khuyencong.geography.models import AdminUnit

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _upload(user, name: str, content: bytes) -> ImportBatch:
    batch = imports.import_start(user=user, uploaded=SimpleUploadedFile(name, content))
    return imports.import_check(batch_id=batch.pk)


def _by_row(batch: ImportBatch) -> dict[int, dict]:
    return {r["row"]: r for r in batch.report}


def test_the_template_reopens_with_drop_downs_and_a_guide(client, officer):
    client.force_login(officer)
    response = client.get(reverse("establishments:import_template"))
    assert response["Content-Type"] == XLSX
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Cơ sở", "Danh mục", "Hướng dẫn"]
    sheet = workbook["Cơ sở"]
    assert [c.value for c in sheet[1]][:3] == ["Mã nhập", "Tên cơ sở *", "Loại hình *"]
    lists = {v.formula1 for v in sheet.data_validations.dataValidation}
    assert "'Danh mục'!$A$1:$A$7" in lists and "'Danh mục'!$B$1:$B$34" in lists
    assert workbook["Danh mục"].sheet_state == "hidden"
    guide = [r[0] for r in workbook["Hướng dẫn"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert "Tên cơ sở" in guide and "Mã xã" in guide


def test_dry_run_classifies_every_row_then_the_commit_saves_them_all(officer):
    existing = make_establishment(officer, name="Hợp tác xã chè Cầu Đất", legal_form="htx", tax_code="5800111111")
    twin = make_establishment(officer, name="Cơ sở bánh tráng Út Hoa")
    duc_trong = commune("Xã Đức Trọng")
    old = (
        AdminUnit.objects.filter(level="commune", valid_to__isnull=False, province__code="68").order_by("code").first()
    )
    nfd_name = unicodedata.normalize("NFD", "  xã   Đức Trọng ")
    rows = [
        files.row(
            name="Cơ sở mây tre đan Phú Sơn",
            legal_form="Hộ kinh doanh",
            commune_code=duc_trong.code,
            employees_total="1.920",
            employees_female=12,
            import_key="A-1",
        ),
        files.row(
            name=unicodedata.normalize("NFD", "Cơ sở rèn Đa Lộc"),
            legal_form="hkd",
            commune_name=nfd_name,
            province_name="lam dong",
            phone="0912 000 111",
            owner_gender="Nữ",
        ),
        files.row(
            name="Hợp tác xã chè Cầu Đất (đổi tên)",
            legal_form="HTX",
            tax_code="5800111111",
            commune_code=duc_trong.code,
            employees_total=40,
        ),
        files.row(name="Cơ sở bánh tráng Út Hoa", legal_form="Hộ kinh doanh", commune_code=duc_trong.code),
        files.row(name="Cơ sở gốm cũ", legal_form="Hộ kinh doanh", commune_code=old.code, recorded_on="05/03/2024"),
        [None] * len(files.HEADERS),  # a blank row is skipped
        files.row(name="", legal_form="Hộ kinh doanh", commune_code=duc_trong.code),
        files.row(
            name="Công ty sai mã thuế", legal_form="Doanh nghiệp nhỏ", tax_code="12345", commune_code=duc_trong.code
        ),
        files.row(name="Cơ sở loại lạ", legal_form="Công ty ma", commune_code=duc_trong.code),
        files.row(name="Cơ sở xã lạ", legal_form="Hộ kinh doanh", commune_name="Xã Không Có", province_name="Lâm Đồng"),
        files.row(
            name="Cơ sở nửa người", legal_form="Hộ kinh doanh", commune_code=duc_trong.code, employees_total="1,5"
        ),
        files.row(
            name="Cơ sở nhiều nữ",
            legal_form="Hộ kinh doanh",
            commune_code=duc_trong.code,
            employees_total=3,
            employees_female=5,
        ),
        files.row(name="Cơ sở Hà Nội", legal_form="Hộ kinh doanh", commune_code=commune("Phường Ba Đình", "01").code),
        files.row(name="Công ty trùng dòng", legal_form="DN nhỏ", tax_code="5800222222", commune_code=duc_trong.code),
        files.row(name="Công ty trùng dòng 2", legal_form="DN nhỏ", tax_code="5800222222", commune_code=duc_trong.code),
    ]
    content = files.xlsx(rows, title="DANH SÁCH CƠ SỞ CÔNG NGHIỆP NÔNG THÔN NĂM 2026")
    batch = _upload(officer, "danh-sach-co-so.xlsx", content)
    assert batch.status == "checked", batch.error
    assert batch.counts == {"new": 4, "update": 1, "duplicate": 1, "conflict": 0, "error": 8}, batch.report
    report = _by_row(batch)  # row 1 is the title, row 2 the header
    assert report[3]["status"] == "new" and report[4]["status"] == "new"
    assert report[5]["status"] == "update" and report[5]["match_id"] == existing.pk
    assert report[6]["status"] == "duplicate" and report[6]["duplicate_of"] == twin.pk
    assert report[7]["status"] == "new"
    assert 8 not in report
    errors = {n: [(e["column"], e["message"]) for e in report[n]["errors"]] for n in report if report[n]["errors"]}
    assert errors[9] == [("Tên cơ sở", "thiếu tên cơ sở")]
    assert errors[10][0][0] == "Mã số thuế / số ĐKKD" and "không phải mã số thuế" in errors[10][0][1]
    assert errors[11] == [("Loại hình", "“Công ty ma” không phải là loại hình hợp lệ")]
    assert errors[12] == [("Xã, phường", "không có xã “Xã Không Có” thuộc Tỉnh Lâm Đồng")]
    assert errors[13] == [("Tổng số lao động", "phải là số nguyên, không phải 1,5")]
    assert errors[14] == [("Lao động nữ", "lớn hơn tổng số lao động (3)")]
    assert errors[15] == [("Xã, phường", "ngoài địa bàn của bạn")]
    assert errors[17] == [("Mã số thuế / số ĐKKD", "trùng mã số thuế với dòng 16")]
    assert Establishment.objects.count() == 2  # the dry run wrote nothing

    imports.import_commit(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.counts["created"] == 4 and batch.counts["updated"] == 1
    assert Establishment.objects.count() == 6
    new = Establishment.objects.get(import_key="A-1")
    assert (new.employees_total, new.employees_female, new.source) == (1920, 12, "import")
    assert new.history.get().history_change_reason == "Nhập từ tệp “danh-sach-co-so.xlsx”"
    assert new.history.get().history_user == officer
    nfc = Establishment.objects.get(name="Cơ sở rèn Đa Lộc")
    assert nfc.commune == duc_trong and nfc.owner_gender == "female"
    existing.refresh_from_db()
    assert existing.name == "Hợp tác xã chè Cầu Đất (đổi tên)" and existing.version == 2
    old_record = Establishment.objects.get(name="Cơ sở gốm cũ")
    assert old_record.commune_recorded == old and old_record.commune.valid_to is None
    assert list(apply_search(Establishment.objects.all(), "may tre phu son")) == [new]
    with pytest.raises(ApplicationError):
        imports.import_commit(batch_id=batch.pk)  # a file is saved once


def test_possible_duplicates_are_saved_only_when_asked_and_then_flagged(officer):
    twin = make_establishment(officer, name="Cơ sở bánh tráng Út Hoa")
    content = files.xlsx(
        [
            files.row(
                name="Cơ sở bánh tráng Út Hoa", legal_form="Hộ kinh doanh", commune_code=commune("Xã Đức Trọng").code
            )
        ]
    )
    batch = _upload(officer, "a.xlsx", content)
    imports.import_commit(batch_id=batch.pk, include_duplicates=True)
    copy = Establishment.objects.exclude(pk=twin.pk).get()
    assert DuplicateFlag.objects.filter(establishment=twin, other=copy).exists()


def test_the_commit_is_all_or_nothing(officer, monkeypatch):
    content = files.xlsx(
        [
            files.row(name=f"Cơ sở {n}", legal_form="Hộ kinh doanh", commune_code=commune("Xã Đức Trọng").code)
            for n in range(5)
        ]
    )
    batch = _upload(officer, "a.xlsx", content)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DuplicateFlag.objects, "bulk_create", explode)
    make_establishment(officer, name="Cơ sở 0")  # makes row 2 a possible duplicate, so flags are written last
    batch = _upload(officer, "a.xlsx", content)
    with pytest.raises(RuntimeError):
        imports.import_commit(batch_id=batch.pk, include_duplicates=True)
    assert Establishment.objects.count() == 1
    batch.refresh_from_db()
    assert batch.status == "checked"


@pytest.mark.parametrize(
    ("name", "builder"),
    [
        ("co-so.csv", lambda rows: files.csv_bytes(rows)),
        ("co-so-khong-bom.csv", lambda rows: files.csv_bytes(rows, encoding="utf-8", delimiter=";")),
        ("co-so.xls", files.xls),
        ("co-so.ods", files.ods),
    ],
)
def test_other_formats(officer, name, builder):
    rows = [
        files.row(
            name="Cơ sở dệt Thổ Cẩm",
            legal_form="Hộ kinh doanh",
            commune_code=commune("Xã Đức Trọng").code,
            employees_total=7,
        )
    ]
    batch = _upload(officer, name, builder(rows))
    assert batch.status == "checked", batch.error
    assert batch.counts["new"] == 1, batch.report
    imports.import_commit(batch_id=batch.pk)
    assert Establishment.objects.get().employees_total == 7


def test_formula_cells_give_their_values(officer):
    duc_trong = commune("Xã Đức Trọng")
    headers = files.HEADERS
    column = chr(ord("A") + headers.index("Tổng số lao động"))
    content = files.xlsx(
        [files.row(name="Cơ sở công thức", legal_form="Hộ kinh doanh", commune_code=duc_trong.code)],
        formulas={f"{column}2": ("5*2", 10)},
    )
    batch = _upload(officer, "f.xlsx", content)
    imports.import_commit(batch_id=batch.pk)
    assert Establishment.objects.get().employees_total == 10


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.xlsx", b"", "Tệp rỗng."),
        ("a.pdf", b"%PDF-1.4", "Chỉ nhập được tệp .xlsx, .xls, .ods hoặc .csv."),
    ],
)
def test_refused_at_upload(officer, name, content, message):
    with pytest.raises(ApplicationError) as error:
        imports.import_start(user=officer, uploaded=SimpleUploadedFile(name, content))
    assert str(error.value.message) == message


def test_a_100_mb_upload_is_refused_by_size(client, officer):
    client.force_login(officer)
    big = SimpleUploadedFile("lon.xlsx", b"0" * (100 * 1024 * 1024))
    response = client.post(reverse("establishments:import"), {"file": big})
    assert response.status_code == 400
    assert "giới hạn là 25 MB" in response.text
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(
    ("name", "builder", "message"),
    [
        ("hong.xlsx", lambda: b"PK\x03\x04" + b"\x00" * 200, "Tệp bị hỏng hoặc không đọc được"),
        ("van-ban.xlsx", lambda: "Đây là văn bản, không phải bảng tính".encode(), "không phải bảng tính .xlsx"),
        ("mat-khau.xlsx", lambda: files.encrypted_xlsx([]), "bảo vệ bằng mật khẩu"),
        ("rong.csv", lambda: "\ufeff".encode(), "Không tìm thấy dòng tiêu đề"),
        ("nhi-phan.csv", lambda: bytes(range(256)) * 64, "không phải tệp văn bản CSV"),
        ("rong-cot.xlsx", lambda: files.wide_xlsx(3000), "3.000 cột"),
        ("khong-tieu-de.xlsx", lambda: files.xlsx([["a", "b"]], headers=["Cột 1", "Cột 2"]), "Tên cơ sở"),
    ],
)
def test_bad_files_end_in_a_vietnamese_message(client, officer, name, builder, message):
    client.force_login(officer)
    response = client.post(reverse("establishments:import"), {"file": SimpleUploadedFile(name, builder())})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302
    assert batch.status == "failed" and message in batch.error, batch.error
    page = client.get(response["Location"])
    assert page.status_code == 200 and message in page.text
    assert not Establishment.objects.exists()


def test_too_many_rows(officer, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 3)
    rows = [files.row(name=f"Cơ sở {n}", legal_form="Hộ kinh doanh") for n in range(30)]
    batch = _upload(officer, "nhieu.xlsx", files.xlsx(rows))
    assert batch.status == "failed" and "hơn 3 dòng" in batch.error


def test_only_the_uploader_sees_the_batch_and_auditors_cannot_import(client, officer, make_user):
    batch = _upload(officer, "a.csv", files.csv_bytes([]))
    other = make_user("provincial_officer", province="68", username="khac")
    client.force_login(other)
    assert client.get(reverse("establishments:import_batch", args=[batch.pk])).status_code == 404
    assert client.post(reverse("establishments:import_commit", args=[batch.pk])).status_code == 404
    client.force_login(make_user("auditor", province=None))
    assert client.get(reverse("establishments:import")).status_code == 403


def test_read_table_keeps_cell_types(tmp_path):
    path = Path(tmp_path) / "t.xlsx"
    path.write_bytes(files.xlsx([["x", 1920, datetime.datetime(2024, 3, 5)]], headers=["Tên cơ sở", "A", "B"]))
    table = imports.read_table(path, "t.xlsx").rows
    assert table[1][1] == 1920
    assert table[1][2] in (datetime.date(2024, 3, 5), datetime.datetime(2024, 3, 5))


def test_the_commit_sees_records_created_after_the_dry_run(officer):
    content = files.xlsx(
        [
            files.row(
                name="Công ty mới",
                legal_form="DN nhỏ",
                tax_code="5800999999",
                commune_code=commune("Xã Đức Trọng").code,
            )
        ]
    )
    batch = _upload(officer, "a.xlsx", content)
    assert batch.counts["new"] == 1
    meanwhile = make_establishment(
        officer, name="Công ty mới (đăng ký tay)", legal_form="dn_nho", tax_code="5800999999"
    )
    imports.import_commit(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.counts["created"] == 0 and batch.counts["updated"] == 1
    meanwhile.refresh_from_db()
    assert meanwhile.name == "Công ty mới" and Establishment.objects.count() == 1


# ---- checks and saves that stop half way ----------------------------------------------------------------------------


def _stale(batch: ImportBatch, minutes: int = 20) -> None:
    """What a worker killed half way leaves: no sign of life for `minutes`."""
    ImportBatch.objects.filter(pk=batch.pk).update(progress_at=timezone.now() - datetime.timedelta(minutes=minutes))


def test_a_check_whose_worker_died_is_given_up_when_its_page_is_read(client, officer):
    batch = imports.import_start(user=officer, uploaded=SimpleUploadedFile("a.xlsx", files.xlsx([])))
    recent = imports.import_start(user=officer, uploaded=SimpleUploadedFile("b.xlsx", files.xlsx([])))
    assert batch.status == recent.status == "checking"  # nobody checks them: their worker "died"
    _stale(batch)
    client.force_login(officer)
    page = client.get(reverse("establishments:import_batch", args=[batch.pk]), headers={"HX-Request": "true"})
    batch.refresh_from_db()
    assert batch.status == "failed" and "Việc kiểm tra đã dừng khi chưa xong" in batch.error
    assert "hx-trigger" not in page.text and batch.error in page.text  # the page stops polling
    page = client.get(reverse("establishments:import_batch", args=[recent.pk]), headers={"HX-Request": "true"})
    recent.refresh_from_db()
    assert recent.status == "checking" and "hx-trigger" in page.text  # still within its time


def test_a_save_whose_worker_died_goes_back_to_checked_and_can_be_saved(client, officer):
    row = files.row(name="Cơ sở lưu dở", legal_form="Hộ kinh doanh", commune_code=commune("Xã Đức Trọng").code)
    batch = _upload(officer, "a.xlsx", files.xlsx([row]))
    imports.import_commit_claim(batch_id=batch.pk)  # claimed, then the worker was killed before writing
    _stale(batch)
    client.force_login(officer)
    page = client.get(reverse("establishments:import_batch", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "checked" and "chưa có dữ liệu nào được lưu" in batch.error
    assert 'data-testid="import-error"' in page.text and 'data-testid="commit"' in page.text
    client.post(reverse("establishments:import_commit", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.status == "committed" and batch.error == ""
    assert Establishment.objects.get().name == "Cơ sở lưu dở"


def test_a_queued_check_is_not_given_up_while_it_waits(officer, settings, monkeypatch):
    """With the database task backend, a check still in the queue is waiting, not stuck."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    monkeypatch.setattr(imports, "SYNC_CHECK_BYTES", 0)
    batch = imports.import_start(user=officer, uploaded=SimpleUploadedFile("a.csv", files.csv_bytes([])))
    imports.import_check_soon(batch=ImportBatch.objects.get(pk=batch.pk, file_name="a.csv"))
    batch.refresh_from_db()
    assert batch.task_id  # queued, not run: nobody works the queue here
    _stale(batch, minutes=60)
    batch = imports.import_expire_stale(batch=ImportBatch.objects.get(pk=batch.pk))
    assert batch.status == "checking"


def test_a_check_task_that_raises_ends_failed_with_a_message(officer):
    """An error nobody planned for (here: the stored file vanished before the worker read it) ends the check failed
    with a message instead of leaving it "checking"."""
    from khuyencong.establishments.tasks import run_import

    batch = imports.import_start(user=officer, uploaded=SimpleUploadedFile("a.xlsx", files.xlsx([])))
    batch.file.storage.delete(str(batch.file.name))
    run_import.enqueue(str(batch.pk), False)
    batch.refresh_from_db()
    assert batch.status == "failed" and "Không kiểm tra được tệp do lỗi trên máy chủ" in batch.error


def test_a_save_that_raises_on_the_page_goes_back_to_checked_with_a_message(client, officer, monkeypatch):
    duc_trong = commune("Xã Đức Trọng")
    make_establishment(officer, name="Cơ sở 0")  # makes the row a possible duplicate, so flags are written last
    batch = _upload(
        officer,
        "a.xlsx",
        files.xlsx([files.row(name="Cơ sở 0", legal_form="Hộ kinh doanh", commune_code=duc_trong.code)]),
    )

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(DuplicateFlag.objects, "bulk_create", explode)
    client.force_login(officer)
    url = reverse("establishments:import_commit", args=[batch.pk])
    response = client.post(url, {"include_duplicates": "on"})
    assert response.status_code == 302  # not a 500
    batch.refresh_from_db()
    assert batch.status == "checked" and "Việc lưu không thành công do lỗi trên máy chủ" in batch.error
    assert batch.error in client.get(response["Location"]).text
    assert Establishment.objects.count() == 1
    monkeypatch.undo()
    client.post(url, {"include_duplicates": "on"})
    batch.refresh_from_db()
    assert batch.status == "committed" and Establishment.objects.count() == 2


def test_the_loser_of_two_saves_is_told_and_nothing_is_saved_twice(client, officer):
    row = files.row(name="Cơ sở một lần", legal_form="Hộ kinh doanh", commune_code=commune("Xã Đức Trọng").code)
    batch = _upload(officer, "a.xlsx", files.xlsx([row]))
    client.force_login(officer)
    url = reverse("establishments:import_commit", args=[batch.pk])
    client.post(url)
    again = client.post(url, follow=True)
    assert "mỗi tệp chỉ được lưu một lần" in again.text
    assert Establishment.objects.count() == 1
