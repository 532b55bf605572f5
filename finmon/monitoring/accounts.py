"""The accounts table given with transfers: each account's segment, and which are listed.

A CSV with a header row (delimited by , or ;): `account` (required), `segment` (retail, business,
npo ...: what rules' `segments` filters name; a bank's client types ФЛ, ЮЛ, ИП, НКО are read as
the segments they are), `listed` (true for an account of a listed or frozen party: the seeds
of listed_link rules). Other columns are left alone, so `finmon simulate`'s accounts.csv and a
bank's own export both do.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from finmon.errors import InputError
from finmon.monitoring.segments import table_segment
from finmon.screening.inputs import csv_records

_TRUE = {"true", "yes", "1", "y", "да", "иә"}
_FALSE = {"false", "no", "0", "n", "", "нет", "жоқ"}


@dataclass(slots=True)
class Accounts:
    """What an accounts table says."""

    segments: dict[str, str] = field(default_factory=dict)
    listed: set[str] = field(default_factory=set)


def read_accounts(path: Path) -> Accounts:
    """An accounts table, streamed and held to the bounds of a customer file (filelimits);
    InputError names the file and line of a bad row."""
    if not path.is_file():
        raise InputError(f"{path}: cannot read the accounts table: no such file")
    records = csv_records(path)
    first = next(records, None)
    if first is None:
        raise InputError(f"{path}: empty; an accounts table has a header row with 'account'")
    header = [name.strip().lower() for name in first[1]]
    if "account" not in header:
        raise InputError(f"{path}:1: no 'account' column (found {', '.join(header) or 'none'})")
    column = {
        name: header.index(name) for name in ("account", "segment", "listed") if name in header
    }
    found = Accounts()
    for line, row in records:
        if not "".join(row).strip():
            continue
        if len(row) != len(header):
            raise InputError(f"{path}:{line}: {len(row)} cells where the header has {len(header)}")
        account = row[column["account"]].strip()
        if not account:
            raise InputError(f"{path}:{line}: the account is empty")
        if account in found.segments:
            raise InputError(f"{path}:{line}: account {account!r} is listed twice")
        segment = row[column["segment"]] if "segment" in column else ""
        found.segments[account] = table_segment(segment)
        if "listed" in column:
            flag = row[column["listed"]].strip().lower()
            if flag not in _TRUE | _FALSE:
                raise InputError(f"{path}:{line}: listed {flag!r}: use true or false")
            if flag in _TRUE:
                found.listed.add(account)
    return found
