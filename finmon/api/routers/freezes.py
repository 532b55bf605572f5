"""Freeze orders: the 24-hour clock, releases and permitted payments, each with a second person."""

from __future__ import annotations

import dataclasses
import datetime as dt

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from finmon.api.deps import Approve, Ask, Read, RowId, Store
from finmon.api.fields import AlertParties, Amount, Currency, ReasonIn, Text
from finmon.services import freezes as freezes_service

router = APIRouter(tags=["freezes"])


class PaymentIn(BaseModel):
    amount: Amount
    currency: Currency
    purpose: Text = Field(min_length=1, max_length=4000)
    payee: Text | None = Field(None, max_length=400)


class Freeze(BaseModel):
    """A freeze order as its notification record to the FIU."""

    model_config = ConfigDict(populate_by_name=True)

    freeze_id: int
    status: str = Field(description="active, release_review, release_pending or released")
    customer_id: str
    customer_name: str
    accounts: list[str]
    list_: str = Field(alias="list")
    reference: str
    designation_name: str
    list_version: str
    listing_published_at: str | None
    list_loaded_at: str | None
    alert_at: str | None
    decided_at: str | None
    decided_by: str | None
    frozen_at: str | None
    approved_by: str | None
    hours_to_freeze: float = Field(description="From the clock's start to the freeze")
    within_24_hours: bool


class Release(BaseModel):
    requested_by: str | None
    requested_at: str | None
    reason: str | None
    released_by: str | None
    released_at: str | None


class PermittedPayment(BaseModel):
    payment_id: int
    freeze_id: int
    amount: str
    currency: str
    purpose: str
    payee: str | None
    requested_by: str
    requested_at: str | None
    approved_by: str | None
    approved_at: str | None
    status: str


class FreezeDetail(Freeze):
    """A freeze order with its alert, its release and its permitted payments."""

    alert_id: int | None
    review_reason: str | None = Field(description="Why a release is up for review (delisting)")
    release: Release
    permitted_payments: list[PermittedPayment]


class Deadline(AlertParties):
    """An alert not yet acted on, and the hours left of the 24 to freeze."""

    status: str
    clock_start: dt.datetime
    deadline: dt.datetime
    hours_left: float = Field(description="Negative once past")


class FreezeStep(BaseModel):
    """What one step of the workflow left: the record's id and its status now."""

    freeze_id: int
    status: str


class PaymentStep(BaseModel):
    """What one step of the workflow left: the record's id and its status now."""

    payment_id: int
    status: str


@router.get("/freezes")
def freezes(who: Read, store: Store) -> list[Freeze]:
    """Every freeze order as its notification record, oldest first."""
    return [Freeze.model_validate(row) for row in freezes_service.list_freezes(who.name, store)]


@router.get("/freezes/sla")
def freezes_sla(who: Read, store: Store) -> list[Deadline]:
    """Every alert not yet acted on, most urgent first, with the hours left of the 24."""
    items = freezes_service.sla(who.name, store)
    return [Deadline.model_validate(dataclasses.asdict(item)) for item in items]


@router.get("/freezes/{freeze_id}")
def freeze(freeze_id: RowId, who: Read, store: Store) -> FreezeDetail:
    """One freeze order with its release and permitted payments."""
    return FreezeDetail.model_validate(freezes_service.get_freeze(who.name, freeze_id, store))


@router.post("/freezes/{freeze_id}/release-request")
def release_request(freeze_id: RowId, body: ReasonIn, who: Ask, store: Store) -> FreezeStep:
    """Ask for a release (after a delisting or a false positive); a second person approves."""
    status = freezes_service.ask_release(who.name, freeze_id, body.reason, store)
    return FreezeStep(freeze_id=freeze_id, status=status)


@router.post("/freezes/{freeze_id}/release")
def release(freeze_id: RowId, who: Approve, store: Store) -> FreezeStep:
    """Approve a requested release as the second person."""
    status = freezes_service.release(who.name, freeze_id, store)
    return FreezeStep(freeze_id=freeze_id, status=status)


@router.post("/freezes/{freeze_id}/payments")
def payment(freeze_id: RowId, body: PaymentIn, who: Ask, store: Store) -> PaymentStep:
    """Record a permitted payment for basic expenses (Article 12 section 8) for approval."""
    payment_id = freezes_service.request_payment(
        who.name,
        freeze_id,
        amount=str(body.amount),
        currency=body.currency,
        purpose=body.purpose,
        payee=body.payee,
        db=store,
    )
    return PaymentStep(payment_id=payment_id, status="pending_approval")


@router.post("/payments/{payment_id}/approve")
def payment_approve(payment_id: RowId, who: Approve, store: Store) -> PaymentStep:
    """Approve a permitted payment as the second person."""
    freezes_service.approve_payment(who.name, payment_id, store)
    return PaymentStep(payment_id=payment_id, status="approved")
