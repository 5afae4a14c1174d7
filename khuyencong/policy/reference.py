"""Seed reference data of the policy app, loaded by a data migration and editable afterwards (with history).

VSIC 2018 (QĐ 27/2018/QĐ-TTg), section C "Công nghiệp chế biến, chế tạo": divisions (2 digits) and groups
(3 digits), transcribed; the wording should be checked against the decision's annex. The suggested eligible group of
each division follows ND 45/2012/NĐ-CP Art. 5.1 as read in shared/domain.md §3.4; it is a suggestion for the user,
marked to be verified.
"""

ELIGIBLE_GROUPS = [
    # code, name, legal basis, valid_from, uncertain
    (
        "a",
        "Chế biến nông, lâm, thủy sản và chế biến thực phẩm",
        "Nghị định 45/2012/NĐ-CP, Điều 5 khoản 1 điểm a",
        "2012-07-05",
        False,
    ),
    (
        "b",
        "Sản xuất hàng công nghiệp phục vụ tiêu dùng, xuất khẩu, hàng thay thế hàng nhập khẩu",
        "Nghị định 45/2012/NĐ-CP, Điều 5 khoản 1 điểm b",
        "2012-07-05",
        False,
    ),
    (
        "c",
        "Sản xuất hóa chất phục vụ nông nghiệp, nông thôn; sản xuất vật liệu xây dựng",
        "Nghị định 45/2012/NĐ-CP, Điều 5 khoản 1 điểm c",
        "2012-07-05",
        False,
    ),
    (
        "d",
        "Sản xuất sản phẩm, phụ tùng; lắp ráp và sửa chữa máy móc, thiết bị, dụng cụ cơ khí, điện, điện tử - tin học; sản xuất linh kiện, bán thành phẩm, công nghiệp hỗ trợ",
        "Nghị định 45/2012/NĐ-CP, Điều 5 khoản 1 điểm d",
        "2012-07-05",
        False,
    ),
    ("dd", "Sản xuất hàng tiểu thủ công nghiệp", "Nghị định 45/2012/NĐ-CP, Điều 5 khoản 1 điểm đ", "2012-07-05", False),
    (
        "e",
        "Khai thác, chế biến khoáng sản tại địa bàn có điều kiện kinh tế - xã hội khó khăn và đặc biệt khó khăn",
        "Nghị định 45/2012/NĐ-CP, Điều 5 khoản 1 điểm e",
        "2012-07-05",
        False,
    ),
    (
        "g",
        "Áp dụng sản xuất sạch hơn; xử lý ô nhiễm môi trường tại cụm công nghiệp, cơ sở công nghiệp nông thôn",
        "Nghị định 45/2012/NĐ-CP, Điều 5 khoản 1 điểm g",
        "2012-07-05",
        False,
    ),
    (
        "nd235-cntc",
        "Công nghiệp công nghệ cao, công nghiệp sạch, tiết kiệm năng lượng, công nghiệp môi trường, năng lượng thân thiện với môi trường",
        "Nghị định 235/2025/NĐ-CP (sửa đổi Điều 5 Nghị định 45/2012/NĐ-CP)",
        "2025-10-15",
        True,
    ),
]

# (code, name, suggested eligible group of the division)
VSIC_DIVISIONS = [
    ("10", "Sản xuất, chế biến thực phẩm", "a"),
    ("11", "Sản xuất đồ uống", "a"),
    ("12", "Sản xuất sản phẩm thuốc lá", "a"),
    ("13", "Dệt", "b"),
    ("14", "Sản xuất trang phục", "b"),
    ("15", "Sản xuất da và các sản phẩm có liên quan", "b"),
    (
        "16",
        "Chế biến gỗ và sản xuất sản phẩm từ gỗ, tre, nứa (trừ giường, tủ, bàn, ghế); sản xuất sản phẩm từ rơm, rạ và vật liệu tết bện",
        "a",
    ),
    ("17", "Sản xuất giấy và sản phẩm từ giấy", "b"),
    ("18", "In, sao chép bản ghi các loại", "b"),
    ("19", "Sản xuất than cốc, sản phẩm dầu mỏ tinh chế", None),
    ("20", "Sản xuất hóa chất và sản phẩm hóa chất", "c"),
    ("21", "Sản xuất thuốc, hóa dược và dược liệu", "b"),
    ("22", "Sản xuất sản phẩm từ cao su và plastic", "b"),
    ("23", "Sản xuất sản phẩm từ khoáng phi kim loại khác", "c"),
    ("24", "Sản xuất kim loại", "d"),
    ("25", "Sản xuất sản phẩm từ kim loại đúc sẵn (trừ máy móc, thiết bị)", "d"),
    ("26", "Sản xuất sản phẩm điện tử, máy vi tính và sản phẩm quang học", "d"),
    ("27", "Sản xuất thiết bị điện", "d"),
    ("28", "Sản xuất máy móc, thiết bị chưa được phân vào đâu", "d"),
    ("29", "Sản xuất xe có động cơ", "d"),
    ("30", "Sản xuất phương tiện vận tải khác", "d"),
    ("31", "Sản xuất giường, tủ, bàn, ghế", "b"),
    ("32", "Công nghiệp chế biến, chế tạo khác", "dd"),
    ("33", "Sửa chữa, bảo dưỡng và lắp đặt máy móc và thiết bị", "d"),
]

