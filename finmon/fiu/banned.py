"""The data bank of organisations a court banned as terrorist or extremist (docs/fiu.md).

The FIU keeps it as a CSV it writes itself (columns below), read strictly like a list: the
first bad value refuses the file, naming its line and column, since a ban is authoritative. The
bans in force are also a list source, `kz-banned`, loaded into the ordinary list versions, so
every screening finds them like any listed organisation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from finmon.errors import InputError
from finmon.lists.identifiers import is_valid_iin_bin
from finmon.lists.reading import checked_digest, place, short_version
from finmon.model import Designation, DesignationName, Identifier, NameQuality, ParsedList, Schema
from finmon.screening.inputs import csv_header

SOURCE = "kz-banned"
FORMAT = "kz-banned-csv"
REQUIRED = ("reference", "name", "court", "decision_date", "legal_basis", "category", "status")
COLUMNS = (*REQUIRED, "name_variants", "decision_number", "lifted_on", "bin", "remarks")
CATEGORIES = ("terrorist", "extremist")
STATUSES = ("in_force", "lifted")
Status = Literal["in_force", "lifted"]
_MAX = 2_000


@dataclass(frozen=True, slots=True, kw_only=True)
class Ban:
    """One organisation banned by a court, as the data bank holds it."""

    reference: str
    name: str
    name_variants: tuple[str, ...] = ()
    court: str
    decision_date: dt.date
    decision_number: str = ""
    legal_basis: str
    category: str
    status: Status
    lifted_on: dt.date | None = None
    bin: str = ""
    remarks: str = ""

    def to_dict(self) -> dict[str, Any]:
        """The ban as JSON."""
        return {
            "reference": self.reference,
            "name": self.name,
            "name_variants": list(self.name_variants),
            "court": self.court,
            "decision_date": self.decision_date.isoformat(),
            "decision_number": self.decision_number,
            "legal_basis": self.legal_basis,
            "category": self.category,
            "status": self.status,
            "lifted_on": self.lifted_on.isoformat() if self.lifted_on else None,
            "bin": self.bin,
            "remarks": self.remarks,
        }


def ban_from_dict(data: dict[str, Any]) -> Ban:
    """A ban read back from `Ban.to_dict`."""
    lifted = data.get("lifted_on")
    return Ban(
        reference=data["reference"],
        name=data["name"],
        name_variants=tuple(data.get("name_variants") or ()),
        court=data["court"],
        decision_date=dt.date.fromisoformat(data["decision_date"]),
        decision_number=data.get("decision_number") or "",
        legal_basis=data["legal_basis"],
        category=data["category"],
        status="lifted" if data["status"] == "lifted" else "in_force",
        lifted_on=dt.date.fromisoformat(lifted) if lifted else None,
        bin=data.get("bin") or "",
        remarks=data.get("remarks") or "",
    )


def read_bans(path: Path) -> tuple[list[Ban], str]:
    """The bans of a data bank file and its sha256; InputError at the first bad value."""
    digest = checked_digest(path)
    columns, records = csv_header(path)
    missing = [c for c in REQUIRED if c not in columns]
    unknown = [c for c in columns if c not in COLUMNS]
    if missing or unknown:
        raise InputError(
            f"{place(path, 1)}: columns missing {missing or 'none'}, unknown {unknown or 'none'}"
            f"; the columns are {', '.join(COLUMNS)}"
        )
    bans: list[Ban] = []
    seen: set[str] = set()
    for line, cells in records:
        if not any(c.strip() for c in cells):
            continue
        ban = _ban(dict(zip(columns, (c.strip() for c in cells), strict=False)), path, line)
        if ban.reference in seen:
            raise InputError(f"{place(path, line)}: reference {ban.reference!r} appears twice")
        seen.add(ban.reference)
        bans.append(ban)
    if not bans:
        raise InputError(f"{place(path, 2)}: the data bank has a header but no bans")
    return bans, digest


def as_list(bans: Sequence[Ban], files: list[tuple[str, str]]) -> ParsedList:
    """The bans in force as a version of the `kz-banned` list source (lifted ones are not
    listed); the version is the data bank file's digest."""
    digest = files[0][1] if files else ""
    designations = [designation(b) for b in bans if b.status == "in_force"]
    return ParsedList(SOURCE, FORMAT, short_version(digest), None, designations, files)


def designation(ban: Ban) -> Designation:
    """A ban in force as a listed organisation."""
    names = [DesignationName(ban.name)] + [
        DesignationName(v, NameQuality.STRONG) for v in ban.name_variants
    ]
    decided = f"{ban.court}, {ban.decision_date.isoformat()}"
    if ban.decision_number:
        decided += f", No {ban.decision_number}"
    return Designation(
        source=SOURCE,
        reference=ban.reference,
        schema=Schema.ORGANIZATION,
        names=names,
        programmes=[f"banned as {ban.category} by a court of Kazakhstan"],
        listed_on=ban.decision_date,
        identifiers=[Identifier("bin", ban.bin, "KZ")] if ban.bin else [],
        remarks=f"{decided}; {ban.legal_basis}" + (f"; {ban.remarks}" if ban.remarks else ""),
    )


def _ban(row: dict[str, str], path: Path, line: int) -> Ban:
    def fail(column: str, problem: str) -> InputError:
        return InputError(f"{place(path, line)}: column {column}: {problem}")

    for column in COLUMNS:
        if len(row.get(column, "")) > _MAX:
            raise fail(column, f"longer than {_MAX} characters")
    for column in REQUIRED:
        if not row.get(column):
            raise fail(column, "empty")
    if row["category"] not in CATEGORIES:
        raise fail("category", f"{row['category']!r}: use {' or '.join(CATEGORIES)}")
    if row["status"] not in STATUSES:
        raise fail("status", f"{row['status']!r}: use {' or '.join(STATUSES)}")
    decided = _date(row["decision_date"], lambda p: fail("decision_date", p))
    lifted = _date(row.get("lifted_on", ""), lambda p: fail("lifted_on", p))
    if (row["status"] == "lifted") != (lifted is not None):
        raise fail("lifted_on", "a lifted ban needs the date, a ban in force has none")
    number = "".join(ch for ch in row.get("bin", "") if ch.isdigit())
    if row.get("bin") and not is_valid_iin_bin(number):
        raise fail("bin", f"{row['bin']!r}: not 12 digits with a valid check digit")
    variants = tuple(v.strip() for v in row.get("name_variants", "").split(";") if v.strip())
    return Ban(
        reference=row["reference"],
        name=row["name"],
        name_variants=tuple(v for v in variants if v != row["name"]),
        court=row["court"],
        decision_date=decided or dt.date.min,
        decision_number=row.get("decision_number", ""),
        legal_basis=row["legal_basis"],
        category=row["category"],
        status="lifted" if row["status"] == "lifted" else "in_force",
        lifted_on=lifted,
        bin=number,
        remarks=row.get("remarks", ""),
    )


def _date(value: str, fail: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise fail(f"{value!r} is not a date (YYYY-MM-DD)") from None
