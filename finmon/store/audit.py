"""The append-only audit log, anchored outside the database it protects.

Every row carries the previous row's hash and an HMAC-SHA256, under a key held on the application
host (finmon.store.audit_anchor), over that hash and the row's own fields: an edited, deleted or
reordered row breaks the chain at that row, and nobody without the key can append a row or
re-chain the log. After every committed write that appended rows, a checkpoint of the head goes to
a file beside the key, so a cut tail or an emptied table shows too. Rows written before revision
0011 keep their plain sha256 links; the first keyed row's HMAC covers the last of them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from finmon.errors import StoreError
from finmon.settings import load_settings
from finmon.store.audit_anchor import (
    AuditKey,
    checkpoint_file,
    key_source,
    load_key,
    write_checkpoint,
)
from finmon.store.engine import Database, default_database
from finmon.store.models import AuditEntry, as_utc, utc_now

GENESIS = "0" * 64

_HEAD = "finmon_audit_head"
_KEY = "finmon_audit_key"


@dataclass(slots=True, frozen=True)
class AuditProblem:
    """One thing verify found wrong, and the row it is about when there is one."""

    kind: str
    """edited, deleted, reordered, forged, rechained, rewritten, tail_deleted, emptied,
    checkpoints, key or triggers."""
    message: str
    row_id: int | None = None


@dataclass(slots=True, frozen=True)
class AuditReport:
    """The outcome of verify_audit: the chain's length and head, and every problem found."""

    rows: int
    head: str
    problems: tuple[AuditProblem, ...] = ()
    checkpoint_row: int | None = None
    """The head row id of the newest checkpoint that verified, if any."""

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not self.problems

    @property
    def problem(self) -> str | None:
        """The first problem's message."""
        return self.problems[0].message if self.problems else None

    @property
    def kind(self) -> str | None:
        """The first problem's kind."""
        return self.problems[0].kind if self.problems else None

    @property
    def row_id(self) -> int | None:
        """The row the first problem is about."""
        return self.problems[0].row_id if self.problems else None

    def to_dict(self) -> dict[str, Any]:
        """The report as the API gives it."""
        summary = ("ok", "rows", "head", "checkpoint_row", "row_id", "kind", "problem")
        return {
            **{name: getattr(self, name) for name in summary},
            "problems": [asdict(problem) for problem in self.problems],
        }


def append_step(
    session: Session,
    action: str,
    row_id: int,
    *,
    actor: str,
    before: str,
    after: dict[str, Any],
    reason: str | None = None,
) -> AuditEntry:
    """Audit one status change of a workflow row: action is "kind.verb", the object "kind:id",
    before the status it left and after what it holds now (its new status first)."""
    return audit_object(
        session, action, row_id, actor=actor, before={"status": before}, after=after, reason=reason
    )


