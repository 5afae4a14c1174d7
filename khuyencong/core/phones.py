"""Vietnamese telephone numbers as people write them: "0912 345 678", "+84 912.345.678", "(0263) 3822 111",
several numbers in one cell ("0912345678 / 0263 3822 111"); checked against the numbering plan in force since the
2017–2018 changes (QĐ 798/QĐ-BTTTT: 11-digit mobiles became 10 digits; landlines begin 02 and have 11 digits)."""

import re

from django.utils.translation import gettext as _

MOBILE_PREFIXES = ("03", "05", "07", "08", "09")
# " - " between two numbers separates them; a dash inside one number ("0263-3822-111") does not.
_SEPARATORS = re.compile(r"[;,/|]|\s+-\s+|\s+(?:hoặc|hoac|và|va|or)\s+", re.IGNORECASE)


def _national(digits: str) -> str:
    if digits.startswith("84") and len(digits) in (11, 12):
        return "0" + digits[2:]
    return digits


def number_problem(text: str) -> str | None:
    """Why one number is not a Vietnamese telephone number, or None."""
    if re.search(r"[^\d\s().+\-]", text):
        return _("“%(v)s” holds characters a telephone number does not have") % {"v": text}
    digits = _national(re.sub(r"\D", "", text))
    if digits.startswith(("1800", "1900")) and len(digits) in (8, 10):
        return None
    if len(digits) == 10 and digits.startswith(MOBILE_PREFIXES):
        return None
    if len(digits) == 11 and digits.startswith("02"):
        return None
    if len(digits) == 11 and digits.startswith("01"):
        return _("“%(v)s” is an old 11-digit mobile number (changed to 10 digits in 2018)") % {"v": text}
    if len(digits) in (7, 8) and not digits.startswith("0"):
        return _("“%(v)s” lacks its area code (e.g. 0263 for Lâm Đồng)") % {"v": text}
    return _(
        "“%(v)s” is not a Vietnamese telephone number (a mobile has 10 digits beginning 03, 05, 07, 08 or 09; "
        "a landline 11 digits beginning 02)"
    ) % {"v": text}


def phone_problem(value: str) -> str | None:
    """Why a telephone field (one number or several) is not right, or None; empty is right."""
    parts = [part.strip() for part in _SEPARATORS.split(value or "") if part and part.strip()]
    for part in parts:
        problem = number_problem(part)
        if problem:
            return problem
    return None
