"""Cases: an account's monitoring alerts grouped for one decision, taken by two people.

`open_cases` puts every open monitoring alert that is in no case yet into its account's case: the
one still being worked on (open, under review or proposed), else a new one. Someone takes the case
for review, proposes an outcome with a reason (report: file a suspicious-transaction report;
close: no suspicion), and a second person approves it; until then a proposal may be withdrawn or
replaced (the rules: finmon.workflow.cases). Who may do which is decided before, by
finmon.services.access; the store checks four-eyes by person, and every step appends an audit
row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from finmon.errors import InputError, WorkflowRefused
from finmon.store.audit import append_audit, audit_object
from finmon.store.engine import Database, default_database, get_row
from finmon.store.models import (
    Case,
    CaseAlert,
    CaseDecision,
    MonitoringAlert,
    TransactionRow,
    utc_now,
)
from finmon.store.users import check_two_persons, person_of
from finmon.workflow.cases import (
    OUTCOME,
    WORKED_ON,
    CaseAction,
    CaseStatus,
    DecisionStatus,
    check_pending,
    check_proposable,
    check_reportable,
    take_for_review,
)

BATCH = 500
ALERT_OPEN = "open"
ALERT_IN_CASE = "in_case"
"""A monitoring alert's status once it is in a case ("open" before, as the loader raises it)."""
PARTY_FIELDS = ("name", "account", "id", "country", "address", "birth_date", "birth_place", "bank")
"""What a report gives of each side of a transfer (finmon.transactions.to_record)."""


WORKING = "working"
"""The status filter of list_cases for the cases in WORKED_ON."""
STATUS_FILTERS = (WORKING, *(state.value for state in CaseStatus))
"""What list_cases's status may be."""
_E = TypeVar("_E", bound=StrEnum)


def open_cases(*, actor: str, db: Database | None = None) -> list[int]:
    """Put every open monitoring alert that is in no case into its account's case (the one being
    worked on, else a new one); returns the ids of the cases opened or added to."""
    db = db or default_database()
    with db.write() as session:
        waiting = session.scalars(
            select(MonitoringAlert)
            .where(
                MonitoringAlert.status == ALERT_OPEN,
                MonitoringAlert.id.not_in(select(CaseAlert.monitoring_alert_id)),
            )
            .order_by(MonitoringAlert.id)
        )
        by_account: dict[str, list[MonitoringAlert]] = {}
        for alert in waiting:
            by_account.setdefault(alert.account, []).append(alert)
        return sorted(
            _file_alerts(session, account, alerts, actor) for account, alerts in by_account.items()
        )


def list_cases(status: str | None = None, db: Database | None = None) -> list[dict[str, Any]]:
    """Cases, oldest first, with their summaries; only those in `status` when it is given
    ("working": not decided yet, WORKED_ON)."""
    query = select(Case).order_by(Case.id)
    if status == WORKING:
        query = query.where(Case.status.in_(sorted(state.value for state in WORKED_ON)))
    elif status in STATUS_FILTERS:
        query = query.where(Case.status == status)
    elif status is not None:
        choices = ", ".join(STATUS_FILTERS)
        raise InputError(f"unknown case status {status!r}; use one of {choices}")
    db = db or default_database()
    with db.read() as session:
        return [_case_row(case) for case in session.scalars(query)]


def get_case(case_id: int, db: Database | None = None) -> dict[str, Any]:
    """One case with its alerts, the transactions they name (those loaded) and its decisions."""
    db = db or default_database()
    with db.read() as session:
        case = get_row(session, Case, case_id, "case")
        alerts = _case_alerts(session, case.id)
        rows = _transactions(session, _transaction_ids(alerts))
        decisions = session.scalars(
            select(CaseDecision).where(CaseDecision.case_id == case.id).order_by(CaseDecision.id)
        )
        return {
            **_case_row(case),
            "alerts": [_alert(alert) for alert in alerts],
            "transactions": [dict(row.record) for row in rows],
            "decisions": [_decision(decision) for decision in decisions],
        }


def review_case(case_id: int, *, actor: str, db: Database | None = None) -> str:
    """Take an open case, or one under someone's review, for review; returns its new status."""
    db = db or default_database()
    with db.write() as session:
        case = get_row(session, Case, case_id, "case")
        status = take_for_review(case.id, case.status)
        before = {"status": case.status, "assigned_to": case.assigned_to}
        case.status, case.assigned_to = status.value, actor
        case.updated_at = utc_now()
        _audit(session, actor, "case.review", case, before, {"assigned_to": actor})
        return case.status


