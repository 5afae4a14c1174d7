"""Realistic demo establishments: `--scale province` for `make run`, `--scale national` (1,000,000) for benchmarks.

Names, owners, products and industries are drawn from Vietnamese rural-industry vocabulary with a fixed seed, so the
same command gives the same data. One record in five is placed in the commune it had before 1/7/2025.
"""

import random
from collections.abc import Iterator
from typing import Any

from django.db import transaction

from khuyencong.core.bulk import db_datetime, insert_history, insert_rows, next_id, reset_sequence
from khuyencong.core.text import fold
from khuyencong.geography.models import AdminUnit, AdminUnitSuccession
from khuyencong.policy.models import Industry

from .choices import LegalForm, Source, Status
from .models import Establishment, EstablishmentYear
from .search import bulk_index
from .services import search_key

REASON = "Dữ liệu minh họa"

SURNAMES = [
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Huỳnh",
    "Phan",
    "Vũ",
    "Võ",
    "Đặng",
    "Bùi",
    "Đỗ",
    "Hồ",
    "Ngô",
    "Dương",
    "Lý",
    "Đinh",
    "Lương",
    "Hà",
    "Tạ",
    "Mai",
    "Cao",
    "Quách",
    "Lò",
    "K'",
    "Y",
]
MALE_MIDDLE = ["Văn", "Đức", "Minh", "Quang", "Hữu", "Công", "Xuân", "Thanh", "Ngọc"]
FEMALE_MIDDLE = ["Thị", "Thu", "Ngọc", "Thanh", "Kim", "Hồng", "Mai"]
MALE_NAMES = [
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hải",
    "Hùng",
    "Khánh",
    "Long",
    "Minh",
    "Nam",
    "Phong",
    "Quân",
    "Sơn",
    "Thắng",
    "Tuấn",
    "Việt",
    "Hòa",
    "Thủy",
    "Lộc",
    "Phúc",
    "Tài",
    "Đạt",
]
FEMALE_NAMES = [
    "Anh",
    "Bích",
    "Chi",
    "Dung",
    "Hà",
    "Hạnh",
    "Hoa",
    "Hương",
    "Lan",
    "Linh",
    "Mai",
    "Nga",
    "Oanh",
    "Phương",
    "Quyên",
    "Thảo",
    "Trang",
    "Tuyết",
    "Vân",
    "Yến",
    "Hòa",
    "Thủy",
]
PLACE_WORDS = [
    "Phú",
    "Tân",
    "An",
    "Hòa",
    "Thịnh",
    "Hưng",
    "Phát",
    "Thành",
    "Lộc",
    "Minh",
    "Đức",
    "Vĩnh",
    "Long",
    "Bình",
    "Xuân",
    "Thuận",
    "Hải",
    "Sơn",
    "Trung",
    "Nam",
    "Việt",
    "Hồng",
    "Kim",
    "Quang",
]
# (VSIC group, product phrase, products)
TRADES = [
    ("107", "bánh tráng", "Bánh tráng, bánh phở"),
    ("107", "bún, bánh phở", "Bún tươi, bánh phở"),
    ("106", "xay xát lúa gạo", "Gạo xay xát"),
    ("103", "chế biến nông sản", "Cà phê rang xay, hạt điều"),
    ("107", "chế biến chè", "Chè xanh, chè búp khô"),
    ("102", "chế biến hải sản", "Nước mắm, cá khô"),
    ("110", "sản xuất rượu", "Rượu cần, rượu gạo"),
    ("101", "giết mổ, chế biến thịt", "Giò chả, lạp xưởng"),
    ("108", "thức ăn chăn nuôi", "Thức ăn gia súc"),
    ("131", "dệt thổ cẩm", "Khăn, váy thổ cẩm"),
    ("139", "dệt chiếu", "Chiếu cói"),
    ("141", "may mặc", "Quần áo may sẵn"),
    ("152", "giày dép", "Giày da, dép"),
    ("161", "cưa xẻ gỗ", "Gỗ xẻ, ván ghép"),
    ("162", "mây tre đan", "Rổ, rá, đồ mây tre đan xuất khẩu"),
    ("310", "đồ gỗ mỹ nghệ", "Bàn ghế, tủ gỗ"),
    ("222", "sản phẩm nhựa", "Bao bì nhựa"),
    ("239", "gốm sứ", "Gốm mỹ nghệ, gạch ngói"),
    ("239", "vật liệu xây dựng không nung", "Gạch không nung"),
    ("259", "cơ khí", "Máy nông cụ, khung nhà thép"),
    ("259", "rèn", "Dao, kéo, nông cụ cầm tay"),
    ("282", "chế tạo máy nông nghiệp", "Máy sấy nông sản, máy tuốt lúa"),
    ("321", "kim hoàn", "Trang sức bạc"),
    ("329", "sơn mài", "Tranh sơn mài"),
    ("329", "thêu ren", "Tranh thêu, khăn thêu"),
    ("331", "sửa chữa máy móc", "Sửa chữa máy nông nghiệp"),
]
FORMS = [
    (LegalForm.HOUSEHOLD_BUSINESS, 60, "Cơ sở"),
    (LegalForm.MICRO_ENTERPRISE, 18, "Công ty TNHH"),
    (LegalForm.SMALL_ENTERPRISE, 8, "Công ty TNHH"),
    (LegalForm.MEDIUM_ENTERPRISE, 2, "Công ty cổ phần"),
    (LegalForm.COOPERATIVE, 8, "Hợp tác xã"),
    (LegalForm.COOPERATIVE_UNION, 1, "Liên hiệp hợp tác xã"),
    (LegalForm.COOPERATIVE_GROUP, 3, "Tổ hợp tác"),
]
ADDRESS_KINDS = ["Thôn", "Ấp", "Bản", "Tổ dân phố", "Xóm", "Buôn"]
COLUMNS = [
    "id",
    "name",
    "legal_form",
    "tax_code",
    "owner_name",
    "owner_gender",
    "owner_ethnic_minority",
    "phone",
    "email",
    "address",
    "commune_recorded_id",
    "commune_id",
    "province_id",
    "craft_village_id",
    "main_industry_id",
    "eligible_group_id",
    "main_products",
    "employees_total",
    "employees_female",
    "employees_ethnic_minority",
    "status",
    "status_since",
    "source",
    "import_key",
    "latitude",
    "longitude",
    "name_folded",
    "owner_folded",
    "phone_digits",
    "search_folded",
    "version",
    "created_at",
    "updated_at",
]
YEAR_COLUMNS = [
    "id",
    "establishment_id",
    "year",
    "revenue_vnd",
    "production_value_vnd",
    "export_value_vnd",
    "employees",
    "capacity",
]


