"""verify_audit's checks: the chain's links and HMACs, the checkpoints, the key and the guard."""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import select

from finmon.store.audit import (
    GENESIS,
    AuditProblem,
    AuditReport,
    keyed_hash,
    keyed_message,
    row_hash,
)
from finmon.store.audit_anchor import (
    AuditKey,
    Checkpoint,
    CheckpointFile,
    key_file,
    key_source,
    load_key,
    read_checkpoints,
)
from finmon.store.engine import Database
from finmon.store.migrations import append_only
from finmon.store.models import AuditEntry

_MAX_LISTED = 20
"""Problems of one kind listed row by row before the rest are counted."""


def verify(db: Database) -> AuditReport:
    """Check the chain, its key and its checkpoints (finmon.store.audit.verify_audit)."""
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


def _unkeyed_hash(entry: AuditEntry) -> str:
    # What someone without the key would most likely compute: the same message, plain sha256.
    return hashlib.sha256(keyed_message(entry).encode()).hexdigest()
