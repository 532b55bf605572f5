"""Payments in the payment path: allow or hold one payment, and the counterparty clearances that
keep a known false positive from holding it again."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from finmon.api.deps import Approve, Clear, RatesOf, Read, RowId, Screen, ScreenersOf, Store
from finmon.api.fields import Amount, Currency, ReasonIn, ScreeningHit, Text
from finmon.api.limits import off_loop
from finmon.countries import country_code
from finmon.errors import InputError
from finmon.names.limits import NameLimits
from finmon.screening import DEFAULT_THRESHOLD
from finmon.services import payments as payments_service
from finmon.transactions import PartyInfo, Transaction
from finmon.transactions.payments import check_payment

router = APIRouter()


class PaymentPartyIn(BaseModel):
    """One side of a payment, as much as the message gives."""

    name: Text | None = Field(None, max_length=400)
    account: Text | None = Field(None, max_length=100, description="IBAN or account number")
    id: Text | None = Field(None, max_length=100, description="national ID, IIN/BIN, customer ID")
    country: Text | None = Field(None, max_length=60, description="ISO code or name")
    address: Text | None = Field(None, max_length=1000)
    birth_date: dt.date | None = None
    birth_place: Text | None = Field(None, max_length=200)
    bank: Text | None = Field(None, max_length=100, description="BIC of the party's bank")


class PaymentCheckIn(BaseModel):
    """A payment in finmon's canonical terms (docs/transactions.md)."""

    id: Text = Field(min_length=1, max_length=200)
    timestamp: dt.datetime | None = None
    amount: Amount
    currency: Currency
    originator: PaymentPartyIn = Field(default_factory=lambda: PaymentPartyIn.model_validate({}))
    beneficiary: PaymentPartyIn = Field(default_factory=lambda: PaymentPartyIn.model_validate({}))
    channel: Text | None = Field(None, max_length=40)
    reference: Text | None = Field(None, max_length=200)
    purpose: Text | None = Field(None, max_length=1000)
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)


class SideHit(ScreeningHit):
    """A hit on one side of the payment."""

    side: Literal["originator", "beneficiary"]


class Suppressed(BaseModel):
    """A hit a clearance kept from holding the payment."""

    model_config = ConfigDict(populate_by_name=True)

    side: str
    clearance_id: int
    list_: str = Field(alias="list")
    reference: str
    designation_name: str
    matched_name: str
    score: float


class Missing(BaseModel):
    side: str
    what: str
    detail: str


class WireInformation(BaseModel):
    """The FATF R.16 check of the originator and beneficiary information."""

    applies: bool
    complete: bool
    cross_border: bool
    above_threshold: bool
    basis: str
    missing: list[Missing]


class PaymentDecision(BaseModel):
    transaction_id: str
    decision: Literal["allow", "hold"]
    message: dict[str, Any] | None = Field(description="What the payment message's header said")
    reasons: list[str] = Field(description="Why the payment is held, each in a sentence")
    hits: list[SideHit]
    suppressed: list[Suppressed]
    wire_transfer_information: WireInformation


class ClearanceIn(BaseModel):
    """A payment counterparty to clear as a false positive against one designation: its name and
    one of account, iban, card (or iin/bin, which may also come beside an account or a card)."""

    name: Text = Field(min_length=1, max_length=400)
    account: Text | None = Field(None, max_length=100)
    iban: Text | None = Field(None, max_length=100)
    card: Text | None = Field(None, max_length=40, description="kept only as a keyed digest")
    iin: Text | None = Field(None, max_length=40)
    bin: Text | None = Field(None, max_length=40)
    birth_date: dt.date | None = None
    list: Text = Field(min_length=1, max_length=64, description="the designation's list")
    reference: Text = Field(min_length=1, max_length=200)
    reason: Text = Field(min_length=1, max_length=4000)


class Clearance(BaseModel):
    """A counterparty clearance, who proposed, approved and revoked it and when, and how many
    hits it kept from holding a payment."""

    model_config = ConfigDict(populate_by_name=True)

    clearance_id: int
    status: str = Field(description="pending_approval, active or revoked")
    name: str
    identifier_kind: str
    identifier: str = Field(description="As shown: a card only by its last digits")
    birth_date: str | None
    list_: str = Field(alias="list")
    reference: str
    designation_name: str
    designation: str = Field(description="unchanged, amended or delisted since the clearance")
    reason: str
    proposed_by: str
    proposed_at: str
    approved_by: str | None
    approved_at: str | None
    revoked_by: str | None
    revoked_at: str | None
    revoke_reason: str | None
    suppressions: int
    last_suppressed_at: str | None


