"""Payment counterparties cleared as false positives: proposed, approved by a second person,
applied by the payment check and revoked.

Customer screening remembers a decided false positive in the alert itself (finmon.store.alerts):
it is not raised again while neither the customer's nor the designation's matching data changes.
A payment counterparty is no customer, so its clearance is a record of its own: the counterparty
(its normalised name and one identifier: an account or IBAN, a card number, an IIN/BIN), the
designation, and the matching fingerprints of both as they were when it was proposed. A payment
whose counterparty has that name and identifier and brings the same matching data (birth date,
IIN/BIN) is not held for that designation while the designation's matching data stands; a list
amendment of it, another account or a birth date the clearance did not know holds it again.
Every hit a clearance keeps from holding a payment is counted and appended to the audit log.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finmon.errors import InputError, NotFound, WorkflowRefused
from finmon.lists.identifiers import is_valid_iin_bin
from finmon.model import Designation, matching_fingerprint
from finmon.screening import Hit
from finmon.store.audit import append_step, audit_object
from finmon.store.audit_anchor import load_key
from finmon.store.engine import Database, default_database, get_row
from finmon.store.models import CounterpartyClearance, DesignationRow, ListVersion, utc_now
from finmon.store.users import check_two_persons
from finmon.transactions.model import PartyInfo, Transaction
from finmon.transactions.payments import SIDES, Suppression, info_party
from finmon.workflow import ClearanceStatus, approve_clearance, revoke_clearance

IDENTIFIER_KINDS = ("account", "iban", "card", "iin", "bin")
"""What a counterparty can be cleared by, beside its name."""
STATUS_FILTERS: dict[str, frozenset[ClearanceStatus] | None] = {
    "pending": frozenset({ClearanceStatus.PENDING_APPROVAL}),
    "active": frozenset({ClearanceStatus.ACTIVE}),
    "revoked": frozenset({ClearanceStatus.REVOKED}),
    "all": None,
}
"""What `finmon payments clearances --status` accepts."""

_WORD = re.compile(r"[^\W_]+")
_CARD_LABEL = "finmon counterparty card\n"
_MAX_KEY = 100
_MAX_NAME = 400


@dataclass(frozen=True, slots=True)
class Counterparty:
    """A counterparty as a clearance names it: the keys it is found by and its matching data."""

    name: str
    name_key: str
    identifier_kind: str
    identifier_key: str
    identifier_shown: str
    matching_data: dict[str, Any]
    fingerprint: str


def name_key(name: str) -> str:
    """A name as clearances compare it: NFKC, case folded, its words alone, ё as е."""
    # Russian writes ё as е at will; a payment that does is the same counterparty.
    folded = unicodedata.normalize("NFKC", name).casefold().replace("ё", "е")
    return " ".join(_WORD.findall(folded))


def counterparty(
    name: str,
    kind: str,
    identifier: str,
    *,
    birth_date: dt.date | None = None,
    national_id: str | None = None,
) -> Counterparty:
    """The counterparty a clearance is proposed for; InputError naming the field that is wrong.

    kind is account, iban, card, iin or bin; national_id is the IIN/BIN payments give beside an
    account or card (for iin and bin it is the identifier itself)."""
    key = name_key(name)
    if not key:
        raise InputError(f"name {name!r}: no letters or digits to compare payments by")
    if len(key) > _MAX_NAME:
        raise InputError(f"name: longer than {_MAX_NAME} characters")
    plain = _compact(identifier)
    if kind in ("account", "iban"):
        if kind == "iban" and not _is_iban(plain):
            raise InputError(f"iban {identifier!r}: not an IBAN (country, check digits, mod 97)")
        found, shown = _account_key(plain), plain
    elif kind == "card":
        if not _is_card(plain):
            raise InputError("card: not a card number (12 to 19 digits with a valid check digit)")
        found, shown = _card_key(plain), "*" * (len(plain) - 4) + plain[-4:]
    elif kind in ("iin", "bin"):
        if not is_valid_iin_bin(plain):
            raise InputError(f"{kind} {identifier!r}: not 12 digits with a valid check digit")
        found, shown, national_id = _kz_key(plain), plain, plain
    else:
        raise InputError(f"identifier kind {kind!r}: use one of {', '.join(IDENTIFIER_KINDS)}")
    if not plain or len(found) > _MAX_KEY:
        raise InputError(f"{kind} {identifier!r}: empty or longer than {_MAX_KEY - 2} characters")
    if national_id is not None:
        national_id = _compact(national_id)
        if not is_valid_iin_bin(national_id):
            raise InputError(f"IIN/BIN {national_id!r}: not 12 digits with a valid check digit")
    party = _party(key, national_id, birth_date)
    shown_name = " ".join(name.split())
    return Counterparty(shown_name, key, kind, found, shown, party[0], party[1])


def propose_clearance(
    who: Counterparty,
    source: str,
    reference: str,
    *,
    reason: str,
    actor: str,
    db: Database | None = None,
) -> int:
    """Propose clearing a counterparty against a designation of a current list; returns its id.

    A second person must approve it before it covers any payment."""
    if not (reason and reason.strip()):
        raise WorkflowRefused("clearing a counterparty needs a reason (--reason)")
    db = db or default_database()
    with db.write() as session:
        designation, version_id = _current_designation(session, source, reference)
        designation_fp = matching_fingerprint(designation)
        _refuse_repeat(session, who, source, reference, designation_fp)
        row = CounterpartyClearance(
            name=who.name,
            name_key=who.name_key,
            identifier_kind=who.identifier_kind,
            identifier_key=who.identifier_key,
            identifier_shown=who.identifier_shown,
            matching_data=who.matching_data,
            counterparty_fingerprint=who.fingerprint,
            source=source,
            reference=reference,
            designation_name=designation.caption,
            designation_fingerprint=designation_fp,
            list_version_id=version_id,
            reason=reason,
            status=ClearanceStatus.PENDING_APPROVAL.value,
            proposed_by=actor,
            proposed_at=utc_now(),
        )
        session.add(row)
        session.flush()
        audit_object(
            session, "clearance.propose", row.id, actor=actor, after=_state(row), reason=reason
        )
        return row.id


def _current_designation(session: Session, source: str, reference: str) -> tuple[Designation, int]:
    """The designation `reference` of the current `source` list, and that version's id."""
    found = session.execute(
        select(DesignationRow.payload, ListVersion.id)
        .join(ListVersion, DesignationRow.list_version_id == ListVersion.id)
        .where(
            ListVersion.is_current,
            DesignationRow.source == source,
            DesignationRow.reference == reference,
        )
        .limit(1)
    ).first()
    if found is None:
        raise NotFound(f"no designation {reference!r} on the current {source!r} list")
    return Designation.from_dict(found[0]), found[1]


