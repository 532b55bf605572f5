"""The real-time payment check: allow a payment, or hold it with the reasons a person reads.

A payment is held when either party matches a listed person or organisation (the screening core,
each side screened by its name, with its birth date and IIN/BIN where the message gives them), or
when it lacks the originator or beneficiary information FATF R.16 asks for (finmon.transactions.
wire). A hold is not a refusal: the payment waits for an analyst, who releases it or, for a
confirmed listed party, freezes it.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from finmon.lists.identifiers import is_valid_iin_bin, kz_number_kind
from finmon.model import BirthDate, Identifier, Party, Schema
from finmon.screening import DEFAULT_THRESHOLD, Hit, Screener
from finmon.transactions.model import PartyInfo, Transaction
from finmon.transactions.wire import Rates, WireCheck, check_wire, r16_applies

SIDES = ("originator", "beneficiary")


@dataclass(frozen=True, slots=True)
class PaymentDecision:
    """allow or hold, with every reason and the evidence behind it."""

    transaction: Transaction
    decision: str
    """"allow" or "hold"."""
    reasons: tuple[str, ...]
    hits: tuple[tuple[str, Hit], ...]
    """(side, hit) for each listed party matched."""
    wire: WireCheck

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the answer of `POST /payments/check` and of `finmon check-payment`."""
        return {
            "transaction_id": self.transaction.id,
            "decision": self.decision,
            "message": self.transaction.message.to_dict() if self.transaction.message else None,
            "reasons": list(self.reasons),
            "hits": [{"side": side, **hit.to_dict()} for side, hit in self.hits],
            "wire_transfer_information": {
                "applies": r16_applies(self.transaction),
                "complete": self.wire.complete,
                "cross_border": self.wire.cross_border,
                "above_threshold": self.wire.above_threshold,
                "basis": self.wire.basis,
                "missing": [
                    {"side": m.side, "what": m.what, "detail": m.detail} for m in self.wire.missing
                ],
            },
        }


def check_payment(
    transaction: Transaction,
    screener: Screener,
    rates: Rates | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> PaymentDecision:
    """Screen both parties and check the R.16 information of one payment."""
    return next(check_payments([transaction], screener, rates, threshold))


def check_payments(
    transactions: Sequence[Transaction],
    screener: Screener,
    rates: Rates | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    workers: int = 1,
) -> Iterator[PaymentDecision]:
    """check_payment of each transaction, in order (the parties screened in `workers`
    processes)."""
    found = party_hits(transactions, screener, threshold, workers)
    for position, transaction in enumerate(transactions):
        hits = found.get(position, [])
        reasons = [
            f"{side} {getattr(transaction, side).name!r} matches {hit.designation.source} "
            f"{hit.designation.reference} {hit.designation.caption!r} as "
            f"{hit.matched_name!r} (score {hit.score:.2f}, list version {hit.list_version})"
            for side, hit in hits
        ]
        wire = check_wire(transaction, rates)
        if wire.missing and r16_applies(transaction):
            reasons.append("wire-transfer information (FATF R.16) incomplete: " + wire.message())
        decision = "hold" if reasons else "allow"
        yield PaymentDecision(transaction, decision, tuple(reasons), tuple(hits), wire)


def party_hits(
    transactions: Sequence[Transaction], screener: Screener, threshold: float, workers: int = 1
) -> dict[int, list[tuple[str, Hit]]]:
    """(side, hit) of every named party that matches a listed one, by the transfer's position."""
    sides: dict[str, tuple[int, str]] = {}
    parties: list[Party] = []
    for position, transaction in enumerate(transactions):
        for side in SIDES:
            party = side_party(transaction, side)
            if party is not None:
                party.id = f"{position}:{side}"
                sides[party.id] = (position, side)
                parties.append(party)
    found: dict[int, list[tuple[str, Hit]]] = {}
    for party, hits in screener.screen_many(parties, threshold=threshold, workers=workers):
        position, side = sides[party.id]
        found.setdefault(position, []).extend((side, hit) for hit in hits)
    return found


def side_party(transaction: Transaction, side: str) -> Party | None:
    """One side of a payment as a party to screen; None when it has no name."""
    info: PartyInfo = getattr(transaction, side)
    name = " ".join((info.name or "").split())
    if not name:
        return None
    identifiers = []
    number = "".join((info.id or "").split())
    if number and is_valid_iin_bin(number):
        identifiers.append(Identifier(kz_number_kind(number) or "iin", number, "KZ"))
    return Party(
        id=f"{transaction.id}:{side}",
        names=[name],
        schema=Schema.UNKNOWN,
        birth_dates=[BirthDate.exact(info.birth_date)] if info.birth_date else [],
        # The country of an address is where a party lives, not their nationality: not evidence.
        nationalities=[],
        identifiers=identifiers,
    )