class ClearanceStep(BaseModel):
    """What one step of the workflow left: the record's id and its status now."""

    clearance_id: int
    status: str


@router.post("/payments/check", tags=["screening"])
@off_loop
def payment_check(
    body: PaymentCheckIn, who: Screen, screeners: ScreenersOf, rates: RatesOf, store: Store
) -> PaymentDecision:
    """Allow or hold one payment: both parties screened against every loaded list, and the
    originator and beneficiary information checked as FATF R.16 asks (a hold says why). A
    hit on a counterparty cleared against that designation holds nothing while neither
    side's matching data changed: it is listed under "suppressed", and audited."""
    decision = check_payment(
        _transaction(body),
        screeners.get("default"),
        rates.get(),
        body.threshold,
        clearances=payments_service.clearances(who.name, store),
    )
    return PaymentDecision.model_validate(decision.to_dict())


@router.get("/payments/clearances", tags=["payments"])
def clearances(
    who: Read, store: Store, status: Annotated[str, Query(max_length=20)] = "all"
) -> list[Clearance]:
    """Counterparty clearances (pending, active, revoked or all), with who and when, and the
    hits each kept from holding a payment."""
    rows = payments_service.list_clearances(who.name, status, store)
    return [Clearance.model_validate(row) for row in rows]


@router.post("/payments/clearances", tags=["payments"], status_code=201)
def clearance_propose(body: ClearanceIn, who: Clear, store: Store) -> ClearanceStep:
    """Propose clearing a payment counterparty as a false positive; a second person
    approves it before it covers any payment."""
    given = {"account": body.account, "iban": body.iban, "card": body.card}
    chosen = [(kind, value) for kind, value in given.items() if value]
    national = [(kind, value) for kind, value in (("iin", body.iin), ("bin", body.bin)) if value]
    if len(chosen) > 1 or len(national) > 1 or not (chosen or national):
        raise InputError("give one of account, iban or card, or iin/bin, or one of each")
    kind, value = chosen[0] if chosen else national[0]
    counterparty = payments_service.counterparty(
        body.name,
        kind,
        value,
        birth_date=body.birth_date,
        national_id=national[0][1] if chosen and national else None,
    )
    clearance_id = payments_service.propose_clearance(
        who.name, counterparty, body.list, body.reference, reason=body.reason, db=store
    )
    return ClearanceStep(clearance_id=clearance_id, status="pending_approval")


@router.post("/payments/clearances/{clearance_id}/approve", tags=["payments"])
def clearance_approve(clearance_id: RowId, who: Approve, store: Store) -> ClearanceStep:
    """Approve a proposed clearance as the second person."""
    status = payments_service.approve_clearance(who.name, clearance_id, store)
    return ClearanceStep(clearance_id=clearance_id, status=status)


@router.post("/payments/clearances/{clearance_id}/revoke", tags=["payments"])
def clearance_revoke(
    clearance_id: RowId, body: ReasonIn, who: Clear, store: Store
) -> ClearanceStep:
    """Revoke a clearance, or withdraw a proposal: its counterparty is held again."""
    status = payments_service.revoke_clearance(who.name, clearance_id, body.reason, store)
    return ClearanceStep(clearance_id=clearance_id, status=status)


def _transaction(body: PaymentCheckIn) -> Transaction:
    """A /payments/check body as a Transaction; countries as ISO codes (InputError if unknown)."""
    limits = NameLimits.from_settings()

    def side(name: str, given: PaymentPartyIn) -> PartyInfo:
        if given.name:
            limits.check(given.name, f"{name}.name")
        country = None
        if given.country:
            country = country_code(given.country, f"{name}.country")
        # The body's fields are PartyInfo's; only the country is read into its ISO code.
        return PartyInfo(**given.model_dump() | {"country": country})

    when = body.timestamp or dt.datetime.now(dt.UTC)
    return Transaction(
        id=body.id,
        timestamp=when if when.tzinfo else when.replace(tzinfo=dt.UTC),
        amount=body.amount,
        currency=body.currency.upper(),
        originator=side("originator", body.originator),
        beneficiary=side("beneficiary", body.beneficiary),
        channel=body.channel,
        reference=body.reference,
        purpose=body.purpose,
        source="POST /payments/check",
    )
