"""The database schema as typed SQLAlchemy models, in SQL that SQLite and PostgreSQL share."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from sqlalchemy import (
    DDL,
    JSON,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    String,
    Text,
    TypeDecorator,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as UTC and always read back timezone-aware, whatever the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Store naive UTC; a naive input is taken to be UTC already."""
        if value is None:
            return None
        return as_utc(value).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        """Attach UTC to what the database returns."""
        return None if value is None else as_utc(value)


def as_utc(value: dt.datetime) -> dt.datetime:
    """The same instant in UTC; naive datetimes are taken to be UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def utc_now() -> dt.datetime:
    """Now, in UTC, to the microsecond."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[dict[str, str]]: JSON,
    }


class ListVersion(Base):
    """One loaded version of one source's list; exactly one per source is current."""

    __tablename__ = "list_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[dt.datetime | None]
    loaded_at: Mapped[dt.datetime]
    loaded_by: Mapped[str] = mapped_column(String(200))
    files: Mapped[list[dict[str, str]]]
    designation_count: Mapped[int]
    is_current: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (Index("ix_list_versions_source_current", "source", "is_current"),)


class DesignationRow(Base):
    """One designation of one list version; payload is Designation.to_dict()."""

    __tablename__ = "designations"

    id: Mapped[int] = mapped_column(primary_key=True)
    list_version_id: Mapped[int] = mapped_column(
        ForeignKey("list_versions.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(200))
    schema: Mapped[str] = mapped_column(String(32))
    caption: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]]


class AuditEntry(Base):
    """One row of the append-only, hash-chained audit log."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    object: Mapped[str] = mapped_column(String(500))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


# The hash chain is what proves integrity; these triggers only stop accidental edits through SQL.
for _verb in ("UPDATE", "DELETE"):
    event.listen(
        AuditEntry.__table__,
        "after_create",
        DDL(  # type: ignore[no-untyped-call]
            f"CREATE TRIGGER audit_log_no_{_verb.lower()} BEFORE {_verb} ON audit_log "
            "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
        ).execute_if(dialect="sqlite"),
    )
