"""List parsers: one per source format, each returning a complete finmon.model.ParsedList.

Formats: "un-xml" (UN Security Council Consolidated List), "afm-xml" (Kazakhstan's AFM list),
"ofac-csv" (OFAC legacy CSV, several files), "ftm-json" (FollowTheMoney JSON lines) and "csv"
(a plain list; see docs/list-csv-format.md). A parse either returns the whole list or raises
finmon.errors.InputError naming the file and place: it never half-succeeds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from finmon.errors import InputError
from finmon.lists.afm import parse_afm
from finmon.lists.csvlist import parse_csv_list
from finmon.lists.detect import FORMAT_NAMES, detect_format
from finmon.lists.ftm import parse_ftm
from finmon.lists.ofac import parse_ofac
from finmon.lists.un import parse_un
from finmon.model import ParsedList

FORMATS = FORMAT_NAMES
FIXTURE_DIR = Path(__file__).resolve().parent.parent / "fixtures"
_SINGLE_FILE: dict[str, Callable[[Path, str | None], ParsedList]] = {
    "un-xml": parse_un,
    "afm-xml": parse_afm,
    "ftm-json": parse_ftm,
    "csv": parse_csv_list,
}

__all__ = ["FIXTURE_DIR", "FORMATS", "detect_format", "parse_files"]


def parse_files(
    paths: Sequence[Path], format: str | None = None, source: str | None = None
) -> ParsedList:
    """Parse the file(s) of one list version; the format is detected from content when not given."""
    files = [Path(p) for p in paths]
    if not files:
        raise InputError("no list file given")
    chosen = format or detect_format(files)
    if chosen == "ofac-csv":
        return parse_ofac(files, source)
    parser = _SINGLE_FILE.get(chosen)
    if parser is None:
        raise InputError(f"unknown list format {chosen!r}; use one of {', '.join(FORMATS)}")
    if len(files) != 1:
        shown = ", ".join(str(f) for f in files)
        raise InputError(
            f"format {chosen} is read from one file, but {len(files)} were given: {shown}"
        )
    return parser(files[0], source)
