"""Subjects read from a CSV file for an exchange between FIUs.

The columns are those `finmon fiu subjects --output F.csv` writes (subject_id, kind, name,
names, identifiers ...) plus an optional birth_date; other columns are ignored. `names` holds
other names separated by `;`, `identifiers` entries `kind:value` separated by `;` (kind one of
iin, bin, passport, id_card, account, phone, address). A record file, so lenient: a row that
cannot be read is skipped and reported with its line.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast, get_args

from finmon.errors import InputError
from finmon.fiu.exchange import ExchangeSubject
from finmon.fiu.records import Identifier, IdentifierKind
from finmon.hygiene import loads
from finmon.screening.filelimits import check_size
from finmon.screening.inputs import csv_header

COLUMNS = ("subject_id", "kind", "name", "names", "identifiers", "birth_date")
_KINDS = {"person": "person", "organisation": "organisation", "organization": "organisation"}
_ID_KINDS = frozenset(get_args(IdentifierKind))


def read_subjects(path: Path) -> tuple[list[ExchangeSubject], list[str]]:
    """The subjects of a CSV file, and a problem per row skipped (naming its line)."""
    columns, records = csv_header(path)
    for needed in ("subject_id", "name"):
        if needed not in columns:
            raise InputError(f"{path}: no {needed} column (columns: {', '.join(COLUMNS)})")
    subjects, problems, seen = [], [], set()
    for line, cells in records:
        row = dict(zip(columns, (c.strip() for c in cells), strict=False))
        try:
            subject = _subject(row)
        except ValueError as exc:
            problems.append(f"{path} line {line}: {exc}; row skipped")
            continue
        if subject.id in seen:
            problems.append(f"{path} line {line}: subject_id {subject.id!r} again; row skipped")
            continue
        seen.add(subject.id)
        subjects.append(subject)
    return subjects, problems


def _subject(row: dict[str, str]) -> ExchangeSubject:
    subject_id, name = row.get("subject_id", ""), row.get("name", "")
    if not subject_id or not name:
        raise ValueError("subject_id and name are needed")
    kind = _KINDS.get((row.get("kind") or "person").lower())
    if kind is None:
        raise ValueError(f"kind {row['kind']!r}: use person or organisation")
    names = tuple(n.strip() for n in (row.get("names") or "").split(";") if n.strip())
    return ExchangeSubject(
        id=subject_id,
        kind="person" if kind == "person" else "organisation",
        name=name,
        names=tuple(n for n in names if n != name),
        birth_date=_birth_date(row.get("birth_date") or ""),
        identifiers=_identifiers(row.get("identifiers") or ""),
    )


def _birth_date(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        raise ValueError(f"birth_date {value!r} is not YYYY-MM-DD") from None


def _identifiers(value: str) -> tuple[Identifier, ...]:
    found = []
    for entry in (e.strip() for e in value.split(";")):
        if not entry:
            continue
        kind, _, number = entry.partition(":")
        kind = kind.strip().lower()
        if kind not in _ID_KINDS or not number.strip():
            kinds = ", ".join(sorted(_ID_KINDS))
            raise ValueError(f"identifier {entry!r}: write kind:value, kind one of {kinds}")
        found.append(Identifier(kind=cast(IdentifierKind, kind), value=number.strip()))
    return tuple(found)


def read_document(path: Path, what: str) -> Any:
    """A JSON document (a request or a response) read whole, within max_document_bytes."""
    check_size(path, whole=True)
    try:
        return loads(path.read_bytes(), str(path))
    except (ValueError, RecursionError) as exc:
        raise InputError(f"{path}: not a JSON {what}: {exc}") from None
