"""CSV that a spreadsheet opens as data: cells it would run as a formula are neutralised.

OWASP's rule for CSV injection: a cell starting with `=`, `+`, `-`, `@`, a tab or a carriage
return gets a single quote in front, which spreadsheets show as text and do not evaluate. A cell
that is a plain number (`-5.00`, `+3`, `-1e3`) is left as it is: a spreadsheet reads it as that
number, never as a formula, and an amount or a score must stay a number. `-2+3` is not a plain
number and is quoted. Every CSV finmon writes for people goes through `SafeDictWriter`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value: Any) -> Any:
    """The value, with a quote in front if it is text a spreadsheet would run as a formula."""
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


if TYPE_CHECKING:
    _DictWriter = csv.DictWriter[str]
else:  # DictWriter takes no type parameter at run time
    _DictWriter = csv.DictWriter


class SafeDictWriter(_DictWriter):
    """csv.DictWriter whose every cell, the header's included, goes through `safe_cell`."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        """Write one row, neutralised."""
        return super().writerow({key: safe_cell(value) for key, value in rowdict.items()})

    def writerows(self, rowdicts: Iterable[Mapping[str, Any]]) -> None:
        """Write the rows, each neutralised."""
        for row in rowdicts:
            self.writerow(row)
