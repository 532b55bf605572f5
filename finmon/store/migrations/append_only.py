"""The guard that refuses UPDATE and DELETE on audit_log, on SQLite and on PostgreSQL.

The hash chain is what proves integrity; the guard only stops accidental edits through SQL. Every
statement is idempotent, so the same statements guard a new database (revision 0001) and one that
finmon made before it had migrations. Changing the guard takes a new revision, not an edit here.
"""

from __future__ import annotations

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

_POSTGRESQL_CREATE = (
    "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{_MESSAGE}'; END $$",
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
