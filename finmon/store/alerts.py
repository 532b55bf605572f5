"""Alerts in the store: raised once per match, decided by one person, approved by another.

An alert is unique per customer, designation and the matching data of both (see models.Alert), so
screening the same customer against the same designation again raises nothing new: re-running an
interrupted job duplicates nothing, and a decided false positive is not raised again until the
customer's or the designation's matching data changes. Nor is one raised while an earlier alert on
the same customer and designation awaits a decision, or a freeze under it stands.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finmon.model import Designation, Party, matching_fingerprint
from finmon.screening import Hit
from finmon.store.alert_views import AlertHead
from finmon.store.audit import append_step, audit_object
from finmon.store.engine import Database, default_database, get_row
from finmon.store.freezes import open_freeze
from finmon.store.models import (
    Alert,
    Customer,
    Decision,
    DesignationRow,
    Freeze,
    ListVersion,
    utc_now,
)
from finmon.store.users import check_two_persons, person_of
from finmon.workflow import (
    AWAITING,
    DECIDED,
    AlertStatus,
    FreezeStatus,
    Verdict,
    approve_alert,
    decide,
    withdraw_alert,
)

STATUS_FILTERS: dict[str, frozenset[AlertStatus] | None] = {
    "open": AWAITING,
    "decided": DECIDED,
    "all": None,
}
"""What `finmon alerts list --status` accepts: open (awaiting a decision), decided, all."""


@dataclass(slots=True, frozen=True)
class AlertRow(AlertHead):
    """An alert as `finmon alerts list` shows it (the CLI contract's columns first)."""

    score: float
    status: str
    created_at: dt.datetime
    matched_name: str
    list_version: str
    trigger: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, in column order."""
        return {**asdict(self), "created_at": self.created_at.isoformat(timespec="seconds")}


def raise_alerts(
    session: Session,
    *,
    actor: str,
    party: Party,
    fingerprint: str,
    hits: Sequence[Hit],
    trigger: str,
    versions: Mapping[str, ListVersion],
) -> list[Alert]:
    """Record an alert for each hit not already recorded for the same matching data of both sides.

    trigger is "customer" (the 24 hours start now) or "list" (they started when the list was
    published). Call inside Database.write()."""
    raised = []
    now = utc_now()
    for hit in hits:
        designation = hit.designation
        version = versions[designation.source]
        designation_fp = matching_fingerprint(designation)
        if _exists(
            session,
            party.id,
            designation.source,
            designation.reference,
            fingerprint,
            designation_fp,
        ):
            continue
        clock = (version.published_at or version.loaded_at) if trigger == "list" else now
        alert = Alert(
            customer_id=party.id,
            customer_name=party.names[0],
            source=designation.source,
            reference=designation.reference,
            list_version_id=version.id,
            designation_name=designation.caption,
            query_name=hit.query_name,
            matched_name=hit.matched_name,
            score=hit.score,
            explanation=hit.explanation,
            customer_fingerprint=fingerprint,
            designation_fingerprint=designation_fp,
            trigger=trigger,
            clock_start=clock,
            status=AlertStatus.OPEN.value,
            created_at=now,
        )
        session.add(alert)
        session.flush()
        audit_object(
            session, "alert.raise", alert.id, actor=actor, after=_state(alert, version.version)
        )
        raised.append(alert)
    return raised


def raise_screened(
    session: Session,
    screened: Iterable[tuple[Party, Sequence[Hit]]],
    fingerprints: Mapping[str, str],
    *,
    actor: str,
    trigger: str,
    versions: Mapping[str, ListVersion],
) -> int:
    """raise_alerts for each screened party, whose matching-data fingerprint is given by its id;
    returns how many alerts were raised."""
    raised = 0
    for party, hits in screened:
        raised += len(
            raise_alerts(
                session,
                actor=actor,
                party=party,
                fingerprint=fingerprints[party.id],
                hits=hits,
                trigger=trigger,
                versions=versions,
            )
        )
    return raised


def alert_times(db: Database | None = None) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """When each alert was raised and decided (None while open), oldest first: for charts."""
    db = db or default_database()
    with db.read() as session:
        rows = session.execute(select(Alert.created_at, Alert.decided_at).order_by(Alert.id))
        return [(created, decided) for created, decided in rows]


def list_alerts(status: str = "open", db: Database | None = None) -> list[AlertRow]:
    """Alerts by status filter (open, decided, all), oldest first."""
    if status not in STATUS_FILTERS:
        raise ValueError(f"unknown alert status filter {status!r}")
    wanted = STATUS_FILTERS[status]
    query = (
        select(Alert, ListVersion.version)
        .join(ListVersion, Alert.list_version_id == ListVersion.id)
        .order_by(Alert.id)
    )
    if wanted is not None:
        query = query.where(Alert.status.in_(sorted(wanted)))
    db = db or default_database()
    with db.read() as session:
        return [_row(alert, version) for alert, version in session.execute(query)]


def get_alert(alert_id: int, db: Database | None = None) -> tuple[AlertRow, dict[str, Any]]:
    """One alert and its explanation; NotFound if there is none with that id."""
    db = db or default_database()
    with db.read() as session:
        alert = get_row(session, Alert, alert_id, "alert")
        version = session.get(ListVersion, alert.list_version_id)
        return _row(alert, version.version if version else ""), alert.explanation


@dataclass(frozen=True, slots=True)
class AlertCase:
    """What a reviewer needs beside an alert: both sides' records and the decisions so far."""

    alert: AlertRow
    explanation: dict[str, Any]
    customer: dict[str, Any] | None
    """The customer's current record and accounts (None if the record is gone)."""
    designation: dict[str, Any] | None
    """The designation as the alerting list version holds it (Designation.to_dict())."""
    decisions: list[dict[str, Any]]
    freeze_id: int | None


def alert_case(alert_id: int, db: Database | None = None) -> AlertCase:
    """One alert with both sides' records and its decisions; NotFound if there is none."""
    db = db or default_database()
    with db.read() as session:
        alert = get_row(session, Alert, alert_id, "alert")
        version = session.get(ListVersion, alert.list_version_id)
        customer = session.get(Customer, alert.customer_id)
        payload = session.scalars(
            select(DesignationRow.payload).where(
                DesignationRow.list_version_id == alert.list_version_id,
                DesignationRow.reference == alert.reference,
            )
        ).first()
        decisions = session.scalars(
            select(Decision).where(Decision.alert_id == alert.id).order_by(Decision.id)
        )
        freeze_id = session.scalars(select(Freeze.id).where(Freeze.alert_id == alert.id)).first()
        return AlertCase(
            alert=_row(alert, version.version if version else ""),
            explanation=alert.explanation,
            customer=(
                {"record": customer.record, "accounts": customer.accounts}
                if customer is not None
                else None
            ),
            designation=payload,
            decisions=[
                {"decision": d.decision, "actor": d.actor, "reason": d.reason, "at": d.at}
                for d in decisions
            ],
            freeze_id=freeze_id,
        )


def decide_alert(
    alert_id: int,
    verdict: Verdict,
    *,
    actor: str,
    reason: str | None = None,
    db: Database | None = None,
) -> str:
    """A first decision on an alert; returns its new status."""
    db = db or default_database()
    with db.write() as session:
        alert = get_row(session, Alert, alert_id, "alert")
        before = alert.status
        status = decide(AlertStatus(before), verdict, reason)
        now = utc_now()
        session.add(
            Decision(alert_id=alert.id, decision=verdict.value, actor=actor, reason=reason, at=now)
        )
        alert.status = status.value
        if status in DECIDED:
            alert.decided_at = now
        append_step(
            session,
            "alert.decide",
            alert.id,
            actor=actor,
            before=before,
            after={"status": status.value, "decision": verdict.value},
            reason=reason,
        )
        return status.value


def withdraw_proposal(
    alert_id: int, *, actor: str, reason: str | None = None, db: Database | None = None
) -> str:
    """The author of a confirmed hit awaiting approval takes it back: the alert is as it was
    before the proposal; returns its status."""
    db = db or default_database()
    with db.write() as session:
        alert = get_row(session, Alert, alert_id, "alert")
        status = AlertStatus(alert.status)
        pending = status is AlertStatus.PENDING_APPROVAL
        proposer = _proposal(session, alert.id).actor if pending else actor
        by_author = person_of(session, proposer) == person_of(session, actor)
        withdraw_alert(status, proposer, by_author)
        earlier = session.scalars(
            select(Decision.decision)
            .where(Decision.alert_id == alert.id, Decision.decision == Verdict.ESCALATE.value)
            .limit(1)
        ).first()
        back = AlertStatus.ESCALATED if earlier else AlertStatus.OPEN
        session.add(
            Decision(
                alert_id=alert.id, decision="withdraw", actor=actor, reason=reason, at=utc_now()
            )
        )
        alert.status = back.value
        append_step(
            session,
            "alert.withdraw_proposal",
            alert.id,
            actor=actor,
            before=status.value,
            after={"status": back.value},
            reason=reason,
        )
        return back.value


def approve(alert_id: int, *, actor: str, db: Database | None = None) -> int:
    """A second person approves a confirmed hit: the freeze order is made; returns its id."""
    db = db or default_database()
    with db.write() as session:
        alert = get_row(session, Alert, alert_id, "alert")
        status = approve_alert(AlertStatus(alert.status))
        proposal = _proposal(session, alert.id)
        check_two_persons(session, proposal.actor, actor, f"the confirmed hit on alert {alert.id}")
        now = utc_now()
        session.add(Decision(alert_id=alert.id, decision="approve", actor=actor, at=now))
        alert.status = status.value
        alert.decided_at = now
        append_step(
            session,
            "alert.approve",
            alert.id,
            actor=actor,
            before=AlertStatus.PENDING_APPROVAL.value,
            after={"status": status.value, "proposed_by": proposal.actor},
        )
        freeze = open_freeze(session, alert, proposal.actor, proposal.at, actor, now)
        return freeze.id


def _exists(
    session: Session,
    customer_id: str,
    source: str,
    reference: str,
    customer_fp: str,
    designation_fp: str,
) -> bool:
    # Already raised for this matching data under the listing in force; or, whatever changed,
    # still in someone's hands (an alert awaiting a decision, or a freeze not released): a list
    # amendment such as a new alias must not put a second alert for the same person and
    # designation in the queue. Alerts ended by a delisting count for nothing: a person listed
    # again is alerted again.
    same_pair = (
        Alert.customer_id == customer_id,
        Alert.source == source,
        Alert.reference == reference,
        Alert.ended_by == 0,
    )
    raised = select(Alert.id).where(
        *same_pair,
        Alert.customer_fingerprint == customer_fp,
        Alert.designation_fingerprint == designation_fp,
    )
    awaiting = select(Alert.id).where(*same_pair, Alert.status.in_(sorted(AWAITING)))
    frozen = select(Freeze.id).where(
        Freeze.customer_id == customer_id,
        Freeze.source == source,
        Freeze.reference == reference,
        Freeze.status != FreezeStatus.RELEASED.value,
    )
    return any(
        session.scalars(query.limit(1)).first() is not None for query in (raised, awaiting, frozen)
    )


def end_alerts(
    session: Session, removed: Iterable[Designation], version: ListVersion, actor: str
) -> int:
    """Delisted designations: their alerts end with this version, and those nobody had finished
    deciding are withdrawn (nothing is left to freeze); returns how many were withdrawn."""
    withdrawn = 0
    for designation in removed:
        query = select(Alert).where(
            Alert.source == designation.source,
            Alert.reference == designation.reference,
            Alert.ended_by == 0,
        )
        for alert in session.scalars(query):
            alert.ended_by = version.id
            if AlertStatus(alert.status) not in AWAITING:
                continue
            before = alert.status
            alert.status = AlertStatus.WITHDRAWN.value
            alert.decided_at = utc_now()
            withdrawn += 1
            append_step(
                session,
                "alert.withdraw",
                alert.id,
                actor=actor,
                before=before,
                after={"status": alert.status},
                reason=f"{designation.reference} was removed from the {version.source} list in "
                f"version {version.version}",
            )
    return withdrawn


def _proposal(session: Session, alert_id: int) -> Decision:
    query = (
        select(Decision)
        .where(Decision.alert_id == alert_id, Decision.decision == Verdict.CONFIRMED_HIT.value)
        .order_by(Decision.id.desc())
    )
    found = session.scalars(query.limit(1)).first()
    assert found is not None, f"alert {alert_id} awaits approval without a proposal"
    return found


def _row(alert: Alert, version: str) -> AlertRow:
    return AlertRow.of(alert, list_version=version)


def _state(alert: Alert, version: str) -> dict[str, Any]:
    return {
        "customer_id": alert.customer_id,
        "list": alert.source,
        "reference": alert.reference,
        "list_version": version,
        "score": alert.score,
        "trigger": alert.trigger,
        "customer_fingerprint": alert.customer_fingerprint,
        "designation_fingerprint": alert.designation_fingerprint,
    }
