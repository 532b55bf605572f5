"""The listed parties the store knows, for monitoring's listed_link patterns.

Two decisions make a party known as listed: a freeze not released (a customer's confirmed hit,
approved by a second person), and a payment-screening hit (rule `listed_party`) in a case approved
for reporting. An open hit, or one in a case closed as no suspicion, is a name that resembled a
listed one and nothing more: it makes nothing known. Each party comes with the accounts and
identifiers the bank holds for it: a freeze's accounts, the customer's identifiers and the
designation's; the hit side's account and identifier as the transfer gave them, and the
designation's. Never a name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finmon.monitoring.listed import ListedParty
from finmon.store.engine import Database, default_database
from finmon.store.models import (
    Case,
    CaseAlert,
    Customer,
    DesignationRow,
    Freeze,
    MonitoringAlert,
    TransactionRow,
)
from finmon.store.transactions import LISTED
from finmon.workflow import FreezeStatus
from finmon.workflow.cases import CaseStatus

_SHOWN = 5
"""The most confirmed alerts a party's origin names."""


def listed_parties(db: Database | None = None) -> list[ListedParty]:
    """The parties under a freeze not released, then those of confirmed payment-screening hits,
    each once per freeze or alert, oldest first."""
    db = db or default_database()
    with db.read() as session:
        return _frozen(session) + _confirmed_hits(session)


def _frozen(session: Session) -> list[ListedParty]:
    query = select(Freeze).where(Freeze.status != FreezeStatus.RELEASED.value).order_by(Freeze.id)
    found = []
    for freeze in session.scalars(query):
        customer = session.get(Customer, freeze.customer_id)
        own = _numbers(customer.record.get("identifiers", ())) if customer is not None else []
        listed = _designation(session, freeze.source, freeze.reference, freeze.list_version_id)
        found.append(
            ListedParty(
                origin=f"freeze {freeze.id} ({freeze.source} {freeze.reference})",
                accounts=tuple(freeze.accounts or ()),
                identifiers=tuple(dict.fromkeys(own + listed)),
            )
        )
    return found


def _confirmed_hits(session: Session) -> list[ListedParty]:
    """One party per designation of the confirmed hits: its sides' accounts and identifiers."""
    query = (
        select(MonitoringAlert)
        .join(CaseAlert, CaseAlert.monitoring_alert_id == MonitoringAlert.id)
        .join(Case, Case.id == CaseAlert.case_id)
        .where(MonitoringAlert.rule == LISTED, Case.status == CaseStatus.REPORTED.value)
        .order_by(MonitoringAlert.id)
    )
    hits: dict[tuple[str, str], list[tuple[int, dict[str, Any]]]] = {}
    for alert in session.scalars(query):
        evidence = alert.evidence
        side = _side(session, alert.transaction_ids[0], str(evidence.get("side", "")))
        designation = (str(evidence.get("list", "")), str(evidence.get("reference", "")))
        hits.setdefault(designation, []).append((alert.id, side))
    found = []
    for (source, reference), sides in hits.items():
        numbers = [str(number) for number, _ in sides]
        shown = ", ".join(numbers[:_SHOWN]) + (
            f" and {len(numbers) - _SHOWN} more" if len(numbers) > _SHOWN else ""
        )
        own = [str(side["id"]) for _, side in sides if side.get("id")]
        found.append(
            ListedParty(
                origin=f"alert{'s' if len(numbers) > 1 else ''} {shown} ({source} {reference})",
                accounts=tuple(dict.fromkeys(s["account"] for _, s in sides if s.get("account"))),
                identifiers=tuple(dict.fromkeys(own + _designation(session, source, reference))),
            )
        )
    return found


def _side(session: Session, transaction_id: str, side: str) -> dict[str, Any]:
    """One side of a loaded transfer as the loader kept it (empty when it is not loaded)."""
    row = session.scalars(
        select(TransactionRow).where(TransactionRow.transaction_id == transaction_id)
    ).first()
    if row is None or side not in ("originator", "beneficiary"):
        return {}
    party = row.record.get(side)
    return party if isinstance(party, dict) else {}


def _designation(
    session: Session, source: str, reference: str, version_id: int | None = None
) -> list[str]:
    """The document numbers of a designation: as that list version gave them, else as the
    latest version that has it."""
    query = select(DesignationRow.payload).where(
        DesignationRow.source == source, DesignationRow.reference == reference
    )
    if version_id is not None:
        query = query.where(DesignationRow.list_version_id == version_id)
    payload = session.scalars(query.order_by(DesignationRow.list_version_id.desc())).first()
    return _numbers(payload.get("identifiers", ())) if payload else []


def _numbers(identifiers: Iterable[Any]) -> list[str]:
    return [str(i["number"]) for i in identifiers if isinstance(i, dict) and i.get("number")]
