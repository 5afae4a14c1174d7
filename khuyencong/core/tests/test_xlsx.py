import datetime
import io
from decimal import Decimal

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from khuyencong.core.xlsx import write_xlsx


def _reopen(data: bytes) -> list[tuple]:
    return list(openpyxl.load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))


def test_types_survive_the_round_trip():
    buffer = io.BytesIO()
    count = write_xlsx(
        buffer,
        ["Tên", "Số", "Ngày", "Tỷ lệ", "Có"],
        [["Cơ sở A & <B>", 1_920, datetime.date(2024, 3, 5), Decimal("1.5"), True], ["\x01lỗi", None, None, 2.5, ""]],
        sheet_name="Cơ sở",
        widths=[30, 10, 12, 8, 5],
    )
    assert count == 2
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook.sheetnames == ["Cơ sở"]
    rows = _reopen(buffer.getvalue())
    assert rows[0] == ("Tên", "Số", "Ngày", "Tỷ lệ", "Có")
    assert rows[1] == ("Cơ sở A & <B>", 1920, datetime.datetime(2024, 3, 5), 1.5, True)
    assert rows[2] == ("lỗi", None, None, 2.5, None)  # control characters Excel refuses are dropped


VIETNAMESE = "aàáảãạăắằẳẵặâấầẩẫậđeèéẻẽẹêếềểễệoòóỏõọôốồổỗộơớờởỡợuùúủũụưứừửữựyỳýỷỹỵ"
SAFE = VIETNAMESE + VIETNAMESE.upper() + "0123456789 .,;:-–/()&<>\"'%"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=SAFE, min_size=1, max_size=30), min_size=1, max_size=5))
def test_any_text_reopens_unchanged(texts):
    buffer = io.BytesIO()
    write_xlsx(buffer, ["a"], [[t] for t in texts])
    assert [r[0] for r in _reopen(buffer.getvalue())[1:]] == texts
