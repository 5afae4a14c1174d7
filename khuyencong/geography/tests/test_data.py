"""The administrative units as loaded by the migration: counts, succession, dated types, regions."""

import datetime

import pytest
from django.db.models import Count

from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.text import fold
from khuyencong.geography import selectors
from khuyencong.geography.loader import load_admin_units
from khuyencong.geography.models import AdminUnit, AdminUnitSuccession, Region, RegionMembership

pytestmark = pytest.mark.django_db

BEFORE = datetime.date(2025, 6, 30)
AFTER = datetime.date(2025, 7, 1)

# shared/domain.md §8: each new province and the pre-2025 provinces it was formed from.
MERGERS = {
    "Hà Nội": ["Hà Nội"],
    "Cao Bằng": ["Cao Bằng"],
    "Tuyên Quang": ["Tuyên Quang", "Hà Giang"],
    "Điện Biên": ["Điện Biên"],
    "Lai Châu": ["Lai Châu"],
    "Sơn La": ["Sơn La"],
    "Lào Cai": ["Lào Cai", "Yên Bái"],
    "Thái Nguyên": ["Thái Nguyên", "Bắc Kạn"],
    "Lạng Sơn": ["Lạng Sơn"],
    "Quảng Ninh": ["Quảng Ninh"],
    "Bắc Ninh": ["Bắc Ninh", "Bắc Giang"],
    "Phú Thọ": ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"],
    "Hải Phòng": ["Hải Phòng", "Hải Dương"],
    "Hưng Yên": ["Hưng Yên", "Thái Bình"],
    "Ninh Bình": ["Ninh Bình", "Hà Nam", "Nam Định"],
    "Thanh Hóa": ["Thanh Hóa"],
    "Nghệ An": ["Nghệ An"],
    "Hà Tĩnh": ["Hà Tĩnh"],
    "Quảng Trị": ["Quảng Trị", "Quảng Bình"],
    "Huế": ["Huế"],
    "Đà Nẵng": ["Đà Nẵng", "Quảng Nam"],
    "Quảng Ngãi": ["Quảng Ngãi", "Kon Tum"],
    "Gia Lai": ["Gia Lai", "Bình Định"],
    "Khánh Hòa": ["Khánh Hòa", "Ninh Thuận"],
    "Đắk Lắk": ["Đắk Lắk", "Phú Yên"],
    "Lâm Đồng": ["Lâm Đồng", "Đắk Nông", "Bình Thuận"],
    "Đồng Nai": ["Đồng Nai", "Bình Phước"],
    "Hồ Chí Minh": ["Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"],
    "Tây Ninh": ["Tây Ninh", "Long An"],
    "Đồng Tháp": ["Đồng Tháp", "Tiền Giang"],
    "Vĩnh Long": ["Vĩnh Long", "Bến Tre", "Trà Vinh"],
    "An Giang": ["An Giang", "Kiên Giang"],
    "Cần Thơ": ["Cần Thơ", "Sóc Trăng", "Hậu Giang"],
    "Cà Mau": ["Cà Mau", "Bạc Liêu"],
}
COMMUNES_PER_PROVINCE = {"01": 126, "79": 168, "12": 38, "68": 124, "46": 40, "96": 64}


def test_current_units():
    provinces = AdminUnit.objects.filter(level="province", valid_to__isnull=True)
    communes = AdminUnit.objects.filter(level="commune", valid_to__isnull=True)
    assert provinces.count() == 34
    assert communes.count() == 3321
    assert communes.filter(unit_type="xa").count() == 2621
    assert communes.filter(unit_type="phuong").count() == 687
    assert communes.filter(unit_type="dac_khu").count() == 13
    assert not AdminUnit.objects.filter(level="district", valid_to__isnull=True).exists()
    for code, count in COMMUNES_PER_PROVINCE.items():
        assert communes.filter(province__code=code).count() == count, code
    assert all(c.province_id == c.parent_id for c in communes.only("province_id", "parent_id"))


def test_units_before_the_reorganisation():
    on_date = selectors.unit_list(on=BEFORE)
    assert on_date.filter(level="province").count() == 63
    assert on_date.filter(level="district").count() == 696
    assert on_date.filter(level="commune").count() == 10051
    assert not selectors.unit_list(on=AFTER).filter(level="district").exists()
    assert selectors.unit_list(on=AFTER).filter(level="province").count() == 34


def test_every_old_province_has_exactly_one_current_successor_as_in_the_domain_table():
    expected = {fold(old): fold(new) for new, olds in MERGERS.items() for old in olds}
    old_provinces = AdminUnit.objects.filter(level="province", valid_to=BEFORE)
    assert old_provinces.count() == 63 == len(expected)
    for old in old_provinces:
        successors = selectors.current_successors(old)
        assert len(successors) == 1, old
        assert fold(successors[0].name) == expected[fold(old.name)], old
        assert AdminUnitSuccession.objects.filter(predecessor=old, is_primary=True).count() == 1