def propose_decision(
    case_id: int, action: str, *, actor: str, reason: str, db: Database | None = None
) -> int:
    """Propose to report or close a case under review, with the reason (a pending proposal is
    superseded); returns the proposal's id. A second person must approve it."""
    outcome = _choice(CaseAction, action, "case action")
    db = db or default_database()
    with db.write() as session:
        case = get_row(session, Case, case_id, "case")
        check_proposable(case.id, case.status, reason)
        before = {"status": case.status}
        now = utc_now()
        proposal = CaseDecision(
            case_id=case.id,
            action=outcome.value,
            reason=reason.strip(),
            proposed_by=actor,
            proposed_at=now,
            status=DecisionStatus.PROPOSED.value,
        )
        session.add(proposal)
        session.flush()
        case.status, case.updated_at = CaseStatus.PROPOSED.value, now
        after = {"decision_id": proposal.id, "action": outcome.value}
        _audit(session, actor, "case.propose", case, before, after, reason=proposal.reason)
        return proposal.id


def withdraw_proposal(
    case_id: int, *, actor: str, reason: str | None = None, db: Database | None = None
) -> str:
    """Withdraw the proposal awaiting approval: the case is under review again; returns that."""
    db = db or default_database()
    with db.write() as session:
        case = get_row(session, Case, case_id, "case")
        proposal = _pending(session, case)
        if person_of(session, proposal.proposed_by) != person_of(session, actor):
            raise WorkflowRefused(
                f"only {proposal.proposed_by!r}, who made the proposal on case {case.id}, can "
                "withdraw it"
            )
        before = {"status": case.status, "withdrawn_decision": _supersede(session, case.id)}
        case.status, case.updated_at = CaseStatus.UNDER_REVIEW.value, utc_now()
        _audit(session, actor, "case.withdraw", case, before, {}, reason=reason)
        return case.status


def approve_decision(case_id: int, *, actor: str, db: Database | None = None) -> str:
    """A second person approves the proposal awaiting approval: the case is reported or closed;
    returns its new status."""
    db = db or default_database()
    with db.write() as session:
        case = get_row(session, Case, case_id, "case")
        proposal = _pending(session, case)
        what = f"the proposal to {proposal.action} case {case.id}"
        check_two_persons(session, proposal.proposed_by, actor, what)
        now = utc_now()
        proposal.status = DecisionStatus.APPROVED.value
        proposal.approved_by, proposal.approved_at = actor, now
        case.status = OUTCOME[CaseAction(proposal.action)].value
        case.updated_at = now
        after = {
            "decision_id": proposal.id,
            "action": proposal.action,
            "proposed_by": proposal.proposed_by,
        }
        _audit(session, actor, "case.approve", case, {"status": CaseStatus.PROPOSED.value}, after)
        return case.status


def case_report_data(case_id: int, db: Database | None = None) -> dict[str, Any]:
    """What a suspicious-transaction report on a case needs: the account, the indicators (rules
    and typologies), the approved reason, the transactions and both people. Refused unless a
    second person approved reporting the case."""
    db = db or default_database()
    with db.read() as session:
        case = get_row(session, Case, case_id, "case")
        decision = _approved_report(session, case)
        alerts = _case_alerts(session, case.id)
        ids = _transaction_ids(alerts)
        rows = _transactions(session, ids)
        loaded = {row.transaction_id for row in rows}
        return {
            "case_id": case.id,
            "account": case.account,
            "score": case.score,
            "opened_at": _iso(case.opened_at),
            "indicators": _indicators(alerts),
            "reason": decision.reason,
            "proposed_by": decision.proposed_by,
            "proposed_at": _iso(decision.proposed_at),
            "approved_by": decision.approved_by,
            "approved_at": _iso(decision.approved_at),
            "alerts": [_alert(alert) for alert in alerts],
            "transactions": [_reported(row.record) for row in rows],
            "transactions_not_loaded": [i for i in ids if i not in loaded],
        }


