"""The guard that refuses UPDATE and DELETE on audit_log, on SQLite and on PostgreSQL.

The hash chain is what proves integrity; the guard only stops accidental edits through SQL. Every
statement is idempotent, so the same statements guard a new database (revision 0001) and one that
finmon made before it had migrations. Changing the guard takes a new revision, not an edit here.
"""

from __future__ import annotations

from sqlalchemy import Connection, text

from finmon.errors import StoreError

_MESSAGE = "audit_log is append-only"

_SQLITE_CREATE = tuple(
    f"CREATE TRIGGER IF NOT EXISTS audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
    f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
    for verb in ("UPDATE", "DELETE")
)

# Row triggers do not fire on TRUNCATE, so PostgreSQL needs a statement trigger for it as well.
_POSTGRESQL_TRIGGERS = {
    "audit_log_no_update": "BEFORE UPDATE ON audit_log FOR EACH ROW",
    "audit_log_no_delete": "BEFORE DELETE ON audit_log FOR EACH ROW",
    "audit_log_no_truncate": "BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT",
}

_POSTGRESQL_BODY = f"BEGIN RAISE EXCEPTION '{_MESSAGE}'; END"

_POSTGRESQL_CREATE = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"{_POSTGRESQL_BODY} $$",
    *(
        f"CREATE OR REPLACE TRIGGER {name} {when} EXECUTE FUNCTION audit_log_append_only()"
        for name, when in _POSTGRESQL_TRIGGERS.items()
    ),
)


def create_statements(dialect: str) -> tuple[str, ...]:
    """The DDL that makes audit_log append-only on this dialect; harmless when already there."""
    if dialect == "sqlite":
        return _SQLITE_CREATE
    if dialect == "postgresql":
        return _POSTGRESQL_CREATE
    raise StoreError(f"finmon stores into SQLite or PostgreSQL, not {dialect}")


def drop_statements(dialect: str) -> tuple[str, ...]:
    """The DDL that removes the guard again, for downgrading revision 0001."""
    if dialect == "sqlite":
        return tuple(f"DROP TRIGGER IF EXISTS audit_log_no_{verb}" for verb in ("update", "delete"))
    if dialect == "postgresql":
        return (
            *(f"DROP TRIGGER IF EXISTS {name} ON audit_log" for name in _POSTGRESQL_TRIGGERS),
            "DROP FUNCTION IF EXISTS audit_log_append_only()",
        )
    raise StoreError(f"finmon stores into SQLite or PostgreSQL, not {dialect}")


def damaged_guards(connection: Connection) -> list[str]:
    """Names of the guard triggers that are missing, disabled or unlike what create_statements
    makes."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        # SQLite keeps a trigger's CREATE statement as written, minus IF NOT EXISTS.
        expected = {
            statement.split()[5]: statement.replace("IF NOT EXISTS ", "")
            for statement in _SQLITE_CREATE
        }
        found = "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"
        rows = connection.execute(text(found), {"t": "audit_log"})
        present = {str(name): str(sql) for name, sql in rows}
        return [name for name, sql in expected.items() if present.get(name) != sql]
    if dialect == "postgresql":
        return _damaged_postgresql_guards(connection)
    raise StoreError(f"finmon stores into SQLite or PostgreSQL, not {dialect}")


def restore_guards(connection: Connection, names: list[str]) -> None:
    """Drop what is left of the named guard triggers and create the whole guard again."""
    dialect = connection.dialect.name
    suffix = " ON audit_log" if dialect == "postgresql" else ""
    for name in names:
        connection.execute(text(f'DROP TRIGGER IF EXISTS "{name}"{suffix}'))
    for statement in create_statements(dialect):
        connection.exec_driver_sql(statement)


def _damaged_postgresql_guards(connection: Connection) -> list[str]:
    # A trigger can be dropped, disabled (ALTER TABLE ... DISABLE TRIGGER) or re-pointed, and the
    # function it calls replaced by one that lets everything through: each counts as damaged.
    found = (
        "SELECT t.tgname, t.tgenabled, pg_get_triggerdef(t.oid) FROM pg_trigger t "
        "WHERE t.tgrelid = 'audit_log'::regclass AND NOT t.tgisinternal"
    )
    present = {
        str(name): (str(enabled), str(definition).replace(" public.audit_log ", " audit_log "))
        for name, enabled, definition in connection.execute(text(found))
    }
    body = connection.scalar(
        text("SELECT prosrc FROM pg_proc WHERE proname = 'audit_log_append_only'")
    )
    function_intact = body is not None and str(body).strip() == _POSTGRESQL_BODY
    return [
        name
        for name, when in _POSTGRESQL_TRIGGERS.items()
        if not function_intact
        or present.get(name)
        != ("O", f"CREATE TRIGGER {name} {when} EXECUTE FUNCTION audit_log_append_only()")
    ]
