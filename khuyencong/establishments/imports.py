"""Import of establishments from .xlsx, .xls, .ods and .csv files: a dry run that classifies every row, then an
atomic commit of the accepted rows, recorded in history with the file name.

Rows are classified as new, update (matched by tax code or by the row's import id), possible duplicate (same name in
the same commune, or the same phone) or error (with the row number, the column and a Vietnamese reason). Vietnamese
numbers and dates, NFD text, stray spaces, formula cells (their values), merged title cells and blank rows are
accepted.
"""

import datetime
import logging
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from khuyencong.core import sheets
from khuyencong.core.bulk import insert_history, insert_rows, reserve_ids, rows_of, rows_where_in
from khuyencong.core.exceptions import ApplicationError, ErrorCode
from khuyencong.core.formatting import format_number as number_text
from khuyencong.core.formatting import parse_number
from khuyencong.core.history import bulk_update_with_history
from khuyencong.core.phones import phone_problem
from khuyencong.core.scoping import in_scope
from khuyencong.core.sheets import SheetLimits, Table, check_name_and_size
from khuyencong.core.text import fold, without_controls
from khuyencong.geography.models import AdminUnit, AdminUnitSuccession
from khuyencong.policy.models import Industry

from .choices import TAX_CODE_FORMS, Gender, LegalForm, Source, Status
from .models import DuplicateFlag, Establishment, ImportBatch
from .search import bulk_index
from .services import TAX_CODE_RE, derive, derived_keys, phone_digits

MAX_BYTES = 25 * 1024 * 1024
MAX_ROWS = 200_000
MAX_COLUMNS = 200
BACKGROUND_ROWS = 2_000
REPORT_LIMIT = 2_000
#: a check or save that shows no progress for this long was interrupted (its worker died): it is given up
STALE_AFTER = datetime.timedelta(minutes=15)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    help: str
    aliases: tuple[str, ...] = ()


