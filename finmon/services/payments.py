"""Payments in the payment path and the counterparties cleared as false positives: payments
checked against every loaded list with the store's clearances, clearances proposed, approved by
a second person (checked by the store by person), listed and revoked; each step authorised first.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from finmon.screening import DEFAULT_THRESHOLD
from finmon.services.access import authorize
from finmon.store import Database
from finmon.store import clearances as store
from finmon.store.clearances import IDENTIFIER_KINDS, STATUS_FILTERS, Counterparty, counterparty
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.screening import Screener
    from finmon.transactions.model import Transaction
    from finmon.transactions.payments import PaymentDecision
    from finmon.transactions.wire import Rates

__all__ = ["IDENTIFIER_KINDS", "STATUS_FILTERS", "Counterparty", "counterparty"]


def check_payments(
    actor: str,
    transactions: Sequence[Transaction],
    screener: Screener,
    rates: Rates | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    workers: int = 1,
    db: Database | None = None,
) -> Iterator[PaymentDecision]:
    """Each payment allowed or held, in order: both parties screened and the R.16 information
    checked; a hit on a counterparty cleared against it holds nothing and is audited under the
    actor."""
    from finmon.transactions.payments import check_payments as check

    who = authorize(actor, Action.SCREEN, db)
    clearances = store.StoreClearances(who.name, db)
    return check(transactions, screener, rates, threshold, workers, clearances=clearances)


def check_payment(
    actor: str,
    transaction: Transaction,
    screener: Screener,
    rates: Rates | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    db: Database | None = None,
) -> PaymentDecision:
    """One payment allowed or held (check_payments of one)."""
    return next(check_payments(actor, [transaction], screener, rates, threshold, db=db))


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