VSIC_GROUPS = [
    ("101", "Chế biến, bảo quản thịt và các sản phẩm từ thịt"),
    ("102", "Chế biến, bảo quản thủy sản và các sản phẩm từ thủy sản"),
    ("103", "Chế biến và bảo quản rau quả"),
    ("104", "Sản xuất dầu, mỡ động, thực vật"),
    ("105", "Chế biến sữa và các sản phẩm từ sữa"),
    ("106", "Xay xát và sản xuất bột"),
    ("107", "Sản xuất thực phẩm khác"),
    ("108", "Sản xuất thức ăn gia súc, gia cầm và thủy sản"),
    ("110", "Sản xuất đồ uống"),
    ("120", "Sản xuất sản phẩm thuốc lá"),
    ("131", "Sản xuất sợi, vải dệt thoi và hoàn thiện sản phẩm dệt"),
    ("139", "Sản xuất hàng dệt khác"),
    ("141", "May trang phục (trừ trang phục từ da lông thú)"),
    ("142", "Sản xuất sản phẩm từ da lông thú"),
    ("143", "Sản xuất trang phục dệt kim, đan móc"),
    ("151", "Thuộc, sơ chế da; sơ chế và nhuộm da lông thú; sản xuất va li, túi xách, yên đệm"),
    ("152", "Sản xuất giày, dép"),
    ("161", "Cưa, xẻ, bào gỗ và bảo quản gỗ"),
    (
        "162",
        "Sản xuất sản phẩm từ gỗ, tre, nứa (trừ giường, tủ, bàn, ghế); sản xuất sản phẩm từ rơm, rạ và vật liệu tết bện",
    ),
    ("170", "Sản xuất giấy và sản phẩm từ giấy"),
    ("181", "In ấn và dịch vụ liên quan đến in"),
    ("182", "Sao chép bản ghi các loại"),
    ("191", "Sản xuất than cốc"),
    ("192", "Sản xuất sản phẩm dầu mỏ tinh chế"),
    (
        "201",
        "Sản xuất hóa chất cơ bản, phân bón và hợp chất ni tơ; sản xuất plastic và cao su tổng hợp dạng nguyên sinh",
    ),
    ("202", "Sản xuất sản phẩm hóa chất khác"),
    ("203", "Sản xuất sợi nhân tạo"),
    ("210", "Sản xuất thuốc, hóa dược và dược liệu"),
    ("221", "Sản xuất sản phẩm từ cao su"),
    ("222", "Sản xuất sản phẩm từ plastic"),
    ("231", "Sản xuất thủy tinh và sản phẩm từ thủy tinh"),
    ("239", "Sản xuất sản phẩm từ chất khoáng phi kim loại chưa được phân vào đâu"),
    ("241", "Sản xuất sắt, thép, gang"),
    ("242", "Sản xuất kim loại màu và kim loại quý"),
    ("243", "Đúc kim loại"),
    ("251", "Sản xuất các cấu kiện kim loại, thùng, bể chứa và nồi hơi"),
    ("252", "Sản xuất vũ khí và đạn dược"),
    ("259", "Sản xuất sản phẩm khác bằng kim loại; các dịch vụ xử lý, gia công kim loại"),
    ("261", "Sản xuất linh kiện điện tử"),
    ("262", "Sản xuất máy vi tính và thiết bị ngoại vi của máy vi tính"),
    ("263", "Sản xuất thiết bị truyền thông"),
    ("264", "Sản xuất sản phẩm điện tử dân dụng"),
    ("265", "Sản xuất thiết bị đo lường, kiểm tra, định hướng và điều khiển; sản xuất đồng hồ"),
    ("266", "Sản xuất thiết bị bức xạ, thiết bị điện tử trong y học, điện liệu pháp"),
    ("267", "Sản xuất thiết bị và dụng cụ quang học"),
    ("268", "Sản xuất băng, đĩa từ tính và quang học"),
    ("271", "Sản xuất mô tơ, máy phát, biến thế điện, thiết bị phân phối và điều khiển điện"),
    ("272", "Sản xuất pin và ắc quy"),
    ("273", "Sản xuất dây và thiết bị dây dẫn"),
    ("274", "Sản xuất thiết bị điện chiếu sáng"),
    ("275", "Sản xuất đồ điện dân dụng"),
    ("279", "Sản xuất thiết bị điện khác"),
    ("281", "Sản xuất máy thông dụng"),
    ("282", "Sản xuất máy chuyên dụng"),
    ("291", "Sản xuất xe có động cơ"),
    ("292", "Sản xuất thân xe có động cơ, rơ moóc và bán rơ moóc"),
    ("293", "Sản xuất phụ tùng và bộ phận phụ trợ cho xe có động cơ"),
    ("301", "Đóng tàu và thuyền"),
    ("302", "Sản xuất đầu máy xe lửa, xe điện và toa xe"),
    ("303", "Sản xuất máy bay, tàu vũ trụ và máy móc liên quan"),
    ("304", "Sản xuất xe cơ giới chiến đấu dùng trong quân đội"),
    ("309", "Sản xuất phương tiện và thiết bị vận tải chưa được phân vào đâu"),
    ("310", "Sản xuất giường, tủ, bàn, ghế"),
    ("321", "Sản xuất đồ kim hoàn, đồ giả kim hoàn và các chi tiết liên quan"),
    ("322", "Sản xuất nhạc cụ"),
    ("323", "Sản xuất dụng cụ thể dục, thể thao"),
    ("324", "Sản xuất đồ chơi, trò chơi"),
    ("325", "Sản xuất thiết bị, dụng cụ y tế, nha khoa, chỉnh hình và phục hồi chức năng"),
    ("329", "Sản xuất khác chưa được phân vào đâu"),
    ("331", "Sửa chữa và bảo dưỡng máy móc, thiết bị và sản phẩm kim loại đúc sẵn"),
    ("332", "Lắp đặt máy móc và thiết bị công nghiệp"),
]