def record_report(case_id: int, *, actor: str, path: Path, db: Database | None = None) -> None:
    """Audit that a case's report was written: the file and its digest."""
    from finmon.lists.reading import digest_of

    db = db or default_database()
    with db.write() as session:
        case = get_row(session, Case, case_id, "case")
        audit_object(
            session,
            "case.report_written",
            case.id,
            actor=actor,
            after={"file": str(path), "sha256": digest_of(path)},
        )


def _file_alerts(
    session: Session, account: str, alerts: Sequence[MonitoringAlert], actor: str
) -> int:
    """Put an account's new alerts into its case being worked on, or a new one; audited."""
    now = utc_now()
    case = session.scalars(
        select(Case)
        .where(Case.account == account, Case.status.in_(sorted(WORKED_ON)))
        .order_by(Case.id.desc())
        .limit(1)
    ).first()
    before = None if case is None else _state(case)
    if case is None:
        case = Case(
            account=account,
            status=CaseStatus.OPEN.value,
            opened_at=now,
            opened_by=actor,
            updated_at=now,
            score=0.0,
            summary={},
        )
        session.add(case)
        session.flush()
    for alert in alerts:
        session.add(CaseAlert(case_id=case.id, monitoring_alert_id=alert.id, added_at=now))
        alert.status = ALERT_IN_CASE
    session.flush()
    # A proposal covers the alerts it was made on: one the proposer never saw must not be
    # approved along with it, so the case goes back to review.
    outdated = _supersede(session, case.id)
    if outdated is not None:
        case.status = CaseStatus.UNDER_REVIEW.value
    _summarise(session, case)
    case.updated_at = now
    after = {"alerts_added": [alert.id for alert in alerts], "superseded_decision": outdated}
    action = "case.open" if before is None else "case.add_alerts"
    _audit(session, actor, action, case, before, after)
    return case.id


def _summarise(session: Session, case: Case) -> None:
    """Recompute a case's score and summary from all its alerts and their transactions."""
    from finmon.monitoring.engine import combined_score

    alerts = _case_alerts(session, case.id)
    ids = _transaction_ids(alerts)
    rows = _transactions(session, ids)
    best = _rule_scores(alerts)
    amounts: dict[str, Decimal] = {}
    for row in rows:
        amounts[row.currency] = amounts.get(row.currency, Decimal(0)) + Decimal(row.amount)
    case.score = round(combined_score(best, _rests_on(alerts)), 4)
    case.summary = {
        "alerts": len(alerts),
        "rules": sorted(best),
        "rule_scores": best,
        "typologies": sorted({alert.typology for alert in alerts}),
        "transactions": len(ids),
        "transactions_loaded": len(rows),
        "amounts": {currency: str(total) for currency, total in sorted(amounts.items())},
        "window_start": _iso(min(alert.window_start for alert in alerts)),
        "window_end": _iso(max(alert.window_end for alert in alerts)),
    }


def _rule_scores(alerts: Iterable[MonitoringAlert]) -> dict[str, float]:
    """Each rule once, at its best score: the same rule firing again is not new evidence."""
    best: dict[str, float] = {}
    for alert in alerts:
        best[alert.rule] = max(alert.score, best.get(alert.rule, 0.0))
    return dict(sorted(best.items()))


def _rests_on(alerts: Iterable[MonitoringAlert]) -> dict[str, list[str]]:
    """Rule id -> the evidence its alerts rest on, as the run that kept them declared it (rules
    sharing evidence are one indication of the case, as in the typology score)."""
    return {
        alert.rule: list(alert.evidence["rests_on"])
        for alert in alerts
        if isinstance(alert.evidence, dict) and alert.evidence.get("rests_on")
    }