def audit_object(
    session: Session,
    action: str,
    key: int | str,
    *,
    actor: str,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEntry:
    """Audit an action on one object: action is "kind.verb" and the object "kind:key"."""
    return append_audit(
        session,
        actor=actor,
        action=action,
        object=f"{action.partition('.')[0]}:{key}",
        before=before,
        after=after,
        reason=reason,
    )


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
    last = session.execute(
        select(AuditEntry.hash, AuditEntry.seq, AuditEntry.key_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    key, path = _writing_key(session, None if last is None else last.key_id)
    entry = AuditEntry(
        at=utc_now(),
        actor=actor,
        action=action,
        object=object,
        before=_plain(before),
        after=_plain(after),
        reason=reason,
        prev_hash=GENESIS if last is None else last.hash,
        key_id=key.id,
        seq=_next_seq(session, None if last is None else last.seq),
    )
    entry.hash = keyed_hash(entry, key)
    session.add(entry)
    session.flush()
    _checkpoint_after_commit(session, entry, key, path)
    return entry


def record_view(
    actor: str, action: str, object: str, db: Database | None = None, **after: Any
) -> None:
    """Audit a reading of something sensitive (an FIU report, a subject, a ban, a request
    between FIUs): who saw what, in a transaction of its own."""
    with (db or default_database()).write() as session:
        append_audit(session, actor=actor, action=action, object=object, after=after or None)


def keyed_hash(entry: AuditEntry, key: AuditKey) -> str:
    """HMAC-SHA256 over the previous hash, the row's position and its own fields."""
    return key.mac(keyed_message(entry))


def row_hash(entry: AuditEntry) -> str:
    """sha256 over the previous hash and a canonical JSON of the row's own fields: rows written
    before revision 0011."""
    fields = {"at": _canonical_time(entry.at), **_own_fields(entry)}
    return hashlib.sha256(f"{entry.prev_hash}\n{_canonical(fields)}".encode()).hexdigest()


def verify_audit(db: Database | None = None) -> AuditReport:
    """Check the chain, its key and its checkpoints; put back damaged guard triggers.

    Every problem is named: an edited, deleted or reordered row, rows forged or re-chained without
    the key, a cut tail or an emptied table, a missing or altered checkpoint file, a missing or
    replaced key, and guard triggers that were missing (they are recreated).
    """
    # Imported here: the checks build on this module's hashing, and it on nothing of theirs.
    from finmon.store.audit_verify import verify

    return verify(db or default_database())


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


def _writing_key(session: Session, last_key_id: str | None) -> tuple[AuditKey, Path]:
    # Read once per transaction, so a write of many rows pays for settings and key once.
    known: tuple[AuditKey, Path] | None = session.info.get(_KEY)
    if known is not None and known[0].id == last_key_id:
        return known
    settings = load_settings()
    # A new key is made only for an empty log or one whose rows all predate the key; losing or
    # replacing the key of a keyed log stops audited writes until it is restored.
    key = load_key(create=last_key_id is None, settings=settings)
    if key is None:
        raise StoreError(
            f"{key_source(settings)} is missing, but the audit log was written under key id "
            f"{last_key_id}: restore it from its backup before anything more is audited"
        )
    if last_key_id is not None and key.id != last_key_id:
        raise StoreError(
            f"{key.source} holds key id {key.id}, but the audit log was written under key id "
            f"{last_key_id}: restore the original key before anything more is audited"
        )
    session.info[_KEY] = known = (key, checkpoint_file(settings))
    return known


def _next_seq(session: Session, last_seq: int | None) -> int:
    if last_seq is not None:
        return last_seq + 1
    # The first keyed row after rows without positions counts them, once.
    return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0) + 1


def _checkpoint_after_commit(
    session: Session, entry: AuditEntry, key: AuditKey, path: Path
) -> None:
    # The checkpoint is written only once the rows are committed, so it never names a row that a
    # rollback took back; a crash between commit and checkpoint leaves an older, still true one.
    session.info[_HEAD] = (key, path, entry.id, entry.hash, entry.seq)


# Listening on the class costs a session nothing until it commits; per-session listeners would
# cost every audited write their registration.
@event.listens_for(Session, "after_commit")
def _write_head(session: Session) -> None:
    session.info.pop(_KEY, None)
    head = session.info.pop(_HEAD, None)
    if head is not None:
        key, path, row_id, hash, seq = head
        write_checkpoint(key, path, row_id=row_id, hash=hash, rows=seq, scheme="hmac")


@event.listens_for(Session, "after_soft_rollback")
def _forget_head(session: Session, _previous: SessionTransaction) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(_HEAD, None)


def keyed_message(entry: AuditEntry) -> str:
    """What a keyed row's HMAC is taken over: the previous hash, then the row's canonical JSON."""
    fields = {"at": _canonical_time(entry.at), "seq": entry.seq, **_own_fields(entry)}
    return f"{entry.prev_hash}\n{_canonical(fields)}"


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


def _canonical(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _canonical_time(value: dt.datetime) -> str:
    return as_utc(value).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _plain(value: dict[str, Any] | None) -> dict[str, Any] | None:
    # Hash exactly what the JSON column will give back when the row is read again.
    return None if value is None else dict(json.loads(json.dumps(value, default=str)))
