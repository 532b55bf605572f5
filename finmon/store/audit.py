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
import hmac
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, SessionTransaction

from finmon.errors import StoreError
from finmon.settings import load_settings
from finmon.store.audit_anchor import (
    AuditKey,
    Checkpoint,
    CheckpointFile,
    checkpoint_file,
    key_file,
    key_source,
    load_key,
    read_checkpoints,
    write_checkpoint,
)
from finmon.store.engine import Database, default_database
from finmon.store.migrations import append_only
from finmon.store.models import AuditEntry, as_utc, utc_now

GENESIS = "0" * 64

_HEAD = "finmon_audit_head"
_KEY = "finmon_audit_key"
_LISTENING = "finmon_audit_listening"
_MAX_LISTED = 20
"""Problems of one kind listed row by row before the rest are counted."""


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
        return {
            "ok": self.ok,
            "rows": self.rows,
            "head": self.head,
            "checkpoint_row": self.checkpoint_row,
            "row_id": self.row_id,
            "kind": self.kind,
            "problem": self.problem,
            "problems": [
                {"kind": p.kind, "message": p.message, "row_id": p.row_id} for p in self.problems
            ],
        }


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


def keyed_hash(entry: AuditEntry, key: AuditKey) -> str:
    """HMAC-SHA256 over the previous hash, the row's position and its own fields."""
    return key.mac(_keyed_message(entry))


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
    db = db or default_database()
    problems = _restore_guards(db)
    key = load_key(create=False)
    # The checkpoints are read before the rows: each describes rows committed before it was
    # written, so the rows read afterwards include them.
    checkpoints = read_checkpoints(key)
    with db.read() as session:
        entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
    if entries and not checkpoints.exists:
        checkpoints = read_checkpoints(key)  # the very first write may have just committed
    newest = max(checkpoints.checkpoints, key=lambda c: c.rows, default=None)
    found = [
        *_chain_problems(entries, key, _unkeyed_limit(checkpoints), newest),
        *_checkpoint_problems(checkpoints, entries),
        *_key_problems(key, entries, checkpoints),
        *problems,
    ]
    found.sort(key=lambda p: (p.row_id is None, p.row_id or 0))
    head = entries[-1].hash if entries else GENESIS
    return AuditReport(len(entries), head, tuple(found), newest.row_id if newest else None)


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
    if not session.info.get(_LISTENING):
        session.info[_LISTENING] = True
        event.listen(session, "after_commit", _write_head)
        event.listen(session, "after_soft_rollback", _forget_head)


def _write_head(session: Session) -> None:
    session.info.pop(_KEY, None)
    head = session.info.pop(_HEAD, None)
    if head is not None:
        key, path, row_id, hash, seq = head
        write_checkpoint(key, path, row_id=row_id, hash=hash, rows=seq, scheme="hmac")


def _forget_head(session: Session, _previous: SessionTransaction) -> None:
    session.info.pop(_KEY, None)
    session.info.pop(_HEAD, None)


def _restore_guards(db: Database) -> list[AuditProblem]:
    with db.read() as session:
        if not append_only.damaged_guards(session.connection()):
            return []
    with db.write() as session:
        damaged = append_only.damaged_guards(session.connection())
        if damaged:
            append_only.restore_guards(session.connection(), damaged)
    if not damaged:
        return []
    names = ", ".join(damaged)
    message = f"guard triggers on audit_log were missing or altered ({names}); recreated now"
    return [AuditProblem("triggers", message)]


def _unkeyed_limit(checkpoints: CheckpointFile) -> int | None:
    # Plain sha256 rows are genuine only up to the head that revision 0011 checkpointed. Without
    # that checkpoint (the upgrade ran under another FINMON_HOME) only "no plain row after a keyed
    # one" is checked here; rows stripped of their key still fail the keyed heads' checkpoints.
    heads = [c.row_id for c in checkpoints.checkpoints if c.scheme == "sha256"]
    return max(heads) if heads else None


def _chain_problems(
    entries: list[AuditEntry],
    key: AuditKey | None,
    unkeyed_limit: int | None,
    newest: Checkpoint | None,
) -> list[AuditProblem]:
    problems: list[AuditProblem] = []
    known = {entry.hash for entry in entries}
    expected = GENESIS
    keyed: list[AuditEntry] = []
    mismatched: list[AuditEntry] = []
    for entry in entries:
        link = _link_problem(entry, expected, known)
        if link:
            problems.append(link)
        if entry.key_id is None:
            problems.extend(_unkeyed_problem(entry, bool(keyed), unkeyed_limit))
        else:
            keyed.append(entry)
            checkable = key is not None and entry.key_id == key.id
            if checkable and not _hmac_matches(entry, key):
                mismatched.append(entry)
        expected = entry.hash
    appended_after = newest.row_id if newest else 0
    return problems[:_MAX_LISTED] + _hmac_problems(keyed, mismatched, appended_after)


