"""Findings of an outside attack on the registry import (issue 15): each failed on the code before its fix."""

import io

import openpyxl
import pytest
from django.urls import reverse

from khuyencong.establishments import imports
from khuyencong.establishments.models import Establishment, ImportBatch
from khuyencong.establishments.tests import files
from khuyencong.establishments.tests.factories import commune, make_establishment

pytestmark = pytest.mark.django_db


def _row(name: str, **values):
    values.setdefault("legal_form", "Hộ kinh doanh")
    values.setdefault("commune_code", commune("Xã Đức Trọng").code)
    return files.row(name=name, **values)


def _by_row(batch: ImportBatch) -> dict[int, dict]:
    return {r["row"]: r for r in batch.report}


# 1 ------------------------------------------------------------------------------------------------------------------
def test_a_dotted_vsic_class_stored_by_excel_as_a_number_is_not_read_as_a_group(officer):
    """A class typed "10.70" or "16.10" in Excel is the number 10.7 / 16.1. It was recorded as the GROUP 107 / 161
    (another level, another meaning) without a word. Expected: the class 1070 / 1610, or a refusal asking for the
    code as text — never silently another level."""
    batch = files.checked(
        officer, files.xlsx([_row("Cơ sở xay xát", industry_code=10.70), _row("Cơ sở cưa xẻ", industry_code=16.10)])
    )
    report = _by_row(batch)
    if all(r["status"] == "error" for r in report.values()):
        return
    imports.import_commit(batch_id=batch.pk)
    codes = dict(Establishment.objects.values_list("name", "main_industry__code"))
    assert codes == {"Cơ sở xay xát": "1070", "Cơ sở cưa xẻ": "1610"}


def test_a_vsic_code_with_dots_in_the_wrong_places_is_refused(officer):
    """ "10.7.7" is not how any VSIC code is written; it was silently taken as 1077. Expected: a row error (or at least
    a warning) naming the cell."""
    batch = files.checked(officer, files.xlsx([_row("Cơ sở cà phê", industry_code="10.7.7")]))
    row = _by_row(batch)[2]
    assert row["status"] == "error" or any(w["column"] == "Mã ngành VSIC" for w in row["warnings"]), row


# 2 ------------------------------------------------------------------------------------------------------------------
def test_a_phone_cell_longer_than_the_phone_column_is_not_accepted_silently(officer):
    """Three valid numbers in one cell (37 characters) pass the telephone check without a warning and are saved into
    a 30-character column (on PostgreSQL: the whole commit fails with "error on the server"). Expected: a clear row
    error or warning, and never more than 30 characters written."""
    phone = "0912345678; 0987654321; 0263 3822 111"
    batch = files.checked(officer, files.xlsx([_row("Cơ sở nhiều số", phone=phone)]))
    row = _by_row(batch)[2]
    if row["status"] == "error":
        return
    assert row["warnings"], row
    imports.import_commit(batch_id=batch.pk)
    assert len(Establishment.objects.get().phone) <= 30  # the column's length


# 3 ------------------------------------------------------------------------------------------------------------------
def test_an_import_refuses_a_name_or_a_registration_number_longer_than_the_columns(officer):
    """A 300-character name (column 255) and a 60-character household registration number (column 30) are
    accepted by the dry run and saved (on PostgreSQL the commit fails as a whole with a server error). Expected: a row
    error naming the column and its limit."""
    batch = files.checked(
        officer, files.xlsx([_row("Cơ sở " + "rất " * 80, tax_code="X" * 60), _row("Cơ sở bình thường")])
    )
    report = _by_row(batch)
    assert report[2]["status"] == "error", report[2]
    assert report[3]["status"] == "new"


# 4 ------------------------------------------------------------------------------------------------------------------
def test_a_conflict_decided_update_is_not_undone_by_another_row_matching_the_same_record(officer):
    """Row 2 holds the tax code of `holder` under another name and commune (conflict, the user decides "update");
    row 3 matches the same `holder` by its import id. Both are written: row 3 silently puts back the old name and
    commune the user just decided to replace, and the batch says "2 updated". Expected: the second row that would
    write the same establishment is an error in the dry run ("same establishment as row 2")."""
    holder = make_establishment(
        officer, name="Công ty Chè", legal_form="dn_nho", tax_code="5800111111", owner_name="Nguyễn Văn An",
        import_key="K1",
    )  # fmt: skip
    rows = [
        _row(
            "Cơ sở rượu cần",
            legal_form="DN nhỏ",
            tax_code="5800111111",
            commune_code=commune("Xã Di Linh").code,
            owner_name="Trần Văn Bình",
        ),  # fmt: skip
        _row("Công ty Chè", legal_form="DN nhỏ", import_key="K1", address="Thôn 5"),
    ]
    batch = files.checked(officer, files.xlsx(rows))
    report = _by_row(batch)
    assert report[2]["status"] == "conflict"
    imports.import_decide(user=officer, batch_id=batch.pk, row=2, decision="update")
    imports.import_commit(batch_id=batch.pk)
    holder.refresh_from_db()
    assert report[3]["status"] == "error" or holder.name == "Cơ sở rượu cần", (holder.name, holder.version)


