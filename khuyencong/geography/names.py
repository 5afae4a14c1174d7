"""Names of administrative units as the state writes them.

The unit package spells a few kinds in another case ("xã Bắc Sơn", "Thành Phố Đồng Hới"), and a numbered unit's name
without its kind is a bare number ("1" for "Quận 1", "1 Bảo Lộc" for "Phường 1 Bảo Lộc"). Every name goes through
`unit_names` when the fixture is built and when it is loaded.
"""

import unicodedata

#: The kinds a unit's full name starts with, as written in the decisions that name them (longest first).
KIND_PREFIXES = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")


def unit_names(full_name: str) -> tuple[str, str]:
    """(full name, short name) of a unit: the kind written with a capital and the rest as given ("xã Bắc Sơn" →
    "Xã Bắc Sơn", "Bắc Sơn"); the short name drops the kind, except where the name is a number, which keeps it
    ("Quận 1", "Phường 1 Bảo Lộc"). NFC, single spaces."""
    text = " ".join(unicodedata.normalize("NFC", full_name).split())
    folded = text.casefold()
    for prefix in KIND_PREFIXES:
        if folded.startswith(prefix.casefold() + " "):
            rest = text[len(prefix) + 1 :]
            full = f"{prefix} {rest}"
            return full, full if rest[:1].isdigit() else rest
    return text, text