# ---- legal documents, contents, support rules, beneficiary rules, calendar, advances --------------------------------
# Sources and their status are in shared/domain.md §1–§5. "uncertain" marks what that reference itself marks
# UNCERTAIN (or what is inferred); values it does not give are left empty (None), never guessed.

_LV235 = (
    "https://english.luatvietnam.vn/decreeno235-2025-nd-cpdatedaugust272025ofthegovernmentamendingandsupplementing"
    "anumberofarticlesofthegovernmentsdecreeno45-20-410222-doc1.html"
)
_LV28 = (
    "https://english.luatvietnam.vn/circular-no-28-2018-tt-btc-dated-march-28-2018-of-the-ministry-of-finance-on-"
    "guiding-the-estimation-management-and-use-of-industrial-extension-fund-163904-doc1.html"
)

# number, kind, title, issuer, signed_on, effective_from, effective_to, amends, replaces, url, uncertain, note
LEGAL_DOCUMENTS = [
    (
        "45/2012/NĐ-CP",
        "nghi_dinh",
        "Nghị định về khuyến công",
        "Chính phủ",
        "2012-05-21",
        "2012-07-05",
        None,
        [],
        [],
        "",
        False,
        "Văn bản gốc, còn hiệu lực, đã được sửa đổi bởi Nghị định 235/2025/NĐ-CP.",
    ),
    (
        "235/2025/NĐ-CP",
        "nghi_dinh",
        "Nghị định sửa đổi, bổ sung một số điều của Nghị định số 45/2012/NĐ-CP về khuyến công",
        "Chính phủ",
        "2025-08-27",
        "2025-10-15",
        None,
        ["45/2012/NĐ-CP"],
        [],
        _LV235,
        False,
        "Đề án đã được phê duyệt trước ngày Nghị định có hiệu lực tiếp tục thực hiện.",
    ),
    (
        "46/2012/TT-BCT",
        "thong_tu",
        "Thông tư quy định chi tiết một số nội dung của Nghị định số 45/2012/NĐ-CP về khuyến công",
        "Bộ Công Thương",
        "2012-12-28",
        "2013-02-10",
        None,
        [],
        [],
        "",
        True,
        "Có thể đã được thay thế (Thông tư 20/2017/TT-BCT?): tình trạng hiệu lực cần kiểm chứng.",
    ),
    (
        "36/2013/TT-BCT",
        "thong_tu",
        "Thông tư quy định về việc xây dựng kế hoạch, tổ chức thực hiện và quản lý kinh phí khuyến công quốc gia",
        "Bộ Công Thương",
        "2013-12-27",
        "2014-02-10",
        None,
        [],
        [],
        "",
        True,
        "Dùng làm quy trình tham chiếu; có thể đã được thay thế: tình trạng hiệu lực cần kiểm chứng.",
    ),
    (
        "26/2014/TTLT-BTC-BCT",
        "ttlt",
        "Thông tư liên tịch hướng dẫn lập dự toán, quản lý và sử dụng kinh phí khuyến công",
        "Bộ Tài chính, Bộ Công Thương",
        "2014-02-18",
        "2014-04-08",
        None,
        [],
        [],
        "",
        True,
        "Bảng mức hỗ trợ (Điều 6.2) đã đọc được; việc bị Thông tư 28/2018/TT-BTC thay thế là suy luận, cần kiểm chứng.",
    ),
    (
        "28/2018/TT-BTC",
        "thong_tu",
        "Thông tư hướng dẫn lập, quản lý, sử dụng kinh phí khuyến công",
        "Bộ Tài chính",
        "2018-03-28",
        None,
        None,
        [],
        ["26/2014/TTLT-BTC-BCT"],
        _LV28,
        True,
        "Ngày có hiệu lực chưa đọc được trong nguồn: cần nhập theo văn bản gốc.",
    ),
    (
        "64/2024/TT-BTC",
        "thong_tu",
        "Thông tư sửa đổi, bổ sung một số điều của Thông tư số 28/2018/TT-BTC",
        "Bộ Tài chính",
        "2024-08-28",
        None,
        None,
        ["28/2018/TT-BTC"],
        [],
        "",
        True,
        "Ngày có hiệu lực và các mức được sửa đổi chưa đọc được trong nguồn.",
    ),
]

