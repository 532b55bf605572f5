"""Someone with the database (and not the key) tampers with the audit log; `finmon audit verify`
exits non-zero and names what was done (issue 16, finding 6)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from finmon.api import create_app
from finmon.cli import app
from finmon.store import default_database
from finmon.store.audit import append_audit, row_hash
from finmon.store.audit_anchor import checkpoint_file, key_file
from finmon.store.migrations import append_only
from finmon.store.models import AuditEntry
from finmon.store.sessions import set_password
from finmon.workflow.access import Role
from tests.accounts import make_user
from tests.conftest import direct_sql, drop_audit_guards
from tests.web.test_web import PASSWORD, _sign_in

runner = CliRunner()


def _verify() -> tuple[int, str]:
    result = runner.invoke(app, ["audit", "verify"])
    return result.exit_code, result.stdout + result.stderr


def _write(transactions: int = 3, rows: int = 2) -> None:
    for t in range(transactions):
        with default_database().write() as session:
            for i in range(rows):
                append_audit(session, actor="officer", action="test.event", object=f"thing:{t}.{i}")


def _sql(*statements: str) -> None:
    with direct_sql() as conn:
        drop_audit_guards(conn)
        for statement in statements:
            conn.execute(text(statement))


def _unkeyed(entry: AuditEntry) -> str:
    # What an intruder who has finmon's code but not the key computes: the message, plain sha256.
    fields = {
        "at": entry.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "seq": entry.seq,
        "actor": entry.actor,
        "action": entry.action,
        "object": entry.object,
        "before": entry.before,
        "after": entry.after,
        "reason": entry.reason,
    }
    canonical = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{entry.prev_hash}\n{canonical}".encode()).hexdigest()


def _forge_append() -> None:
    with direct_sql() as conn, Session(bind=conn) as session:
        head = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert head is not None
        forged = AuditEntry(
            at=head.at,
            actor="intruder",
            action="freeze.release",
            object="freeze:1",
            prev_hash=head.hash,
            key_id=head.key_id,
            seq=(head.seq or 0) + 1,
        )
        forged.hash = _unkeyed(forged)
        session.add(forged)
        session.flush()


def _rechain() -> None:
    with direct_sql() as conn:
        drop_audit_guards(conn)
        with Session(bind=conn) as session:
            prev = "0" * 64
            for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
                entry.actor = "someone else"
                entry.prev_hash = prev
                entry.hash = _unkeyed(entry)
                session.flush()
                prev = entry.hash


def _rechain_as_plain_rows() -> None:
    # The rows stripped of key and position, re-chained as revision 0010 wrote them.
    with direct_sql() as conn:
        drop_audit_guards(conn)
        with Session(bind=conn) as session:
            prev = "0" * 64
            for entry in session.scalars(select(AuditEntry).order_by(AuditEntry.id)):
                entry.key_id, entry.seq, entry.prev_hash = None, None, prev
                entry.hash = row_hash(entry)
                session.flush()
                prev = entry.hash


def _alter_checkpoint() -> None:
    path = checkpoint_file()
    lines = path.read_text().splitlines()
    fields = json.loads(lines[-1])
    fields["rows"] = 2
    path.write_text("\n".join([*lines[:-1], json.dumps(fields)]) + "\n")


def _replace_key() -> None:
    key_file().write_text("ab" * 32 + "\n")


TAMPERING: dict[str, tuple[Callable[[], None], str, str]] = {
    "deleted tail": (
        lambda: _sql("DELETE FROM audit_log WHERE id > 3"),
        "tail_deleted",
        "the tail was deleted",
    ),
    "emptied table": (lambda: _sql("DELETE FROM audit_log"), "emptied", "the table was emptied"),
    "forged append": (_forge_append, "forged", "row 7 does not match its HMAC"),
    "full re-chain": (_rechain, "rechained", "re-chained without the audit key"),
    "re-chain as plain sha256 rows": (
        _rechain_as_plain_rows,
        "rewritten",
        "is not the row the checkpoint of",
    ),
    "edited row": (
        lambda: _sql("UPDATE audit_log SET reason = 'nothing happened' WHERE id = 3"),
        "edited",
        "row 3 was edited",
    ),
    "deleted row": (
        lambda: _sql("DELETE FROM audit_log WHERE id = 2"),
        "deleted",
        "row 3: the row before it is missing",
    ),
    "reordered rows": (
        lambda: _sql(
            "UPDATE audit_log SET id = 100 WHERE id = 2",
            "UPDATE audit_log SET id = 2 WHERE id = 4",
            "UPDATE audit_log SET id = 4 WHERE id = 100",
        ),
        "reordered",
        "row 2 is out of order",
    ),
    "dropped triggers": (lambda: _sql(), "triggers", "were missing or altered"),
    "missing checkpoint file": (
        lambda: checkpoint_file().unlink(),
        "checkpoints",
        "audit-checkpoints.log is missing",
    ),
    "altered checkpoint": (_alter_checkpoint, "checkpoints", "line 3 altered"),
    "missing key file": (lambda: key_file().unlink(), "key", "audit.key is missing"),
    "replaced key file": (_replace_key, "key", "the key was replaced"),
}


def test_intact_store_verifies() -> None:
    _write()
    code, output = _verify()
    assert code == 0, output
    assert "intact: 6 rows" in output and "checkpoint at row 6" in output


def test_empty_store_verifies() -> None:
    code, output = _verify()
    assert code == 0 and "intact: 0 rows" in output


@pytest.mark.parametrize("case", TAMPERING, ids=list(TAMPERING))
def test_tampering_is_named_by_the_cli(case: str) -> None:
    tamper, kind, phrase = TAMPERING[case]
    _write()
    tamper()
    code, output = _verify()
    assert code == 1, output
    assert f"BROKEN ({kind})" in output and phrase in output, output


def test_several_problems_are_reported_at_once() -> None:
    _write()
    _sql("DELETE FROM audit_log WHERE id > 4")
    checkpoint_file().unlink()
    code, output = _verify()
    assert code == 1
    assert "BROKEN (triggers)" in output and "BROKEN (checkpoints)" in output


def test_verify_puts_dropped_triggers_back() -> None:
    _write()
    _sql()
    assert _verify()[0] == 1
    with direct_sql() as conn:
        assert append_only.damaged_guards(conn) == []
    assert _verify() == (0, _verify()[1])


DEFUSING = {
    "sqlite: a trigger replaced by one that lets deletes through": [
        "DROP TRIGGER audit_log_no_delete",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT 1; END",
    ],
    "postgresql: a trigger disabled": [
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete",
    ],
    "postgresql: the guard function replaced by one that lets everything through": [
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN RETURN OLD; END $$",
    ],
}


@pytest.mark.parametrize("how", DEFUSING, ids=list(DEFUSING))
def test_defused_guard_is_put_back(how: str) -> None:
    _write()
    with direct_sql() as conn:
        if not how.startswith(conn.dialect.name):
            pytest.skip(f"a {how.split(':')[0]} case")
        for statement in DEFUSING[how]:
            conn.execute(text(statement))
    code, output = _verify()
    assert code == 1 and "BROKEN (triggers)" in output and "audit_log_no_delete" in output
    with pytest.raises(Exception, match="append-only"), direct_sql() as conn:
        conn.execute(text("DELETE FROM audit_log"))
    assert _verify()[0] == 0


def test_cut_tail_is_caught_after_every_committed_write() -> None:
    # One transaction, one row: the checkpoint is written after each commit, so even the last
    # single row cannot be cut unnoticed.
    _write(transactions=5, rows=1)
    _sql("DELETE FROM audit_log WHERE id = 5")
    code, output = _verify()
    assert code == 1 and "row 5, recorded by the checkpoint of" in output
    assert "as the head of 5 rows, is missing" in output


def test_key_file_is_private_and_random(finmon_home: Path) -> None:
    _write(transactions=1, rows=1)
    path = key_file()
    assert path == finmon_home / "audit.key"
    assert path.stat().st_mode & 0o777 == 0o600
    assert len(bytes.fromhex(path.read_text().strip())) == 32


def test_api_and_web_page_show_every_problem() -> None:
    key = make_user("auditor", Role.AUDITOR)
    set_password("auditor", PASSWORD, actor="auditor")
    _write()
    _sql("DELETE FROM audit_log WHERE id > 5")
    application = create_app()
    with TestClient(application) as client:
        answer = client.get("/audit/verify", headers={"Authorization": f"Bearer {key}"}).json()
        assert answer["ok"] is False
        assert {p["kind"] for p in answer["problems"]} == {"tail_deleted", "triggers"}
        browser, _ = _sign_in(application, "auditor")
        page = browser.get("/ui/audit").text
        assert "the tail was deleted" in page and "guard triggers" not in page  # put back already


def test_cut_tail_stays_named_after_new_rows_are_appended() -> None:
    # Honest writes after the cut link to the surviving head, so the chain itself looks whole;
    # the checkpoint of the old head still names the cut.
    _write()
    _sql("DELETE FROM audit_log WHERE id > 3")
    _write(transactions=1, rows=1)
    code, output = _verify()
    assert code == 1 and "BROKEN (tail_deleted)" in output and "the tail was deleted" in output