def _refuse_repeat(
    session: Session, who: Counterparty, source: str, reference: str, designation_fp: str
) -> None:
    """Refuse a proposal that a clearance not revoked already makes, on the same data."""
    same = session.scalars(
        select(CounterpartyClearance.id).where(
            CounterpartyClearance.identifier_key == who.identifier_key,
            CounterpartyClearance.name_key == who.name_key,
            CounterpartyClearance.source == source,
            CounterpartyClearance.reference == reference,
            CounterpartyClearance.counterparty_fingerprint == who.fingerprint,
            CounterpartyClearance.designation_fingerprint == designation_fp,
            CounterpartyClearance.status != ClearanceStatus.REVOKED.value,
        )
    ).first()
    if same is not None:
        raise WorkflowRefused(
            f"clearance {same} already clears this counterparty against {source} {reference}"
        )


def approve(clearance_id: int, *, actor: str, db: Database | None = None) -> str:
    """A second person approves a proposed clearance: it covers payments from now; returns its
    status."""
    db = db or default_database()
    with db.write() as session:
        row = get_row(session, CounterpartyClearance, clearance_id, "clearance")
        status = approve_clearance(ClearanceStatus(row.status))
        check_two_persons(
            session, row.proposed_by, actor, f"the clearance {row.id} of a counterparty"
        )
        row.status = status.value
        row.approved_by = actor
        row.approved_at = utc_now()
        append_step(
            session,
            "clearance.approve",
            row.id,
            actor=actor,
            before=ClearanceStatus.PENDING_APPROVAL.value,
            after={"status": status.value, "proposed_by": row.proposed_by},
        )
        return status.value


def revoke(clearance_id: int, *, actor: str, reason: str, db: Database | None = None) -> str:
    """Revoke a clearance (or withdraw a proposal): its counterparty is held again."""
    db = db or default_database()
    with db.write() as session:
        row = get_row(session, CounterpartyClearance, clearance_id, "clearance")
        before = row.status
        status = revoke_clearance(ClearanceStatus(before), reason)
        row.status = status.value
        row.revoked_by = actor
        row.revoked_at = utc_now()
        row.revoke_reason = reason
        append_step(
            session,
            "clearance.revoke",
            row.id,
            actor=actor,
            before=before,
            after={"status": status.value},
            reason=reason,
        )
        return status.value


