"""Screening alerts: listed, shown, decided and approved (four-eyes), each step authorised first.

Every function takes the acting name and asks `authorize` before it touches the store; the store
checks four-eyes by person whoever calls it.
"""

from __future__ import annotations

from typing import Any

from finmon.services.access import authorize
from finmon.store import Database
from finmon.store import alerts as store
from finmon.store.alerts import STATUS_FILTERS, AlertCase, AlertRow
from finmon.workflow import Verdict
from finmon.workflow.access import Action

__all__ = ["STATUS_FILTERS", "AlertCase", "AlertRow"]


def list_alerts(actor: str, status: str = "open", db: Database | None = None) -> list[AlertRow]:
    """Alerts by status filter (open, decided, all), oldest first."""
    authorize(actor, Action.READ, db)
    return store.list_alerts(status, db)


def get_alert(
    actor: str, alert_id: int, db: Database | None = None
) -> tuple[AlertRow, dict[str, Any]]:
    """One alert and its full explanation."""
    authorize(actor, Action.READ, db)
    return store.get_alert(alert_id, db)


def alert_case(actor: str, alert_id: int, db: Database | None = None) -> AlertCase:
    """One alert with both sides' records and its decisions."""
    authorize(actor, Action.READ, db)
    return store.alert_case(alert_id, db)


def decide(
    actor: str,
    alert_id: int,
    verdict: Verdict,
    reason: str | None = None,
    db: Database | None = None,
) -> str:
    """A first decision on an alert; returns its new status (a confirmed hit awaits approval)."""
    who = authorize(actor, Action.DECIDE, db)
    return store.decide_alert(alert_id, verdict, actor=who.name, reason=reason, db=db)


def withdraw(
    actor: str, alert_id: int, reason: str | None = None, db: Database | None = None
) -> str:
    """The author of a confirmed hit awaiting approval takes it back; returns the status."""
    who = authorize(actor, Action.DECIDE, db)
    return store.withdraw_proposal(alert_id, actor=who.name, reason=reason, db=db)


def approve(actor: str, alert_id: int, db: Database | None = None) -> int:
    """A second person approves a confirmed hit; returns the freeze order it made."""
    who = authorize(actor, Action.APPROVE, db)
    return store.approve(alert_id, actor=who.name, db=db)