def _hmac_matches(entry: AuditEntry, key: AuditKey | None) -> bool:
    return key is not None and hmac.compare_digest(keyed_hash(entry, key), entry.hash)


def _link_problem(entry: AuditEntry, expected: str, known: set[str]) -> AuditProblem | None:
    if entry.prev_hash == expected:
        return None
    if entry.prev_hash in known or entry.prev_hash == GENESIS:
        message = f"row {entry.id} is out of order: it follows a different row"
        return AuditProblem("reordered", message, entry.id)
    message = f"row {entry.id}: the row before it is missing (deleted or rewritten)"
    return AuditProblem("deleted", message, entry.id)


def _unkeyed_problem(
    entry: AuditEntry, after_keyed: bool, unkeyed_limit: int | None
) -> list[AuditProblem]:
    if after_keyed or (unkeyed_limit is not None and entry.id > unkeyed_limit):
        message = (
            f"row {entry.id} has a plain sha256 hash where only HMAC'd rows may stand: "
            "forged by someone without the audit key"
        )
        return [AuditProblem("forged", message, entry.id)]
    if row_hash(entry) != entry.hash:
        message = f"row {entry.id} was edited after it was written: its hash does not match"
        return [AuditProblem("edited", message, entry.id)]
    return []


def _hmac_problems(
    keyed: list[AuditEntry], mismatched: list[AuditEntry], appended_after: int
) -> list[AuditProblem]:
    if not mismatched:
        return []
    if len(keyed) > 1 and len(mismatched) == len(keyed):
        first, last = keyed[0], keyed[-1]
        message = (
            f"no keyed row carries a valid HMAC (rows {first.id} to {last.id}): the chain was "
            "re-chained without the audit key"
        )
        return [AuditProblem("rechained", message, first.id)]
    problems = [_mismatch(entry, appended_after) for entry in mismatched[:_MAX_LISTED]]
    if len(mismatched) > _MAX_LISTED:
        rest = len(mismatched) - _MAX_LISTED
        message = f"{rest} more rows after row {mismatched[_MAX_LISTED - 1].id} fail their HMAC"
        problems.append(AuditProblem("edited", message, mismatched[_MAX_LISTED].id))
    return problems


def _mismatch(entry: AuditEntry, appended_after: int) -> AuditProblem:
    # A hash plainly recomputed, or a row no checkpoint has seen, was most likely added by someone
    # without the key; a row that was checkpointed and keeps a hash of its own was edited.
    if entry.hash in {row_hash(entry), _unkeyed_hash(entry)} or entry.id > appended_after:
        message = (
            f"row {entry.id} does not match its HMAC and was written without the audit key: "
            "a forged append or rewrite"
        )
        return AuditProblem("forged", message, entry.id)
    message = f"row {entry.id} was edited after it was written: its HMAC does not match"
    return AuditProblem("edited", message, entry.id)


def _checkpoint_problems(file: CheckpointFile, entries: list[AuditEntry]) -> list[AuditProblem]:
    if not file.exists:
        if entries or key_file().exists():
            message = (
                f"checkpoint file {file.path} is missing: a cut tail or an emptied table "
                "cannot be ruled out"
            )
            return [AuditProblem("checkpoints", message)]
        return []
    problems = _bad_lines(file)
    if not file.checkpoints:
        if entries and not problems:
            message = f"checkpoint file {file.path} holds no checkpoint of the {len(entries)} rows"
            problems.append(AuditProblem("checkpoints", message))
        return problems
    return problems + _head_problems(file, entries)


def _bad_lines(file: CheckpointFile) -> list[AuditProblem]:
    problems = []
    if file.bad_lines:
        message = (
            f"checkpoint file {file.path}: line {_numbers(file.bad_lines)} altered (its HMAC "
            "does not match)"
        )
        problems.append(AuditProblem("checkpoints", message))
    if file.foreign_lines:
        message = (
            f"checkpoint file {file.path}: line {_numbers(file.foreign_lines)} written under "
            f"another audit key than {key_source()}"
        )
        problems.append(AuditProblem("checkpoints", message))
    return problems


