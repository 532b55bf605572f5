"""The `finmon cases` commands: monitoring alerts grouped per account and decided by two people.

A thin front door over finmon.services.cases; the acting user is the global --actor
(FINMON_ACTOR), whom `finmon.services.access.authorize` allows each step or not.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from finmon.cli.commands import Listing, Step, rows_command, step_commands
from finmon.cli.common import actor_name, command_group
from finmon.cli.options import (
    DocumentFormatOption,
    GoamlConfigOption,
    JsonOutputOption,
    ResultFormat,
)
from finmon.cli.output import (
    emit_document,
    err,
    monitoring_alerts_table,
    out,
    print_json,
)
from finmon.services import cases

cases_app = command_group(
    "cases", "Cases: monitoring alerts grouped per account; review, propose, approve (four-eyes)."
)

CASE_COLUMNS = ["case_id", "status", "account", "score", "assigned_to", "summary"]
"""The columns of `finmon cases list --format csv` (the summary as JSON)."""

CaseId = Annotated[int, typer.Argument(help="Case id.")]


@cases_app.command("open")
def cases_open(ctx: typer.Context) -> None:
    """Group every open monitoring alert that is in no case into its account's case: the one
    still being worked on, else a new one."""
    actor = actor_name(ctx)
    known = {row["case_id"] for row in cases.list_cases(actor)}
    touched = set(cases.open_cases(actor))
    if not touched:
        out.print("No new monitoring alerts: no case opened or changed.")
        return
    rows = [row for row in cases.list_cases(actor) if row["case_id"] in touched]
    # The summary first: hundreds of rows may follow, and the counts are what is read.
    out.print(_summary_table(cases.summarise(rows)))
    _print_cases(rows, "change", lambda row: "updated" if row["case_id"] in known else "opened")
    opened = len(touched - known)
    err.print(f"{opened} cases opened, {len(touched) - opened} updated", markup=False)


def _status_table(rows: list[dict[str, Any]]) -> Table:
    return _cases_table(rows, "status", lambda row: str(row["status"]))


@rows_command(cases_app, "list", CASE_COLUMNS, _status_table)
def cases_list(
    ctx: typer.Context,
    status: Annotated[
        str | None,
        typer.Option(
            help="working (not decided yet), open, under_review, proposed, reported or closed "
            "(default: all)."
        ),
    ] = None,
) -> Listing:
    """Cases, oldest first, with their score, rules and alerts."""
    rows = cases.list_cases(actor_name(ctx), status)
    return rows, f"{len(rows)} cases" + (f" ({status})" if status else "")


@cases_app.command("show")
def cases_show(
    ctx: typer.Context,
    case_id: CaseId,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole case as JSON.")] = False,
    output: JsonOutputOption = None,
    format: DocumentFormatOption = ResultFormat.TABLE,
) -> None:
    """One case: its alerts, the transactions they name, and its decisions."""
    case = cases.get_case(actor_name(ctx), case_id)
    if output is not None:
        emit_document(case, output, f"case {case_id}")
        return
    if as_json or format is not ResultFormat.TABLE:
        print_json(case)
        return
    out.print(
        f"case {case['case_id']}  account {case['account']}  {case['status']}  "
        f"score {case['score']:.3f}  opened {case['opened_at'][:19]} by {case['opened_by']}"
        + (f"  reviewed by {case['assigned_to']}" if case["assigned_to"] else ""),
        markup=False,
    )
    alerts = [{**alert, "account": case["account"]} for alert in case["alerts"]]
    out.print(monitoring_alerts_table(alerts, title="Alerts"))
    out.print(_transactions_table(case["transactions"]))
    out.print(_decisions_table(case["decisions"]))


step_commands(
    cases_app,
    "case_id",
    CaseId,
    Step(
        "review",
        "Take a case for review (analyst or supervisor).",
        cases.review,
        "case {id} is now {result}, reviewed by {actor}",
    ),
)


@cases_app.command("propose")
def cases_propose(
    ctx: typer.Context,
    case_id: CaseId,
    action: Annotated[
        str, typer.Option(help="report (file a suspicious-transaction report) or close.")
    ],
    reason: Annotated[str, typer.Option(help="Why: what was found, or why there is no suspicion.")],
) -> None:
    """Propose to report or close a case under review; a second person must approve it."""
    decision_id = cases.propose(actor_name(ctx), case_id, action, reason)
    out.print(
        f"case {case_id}: proposal {decision_id} to {action} recorded; a second person must run "
        f"`finmon cases approve {case_id}`",
        markup=False,
    )


step_commands(
    cases_app,
    "case_id",
    CaseId,
    Step(
        "withdraw",
        "Withdraw the proposal awaiting approval: the case is under review again.",
        cases.withdraw,
        "case {id}: proposal withdrawn; the case is {result}",
        reason="Why it is withdrawn.",
    ),
    Step(
        "approve",
        "Approve the proposal on a case as the second person (supervisor): it is reported or "
        "closed.",
        cases.approve,
        "case {id} is now {result}",
    ),
)


@cases_app.command("report")
def cases_report(
    ctx: typer.Context,
    case_id: CaseId,
    schema: Annotated[
        Path, typer.Option(help="The FIU's goAML XSD (the AFM's), patched by the configuration.")
    ],
    output: Annotated[Path, typer.Option(help="Write the goAML XML report here.")],
    config: GoamlConfigOption = None,
    rates: Annotated[
        Path | None,
        typer.Option(help="Rates CSV `currency,KZT` for transactions in other currencies."),
    ] = None,
) -> None:
    """Write the suspicious-transaction report of a case approved for reporting, as goAML XML
    validated against the FIU's schema (nothing is written when it does not validate); who
    reports is the entity profile's (FINMON_ENTITY_PROFILE), required."""
    report = cases.write_case_report(
        actor_name(ctx),
        case_id,
        schema=schema,
        output=output,
        config=config,
        rates=rates,
    )
    out.print(
        f"case {case_id}: suspicious-transaction report {report.entity_reference} written to "
        f"{output} ({len(report.transactions)} transactions, valid against {schema.name})",
        markup=False,
    )


