"""Report forms as data: a form version's fields and rules, the checks of a report's values against them, and the
reconciliation of a draft with a newer version of its form.

A field is a JSON object::

    {"name": "workers", "type": "integer", "label": {"vi": "Số lao động", "en": "Workers"},
     "required": true, "min": 0, "max": 100000, "help": {"vi": "…", "en": "…"}}

Types: ``integer``, ``money`` (whole đồng), ``text`` (``max_length``), ``choice`` (``choices``: ``[[value, label],
…]``), ``establishment`` (an establishment of the registry in the report's commune) and ``rows`` (repeating rows
with ``columns``, themselves fields of the other types, and ``max_rows``).

A rule compares two expressions, each a field name, ``sum:<rows field>.<column>`` or a whole number::

    {"left": "female_workers", "op": "<=", "right": "workers"}

and holds whenever both sides have a value. A draft keeps what was typed, valid or not (so nothing is lost); the
checks run in full when the report is submitted.
"""

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from khuyencong.core.formatting import format_number, parse_number

from .choices import FieldType

MAX_TEXT = 5000
MAX_ROWS = 200
MAX_NUMBER = 10**15  # 1 million tỷ: larger figures are typing mistakes
OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    ">=": operator.ge,
    ">": operator.gt,
    "==": operator.eq,
}
OPERATOR_WORDS = {
    "<=": gettext_noop("must be at most"),
    "<": gettext_noop("must be less than"),
    ">=": gettext_noop("must be at least"),
    ">": gettext_noop("must be more than"),
    "==": gettext_noop("must equal"),
}


def localized(text: Any) -> str:
    """A label given as {"vi": …, "en": …} (or a plain string) in the active language."""
    if isinstance(text, Mapping):
        language = (translation.get_language() or "vi")[:2]
        return str(text.get(language) or text.get("vi") or next(iter(text.values()), ""))
    return str(text or "")


@dataclass(frozen=True)
class Field:
    name: str
    type: str
    label: Any
    required: bool = False
    min: int | None = None
    max: int | None = None
    max_length: int = MAX_TEXT
    choices: tuple[tuple[str, Any], ...] = ()
    columns: tuple["Field", ...] = ()
    max_rows: int = MAX_ROWS
    help: Any = ""

    @property
    def label_text(self) -> str:
        return localized(self.label)

    @property
    def help_text(self) -> str:
        return localized(self.help)

    def choice_label(self, value: Any) -> str:
        return next((localized(label) for v, label in self.choices if v == value), str(value or ""))

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Field":
        kind = FieldType(data["type"])
        return cls(
            name=str(data["name"]),
            type=kind,
            label=data.get("label") or data["name"],
            required=bool(data.get("required")),
            min=data.get("min", 0 if kind in (FieldType.INTEGER, FieldType.MONEY) else None),
            max=data.get("max"),
            max_length=int(data.get("max_length") or MAX_TEXT),
            choices=tuple((str(v), label) for v, label in data.get("choices", [])),
            columns=tuple(cls.from_json(c) for c in data.get("columns", [])),
            max_rows=int(data.get("max_rows") or MAX_ROWS),
            help=data.get("help") or "",
        )


def fields_of(schema: list[Mapping[str, Any]]) -> list[Field]:
    return [Field.from_json(item) for item in schema]