_CONTENTS_2012 = [
    (
        "4.1",
        "Đào tạo nghề, truyền nghề (ngắn hạn, gắn lý thuyết với thực hành)",
        "Vocational training and craft passing",
    ),
    (
        "4.2",
        "Nâng cao năng lực quản lý doanh nghiệp, nhận thức và năng lực áp dụng sản xuất sạch hơn; hỗ trợ khởi sự, "
        "thành lập doanh nghiệp công nghiệp nông thôn; hỗ trợ mở rộng thị trường, xuất khẩu",
        "Management capacity and cleaner production; starting enterprises; market expansion and export",
    ),
    (
        "4.3",
        "Mô hình trình diễn kỹ thuật; chuyển giao công nghệ, ứng dụng máy móc tiên tiến, tiến bộ khoa học kỹ thuật; "
        "mô hình thí điểm sản xuất sạch hơn",
        "Technical demonstration models; technology transfer; advanced machinery; cleaner-production pilots",
    ),
    (
        "4.4",
        "Phát triển sản phẩm công nghiệp nông thôn tiêu biểu; hội chợ, triển lãm; xây dựng, đăng ký thương hiệu; "
        "phòng trưng bày; xúc tiến thương mại khác",
        "Typical products; fairs and exhibitions; branding; showrooms; other trade promotion",
    ),
    ("4.5", "Tư vấn, trợ giúp cơ sở công nghiệp nông thôn", "Consulting services; access to incentive policies"),
    ("4.6", "Cung cấp thông tin", "Information and media"),
    (
        "4.7",
        "Hiệp hội, hội ngành nghề, cụm liên kết doanh nghiệp; quy hoạch, hạ tầng cụm công nghiệp; di dời cơ sở gây "
        "ô nhiễm; xử lý ô nhiễm môi trường tại cụm công nghiệp, cơ sở công nghiệp nông thôn",
        "Associations and clusters; industrial-cluster planning and infrastructure; relocation; pollution treatment",
    ),
    ("4.8", "Hợp tác quốc tế về khuyến công", "International cooperation"),
    (
        "4.9",
        "Nâng cao năng lực quản lý và tổ chức thực hiện hoạt động khuyến công (đào tạo cán bộ; cơ sở dữ liệu, trang "
        "thông tin điện tử; mạng lưới cộng tác viên; xây dựng chương trình, kế hoạch; kiểm tra, giám sát)",
        "Management capacity: staff training; databases and websites; collaborator network; planning; supervision",
    ),
]
# The 2025 wording (ND 235/2025): the widened contents as reported, kept under the 2012 codes because the new
# numbering was not read (to be verified).
_CONTENTS_2025 = {
    "4.1": "Đào tạo nghề, truyền nghề gắn với nhu cầu thực tế",
    "4.2": _CONTENTS_2012[1][1] + "; sản xuất và tiêu dùng bền vững",
    "4.3": "Mô hình trình diễn kỹ thuật, ứng dụng công nghệ mới; chuyển giao công nghệ, ứng dụng máy móc tiên tiến; "
    "mô hình thí điểm sản xuất sạch hơn, sản xuất và tiêu dùng bền vững",
    "4.4": "Phát triển sản phẩm công nghiệp nông thôn thông qua hội chợ, triển lãm và bình chọn sản phẩm tiêu biểu; "
    "hỗ trợ nghệ nhân bảo tồn, phát triển nghề thủ công mỹ nghệ; thương hiệu; xúc tiến thương mại khác",
    "4.7": _CONTENTS_2012[6][1] + "; phát triển cụm công nghiệp gắn với xử lý môi trường",
    "4.9": _CONTENTS_2012[8][1] + "; chuyển đổi số trong hoạt động khuyến công",
}
# code, name, English name, legal document, provision, valid_from, valid_to, uncertain
ACTIVITY_CONTENTS = [
    (code, name, english, "45/2012/NĐ-CP", "Điều 4", "2012-07-05", "2025-10-14", False)
    for code, name, english in _CONTENTS_2012
] + [
    (code, _CONTENTS_2025.get(code, name), english, "235/2025/NĐ-CP", "Điều 1 (sửa Điều 4)", "2025-10-15", None, True)
    for code, name, english in _CONTENTS_2012
]

