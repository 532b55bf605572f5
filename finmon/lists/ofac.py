"""OFAC's legacy CSV format: sdn.csv, add.csv, alt.csv and sdn_comments.csv (and the non-SDN
consolidated list's cons_prim/cons_add/cons_alt/cons_comments, which have the same shapes).

The files have no header row and may come in any order under any names, so each is recognised by
its shape: 12 columns (main entries), 6 (addresses), 5 with aka/fka/nka in the third column
(aliases), 2 (continuations of the main file's truncated remarks). "-0-" means empty. The format
carries no date: the version is the first 12 hex digits of a sha256 over the files' sha256s in a
fixed order (main, addresses, aliases, comments) and published_at is None.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from finmon.countries import to_iso2
from finmon.errors import InputError
from finmon.lists.ofac_remarks import read_remarks
from finmon.lists.reading import checked_digest, place, read_head, short_version
from finmon.lists.records import NameList, join_remarks
from finmon.model import Address, Designation, Identifier, NameQuality, ParsedList, Schema

FORMAT = "ofac-csv"
SOURCE = "ofac-sdn"
MAIN, ADDRESSES, ALIASES, COMMENTS = "main", "addresses", "aliases", "comments"
SHAPES = (MAIN, ADDRESSES, ALIASES, COMMENTS)
_WIDTHS = {12: MAIN, 6: ADDRESSES, 5: ALIASES, 2: COMMENTS}
_ALIAS_QUALITY = {"aka": NameQuality.STRONG, "fka": NameQuality.FORMER, "nka": NameQuality.STRONG}
_SCHEMAS = {"individual": Schema.PERSON, "vessel": Schema.VESSEL, "aircraft": Schema.AIRCRAFT}
_VESSEL_FIELDS = ("Vessel type", "Tonnage", "GRT", "Flag", "Owner")
_END_OF_FILE = "\x1a"


@dataclass(slots=True)
class _Entry:
    row: list[str]
    remarks: str
    aliases: list[tuple[str, str]] = field(default_factory=list)
    addresses: list[Address] = field(default_factory=list)


def ofac_shape(head: bytes) -> str | None:
    """Which OFAC file a file's first bytes look like (MAIN, ADDRESSES, ...), or None."""
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    lines = text.splitlines()
    if len(head) >= 4096 and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut short by the sniffing window
    rows = [r for r in csv.reader(lines) if r and r != [_END_OF_FILE]]
    if not rows:
        return None
    # Most rows must agree with the first; a stray bad row is reported by line when parsing.
    shapes = [_row_shape(row) for row in rows]
    return shapes[0] if shapes[0] and shapes.count(shapes[0]) * 2 > len(shapes) else None


def parse_ofac(paths: Sequence[Path], source: str | None = None) -> ParsedList:
    """Read the files of one OFAC legacy CSV list, given in any order, into a ParsedList."""
    by_shape = _assign_shapes(paths)
    if MAIN not in by_shape:
        given = ", ".join(str(p) for p in paths)
        raise InputError(f"{given}: no OFAC main (sdn) file among the files given")
    digests = {shape: checked_digest(path) for shape, path in by_shape.items()}
    entries = _read_main(by_shape[MAIN])
    if COMMENTS in by_shape:
        _read_comments(by_shape[COMMENTS], entries)
    if ALIASES in by_shape:
        _read_aliases(by_shape[ALIASES], entries)
    if ADDRESSES in by_shape:
        _read_addresses(by_shape[ADDRESSES], entries)
    ordered = [shape for shape in SHAPES if shape in by_shape]
    combined = hashlib.sha256("\n".join(digests[s] for s in ordered).encode()).hexdigest()
    name = source or SOURCE
    return ParsedList(
        source=name,
        format=FORMAT,
        version=short_version(combined),
        published_at=None,
        designations=[_designation(number, entry, name) for number, entry in entries.items()],
        files=[(by_shape[s].name, digests[s]) for s in ordered],
    )


def _row_shape(row: list[str]) -> str | None:
    shape = _WIDTHS.get(len(row))
    if shape is None or not row[0].strip().isdigit():
        return None
    if shape == ALIASES and _value(row[2]).lower() not in _ALIAS_QUALITY:
        return None
    return shape


def _assign_shapes(paths: Sequence[Path]) -> dict[str, Path]:
    by_shape: dict[str, Path] = {}
    for path in paths:
        shape = ofac_shape(read_head(path))
        if shape is None:
            raise InputError(f"{place(path, 1)}: not an OFAC legacy CSV file (unrecognised shape)")
        if shape in by_shape:
            raise InputError(f"{path}: a second OFAC {shape} file (first: {by_shape[shape]})")
        by_shape[shape] = path
    return by_shape