COLUMNS = [
    Column("import_key", "Mã nhập", False, "Mã của dòng trong hệ thống của bạn (tùy chọn); dùng để cập nhật lần sau."),
    Column("name", "Tên cơ sở", True, "Tên đầy đủ của cơ sở."),
    Column(
        "legal_form",
        "Loại hình",
        True,
        "Một trong: " + "; ".join(str(label) for _v, label in LegalForm.choices) + ".",
        ("loai hinh co so",),
    ),
    Column(
        "tax_code",
        "Mã số thuế / số ĐKKD",
        False,
        "Doanh nghiệp, HTX: 10 chữ số hoặc 10 chữ số-3 chữ số (chi nhánh). Hộ kinh doanh: số đăng ký bất kỳ.",
        ("ma so thue", "mst", "so dkkd"),
    ),
    Column("owner_name", "Chủ cơ sở / người đại diện", False, "Họ và tên.", ("chu co so", "nguoi dai dien")),
    Column("owner_gender", "Giới tính chủ cơ sở", False, "Nam hoặc Nữ.", ("gioi tinh",)),
    Column("owner_ethnic_minority", "Chủ cơ sở là người DTTS", False, "Có hoặc để trống.", ("dan toc thieu so",)),
    Column("phone", "Điện thoại", False, "Số điện thoại.", ("so dien thoai", "dien thoai lien he")),
    Column("email", "Thư điện tử", False, "Địa chỉ thư điện tử.", ("email", "e-mail")),
    Column("address", "Địa chỉ", False, "Số nhà, thôn, ấp… (không cần ghi xã, tỉnh).", ("dia chi san xuat",)),
    Column(
        "commune_code",
        "Mã xã",
        False,
        "Mã đơn vị hành chính cấp xã (5 chữ số). Nếu có mã thì không cần tên xã, tỉnh.",
        ("ma xa (hien nay)", "ma don vi hanh chinh"),
    ),
    Column(
        "commune_name",
        "Xã, phường",
        False,
        "Tên xã, phường, đặc khu nơi sản xuất (có hoặc không có chữ “Xã”, “Phường”).",
        ("xa, phuong (hien nay)", "xa/phuong", "xa phuong"),
    ),
    Column("province_name", "Tỉnh, thành phố", False, "Tên tỉnh, thành phố.", ("tinh", "tinh/thanh pho")),
    Column(
        "recorded_on",
        "Ngày ghi nhận",
        False,
        "dd/mm/yyyy. Với số liệu trước 01/07/2025, dùng để tìm xã theo địa giới cũ.",
        ("ngay",),
    ),
    Column("industry_code", "Mã ngành VSIC", False, "Mã ngành kinh tế VSIC 2018 (2 đến 5 chữ số).", ("ma nganh",)),
    Column("main_products", "Sản phẩm chính", False, "Các sản phẩm chính, cách nhau bằng dấu phẩy."),
    Column("employees_total", "Tổng số lao động", False, "Số nguyên, ví dụ 1.920.", ("so lao dong", "lao dong")),
    Column("employees_female", "Lao động nữ", False, "Số nguyên, không lớn hơn tổng số lao động."),
    Column("employees_ethnic_minority", "Lao động dân tộc thiểu số", False, "Số nguyên.", ("lao dong dtts",)),
    Column(
        "status",
        "Trạng thái",
        False,
        "Đang hoạt động, Tạm ngừng hoạt động hoặc Đã ngừng hoạt động; để trống là đang hoạt động.",
    ),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
HEADER_KEYS = {fold(c.header): c.key for c in COLUMNS} | {alias: c.key for c in COLUMNS for alias in c.aliases}

LEGAL_FORM_WORDS = {
    **{fold(str(label)): value for value, label in LegalForm.choices},
    **{value.replace("_", " "): value for value in LegalForm.values},
    "doanh nghiep sieu nho": LegalForm.MICRO_ENTERPRISE,
    "dn sieu nho": LegalForm.MICRO_ENTERPRISE,
    "doanh nghiep nho": LegalForm.SMALL_ENTERPRISE,
    "dn nho": LegalForm.SMALL_ENTERPRISE,
    "doanh nghiep vua": LegalForm.MEDIUM_ENTERPRISE,
    "dn vua": LegalForm.MEDIUM_ENTERPRISE,
    "hop tac xa": LegalForm.COOPERATIVE,
    "htx": LegalForm.COOPERATIVE,
    "lien hiep hop tac xa": LegalForm.COOPERATIVE_UNION,
    "lien hiep htx": LegalForm.COOPERATIVE_UNION,
    "to hop tac": LegalForm.COOPERATIVE_GROUP,
    "ho kinh doanh": LegalForm.HOUSEHOLD_BUSINESS,
    "hkd": LegalForm.HOUSEHOLD_BUSINESS,
    "ho san xuat": LegalForm.HOUSEHOLD_BUSINESS,
}
STATUS_WORDS = {
    "": Status.ACTIVE,
    "dang hoat dong": Status.ACTIVE,
    "hoat dong": Status.ACTIVE,
    "tam ngung": Status.SUSPENDED,
    "tam ngung hoat dong": Status.SUSPENDED,
    "da ngung hoat dong": Status.CLOSED,
    "ngung hoat dong": Status.CLOSED,
    "giai the": Status.CLOSED,
    "da dong cua": Status.CLOSED,
    **{fold(str(label)): value for value, label in Status.choices},
}
YES = {"co", "x", "1", "true", "yes", "dung", "phai"}
NO = {"", "khong", "0", "false", "no"}


# ---- reading files ------------------------------------------------------------------------------------------------


def _refuse(message: str) -> ApplicationError:
    return ApplicationError(ErrorCode.FILE_REFUSED, message, field="file")


def limits(*, max_seconds: int | None = None) -> SheetLimits:
    """The import's limits (read at each call, so that tests and settings can change them)."""
    return SheetLimits(max_bytes=MAX_BYTES, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_seconds=max_seconds)


def check_upload(name: str, size: int) -> None:
    """Refuse by name and size before reading anything."""
    check_name_and_size(name, size, limits())


def read_table(path: Path, name: str, *, max_seconds: int | None = None) -> Table:
    """All rows of the file's first sheet as Python values (formulas give their computed values), read out of
    process under the memory limit (`core.sheets`), and what the user should know about how it was read."""
    return sheets.read_table(path, name, limits=limits(max_seconds=max_seconds))


def find_header(rows: list[list[Any]]) -> tuple[int, dict[int, str]]:
    """The header row (among the first 15) and which column holds which field; title rows above are skipped."""
    best: tuple[int, dict[int, str]] = (-1, {})
    for index, row in enumerate(rows[:15]):
        mapping: dict[int, str] = {}
        for position, cell in enumerate(row):
            key = HEADER_KEYS.get(fold(str(cell or "")).rstrip(" *:"))
            if key and key not in mapping.values():
                mapping[position] = key
        if len(mapping) > len(best[1]):
            best = (index, mapping)
    if "name" not in best[1].values():
        raise _refuse(_("No header row with a “Tên cơ sở” column was found. Use the template."))
    return best


# ---- values ---------------------------------------------------------------------------------------------------------


class CellError(Exception):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if value.__class__ is str:  # the common case, without conversion
        text = value if value.isascii() else unicodedata.normalize("NFC", value)
    else:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = unicodedata.normalize("NFC", str(value))
    if not text.isprintable():
        text = without_controls(text)  # a cell written "_x0001_" (NUL too: PostgreSQL refuses it)
    return " ".join(text.split())


def _code(value: Any, width: int) -> str:
    text = _text(value)
    if text.isdigit() and len(text) < width:
        text = text.zfill(width)  # Excel drops leading zeros of codes typed as numbers
    return text


def _integer(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if value.__class__ is str and value.isdigit() and value.isascii():
        return int(value)
    if isinstance(value, bool):
        raise CellError(_("must be a whole number"))
    number: Any
    if isinstance(value, int | float):
        number = value
    else:
        try:
            number = parse_number(str(value))
        except ValueError as exc:
            raise CellError(_("“%(v)s” is not a number") % {"v": value}) from exc
    if number != int(number):
        raise CellError(_("must be a whole number, not %(v)s") % {"v": str(value)})
    if number < 0:
        raise CellError(_("cannot be negative"))
    return int(number)


def _date(value: Any) -> datetime.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = _text(value)
    for pattern in ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
    raise CellError(_("“%(v)s” is not a date (dd/mm/yyyy)") % {"v": text})


def _choice(value: Any, words: dict[str, str], what: Any) -> str:
    key = fold(_text(value))
    if key in words:
        return words[key]
    raise CellError(_("“%(v)s” is not a known %(what)s") % {"v": _text(value), "what": what})


# ---- geography lookups (cached per file) -----------------------------------------------------------------------------


class Places:
    """Every commune and province loaded once per file, so that resolving a row costs no query."""

    def __init__(self) -> None:
        units = list(
            AdminUnit.objects.filter(level__in=("commune", "province")).only(
                "id", "level", "code", "name", "full_name", "province_id", "valid_from", "valid_to"
            )
        )
        self.by_code: dict[str, list[AdminUnit]] = {}
        self.provinces: list[AdminUnit] = []
        self.communes_in: dict[int, list[AdminUnit]] = {}
        for unit in units:
            if unit.level == "province":
                self.provinces.append(unit)
            else:
                self.by_code.setdefault(unit.code, []).append(unit)
                self.communes_in.setdefault(unit.province_id or 0, []).append(unit)
        by_pk = {u.pk: u for u in units}
        self.successor: dict[int, AdminUnit] = {
            old: by_pk[new]
            for old, new in AdminUnitSuccession.objects.filter(is_primary=True).values_list(
                "predecessor_id", "successor_id"
            )
            if new in by_pk
        }
        self.names_of: dict[int, dict[str, list[AdminUnit]]] = {}

    def commune(self, code: str, commune_name: str, province_name: str, on: datetime.date) -> AdminUnit:
        if code:
            units = self.by_code.get(code, [])
            matching = [u for u in units if u.is_valid_on(on)] or units
            if not matching:
                raise CellError(_("no commune has the code %(code)s") % {"code": code})
            return matching[0]
        if not commune_name or not province_name:
            raise CellError(_("give the commune code, or the commune and province names"))
        province = self._province(province_name, on)
        key = fold(commune_name)
        found = self._names(province).get(key) or []
        if not found:
            # A commune of the date named with today's province (or the reverse): looked for among the provinces
            # that became, or come from, the named one.
            found = [u for other in self._family(province) for u in self._names(other).get(key) or []]
        if not found:
            raise CellError(_("no commune “%(c)s” in %(p)s") % {"c": commune_name, "p": province.full_name})
        if len(found) > 1:
            found = [u for u in found if u.is_valid_on(on)] or found
        if len(found) > 1:
            raise CellError(_("several communes are called “%(c)s”; give the commune code") % {"c": commune_name})
        return found[0]

    def _family(self, province: AdminUnit) -> list[AdminUnit]:
        """The other provinces merged into the same province of today as `province`."""
        today_of = self.successor.get(province.pk, province)
        return [
            p
            for p in self.provinces
            if p.pk != province.pk and (p.pk == today_of.pk or self.successor.get(p.pk, p).pk == today_of.pk)
        ]

    def _province(self, name: str, on: datetime.date) -> AdminUnit:
        key = fold(name)
        named = [p for p in self.provinces if key in (fold(p.name), fold(p.full_name))]
        matches = [p for p in named if p.is_valid_on(on)] or named
        if not matches:
            raise CellError(_("no province “%(p)s”") % {"p": name})
        return matches[0]

    def _names(self, province: AdminUnit) -> dict[str, list[AdminUnit]]:
        if province.pk not in self.names_of:
            names: dict[str, list[AdminUnit]] = {}
            for unit in self.communes_in.get(province.pk, []):
                for key in {fold(unit.name), fold(unit.full_name)}:
                    names.setdefault(key, []).append(unit)
            self.names_of[province.pk] = names
        return self.names_of[province.pk]

    def current_commune(self, recorded: AdminUnit) -> AdminUnit:
        if recorded.valid_to is None:
            return recorded
        current = self.successor.get(recorded.pk)
        if current is None:
            raise CellError(_("%(u)s has no current successor") % {"u": recorded.full_name})
        return current


# ---- classification -----------------------------------------------------------------------------------------------

NEW, UPDATE, DUPLICATE, CONFLICT, ERROR = "new", "update", "duplicate", "conflict", "error"
#: what the user may decide for a row matching an existing record by tax code under another name and place
DECISIONS = ("update", "skip", "new")


@dataclass
class RowResult:
    row: int
    status: str
    name: str = ""
    errors: list[dict[str, str]] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    match_id: int | None = None
    duplicate_of: int | None = None
    warnings: list[dict[str, str]] = field(default_factory=list)
    #: for a row matching an existing record: [{"field", "old", "new"}] of what the row would change
    diff: list[dict[str, str]] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "status": self.status,
            "name": self.name,
            "errors": self.errors,
            "warnings": self.warnings,
            "diff": self.diff,
            "match_id": self.match_id,
            "duplicate_of": self.duplicate_of,
        }


def _industry_code(value: Any) -> str:
    """A VSIC code as files write it: 1077, "10770", "C10770", "10.77", 1077.0. A code typed with a dot and kept by
    Excel as a decimal number (10.70 became 10.7) cannot be told from a group and is refused."""
    if isinstance(value, float) and not value.is_integer():
        raise CellError(
            _("write the VSIC code as text without a dot (Excel turned “%(v)s” into a number)") % {"v": value}
        )
    text = re.sub(r"\s", "", _text(value))
    if text[:1] in ("C", "c") and text[1:].replace(".", "").isdigit():
        text = text[1:]
    if "." in text:
        if not re.fullmatch(r"\d{2}\.\d{2,3}", text):
            raise CellError(_("“%(v)s” is not a VSIC code") % {"v": text})
        text = text.replace(".", "")
    return text.zfill(2) if text.isdigit() and len(text) < 2 else text


# What is beyond belief for a household business or any rural establishment: the import's own plausibility bounds
# (not regulations; the enterprise sizes are dated policy data, `policy.selectors.enterprise_size_limits`). Warnings:
# the row is kept.
PLAUSIBLE_MOST_EMPLOYEES: dict[str, int] = {LegalForm.HOUSEHOLD_BUSINESS.value: 200}
UNBELIEVABLE_EMPLOYEES = 20_000


def employee_limits(on: datetime.date) -> dict[str, int]:
    """The most employees a record of each legal form may plausibly have on `on`."""
    from khuyencong.policy.selectors import enterprise_size_limits

    return {**PLAUSIBLE_MOST_EMPLOYEES, **enterprise_size_limits(on)}


def _plausibility(values: dict[str, Any], warn: Any, limits: dict[str, int]) -> None:
    total, form = values.get("employees_total"), values.get("legal_form")
    if total is None:
        return
    if total > UNBELIEVABLE_EMPLOYEES:
        warn(
            "employees_total",
            _("%(n)s employees is beyond belief for a rural establishment: check the figure")
            % {"n": number_text(total)},
        )
    elif form in limits and total > limits[form]:
        warn(
            "employees_total",
            _("%(n)s employees is more than a %(form)s has (at most %(m)s): check the figure or the legal form")
            % {"n": number_text(total), "form": LegalForm(form).label.lower(), "m": number_text(limits[form])},
        )


def _parse_row(
    number: int,
    cells: dict[str, Any],
    places: Places,
    industries: dict[str, int],
    today: datetime.date,
    limits: dict[str, int],
) -> RowResult:
    result = RowResult(row=number, status=NEW)
    # The cells the row fills: an update changes only these (a blank cell, or a column the file lacks, leaves the
    # record's value as it is).
    values: dict[str, Any] = {"given": [k for k, v in cells.items() if v is not None and str(v).strip() != ""]}

    def fail(key: str, message: str) -> None:
        result.errors.append({"column": COLUMN_BY_KEY[key].header, "message": message})

    def warn(key: str, message: str) -> None:
        result.warnings.append({"column": COLUMN_BY_KEY[key].header, "message": message})

    name = _text(cells.get("name"))
    result.name = name
    if len(name) < 2:
        fail("name", _("the name is missing"))
    values["name"] = name
    values["name_folded"] = fold(name)
    try:
        values["legal_form"] = _choice(cells.get("legal_form"), LEGAL_FORM_WORDS, gettext_lazy("legal form"))
    except CellError as error:
        fail("legal_form", str(error))
    tax = re.sub(r"\s+", "", _text(cells.get("tax_code"))) or None
    if tax and tax.isdigit() and len(tax) == 9 and isinstance(cells.get("tax_code"), int | float):
        tax = "0" + tax  # a tax code typed as a number lost its leading zero (codes of provinces 01–09)
    if tax and values.get("legal_form") in TAX_CODE_FORMS and not TAX_CODE_RE.match(tax):
        fail("tax_code", _("“%(v)s” is not a tax code (10 digits, or 10-3 for a branch)") % {"v": tax})
    values["tax_code"] = tax
    values["import_key"] = _text(cells.get("import_key"))[:64] or None
    for key in ("owner_name", "phone", "address", "main_products"):
        values[key] = _text(cells.get(key))[:255] if key != "main_products" else _text(cells.get(key))
    email = _text(cells.get("email"))
    if email and not re.match(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", email):
        fail("email", _("“%(v)s” is not an e-mail address") % {"v": email})
    values["email"] = email
    gender = fold(_text(cells.get("owner_gender")))
    if gender in ("nam",):
        values["owner_gender"] = Gender.MALE
    elif gender in ("nu",):
        values["owner_gender"] = Gender.FEMALE
    elif gender == "":
        values["owner_gender"] = Gender.UNKNOWN
    else:
        fail("owner_gender", _("write Nam or Nữ"))
    minority = fold(_text(cells.get("owner_ethnic_minority")))
    if minority in YES or minority in NO:
        values["owner_ethnic_minority"] = minority in YES
    else:
        fail("owner_ethnic_minority", _("write Có or leave it empty"))
    for key in ("employees_total", "employees_female", "employees_ethnic_minority"):
        try:
            values[key] = _integer(cells.get(key))
        except CellError as error:
            fail(key, str(error))
    total = values.get("employees_total")
    for key in ("employees_female", "employees_ethnic_minority"):
        if total is not None and values.get(key) is not None and values[key] > total:
            fail(key, _("is larger than the total number of employees (%(t)s)") % {"t": total})
    try:
        values["status"] = _choice(cells.get("status"), STATUS_WORDS, gettext_lazy("status"))
    except CellError as error:
        fail("status", str(error))
    recorded_on = None
    try:
        recorded_on = _date(cells.get("recorded_on"))
    except CellError as error:
        fail("recorded_on", str(error))
    on = recorded_on or today
    try:
        recorded = places.commune(
            _code(cells.get("commune_code"), 5),
            _text(cells.get("commune_name")),
            _text(cells.get("province_name")),
            on,
        )
        current = places.current_commune(recorded)
        values["commune_recorded"] = (recorded.pk, recorded.province_id)
        values["commune"] = (current.pk, current.province_id)
    except CellError as error:
        fail("commune_code" if cells.get("commune_code") else "commune_name", str(error))
    try:
        industry = _industry_code(cells.get("industry_code"))
    except CellError as error:
        fail("industry_code", str(error))
        industry = ""
    for key in ("name", "tax_code", "owner_name", "phone", "email", "address", "import_key"):
        longest = getattr(Establishment._meta.get_field(key), "max_length", None)
        if values.get(key) and longest and len(values[key]) > longest:
            fail(key, _("too long: %(n)s characters, at most %(m)s") % {"n": len(values[key]), "m": longest})
    if industry:
        if industry in industries:
            values["main_industry_id"] = industries[industry]
        elif len(industry) == 5 and industry[:4] in industries:
            values["main_industry_id"] = industries[industry[:4]]
            warn(
                "industry_code",
                _("“%(v)s” is not in the VSIC 2018 list; recorded as the class %(c)s")
                % {"v": industry, "c": industry[:4]},
            )
        else:
            fail(
                "industry_code",
                _("“%(v)s” is not a VSIC 2018 code of manufacturing (2 to 5 digits, from 10 to 33)") % {"v": industry},
            )
    _plausibility(values, warn, limits)
    if values.get("phone") and (problem := phone_problem(values["phone"])):
        warn("phone", problem)
    result.values = values
    if result.errors:
        result.status = ERROR
    return result


def _rows_of(
    path: Path, name: str, notes: list[str], max_seconds: int | None = None
) -> tuple[int, Iterator[tuple[int, dict[str, Any]]], int]:
    table = read_table(path, name, max_seconds=max_seconds)
    notes.extend(table.notes)
    header_index, mapping = find_header(table.rows)
    data = table.rows[header_index + 1 :]

    def generate() -> Iterator[tuple[int, dict[str, Any]]]:
        for offset, row in enumerate(data):
            cells = {key: row[pos] if pos < len(row) else None for pos, key in mapping.items()}
            if all(v is None or str(v).strip() == "" for v in cells.values()):
                continue  # blank row
            yield header_index + offset + 2, cells

    count = sum(1 for row in data if any(v is not None and str(v).strip() != "" for v in row))
    return header_index, generate(), count


def parse_file(
    *, path: Path, name: str, notes: list[str] | None = None, max_seconds: int | None = None
) -> list[RowResult]:
    """Read and validate every row on its own (no database writes, no matching with existing records). What the
    user should know about the reading is added to `notes`."""
    _header, rows, _count = _rows_of(path, name, notes if notes is not None else [], max_seconds)
    places = Places()
    industries = dict(Industry.objects.values_list("code", "id"))
    today = timezone.localdate()
    limits = employee_limits(today)
    return [_parse_row(number, cells, places, industries, today, limits) for number, cells in rows]


# The dry run keeps what it parsed beside the file, so that the commit re-checks only what may have changed since
# (existing records, scope) instead of reading and validating the whole file again.
_UNIT_KEYS = ("commune", "commune_recorded")


def _parsed_name(batch: ImportBatch) -> str:
    return f"{batch.file.name}.parsed.json.gz"


def _save_parsed(batch: ImportBatch, results: list[RowResult]) -> None:
    import gzip
    import json

    from django.core.files.base import ContentFile

    rows = [[r.row, r.status, r.name, r.errors, r.values] for r in results]
    payload = gzip.compress(json.dumps(rows, ensure_ascii=False).encode(), compresslevel=1)
    batch.file.storage.save(_parsed_name(batch), ContentFile(payload))


def _load_parsed(batch: ImportBatch) -> list[RowResult] | None:
    import gzip
    import json

    storage, name = batch.file.storage, _parsed_name(batch)
    if not storage.exists(name):
        return None
    with storage.open(name, "rb") as handle:
        rows = json.loads(gzip.decompress(handle.read()))
    results = []
    for row, status, row_name, errors, values in rows:
        for key in _UNIT_KEYS:
            if key in values:
                values[key] = tuple(values[key])
        results.append(RowResult(row=row, status=status, name=row_name, errors=errors, values=values))
    return results


def _rejected_name(batch: ImportBatch) -> str:
    return f"{batch.file.name}.rejected.json.gz"


def _save_rejected(batch: ImportBatch, results: list[RowResult]) -> None:
    """The reasons of every refused row (all of them, not only the report's first rows), for the rejected-rows file."""
    import gzip
    import json

    from django.core.files.base import ContentFile

    reasons = {
        str(r.row): "; ".join(f"{e['column']}: {e['message']}" for e in r.errors) for r in results if r.status == ERROR
    }
    if reasons:
        payload = gzip.compress(json.dumps(reasons, ensure_ascii=False).encode(), compresslevel=1)
        batch.file.storage.save(_rejected_name(batch), ContentFile(payload))


REASON_HEADER = "Lý do không nhận"
EXCEL_CELL_CHARACTERS = 32_767


def _excel_cell(value: Any) -> Any:
    """A cell as Excel can hold it (at most 32.767 characters)."""
    if isinstance(value, str) and len(value) > EXCEL_CELL_CHARACTERS:
        return value[:EXCEL_CELL_CHARACTERS]
    return value


def rejected_rows_file(batch: ImportBatch, target: Any) -> int:
    """Write the refused rows of the file as an .xlsx in the template's columns, as the user typed them, with a last
    column of reasons: fixed and uploaded again, it is read like the template. Returns the number of rows."""
    import gzip
    import json

    from khuyencong.core.xlsx import write_xlsx

    storage, name = batch.file.storage, _rejected_name(batch)
    reasons: dict[str, str] = {}
    if storage.exists(name):
        with storage.open(name, "rb") as handle:
            reasons = json.loads(gzip.decompress(handle.read()))
    path, handle = _local_path(batch)
    try:
        # read within a web request's time, like the dry run of a small file
        _header, rows, _count = _rows_of(path, batch.file_name, [], SYNC_READ_SECONDS)
        keys = [c.key for c in COLUMNS]
        wanted = [
            [_excel_cell(cells.get(key)) for key in keys] + [reasons[str(number)]]
            for number, cells in rows
            if str(number) in reasons
        ]
    finally:
        if handle:
            handle.close()
    headers = [c.header + (" *" if c.required else "") for c in COLUMNS] + [REASON_HEADER]
    return write_xlsx(target, headers, wanted, sheet_name="Cơ sở", widths=[18] * len(COLUMNS) + [60])


def _chunks(items: list[Any], size: int = 500) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _lookup(field: str, values: set[str], *columns: str) -> Iterator[tuple]:
    """Existing records whose `field` is one of the import's `values` (one query for the whole file)."""
    return rows_where_in(Establishment, field, sorted(values), columns)


def _match_existing(user: Any, results: list[RowResult]) -> None:
    valid = [r for r in results if r.status != ERROR]
    tax_codes = {r.values["tax_code"] for r in valid if r.values.get("tax_code")}
    keys = {r.values["import_key"] for r in valid if r.values.get("import_key")}
    matched: set[int] = set()
    by_tax: dict[str, int] = {}
    by_key: dict[str, int] = {}
    for pk, tax in _lookup("tax_code", tax_codes, "id", "tax_code"):
        by_tax[tax] = pk
        matched.add(pk)
    for pk, key in _lookup("import_key", keys, "id", "import_key"):
        by_key[key] = pk
        matched.add(pk)
    # Only the matched records are loaded as objects, for the permission check on each.
    records = {
        e.pk: e
        for chunk in _chunks(sorted(matched), 5000)
        for e in Establishment.objects.filter(pk__in=chunk).only(*_loaded_fields())
    }
    wanted_names = {r.values["name_folded"] for r in valid if "commune" in r.values}
    names: dict[tuple[int, str], int] = {}
    for pk, commune_id, name_folded in _lookup("name_folded", wanted_names, "id", "commune_id", "name_folded"):
        names.setdefault((commune_id, name_folded), pk)
    phones = {phone_digits(r.values.get("phone", "")) for r in valid}
    phones = {p for p in phones if len(p) >= 8}
    by_phone: dict[str, int] = {}
    for digits, pk, commune_id, province_id in _lookup(
        "phone_digits", phones, "phone_digits", "id", "commune_id", "province_id"
    ):
        # A phone shared with a record outside the user's area is not named in the report (nor linked).
        if in_scope(user, _Place((commune_id, province_id))):
            by_phone.setdefault(digits, pk)
    seen_tax: dict[str, int] = {}
    seen_key: dict[str, int] = {}
    labels = _Names()
    written_by: dict[int, int] = {}  # existing record → the first row that would write it
    for result in valid:
        values = result.values
        if "commune" in values and not in_scope(user, _Place(values["commune"])):
            result.errors.append({"column": COLUMN_BY_KEY["commune_name"].header, "message": _("outside your area")})
        tax, key = values.get("tax_code"), values.get("import_key")
        if tax and tax in seen_tax:
            result.errors.append(
                {
                    "column": COLUMN_BY_KEY["tax_code"].header,
                    "message": _("same tax code as row %(r)s") % {"r": seen_tax[tax]},
                }
            )
        if key and key in seen_key:
            result.errors.append(
                {
                    "column": COLUMN_BY_KEY["import_key"].header,
                    "message": _("same import id as row %(r)s") % {"r": seen_key[key]},
                }
            )
        if tax:
            seen_tax.setdefault(tax, result.row)
        if key:
            seen_key.setdefault(key, result.row)
        existing_by_tax, existing_by_key = by_tax.get(tax or ""), by_key.get(key or "")
        if existing_by_tax and existing_by_key and existing_by_tax != existing_by_key:
            result.errors.append(
                {
                    "column": COLUMN_BY_KEY["tax_code"].header,
                    "message": _("the tax code and the import id belong to two different establishments"),
                }
            )
        existing_id = existing_by_key or existing_by_tax
        existing = records.get(existing_id) if existing_id else None
        if existing_id and existing_id in written_by:
            result.errors.append(
                {
                    "column": COLUMN_BY_KEY["tax_code"].header,
                    "message": _("the same establishment as row %(r)s") % {"r": written_by[existing_id]},
                }
            )
        elif existing_id:
            written_by[existing_id] = result.row
        if result.errors:
            result.status = ERROR
            continue
        if existing is not None:
            if not user.has_perm("establishments.change_establishment", existing):
                result.errors.append(
                    {
                        "column": COLUMN_BY_KEY["tax_code"].header,
                        "message": _("matches an establishment outside your area"),
                    }
                )
                result.status = ERROR
                continue
            result.match_id = existing.pk
            result.diff = _diff(existing, values, labels)
            by_tax_only = existing_by_tax and not existing_by_key
            result.status = CONFLICT if by_tax_only and _another_establishment(existing, values) else UPDATE
            continue
        duplicate = names.get((values["commune"][0], values["name_folded"])) or by_phone.get(
            phone_digits(values.get("phone", ""))
        )
        if duplicate:
            result.status, result.duplicate_of = DUPLICATE, duplicate


class _Place:
    """Adapter so that in_scope() can judge a commune before the establishment exists."""

    scope_province_field = "province"
    scope_commune_field = "commune"

    def __init__(self, commune: tuple[int, int]):
        self.commune_id, self.province_id = commune


_DIFF_LOAD = ("id", "province_id", "commune_id", "commune_recorded_id", "main_industry_id", "owner_folded")


def _loaded_fields() -> tuple[str, ...]:
    return (*_DIFF_LOAD, *IMPORTED_FIELDS)


def _another_establishment(existing: Establishment, values: dict[str, Any]) -> bool:
    """Whether a row with the tax code of `existing` looks like another establishment: another name, and another
    commune or another owner. Such a row is not written over the record unless the user says so."""
    if fold(existing.name) == values["name_folded"]:
        return False
    other_place = values["commune_recorded"][0] != existing.commune_recorded_id and values["commune"][0] != (
        existing.commune_id
    )
    owner = fold(values.get("owner_name") or "")
    other_owner = bool(owner and existing.owner_folded and owner != existing.owner_folded)
    return other_place or other_owner


def _shown(key: str, value: Any) -> str:
    if value is None or value == "":
        return ""
    if key == "legal_form":
        return str(LegalForm(value).label)
    if key == "status":
        return str(Status(value).label)
    if key == "owner_gender":
        return str(Gender(value).label)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, int):
        return number_text(value)
    return str(value)


def _diff(existing: Establishment, values: dict[str, Any], names: "_Names") -> list[dict[str, str]]:
    """Field by field, what the row would change in `existing` (only the cells the row fills)."""
    given = set(values.get("given", COLUMN_BY_KEY))
    changes: list[dict[str, str]] = []
    for key in IMPORTED_FIELDS:
        if key not in given or key not in values:
            continue
        old, new = getattr(existing, key), values[key]
        if (old or None) != (new or None) and old != new:
            changes.append({"field": COLUMN_BY_KEY[key].header, "old": _shown(key, old), "new": _shown(key, new)})
    if existing.commune_recorded_id != values["commune_recorded"][0]:
        changes.append(
            {
                "field": COLUMN_BY_KEY["commune_name"].header,
                "old": names.place(existing.commune_recorded_id),
                "new": names.place(values["commune_recorded"][0]),
            }
        )
    industry = values.get("main_industry_id")
    if "industry_code" in given and industry and industry != existing.main_industry_id:
        changes.append(
            {
                "field": COLUMN_BY_KEY["industry_code"].header,
                "old": names.industry(existing.main_industry_id),
                "new": names.industry(industry),
            }
        )
    return changes


class _Names:
    """Communes and industries by id, loaded once per file when the first diff needs them."""

    def __init__(self) -> None:
        self._places: dict[int, str] | None = None
        self._industries: dict[int, str] | None = None

    def place(self, pk: int | None) -> str:
        if self._places is None:
            self._places = {
                pk: f"{name}, {province or ''}".strip(", ")
                for pk, name, province in AdminUnit.objects.filter(level="commune").values_list(
                    "id", "full_name", "province__full_name"
                )
            }
        return self._places.get(pk, "") if pk else ""

    def industry(self, pk: int | None) -> str:
        if self._industries is None:
            self._industries = dict(Industry.objects.values_list("id", "code"))
        return self._industries.get(pk, "") if pk else ""


def _counts(results: list[RowResult]) -> dict[str, int]:
    counts = {NEW: 0, UPDATE: 0, DUPLICATE: 0, CONFLICT: 0, ERROR: 0}
    for result in results:
        counts[result.status] += 1
    return counts


def _report(results: list[RowResult]) -> list[dict[str, Any]]:
    """Every row to decide (tax code of another establishment), error and possible duplicate, then new and updated
    rows up to the report limit."""
    flagged = [r.report() for r in results if r.status == CONFLICT]
    flagged += [r.report() for r in results if r.status in (ERROR, DUPLICATE)]
    others = [r.report() for r in results if r.status in (NEW, UPDATE)]
    return (flagged + others)[:REPORT_LIMIT]


# ---- services -------------------------------------------------------------------------------------------------------


def import_start(*, user: Any, uploaded: Any) -> ImportBatch:
    """Accept an upload (refused at once if its name or size is wrong) and record it for checking."""
    if not user.has_perm("establishments.import_establishments"):
        raise ApplicationError(ErrorCode.PERMISSION_DENIED, _("Your role does not allow importing establishments."))
    check_upload(uploaded.name, uploaded.size)
    batch = ImportBatch(user=user, file_name=Path(uploaded.name).name[:255])
    batch.file.save(Path(uploaded.name).name, uploaded, save=False)
    batch.save()
    return batch


def _local_path(batch: ImportBatch) -> tuple[Path, Any]:
    """A path on disk for the batch's file; storages without one (object storage, memory) are copied to a
    temporary file, closed by the caller."""
    import tempfile

    try:
        path = Path(batch.file.path)
    except NotImplementedError:
        path = None
    if path is not None and path.exists():
        return path, None
    handle = tempfile.NamedTemporaryFile(suffix=Path(batch.file_name).suffix)  # noqa: SIM115 - closed by caller
    with batch.file.open("rb") as source:
        handle.write(source.read())
    handle.flush()
    return Path(handle.name), handle


def _touch(batch_id: Any, **fields: Any) -> None:
    """Record a sign of life (and progress) of a running check or save."""
    ImportBatch.objects.filter(pk=batch_id).update(progress_at=timezone.now(), **fields)


def _check_failed(batch: ImportBatch, message: str) -> ImportBatch:
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.BatchStatus.CHECKING).update(
        status=ImportBatch.BatchStatus.FAILED, error=message, progress_at=timezone.now()
    )
    batch.refresh_from_db()
    return batch