def check_schema(schema: Any, rules: Any) -> list[str]:
    """What is wrong with a form version's fields and rules (empty when it can be published)."""
    problems: list[str] = []
    if not isinstance(schema, list) or not schema:
        return [_("A form needs at least one field.")]
    try:
        fields = fields_of(schema)
    except (KeyError, ValueError, TypeError) as exc:
        return [_("A field is not valid: %(error)s") % {"error": exc}]
    names = [f.name for f in fields]
    if len(set(names)) != len(names):
        problems.append(_("Two fields have the same name."))
    for item in [*fields, *(column for parent in fields for column in parent.columns)]:
        if any(b is not None and (isinstance(b, bool) or not isinstance(b, int)) for b in (item.min, item.max)):
            problems.append(_("“%(field)s”: the smallest and largest values are whole numbers.") % {"field": item.name})
    for f in fields:
        if f.type == FieldType.ROWS and (not f.columns or any(c.type == FieldType.ROWS for c in f.columns)):
            problems.append(_("“%(field)s”: repeating rows need columns, none of them rows.") % {"field": f.name})
        if f.type == FieldType.CHOICE and not f.choices:
            problems.append(_("“%(field)s”: a choice needs its options.") % {"field": f.name})
    for rule in rules or []:
        if not isinstance(rule, Mapping) or rule.get("op") not in OPERATORS:
            problems.append(_("A rule is not valid: %(rule)s") % {"rule": rule})
            continue
        for side in (rule.get("left"), rule.get("right")):
            if isinstance(side, int):
                continue
            target = str(side).removeprefix("sum:").split(".")[0]
            if target not in names:
                problems.append(_("A rule names an unknown field: %(field)s") % {"field": side})
    return problems


# ---- values -------------------------------------------------------------------------------------------------------


def _number(raw: Any) -> int:
    if isinstance(raw, bool):
        raise ValueError(raw)
    if isinstance(raw, int):
        return raw
    value = parse_number(str(raw))
    if value != value.to_integral_value():
        raise ValueError(raw)
    return int(value)


def _empty(raw: Any) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip()) or raw == []


