"""List parsers: one per source format, each returning a complete finmon.model.ParsedList.

Formats: "un-xml" (UN Security Council Consolidated List), "afm-xml" (Kazakhstan's AFM list),
"ofac-csv" (OFAC legacy CSV, several files), "ftm-json" (FollowTheMoney JSON lines) and "csv"
(a plain list; see docs/list-csv-format.md). A parse either returns the whole list or raises
finmon.errors.InputError naming the file and place: it never half-succeeds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from finmon.errors import InputError
from finmon.lists.afm import parse_afm
from finmon.lists.csvlist import parse_csv_list
from finmon.lists.detect import FORMAT_NAMES, detect_format
from finmon.lists.ftm import parse_ftm, read_ftm
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

__all__ = ["FIXTURE_DIR", "FORMATS", "ReadLists", "detect_format", "parse_files", "read_lists"]


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


@dataclass(slots=True, frozen=True)
class ReadLists:
    """The list versions a set of files holds (several for an FtM file mixing datasets, one
    otherwise), and a line saying what was read and what was skipped, and why."""

    versions: list[ParsedList]
    summary: str


def read_lists(
    paths: Sequence[Path],
    format: str | None = None,
    source: str | None = None,
    include_non_targets: bool = False,
) -> ReadLists:
    """Parse the file(s) of one load: parse_files, except that a FollowTheMoney file gives one
    version per dataset and `include_non_targets` makes its target: false parties designations."""
    files = [Path(p) for p in paths]
    chosen = (format or detect_format(files)) if files else format
    if chosen == "ftm-json" and len(files) == 1:
        read = read_ftm(files[0], source, include_non_targets)
        return ReadLists(read.lists, read.summary())
    parsed = parse_files(files, format=format, source=source)
    count = len(parsed.designations)
    return ReadLists([parsed], f"{count} designations read ({parsed.source})")