def import_check(*, batch_id: Any, max_seconds: int | None = None) -> ImportBatch:
    """The dry run: classify every row and store the report; writes nothing else. Whatever goes wrong, the batch
    ends checked or failed with a message, never left "checking". `max_seconds` bounds the reading of the file
    (below `KC_IMPORT_SECONDS`) when the check runs in a web request."""
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    if batch.status != ImportBatch.BatchStatus.CHECKING:
        return batch  # checked already (a repeated task), or given up
    _touch(batch.pk)
    handle = None
    notes: list[str] = []
    try:
        path, handle = _local_path(batch)
        results = parse_file(path=path, name=batch.file_name, notes=notes, max_seconds=max_seconds)
        _touch(batch.pk, done_rows=len(results) // 2)
        _save_parsed(batch, results)
        _match_existing(batch.user, results)
        _save_rejected(batch, results)
    except ApplicationError as error:
        return _check_failed(batch, str(error.message))
    except Exception:
        logger.exception("checking the import %s failed", batch.pk)
        return _check_failed(
            batch,
            _(
                "The file could not be checked because of an error on the server. Upload it again; if it happens "
                "again, tell the administrator."
            ),
        )
    finally:
        if handle:
            handle.close()
    ImportBatch.objects.filter(pk=batch.pk, status=ImportBatch.BatchStatus.CHECKING).update(
        status=ImportBatch.BatchStatus.CHECKED,
        total_rows=len(results),
        done_rows=len(results),
        counts=_counts(results),
        report=_report(results),
        notice="\n".join(notes),
        progress_at=timezone.now(),
    )
    batch.refresh_from_db()
    return batch


IMPORTED_FIELDS = [
    "name",
    "legal_form",
    "tax_code",
    "import_key",
    "owner_name",
    "owner_gender",
    "owner_ethnic_minority",
    "phone",
    "email",
    "address",
    "main_products",
    "employees_total",
    "employees_female",
    "employees_ethnic_minority",
    "status",
]


def import_commit_claim(*, batch_id: Any) -> None:
    """Take the batch for saving: one conditional update from "checked" to "saving", so that of several saves of
    the same file asked at once (double clicks, several tabs) exactly one goes on; the others get CONFLICT."""
    claimed = ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.BatchStatus.CHECKED).update(
        status=ImportBatch.BatchStatus.COMMITTING, done_rows=0, error="", progress_at=timezone.now()
    )
    if claimed:
        return
    status = ImportBatch.objects.filter(pk=batch_id).values_list("status", flat=True).first()
    if status in (ImportBatch.BatchStatus.COMMITTING, ImportBatch.BatchStatus.COMMITTED):
        raise ApplicationError(
            ErrorCode.CONFLICT, _("This file is already being saved or has been saved: a file is saved only once.")
        )
    raise ApplicationError(ErrorCode.CONFLICT, _("This file has already been saved or has not been checked."))