@dataclass
class Checked:
    """The typed values and the errors by field path ("workers", "by_industry.2.establishments")."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _check_value(
    f: Field, raw: Any, path: str, result: Checked, *, establishment_ok: Callable[[int], bool] | None
) -> Any:
    if _empty(raw):
        return None
    if f.type in (FieldType.INTEGER, FieldType.MONEY):
        try:
            value = _number(raw)
        except (ValueError, TypeError):
            result.errors[path] = (
                _("Type a whole number of đồng, e.g. 500.000.000.")
                if f.type == FieldType.MONEY
                else _("Type a whole number.")
            )
            return None
        low = f.min if f.min is not None else -MAX_NUMBER
        high = f.max if f.max is not None else MAX_NUMBER
        if not low <= value <= high:
            result.errors[path] = _("Give a number from %(low)s to %(high)s.") % {
                "low": format_number(low),
                "high": format_number(high),
            }
            return None
        return value
    if f.type == FieldType.TEXT:
        text = str(raw).strip()
        if len(text) > f.max_length:
            result.errors[path] = _("At most %(n)s characters.") % {"n": format_number(f.max_length)}
            return None
        return text
    if f.type == FieldType.CHOICE:
        choice = str(raw)
        if choice not in {v for v, _label in f.choices}:
            result.errors[path] = _("Choose one of the options.")
            return None
        return choice
    if f.type == FieldType.ESTABLISHMENT:
        try:
            pk = _number(raw)
        except (ValueError, TypeError):
            result.errors[path] = _("Choose an establishment from the registry.")
            return None
        if establishment_ok is not None and not establishment_ok(pk):
            result.errors[path] = _("This establishment is not in the registry of the report's commune.")
            return None
        return pk
    # Repeating rows.
    if not isinstance(raw, list):
        result.errors[path] = _("The rows could not be read.")
        return None
    if len(raw) > f.max_rows:
        result.errors[path] = _("At most %(n)s rows.") % {"n": f.max_rows}
        return None
    rows = []
    for index, row in enumerate(raw):
        if not isinstance(row, Mapping) or all(_empty(row.get(c.name)) for c in f.columns):
            continue  # an empty row is dropped
        typed = {}
        for column in f.columns:
            cell_path = f"{path}.{index}.{column.name}"
            value = _check_value(column, row.get(column.name), cell_path, result, establishment_ok=establishment_ok)
            if value is None and column.required and cell_path not in result.errors:
                result.errors[cell_path] = _("Required.")
            typed[column.name] = value
        rows.append(typed)
    return rows


def _side(expression: Any, values: Mapping[str, Any]) -> int | None:
    if isinstance(expression, int):
        return expression
    text = str(expression)
    if text.startswith("sum:"):
        rows_name, _dot, column = text[4:].partition(".")
        rows = values.get(rows_name) or []
        cells = [row.get(column) for row in rows if isinstance(row.get(column), int)]
        return sum(cells) if cells else None
    value = values.get(text)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _side_label(expression: Any, by_name: Mapping[str, Field]) -> str:
    if isinstance(expression, int):
        return format_number(expression)
    text = str(expression)
    if text.startswith("sum:"):
        rows_name, _dot, column = text[4:].partition(".")
        rows = by_name.get(rows_name)
        column_label = next((c.label_text for c in rows.columns if c.name == column), column) if rows else column
        return _("the total of “%(column)s”") % {"column": column_label}
    f = by_name.get(text)
    return f"“{f.label_text}”" if f else text


def check_values(
    schema: list[Mapping[str, Any]],
    rules: list[Mapping[str, Any]],
    raw: Mapping[str, Any],
    *,
    complete: bool,
    establishment_ok: Callable[[int], bool] | None = None,
) -> Checked:
    """Type and check `raw` against the version's fields and rules. With `complete` (a submission) required
    fields must have a value; without it (a draft) only what was typed is checked."""
    result = Checked()
    fields = fields_of(schema)
    by_name = {f.name: f for f in fields}
    for f in fields:
        value = _check_value(f, raw.get(f.name), f.name, result, establishment_ok=establishment_ok)
        if complete and f.required and value in (None, []) and f.name not in result.errors:
            result.errors[f.name] = _("Required.")
        result.values[f.name] = value
    for rule in rules or []:
        op = OPERATORS.get(str(rule.get("op")))
        left, right = _side(rule.get("left"), result.values), _side(rule.get("right"), result.values)
        if op is None or left is None or right is None or op(left, right):
            continue
        target = str(rule.get("left")).removeprefix("sum:").split(".")[0]
        if target in result.errors:
            continue
        message = localized(rule.get("message")) or _("%(left)s %(verb)s %(right)s.") % {
            "left": _side_label(rule.get("left"), by_name),
            "verb": _(OPERATOR_WORDS[str(rule.get("op"))]),
            "right": _side_label(rule.get("right"), by_name),
        }
        result.errors[target] = message[0].upper() + message[1:]
    return result


def keep_known(schema: list[Mapping[str, Any]], raw: Mapping[str, Any]) -> dict[str, Any]:
    """What a draft keeps of what was sent: the form's fields only, texts cut to size, rows to the maximum."""
    kept: dict[str, Any] = {}
    for f in fields_of(schema):
        if f.name not in raw:
            continue
        value = raw[f.name]
        if f.type == FieldType.ROWS:
            rows = value if isinstance(value, list) else []
            kept[f.name] = [
                {c.name: _trim(row.get(c.name)) for c in f.columns}
                for row in rows[: f.max_rows]
                if isinstance(row, Mapping)
            ]
        else:
            kept[f.name] = _trim(value)
    return kept


def _trim(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | Decimal):
        return int(value)
    return str(value)[:MAX_TEXT]


def reconcile(old_schema: list[Mapping[str, Any]], new_schema: list[Mapping[str, Any]], raw: Mapping[str, Any]) -> (
    tuple[dict[str, Any], list[str]]
):  # fmt: skip
    """Carry a draft over to a newer version of its form: values of fields that are still there with the same type
    are kept; the labels of the fields dropped (that had a value) are returned so the user is told."""
    new_fields = {f.name: f for f in fields_of(new_schema)}
    kept: dict[str, Any] = {}
    dropped: list[str] = []
    for f in fields_of(old_schema):
        value = raw.get(f.name)
        target = new_fields.get(f.name)
        if target is not None and target.type == f.type:
            if value is not None:
                kept[f.name] = value
        elif not _empty(value):
            dropped.append(f.label_text)
    return keep_known(new_schema, kept), dropped
