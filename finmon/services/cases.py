"""Cases: an account's monitoring alerts grouped, reviewed, proposed by one person and approved
by another, and reported to the FIU; each step authorised first (four-eyes by person is the
store's)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finmon.errors import InputError
from finmon.services.access import authorize
from finmon.store import Database
from finmon.store import cases as store
from finmon.store.cases import STATUS_FILTERS
from finmon.store.transactions import list_monitoring_alerts
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.reports.goaml import Report

__all__ = ["STATUS_FILTERS"]


def monitoring_alerts(
    actor: str, status: str = "open", db: Database | None = None
) -> list[dict[str, Any]]:
    """Monitoring alerts, oldest first: open (in no case yet) or all."""
    authorize(actor, Action.READ, db)
    return list_monitoring_alerts(status, db)


def list_cases(
    actor: str, status: str | None = None, db: Database | None = None
) -> list[dict[str, Any]]:
    """Cases, oldest first, with their summaries; only those in `status` when it is given."""
    authorize(actor, Action.READ, db)
    return store.list_cases(status, db)


@dataclass(frozen=True, slots=True)
class CasesSummary:
    """Cases counted: by status and by typology, their alerts and their amounts by currency."""

    cases: int
    by_status: dict[str, int]
    by_typology: dict[str, int]
    """Cases that hold at least one alert of the typology (a case may count under several)."""
    alerts: int
    amounts: dict[str, Decimal]


def summarise(rows: list[dict[str, Any]]) -> CasesSummary:
    """The summary of case rows (list_cases), the most frequent status and typology first."""
    amounts: dict[str, Decimal] = {}
    for row in rows:
        for currency, total in row["summary"].get("amounts", {}).items():
            amounts[currency] = amounts.get(currency, Decimal(0)) + Decimal(total)
    typologies = Counter(t for row in rows for t in row["summary"].get("typologies", []))
    return CasesSummary(
        cases=len(rows),
        by_status=dict(Counter(row["status"] for row in rows).most_common()),
        by_typology=dict(typologies.most_common()),
        alerts=sum(int(row["summary"].get("alerts", 0)) for row in rows),
        amounts=dict(sorted(amounts.items())),
    )


def get_case(actor: str, case_id: int, db: Database | None = None) -> dict[str, Any]:
    """One case with its alerts, the transactions they name and its decisions."""
    authorize(actor, Action.READ, db)
    return store.get_case(case_id, db)


def open_cases(actor: str, db: Database | None = None) -> list[int]:
    """Put the monitoring alerts in no case yet into their accounts' cases; returns their ids."""
    who = authorize(actor, Action.WORK_CASES, db)
    return store.open_cases(actor=who.name, db=db)


def review(actor: str, case_id: int, db: Database | None = None) -> str:
    """Take a case for review; returns its new status."""
    who = authorize(actor, Action.WORK_CASES, db)
    return store.review_case(case_id, actor=who.name, db=db)


def propose(actor: str, case_id: int, action: str, reason: str, db: Database | None = None) -> int:
    """Propose to report or close a case under review; returns the proposal's id."""
    who = authorize(actor, Action.WORK_CASES, db)
    return store.propose_decision(case_id, action, actor=who.name, reason=reason, db=db)


def withdraw(
    actor: str, case_id: int, reason: str | None = None, db: Database | None = None
) -> str:
    """The proposer takes back the proposal awaiting approval; returns the case's status."""
    who = authorize(actor, Action.WORK_CASES, db)
    return store.withdraw_proposal(case_id, actor=who.name, reason=reason, db=db)


def approve(actor: str, case_id: int, db: Database | None = None) -> str:
    """A second person approves the proposal: the case is reported or closed; returns that."""
    who = authorize(actor, Action.APPROVE_CASES, db)
    return store.approve_decision(case_id, actor=who.name, db=db)


def write_case_report(
    actor: str,
    case_id: int,
    *,
    schema: Path,
    output: Path,
    config: Path | None = None,
    rates: Path | None = None,
    db: Database | None = None,
) -> Report:
    """Write the suspicious-transaction report of a case approved for reporting as goAML XML
    validated against the FIU's schema (nothing is written when it does not validate); audited.
    The reporting entity and person are the configured profile's (NotConfigured without it)."""
    who = authorize(actor, Action.WORK_CASES, db)
    from finmon.reports.entity import load_profile
    from finmon.reports.from_cases import case_report
    from finmon.reports.goaml import kz_schema, load_config, write_report
    from finmon.transactions.wire import Rates

    reporter = load_profile()
    settings = load_config(config)
    data = store.case_report_data(case_id, db)
    table = Rates.read(rates) if rates is not None else None
    if table is not None and table.to != settings.currency_code_local:
        raise InputError(f"{rates}: rates into {table.to}, the report is in KZT")
    report = case_report(
        data,
        settings,
        reporter=reporter,
        rates=table.per_unit if table else None,
    )
    write_report(report, settings, kz_schema(schema, settings), output)
    store.record_report(case_id, actor=who.name, path=output, db=db)
    return report
