"""The keyed, hash-chained audit log names edited, deleted, reordered and forged rows, and a
store written before the key is anchored when it is upgraded."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Connection, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from finmon.errors import StoreError
from finmon.store import default_database, verify_audit
from finmon.store.audit import GENESIS, append_audit, row_hash
from finmon.store.audit_anchor import checkpoint_file, key_file
from finmon.store.migrations.revisions import config, upgrade_to_head
from finmon.store.models import AuditEntry
from tests.conftest import direct_sql, drop_audit_guards


def _write_rows(count: int) -> None:
    with default_database().write() as session:
        for i in range(count):
            append_audit(
                session,
                actor="officer",
                action="test.event",
                object=f"thing:{i}",
                before={"n": i},
                after={"n": i + 1, "name": "Жақсылықов"},
                reason=f"step {i}",
            )


def _tamper(*statements: str) -> None:
    # Someone with access to the database can drop the guard triggers; the hash chain still tells.
    with direct_sql() as conn:
        drop_audit_guards(conn)
        for statement in statements:
            conn.execute(text(statement))


def test_intact_chain_verifies() -> None:
    _write_rows(5)
    report = verify_audit()
    assert report.ok
    assert report.rows == 5
    assert len(report.head) == 64


def test_empty_log_verifies() -> None:
    assert verify_audit().ok


def test_edited_row_is_named() -> None:
    _write_rows(5)
    _tamper("UPDATE audit_log SET reason = 'nothing happened' WHERE id = 3")
    report = verify_audit()
    assert not report.ok
    assert (report.row_id, report.kind) == (3, "edited")


def test_edited_json_field_is_named() -> None:
    _write_rows(5)
    _tamper("""UPDATE audit_log SET "after" = '{"n": 99}' WHERE id = 4""")
    assert (verify_audit().row_id, verify_audit().kind) == (4, "edited")


def test_deleted_row_is_named() -> None:
    _write_rows(5)
    _tamper("DELETE FROM audit_log WHERE id = 2")
    report = verify_audit()
    assert (report.row_id, report.kind) == (3, "deleted")


def test_deleted_first_row_is_named() -> None:
    _write_rows(3)
    _tamper("DELETE FROM audit_log WHERE id = 1")
    assert (verify_audit().row_id, verify_audit().kind) == (2, "deleted")


def test_reordered_rows_are_named() -> None:
    _write_rows(5)
    _tamper(
        "UPDATE audit_log SET id = 100 WHERE id = 2",
        "UPDATE audit_log SET id = 2 WHERE id = 4",
        "UPDATE audit_log SET id = 4 WHERE id = 100",
    )
    report = verify_audit()
    assert (report.row_id, report.kind) == (2, "reordered")


def test_guard_triggers_refuse_plain_sql_edits() -> None:
    _write_rows(2)
    for statement in ("UPDATE audit_log SET actor = 'x' WHERE id = 1", "DELETE FROM audit_log"):
        with pytest.raises(DBAPIError, match="append-only"), direct_sql() as conn:
            conn.execute(text(statement))
    assert verify_audit().ok


def _legacy_rows(conn: Connection, count: int) -> str:
    """Rows as revision 0010 wrote them (plain sha256 links, no key); the head's hash."""
    table = sa.table(
        "audit_log",
        *(sa.column(name) for name in ("actor", "action", "object", "reason")),
        sa.column("at", sa.DateTime()),
        sa.column("before", sa.JSON()),
        sa.column("after", sa.JSON()),
        sa.column("prev_hash"),
        sa.column("hash"),
    )
    prev = GENESIS
    for i in range(count):
        entry = AuditEntry(
            at=dt.datetime(2026, 1, 1, 12, i),
            actor="officer",
            action="legacy.event",
            object=f"thing:{i}",
            before=None,
            after={"n": i},
            reason=None,
            prev_hash=prev,
        )
        entry.hash = row_hash(entry)
        conn.execute(sa.insert(table).values({**_row_values(entry), "hash": entry.hash}))
        prev = entry.hash
    return prev


def _row_values(entry: AuditEntry) -> dict[str, Any]:
    names = ("at", "actor", "action", "object", "before", "after", "reason", "prev_hash")
    return {name: getattr(entry, name) for name in names}


