"""Vietnamese number words for the "Bằng chữ" line of financial documents.

Conventions (the ones Vietnamese accounting forms use; num2words gets several of them wrong):

- thousands are "nghìn", 10^9 is "tỷ"; above that the words repeat: 10^12 is "nghìn tỷ", 10^15 "triệu tỷ";
- a group of three digits that is all zeros is skipped (5.000.000 → "năm triệu");
- a non-leading group reads its hundreds even when they are zero: 2.024 → "hai nghìn không trăm hai mươi bốn";
- a zero in the tens place before a non-zero unit reads "linh": 105 → "một trăm linh năm";
- 10–19 read "mười …"; 20–99 read "… mươi …";
- a unit 1 after "mươi" reads "mốt" (21 → "hai mươi mốt"), but "một" after "mười" and "linh" (11, 101);
- a unit 5 after "mười"/"mươi" reads "lăm" (15, 25), but "năm" after "linh" (105);
- a unit 4 reads "bốn" everywhere (24 → "hai mươi bốn");
- negative numbers start with "âm".

`amount_in_words()` capitalises the first letter and ends with "đồng", as in "Bằng chữ: Hai triệu đồng".
"""

__all__ = ["amount_in_words", "number_to_words"]

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_GROUP_NAMES = ("", "nghìn", "triệu")
_BILLION = 10**9


def _read_group(value: int, *, full: bool) -> list[str]:
    hundreds, rest = divmod(value, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units:
            if hundreds or full:
                words.append("linh")
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]
        if units == 1:
            words.append("mốt")
        elif units == 5:
            words.append("lăm")
        elif units:
            words.append(_DIGITS[units])
    return words


def _below_billion(value: int, *, full: bool) -> list[str]:
    groups = [(value // 10**6) % 1000, (value // 1000) % 1000, value % 1000]
    words: list[str] = []
    for index, group in enumerate(groups):
        if not group:
            continue
        words += _read_group(group, full=full or bool(words))
        name = _GROUP_NAMES[2 - index]
        if name:
            words.append(name)
    return words


def _words(value: int, *, full: bool = False) -> list[str]:
    if value >= _BILLION:
        high, low = divmod(value, _BILLION)
        words = [*_words(high, full=full), "tỷ"]
        if low:
            words += _below_billion(low, full=True)
        return words
    return _below_billion(value, full=full)


def number_to_words(value: int) -> str:
    """Read an integer in Vietnamese words, lower case: 1_234 → "một nghìn hai trăm ba mươi bốn"."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("number_to_words takes an int")
    if value == 0:
        return "không"
    prefix = ["âm"] if value < 0 else []
    return " ".join(prefix + _words(abs(value)))


def amount_in_words(amount_vnd: int, *, currency: str = "đồng") -> str:
    """The "Bằng chữ" text of an amount in đồng: 2_000_000 → "Hai triệu đồng"."""
    text = f"{number_to_words(amount_vnd)} {currency}".strip()
    return text[0].upper() + text[1:]
