"""finmon.store: the database (SQLite by default, PostgreSQL by URL) and the audit log."""

from __future__ import annotations

from finmon.store.audit import AuditReport, append_audit, verify_audit
from finmon.store.engine import Database, default_database
from finmon.store.lists import (
    LoadResult,
    VersionInfo,
    current_designations,
    current_version_ids,
    current_versions,
    list_versions,
    load_list,
    load_lists,
)

__all__ = [
    "AuditReport",
    "Database",
    "LoadResult",
    "VersionInfo",
    "append_audit",
    "current_designations",
    "current_version_ids",
    "current_versions",
    "default_database",
    "list_versions",
    "load_list",
    "load_lists",
    "verify_audit",
]
