"""The real-time payment check: allow a payment, or hold it with the reasons a person reads.

A payment is held when either party matches a listed person or organisation (the screening core,
each side screened by its name, with its birth date and IIN/BIN where the message gives them), or
when it lacks the originator or beneficiary information FATF R.16 asks for (finmon.transactions.
wire). A hold is not a refusal: the payment waits for an analyst, who releases it or, for a
confirmed listed party, freezes it.

Given the store's clearances (finmon.store.clearances), a hit on a counterparty cleared as a false
positive against that designation does not hold the payment while neither side's matching data
has changed; the decision lists it, and the store audits it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from finmon.lists.identifiers import is_valid_iin_bin, kz_number_kind
from finmon.model import BirthDate, Identifier, Party, Schema
from finmon.screening import DEFAULT_THRESHOLD, Hit, Screener
from finmon.transactions.model import PartyInfo, Transaction
from finmon.transactions.wire import Rates, WireCheck, check_wire, r16_applies

SIDES = ("originator", "beneficiary")


@dataclass(frozen=True, slots=True)
class Suppression:
    """A hit that did not hold the payment: its counterparty is cleared against the designation."""

    side: str
    hit: Hit
    clearance_id: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: which clearance kept which designation's hit from holding the payment."""
        return {
            "side": self.side,
            "clearance_id": self.clearance_id,
            "list": self.hit.designation.source,
            "reference": self.hit.designation.reference,
            "designation_name": self.hit.designation.caption,
            "matched_name": self.hit.matched_name,
            "score": round(self.hit.score, 4),
        }

    def reason(self, transaction: Transaction) -> str:
        """The line the decision's reasons carry for it."""
        hit = self.hit
        return (
            f"{self.side} {getattr(transaction, self.side).name!r} matches "
            f"{hit.designation.source} {hit.designation.reference} {hit.designation.caption!r} "
            f"(score {hit.score:.2f}) but is cleared as a false positive by clearance "
            f"{self.clearance_id}: not held for it"
        )


class Clearances(Protocol):
    """Cleared counterparties (finmon.store.clearances.StoreClearances is the store's)."""

    def suppress(
        self, transactions: Sequence[Transaction], found: Mapping[int, list[tuple[str, Hit]]]
    ) -> dict[int, list[Suppression]]:
        """The hits a clearance covers, by the transfer's position; each one recorded."""
        ...


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
    suppressed: tuple[Suppression, ...] = ()
    """Hits that did not hold the payment, each covered by a counterparty's clearance."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the answer of `POST /payments/check` and of `finmon check-payment`."""
        return {
            "transaction_id": self.transaction.id,
            "decision": self.decision,
            "message": self.transaction.message.to_dict() if self.transaction.message else None,
            "reasons": list(self.reasons),
            "hits": [{"side": side, **hit.to_dict()} for side, hit in self.hits],
            "suppressed": [s.to_dict() for s in self.suppressed],
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
    clearances: Clearances | None = None,
) -> PaymentDecision:
    """Screen both parties and check the R.16 information of one payment."""
    return next(check_payments([transaction], screener, rates, threshold, clearances=clearances))


def check_payments(
    transactions: Sequence[Transaction],
    screener: Screener,
    rates: Rates | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    workers: int = 1,
    clearances: Clearances | None = None,
) -> Iterator[PaymentDecision]:
    """check_payment of each transaction, in order (the parties screened in `workers`
    processes); hits that `clearances` cover do not hold a payment."""
    found = party_hits(transactions, screener, threshold, workers)
    # The store is asked only when something matched: most payments never touch it.
    cleared = clearances.suppress(transactions, found) if clearances and found else {}
    for position, transaction in enumerate(transactions):
        suppressed = cleared.get(position, [])
        hits = [
            (side, hit)
            for side, hit in found.get(position, [])
            if not any(s.side == side and s.hit is hit for s in suppressed)
        ]
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
        reasons.extend(s.reason(transaction) for s in suppressed)
        yield PaymentDecision(
            transaction, decision, tuple(reasons), tuple(hits), wire, tuple(suppressed)
        )


def party_hits(
    transactions: Sequence[Transaction], screener: Screener, threshold: float, workers: int = 1
) -> dict[int, list[tuple[str, Hit]]]:
    """(side, hit) of every named party that matches a listed one, by the transfer's position.

    A party is screened once however many transfers name it with the same name, birth date and
    identifier (all screening reads of a side): a bank's payments name the same customers and
    counterparties again and again (a simulated quarter: 376,000 transfers, some 10,000 parties)."""
    where: dict[tuple[Any, ...], list[tuple[int, str]]] = {}
    parties: list[Party] = []
    # What a side's party is made of, as written: the same side again is not parsed again.
    written: dict[tuple[str | None, str | None, Any], tuple[Any, ...] | None] = {}
    for position, transaction in enumerate(transactions):
        for side in SIDES:
            info = getattr(transaction, side)
            raw = (info.name, info.id, info.birth_date)
            if raw in written:
                key = written[raw]
            else:
                party = info_party(info, "")
                key = None
                if party is not None:
                    key = (tuple(party.names), tuple(party.birth_dates), tuple(party.identifiers))
                    if key not in where:
                        where[key] = []
                        party.id = str(len(parties))
                        parties.append(party)
                written[raw] = key
            if key is not None:
                where[key].append((position, side))
    keys = list(where)
    found: dict[int, list[tuple[str, Hit]]] = {}
    for party, hits in screener.screen_many(parties, threshold=threshold, workers=workers):
        if not hits:
            continue
        for position, side in where[keys[int(party.id)]]:
            found.setdefault(position, []).extend((side, hit) for hit in hits)
    return found


def side_party(transaction: Transaction, side: str) -> Party | None:
    """One side of a payment as a party to screen; None when it has no name."""
    return info_party(getattr(transaction, side), f"{transaction.id}:{side}")


def info_party(info: PartyInfo, id: str) -> Party | None:
    """What screening reads of one side of a payment: its name, birth date and a valid IIN/BIN;
    None when it has no name."""
    name = " ".join((info.name or "").split())
    if not name:
        return None
    identifiers = []
    number = "".join((info.id or "").split())
    if number and is_valid_iin_bin(number):
        identifiers.append(Identifier(kz_number_kind(number) or "iin", number, "KZ"))
    return Party(
        id=id,
        names=[name],
        schema=Schema.UNKNOWN,
        birth_dates=[BirthDate.exact(info.birth_date)] if info.birth_date else [],
        # The country of an address is where a party lives, not their nationality: not evidence.
        nationalities=[],
        identifiers=identifiers,
    )