def _rows(path: Path, shape: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, row) for every row, refusing any row of the wrong shape."""
    text = path.read_text(encoding="utf-8-sig")
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for row in reader:
            start, line = line, reader.line_num + 1
            if not row or row == [_END_OF_FILE]:
                continue
            if _row_shape(row) != shape:
                raise InputError(
                    f"{place(path, start)}: row of {len(row)} columns does not fit an OFAC "
                    f"{shape} file"
                )
            yield start, row
    except csv.Error as exc:
        raise InputError(f"{place(path, line)}: unreadable CSV: {exc}") from exc


def _read_main(path: Path) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for line, row in _rows(path, MAIN):
        number = row[0].strip()
        if number in entries:
            raise InputError(f"{place(path, line)}: entry {number} appears twice")
        entries[number] = _Entry(row, _value(row[11]))
    return entries


def _entry(entries: dict[str, _Entry], path: Path, line: int, number: str) -> _Entry:
    entry = entries.get(number.strip())
    if entry is None:
        raise InputError(
            f"{place(path, line)}: entry {number.strip()} is not in the main file: "
            "the files given are not from the same list"
        )
    return entry


def _read_comments(path: Path, entries: dict[str, _Entry]) -> None:
    for line, row in _rows(path, COMMENTS):
        entry = _entry(entries, path, line, row[0])
        # The main file cuts long remarks mid-word; the continuation follows on directly.
        entry.remarks += _value(row[1])


def _read_aliases(path: Path, entries: dict[str, _Entry]) -> None:
    for line, row in _rows(path, ALIASES):
        name = _value(row[3])
        if name:
            _entry(entries, path, line, row[0]).aliases.append((_value(row[2]).lower(), name))


def _read_addresses(path: Path, entries: dict[str, _Entry]) -> None:
    for line, row in _rows(path, ADDRESSES):
        entry = _entry(entries, path, line, row[0])
        parts = [_value(v) for v in row[2:6]]
        text = ", ".join(p for p in parts if p)
        if text:
            entry.addresses.append(Address(text, to_iso2(parts[2])))


def _designation(number: str, entry: _Entry, source: str) -> Designation:
    row = [_value(v) for v in entry.row]
    schema = _SCHEMAS.get(row[2].lower(), Schema.ORGANIZATION)
    facts = read_remarks(entry.remarks)
    names = NameList()
    person = schema is Schema.PERSON
    names.add(_ordered(row[1], person), NameQuality.PRIMARY)
    for kind, alias in entry.aliases:
        names.add(_ordered(alias, person), _ALIAS_QUALITY[kind])
    for alias in facts.weak_aliases:
        names.add(_ordered(alias, person), NameQuality.WEAK)
    for alias in facts.former_aliases:
        names.add(_ordered(alias, person), NameQuality.FORMER)
    flag = to_iso2(row[9]) if row[9] else None
    identifiers = list(facts.identifiers)
    if row[5]:
        identifiers.append(Identifier("call_sign", row[5]))
    vessel = [f"{label}: {value}" for label, value in zip(_VESSEL_FIELDS, row[6:11], strict=True)]
    return Designation(
        source=source,
        reference=number,
        schema=schema,
        names=names.result(),
        programmes=_programmes(row[3]),
        birth_dates=facts.birth_dates,
        birth_places=facts.birth_places,
        nationalities=facts.nationalities or ([flag] if flag else []),
        identifiers=identifiers,
        addresses=entry.addresses,
        gender=facts.gender,
        remarks=join_remarks(
            [f"Title: {row[4]}" if row[4] else None]
            + [v for v, raw in zip(vessel, row[6:11], strict=True) if raw]
            + [entry.remarks]
        ),
        source_id=number,
    )


def _ordered(name: str, person: bool) -> str:
    """ "SURNAME, Given Names" as "Given Names SURNAME" for persons; others as written."""
    if not person or "," not in name:
        return name
    surname, given, *rest = (part.strip() for part in name.split(","))
    return " ".join(part for part in (given, surname, *rest) if part)


def _programmes(text: str) -> list[str]:
    parts = (p.strip(" []") for p in text.split("] ["))
    return [p for p in parts if p]


def _value(text: str) -> str:
    text = text.strip()
    return "" if text == "-0-" else text