def test_commune_split_between_several_successors():
    split = (
        AdminUnitSuccession.objects.filter(predecessor__level="commune")
        .values("predecessor")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("predecessor")
    )
    assert split.count() >= 400  # the package maps 440 old communes to several new ones
    old = AdminUnit.objects.get(pk=split.first()["predecessor"])
    successors = selectors.current_successors(old)
    assert len(successors) > 1
    assert selectors.primary_successor(old) == successors[0]
    assert all(s.valid_to is None and s.level == "commune" for s in successors)


def test_a_district_is_succeeded_through_its_communes():
    district = AdminUnit.objects.get(level="district", code="001")  # Quận Ba Đình
    successors = selectors.current_successors(district)
    assert successors and {getattr(s.province, "code", None) for s in successors} == {"01"}
    assert "Phường Ba Đình" in {s.full_name for s in successors}


def test_unit_at_uses_the_date_because_codes_were_reused():
    before = selectors.unit_at("00004", datetime.date(2024, 5, 1))
    after = selectors.unit_at("00004", datetime.date(2025, 8, 1))
    assert before.full_name == "Phường Trúc Bạch" and before.valid_to == BEFORE
    assert after.full_name == "Phường Ba Đình" and after.valid_to is None
    assert selectors.unit_at("4", datetime.date(2025, 8, 1), level="commune") == after
    assert selectors.unit_at("1", datetime.date(2025, 8, 1)).level == "province"
    assert after in selectors.current_successors(before)


@pytest.mark.parametrize(
    ("code", "date", "error"),
    [
        ("99999", datetime.date(2025, 8, 1), ErrorCode.UNIT_NOT_FOUND),
        ("abc", datetime.date(2025, 8, 1), ErrorCode.UNIT_NOT_FOUND),
        ("", datetime.date(2025, 8, 1), ErrorCode.UNIT_NOT_FOUND),
        ("001", datetime.date(2025, 8, 1), ErrorCode.UNIT_NOT_VALID_ON_DATE),  # districts ended on 30/6/2025
    ],
)
def test_unit_at_refuses_with_a_vietnamese_message(code, date, error):
    with pytest.raises(ApplicationError) as raised:
        selectors.unit_at(code, date)
    assert raised.value.code == error
    assert str(raised.value.message)


def test_a_commune_that_did_not_exist_on_the_date():
    new_only = (
        AdminUnit.objects.filter(level="commune", valid_to__isnull=True)
        .exclude(code__in=AdminUnit.objects.filter(level="commune", valid_to=BEFORE).values("code"))
        .first()
    )
    assert new_only is not None
    with pytest.raises(ApplicationError) as raised:
        selectors.unit_at(new_only.code, datetime.date(2024, 1, 1), level="commune")
    assert raised.value.code == ErrorCode.UNIT_NOT_VALID_ON_DATE
    assert "01/01/2024" in str(raised.value.message)


def test_province_type_is_judged_by_date():
    dong_nai = AdminUnit.objects.get(level="province", code="75", valid_to__isnull=True)
    assert not selectors.is_centrally_run_city(dong_nai, datetime.date(2025, 10, 15))
    assert selectors.is_centrally_run_city(dong_nai, datetime.date(2026, 11, 1))
    assert selectors.unit_type_at(dong_nai, datetime.date(2025, 10, 15))[1] == "Tỉnh Đồng Nai"
    ha_noi = AdminUnit.objects.get(level="province", code="01", valid_to__isnull=True)
    assert selectors.is_centrally_run_city(ha_noi, datetime.date(2025, 10, 15))
    hue_old = AdminUnit.objects.get(level="province", code="46", valid_to=BEFORE)
    assert not selectors.is_centrally_run_city(hue_old, datetime.date(2024, 6, 1))
    assert selectors.is_centrally_run_city(hue_old, datetime.date(2025, 3, 1))
    current_cities = AdminUnit.objects.filter(level="province", valid_to__isnull=True, unit_type="tp_tw")
    assert current_cities.count() == 9


def test_regions_cover_every_province_exactly_once_per_kind():
    for kind, expected in (("socio_economic", 6), ("khuyen_cong", 3)):
        assert Region.objects.filter(kind=kind).count() == expected
        for on, count in ((BEFORE, 63), (AFTER, 34)):
            memberships = RegionMembership.objects.filter(region__kind=kind, province__in=selectors.unit_list(on=on))
            provinces = list(memberships.values_list("province", flat=True))
            assert len(provinces) == len(set(provinces)) == count, (kind, on)
    north = Region.objects.get(code="kc-mien-bac")
    assert north.memberships.filter(province__valid_to__isnull=True).count() == 18
    assert north.memberships.filter(province__valid_to=BEFORE).count() == 28
    lam_dong = AdminUnit.objects.get(level="province", code="68", valid_to__isnull=True)
    assert [r.code for r in selectors.regions_of(lam_dong, datetime.date(2026, 1, 1))] == [
        "kc-mien-trung-tay-nguyen",
        "kt-xh-tay-nguyen",
    ]


