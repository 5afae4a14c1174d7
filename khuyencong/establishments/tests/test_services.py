"""Creating, editing, de-duplicating and merging establishments through the services."""

import datetime

import pytest

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.establishments import services
from khuyencong.establishments.models import DuplicateFlag, Establishment, EstablishmentYear
from khuyencong.establishments.tests.factories import commune, make_establishment
from khuyencong.geography.models import AdminUnit
from khuyencong.policy.models import Industry

pytestmark = pytest.mark.django_db


def test_create_derives_place_search_keys_and_group(officer):
    industry = Industry.objects.get(code="162")
    e = make_establishment(
        officer,
        name="  Cơ sở   mây tre đan  Phú Hòa ",
        owner_name="Nguyễn Thị Hoà",
        phone="+84 912 345 678",
        main_industry=industry,
        address="Thôn 3",
    )
    assert e.name == "Cơ sở mây tre đan Phú Hòa"
    assert e.province.code == "68" and e.commune == e.commune_recorded
    assert e.eligible_group == industry.eligible_group
    assert e.phone_digits == "0912345678"
    assert e.search_folded == "co so may tre dan phu hoa nguyen thi hoa thon 3 0912345678"
    assert e.history.get().history_type == "+"


def test_a_record_from_before_the_reorganisation_keeps_its_old_commune(officer):
    old = AdminUnit.objects.filter(level="commune", valid_to__isnull=False, province__code="68").first()
    e = make_establishment(officer, commune_recorded=old)
    assert e.commune_recorded == old
    assert e.commune.valid_to is None and e.commune.province_id == e.province_id
    assert e.province.code == "68"


@pytest.mark.parametrize(
    ("legal_form", "tax_code", "ok"),
    [
        ("dn_nho", "0101234567", True),
        ("dn_nho", "0101234567-001", True),
        ("dn_nho", " 0101 234 567 ", True),
        ("dn_nho", "12345", False),
        ("htx", "0101234567-01", False),
        ("ho_kinh_doanh", "41A8012345", True),
    ],
)
def test_tax_code_format(officer, legal_form, tax_code, ok):
    if ok:
        e = make_establishment(officer, legal_form=legal_form, tax_code=tax_code)
        assert e.tax_code is not None and " " not in e.tax_code
    else:
        with pytest.raises(ApplicationError) as error:
            make_establishment(officer, legal_form=legal_form, tax_code=tax_code)
        assert error.value.field == "tax_code" and "10 chữ số" in str(error.value.message)


def test_an_existing_tax_code_is_refused_with_a_link(officer):
    first = make_establishment(officer, legal_form="dn_nho", tax_code="0101234567")
    with pytest.raises(ApplicationError) as error:
        make_establishment(officer, name="Khác", legal_form="dn_vua", tax_code="0101234567")
    assert error.value.code == ErrorCode.DUPLICATE
    assert error.value.extra["existing_url"] == f"/establishments/{first.pk}/"
    assert Establishment.objects.count() == 1


def test_outside_the_scope_and_read_only_roles_are_refused(officer, make_user):
    with pytest.raises(ApplicationError) as error:
        make_establishment(officer, commune_recorded=commune("Phường Ba Đình", "01"))
    assert error.value.code == ErrorCode.OUT_OF_SCOPE
    auditor = make_user("auditor", province=None)
    with pytest.raises(ApplicationError) as error:
        make_establishment(auditor)
    assert error.value.code == ErrorCode.PERMISSION_DENIED
    assert not Establishment.objects.exists()


def test_employee_parts_cannot_exceed_the_total(officer):
    with pytest.raises(ApplicationError) as error:
        make_establishment(officer, employees_total=5, employees_female=6)
    assert error.value.field == "employees_female"


def test_likely_duplicates_are_flagged_with_a_score(officer):
    first = make_establishment(officer, name="Cơ sở dệt thổ cẩm Ka Hương", phone="0912345678", owner_name="Ka Hương")
    same_name = make_establishment(officer, name="CƠ SỞ DỆT THỔ CẨM KA HƯƠNG")
    similar_phone = make_establishment(
        officer, name="Cơ sở dệt thổ cẩm Ka Huong", phone="0912 345 678", commune_recorded=commune("Xã Di Linh")
    )
    flags = {(f.establishment_id, f.other_id): f for f in DuplicateFlag.objects.all()}
    assert flags[(first.pk, same_name.pk)].score == 95
    assert flags[(first.pk, similar_phone.pk)].score == 85
    unrelated = make_establishment(officer, name="Xưởng cơ khí Minh Phát", commune_recorded=commune("Xã Di Linh"))
    assert not DuplicateFlag.objects.filter(establishment=unrelated).exists()
    flag = services.duplicate_flag_decide(user=officer, flag_id=flags[(first.pk, same_name.pk)].pk, is_duplicate=False)
    assert flag.status == "dismissed" and flag.decided_by == officer