def _summary_table(summary: cases.CasesSummary) -> Table:
    table = Table("", "cases", title="Summary")
    for status, count in summary.by_status.items():
        table.add_row(f"status {status}", str(count))
    for typology, count in summary.by_typology.items():
        table.add_row(f"typology {typology}", str(count))
    table.add_row("alerts", str(summary.alerts))
    for currency, total in summary.amounts.items():
        table.add_row(f"amount {currency}", f"{total:,.2f}")
    table.add_row("all cases", str(summary.cases))
    return table


def _print_cases(
    rows: list[dict[str, Any]], heading: str, first: Callable[[dict[str, Any]], str]
) -> None:
    out.print(_cases_table(rows, heading, first))


def _cases_table(
    rows: list[dict[str, Any]], heading: str, first: Callable[[dict[str, Any]], str]
) -> Table:
    table = Table(
        "case", heading, "account", "score", "alerts", "rules", "transactions", "reviewer"
    )
    for row in rows:
        summary = row["summary"]
        table.add_row(
            str(row["case_id"]),
            first(row),
            row["account"],
            f"{row['score']:.3f}",
            str(summary.get("alerts", 0)),
            ", ".join(summary.get("rules", [])),
            _amounts(summary),
            row["assigned_to"] or "",
        )
    return table


def _amounts(summary: dict[str, Any]) -> str:
    totals = ", ".join(f"{amount} {currency}" for currency, amount in summary["amounts"].items())
    return f"{summary['transactions']}" + (f": {totals}" if totals else "")


def _decisions_table(decisions: list[dict[str, Any]]) -> Table:
    table = Table(
        "decision", "action", "status", "proposed by", "approved by", "reason", title="Decisions"
    )
    for d in decisions:
        table.add_row(
            str(d["decision_id"]),
            d["action"],
            d["status"],
            f"{d['proposed_by']} {d['proposed_at'][:19]}",
            f"{d['approved_by']} {d['approved_at'][:19]}" if d["approved_by"] else "",
            d["reason"],
        )
    return table


def _transactions_table(records: list[dict[str, Any]]) -> Table:
    table = Table("transaction", "when", "amount", "channel", "from", "to", title="Transactions")
    for r in records:
        table.add_row(
            r["id"],
            r["timestamp"][:19],
            f"{r['amount']} {r['currency']}",
            r.get("channel") or "",
            _party(r.get("originator") or {}),
            _party(r.get("beneficiary") or {}),
        )
    return table


def _party(side: dict[str, Any]) -> str:
    return " ".join(str(side[key]) for key in ("name", "account", "country") if side.get(key))