def list_clearances(status: str = "all", db: Database | None = None) -> list[dict[str, Any]]:
    """Clearances by status filter (pending, active, revoked, all), oldest first, each with who
    proposed, approved and revoked it, when, how many hits it kept from holding a payment, and
    whether the designation still has the matching data it was cleared against."""
    if status not in STATUS_FILTERS:
        raise InputError(f"unknown status {status!r}; use one of {', '.join(STATUS_FILTERS)}")
    wanted = STATUS_FILTERS[status]
    query = select(CounterpartyClearance).order_by(CounterpartyClearance.id)
    if wanted is not None:
        query = query.where(CounterpartyClearance.status.in_(sorted(wanted)))
    db = db or default_database()
    with db.read() as session:
        rows = list(session.scalars(query))
        current = _current_fingerprints(session, {(r.source, r.reference) for r in rows})
    return [_listed(row, current.get((row.source, row.reference))) for row in rows]


class StoreClearances:
    """The store's clearances as the payment check asks for them (finmon.transactions.payments.
    Clearances); each hit covered is audited under `actor`, the one checking the payments."""

    # Reading what is covered and recording it are apart so that a transactions load can record
    # inside its own all-or-nothing write, after the slow screening.

    def __init__(self, actor: str, db: Database | None = None) -> None:
        self.actor = actor
        self.db = db or default_database()

    def suppress(
        self, transactions: Sequence[Transaction], found: Mapping[int, list[tuple[str, Hit]]]
    ) -> dict[int, list[Suppression]]:
        """The hits an active clearance covers, by the transfer's position; each one counted on
        its clearance and appended to the audit log in one write."""
        covered = self.covering(transactions, found)
        if not covered:
            return {}
        with self.db.write() as session:
            return self.record(session, transactions, covered)

    def covering(
        self, transactions: Sequence[Transaction], found: Mapping[int, list[tuple[str, Hit]]]
    ) -> dict[int, list[Suppression]]:
        """The hits an active clearance covers, by the transfer's position, read and not yet
        recorded (`record` does that, in the caller's write)."""
        wanted = {
            (h.designation.source, h.designation.reference) for hs in found.values() for _, h in hs
        }
        if not wanted:
            return {}
        query = select(CounterpartyClearance).where(
            CounterpartyClearance.status == ClearanceStatus.ACTIVE.value,
            CounterpartyClearance.reference.in_(sorted({r for _, r in wanted})),
        )
        with self.db.read() as session:
            candidates = [c for c in session.scalars(query) if (c.source, c.reference) in wanted]
        if not candidates:
            return {}
        cards = any(c.identifier_kind == "card" for c in candidates)
        by_designation: dict[tuple[str, str], list[CounterpartyClearance]] = {}
        for clearance in candidates:
            by_designation.setdefault((clearance.source, clearance.reference), []).append(clearance)
        covered: dict[int, list[Suppression]] = {}
        sides: dict[tuple[int, str], tuple[set[str], str, str]] = {}
        for position, hits in found.items():
            for side, hit in hits:
                clearances = by_designation.get((hit.designation.source, hit.designation.reference))
                if not clearances:
                    continue
                if (position, side) not in sides:
                    sides[position, side] = _payment_side(transactions[position], side, cards)
                keys, name, fingerprint = sides[position, side]
                designation_fp = matching_fingerprint(hit.designation)
                for clearance in clearances:
                    if (
                        clearance.identifier_key in keys
                        and clearance.name_key == name
                        and clearance.counterparty_fingerprint == fingerprint
                        and clearance.designation_fingerprint == designation_fp
                    ):
                        covered.setdefault(position, []).append(
                            Suppression(side, hit, clearance.id)
                        )
                        break
        return covered

    def record(
        self,
        session: Session,
        transactions: Sequence[Transaction],
        covered: Mapping[int, list[Suppression]],
    ) -> dict[int, list[Suppression]]:
        """Count and audit each covered hit whose clearance is still active; returns those (a
        clearance revoked since `covering` read it covers nothing). Call inside Database.write()."""
        suppressed: dict[int, list[Suppression]] = {}
        now = utc_now()
        for position, found in sorted(covered.items()):
            transaction = transactions[position]
            for suppression in found:
                row = session.get(CounterpartyClearance, suppression.clearance_id)
                if row is None or row.status != ClearanceStatus.ACTIVE.value:
                    continue
                row.suppressions += 1
                row.last_suppressed_at = now
                side, hit = suppression.side, suppression.hit
                audit_object(
                    session,
                    "clearance.suppress",
                    row.id,
                    actor=self.actor,
                    after={
                        "transaction_id": transaction.id,
                        "side": side,
                        "list": hit.designation.source,
                        "reference": hit.designation.reference,
                        "list_version": hit.list_version,
                        "score": round(hit.score, 4),
                        "matched_name": hit.matched_name,
                        "designation_fingerprint": row.designation_fingerprint,
                        "counterparty_fingerprint": row.counterparty_fingerprint,
                    },
                    reason=f"payment {transaction.id}: the {side} is cleared as a false positive "
                    f"against {hit.designation.source} {hit.designation.reference}",
                )
                suppressed.setdefault(position, []).append(suppression)
        return suppressed


