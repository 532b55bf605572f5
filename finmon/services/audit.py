"""The audit trail: its chain checked against its key and checkpoints, and its rows read a page
at a time, each authorised first (the auditors' and admins' action)."""

from __future__ import annotations

from typing import Any

from finmon.services.access import authorize
from finmon.store import Database
from finmon.store import audit as store
from finmon.store.audit import AuditReport
from finmon.workflow.access import Action

__all__ = ["AuditReport"]


def verify_audit(actor: str, db: Database | None = None) -> AuditReport:
    """Check the audit log's chain, key and checkpoints; the report names everything wrong."""
    authorize(actor, Action.AUDIT, db)
    return store.verify_audit(db)


def audit_rows(
    actor: str, *, after_id: int = 0, limit: int = 100, db: Database | None = None
) -> list[dict[str, Any]]:
    """A page of the audit trail in order: the rows after `after_id`."""
    authorize(actor, Action.AUDIT, db)
    return store.audit_rows(after_id=after_id, limit=limit, db=db)