def _commit_failed(batch_id: Any, message: str) -> None:
    """Back to "checked" (nothing was written: the transaction rolled back), with the reason."""
    ImportBatch.objects.filter(pk=batch_id, status=ImportBatch.BatchStatus.COMMITTING).update(
        status=ImportBatch.BatchStatus.CHECKED, error=message, progress_at=timezone.now()
    )


def import_commit(*, batch_id: Any, include_duplicates: bool = False, claimed: bool = False) -> ImportBatch:
    """Save every accepted row (new and updates; possible duplicates only if asked) in one transaction, or none.
    The batch is claimed first (`import_commit_claim`, unless the caller did), so a file is saved once however many
    times the save is asked at the same moment."""
    if not claimed:
        import_commit_claim(batch_id=batch_id)
    batch = ImportBatch.objects.select_related("user").get(pk=batch_id)
    try:
        return _commit(batch, include_duplicates=include_duplicates)
    except ApplicationError as error:
        if error.code != ErrorCode.CONFLICT:
            _commit_failed(batch.pk, str(error.message))
        raise
    except Exception:
        logger.exception("saving the import %s failed", batch.pk)
        _commit_failed(
            batch.pk,
            _(
                "Saving failed because of an error on the server and nothing was saved. You can try again; if it "
                "happens again, tell the administrator."
            ),
        )
        raise


