"""CSV files the system writes, safe to open in a spreadsheet.

A text cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel, LibreOffice and
Google Sheets as a formula: an establishment named `=HYPERLINK("http://…")` would run in the spreadsheet of whoever
opens the export (CSV or formula injection). As OWASP recommends, such a cell is written with a leading apostrophe,
which the spreadsheet shows as text. Real numbers stay numbers: int and Decimal values, and text that is only a
signed number ("-5", "+84912345678"), are written unchanged.

Every CSV goes through `writer()` / `dict_writer()` here (a test keeps it so).
"""

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

__all__ = ["FORMULA_STARTS", "dict_writer", "safe_cell", "writer"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?[0-9]+([.,][0-9]+)*")


def safe_cell(value: Any) -> Any:
    """`value` as it may go into a CSV cell: text that a spreadsheet would run as a formula gets a leading "'"."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


class _SafeWriter:
    def __init__(self, inner: Any):
        self._inner = inner

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._inner.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class _SafeDictWriter:
    def __init__(self, inner: csv.DictWriter):
        self._inner = inner

    def writeheader(self) -> Any:
        return self._inner.writeheader()

    def writerow(self, row: Mapping[str, Any]) -> Any:
        return self._inner.writerow({k: safe_cell(v) for k, v in row.items()})


def writer(target: Any, **kwargs: Any) -> _SafeWriter:
    """`csv.writer(target)` whose every cell goes through `safe_cell`."""
    return _SafeWriter(csv.writer(target, **kwargs))


def dict_writer(target: Any, fieldnames: Sequence[str], **kwargs: Any) -> _SafeDictWriter:
    """`csv.DictWriter(target, fieldnames)` whose every cell goes through `safe_cell`."""
    return _SafeDictWriter(csv.DictWriter(target, fieldnames=fieldnames, **kwargs))