def _head_problems(file: CheckpointFile, entries: list[AuditEntry]) -> list[AuditProblem]:
    head = max(file.checkpoints, key=lambda c: (c.rows, c.row_id))
    said = f"the checkpoint of {head.at} (line {head.line} of {file.path})"
    if not entries:
        message = (
            f"the audit table is empty, but {said} recorded {head.rows} rows up to row "
            f"{head.row_id}: the table was emptied"
        )
        return [AuditProblem("emptied", message, head.row_id)]
    positions = {entry.id: (number, entry) for number, entry in enumerate(entries, 1)}
    problems = _tail_problem(head, said, entries, positions)
    # Rows after the last one that survives before the head are the cut tail, reported once.
    last_kept = max((row_id for row_id in positions if row_id < head.row_id), default=0)
    for checkpoint in file.checkpoints:
        if checkpoint.row_id >= head.row_id or len(problems) >= _MAX_LISTED:
            continue  # the head is judged by _tail_problem
        found = positions.get(checkpoint.row_id)
        if found is None:
            if checkpoint.row_id > last_kept:
                continue
            line = checkpoint.line
            message = f"row {checkpoint.row_id}, recorded by checkpoint line {line}, is missing"
            problems.append(AuditProblem("deleted", message, checkpoint.row_id))
        elif found[1].hash != checkpoint.hash:
            message = (
                f"row {checkpoint.row_id} is not the row checkpoint line {checkpoint.line} "
                "recorded: its hash differs (rewritten or re-chained)"
            )
            problems.append(AuditProblem("rewritten", message, checkpoint.row_id))
    return problems


def _tail_problem(
    head: Checkpoint,
    said: str,
    entries: list[AuditEntry],
    positions: dict[int, tuple[int, AuditEntry]],
) -> list[AuditProblem]:
    # The newest checkpoint's head row must still be there, with its hash, at its place; when
    # rows were appended after a cut, the table goes on past it but the row itself is gone.
    last = entries[-1]
    found = positions.get(head.row_id)
    ends = f"the table holds {len(entries)} rows, up to row {last.id}"
    if found is None:
        message = (
            f"row {head.row_id}, recorded by {said} as the head of {head.rows} rows, is "
            f"missing and {ends}: the tail was deleted"
        )
        return [AuditProblem("tail_deleted", message, head.row_id)]
    if found[1].hash != head.hash:
        message = (
            f"row {head.row_id} is not the row {said} recorded as the head: its hash differs "
            "(the tail was deleted and rewritten, or the chain re-chained)"
        )
        return [AuditProblem("rewritten", message, head.row_id)]
    if found[0] != head.rows:
        message = (
            f"row {head.row_id} was row {head.rows} of the chain at {said}, but is row "
            f"{found[0]} now: rows were deleted or inserted before it"
        )
        return [AuditProblem("deleted", message, head.row_id)]
    return []


def _key_problems(
    key: AuditKey | None, entries: list[AuditEntry], file: CheckpointFile
) -> list[AuditProblem]:
    keyed = [entry for entry in entries if entry.key_id is not None]
    if key is None:
        if not keyed and not file.checkpoints:
            return []
        message = (
            f"{key_source()} is missing: {len(keyed)} keyed rows and the checkpoints cannot be "
            "checked; restore it from its backup (verify never makes a new one)"
        )
        return [AuditProblem("key", message)]
    foreign = [entry for entry in keyed if entry.key_id != key.id]
    if not foreign:
        return []
    ids = sorted({str(entry.key_id) for entry in foreign})
    message = (
        f"{key.source} holds key id {key.id}, but {len(foreign)} rows (from row "
        f"{foreign[0].id}) were written under key id {', '.join(ids)}: the key was replaced, "
        "or those rows were forged"
    )
    return [AuditProblem("key", message, foreign[0].id)]


def _numbers(lines: tuple[int, ...]) -> str:
    shown = ", ".join(str(line) for line in lines[:_MAX_LISTED])
    return shown if len(lines) <= _MAX_LISTED else f"{shown} and {len(lines) - _MAX_LISTED} more"


def _keyed_message(entry: AuditEntry) -> str:
    fields = {"at": _canonical_time(entry.at), "seq": entry.seq, **_own_fields(entry)}
    return f"{entry.prev_hash}\n{_canonical(fields)}"


def _unkeyed_hash(entry: AuditEntry) -> str:
    # What someone without the key would most likely compute: the same message, plain sha256.
    return hashlib.sha256(_keyed_message(entry).encode()).hexdigest()


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