def _indicators(alerts: Sequence[MonitoringAlert]) -> list[dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for alert in alerts:
        entry = found.setdefault(
            (alert.rule, alert.typology),
            {"rule": alert.rule, "typology": alert.typology, "score": 0.0, "alerts": 0},
        )
        entry["score"] = max(entry["score"], alert.score)
        entry["alerts"] += 1
    return sorted(found.values(), key=lambda entry: (-entry["score"], entry["rule"]))


def _pending(session: Session, case: Case) -> CaseDecision:
    check_pending(case.id, case.status)
    found = _decisions(session, case.id, DecisionStatus.PROPOSED)
    assert found, f"case {case.id} is proposed without a proposal"
    return found[-1]


def _supersede(session: Session, case_id: int) -> int | None:
    """Mark the proposal awaiting approval superseded; returns its id (None: there was none)."""
    pending = _decisions(session, case_id, DecisionStatus.PROPOSED)
    for decision in pending:
        decision.status = DecisionStatus.SUPERSEDED.value
    return pending[-1].id if pending else None


def _approved_report(session: Session, case: Case) -> CaseDecision:
    check_reportable(case.id, case.status)
    found = _decisions(session, case.id, DecisionStatus.APPROVED)
    assert found and found[-1].action == CaseAction.REPORT, f"case {case.id}: no approved report"
    return found[-1]


def _decisions(session: Session, case_id: int, status: DecisionStatus) -> list[CaseDecision]:
    query = select(CaseDecision).where(
        CaseDecision.case_id == case_id, CaseDecision.status == status.value
    )
    return list(session.scalars(query.order_by(CaseDecision.id)))


def _audit(
    session: Session,
    actor: str,
    action: str,
    case: Case,
    before: dict[str, Any] | None,
    after: dict[str, Any],
    reason: str | None = None,
) -> None:
    append_audit(
        session,
        actor=actor,
        action=action,
        object=f"case:{case.id}",
        before=before,
        after={**_state(case), **after},
        reason=reason,
    )


def _case_alerts(session: Session, case_id: int) -> list[MonitoringAlert]:
    query = (
        select(MonitoringAlert)
        .join(CaseAlert, CaseAlert.monitoring_alert_id == MonitoringAlert.id)
        .where(CaseAlert.case_id == case_id)
        .order_by(MonitoringAlert.id)
    )
    return list(session.scalars(query))


def _transaction_ids(alerts: Iterable[MonitoringAlert]) -> list[str]:
    return list(dict.fromkeys(i for alert in alerts for i in alert.transaction_ids))


def _transactions(session: Session, ids: Sequence[str]) -> list[TransactionRow]:
    """The loaded transactions among those ids, oldest first; an id not loaded is skipped."""
    rows: list[TransactionRow] = []
    for start in range(0, len(ids), BATCH):
        query = select(TransactionRow).where(
            TransactionRow.transaction_id.in_(ids[start : start + BATCH])
        )
        rows.extend(session.scalars(query))
    return sorted(rows, key=lambda row: (row.timestamp, row.transaction_id))


def _choice(kind: type[_E], value: str, what: str) -> _E:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise InputError(f"unknown {what} {value!r}; use one of {choices}") from None


def _state(case: Case) -> dict[str, Any]:
    return {"status": case.status, "score": case.score, "alerts": case.summary.get("alerts", 0)}


def _case_row(case: Case) -> dict[str, Any]:
    return {
        "case_id": case.id,
        "account": case.account,
        "status": case.status,
        "score": case.score,
        "assigned_to": case.assigned_to,
        "opened_at": _iso(case.opened_at),
        "opened_by": case.opened_by,
        "updated_at": _iso(case.updated_at),
        "summary": case.summary,
    }


def _alert(alert: MonitoringAlert) -> dict[str, Any]:
    return {
        "alert_id": alert.id,
        "rule": alert.rule,
        "typology": alert.typology,
        "score": alert.score,
        "window_start": _iso(alert.window_start),
        "window_end": _iso(alert.window_end),
        "transaction_ids": list(alert.transaction_ids),
        "evidence": alert.evidence,
        "status": alert.status,
        "created_at": _iso(alert.created_at),
    }


def _decision(decision: CaseDecision) -> dict[str, Any]:
    return {
        "decision_id": decision.id,
        "action": decision.action,
        "reason": decision.reason,
        "status": decision.status,
        "proposed_by": decision.proposed_by,
        "proposed_at": _iso(decision.proposed_at),
        "approved_by": decision.approved_by,
        "approved_at": _iso(decision.approved_at),
    }


def _reported(record: dict[str, Any]) -> dict[str, Any]:
    """A transaction as a report gives it, from the record the loader kept."""
    shown = {
        key: record.get(key)
        for key in ("id", "timestamp", "amount", "currency", "channel", "reference", "purpose")
    }
    for side in ("originator", "beneficiary"):
        party = record.get(side) or {}
        shown[side] = {key: party.get(key) for key in PARTY_FIELDS}
    return shown


def _iso(value: dt.datetime | None) -> str | None:
    return None if value is None else value.isoformat()
