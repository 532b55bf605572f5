"""The append-only audit log: every row carries the sha256 of the previous row's hash plus its own
fields, so an edited, deleted or reordered row breaks the chain at that row."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finmon.store.engine import Database, default_database
from finmon.store.models import AuditEntry, as_utc, utc_now

GENESIS = "0" * 64


@dataclass(slots=True, frozen=True)
class AuditReport:
    """The outcome of verify_audit: ok, or the first broken row and what happened to it."""

    rows: int
    head: str
    row_id: int | None = None
    problem: str | None = None
    kind: str | None = None
    """"edited", "deleted" or "reordered" when the chain is broken."""

    @property
    def ok(self) -> bool:
        """True when the chain is intact."""
        return self.problem is None


def append_audit(
    session: Session,
    *,
    actor: str,
    action: str,
    object: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Add one row to the chain; call inside Database.write() so no other row slips in between."""
    last = session.scalars(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).first()
    entry = AuditEntry(
        at=utc_now(),
        actor=actor,
        action=action,
        object=object,
        before=_plain(before),
        after=_plain(after),
        reason=reason,
        prev_hash=last or GENESIS,
    )
    entry.hash = row_hash(entry)
    session.add(entry)
    session.flush()
    return entry


def row_hash(entry: AuditEntry) -> str:
    """sha256 over the previous hash and a canonical JSON of the row's own fields."""
    fields = {"at": _canonical_time(entry.at), **_own_fields(entry)}
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{entry.prev_hash}\n{canonical}".encode()).hexdigest()


def verify_audit(db: Database | None = None) -> AuditReport:
    """Walk the chain in id order and name the first row that was edited, deleted or reordered."""
    db = db or default_database()
    with db.read() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    known = {entry.hash for entry in entries}
    expected = GENESIS
    for entry in entries:
        broken = _check_row(entry, expected, known)
        if broken:
            kind, problem = broken
            return AuditReport(len(entries), expected, entry.id, problem, kind)
        expected = entry.hash
    return AuditReport(len(entries), expected)


def audit_rows(
    *, after_id: int = 0, limit: int = 100, db: Database | None = None
) -> list[dict[str, Any]]:
    """Rows of the chain in id order, from the one after `after_id`: a page of the trail."""
    db = db or default_database()
    query = select(AuditEntry).where(AuditEntry.id > after_id).order_by(AuditEntry.id).limit(limit)
    with db.read() as session:
        return [
            {
                "id": entry.id,
                "at": as_utc(entry.at).isoformat(),
                **_own_fields(entry),
                "prev_hash": entry.prev_hash,
                "hash": entry.hash,
            }
            for entry in session.scalars(query)
        ]


def _check_row(entry: AuditEntry, expected: str, known: set[str]) -> tuple[str, str] | None:
    if entry.prev_hash != expected:
        if entry.prev_hash in known or entry.prev_hash == GENESIS:
            return "reordered", f"row {entry.id} is out of order: it follows a different row"
        return "deleted", f"row {entry.id}: the row before it is missing (deleted or rewritten)"
    if row_hash(entry) != entry.hash:
        return "edited", f"row {entry.id} was edited after it was written: its hash does not match"
    return None


def _own_fields(entry: AuditEntry) -> dict[str, Any]:
    """What a row says, besides when and its place in the chain (all of it hashed)."""
    return {
        "actor": entry.actor,
        "action": entry.action,
        "object": entry.object,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
    }


def _canonical_time(value: dt.datetime) -> str:
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: dict[str, Any] | None) -> dict[str, Any] | None:
    # Hash exactly what the JSON column will give back when the row is read again.
    return None if value is None else dict(json.loads(json.dumps(value, default=str)))