# code, name, content code (lettering of TTLT 26/2014 Art. 6.2)
SUPPORT_ITEMS = [
    ("a", "Hỗ trợ thành lập doanh nghiệp công nghiệp nông thôn tại địa bàn khó khăn, đặc biệt khó khăn", "4.2"),
    ("b1", "Mô hình trình diễn kỹ thuật: công nghệ mới, sản phẩm mới", "4.3"),
    ("b2", "Mô hình trình diễn tại cơ sở đang sản xuất có hiệu quả, để nhân rộng", "4.3"),
    ("c", "Ứng dụng máy móc tiên tiến, chuyển giao công nghệ", "4.3"),
    ("d", "Tổ chức hội chợ, triển lãm hàng công nghiệp nông thôn, thủ công mỹ nghệ trong nước", "4.4"),
    ("d2", "Cơ sở công nghiệp nông thôn tham gia hội chợ, triển lãm khác trong nước", "4.4"),
    ("dd", "Tham gia hội chợ, triển lãm ở nước ngoài", "4.4"),
    ("e", "Khảo sát, học tập kinh nghiệm ở nước ngoài", "4.2"),
    ("g1-kv", "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp khu vực", "4.4"),
    ("g1-qg", "Tổ chức bình chọn sản phẩm công nghiệp nông thôn tiêu biểu cấp quốc gia", "4.4"),
    ("g2-kv", "Thưởng sản phẩm được công nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp khu vực", "4.4"),
    ("g2-qg", "Thưởng sản phẩm được công nhận sản phẩm công nghiệp nông thôn tiêu biểu cấp quốc gia", "4.4"),
    ("h", "Xây dựng, đăng ký thương hiệu", "4.4"),
    ("i", "Thuê tư vấn, trợ giúp cơ sở công nghiệp nông thôn", "4.5"),
    ("k", "Thông tin tuyên truyền (truyền hình, truyền thanh, ấn phẩm)", "4.6"),
    ("l-kv", "Thành lập hiệp hội, hội ngành nghề cấp khu vực", "4.7"),
    ("l-qg", "Thành lập hiệp hội, hội ngành nghề cấp quốc gia", "4.7"),
    ("m", "Cụm liên kết doanh nghiệp công nghiệp", "4.7"),
    ("n", "Hỗ trợ lãi suất vốn vay di dời cơ sở gây ô nhiễm vào khu, cụm công nghiệp (2 năm đầu)", "4.7"),
    ("o", "Sửa chữa, nâng cấp hệ thống xử lý ô nhiễm môi trường tại cơ sở công nghiệp nông thôn", "4.7"),
    ("p", "Sửa chữa, nâng cấp hệ thống xử lý ô nhiễm môi trường tại cụm công nghiệp", "4.7"),
    ("q", "Lập quy hoạch chi tiết cụm công nghiệp", "4.7"),
    ("r", "Đầu tư hạ tầng cụm công nghiệp (san lấp mặt bằng, đường nội bộ, cấp thoát nước)", "4.7"),
]