def _commit(batch: ImportBatch, *, include_duplicates: bool) -> ImportBatch:
    user = batch.user
    results = _load_parsed(batch)
    if results is None:
        path, handle = _local_path(batch)
        try:
            results = parse_file(path=path, name=batch.file_name)
        finally:
            if handle:
                handle.close()
    _touch(batch.pk)
    _match_existing(user, results)  # records created or changed since the dry run are taken into account
    reason = _("Imported from the file “%(f)s”") % {"f": batch.file_name}
    decisions = batch.decisions or {}
    skipped = 0
    same_tax: list[tuple[RowResult, int]] = []  # rows saved as new records beside the record holding their tax code
    for result in results:
        if result.status != CONFLICT:
            continue
        decision = decisions.get(str(result.row), "skip")
        if decision == "update":
            result.status = UPDATE
        elif decision == "new":
            same_tax.append((result, result.match_id or 0))
            result.status, result.match_id = NEW, None
            result.values = {**result.values, "tax_code": None}
        else:
            skipped += 1
    accepted = [r for r in results if r.status in (NEW, UPDATE) or (include_duplicates and r.status == DUPLICATE)]
    groups = dict(Industry.objects.values_list("id", "eligible_group_id"))
    with transaction.atomic():
        # The batch row is locked for the whole write: a batch given up as stale meanwhile is not saved, and
        # the stale check cannot give up a batch whose save is still running.
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportBatch.BatchStatus.COMMITTING:
            raise ApplicationError(ErrorCode.CONFLICT, _("This file has already been saved or has not been checked."))
        updates: list[Establishment] = []
        flags: list[tuple[int, int]] = []
        existing = {
            e.pk: e
            for chunk in _chunks([r.match_id for r in accepted if r.match_id])
            for e in Establishment.objects.select_for_update().filter(pk__in=chunk)
        }
        new_rows = [r for r in accepted if not r.match_id]
        new_ids = _insert_new(new_rows, user=user, reason=reason, groups=groups)
        creates = new_rows
        holder = {id(result): other for result, other in same_tax}
        for result, new_id in zip(new_rows, new_ids, strict=True):
            if result.status == DUPLICATE and result.duplicate_of:
                flags.append((new_id, result.duplicate_of))
            if id(result) in holder:
                flags.append((new_id, holder[id(result)]))
        for result in accepted:
            if not result.match_id:
                continue
            values = dict(result.values)
            commune = values.pop("commune")
            recorded = values.pop("commune_recorded")
            values.pop("name_folded", None)
            given = set(values.pop("given", COLUMN_BY_KEY))
            target = existing[result.match_id]
            for key in IMPORTED_FIELDS:
                if key in values and key in given:
                    setattr(target, key, values[key])
            if "main_industry_id" in values and "industry_code" in given:
                target.main_industry_id = values["main_industry_id"]
            target.commune_recorded_id = recorded[0]
            derive(target, current_commune_ids=commune, group_of_industry=groups)
            target.version += 1
            updates.append(target)
        if updates:
            bulk_update_with_history(
                updates,
                Establishment,
                [
                    *IMPORTED_FIELDS,
                    "main_industry",
                    "commune_recorded",
                    "commune",
                    "province",
                    "name_folded",
                    "owner_folded",
                    "phone_digits",
                    "search_folded",
                    "eligible_group",
                    "version",
                ],
                user=user,
                reason=reason,
            )
        if flags:
            DuplicateFlag.objects.bulk_create(
                [
                    DuplicateFlag(
                        establishment_id=min(new, other),
                        other_id=max(new, other),
                        score=90,
                        reasons=_("found on import"),
                    )
                    for new, other in flags
                ],
                ignore_conflicts=True,
            )
        batch.counts = {**batch.counts, "created": len(creates), "updated": len(updates), "skipped": skipped}
        batch.status = ImportBatch.BatchStatus.COMMITTED
        batch.done_rows = len(accepted)
        batch.error = ""
        batch.progress_at = timezone.now()
        batch.save(update_fields=["counts", "status", "done_rows", "error", "progress_at"])
    return batch