def _person(rng: random.Random) -> tuple[str, str]:
    female = rng.random() < 0.45
    middle = rng.choice(FEMALE_MIDDLE if female else MALE_MIDDLE)
    given = rng.choice(FEMALE_NAMES if female else MALE_NAMES)
    return f"{rng.choice(SURNAMES)} {middle} {given}".replace("K' ", "K'").replace(
        "Y ", "Y "
    ), "female" if female else "male"


def _rows(
    rng: random.Random,
    count: int,
    communes: list[AdminUnit],
    start_id: int,
    old_of: dict[int, list[int]],
    industries: dict[str, tuple[int, int | None]],
    tax_base: int,
) -> Iterator[tuple]:
    weights = [w for _f, w, _p in FORMS]
    now = db_datetime(Establishment)
    tax_forms = {
        LegalForm.MICRO_ENTERPRISE,
        LegalForm.SMALL_ENTERPRISE,
        LegalForm.MEDIUM_ENTERPRISE,
        LegalForm.COOPERATIVE,
        LegalForm.COOPERATIVE_UNION,
    }
    for offset in range(count):
        pk = start_id + offset
        commune = communes[rng.randrange(len(communes))]
        form, _w, prefix = rng.choices(FORMS, weights)[0]
        group, trade, products = rng.choice(TRADES)
        owner, gender = _person(rng)
        place = f"{rng.choice(PLACE_WORDS)} {rng.choice(PLACE_WORDS)}"
        if form == LegalForm.HOUSEHOLD_BUSINESS:
            name = f"{prefix} {trade} {owner.split()[-1]} {place}" if rng.random() < 0.5 else f"Hộ kinh doanh {owner}"
        else:
            name = f"{prefix} {trade} {place}"
        tax = (
            f"{tax_base + offset:010d}"
            if form in tax_forms
            else (f"{commune.code}-{pk}" if rng.random() < 0.4 else None)
        )
        phone = f"09{rng.randrange(10**8):08d}" if rng.random() < 0.85 else ""
        address = f"{rng.choice(ADDRESS_KINDS)} {rng.randrange(1, 15)}"
        employees = max(1, int(rng.lognormvariate(1.8 if form == LegalForm.HOUSEHOLD_BUSINESS else 3.0, 0.8)))
        female = rng.randrange(0, employees + 1)
        minority = rng.randrange(0, employees + 1) if rng.random() < 0.2 else 0
        recorded = commune.pk
        olds = old_of.get(commune.pk)
        if olds and rng.random() < 0.2:
            recorded = rng.choice(olds)
        industry_id, group_id = industries[group]
        status = rng.choices([Status.ACTIVE, Status.SUSPENDED, Status.CLOSED], [92, 5, 3])[0]
        name_folded, owner_folded = fold(name), fold(owner)
        search = search_key(
            name_folded=name_folded, tax_code=tax, owner_folded=owner_folded, address=address, phone_digits=phone
        )
        yield (
            pk,
            name,
            form,
            tax,
            owner,
            gender,
            minority > 0 and rng.random() < 0.5,
            phone,
            "",
            address,
            recorded,
            commune.pk,
            commune.province_id,
            None,
            industry_id,
            group_id,
            products,
            employees,
            female,
            minority,
            status,
            None,
            rng.choice([Source.SURVEY, Source.COLLABORATOR, Source.REGISTRATION]),
            None,
            None,
            None,
            name_folded,
            owner_folded,
            phone,
            search,
            1,
            now,
            now,
        )


