"""The one parser of numbers that come from outside: query strings, forms, JSON bodies and files.

Every integer, id, year, amount of money and decimal a user or another system sends goes through here, so that
the same text means the same number everywhere and junk never reaches the database or a calculation:

- only ASCII digits count ("²", "١٢", "１２" are refused: `"²".isdigit()` is true in Python, `int("١٢")` is 12);
- "Infinity", "NaN", exponents ("1e9") and hexadecimal are refused;
- Vietnamese grouping is read strictly: "1.250.000.000" and "1 250 000 000" are whole numbers, "1,5" is one and a
  half; English grouping ("1,250,000") is read when it cannot be a Vietnamese decimal; an ambiguous "1.5" is a
  decimal (so a whole-number field refuses it rather than reading fifteen);
- sizes are bounded: at most `MAX_TEXT` characters, and integers fit the database (SQLite and PostgreSQL bigint).

Each function raises `ApplicationError(INVALID, <Vietnamese message>, field=<name>)`; forms, serializers and
views turn it into a message at the field (see `core.forms` and `core.api.fields`), never a 500. `parse_*` accept
None/"" as "no value" (None) unless `required`.
"""

import datetime
import re
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from .exceptions import ApplicationError, ErrorCode

__all__ = [
    "MAX_DATE",
    "MAX_DB_INT",
    "MIN_DATE",
    "check_date",
    "MAX_TEXT",
    "ParseError",
    "parse_date",
    "parse_decimal",
    "parse_id",
    "parse_integer",
    "parse_money",
    "parse_year",
    "query_id",
    "query_int",
    "query_year",
]

#: The largest integer both databases store (a signed 64-bit integer).
MAX_DB_INT = 2**63 - 1
#: The longest text read as a number (the largest amount, grouped, with a unit, is far shorter).
MAX_TEXT = 40
#: Dates any record or question of ours can be about ("01/01/0001" as a date "as of" made a 500 a year before it).
MIN_DATE, MAX_DATE = datetime.date(1900, 1, 1), datetime.date(2100, 12, 31)
#: The largest decimal read (no figure of ours comes near: coordinates, rates, shares).
MAX_DECIMAL = 10**15
#: Years any record of the programme can carry.
MIN_YEAR, MAX_YEAR = 1990, 2100

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_PLAIN = re.compile(r"[+-]?[0-9]+")
_VI_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?")
_VI_DECIMAL = re.compile(r"[+-]?[0-9]+,[0-9]+")
_EN_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?")
_EN_DECIMAL = re.compile(r"[+-]?[0-9]+\.[0-9]+")
_MONEY_UNITS = re.compile(r"(đồng|dong|vnđ|vnd|đ)$", re.IGNORECASE)


class ParseError(ApplicationError):
    """A value that is not the number it should be; `field` names the input at fault."""

    def __init__(self, message: str, *, field: str | None):
        super().__init__(ErrorCode.INVALID, message, field=field)


def _shown(value: Any) -> str:
    """The value as the message quotes it: printable characters only, cut short."""
    text = "".join(c for c in str(value) if c.isprintable())
    return text[:MAX_TEXT] + ("…" if len(text) > MAX_TEXT else "")


def _label(label: str | None) -> str:
    return str(label) if label else _("This value")