def _insert_new(results: list[RowResult], *, user: Any, reason: str, groups: dict[int, int | None]) -> list[int]:
    """Insert the new establishments and their "+" history rows straight from the parsed values (no model instance
    per row), with the same derived keys as `services.derive`. Returns their ids, in order."""
    if not results:
        return []
    fields = Establishment._meta.concrete_fields
    columns = [f.attname for f in fields]
    position = {name: index for index, name in enumerate(columns)}
    now = timezone.now()
    defaults = {f.attname: f.get_default() for f in fields}
    defaults.update(source=Source.IMPORT, version=1, created_at=now, updated_at=now)
    # Every value below is already in database form except the two timestamps, adapted once for all rows.
    base = rows_of(Establishment, [defaults], columns)[0]
    imported = [(key, position[key]) for key in IMPORTED_FIELDS]
    at = {key: position[key] for key in ("id", "main_industry_id", "eligible_group_id", "commune_recorded_id")}
    at_commune, at_province = position["commune_id"], position["province_id"]
    derived_at = [(key, position[key]) for key in ("name_folded", "owner_folded", "phone_digits", "search_folded")]
    ids = reserve_ids(Establishment, len(results))
    rows: list[tuple] = []
    for pk, result in zip(ids, results, strict=True):
        values = result.values
        row = list(base)
        for key, index in imported:
            if key in values:
                row[index] = values[key]
        industry = values.get("main_industry_id")
        row[at["id"]] = pk
        row[at["main_industry_id"]] = industry
        row[at["eligible_group_id"]] = groups.get(industry) if industry else None
        row[at["commune_recorded_id"]] = values["commune_recorded"][0]
        row[at_commune], row[at_province] = values["commune"]
        keys = derived_keys(
            name=row[position["name"]],
            owner_name=row[position["owner_name"]],
            phone=row[position["phone"]],
            address=row[position["address"]],
            tax_code=row[position["tax_code"]],
            name_folded=values.get("name_folded"),
        )
        for key, index in derived_at:
            row[index] = keys[key]
        rows.append(tuple(row))
    with bulk_index(min(ids)):
        insert_rows(Establishment, columns, rows)
    insert_history(Establishment, columns, rows, reason=reason, user_id=user.pk)
    return ids