_M = 1_000_000  # the tables are in million VND
# item, area class, max percent, max amount VND, unit, note  — KCQG under TTLT 26/2014 Art. 6.2 (priority ×1.5, 6.2t)
_RULES_2014 = [
    ("a", "difficult", None, 10 * _M, "enterprise", ""),
    ("a", "especially_difficult", None, 10 * _M, "enterprise", ""),
    ("b1", "normal", "30", 500 * _M, "model", ""),
    ("b2", "normal", None, 100 * _M, "model", ""),
    ("c", "normal", "50", 200 * _M, "establishment", ""),
    ("d", "normal", "100", None, "project", "Thuê gian hàng, tuyên truyền, chi phí tổ chức (theo giá trúng thầu)."),
    ("d2", "normal", "80", None, "establishment", "80 % chi phí thuê gian hàng."),
    ("dd", "normal", "100", None, "establishment", "Các khoản chi được liệt kê (mặt bằng, gian hàng, khai mạc…)."),
    ("e", "normal", "100", None, "establishment", "100 % vé máy bay."),
    ("g1-kv", "normal", None, 100 * _M, "round", ""),
    ("g1-qg", "normal", None, 200 * _M, "round", ""),
    ("g2-kv", "normal", None, 5 * _M, "product", ""),
    ("g2-qg", "normal", None, 10 * _M, "product", ""),
    ("h", "normal", "50", 35 * _M, "brand", ""),
    ("i", "normal", "50", 35 * _M, "establishment", ""),
    ("l-kv", "normal", "30", 70 * _M, "association", ""),
    ("l-qg", "normal", "30", 100 * _M, "association", ""),
    ("m", "normal", "50", 150 * _M, "cluster", ""),
    ("n", "normal", "50", 500 * _M, "establishment", "50 % lãi suất vốn vay trong 2 năm đầu."),
    ("o", "normal", "30", 300 * _M, "establishment", ""),
    ("p", "normal", "30", 1500 * _M, "ccn", ""),
    ("q", "normal", "50", 500 * _M, "ccn", ""),
    ("r", "normal", None, 3000 * _M, "ccn", ""),
]
# KCQG under TT 28/2018/TT-BTC as amended: only items a and b1 were read (LV-28); the others stay empty.
_RULES_2018_KNOWN = {
    ("a", "difficult"): (None, 10 * _M),
    ("a", "especially_difficult"): (None, 10 * _M),
    ("b1", "normal"): ("30", 1000 * _M),
}
# item, fund, area class, max percent, max amount, unit, priority multiplier, legal document, provision,
# valid_from, valid_to, uncertain, note
SUPPORT_RULES = [
    (
        item,
        "kcqg",
        area,
        pct,
        amount,
        unit,
        "1.5",
        "26/2014/TTLT-BTC-BCT",
        "Điều 6 khoản 2",
        "2014-04-08",
        None,
        False,
        note,
    )
    for item, area, pct, amount, unit, note in _RULES_2014
] + [
    (
        item,
        "kcqg",
        area,
        *_RULES_2018_KNOWN.get((item, area), (None, None)),
        unit,
        None,
        "28/2018/TT-BTC",
        "",
        None,
        None,
        (item, area) not in _RULES_2018_KNOWN,
        ""
        if (item, area) in _RULES_2018_KNOWN
        else "Mức theo Thông tư 28/2018/TT-BTC (sửa đổi bởi 64/2024/TT-BTC) chưa được đối chiếu: cần nhập.",
    )
    for item, area, _pct, _amount, unit, _note in _RULES_2014
]

# location rule, legal forms, legal document, provision, valid_from, valid_to
BENEFICIARY_RULES = [
    (
        "2012",
        ["dn_sieu_nho", "dn_nho", "dn_vua", "htx", "to_hop_tac", "ho_kinh_doanh"],
        "45/2012/NĐ-CP",
        "Điều 1",
        "2012-07-05",
        "2025-10-14",
    ),
    (
        "2025",
        ["dn_sieu_nho", "dn_nho", "dn_vua", "htx", "lien_hiep_htx", "to_hop_tac", "ho_kinh_doanh"],
        "235/2025/NĐ-CP",
        "Điều 1 khoản 2 (sửa Điều 1)",
        "2025-10-15",
        None,
    ),
]

