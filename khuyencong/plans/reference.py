"""The national khuyến công programmes and their targets as published (domain.md §1.3). A value not read from a
verified source is not entered: 2646/QĐ-BCT's numeric targets are unknown and left for administrators to fill."""

# number, kind, title, issuer, signed on, effective from, uncertain, note
PROGRAMME_DOCUMENTS = [
    (
        "1881/QĐ-TTg",
        "qd_ttg",
        "Quyết định phê duyệt Chương trình khuyến công quốc gia giai đoạn 2021 - 2025",
        "Thủ tướng Chính phủ",
        "2020-11-20",
        "2020-11-20",
        True,
        "Ngày ký 20/11/2020 cần kiểm chứng.",
    ),
    (
        "2646/QĐ-BCT",
        "qd_bct",
        "Quyết định phê duyệt Chương trình khuyến công quốc gia giai đoạn 2026 - 2030",
        "Bộ Công Thương",
        "2025-09-23",
        "2025-09-23",
        False,
        "",
    ),
]

# code, name, first year, last year, decision number, uncertain, note, targets [(indicator, value)]
PROGRAMMES = [
    (
        "kcqg-2021-2025",
        "Chương trình khuyến công quốc gia giai đoạn 2021 - 2025",
        2021,
        2025,
        "1881/QĐ-TTg",
        False,
        "",
        [
            ("models", 340),
            ("machines", 1600),
            ("technology_lines", 300),
            ("pollution_systems", 50),
            ("fairs_domestic", 15),
            ("fairs_abroad", 5),
            ("trainees", 10000),
        ],
    ),
    (
        "kcqg-2026-2030",
        "Chương trình khuyến công quốc gia giai đoạn 2026 - 2030",
        2026,
        2030,
        "2646/QĐ-BCT",
        True,
        "Chỉ tiêu định lượng của Quyết định 2646/QĐ-BCT chưa được kiểm chứng: để trống, cần bổ sung.",
        [],
    ),
]
