"""Freeze orders: the 24-hour clock, releases and permitted payments, each step authorised first
(a release and a payment take a second person, checked by the store by person)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from finmon.services.access import authorize
from finmon.store import Database
from finmon.store import freezes as store
from finmon.store.freezes import NOTIFICATION_FIELDS, SlaItem, notifications_csv, notifications_json
from finmon.workflow.access import Action

__all__ = ["NOTIFICATION_FIELDS", "SlaItem", "notifications_csv", "notifications_json"]


def list_freezes(actor: str, db: Database | None = None) -> list[dict[str, Any]]:
    """Every freeze order as its FIU notification record, oldest first."""
    authorize(actor, Action.READ, db)
    return store.list_freezes(db)


def sla(actor: str, db: Database | None = None, now: dt.datetime | None = None) -> list[SlaItem]:
    """Every alert not yet acted on, most urgent first, with the hours left of the 24."""
    authorize(actor, Action.READ, db)
    return store.sla(db, now)


def get_freeze(actor: str, freeze_id: int, db: Database | None = None) -> dict[str, Any]:
    """One freeze order with its release and permitted payments."""
    authorize(actor, Action.READ, db)
    return store.get_freeze(freeze_id, db)


def pending_payments(actor: str, db: Database | None = None) -> list[dict[str, Any]]:
    """Permitted payments awaiting a second person."""
    authorize(actor, Action.READ, db)
    return store.pending_payments(db)


def ask_release(actor: str, freeze_id: int, reason: str, db: Database | None = None) -> str:
    """Ask for a release; returns the freeze's status (a second person approves it)."""
    who = authorize(actor, Action.REQUEST, db)
    return store.ask_release(freeze_id, actor=who.name, reason=reason, db=db)


def release(actor: str, freeze_id: int, db: Database | None = None) -> str:
    """Approve a requested release as the second person; returns the freeze's status."""
    who = authorize(actor, Action.APPROVE, db)
    return store.release(freeze_id, actor=who.name, db=db)


def request_payment(
    actor: str,
    freeze_id: int,
    *,
    amount: str,
    currency: str,
    purpose: str,
    payee: str | None = None,
    db: Database | None = None,
) -> int:
    """Record a permitted payment from frozen funds for approval; returns its id."""
    who = authorize(actor, Action.REQUEST, db)
    asked = store.PaymentRequest(amount, currency, purpose, payee)
    return store.request_payment(freeze_id, asked, actor=who.name, db=db)


def approve_payment(actor: str, payment_id: int, db: Database | None = None) -> None:
    """Approve a permitted payment as the second person."""
    who = authorize(actor, Action.APPROVE, db)
    store.approve_payment(payment_id, actor=who.name, db=db)
