"""The hash-chained audit log names the first edited, deleted or reordered row."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from finmon.store import default_database, verify_audit
from finmon.store.audit import append_audit
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
