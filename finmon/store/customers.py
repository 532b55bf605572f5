"""The customer registry: import with history, index for delta screening, screen what is new.

One import is one transaction: valid rows are upserted by id (a changed row becomes a new version
in customer_versions, an unchanged one is left alone), new and changed customers are indexed and
screened against every current list at once, and one audit row records the file and the counts.
Rows that fail validation are reported with file, row and field and change nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from finmon.errors import InputError, NotFound
from finmon.lists.reading import digest_of
from finmon.model import Party, matching_fingerprint
from finmon.screening.inputs import CustomerRow, read_customers
from finmon.screening.screener import heap_frozen
from finmon.store.alerts import raise_alerts
from finmon.store.audit import append_audit
from finmon.store.customer_index import TokenWriter, ensure_current, index_parties
from finmon.store.engine import Database, default_database
from finmon.store.models import Customer, CustomerVersion, ListVersion, core_table, utc_now
from finmon.store.screener import build_screener

BATCH = 20_000
"""Rows read, written and screened at a time within the import's one transaction."""


@dataclass(slots=True)
class ImportResult:
    """What one customer import did."""

    file: str
    sha256: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    screened: int = 0
    alerts: int = 0
    invalid: list[str] = field(default_factory=list)
    """One message per rejected row, naming the file, row and field."""
    warnings: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Change:
    party: Party
    record: dict[str, Any]
    accounts: list[str]
    fingerprint: str
    version: int
    rescreen: bool
    """The matching data is new or changed: index and screen it again."""


def import_customers(
    path: Path,
    *,
    actor: str,
    encoding: str | None = None,
    db: Database | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Upsert a customer file by id, keep history, index and screen new and changed customers."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    db = db or default_database()
    result = ImportResult(str(path), digest_of(path))
    rows = read_customers(path, encoding, warn=result.warnings.append)
    with db.write() as session:
        ensure_current(session, actor=actor, workers=workers)
        versions = _current_versions(session)
        screener = build_screener(db) if versions else None
        tokens = TokenWriter(session)
        seen: dict[str, str] = {}
        done = 0
        for batch in _batches(_valid(rows, result, seen), BATCH):
            changes = _apply(session, batch, actor, str(path), result)
            _index(tokens, changes, workers)
            if screener is not None:
                _screen(session, screener, changes, versions, actor, workers, result)
            done += len(batch)
            if progress is not None:
                progress(done)
        append_audit(
            session,
            actor=actor,
            action="customers.import",
            object=f"file:{path.name}",
            after={
                "file": str(path),
                "sha256": result.sha256,
                "inserted": result.inserted,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "invalid": len(result.invalid),
                "screened": result.screened,
                "alerts": result.alerts,
            },
        )
    return result


def reindex_customers(*, actor: str, db: Database | None = None, workers: int = 1) -> int:
    """Bring the stored customer index to this finmon's scheme now (an import or a list load
    would do it first thing otherwise); returns the customers re-indexed, 0 if it was current."""
    db = db or default_database()
    with db.write() as session:
        return ensure_current(session, actor=actor, workers=workers)


def customer_count(db: Database | None = None) -> int:
    """How many customers the registry holds."""
    from sqlalchemy import func

    db = db or default_database()
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Customer)) or 0)


def customer_history(customer_id: str, db: Database | None = None) -> dict[str, Any]:
    """A customer's current record and every version it has had, oldest first."""
    db = db or default_database()
    with db.read() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"no customer {customer_id!r}")
        versions = session.scalars(
            select(CustomerVersion)
            .where(CustomerVersion.customer_id == customer_id)
            .order_by(CustomerVersion.version)
        )
        return {
            "id": customer.id,
            "version": customer.version,
            "record": customer.record,
            "accounts": customer.accounts,
            "created_at": customer.created_at.isoformat(timespec="seconds"),
            "updated_at": customer.updated_at.isoformat(timespec="seconds"),
            "history": [
                {
                    "version": v.version,
                    "valid_from": v.valid_from.isoformat(timespec="seconds"),
                    "changed_by": v.changed_by,
                    "source_file": v.source_file,
                    "record": v.record,
                    "accounts": v.accounts,
                }
                for v in versions
            ],
        }


