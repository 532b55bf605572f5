"""Loading transactions into the store: every transfer kept as read, every named party screened,
every transfer's R.16 information checked, and what fails raised as a monitoring alert.

A load is one transaction: all of what a file holds that can be read, or nothing. A transfer that
cannot be read (a bad amount, time, currency ...) is skipped and named, the others loaded; with
strict the first refuses the file. The work that takes time (screening,
checking) is done before the write lock is taken. A transfer already loaded with the same content
is left alone, with other content refused (a source's transaction id names one transfer). A hit
on a counterparty cleared against that designation (finmon.store.clearances) raises no alert: it
is counted and audited in the same write instead.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from finmon.errors import InputError
from finmon.lists.reading import digest_of
from finmon.screening import DEFAULT_THRESHOLD, Hit, Screener
from finmon.store.audit import append_audit
from finmon.store.bulk import bulk_insert
from finmon.store.clearances import StoreClearances
from finmon.store.engine import Database, default_database
from finmon.store.lists import current_versions
from finmon.store.models import CaseAlert, MonitoringAlert, TransactionRow, core_table, utc_now
from finmon.store.screener import build_screener
from finmon.transactions.model import Transaction, fingerprint, stored_form, to_record
from finmon.transactions.payments import Suppression, party_hits
from finmon.transactions.reader import read_file
from finmon.transactions.wire import Rates, check_wire, r16_applies

BATCH = 500
R16 = "r16_information"
LISTED = "listed_party"


@dataclass(slots=True)
class TransactionsLoaded:
    """What a load did."""

    file: str
    sha256: str
    transactions: int
    inserted: int = 0
    unchanged: int = 0
    alerts: dict[str, int] = field(default_factory=dict)
    """New monitoring alerts by rule."""
    held: int = 0
    """New transfers with at least one alert: held for a person to look at."""
    screened: bool = True
    skipped: list[str] = field(default_factory=list)
    """Transfers or messages of the file that could not be read, each with its place and why."""
    """False when no list is loaded: the parties could not be screened."""
    cleared: int = 0
    """Hits on new transfers that raised nothing: their counterparty is cleared against them."""


def load_transactions(
    path: Path,
    *,
    actor: str,
    format: str | None = None,
    rates: Rates | None = None,
    db: Database | None = None,
    workers: int = 1,
    strict: bool = False,
) -> TransactionsLoaded:
    """Load a transaction file (any format finmon.transactions.reader reads): what can be read,
    each transfer that cannot be skipped and named; strict refuses the file at the first."""
    reading = read_file(path, format, strict=strict)
    transactions = reading.transactions
    _refuse_repeats(transactions)
    db = db or default_database()
    screener = build_screener(db) if current_versions(db) else None
    # Each record's JSON text (what the store keeps) and fingerprint, made once.
    forms = {t.id: stored_form(t) for t in transactions}
    prints = {key: print_ for key, (_, print_) in forms.items()}
    clearances = StoreClearances(actor, db)
    alerts, covered = _alerts(transactions, screener, rates, actor, workers, clearances)
    skipped = [str(skip) for skip in reading.skipped]
    result = TransactionsLoaded(str(path), digest_of(path), len(transactions), skipped=skipped)
    result.screened = screener is not None
    with db.write() as session:
        known = _known(session, list(prints))
        _refuse_changed(transactions, known, prints)
        new = [t for t in transactions if t.id not in known]
        result.inserted, result.unchanged = len(new), len(transactions) - len(new)
        now = utc_now()
        rows = [_row(t, prints[t.id], str(path), now, actor, forms[t.id][0]) for t in new]
        _insert(session, TransactionRow, rows, {"record"})
        fresh = {t.id for t in new}
        cleared = {p: c for p, c in covered.items() if transactions[p].id in fresh}
        recorded = clearances.record(session, transactions, cleared)
        result.cleared = sum(len(c) for c in recorded.values())
        # A clearance revoked since it was read covers nothing: its hits are alerts after all.
        for position, suppressions in cleared.items():
            for lost in suppressions:
                if lost not in recorded.get(position, []):
                    alerts.append(_listed(transactions[position], lost.side, lost.hit, actor))
        raised = [a for a in alerts if a["transaction_ids"][0] in fresh]
        taken = _known_keys(session, [a["key"] for a in raised])
        raised = [a | {"created_at": now} for a in raised if a["key"] not in taken]
        _insert(session, MonitoringAlert, raised)
        for alert in raised:
            result.alerts[alert["rule"]] = result.alerts.get(alert["rule"], 0) + 1
        result.held = len({a["transaction_ids"][0] for a in raised})
        append_audit(
            session,
            actor=actor,
            action="transactions.load",
            object=f"file:{path.name}",
            after={key: getattr(result, key) for key in _AUDITED}
            | {"skipped": len(result.skipped)},
        )
    return result


_AUDITED = ("sha256", "transactions", "inserted", "unchanged", "alerts", "screened", "cleared")
"""What the audit log keeps of a load (TransactionsLoaded's fields)."""


def _refuse_changed(
    transactions: Sequence[Transaction], known: dict[str, str], prints: dict[str, str]
) -> None:
    """Refuse the whole file when a transaction loaded before comes back with other content."""
    for transaction in transactions:
        stored = known.get(transaction.id)
        if stored is not None and stored != prints[transaction.id]:
            raise InputError(
                f"{transaction.source}: transaction {transaction.id!r} was loaded before with "
                "other content; nothing was loaded"
            )


def _insert(
    session: Session, model: Any, rows: Sequence[dict[str, Any]], serialised: Collection[str] = ()
) -> None:
    """Insert plain rows by the store's bulk path (COPY on PostgreSQL); the JSON columns named in
    serialised come as their text."""
    bulk_insert(session, model, rows, serialised)


def store_monitoring_alerts(
    rows: Sequence[dict[str, Any]],
    *,
    actor: str,
    source: str,
    transactions: Sequence[Transaction] = (),
    rests_on: Mapping[str, Sequence[str]] | None = None,
    db: Database | None = None,
) -> int:
    """Keep the alerts of a rules run (`finmon monitor --store`, rows as engine.numbered gives
    them) as monitoring alerts, for cases to be opened on. An alert already kept (the same rule,
    account, window end and transfers) is left alone, so a run can be repeated. Of the run's
    transactions, those the alerts name are kept with them (one already loaded is left as it
    is; one loaded with other content refuses the whole run), so a case holds its transfers
    and their amounts. `rests_on` (Pack.evidence) is kept in the evidence of the alerts of rules
    that share evidence, so that a case counts them once. Returns how many alerts are new."""
    db = db or default_database()
    named = {i for row in rows for i in row["transaction_ids"]}
    kept_transfers = [t for t in transactions if t.id in named]
    _refuse_repeats(kept_transfers)
    prints = {t.id: fingerprint(t) for t in kept_transfers}
    now = utc_now()
    found = [_kept_alert(row, actor, now, rests_on or {}) for row in rows]
    unique = list({alert["key"]: alert for alert in found}.values())
    with db.write() as session:
        known = _known(session, list(prints))
        _refuse_changed(kept_transfers, known, prints)
        fresh = list({t.id: t for t in kept_transfers if t.id not in known}.values())
        rows_of = [_row(t, prints[t.id], source, now, actor) for t in fresh]
        _insert(session, TransactionRow, rows_of)
        taken = _known_keys(session, [a["key"] for a in unique])
        new = [a for a in unique if a["key"] not in taken]
        for start in range(0, len(new), 5000):
            session.execute(insert(core_table(MonitoringAlert)), new[start : start + 5000])
        append_audit(
            session,
            actor=actor,
            action="monitoring.store",
            object=f"file:{source}",
            after={"alerts": len(unique), "new": len(new), "transactions_kept": len(fresh)},
        )
    return len(new)


def _kept_alert(
    row: dict[str, Any], actor: str, now: Any, rests_on: Mapping[str, Sequence[str]]
) -> dict[str, Any]:
    """A run's alert row as the store keeps it, keyed by rule, account, window end and transfers."""
    import hashlib

    ids = ";".join(row["transaction_ids"])
    digest = hashlib.sha256(ids.encode("utf-8")).hexdigest()[:32]
    return {
        "key": f"{row['rule']}:{row['account']}:{row['window_end']}:{digest}"[:400],
        "account": row["account"][:100],
        "rule": row["rule"],
        "typology": row["typology"],
        "score": round(float(row["score"]), 4),
        "window_start": _datetime(row["window_start"]),
        "window_end": _datetime(row["window_end"]),
        "transaction_ids": row["transaction_ids"],
        "evidence": (
            {**row["evidence"], "rests_on": list(rests_on[row["rule"]])}
            if rests_on.get(row["rule"])
            else row["evidence"]
        ),
        "status": "open",
        "created_by": actor,
        "created_at": now,
    }


def _datetime(text: str) -> Any:
    import datetime as dt

    return dt.datetime.fromisoformat(text)


def monitoring_volume(db: Database | None = None) -> dict[str, dict[str, int]]:
    """Monitoring alerts counted by typology and by rule, most first: for charts."""
    db = db or default_database()
    with db.read() as session:
        counted = {}
        for column in (MonitoringAlert.typology, MonitoringAlert.rule):
            query = (
                select(column, func.count()).group_by(column).order_by(func.count().desc(), column)
            )
            counted[column.key] = {
                str(value): int(count) for value, count in session.execute(query)
            }
        return counted


def list_monitoring_alerts(
    status: str = "open", db: Database | None = None
) -> list[dict[str, Any]]:
    """Monitoring alerts, oldest first, in finmon.services.monitoring.ALERT_COLUMNS (and their
    status, creation and the case they are in): the same rows the cases are made of."""
    query = (
        select(MonitoringAlert, CaseAlert.case_id)
        .outerjoin(CaseAlert, CaseAlert.monitoring_alert_id == MonitoringAlert.id)
        .order_by(MonitoringAlert.id)
    )
    if status != "all":
        query = query.where(MonitoringAlert.status == status)
    db = db or default_database()
    with db.read() as session:
        return [
            {
                "alert_id": a.id,
                "account": a.account,
                "rule": a.rule,
                "typology": a.typology,
                "score": a.score,
                "window_start": a.window_start.isoformat(),
                "window_end": a.window_end.isoformat(),
                "transaction_ids": list(a.transaction_ids),
                "evidence": a.evidence,
                "status": a.status,
                "created_at": a.created_at.isoformat(timespec="seconds"),
                "case_id": case_id,
            }
            for a, case_id in session.execute(query)
        ]


def _refuse_repeats(transactions: Sequence[Transaction]) -> None:
    seen: dict[str, Transaction] = {}
    for transaction in transactions:
        earlier = seen.setdefault(transaction.id, transaction)
        if earlier is not transaction and fingerprint(earlier) != fingerprint(transaction):
            raise InputError(
                f"{transaction.source}: transaction id {transaction.id!r} is used before "
                f"({earlier.source}) for another transfer"
            )


def _alerts(
    transactions: Sequence[Transaction],
    screener: Screener | None,
    rates: Rates | None,
    actor: str,
    workers: int,
    clearances: StoreClearances,
) -> tuple[list[dict[str, Any]], dict[int, list[Suppression]]]:
    """Every alert the transfers raise, before anything is written, and the hits that raise none
    because a clearance covers them."""
    alerts: list[dict[str, Any]] = []
    for transaction in transactions:
        if not r16_applies(transaction):
            continue
        check = check_wire(transaction, rates)
        if check.missing:
            alerts.append(
                _alert(
                    transaction,
                    key=f"{R16}:{transaction.id}",
                    account=_account(transaction, "originator"),
                    rule=R16,
                    typology="wire-transfer information missing (FATF R.16)",
                    score=1.0,
                    evidence={
                        "basis": check.basis,
                        "missing": [
                            {"side": m.side, "what": m.what, "detail": m.detail}
                            for m in check.missing
                        ],
                    },
                    actor=actor,
                )
            )
    covered: dict[int, list[Suppression]] = {}
    if screener is not None:
        found = party_hits(transactions, screener, DEFAULT_THRESHOLD, workers)
        covered = clearances.covering(transactions, found) if found else {}
        for position, hits in sorted(found.items()):
            transaction = transactions[position]
            for side, hit in hits:
                if not any(c.side == side and c.hit is hit for c in covered.get(position, [])):
                    alerts.append(_listed(transaction, side, hit, actor))
    return alerts, covered


def _listed(transaction: Transaction, side: str, hit: Hit, actor: str) -> dict[str, Any]:
    return _alert(
        transaction,
        key=f"{LISTED}:{transaction.id}:{side}:{hit.designation.source}:"
        f"{hit.designation.reference}",
        account=_account(transaction, side),
        rule=LISTED,
        typology="payment to or from a listed party",
        score=hit.score,
        evidence={"side": side, **hit.to_dict()},
        actor=actor,
    )


def _alert(
    transaction: Transaction,
    *,
    key: str,
    account: str,
    rule: str,
    typology: str,
    score: float,
    evidence: dict[str, Any],
    actor: str,
) -> dict[str, Any]:
    return {
        "key": key[:400],
        "account": account[:100],
        "rule": rule,
        "typology": typology,
        "score": round(score, 4),
        "window_start": transaction.timestamp,
        "window_end": transaction.timestamp,
        "transaction_ids": [transaction.id],
        "evidence": evidence,
        "status": "open",
        "created_by": actor,
    }


def _account(transaction: Transaction, side: str) -> str:
    """The account an alert is about: that side's, else the other's, else the transfer's id."""
    other = "beneficiary" if side == "originator" else "originator"
    return (
        getattr(transaction, side).account
        or getattr(transaction, other).account
        or f"transaction:{transaction.id}"
    )


def _row(
    transaction: Transaction,
    print_: str,
    source: str,
    now: Any,
    actor: str,
    record: dict[str, Any] | str | None = None,
) -> dict[str, Any]:
    return {
        "transaction_id": transaction.id,
        "timestamp": transaction.timestamp,
        "amount": str(transaction.amount),
        "currency": transaction.currency,
        "originator_account": transaction.originator.account,
        "originator_name": transaction.originator.name,
        "beneficiary_account": transaction.beneficiary.account,
        "beneficiary_name": transaction.beneficiary.name,
        "channel": transaction.channel,
        "reference": transaction.reference,
        "record": record if record is not None else to_record(transaction),
        "fingerprint": print_,
        "source_file": source,
        "loaded_at": now,
        "loaded_by": actor,
    }


def _known(session: Any, ids: list[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    for start in range(0, len(ids), BATCH):
        query = select(TransactionRow.transaction_id, TransactionRow.fingerprint).where(
            TransactionRow.transaction_id.in_(ids[start : start + BATCH])
        )
        found.update({tx_id: stored for tx_id, stored in session.execute(query)})
    return found


def _known_keys(session: Any, keys: list[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), BATCH):
        query = select(MonitoringAlert.key).where(
            MonitoringAlert.key.in_(keys[start : start + BATCH])
        )
        found.update(session.scalars(query))
    return found
