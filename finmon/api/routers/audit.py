"""The audit trail: its rows a page at a time, and the check of its chain."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from finmon.api.deps import MAX_ID, Audit, Store
from finmon.services import audit as audit_service

router = APIRouter(tags=["audit"])


class AuditRow(BaseModel):
    """One row of the chain: who did what to which object, and the hashes that chain it."""

    id: int
    at: str
    actor: str
    action: str = Field(examples=["alert.approve"])
    object: str = Field(examples=["alert:17"])
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None
    prev_hash: str
    hash: str


class AuditProblem(BaseModel):
    kind: str
    message: str
    row_id: int | None


class AuditReport(BaseModel):
    """The chain checked against its key and its checkpoints; `problems` names all wrong."""

    ok: bool
    rows: int
    head: str
    checkpoint_row: int | None
    row_id: int | None = Field(description="The row the first problem is about")
    kind: str | None = Field(description="The first problem's kind")
    problem: str | None = Field(description="The first problem's message")
    problems: list[AuditProblem]


@router.get("/audit")
def audit(
    who: Audit,
    store: Store,
    after_id: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditRow]:
    """A page of the audit trail in order: the rows after `after_id`."""
    rows = audit_service.audit_rows(who.name, after_id=after_id, limit=limit, db=store)
    return [AuditRow.model_validate(row) for row in rows]


@router.get("/audit/verify")
def audit_verify(who: Audit, store: Store) -> AuditReport:
    """Check the chain, its key and its checkpoints; `problems` names everything wrong."""
    return AuditReport.model_validate(audit_service.verify_audit(who.name, store).to_dict())
