"""Transaction monitoring: the alerts its rules raised, and the cases that group them per
account, each outcome proposed by one person and approved by another (as the web's cases)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from finmon.api.deps import ApproveCases, Read, RowId, Store, WorkCases
from finmon.api.fields import Text
from finmon.services import cases as cases_service
from finmon.web.deps import CASE_STATUS

router = APIRouter()


class CaseAlert(BaseModel):
    """A monitoring alert: a rule that fired on an account's transfers in a window."""

    alert_id: int
    rule: str
    typology: str
    score: float
    window_start: str | None
    window_end: str | None
    transaction_ids: list[str]
    evidence: dict[str, Any] = Field(description="What the rule saw: amounts, counts, parties")
    status: str = Field(description="open, or in_case once a case holds it")
    created_at: str | None


class MonitoringAlert(CaseAlert):
    account: str
    case_id: int | None = Field(None, description="The case the alert is in, if any")


class Decision(BaseModel):
    decision_id: int
    action: Literal["report", "close"]
    reason: str
    status: str = Field(description="proposed, approved or superseded")
    proposed_by: str
    proposed_at: str | None
    approved_by: str | None
    approved_at: str | None


class Case(BaseModel):
    """An account's monitoring alerts grouped for one decision, and where it stands."""

    case_id: int
    account: str
    status: str = Field(description="open, under_review, proposed, reported or closed")
    score: float = Field(description="How likely one of its indications is right (noisy-or)")
    assigned_to: str | None
    opened_at: str | None
    opened_by: str
    updated_at: str | None
    summary: dict[str, Any] = Field(
        description="Its alerts, rules and their scores, typologies, transactions and amounts"
    )


class CaseDetail(Case):
    alerts: list[CaseAlert]
    transactions: list[dict[str, Any]] = Field(description="The transfers its alerts name")
    decisions: list[Decision]


class CasesOpened(BaseModel):
    case_ids: list[int] = Field(description="The cases opened or added to")


class CaseStep(BaseModel):
    """What one step of the workflow left: the record's id and its status now."""

    case_id: int
    status: str


class Proposed(CaseStep):
    decision_id: int


class ProposalIn(BaseModel):
    action: Literal["report", "close"] = Field(
        description="report: file a suspicious-transaction report; close: no suspicion"
    )
    reason: Text = Field(min_length=1, max_length=4000)


class WithdrawalIn(BaseModel):
    reason: Text | None = Field(None, max_length=4000)


@router.get("/monitoring/alerts", tags=["monitoring"])
def monitoring_alerts(
    who: Read,
    store: Store,
    status: Annotated[str, Query(pattern="^(open|in_case|all)$")] = "open",
    rule: Annotated[str, Query(max_length=64)] = "",
) -> list[MonitoringAlert]:
    """Monitoring alerts, oldest first: open (in no case yet), in a case (named), or all; of one
    rule if given."""
    rows = cases_service.monitoring_alerts(who.name, status, store)
    return [MonitoringAlert.model_validate(r) for r in rows if not rule or r["rule"] == rule]


@router.get("/cases", tags=["cases"])
def cases(
    who: Read, store: Store, status: Annotated[str, Query(pattern=CASE_STATUS)] = "working"
) -> list[Case]:
    """Cases, oldest first: those being worked on (open, under review, proposed), those in one
    status, or all."""
    rows = cases_service.list_cases(who.name, None if status == "all" else status, store)
    return [Case.model_validate(row) for row in rows]


@router.post("/cases/open", tags=["cases"])
def cases_open(who: WorkCases, store: Store) -> CasesOpened:
    """Put the monitoring alerts in no case yet into their accounts' cases."""
    return CasesOpened(case_ids=cases_service.open_cases(who.name, store))


@router.get("/cases/{case_id}", tags=["cases"])
def case(case_id: RowId, who: Read, store: Store) -> CaseDetail:
    """One case with its alerts, the transfers they name and its decisions."""
    return CaseDetail.model_validate(cases_service.get_case(who.name, case_id, store))


@router.post("/cases/{case_id}/review", tags=["cases"])
def case_review(case_id: RowId, who: WorkCases, store: Store) -> CaseStep:
    """Take an open case, or one under someone else's review, for review."""
    status = cases_service.review(who.name, case_id, store)
    return CaseStep(case_id=case_id, status=status)


@router.post("/cases/{case_id}/propose", tags=["cases"])
def case_propose(case_id: RowId, body: ProposalIn, who: WorkCases, store: Store) -> Proposed:
    """Propose to report or close a case under review, with the reason; a second person
    approves it (a pending proposal is replaced)."""
    decision_id = cases_service.propose(who.name, case_id, body.action, body.reason, store)
    return Proposed(case_id=case_id, status="proposed", decision_id=decision_id)


@router.post("/cases/{case_id}/withdraw", tags=["cases"])
def case_withdraw(case_id: RowId, body: WithdrawalIn, who: WorkCases, store: Store) -> CaseStep:
    """The author of the proposal awaiting approval takes it back: the case is under review."""
    status = cases_service.withdraw(who.name, case_id, body.reason, store)
    return CaseStep(case_id=case_id, status=status)


@router.post("/cases/{case_id}/approve", tags=["cases"])
def case_approve(case_id: RowId, who: ApproveCases, store: Store) -> CaseStep:
    """Approve the proposal as the second person: the case is reported or closed."""
    status = cases_service.approve(who.name, case_id, store)
    return CaseStep(case_id=case_id, status=status)