def test_a_stale_edit_is_refused_and_says_what_changed(officer, make_user):
    e = make_establishment(officer, employees_total=8)
    colleague = make_user("provincial_approver", province="68", username="dong.nghiep")
    services.establishment_update(
        user=colleague, establishment_id=e.pk, data={"employees_total": 12}, expected_version=1
    )
    with pytest.raises(ApplicationError) as error:
        services.establishment_update(
            user=officer, establishment_id=e.pk, data={"phone": "0909 123 456"}, expected_version=1
        )
    assert error.value.code == ErrorCode.STALE_VERSION
    [change] = error.value.extra["changes"]
    assert (change.label, change.old, change.new) == ("số lao động", "8", "12")
    e.refresh_from_db()
    assert (e.employees_total, e.phone, e.version) == (12, "", 2)
    services.establishment_update(
        user=officer, establishment_id=e.pk, data={"phone": "0909 123 456"}, expected_version=2
    )
    e.refresh_from_db()
    assert e.version == 3 and e.history.first().history_user == officer


def test_merge_repoints_relations_and_records_both_histories(officer):
    keep = make_establishment(officer, name="Cơ sở gốm Bàu Trúc", employees_total=10)
    drop = make_establishment(officer, name="Co so gom Bau Truc", phone="0988888888", tax_code="TS-99")
    for establishment, year, revenue in ((keep, 2024, 1_000_000), (drop, 2024, 5), (drop, 2023, 900_000)):
        services.establishment_year_save(
            user=officer, establishment_id=establishment.pk, data={"year": year, "revenue_vnd": revenue}
        )
    merged = services.establishment_merge(
        user=officer, survivor_id=keep.pk, other_id=drop.pk, take_from_other=["phone", "tax_code"], reason="Trùng"
    )
    assert (merged.phone, merged.tax_code, merged.name) == ("0988888888", "TS-99", "Cơ sở gốm Bàu Trúc")
    assert dict(EstablishmentYear.objects.filter(establishment=keep).values_list("year", "revenue_vnd")) == {
        2024: 1_000_000,
        2023: 900_000,
    }
    assert not Establishment.objects.filter(pk=drop.pk).exists()
    assert not DuplicateFlag.objects.filter(other=drop).exists()
    assert f"#{drop.pk}" in keep.history.first().history_change_reason
    deleted = Establishment.history.filter(id=drop.pk, history_type="-").get()
    assert f"#{keep.pk}" in deleted.history_change_reason


def test_merge_refuses_nonsense(officer):
    e = make_establishment(officer)
    with pytest.raises(ApplicationError):
        services.establishment_merge(user=officer, survivor_id=e.pk, other_id=e.pk, take_from_other=[])
    other = make_establishment(officer, name="Khác hẳn")
    with pytest.raises(ApplicationError):
        services.establishment_merge(user=officer, survivor_id=e.pk, other_id=other.pk, take_from_other=["version"])


def test_yearly_figures_are_replaced_per_year_and_refuse_negative_amounts(officer):
    e = make_establishment(officer)
    services.establishment_year_save(user=officer, establishment_id=e.pk, data={"year": 2024, "revenue_vnd": 10})
    services.establishment_year_save(user=officer, establishment_id=e.pk, data={"year": 2024, "revenue_vnd": 20})
    assert list(e.years.values_list("year", "revenue_vnd")) == [(2024, 20)]
    with pytest.raises(ApplicationError):
        services.establishment_year_save(user=officer, establishment_id=e.pk, data={"year": 2025, "revenue_vnd": -1})


def test_status_dates(officer):
    e = make_establishment(officer, status="closed", status_since=datetime.date(2025, 12, 31))
    assert e.get_status_display() == "Đã ngừng hoạt động"