def _decimal_text(value: Any, *, field: str | None, label: str | None) -> Decimal:
    """`value` (text or number) as a finite Decimal, read the Vietnamese way (see the module's notes)."""
    if isinstance(value, bool):
        raise ParseError(_("%(label)s must be a number.") % {"label": _label(label)}, field=field)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ParseError(_("%(label)s must be a number.") % {"label": _label(label)}, field=field)
        return Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ParseError(_("%(label)s must be a number.") % {"label": _label(label)}, field=field)
        return value
    text = str(value)
    if len(text) > MAX_TEXT:
        raise ParseError(
            _("%(label)s is too long to be a number (at most %(n)s characters).")
            % {"label": _label(label), "n": MAX_TEXT},
            field=field,
        )
    text = _SPACES.sub("", text)
    if _PLAIN.fullmatch(text):
        normalised = text
    elif _VI_GROUPED.fullmatch(text):
        normalised = text.replace(".", "").replace(",", ".")
    elif _VI_DECIMAL.fullmatch(text):
        normalised = text.replace(",", ".")
    elif _EN_GROUPED.fullmatch(text):  # "1,250,000" or "1,250.5" (a single comma alone was read above as Vietnamese)
        normalised = text.replace(",", "")
    elif _EN_DECIMAL.fullmatch(text):
        normalised = text
    else:
        raise ParseError(
            _("“%(value)s” is not a number; type digits, e.g. 1.250.000.") % {"value": _shown(value)},
            field=field,
        )
    try:
        return Decimal(normalised)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above only let digits through
        raise ParseError(_("%(label)s must be a number.") % {"label": _label(label)}, field=field) from exc


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _required(field: str | None, label: str | None) -> ParseError:
    return ParseError(_("%(label)s is required.") % {"label": _label(label)}, field=field)


def parse_decimal(
    value: Any,
    *,
    field: str | None = None,
    label: str | None = None,
    required: bool = False,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
    places: int | None = None,
) -> Decimal | None:
    """A finite decimal number, within [minimum, maximum] and with at most `places` decimals when given."""
    if _empty(value):
        if required:
            raise _required(field, label)
        return None
    number = _decimal_text(value, field=field, label=label)
    _check_range(
        number,
        field=field,
        label=label,
        minimum=-MAX_DECIMAL if minimum is None else minimum,
        maximum=MAX_DECIMAL if maximum is None else maximum,
    )
    if places is not None:
        try:
            exact = number == number.quantize(Decimal(1).scaleb(-places), rounding="ROUND_DOWN")
        except InvalidOperation:  # more digits than any decimal of ours holds
            exact = False
        if not exact:
            raise ParseError(
                _("%(label)s has at most %(n)s decimals.") % {"label": _label(label), "n": places}, field=field
            )
    return number


def _check_range(
    number: Decimal | int,
    *,
    field: str | None,
    label: str | None,
    minimum: Decimal | int | None,
    maximum: Decimal | int | None,
) -> None:
    from .formatting import format_number

    if minimum is not None and number < minimum:
        raise ParseError(
            _("%(label)s must be at least %(min)s.") % {"label": _label(label), "min": format_number(minimum)},
            field=field,
        )
    if maximum is not None and number > maximum:
        raise ParseError(
            _("%(label)s must be at most %(max)s.") % {"label": _label(label), "max": format_number(maximum)},
            field=field,
        )


def parse_integer(
    value: Any,
    *,
    field: str | None = None,
    label: str | None = None,
    required: bool = False,
    minimum: int | None = 0,
    maximum: int | None = MAX_DB_INT,
) -> int | None:
    """A whole number ("1.920", "1 920", 1920), by default 0 ≤ n ≤ the database's largest integer."""
    if _empty(value):
        if required:
            raise _required(field, label)
        return None
    number = _decimal_text(value, field=field, label=label)
    if number != number.to_integral_value():
        raise ParseError(_("%(label)s must be a whole number.") % {"label": _label(label)}, field=field)
    _check_range(
        number,
        field=field,
        label=label,
        minimum=-MAX_DB_INT if minimum is None else minimum,
        maximum=MAX_DB_INT if maximum is None else min(maximum, MAX_DB_INT),
    )
    return int(number)


def parse_id(value: Any, *, field: str | None = None, label: str | None = None, required: bool = False) -> int | None:
    """A record's id: plain ASCII digits (no grouping, no sign), 1 ≤ id ≤ the database's largest integer."""
    if _empty(value):
        if required:
            raise _required(field, label)
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        text = ""
    if not (len(text) <= 19 and _PLAIN.fullmatch(text) and text[0] not in "+-"):
        raise ParseError(
            _("“%(value)s” is not a valid id.") % {"value": _shown(value)},
            field=field,
        )
    number = int(text)
    if not 1 <= number <= MAX_DB_INT:
        raise ParseError(_("“%(value)s” is not a valid id.") % {"value": _shown(text)}, field=field)
    return number


