"""Search keys for Vietnamese text.

`fold()` turns any spelling of a Vietnamese string into one search key: NFC or NFD input, both tone-mark placements
(hoà/hòa, thuỷ/thủy), upper or lower case, "đ" or "d", extra spaces. "Đắk Lắk", "dak lak", "ĐẮK LẮK" and the NFD
form all give "dak lak". Stored next to every searchable text (SQLite's LIKE is ASCII-only) and used to sort.

It is called for every row of an import, so it works with one `str.translate` over a table built once (every
precomposed Latin letter → its base letter, every combining mark → nothing), which gives the same result as
NFD-decomposing and dropping the marks (`fold_reference`, kept for the tests) at a fraction of the cost.
"""

import re
import unicodedata
from typing import Any

__all__ = ["fold", "fold_reference", "fold_words", "without_controls"]

_SPACES = re.compile(r"\s+")
_D_MAP = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for start, end in ((0x00C0, 0x024F), (0x1E00, 0x1EFF)):  # Latin-1 Supplement … Extended-B, Extended Additional
        for code in range(start, end + 1):
            decomposed = unicodedata.normalize("NFD", chr(code))
            base = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
            if base != chr(code):
                table[code] = base
    for code in range(0x0300, 0x0370):  # combining diacritical marks (NFD input)
        table[code] = None
    for code in range(0x1AB0, 0x1B00):
        table[code] = None
    for code in range(0x1DC0, 0x1E00):
        table[code] = None
    table.update({ord("đ"): "d", ord("Đ"): "d", ord("ð"): "d", ord("Ð"): "d"})
    return table


_FOLD_TABLE = _build_table()


def fold(value: str | None) -> str:
    """Return the folded search key of `value`: no diacritics, đ→d, lower case, single spaces."""
    if not value:
        return ""
    text = str(value).translate(_FOLD_TABLE).casefold()
    if not text.isascii():
        # Rare characters the table does not cover (other scripts, compatibility forms): the slow, exact path.
        return fold_reference(text)
    return _SPACES.sub(" ", text).strip()


def fold_reference(value: str | None) -> str:
    """The definition: NFD, drop combining marks, đ→d, case-fold, single spaces."""
    if not value:
        return ""
    decomposed = unicodedata.normalize("NFD", str(value).translate(_D_MAP))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold().translate(_D_MAP)).strip()


def fold_words(value: str | None) -> list[str]:
    """The folded words of `value`, for queries where every word must match."""
    return [word for word in fold(value).split(" ") if word]


#: Control characters no text of ours means anything by: NUL (PostgreSQL refuses it in any string) and the other C0
#: controls and DEL (Word and XML documents cannot hold them). Tab, line feed and carriage return stay.
_CONTROLS = {c: None for c in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]}


def without_controls(value: Any) -> Any:
    """`value` with those control characters removed from its text (also inside lists and dicts)."""
    if isinstance(value, str):
        return value.translate(_CONTROLS) if not value.isprintable() else value
    if isinstance(value, list):
        return [without_controls(v) for v in value]
    if isinstance(value, dict):
        return {without_controls(k): without_controls(v) for k, v in value.items()}
    return value


def keep_last_words(text: str) -> str:
    """`text` with its last two words joined by a no-break space, so that a heading which wraps (an agency's name
    in a document's header) never leaves one word alone on its last line."""
    words = text.split(" ")
    if len(words) < 3:
        return text
    return " ".join(words[:-2]) + " " + words[-2] + "\u00a0" + words[-1]
