"""Screening alerts: listed, shown with their explanation, decided, and approved (four-eyes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from finmon.api.deps import Approve, Decide, Read, RowId, Store
from finmon.api.fields import EXPLANATION, AlertParties, ReasonIn, Text
from finmon.services import alerts as alerts_service
from finmon.workflow import Verdict

router = APIRouter(tags=["alerts"])


class DecisionIn(BaseModel):
    decision: Verdict
    reason: Text | None = Field(None, max_length=4000)


class ScreeningAlert(AlertParties):
    """An alert: a customer who matched a designation, and where its decision stands."""

    score: float
    status: str = Field(description="open, pending_approval, or a decision taken")
    created_at: str
    matched_name: str
    list_version: str
    trigger: str = Field(description="What raised it: a list load or a customer import")


class ScreeningAlertDetail(ScreeningAlert):
    explanation: dict[str, Any] = Field(description=EXPLANATION)


class AlertStep(BaseModel):
    """What one step of the workflow left: the record's id and its status now."""

    alert_id: int
    status: str


class Approved(AlertStep):
    freeze_id: int = Field(description="The freeze order the approval made")


@router.get("/alerts")
def alerts(
    who: Read,
    store: Store,
    status: Annotated[str, Query(pattern="^(open|decided|all)$")] = "open",
) -> list[ScreeningAlert]:
    """Alerts, oldest first: open (awaiting a decision), decided, or all."""
    return [
        ScreeningAlert.model_validate(row.to_dict())
        for row in alerts_service.list_alerts(who.name, status, store)
    ]


@router.get("/alerts/{alert_id}")
def alert(alert_id: RowId, who: Read, store: Store) -> ScreeningAlertDetail:
    """One alert with its full explanation."""
    row, explanation = alerts_service.get_alert(who.name, alert_id, store)
    return ScreeningAlertDetail.model_validate({**row.to_dict(), "explanation": explanation})


@router.post("/alerts/{alert_id}/decision")
def decide(alert_id: RowId, body: DecisionIn, who: Decide, store: Store) -> AlertStep:
    """A first decision; a confirmed hit then awaits a supervisor's approval."""
    status = alerts_service.decide(who.name, alert_id, body.decision, body.reason, store)
    return AlertStep(alert_id=alert_id, status=status)


@router.post("/alerts/{alert_id}/withdraw")
def withdraw(alert_id: RowId, body: ReasonIn, who: Decide, store: Store) -> AlertStep:
    """The author of a confirmed hit awaiting approval takes it back (nobody else can)."""
    status = alerts_service.withdraw(who.name, alert_id, body.reason, store)
    return AlertStep(alert_id=alert_id, status=status)


@router.post("/alerts/{alert_id}/approve")
def approve(alert_id: RowId, who: Approve, store: Store) -> Approved:
    """A second person approves a confirmed hit: the freeze order is made."""
    freeze_id = alerts_service.approve(who.name, alert_id, store)
    return Approved(alert_id=alert_id, status="confirmed_hit", freeze_id=freeze_id)