# 5 ------------------------------------------------------------------------------------------------------------------
def test_the_rejected_rows_file_keeps_every_cell_within_excels_limit(client, officer):
    """A .csv row with a 40,000-character name is refused; the file of rejected rows writes the cell as it is (and the
    reason repeats part of it). Excel refuses cells over 32,767 characters ("We found a problem with some content").
    Expected: cells cut to 32,767 characters (with a note), the file opens in Excel."""
    code = commune("Xã Đức Trọng").code
    content = ("Tên cơ sở,Loại hình,Mã xã\n" + "N" * 40_000 + ",không rõ," + code + "\n").encode()
    batch = files.checked(officer, content, name="tinh.csv")
    assert batch.counts["error"] == 1
    client.force_login(officer)
    response = client.get(reverse("establishments:import_rejected", args=[batch.pk]))
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    longest = max(len(v) for row in book.active.iter_rows(values_only=True) for v in row if isinstance(v, str))
    assert longest <= 32_767


def test_the_rejected_rows_download_reads_the_file_within_a_web_requests_time(client, officer, monkeypatch):
    """The dry run reads a file in the request only when it is small, and then with `SYNC_READ_SECONDS`; the
    download of rejected rows re-reads the uploaded file (up to 25 MB) in the request with the background limit
    (`KC_IMPORT_SECONDS`, 300 s), past gunicorn's 30 s: the web worker is killed. Expected: a bounded read (or the
    file made by the background check)."""
    batch = files.checked(officer, files.xlsx([_row("Cơ sở", legal_form="không rõ")]))
    seen = []
    real = imports.sheets.read_table

    def spy(path, name, *, limits):
        seen.append(limits.seconds)
        return real(path, name, limits=limits)

    monkeypatch.setattr(imports.sheets, "read_table", spy)
    client.force_login(officer)
    assert client.get(reverse("establishments:import_rejected", args=[batch.pk])).status_code == 200
    assert seen and all(s is not None and s <= imports.SYNC_READ_SECONDS for s in seen), seen


# 6 ------------------------------------------------------------------------------------------------------------------
def test_a_collaborators_unchanged_old_phone_does_not_block_editing_other_fields(make_user):
    """The establishment service checks a phone only when typed or changed; the collaborator service checks it on
    every save. A collaborator recorded before this change with an old 11-digit mobile can no longer be edited at
    all (e.g. to record the end of the appointment) until someone finds out the current number. Expected: as for
    establishments, an unchanged phone is not refused."""
    from khuyencong.collaborators.services import CollaboratorData, collaborator_update
    from khuyencong.collaborators.tests.factories import appoint, communes

    officer = make_user("provincial_officer", province="68")
    places = communes("68", 2)
    collaborator = appoint(officer, places, login=False)
    from khuyencong.core.history import attribute

    collaborator.phone = "01234567890"  # saved before the phone check existed
    attribute(collaborator, user=officer, reason="Dữ liệu cũ")
    collaborator.save()
    data = CollaboratorData(
        full_name=collaborator.full_name, province_id=collaborator.province_id, decision_number="12/QĐ-SCT",
        decision_date=collaborator.decision_date, decision_signer="Trần Văn Bình", phone="01234567890",
        remuneration="500.000 đồng/tháng", communes=[p.pk for p in places],
    )  # fmt: skip
    collaborator_update(user=officer, collaborator_id=collaborator.pk, data=data, expected_version=collaborator.version)


# 7 ------------------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("phone", ["0912345678 - 0987654321", "0912.345.678 - 0263.3822.111"])
def test_two_numbers_separated_by_a_dash_are_two_numbers(phone):
    """People separate two numbers with " - " as often as with "/" (the module's own example). Both numbers here are
    right, yet the cell is refused in forms and warned in imports as "not a Vietnamese telephone number". Expected:
    " - " between two full numbers is a separator (a dash inside a number, "0263-3822-111", stays allowed)."""
    from khuyencong.core.phones import phone_problem

    assert phone_problem(phone) is None