def _upgraded_legacy_store(rows: int = 3) -> str:
    db = default_database()
    with db.engine.begin() as conn:
        command.downgrade(config(conn), "0012_sign_in_attempts")
        head = _legacy_rows(conn, rows)
    with db.engine.begin() as conn:
        upgrade_to_head(conn)
    return head


def test_store_of_the_previous_revision_is_anchored_on_upgrade() -> None:
    legacy_head = _upgraded_legacy_store(3)
    report = verify_audit()
    assert report.ok, report.problems
    assert (report.rows, report.head, report.checkpoint_row) == (3, legacy_head, 3)
    _write_rows(2)
    report = verify_audit()
    assert report.ok, report.problems
    assert (report.rows, report.checkpoint_row) == (5, 5)
    with direct_sql() as conn:
        first_keyed = conn.execute(text("SELECT prev_hash, seq FROM audit_log WHERE id = 4")).one()
    assert tuple(first_keyed) == (legacy_head, 4)


def test_edited_row_before_the_upgrade_is_named() -> None:
    _upgraded_legacy_store(3)
    _write_rows(2)
    _tamper("UPDATE audit_log SET actor = 'someone else' WHERE id = 2")
    report = verify_audit()
    assert (report.row_id, report.kind) == (2, "edited")


def test_keyed_rows_rewritten_as_plain_sha256_rows_are_forged() -> None:
    # The intruder strips the key from the rows after the upgrade and re-chains them the old way.
    _upgraded_legacy_store(3)
    _write_rows(2)
    with direct_sql() as conn:
        drop_audit_guards(conn)
        with Session(bind=conn) as session:
            entries = list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))
            for entry in entries[3:]:
                entry.key_id, entry.seq, entry.actor = None, None, "someone else"
                entry.hash = row_hash(entry)
                session.flush()
    report = verify_audit()
    assert {(p.row_id, p.kind) for p in report.problems} >= {(4, "forged"), (5, "forged")}


def test_appends_stop_while_the_key_is_missing_or_replaced() -> None:
    _write_rows(1)
    path = key_file()
    original = path.read_text()
    path.unlink()
    with pytest.raises(StoreError, match=r"audit\.key is missing"):
        _write_rows(1)
    assert not path.exists()
    path.write_text("cd" * 32)
    with pytest.raises(StoreError, match="restore the original key"):
        _write_rows(1)
    path.write_text(original)
    _write_rows(1)
    assert verify_audit().ok


def test_key_given_in_the_environment_is_used_and_no_file_is_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FINMON_AUDIT_KEY", "ef" * 32)
    _write_rows(2)
    assert not key_file().exists()
    assert verify_audit().ok
    monkeypatch.setenv("FINMON_AUDIT_KEY", "01" * 32)
    report = verify_audit()
    assert report.kind == "key" and "FINMON_AUDIT_KEY holds key id" in str(report.problem)


def test_short_key_is_refused_with_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINMON_AUDIT_KEY", "abcd")
    with pytest.raises(StoreError, match="FINMON_AUDIT_KEY must hold at least 64 hex digits"):
        _write_rows(1)


def test_checkpoint_is_written_after_commit_only() -> None:
    _write_rows(2)
    lines = checkpoint_file().read_text().splitlines()
    with pytest.raises(RuntimeError), default_database().write() as session:
        append_audit(session, actor="officer", action="test.event", object="thing:x")
        raise RuntimeError("rolled back")
    assert checkpoint_file().read_text().splitlines() == lines
    assert json.loads(lines[-1])["rows"] == 2
    assert verify_audit().ok


def test_store_upgraded_under_another_home_verifies_from_the_writers_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, finmon_home: Path
) -> None:
    # The upgrade made its key and checkpoint elsewhere; the server's first write makes its own.
    monkeypatch.setenv("FINMON_AUDIT_KEY_FILE", str(tmp_path / "elsewhere" / "audit.key"))
    monkeypatch.setenv("FINMON_AUDIT_CHECKPOINT_FILE", str(tmp_path / "elsewhere" / "cp.log"))
    _upgraded_legacy_store(3)
    monkeypatch.delenv("FINMON_AUDIT_KEY_FILE")
    monkeypatch.delenv("FINMON_AUDIT_CHECKPOINT_FILE")
    _write_rows(2)
    report = verify_audit()
    assert report.ok, report.problems
    assert (report.rows, report.checkpoint_row) == (5, 5)
    assert (finmon_home / "audit.key").exists()