def test_loading_the_fixture_again_changes_nothing():
    counts = {m: m.objects.count() for m in (AdminUnit, AdminUnitSuccession, Region, RegionMembership)}
    history = AdminUnit.history.count()
    result = load_admin_units()
    assert all(value == 0 for value in result.values()), result
    assert {m: m.objects.count() for m in counts} == counts
    assert AdminUnit.history.count() == history


def test_a_changed_unit_is_restored_with_history():
    unit = AdminUnit.objects.get(level="province", code="68", valid_to__isnull=True)
    unit.full_name = "Tỉnh Lâm Đồng (sửa nhầm)"
    unit.save()
    result = load_admin_units()
    assert result["units_updated"] == 1
    unit.refresh_from_db()
    assert unit.full_name == "Tỉnh Lâm Đồng"
    assert unit.history.first().history_change_reason == "Nạp dữ liệu đơn vị hành chính"


def test_search_without_diacritics():
    results = list(selectors.unit_search(query="dak lak", level="province"))
    assert [u.full_name for u in results] == ["Tỉnh Đắk Lắk"]
    communes = selectors.unit_search(query="ĐỨC TRỌNG", level="commune")
    assert communes[0].full_name == "Xã Đức Trọng"
    assert selectors.unit_search(query="phu thuy", level="commune")[0].full_name == "Phường Phú Thuỷ"
    assert selectors.unit_search(query="phú thủy", level="commune")[0].full_name == "Phường Phú Thuỷ"
    assert not selectors.unit_search(query="   ").exists()


# The kind each unit type's name starts with, as the decisions naming the units write it.
KIND_OF_TYPE = {
    "tinh": "Tỉnh", "tp_tw": "Thành phố", "huyen": "Huyện", "quan": "Quận", "thi_xa": "Thị xã",
    "tp_thuoc_tinh": "Thành phố", "xa": "Xã", "phuong": "Phường", "thi_tran": "Thị trấn", "dac_khu": "Đặc khu",
}  # fmt: skip


def test_every_unit_is_named_with_its_kind_as_the_state_writes_it():
    """All 14,165 units (the 3,321 current communes among them): the full name starts with its type's kind, capital
    first ("Xã Bắc Sơn", not "xã Bắc Sơn"; "Thành phố Đồng Hới", not "Thành Phố"); the short name is the rest, except a
    numbered unit's, which keeps its kind ("Phường 1 Bảo Lộc", "Quận 1", not "1 Bảo Lộc", "1")."""
    units = list(AdminUnit.objects.values_list("unit_type", "full_name", "name", "level", "valid_to"))
    assert len(units) == 14_165
    assert sum(1 for *_, level, valid_to in units if level == "commune" and valid_to is None) == 3_321
    wrong = []
    for unit_type, full_name, name, _level, _to in units:
        kind = KIND_OF_TYPE[unit_type]
        rest = full_name[len(kind) + 1 :]
        expected = full_name if rest[:1].isdigit() else rest
        if not full_name.startswith(kind + " ") or name != expected or "  " in full_name or rest != rest.strip():
            wrong.append((unit_type, full_name, name))
    assert wrong == []
    named = dict(AdminUnit.objects.filter(valid_to__isnull=True).values_list("code", "full_name"))
    assert named["06325"] == "Xã Bắc Sơn"
    bao_loc = AdminUnit.objects.get(valid_to__isnull=True, level="commune", full_name="Phường 1 Bảo Lộc")
    assert bao_loc.name == "Phường 1 Bảo Lộc"
    assert AdminUnit.objects.get(level="district", code="760").name == "Quận 1"
    assert AdminUnit.objects.get(level="district", code="450").full_name == "Thành phố Đồng Hới"


@pytest.mark.parametrize(
    ("given", "full", "short"),
    [
        ("xã Bắc Sơn", "Xã Bắc Sơn", "Bắc Sơn"),
        ("Thành Phố Bắc Kạn", "Thành phố Bắc Kạn", "Bắc Kạn"),
        ("Phường 1 Bảo Lộc", "Phường 1 Bảo Lộc", "Phường 1 Bảo Lộc"),
        ("Quận 10", "Quận 10", "Quận 10"),
        ("Thị xã  Sơn Tây ", "Thị xã Sơn Tây", "Sơn Tây"),
        ("Xã Đa\u0301c Lắk", "Xã Đác Lắk", "Đác Lắk"),  # NFD from a Mac
        ("Đặc khu Phú Quốc", "Đặc khu Phú Quốc", "Phú Quốc"),
        ("Côn Đảo", "Côn Đảo", "Côn Đảo"),
    ],
)
def test_unit_names(given, full, short):
    from khuyencong.geography.names import unit_names

    assert unit_names(given) == (full, short)