def generate(
    *,
    scale: str,
    seed: int = 42,
    count: int | None = None,
    province_codes: list[str] | None = None,
    progress: Any = None,
) -> dict[str, int]:
    """Create demo establishments (and yearly figures for a third of them); returns the counts written."""
    rng = random.Random(seed)
    communes_qs = AdminUnit.objects.filter(level="commune", valid_to__isnull=True)
    if scale == "province":
        province_codes = province_codes or ["68", "01"]
        count = count or 3000
    else:
        count = count or 1_000_000
    if province_codes:
        communes_qs = communes_qs.filter(province__code__in=province_codes)
    communes = list(communes_qs.order_by("code"))
    old_of: dict[int, list[int]] = {}
    for old_id, new_id in AdminUnitSuccession.objects.filter(
        is_primary=True, predecessor__level="commune", successor__in=communes_qs
    ).values_list("predecessor_id", "successor_id"):
        old_of.setdefault(new_id, []).append(old_id)
    industries = {
        code: (pk, group) for pk, code, group in Industry.objects.values_list("id", "code", "eligible_group_id")
    }
    start = next_id(Establishment)
    tax_base = 4_000_000_000 + start * 3
    written = {"establishments": 0, "years": 0}
    with transaction.atomic(), bulk_index(start, rebuild=count > 20_000):
        chunk_size = 50_000
        done = 0
        while done < count:
            size = min(chunk_size, count - done)
            rows = list(_rows(rng, size, communes, start + done, old_of, industries, tax_base + done))
            insert_rows(Establishment, COLUMNS, rows)
            insert_history(Establishment, COLUMNS, rows, reason=REASON)
            written["establishments"] += len(rows)
            written["years"] += _years(rng, rows)
            done += size
            if progress:
                progress(done, count)
    with transaction.atomic():
        reset_sequence(Establishment)
        reset_sequence(EstablishmentYear)
    return written


def _years(rng: random.Random, rows: list[tuple]) -> int:
    chosen = [row for row in rows if rng.random() < 0.33]
    start = next_id(EstablishmentYear)
    years: list[tuple] = []
    for row in chosen:
        base = rng.randrange(200, 20_000) * 1_000_000
        for year in (2023, 2024):
            growth = 1 + rng.uniform(-0.1, 0.25) if year == 2024 else 1
            revenue = int(base * growth)
            years.append(
                (
                    start + len(years),
                    row[0],
                    year,
                    revenue,
                    int(revenue * 0.8),
                    int(revenue * 0.2) if rng.random() < 0.1 else 0,
                    row[17],
                    "",
                )
            )
    insert_rows(EstablishmentYear, YEAR_COLUMNS, years)
    insert_history(EstablishmentYear, YEAR_COLUMNS, years, reason=REASON)
    return len(years)
