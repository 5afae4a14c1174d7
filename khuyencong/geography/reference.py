"""Reference data that the administrative-unit package does not carry: regions and dated type changes.

Kept here, as data, so that `build_admin_units` writes it into the committed fixture; administrators can correct
any of it afterwards through the admin pages (every change is in the history). Entries flagged `uncertain` have not
been checked against the legal text (see shared domain.md §7–§8).
"""

# Six socio-economic regions. Pre-2025: NQ 81/2023/QH15 (national master plan), by old province code.
SOCIO_ECONOMIC_REGIONS = [
    ("kt-xh-trung-du-mien-nui-phia-bac", "Trung du và miền núi phía Bắc"),
    ("kt-xh-dong-bang-song-hong", "Đồng bằng sông Hồng"),
    ("kt-xh-bac-trung-bo-duyen-hai-mien-trung", "Bắc Trung Bộ và duyên hải miền Trung"),
    ("kt-xh-tay-nguyen", "Tây Nguyên"),
    ("kt-xh-dong-nam-bo", "Đông Nam Bộ"),
    ("kt-xh-dong-bang-song-cuu-long", "Đồng bằng sông Cửu Long"),
]
SOCIO_ECONOMIC_OLD = {
    "kt-xh-trung-du-mien-nui-phia-bac": [
        "02",
        "04",
        "06",
        "08",
        "10",
        "11",
        "12",
        "14",
        "15",
        "17",
        "19",
        "20",
        "24",
        "25",
    ],
    "kt-xh-dong-bang-song-hong": ["01", "22", "26", "27", "30", "31", "33", "34", "35", "36", "37"],
    "kt-xh-bac-trung-bo-duyen-hai-mien-trung": [
        "38",
        "40",
        "42",
        "44",
        "45",
        "46",
        "48",
        "49",
        "51",
        "52",
        "54",
        "56",
        "58",
        "60",
    ],
    "kt-xh-tay-nguyen": ["62", "64", "66", "67", "68"],
    "kt-xh-dong-nam-bo": ["70", "72", "74", "75", "77", "79"],
    "kt-xh-dong-bang-song-cuu-long": ["80", "82", "83", "84", "86", "87", "89", "91", "92", "93", "94", "95", "96"],
}
SOCIO_ECONOMIC_OLD_BASIS = "Nghị quyết 81/2023/QH15 (Quy hoạch tổng thể quốc gia)"
# After 1/7/2025, by new province code. UNCERTAIN: as reported for the 34 provinces; check the decision.
SOCIO_ECONOMIC_NEW = {
    "kt-xh-trung-du-mien-nui-phia-bac": ["04", "08", "11", "12", "14", "15", "19", "20", "25"],
    "kt-xh-dong-bang-song-hong": ["01", "22", "24", "31", "33", "37"],
    "kt-xh-bac-trung-bo-duyen-hai-mien-trung": ["38", "40", "42", "44", "46", "48", "51", "56"],
    "kt-xh-tay-nguyen": ["52", "66", "68"],
    "kt-xh-dong-nam-bo": ["75", "79", "80"],
    "kt-xh-dong-bang-song-cuu-long": ["82", "86", "91", "92", "96"],
}
SOCIO_ECONOMIC_NEW_BASIS = "Phân vùng sau sắp xếp ĐVHC 2025 (chưa đối chiếu văn bản)"

# Three khuyến công regions for the typical-product selection (TT 26/2014/TT-BCT, domain.md §7).
KHUYEN_CONG_REGIONS = [
    ("kc-mien-bac", "Khu vực miền Bắc"),
    ("kc-mien-trung-tay-nguyen", "Khu vực miền Trung - Tây Nguyên"),
    ("kc-mien-nam", "Khu vực miền Nam"),
]
KHUYEN_CONG_OLD = {
    "kc-mien-bac": SOCIO_ECONOMIC_OLD["kt-xh-trung-du-mien-nui-phia-bac"]
    + SOCIO_ECONOMIC_OLD["kt-xh-dong-bang-song-hong"]
    + ["38", "40", "42"],
    "kc-mien-trung-tay-nguyen": [
        "44",
        "45",
        "46",
        "48",
        "49",
        "51",
        "52",
        "54",
        "56",
        "58",
        "62",
        "64",
        "66",
        "67",
        "68",
    ],
    "kc-mien-nam": ["60"]
    + SOCIO_ECONOMIC_OLD["kt-xh-dong-nam-bo"]
    + SOCIO_ECONOMIC_OLD["kt-xh-dong-bang-song-cuu-long"],
}
KHUYEN_CONG_OLD_BASIS = "Thông tư 26/2014/TT-BCT"
# Proposed mapping onto the 34 provinces (domain.md §7): UNCERTAIN until the ministry re-defines the regions.
KHUYEN_CONG_NEW = {
    "kc-mien-bac": SOCIO_ECONOMIC_NEW["kt-xh-trung-du-mien-nui-phia-bac"]
    + SOCIO_ECONOMIC_NEW["kt-xh-dong-bang-song-hong"]
    + ["38", "40", "42"],
    "kc-mien-trung-tay-nguyen": ["44", "46", "48", "51", "52", "56", "66", "68"],
    "kc-mien-nam": ["75", "79", "80", "82", "86", "91", "92", "96"],
}
KHUYEN_CONG_NEW_BASIS = "Đề xuất theo địa giới mới (chờ Bộ Công Thương quy định lại)"

# Dated type changes: (era, code, type, full name, valid_from, valid_to, legal basis, uncertain, note)
TYPE_PERIODS: list[tuple[str, str, str, str, str | None, str | None, str, bool, str]] = [
    (
        "old",
        "46",
        "tinh",
        "Tỉnh Thừa Thiên Huế",
        None,
        "2024-12-31",
        "",
        True,
        "Trước khi trở thành thành phố trực thuộc trung ương.",
    ),
    (
        "old",
        "46",
        "tp_tw",
        "Thành phố Huế",
        "2025-01-01",
        "2025-06-30",
        "Nghị quyết 175/2024/QH15",
        True,
        "Số và ngày hiệu lực của nghị quyết cần đối chiếu văn bản.",
    ),
]
_DATA_DATE_NOTE = (
    "Ngày hiệu lực của nghị quyết chưa được đối chiếu; tạm lấy ngày của bộ dữ liệu vietnam-provinces (20/09/2026), "
    "ngày mà dữ liệu xác nhận loại đơn vị mới. Quản trị viên cần sửa theo văn bản."
)
for _code, _name, _basis in [
    ("75", "Đồng Nai", "Nghị quyết 30/2026/QH16"),
    ("22", "Quảng Ninh", "Nghị quyết 36/2026/QH16"),
    ("24", "Bắc Ninh", "Nghị quyết 39/2026/QH16"),
]:
    TYPE_PERIODS += [
        (
            "new",
            _code,
            "tinh",
            f"Tỉnh {_name}",
            "2025-07-01",
            "2026-09-19",
            "Nghị quyết 202/2025/QH15",
            True,
            _DATA_DATE_NOTE,
        ),
        ("new", _code, "tp_tw", f"Thành phố {_name}", "2026-09-20", None, _basis, True, _DATA_DATE_NOTE),
    ]

PROVINCE_SUCCESSION_BASIS = "Nghị quyết 202/2025/QH15"
COMMUNE_SUCCESSION_BASIS = "Nghị quyết của UBTVQH về sắp xếp ĐVHC cấp xã năm 2025"