# step, fund, day, month, year offset, legal document, provision  — TT 36/2013 (current deadlines to be verified)
CALENDAR = [
    ("submit_department", "kcqg", 20, 5, -1, "36/2013/TT-BCT", "Điều 10 khoản 1"),
    ("register_ministry", "kcqg", 15, 6, -1, "36/2013/TT-BCT", "Điều 10"),
    ("progress_report", "kcqg", 25, None, 0, "36/2013/TT-BCT", "Phụ lục 1, Mẫu 3b"),
    ("settlement", "kcqg", 22, 1, 1, "36/2013/TT-BCT", "Điều 14"),
]

# percent, items (empty: every other item), condition, legal document, provision  — KCQG, TT 36/2013 Art. 13
ADVANCES = [
    ("30", ["p", "r"], "Sau khi hoàn thành trên 50 % khối lượng công việc", "36/2013/TT-BCT", "Điều 13"),
    (
        "70",
        ["b1", "b2", "c"],
        "Sau khi hoàn thành trên 70 % giá trị đầu tư mô hình, máy móc thiết bị",
        "36/2013/TT-BCT",
        "Điều 13",
    ),
    ("100", ["a"], "Sau khi nghiệm thu", "36/2013/TT-BCT", "Điều 13"),
    ("70", [], "", "36/2013/TT-BCT", "Điều 13"),
]

