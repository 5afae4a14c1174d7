"""Search keys for Vietnamese text.

`fold()` turns any spelling of a Vietnamese string into one search key: NFC or NFD input, both tone-mark placements
(hoà/hòa, thuỷ/thủy), upper or lower case, "đ" or "d", extra spaces. "Đắk Lắk", "dak lak", "ĐẮK LẮK" and the NFD
form all give "dak lak". Stored next to every searchable text (SQLite's LIKE is ASCII-only) and used to sort.
"""

import re
import unicodedata

__all__ = ["fold", "fold_words"]

_SPACES = re.compile(r"\s+")
_D_MAP = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def fold(value: str | None) -> str:
    """Return the folded search key of `value`: no diacritics, đ→d, case-folded, single spaces."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold().translate(_D_MAP)).strip()


def fold_words(value: str | None) -> list[str]:
    """The folded words of `value`, for queries where every word must match."""
    return [word for word in fold(value).split(" ") if word]
