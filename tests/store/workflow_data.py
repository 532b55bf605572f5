"""Fictional customers and versions of the fictional UN list for the customer and workflow tests.

customers_fixture.csv holds eight customers in Kazakh, Russian, Latin and Arabic script; one of
them, K004, is the listed person QDi.905 of un_list_fixture.xml under his Cyrillic name.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from sqlalchemy import text

from finmon.lists import FIXTURE_DIR, parse_files
from finmon.model import Designation, ParsedList
from tests.conftest import direct_sql

CUSTOMERS = FIXTURE_DIR / "customers_fixture.csv"
LISTED_ID = "K004"
"""The customer who is the listed person LISTED_REF."""
LISTED_REF = "QDi.905"
LISTED_ACCOUNTS = ["KZ75125KZT2069100100", "KZ75125USD2069100101"]
CUSTOMER_COUNT = 8


@cache
def _fixture() -> ParsedList:
    return parse_files([FIXTURE_DIR / "un_list_fixture.xml"])


def fixture_designations() -> list[Designation]:
    """A fresh copy of the 25 designations of the fictional UN list, free to amend."""
    return copy.deepcopy(_fixture().designations)


def un_version(published: str | dt.datetime, designations: Sequence[Designation]) -> ParsedList:
    """A version of the UN list published at that time (naive means UTC), its file digest
    depending on its content, so the same designations published again look like a new file."""
    when = dt.datetime.fromisoformat(published) if isinstance(published, str) else published
    when = when if when.tzinfo else when.replace(tzinfo=dt.UTC)
    label = when.isoformat(timespec="seconds")
    content = json.dumps([d.to_dict() for d in designations], sort_keys=True)
    digest = hashlib.sha256(f"{label}|{content}".encode()).hexdigest()
    return ParsedList(
        "un", "un-xml", label, when, list(designations), [(f"un-{label}.xml", digest)]
    )


def without(designations: Sequence[Designation], reference: str) -> list[Designation]:
    """The designations less the one with this reference."""
    return [d for d in designations if d.reference != reference]


def designation(designations: Sequence[Designation], reference: str) -> Designation:
    """The designation with this reference."""
    return next(d for d in designations if d.reference == reference)


def fixture_rows() -> list[dict[str, str]]:
    """The rows of customers_fixture.csv as dicts of its columns."""
    with CUSTOMERS.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_csv(path: Path, rows: Sequence[dict[str, str]]) -> Path:
    """Write customer rows (dicts with the same keys) as a UTF-8 CSV file."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def changed(
    rows: Sequence[dict[str, str]], customer_id: str, **values: str
) -> list[dict[str, str]]:
    """A copy of the rows with some columns of one customer changed."""
    return [{**row, **values} if row["id"] == customer_id else dict(row) for row in rows]


def table_counts() -> dict[str, int]:
    """Rows in every table a customer import or a workflow step writes."""
    tables = (
        "customers",
        "customer_versions",
        "customer_tokens",
        "name_tokens",
        "alerts",
        "decisions",
        "freezes",
        "permitted_payments",
        "audit_log",
    )
    with direct_sql() as conn:
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


def audit_rows(action_prefix: str = "") -> list[tuple[str, str, str]]:
    """(actor, action, object) of the audit rows whose action starts with the prefix, in order."""
    query = text("SELECT actor, action, object FROM audit_log WHERE action LIKE :p ORDER BY id")
    with direct_sql() as conn:
        rows = conn.execute(query, {"p": f"{action_prefix}%"})
        return [(actor, action, obj) for actor, action, obj in rows]
