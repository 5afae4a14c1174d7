"""Import of registry files as provinces make them: VSIC codes of every level, communes of the recording date,
a tax code that another establishment holds (compared and decided in the dry run), plausibility warnings,
telephone numbers, blank cells, and the file of rejected rows to fix and upload again."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from khuyencong.core.exceptions import ApplicationError
from khuyencong.core.phones import phone_problem
from khuyencong.establishments import imports
from khuyencong.establishments.models import DuplicateFlag, Establishment, ImportBatch
from khuyencong.establishments.tests import files
from khuyencong.establishments.tests.factories import commune, make_establishment
from khuyencong.geography.models import AdminUnit
from khuyencong.policy.models import Industry
from khuyencong.policy.reference import VSIC_CLASSES, VSIC_SUBCLASSES

pytestmark = pytest.mark.django_db


def _rows(batch: ImportBatch) -> dict[int, dict]:
    return {r["row"]: r for r in batch.report}


def _row(name: str, **values):
    values.setdefault("legal_form", "Hộ kinh doanh")
    if "commune_name" not in values:
        values.setdefault("commune_code", commune("Xã Đức Trọng").code)
    return files.row(name=name, **values)


def test_every_vsic_2018_manufacturing_code_is_known_with_its_level_parent_and_group():
    codes = dict(Industry.objects.values_list("code", "level"))
    divided = {code[:4] for code, _name in VSIC_SUBCLASSES}
    for code, _name in VSIC_CLASSES:
        assert codes[code] == 4
        if code not in divided:
            assert codes[code + "0"] == 5  # 1077 "Sản xuất cà phê" is 10770 at level 5
    for code, _name in VSIC_SUBCLASSES:
        assert codes[code] == 5
    five = Industry.objects.filter(level=5).select_related("parent__parent__parent", "eligible_group")
    assert five.count() > 150
    for industry in five:
        assert industry.parent.code == industry.code[:4]
        assert industry.parent.parent.parent.code == industry.code[:2]
        assert industry.eligible_group_id == industry.parent.parent.parent.eligible_group_id


def test_vsic_codes_of_every_level_as_files_write_them(officer):
    rows = [
        _row("Cơ sở cà phê Cầu Đất", industry_code=10770),
        _row("Cơ sở mây tre đan", industry_code="16292"),
        _row("Cơ sở gốm", industry_code="23930"),
        _row("Cơ sở chè", industry_code="C1076"),
        _row("Cơ sở bánh", industry_code="10.71"),
        _row("Cơ sở dệt", industry_code=13),
        _row("Cơ sở thịt", industry_code="101"),
        _row("Cơ sở cà phê mới", industry_code="10779"),  # not in the list: kept as its class, with a warning
        _row("Trang trại", industry_code="01110"),  # agriculture, not manufacturing
        _row("Cơ sở mã lạ", industry_code="99999"),
    ]
    batch = files.checked(officer, files.xlsx(rows))
    report = _rows(batch)
    assert batch.counts["new"] == 8 and batch.counts["error"] == 2, batch.report
    assert report[9]["warnings"] == [
        {"column": "Mã ngành VSIC", "message": "“10779” không có trong danh mục VSIC 2018; ghi theo ngành cấp 4 1077"}
    ]
    assert "không phải mã ngành công nghiệp chế biến, chế tạo VSIC 2018" in report[10]["errors"][0]["message"]
    imports.import_commit(batch_id=batch.pk)
    industries = dict(Establishment.objects.values_list("name", "main_industry__code"))
    assert industries == {
        "Cơ sở cà phê Cầu Đất": "10770",
        "Cơ sở mây tre đan": "16292",
        "Cơ sở gốm": "23930",
        "Cơ sở chè": "1076",
        "Cơ sở bánh": "1071",
        "Cơ sở dệt": "13",
        "Cơ sở thịt": "101",
        "Cơ sở cà phê mới": "1077",
    }
    # the eligible group follows the division
    coffee = Establishment.objects.get(name="Cơ sở cà phê Cầu Đất")
    assert coffee.eligible_group.code == "a"


def _old_commune(province_code: str) -> AdminUnit:
    return (
        AdminUnit.objects.filter(level="commune", valid_to__isnull=False, province__code=province_code)
        .select_related("province")
        .order_by("code")
        .earliest("code")
    )


def test_communes_of_the_recording_date_by_code_and_by_name_with_the_old_or_the_new_province(officer):
    dak_nong = _old_commune("67")  # a commune of Đắk Nông, merged into Lâm Đồng on 1/7/2025
    lam_dong = _old_commune("68")
    assert dak_nong.province is not None and dak_nong.province.name == "Đắk Nông"
    assert str(dak_nong.valid_to) == "2025-06-30"
    rows = [
        _row("Cơ sở A", commune_name=dak_nong.full_name, province_name="Đắk Nông", recorded_on="05/03/2024"),
        _row("Cơ sở B", commune_name=dak_nong.name, province_name="Tỉnh Lâm Đồng", recorded_on="05/03/2024"),
        _row("Cơ sở C", commune_name=lam_dong.name, province_name="Lâm Đồng", recorded_on="01/06/2025"),
        _row("Cơ sở D", commune_code=int(dak_nong.code), recorded_on="31/12/2023"),
        _row("Cơ sở E", commune_name=dak_nong.full_name, province_name="Lâm Đồng"),  # no date: still found
    ]
    batch = files.checked(officer, files.xlsx(rows))
    assert batch.counts["new"] == 5, batch.report
    imports.import_commit(batch_id=batch.pk)
    recorded = dict(Establishment.objects.values_list("name", "commune_recorded"))
    assert recorded == {
        "Cơ sở A": dak_nong.pk,
        "Cơ sở B": dak_nong.pk,
        "Cơ sở C": lam_dong.pk,
        "Cơ sở D": dak_nong.pk,
        "Cơ sở E": dak_nong.pk,
    }
    for establishment in Establishment.objects.select_related("commune", "province"):
        assert establishment.commune.valid_to is None and establishment.province.code == "68"


def test_a_tax_code_held_by_another_establishment_is_compared_and_decided_row_by_row(client, officer):
    holder = make_establishment(
        officer,
        name="Công ty TNHH Chè Cầu Đất",
        legal_form="dn_nho",
        tax_code="5800111111",
        owner_name="Nguyễn Văn An",
        phone="0912345678",
    )
    second = make_establishment(
        officer, name="Công ty TNHH Gốm Bàu Trúc", legal_form="dn_nho", tax_code="5800222222", owner_name="Phú Thị Lan"
    )
    third = make_establishment(
        officer, name="HTX dệt thổ cẩm", legal_form="htx", tax_code="5800333333", owner_name="Ka Hương"
    )
    other_place = commune("Xã Di Linh")
    rows = [
        # another name, place and owner: to decide
        _row(
            "Cơ sở rượu cần Ka Bông",
            legal_form="DN nhỏ",
            tax_code="5800111111",
            commune_code=other_place.code,
            owner_name="Trần Văn Bình",
            employees_total=12,
        ),
        _row(
            "Cơ sở mộc Di Linh",
            legal_form="DN nhỏ",
            tax_code="5800222222",
            commune_code=other_place.code,
            owner_name="Lê Thị Mai",
        ),
        _row("Cơ sở rèn", legal_form="HTX", tax_code="5800333333", commune_code=other_place.code, owner_name="Y Đoan"),
        # the same establishment renamed: an ordinary update, its changes shown
        _row("Công ty TNHH Chè Cầu Đất Xanh", legal_form="DN nhỏ", tax_code="5800444444"),
    ]
    fourth = make_establishment(
        officer, name="Công ty TNHH Chè Cầu Đất Xanh cũ", legal_form="dn_nho", tax_code="5800444444"
    )
    batch = files.checked(officer, files.xlsx(rows))
    assert batch.counts == {"new": 0, "update": 1, "duplicate": 0, "conflict": 3, "error": 0}, batch.report
    report = _rows(batch)
    assert report[2]["status"] == "conflict" and report[2]["match_id"] == holder.pk
    diff = {d["field"]: (d["old"], d["new"]) for d in report[2]["diff"]}
    assert diff["Tên cơ sở"] == ("Công ty TNHH Chè Cầu Đất", "Cơ sở rượu cần Ka Bông")
    assert diff["Chủ cơ sở / người đại diện"] == ("Nguyễn Văn An", "Trần Văn Bình")
    assert diff["Xã, phường"] == ("Xã Đức Trọng, Tỉnh Lâm Đồng", "Xã Di Linh, Tỉnh Lâm Đồng")
    assert diff["Tổng số lao động"] == ("", "12")
    assert "Điện thoại" not in diff  # a blank cell changes nothing
    assert report[5]["status"] == "update" and report[5]["diff"] == [
        {"field": "Tên cơ sở", "old": "Công ty TNHH Chè Cầu Đất Xanh cũ", "new": "Công ty TNHH Chè Cầu Đất Xanh"}
    ]

    client.force_login(officer)
    page = client.get(reverse("establishments:import_batch", args=[batch.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count('data-testid="decide-form"') == 3 and "Cập nhật cơ sở đã có" in html
    assert "Lưu 1 dòng hợp lệ" in html  # undecided rows are skipped
    url = reverse("establishments:import_decide", args=[batch.pk])
    assert client.post(url, {"row": 3, "decision": "update"}).status_code == 302
    assert client.post(url, {"row": 4, "decision": "new"}).status_code == 302
    assert client.post(url, {"row": 4, "decision": "delete-all"}).status_code == 302  # refused, kept "new"
    client.post(url, {"row": 5, "decision": "update"})  # not a row to decide: refused
    batch.refresh_from_db()
    assert batch.decisions == {"3": "update", "4": "new"}
    html = client.get(reverse("establishments:import_batch", args=[batch.pk])).content.decode()
    assert "Lưu 3 dòng hợp lệ" in html
    with pytest.raises(ApplicationError):
        imports.import_decide(user=officer, batch_id=batch.pk, row=2, decision="maybe")

    imports.import_commit(batch_id=batch.pk)
    batch.refresh_from_db()
    assert (batch.counts["created"], batch.counts["updated"], batch.counts["skipped"]) == (1, 2, 1)
    holder.refresh_from_db()
    assert (holder.name, holder.owner_name, holder.phone, holder.version) == (
        "Công ty TNHH Chè Cầu Đất",
        "Nguyễn Văn An",
        "0912345678",
        1,
    )  # row 2, undecided: skipped
    second.refresh_from_db()
    assert (second.name, second.owner_name, second.commune) == ("Cơ sở mộc Di Linh", "Lê Thị Mai", other_place)
    third.refresh_from_db()
    assert third.name == "HTX dệt thổ cẩm" and third.version == 1
    created = Establishment.objects.get(name="Cơ sở rèn")
    assert created.tax_code is None and created.owner_name == "Y Đoan"
    assert DuplicateFlag.objects.filter(
        establishment_id=min(created.pk, third.pk), other_id=max(created.pk, third.pk)
    ).exists()
    fourth.refresh_from_db()
    assert fourth.name == "Công ty TNHH Chè Cầu Đất Xanh"


def test_blank_cells_and_missing_columns_change_nothing_on_update(officer):
    existing = make_establishment(
        officer,
        name="Hợp tác xã chè",
        legal_form="htx",
        tax_code="5800555555",
        phone="0263 3822 111",
        owner_name="Lê Thị Mai",
        status="closed",
        employees_total=30,
    )
    headers = ["Tên cơ sở", "Loại hình", "Mã số thuế / số ĐKKD", "Mã xã", "Tổng số lao động"]
    content = files.xlsx([["Hợp tác xã chè", "HTX", "5800555555", commune("Xã Đức Trọng").code, None]], headers=headers)
    batch = files.checked(officer, content)
    assert batch.counts["update"] == 1 and _rows(batch)[2]["diff"] == []
    imports.import_commit(batch_id=batch.pk)
    existing.refresh_from_db()
    assert (existing.phone, existing.owner_name, existing.status, existing.employees_total) == (
        "0263 3822 111",
        "Lê Thị Mai",
        "closed",
        30,
    )


def test_plausibility_and_telephone_warnings_keep_the_row(officer):
    rows = [
        _row("Hộ làm bánh tráng", employees_total="1.250.000"),
        _row("Doanh nghiệp siêu nhỏ", legal_form="DN siêu nhỏ", tax_code="5800666666", employees_total=50),
        _row("Hộ dệt", employees_total="1 250", phone="0168 123 4567"),
        _row("Hộ rèn", employees_total=8, phone="0912 345 678 / (0263) 3822 111"),
    ]
    batch = files.checked(officer, files.xlsx(rows))
    assert batch.counts["new"] == 4, batch.report
    report = _rows(batch)
    assert report[2]["warnings"] == [
        {
            "column": "Tổng số lao động",
            "message": "1.250.000 lao động là quá nhiều đối với một cơ sở công nghiệp nông thôn: kiểm tra lại số liệu",
        }
    ]
    assert report[3]["warnings"][0]["message"] == (
        "50 lao động là nhiều hơn mức của doanh nghiệp siêu nhỏ (tối đa 10): kiểm tra lại số liệu hoặc loại hình"
    )
    messages = [w["message"] for w in report[4]["warnings"]]
    assert "1.250 lao động là nhiều hơn mức của hộ kinh doanh (tối đa 200): kiểm tra lại số liệu hoặc loại hình" in (
        messages
    )
    assert "“0168 123 4567” là số di động cũ 11 chữ số (đã đổi sang 10 chữ số từ năm 2018)" in messages
    assert report[5]["warnings"] == []


def test_the_enterprise_sizes_are_dated_policy_data_with_their_legal_basis(officer):
    """The sizes come from `policy.EnterpriseSizeLimit` (ND 80/2021/NĐ-CP Art. 5 as seeded); a rule an administrator
    adds in force today is the one the import applies."""
    from khuyencong.policy.models import EnterpriseSizeLimit
    from khuyencong.policy.selectors import enterprise_size_limits

    today = timezone.localdate()
    seeded = EnterpriseSizeLimit.objects.select_related("legal_document").get(legal_form="dn_sieu_nho")
    assert seeded.legal_document.number == "80/2021/NĐ-CP" and seeded.provision == "Điều 5 khoản 1"
    assert enterprise_size_limits(today) == {"dn_sieu_nho": 10, "dn_nho": 100, "dn_vua": 200}
    EnterpriseSizeLimit.objects.create(
        legal_form="dn_sieu_nho", max_employees=60, legal_document=seeded.legal_document,
        valid_from=today - datetime.timedelta(days=1), note="Quy định giả định, để thử",
    )  # fmt: skip
    rows = [_row("Doanh nghiệp siêu nhỏ", legal_form="DN siêu nhỏ", tax_code="5800666666", employees_total=50)]
    assert _rows(files.checked(officer, files.xlsx(rows)))[2]["warnings"] == []
    rows = [_row("Doanh nghiệp siêu nhỏ", legal_form="DN siêu nhỏ", tax_code="5800666666", employees_total=61)]
    message = _rows(files.checked(officer, files.xlsx(rows)))[2]["warnings"][0]["message"]
    assert message.endswith("(tối đa 60): kiểm tra lại số liệu hoặc loại hình")


@pytest.mark.parametrize(
    ("value", "right"),
    [
        ("0912345678", True),
        ("0912 345 678", True),
        ("+84 912.345.678", True),
        ("84912345678", True),
        ("(0263) 3822 111", True),
        ("024 3825 1234", True),
        ("1900 1234", True),
        ("0912345678 hoặc 0987654321", True),
        ("0912345678; 02633822111", True),
        ("0168 123 4567", False),
        ("3822111", False),
        ("091234567", False),
        ("0612345678", False),
        ("không có", False),
        ("0912345678 ext 12", False),
    ],
)
def test_vietnamese_telephone_numbers(value, right):
    assert (phone_problem(value) is None) is right


def test_a_form_refuses_a_new_telephone_number_that_is_not_vietnamese_but_keeps_an_old_one(client, officer):
    client.force_login(officer)
    establishment = make_establishment(officer, name="Cơ sở điện thoại", phone="0912345678")
    from khuyencong.core.history import allow_untracked_writes
    from khuyencong.establishments.services import establishment_update

    with allow_untracked_writes():
        Establishment.objects.filter(pk=establishment.pk).update(phone="12345")  # as an old import left it

    updated = establishment_update(
        user=officer, establishment_id=establishment.pk, data={"address": "Thôn 1"}, expected_version=1
    )
    assert updated.phone == "12345"
    with pytest.raises(ApplicationError) as error:
        establishment_update(
            user=officer, establishment_id=establishment.pk, data={"phone": "0168 123 4567"}, expected_version=2
        )
    assert error.value.field == "phone" and "số di động cũ" in str(error.value.message)


def test_the_rejected_rows_come_back_as_a_file_to_fix_and_upload_again(client, officer, make_user):
    rows = [
        _row("Cơ sở tốt"),
        _row("", employees_total=3),
        _row("Cơ sở xã lạ", commune_name="Xã Không Có", province_name="Lâm Đồng", commune_code=None),
        _row("Cơ sở loại lạ", legal_form="Công ty ma", phone="0912 345 678"),
    ]
    batch = files.checked(officer, files.xlsx(rows, title="DANH SÁCH CƠ SỞ"))
    assert batch.counts["error"] == 3
    client.force_login(officer)
    html = client.get(reverse("establishments:import_batch", args=[batch.pk])).content.decode()
    assert 'data-testid="rejected-file"' in html
    response = client.get(reverse("establishments:import_rejected", args=[batch.pk]))
    assert response.status_code == 200
    assert "filename*=utf-8''C%C3%A1c%20d%C3%B2ng%20kh%C3%B4ng%20nh%E1%BA%ADn" in response["Content-Disposition"]
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = workbook.active
    table = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert table[0][-1] == "Lý do không nhận" and table[0][1] == "Tên cơ sở *"
    assert [r[1] for r in table[1:]] == [None, "Cơ sở xã lạ", "Cơ sở loại lạ"]
    reasons = [r[-1] for r in table[1:]]
    assert reasons[0] == "Tên cơ sở: thiếu tên cơ sở"
    assert reasons[1] == "Xã, phường: không có xã “Xã Không Có” thuộc Tỉnh Lâm Đồng"
    assert reasons[2] == "Loại hình: “Công ty ma” không phải là loại hình hợp lệ"
    # fixed in the file and uploaded again: accepted
    sheet.cell(row=2, column=2, value="Cơ sở đã sửa tên")
    sheet.cell(row=3, column=12, value="Xã Đức Trọng")
    sheet.cell(row=4, column=3, value="Hộ kinh doanh")
    buffer = io.BytesIO()
    workbook.save(buffer)
    again = files.checked(officer, buffer.getvalue(), "da-sua.xlsx")
    assert again.counts == {"new": 3, "update": 0, "duplicate": 0, "conflict": 0, "error": 0}, again.report
    # another officer of the province cannot download this user's rows
    colleague = make_user("provincial_officer", province="68", username="dong.nghiep")
    client.force_login(colleague)
    assert client.get(reverse("establishments:import_rejected", args=[batch.pk])).status_code == 404
