import pytest
from hypothesis import given
from hypothesis import strategies as st

from khuyencong.core.numwords import amount_in_words, number_to_words

GOLDEN = [
    (0, "không"),
    (1, "một"),
    (4, "bốn"),
    (5, "năm"),
    (10, "mười"),
    (11, "mười một"),
    (14, "mười bốn"),
    (15, "mười lăm"),
    (20, "hai mươi"),
    (21, "hai mươi mốt"),
    (24, "hai mươi bốn"),
    (25, "hai mươi lăm"),
    (55, "năm mươi lăm"),
    (100, "một trăm"),
    (101, "một trăm linh một"),
    (105, "một trăm linh năm"),
    (110, "một trăm mười"),
    (115, "một trăm mười lăm"),
    (121, "một trăm hai mươi mốt"),
    (1_000, "một nghìn"),
    (1_005, "một nghìn không trăm linh năm"),
    (2_024, "hai nghìn không trăm hai mươi bốn"),
    (10_000, "mười nghìn"),
    (15_300, "mười lăm nghìn ba trăm"),
    (100_000, "một trăm nghìn"),
    (1_000_000, "một triệu"),
    (1_000_005, "một triệu không trăm linh năm"),
    (1_050_000, "một triệu không trăm năm mươi nghìn"),
    (5_000_000, "năm triệu"),
    (1_234_567, "một triệu hai trăm ba mươi bốn nghìn năm trăm sáu mươi bảy"),
    (1_000_000_000, "một tỷ"),
    (1_005_000_000, "một tỷ không trăm linh năm triệu"),
    (300_000_000, "ba trăm triệu"),
    (481_407_000_000, "bốn trăm tám mươi mốt tỷ bốn trăm linh bảy triệu"),
    (2_300_000_000_000, "hai nghìn ba trăm tỷ"),
    (1_436_000_000_000, "một nghìn bốn trăm ba mươi sáu tỷ"),
    (1_000_000_000_000_000, "một triệu tỷ"),
    (-2_500, "âm hai nghìn năm trăm"),
]


@pytest.mark.parametrize(("value", "words"), GOLDEN)
def test_golden_table(value, words):
    assert number_to_words(value) == words


def test_amount_in_words_line():
    assert amount_in_words(2_000_000) == "Hai triệu đồng"
    assert amount_in_words(481_407_000_000) == "Bốn trăm tám mươi mốt tỷ bốn trăm linh bảy triệu đồng"


def test_rejects_non_integers():
    with pytest.raises(TypeError):
        number_to_words(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        number_to_words(True)


_UNITS = {
    "không": 0,
    "một": 1,
    "mốt": 1,
    "hai": 2,
    "ba": 3,
    "bốn": 4,
    "năm": 5,
    "lăm": 5,
    "sáu": 6,
    "bảy": 7,
    "tám": 8,
    "chín": 9,
}


def _parse(words: str) -> int:
    """An independent reader of the words, to check that every number reads back to itself."""
    tokens = words.split()
    sign = -1 if tokens[:1] == ["âm"] else 1
    tokens = tokens[1:] if sign < 0 else tokens
    total, group, billions = 0, 0, 0
    digit: int | None = None
    for token in tokens:
        if token in _UNITS:
            digit = _UNITS[token]
            group += digit
        elif token == "mười":
            group += 10
            digit = None
        elif token == "mươi":
            group += (digit or 0) * 10 - (digit or 0)
        elif token == "trăm":
            group += (digit or 0) * 100 - (digit or 0)
        elif token == "linh":
            pass
        elif token == "nghìn":
            total += group * 1_000
            group = 0
        elif token == "triệu":
            total += group * 1_000_000
            group = 0
        elif token == "tỷ":
            billions = (billions + total + group) * 1_000_000_000
            total, group = 0, 0
        else:  # pragma: no cover - a wrong word fails the test below
            raise AssertionError(token)
    return sign * (billions + total + group)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_every_number_reads_back(value):
    assert _parse(number_to_words(value)) == value


@given(st.integers(min_value=1, max_value=10**15))
def test_conventions_hold(value):
    words = number_to_words(value)
    assert "lẻ" not in words and "ngàn" not in words
    assert not words.startswith("không")
    assert "mươi một" not in words  # 21 reads "hai mươi mốt"
    assert "mười năm" not in words and "mươi năm" not in words  # 15, 25 read "lăm"
    assert "linh lăm" not in words and "linh mốt" not in words