def parse_year(
    value: Any,
    *,
    field: str | None = None,
    label: str | None = None,
    required: bool = False,
    minimum: int = MIN_YEAR,
    maximum: int = MAX_YEAR,
) -> int | None:
    """A calendar year, four plain digits between `minimum` and `maximum` (no grouping: "2.026" is refused)."""
    if _empty(value):
        if required:
            raise _required(field, label)
        return None
    text = str(value).strip() if not isinstance(value, bool) else ""
    if not (isinstance(value, int | str) and _PLAIN.fullmatch(text) and len(text) <= 4 and text[0] not in "+-"):
        raise ParseError(_("“%(value)s” is not a year.") % {"value": _shown(value)}, field=field)
    year = int(text)
    if not minimum <= year <= maximum:
        raise ParseError(
            _("The year must be between %(min)s and %(max)s.") % {"min": minimum, "max": maximum}, field=field
        )
    return year


def parse_money(
    value: Any,
    *,
    field: str | None = None,
    label: str | None = None,
    required: bool = False,
    positive: bool = False,
) -> int | None:
    """An amount of đồng ("1.250.000.000", "1 250 000 000 đ", 1250000000): whole, not negative (more than 0 when
    `positive`) and not beyond any khuyến công amount (`core.money.MAX_AMOUNT_VND`)."""
    from .money import check_amount

    if isinstance(value, str):
        value = _MONEY_UNITS.sub("", value.strip()).strip()
    if _empty(value):
        if required:
            raise _required(field, label)
        return None
    number = _decimal_text(value, field=field, label=label)
    if number != number.to_integral_value():
        raise ParseError(
            _("%(label)s must be a whole number of đồng, e.g. 1.250.000.000.") % {"label": _label(label)}
            if label
            else _("Type a whole number of đồng, e.g. 1.250.000.000."),
            field=field,
        )
    return check_amount(int(number), field or "", label=str(label or ""), positive=positive)


def parse_date(value: Any, *, field: str | None = None, label: str | None = None, required: bool = False) -> Any:
    """A calendar date typed dd/mm/yyyy (or ISO yyyy-mm-dd), or a date already."""
    if _empty(value):
        if required:
            raise _required(field, label)
        return None
    if isinstance(value, datetime.datetime):
        return check_date(value.date(), field=field)
    if isinstance(value, datetime.date):
        return check_date(value, field=field)
    text = str(value).strip()[:MAX_TEXT]
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            parsed = datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 - a calendar date
        except ValueError:
            continue
        return check_date(parsed, field=field)
    raise ParseError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": _shown(text)}, field=field)


def check_date(value: datetime.date, *, field: str | None = None) -> datetime.date:
    """`value` when it lies between `MIN_DATE` and `MAX_DATE`, else a Vietnamese field error."""
    if not MIN_DATE <= value <= MAX_DATE:
        raise ParseError(
            _("Give a date between %(first)s and %(last)s.")
            % {"first": MIN_DATE.strftime("%d/%m/%Y"), "last": MAX_DATE.strftime("%d/%m/%Y")},
            field=field,
        )
    return value


# ---- query strings ----------------------------------------------------------------------------------------------


def _query_value(params: Mapping[str, Any], name: str) -> Any:
    getter = getattr(params, "get", None)
    return getter(name) if getter else None


def query_int(params: Mapping[str, Any], name: str, **kwargs: Any) -> int | None:
    """`parse_integer` of the query parameter `name` (the error names the parameter)."""
    return parse_integer(_query_value(params, name), field=name, **kwargs)


def query_id(params: Mapping[str, Any], name: str, **kwargs: Any) -> int | None:
    """`parse_id` of the query parameter `name`."""
    return parse_id(_query_value(params, name), field=name, **kwargs)


def query_year(params: Mapping[str, Any], name: str, **kwargs: Any) -> int | None:
    """`parse_year` of the query parameter `name`."""
    return parse_year(_query_value(params, name), field=name, **kwargs)