def _valid(
    rows: Iterator[CustomerRow], result: ImportResult, seen: dict[str, str]
) -> Iterator[tuple[Party, list[str]]]:
    for row in rows:
        if row.party is None:
            result.invalid.append(row.error or f"{row.place}: invalid")
            continue
        earlier = seen.get(row.party.id)
        if earlier is not None:
            result.invalid.append(
                f"{result.file}: {row.place}, column id: customer {row.party.id!r} is already "
                f"given at {earlier} of this file"
            )
            continue
        seen[row.party.id] = row.place
        yield row.party, row.accounts


def _apply(
    session: Session,
    batch: list[tuple[Party, list[str]]],
    actor: str,
    source_file: str,
    result: ImportResult,
) -> list[_Change]:
    query = select(
        Customer.id, Customer.record, Customer.accounts, Customer.fingerprint, Customer.version
    ).where(Customer.id.in_([party.id for party, _ in batch]))
    existing = {row.id: row for row in session.execute(query)}
    now = utc_now()
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    changes: list[_Change] = []
    for party, accounts in batch:
        record = party.to_dict()
        fingerprint = matching_fingerprint(party, record)
        known = existing.get(party.id)
        if known is not None and known.record == record and list(known.accounts) == accounts:
            result.unchanged += 1
            continue
        version = 1 if known is None else known.version + 1
        values = {
            "id": party.id,
            "name": party.names[0],
            "record": record,
            "accounts": accounts,
            "fingerprint": fingerprint,
            "version": version,
            "updated_at": now,
        }
        if known is None:
            inserts.append({**values, "created_at": now})
            result.inserted += 1
        else:
            updates.append(values)
            result.updated += 1
        rescreen = known is None or known.fingerprint != fingerprint
        changes.append(_Change(party, record, accounts, fingerprint, version, rescreen))
    if inserts:
        session.execute(insert(core_table(Customer)), inserts)
    if updates:
        session.execute(update(Customer), updates)
    if changes:
        history = [_history(c, now, actor, source_file) for c in changes]
        session.execute(insert(core_table(CustomerVersion)), history)
    return changes


def _history(change: _Change, now: Any, actor: str, source_file: str) -> dict[str, Any]:
    return {
        "customer_id": change.party.id,
        "version": change.version,
        "record": change.record,
        "accounts": change.accounts,
        "fingerprint": change.fingerprint,
        "valid_from": now,
        "changed_by": actor,
        "source_file": source_file,
    }


def _index(tokens: TokenWriter, changes: list[_Change], workers: int) -> None:
    again = [c for c in changes if c.rescreen]
    tokens.replace([c.party.id for c in again if c.version > 1])
    parties = [c.party for c in again]
    tokens.add(zip((p.id for p in parties), index_parties(parties, workers), strict=True))


def _screen(
    session: Session,
    screener: Any,
    changes: list[_Change],
    versions: dict[str, ListVersion],
    actor: str,
    workers: int,
    result: ImportResult,
) -> None:
    fingerprints = {c.party.id: c.fingerprint for c in changes if c.rescreen}
    parties = [c.party for c in changes if c.rescreen]
    with heap_frozen():
        for party, hits in screener.screen_many(parties, workers=workers):
            result.screened += 1
            if hits:
                raised = raise_alerts(
                    session,
                    actor=actor,
                    party=party,
                    fingerprint=fingerprints[party.id],
                    hits=hits,
                    trigger="customer",
                    versions=versions,
                )
                result.alerts += len(raised)


def _current_versions(session: Session) -> dict[str, ListVersion]:
    query = select(ListVersion).where(ListVersion.is_current)
    return {row.source: row for row in session.scalars(query)}


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
