"""Payment counterparties cleared as false positives: the clearances a payment check applies,
and clearances proposed, approved by a second person (checked by the store by person), listed and
revoked; each step authorised first."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from finmon.services.access import authorize
from finmon.store import Database
from finmon.store import clearances as store
from finmon.store.clearances import IDENTIFIER_KINDS, STATUS_FILTERS, Counterparty, counterparty
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.transactions.payments import Clearances

__all__ = ["IDENTIFIER_KINDS", "STATUS_FILTERS", "Counterparty", "counterparty"]


def clearances(actor: str, db: Database | None = None) -> Clearances:
    """The store's counterparty clearances for the payment check (`finmon.transactions.payments.
    check_payments`) of an actor allowed to screen: a hit a clearance keeps from holding a
    payment is counted on it and audited under the actor."""
    who = authorize(actor, Action.SCREEN, db)
    return store.StoreClearances(who.name, db)


def propose_clearance(
    actor: str,
    who: Counterparty,
    source: str,
    reference: str,
    *,
    reason: str,
    db: Database | None = None,
) -> int:
    """Propose clearing a counterparty against a designation of a current list; returns its id
    (a second person approves it before it covers any payment)."""
    proposer = authorize(actor, Action.CLEAR, db)
    return store.propose_clearance(
        who, source, reference, reason=reason, actor=proposer.name, db=db
    )


def approve_clearance(actor: str, clearance_id: int, db: Database | None = None) -> str:
    """A second person approves a proposed clearance; returns its status."""
    who = authorize(actor, Action.APPROVE, db)
    return store.approve(clearance_id, actor=who.name, db=db)


def revoke_clearance(actor: str, clearance_id: int, reason: str, db: Database | None = None) -> str:
    """Revoke a clearance, or withdraw a proposal: its counterparty is held again."""
    who = authorize(actor, Action.CLEAR, db)
    return store.revoke(clearance_id, actor=who.name, reason=reason, db=db)


def list_clearances(
    actor: str, status: str = "all", db: Database | None = None
) -> list[dict[str, Any]]:
    """Clearances by status filter (pending, active, revoked, all), oldest first."""
    authorize(actor, Action.READ, db)
    return store.list_clearances(status, db)