# code, name, English name, unit, group, contents, support items, computed, provision, uncertain
# — what projects, programmes and reports count. The contents are those of ND 45/2012 Art. 4 (kept by ND 235/2025);
# the split of courses by topic and the media kinds follow the reports' usual wording (to be verified against the
# reporting forms, not read).
_N45 = "Điều 4"
INDICATORS = [
    ("trainees", "Người được đào tạo nghề, truyền nghề", "People given vocational training", "person", "Đào tạo",
     ["4.1"], [], False, "Điều 4 khoản 1", False),
    ("trainees_employed", "Học viên có việc làm sau đào tạo", "Trainees employed after training", "person",
     "Đào tạo", ["4.1"], [], False, "Điều 4 khoản 1", True),
    ("course_participants", "Lượt người tham gia tập huấn, khóa học ngắn hạn",
     "People attending training or short courses", "person", "Tập huấn", ["4.2", "4.9"], [], False,
     "Điều 4 khoản 2, 9", False),
    ("courses_digital", "Lớp tập huấn về chuyển đổi số", "Courses on digital transformation", "class", "Tập huấn",
     ["4.2", "4.9"], [], False, _N45, True),
    ("courses_cleaner_production", "Lớp tập huấn về sản xuất sạch hơn", "Courses on cleaner production", "class",
     "Tập huấn", ["4.2"], [], False, "Điều 4 khoản 2", False),
    ("courses_energy", "Lớp tập huấn về sử dụng năng lượng tiết kiệm và hiệu quả", "Courses on energy saving",
     "class", "Tập huấn", ["4.2"], [], False, _N45, True),
    ("courses_management", "Lớp tập huấn nâng cao năng lực quản lý", "Courses on management", "class", "Tập huấn",
     ["4.2", "4.9"], [], False, "Điều 4 khoản 2, 9", False),
    ("courses_other", "Lớp đào tạo, tập huấn khác", "Other classes and courses", "class", "Tập huấn",
     ["4.1", "4.2", "4.9"], [], False, _N45, False),
    ("models", "Mô hình trình diễn kỹ thuật", "Demonstration models", "model", "Mô hình, máy móc",
     ["4.3"], ["b1", "b2"], False, "Điều 4 khoản 3", False),
    ("machinery_establishments", "Cơ sở được hỗ trợ ứng dụng máy móc, chuyển giao công nghệ (ngoài mô hình)",
     "Establishments supported with machinery or technology transfer (apart from models)", "establishment",
     "Mô hình, máy móc", ["4.3"], ["c"], False, "Điều 4 khoản 3", False),
    ("machines", "Máy móc, thiết bị tiên tiến", "Advanced machines and equipment", "machine", "Mô hình, máy móc",
     ["4.3"], ["c"], False, "Điều 4 khoản 3", False),
    ("technology_lines", "Dây chuyền công nghệ", "Technology lines", "line", "Mô hình, máy móc", ["4.3"], ["c"],
     False, "Điều 4 khoản 3", False),
    ("cleaner_production_assessments", "Đánh giá sản xuất sạch hơn tại cơ sở",
     "Cleaner-production assessments", "assessment", "Tư vấn", ["4.2", "4.3", "4.5"], [], False, _N45, True),
    ("consulting", "Lượt tư vấn, trợ giúp cơ sở công nghiệp nông thôn", "Consulting engagements", "engagement",
     "Tư vấn", ["4.5"], ["i"], False, "Điều 4 khoản 5", False),
    ("fairs_domestic", "Hội chợ, triển lãm trong nước được tổ chức", "Fairs and exhibitions organised at home",
     "fair", "Xúc tiến thương mại", ["4.4"], ["d"], False, "Điều 4 khoản 4", False),
    ("fairs_abroad", "Hội chợ, triển lãm ở nước ngoài", "Fairs and exhibitions abroad", "fair",
     "Xúc tiến thương mại", ["4.4"], ["dd"], False, "Điều 4 khoản 4", False),
    ("fair_booths", "Gian hàng được hỗ trợ", "Booths supported", "booth", "Xúc tiến thương mại", ["4.4"],
     ["d", "d2", "dd"], False, "Điều 4 khoản 4", False),
    ("showrooms", "Phòng trưng bày được xây dựng, hỗ trợ", "Showrooms built or supported", "showroom",
     "Xúc tiến thương mại", ["4.4"], [], False, "Điều 4 khoản 4", False),
    ("brands", "Nhãn hiệu, thương hiệu được xây dựng, đăng ký", "Brands and trademarks registered", "brand",
     "Xúc tiến thương mại", ["4.4"], ["h"], False, "Điều 4 khoản 4", False),
    ("enterprises_founded", "Doanh nghiệp công nghiệp nông thôn được thành lập", "Enterprises founded",
     "enterprise", "Khởi sự doanh nghiệp", ["4.2"], ["a"], False, "Điều 4 khoản 2", False),
    ("clusters_planned", "Cụm công nghiệp được lập quy hoạch chi tiết", "Industrial clusters planned", "cluster",
     "Cụm công nghiệp", ["4.7"], ["q"], False, "Điều 4 khoản 7", False),
    ("clusters_infrastructure", "Cụm công nghiệp được hỗ trợ đầu tư hạ tầng",
     "Industrial clusters with infrastructure built", "cluster", "Cụm công nghiệp", ["4.7"], ["r"], False,
     "Điều 4 khoản 7", False),
    ("pollution_systems", "Hệ thống xử lý ô nhiễm môi trường được sửa chữa, nâng cấp",
     "Pollution treatment systems repaired or upgraded", "system", "Cụm công nghiệp", ["4.7"], ["o", "p"], False,
     "Điều 4 khoản 7", False),
    ("media_tv_radio", "Chương trình truyền hình, truyền thanh", "TV and radio programmes", "programme",
     "Thông tin, truyền thông", ["4.6"], ["k"], False, "Điều 4 khoản 6", False),
    ("media_articles", "Tin, bài viết", "Articles", "article", "Thông tin, truyền thông", ["4.6"], ["k"], False,
     "Điều 4 khoản 6", False),
    ("media_newsletters", "Bản tin, ấn phẩm", "Newsletters and publications", "issue", "Thông tin, truyền thông",
     ["4.6"], ["k"], False, "Điều 4 khoản 6", False),
    ("media_web", "Trang thông tin điện tử, chuyên mục", "Web pages and sections", "page",
     "Thông tin, truyền thông", ["4.6", "4.9"], [], False, "Điều 4 khoản 6", False),
    ("jobs_created", "Việc làm mới tạo ra", "Jobs created", "job", "Hiệu quả", [], [], False, _N45, True),
    ("establishments_supported", "Cơ sở công nghiệp nông thôn được hỗ trợ", "Establishments supported",
     "establishment", "Hiệu quả", [], [], True, _N45, False),
    ("revenue_change", "Doanh thu tăng sau hỗ trợ", "Revenue change after support", "percent", "Hiệu quả", [], [],
     True, _N45, True),
    ("funds_vnd", "Kinh phí khuyến công", "Khuyến công funds", "vnd", "Kinh phí", [], [], True, _N45, False),
]  # fmt: skip