# Small files are checked and saved during the request; larger ones by the background worker (with a progress page).
SYNC_CHECK_BYTES = 300_000
# A file read during a request must be done well before the web server gives up on the request (gunicorn: 30 s);
# a legitimate file of SYNC_CHECK_BYTES is read in well under a second.
SYNC_READ_SECONDS = 20


def import_check_soon(*, batch: ImportBatch) -> None:
    if batch.file.size <= SYNC_CHECK_BYTES:
        import_check(batch_id=batch.pk, max_seconds=SYNC_READ_SECONDS)
        return
    from .tasks import run_import

    result = run_import.enqueue(str(batch.pk), False)
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])


def import_commit_soon(*, batch: ImportBatch, include_duplicates: bool) -> bool:
    """Claim the batch, then save now (small files) or queue the save; returns whether it is already saved. A save
    that fails leaves the batch "checked" with the reason (shown on its page); a save asked twice gets CONFLICT."""
    import_commit_claim(batch_id=batch.pk)
    if batch.total_rows <= BACKGROUND_ROWS:
        try:
            import_commit(batch_id=batch.pk, include_duplicates=include_duplicates, claimed=True)
        except ApplicationError:
            raise
        except Exception:  # noqa: BLE001 - logged, and recorded on the batch for its page
            return False
        return True
    from .tasks import run_import

    try:
        result = run_import.enqueue(str(batch.pk), True, include_duplicates)
    except Exception:  # noqa: BLE001 - the queue (a database table) is unavailable: the batch stays as it was
        logger.exception("queueing the save of the import %s failed", batch.pk)
        _commit_failed(batch.pk, _("The save could not be started. Try again in a moment."))
        return False
    ImportBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])
    return False


