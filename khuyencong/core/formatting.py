"""Display formats for numbers, rates and money (integer VND).

Money stays an integer number of đồng from the database to this module; it is turned into text only here, at
display time. Rates and ratios are computed from unrounded integers with `Decimal` and rounded half-up only for
display: 2 decimals for progress rates and leverage, 1 for shares. Vietnamese marks by default ("." groups
thousands, "," is the decimal mark); pass `lang="en"` for English marks.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

__all__ = [
    "MoneyUnit",
    "format_date",
    "format_money",
    "format_number",
    "format_percent",
    "format_ratio",
    "parse_number",
    "percent_of",
    "ratio_of",
    "round_half_up",
    "shares_largest_remainder",
]

_MARKS = {"vi": (".", ","), "en": (",", ".")}


class MoneyUnit(StrEnum):
    DONG = "dong"
    THOUSAND = "nghin"
    MILLION = "trieu"
    BILLION = "ty"


_UNIT_DIVISOR = {MoneyUnit.DONG: 1, MoneyUnit.THOUSAND: 10**3, MoneyUnit.MILLION: 10**6, MoneyUnit.BILLION: 10**9}
_UNIT_LABEL = {
    "vi": {
        MoneyUnit.DONG: "đ",
        MoneyUnit.THOUSAND: "nghìn đồng",
        MoneyUnit.MILLION: "triệu đồng",
        MoneyUnit.BILLION: "tỷ đồng",
    },
    "en": {
        MoneyUnit.DONG: "VND",
        MoneyUnit.THOUSAND: "thousand VND",
        MoneyUnit.MILLION: "million VND",
        MoneyUnit.BILLION: "billion VND",
    },
}


def _marks(lang: str) -> tuple[str, str]:
    return _MARKS.get((lang or "vi")[:2], _MARKS["vi"])


def round_half_up(value: Decimal | int, decimals: int) -> Decimal:
    """Round half away from zero (the rounding officials expect: 4,775 → 4,78)."""
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(value)
    with localcontext() as context:  # enough digits for any number (a 40-digit typo is shown, not a 500)
        context.prec = max(context.prec, number.adjusted() + decimals + 2)
        return number.quantize(quantum, rounding=ROUND_HALF_UP)


def format_number(value: int | Decimal | None, decimals: int = 0, *, lang: str = "vi") -> str:
    """Group thousands and set the decimal mark: 1234567.891 → "1.234.567,89" (decimals=2)."""
    if value is None:
        return ""
    thousands, decimal_mark = _marks(lang)
    rounded = round_half_up(Decimal(value), decimals)
    sign = "-" if rounded < 0 else ""
    text = f"{rounded.copy_abs():,.{decimals}f}"  # "1,234,567.89" (copy_abs: exact, abs() rounds to 28 digits)
    integer, _, fraction = text.partition(".")
    integer = integer.replace(",", thousands)
    return sign + (f"{integer}{decimal_mark}{fraction}" if fraction else integer)


def format_money(
    amount_vnd: int | None,
    unit: MoneyUnit | str = MoneyUnit.DONG,
    decimals: int | None = None,
    *,
    lang: str = "vi",
    with_unit: bool = True,
) -> str:
    """Show an integer VND amount in đồng, nghìn, triệu or tỷ đồng: 481_407_000_000 in tỷ, 3 decimals →
    "481,407 tỷ đồng"; 1_234_567 in đồng → "1.234.567 đ"."""
    if amount_vnd is None:
        return ""
    if not isinstance(amount_vnd, int) or isinstance(amount_vnd, bool):
        raise TypeError("Money is an integer number of đồng")
    unit = MoneyUnit(unit)
    if decimals is None:
        decimals = 0 if unit == MoneyUnit.DONG else 2
    with localcontext() as context:  # exact for any number of digits
        context.prec = max(context.prec, len(str(abs(amount_vnd))) + 4)
        value = Decimal(amount_vnd) / _UNIT_DIVISOR[unit]
    text = format_number(value, decimals, lang=lang)
    if not with_unit:
        return text
    label = _UNIT_LABEL.get((lang or "vi")[:2], _UNIT_LABEL["vi"])[unit]
    return f"{text} {label}"


def percent_of(numerator: int, denominator: int) -> Decimal | None:
    """Unrounded numerator ÷ denominator × 100, or None when the denominator is 0."""
    if not denominator:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


def ratio_of(numerator: int, denominator: int) -> Decimal | None:
    """Unrounded numerator ÷ denominator, or None when the denominator is 0."""
    if not denominator:
        return None
    return Decimal(numerator) / Decimal(denominator)


def shares_largest_remainder(values: list[int], decimals: int = 1) -> list[Decimal] | None:
    """Percent shares of `values` rounded to `decimals` so that they total exactly 100 (largest-remainder method:
    every share is rounded down, then the units left go to the largest remainders, ties to the earlier value).
    None when the values total 0."""
    total = sum(values)
    if not total:
        return None
    unit = Decimal(1).scaleb(-decimals)
    exact = [Decimal(v) * 100 / Decimal(total) for v in values]
    floors = [(e / unit).to_integral_value(rounding="ROUND_FLOOR") * unit for e in exact]
    left = int(((Decimal(100) - sum(floors)) / unit).to_integral_value())
    order = sorted(range(len(values)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += unit
    return floors


def format_percent(value: Decimal | int | None, decimals: int = 2, *, lang: str = "vi") -> str:
    """A percentage already multiplied by 100: Decimal("47.148") → "47,15 %". None (no base) → "–"."""
    if value is None:
        return "–"
    return f"{format_number(Decimal(value), decimals, lang=lang)} %"


def format_ratio(value: Decimal | int | None, decimals: int = 2, *, lang: str = "vi") -> str:
    """A ratio such as leverage: Decimal("4.7777") → "4,78"."""
    if value is None:
        return "–"
    return format_number(Decimal(value), decimals, lang=lang)


def parse_number(text: str, *, lang: str = "vi") -> Decimal:
    """Read a number typed the Vietnamese way ("1.234.567,5", "1 234 567") into a Decimal. Raises ValueError.

    The reading is `core.parsing`'s (the one parser of numbers from outside); this wrapper keeps the ValueError
    interface for code that reports its own message."""
    from .exceptions import ApplicationError
    from .parsing import parse_decimal

    try:
        number = parse_decimal(text, required=True)
    except ApplicationError as exc:
        raise ValueError(text) from exc
    assert number is not None
    return number


def format_date(value: datetime.date | None, *, lang: str = "vi") -> str:
    """dd/mm/yyyy in both languages (the Vietnamese convention)."""
    if value is None:
        return ""
    return value.strftime("%d/%m/%Y")