def payment_keys(info: PartyInfo, cards: bool = True) -> set[str]:
    """The identifier keys one side of a payment can be cleared by: its account, the card number
    its account may be (when `cards`), its IIN/BIN."""
    keys = set()
    account = _compact(info.account or "")
    if account:
        keys.add(_account_key(account))
        if cards and _is_card(account):
            keys.add(_card_key(account))
    number = _compact(info.id or "")
    if len(number) == 12 and number.isdigit():
        keys.add(_kz_key(number))
    return keys


def _payment_side(transaction: Transaction, side: str, cards: bool) -> tuple[set[str], str, str]:
    assert side in SIDES
    info: PartyInfo = getattr(transaction, side)
    key = name_key(info.name or "")
    _, fingerprint = _party(key, info.id, info.birth_date)
    return payment_keys(info, cards), key, fingerprint


def _party(
    key: str, national_id: str | None, birth_date: dt.date | None
) -> tuple[dict[str, Any], str]:
    # What screening reads of the counterparty, under its compared name: the same function the
    # payment check screens by, so the clearance and the payment agree on what "its data" is.
    party = info_party(PartyInfo(name=key, id=national_id, birth_date=birth_date), "counterparty")
    assert party is not None, "a counterparty with a name key has a party"
    data = party.to_dict()
    return data, matching_fingerprint(party, data)


def _compact(value: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKC", value) if ch.isalnum()).upper()


def _account_key(account: str) -> str:
    return f"a:{account}"


def _kz_key(number: str) -> str:
    return f"k:{number}"


def _card_key(number: str) -> str:
    # Keyed, not a plain hash: card numbers are few enough to be found again from a plain digest.
    # The key is the audit key, held outside the database, under a label of its own.
    key = load_key(create=True)
    assert key is not None, "load_key(create=True) makes a key"
    return f"c:{key.mac(_CARD_LABEL + number)}"


def _is_card(number: str) -> bool:
    if not (12 <= len(number) <= 19 and number.isascii() and number.isdigit()):
        return False
    total = 0
    for position, digit in enumerate(int(ch) for ch in reversed(number)):
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def _is_iban(value: str) -> bool:
    if not (15 <= len(value) <= 34 and value.isascii() and value[:2].isalpha()):
        return False
    if not value[2:4].isdigit():
        return False
    moved = value[4:] + value[:4]
    return int("".join(str(int(ch, 36)) for ch in moved)) % 97 == 1


def _current_fingerprints(
    session: Session, designations: set[tuple[str, str]]
) -> dict[tuple[str, str], str]:
    if not designations:
        return {}
    query = (
        select(DesignationRow.source, DesignationRow.reference, DesignationRow.payload)
        .join(ListVersion, DesignationRow.list_version_id == ListVersion.id)
        .where(
            ListVersion.is_current,
            DesignationRow.reference.in_(sorted({r for _, r in designations})),
        )
    )
    return {
        (source, reference): matching_fingerprint(Designation.from_dict(payload))
        for source, reference, payload in session.execute(query)
        if (source, reference) in designations
    }


def _state(row: CounterpartyClearance) -> dict[str, Any]:
    # The card number is never in the log: only its masked form.
    return {
        "name": row.name,
        "identifier_kind": row.identifier_kind,
        "identifier": row.identifier_shown,
        "matching_data": row.matching_data,
        "list": row.source,
        "reference": row.reference,
        "counterparty_fingerprint": row.counterparty_fingerprint,
        "designation_fingerprint": row.designation_fingerprint,
        "status": row.status,
    }


def _listed(row: CounterpartyClearance, current_fp: str | None) -> dict[str, Any]:
    def at(value: dt.datetime | None) -> str | None:
        return value.isoformat(timespec="seconds") if value is not None else None

    if current_fp is None:
        designation = "delisted"
    elif current_fp == row.designation_fingerprint:
        designation = "unchanged"
    else:
        designation = "amended"
    return {
        "clearance_id": row.id,
        "status": row.status,
        "name": row.name,
        "identifier_kind": row.identifier_kind,
        "identifier": row.identifier_shown,
        "birth_date": (row.matching_data.get("birth_dates") or [{}])[0].get("earliest"),
        "list": row.source,
        "reference": row.reference,
        "designation_name": row.designation_name,
        "designation": designation,
        "reason": row.reason,
        "proposed_by": row.proposed_by,
        "proposed_at": at(row.proposed_at),
        "approved_by": row.approved_by,
        "approved_at": at(row.approved_at),
        "revoked_by": row.revoked_by,
        "revoked_at": at(row.revoked_at),
        "revoke_reason": row.revoke_reason,
        "suppressions": row.suppressions,
        "last_suppressed_at": at(row.last_suppressed_at),
    }