def _task_waiting(task_id: str) -> bool:
    """Whether the batch's background task is still queued (not started): waiting is not being stuck."""
    from django.tasks import TaskResultStatus

    from .tasks import run_import

    try:
        return run_import.get_result(task_id).status == TaskResultStatus.READY
    except Exception:  # noqa: BLE001 - a backend that keeps no results, or a result already cleaned up
        return False


def import_expire_stale(*, batch: ImportBatch) -> ImportBatch:
    """A check or save with no sign of life for `STALE_AFTER` was interrupted (its web or task worker was killed,
    the server restarted): the check is marked failed, the save goes back to "checked" (its transaction was rolled
    back with its connection), each with a message, so that the batch page never waits for ever."""
    if batch.status not in (ImportBatch.BatchStatus.CHECKING, ImportBatch.BatchStatus.COMMITTING):
        return batch
    cutoff = timezone.now() - STALE_AFTER
    if batch.progress_at > cutoff or (batch.task_id and _task_waiting(batch.task_id)):
        return batch
    try:
        with transaction.atomic():
            # A save still running holds the batch's row lock: skip it rather than wait (PostgreSQL); on SQLite its
            # transaction holds the write lock and this waits for it or gives up below.
            stale = (
                ImportBatch.objects.select_for_update(skip_locked=True)
                .filter(pk=batch.pk, status=batch.status, progress_at__lte=cutoff)
                .first()
            )
            if stale is None:
                return batch
            if stale.status == ImportBatch.BatchStatus.CHECKING:
                stale.status = ImportBatch.BatchStatus.FAILED
                stale.error = _(
                    "The check stopped before it finished (the server was interrupted). Upload the file again."
                )
            else:
                stale.status = ImportBatch.BatchStatus.CHECKED
                stale.error = _(
                    "Saving stopped before it finished (the server was interrupted) and nothing was saved. You can "
                    "save the file again."
                )
            stale.progress_at = timezone.now()
            stale.save(update_fields=["status", "error", "progress_at"])
    except OperationalError:  # SQLite: a save still writing; judged again at the next look
        return batch
    logger.warning("import %s given up after %s without progress", batch.pk, STALE_AFTER)
    batch.refresh_from_db()
    return batch


def import_decide(*, user: Any, batch_id: Any, row: int, decision: str) -> ImportBatch:
    """Record what to do with a row whose tax code belongs to an establishment it does not look like: update that
    record, skip the row, or save it as a new record (without the tax code, flagged beside the other for review)."""
    if decision not in DECISIONS:
        raise ApplicationError(ErrorCode.INVALID, _("Choose update, skip or new record."), field="decision")
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch_id, user=user)
        if batch.status != ImportBatch.BatchStatus.CHECKED:
            raise ApplicationError(ErrorCode.CONFLICT, _("This file has already been saved or has not been checked."))
        if not any(r["row"] == row and r["status"] == CONFLICT for r in batch.report):
            raise ApplicationError(ErrorCode.INVALID, _("Row %(r)s has nothing to decide.") % {"r": row}, field="row")
        batch.decisions = {**(batch.decisions or {}), str(row): decision}
        batch.save(update_fields=["decisions"])
    return batch


def import_cancel(*, user: Any, batch_id: Any) -> None:
    ImportBatch.objects.filter(pk=batch_id, user=user, status=ImportBatch.BatchStatus.CHECKED).update(
        status=ImportBatch.BatchStatus.CANCELLED
    )
