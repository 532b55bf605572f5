"""The `finmon check-payment` and `finmon payments` commands: payments allowed or held, and
counterparties cleared as false positives."""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from finmon.cli.commands import Listing, rows_command
from finmon.cli.common import acting, app, command_group, require_files
from finmon.cli.options import TransactionFormatOption
from finmon.cli.output import cells, count_note, err, out, report_skipped
from finmon.errors import InputError
from finmon.exports import SafeDictWriter
from finmon.screening import DEFAULT_THRESHOLD
from finmon.settings import load_settings
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.transactions.model import Skip, Transaction
    from finmon.transactions.payments import PaymentDecision


DECISION_COLUMNS = (
    "transaction_id",
    "decision",
    "reasons",
    "hits",
    "missing_information",
    "message",
    "wrapper",
    "cleared",
)
"""One row per payment; a message that could not be read is a row held, saying why."""


@app.command("check-payment")
def check_payment_command(
    ctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            help="Payments: canonical .csv/.parquet, pacs.008/pacs.009 XML (bare or in an "
            "envelope) or MT103/MT202 COV (FIN, RJE or DOS-PCC)."
        ),
    ],
    format: TransactionFormatOption = None,
    rates: Annotated[
        Path | None,
        typer.Option(
            help="Exchange rates CSV `currency,USD[,as_of]` for the R.16 threshold (without it, "
            "amounts in other currencies than USD and EUR are checked as above it)."
        ),
    ] = None,
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Screening alert threshold 0..1.")
    ] = DEFAULT_THRESHOLD,
    output: Annotated[
        Path | None, typer.Option(help="Write one row per payment to this .csv or .jsonl.")
    ] = None,
) -> None:
    """Allow or hold each payment of a file: both parties screened against every loaded list,
    and the originator and beneficiary information checked as FATF R.16 asks. A message that
    cannot be read is held, saying why, and the others are still checked. A counterparty cleared
    as a false positive (`finmon payments clear`) is not held for that designation while neither
    side's matching data has changed; each such hit is listed and audited. When a message could
    not be read the command exits 10."""
    actor = acting(ctx, Action.SCREEN)
    from finmon.transactions.reader import read_file

    require_files([file, *([rates] if rates is not None else [])])
    if output is not None and output.suffix.lower() not in (".csv", ".jsonl"):
        raise InputError(f"{output}: the output must end in .csv or .jsonl")
    reading = read_file(file, format)
    decisions = _decide(reading.transactions, rates, threshold, actor)
    held = sum(1 for d in decisions if d.decision == "hold")
    cleared = sum(len(d.suppressed) for d in decisions)
    if output is not None:
        _write_decisions(output, decisions, reading.skipped)
    else:
        out.print(_decisions_table(decisions, reading.skipped))
    err.print(
        f"{len(decisions)} payments checked: {held} held, {len(decisions) - held} allowed; "
        f"{len(reading.skipped)} messages or transfers not read, held"
        + (f"; {cleared} hits on cleared counterparties not held (audited)" if cleared else "")
    )
    for note in reading.notes:
        err.print(f"read: {note}")
    report_skipped([str(skip) for skip in reading.skipped])


def _decide(
    transactions: list[Transaction], rates: Path | None, threshold: float, actor: str
) -> list[PaymentDecision]:
    """Every payment screened and checked, with the store's clearances as the actor sees them."""
    from finmon.screening.screener import heap_frozen
    from finmon.services.payments import clearances
    from finmon.services.screeners import load_screener
    from finmon.transactions.payments import check_payments
    from finmon.transactions.wire import Rates

    table = Rates.read(rates) if rates is not None else None
    screener = load_screener(actor)
    with heap_frozen():
        workers = load_settings().workers
        checked = check_payments(
            transactions, screener, table, threshold, workers, clearances=clearances(actor)
        )
        return list(checked)


def _decisions_table(decisions: list[PaymentDecision], skipped: list[Skip]) -> Table:
    shown = Table("payment", "message", "decision", "reasons")
    for decision in decisions:
        message = decision.transaction.message
        shown.add_row(
            decision.transaction.id,
            f"{message.format} ({message.wrapper})" if message else "",
            decision.decision,
            "\n".join(decision.reasons),
        )
    for skip in skipped:
        shown.add_row("", "", "hold", _unread(skip))
    return shown


def _write_decisions(path: Path, decisions: list[PaymentDecision], skipped: list[Skip]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        if path.suffix.lower() == ".jsonl":
            for decision in decisions:
                handle.write(json.dumps(decision.to_dict(), ensure_ascii=False, default=str) + "\n")
            for skip in skipped:
                row = {"transaction_id": None, "decision": "hold", "reasons": [_unread(skip)]}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
            return
        writer = SafeDictWriter(handle, fieldnames=DECISION_COLUMNS)
        writer.writeheader()
        for decision in decisions:
            message = decision.transaction.message
            writer.writerow(
                {
                    "transaction_id": decision.transaction.id,
                    "decision": decision.decision,
                    "reasons": "; ".join(decision.reasons),
                    "hits": len(decision.hits),
                    "missing_information": "; ".join(str(m) for m in decision.wire.missing),
                    "message": message.format if message else "",
                    "wrapper": message.wrapper if message else "",
                    "cleared": "; ".join(
                        f"clearance {c.clearance_id}: {c.side} against "
                        f"{c.hit.designation.source} {c.hit.designation.reference}"
                        for c in decision.suppressed
                    ),
                }
            )
        for skip in skipped:
            writer.writerow({"decision": "hold", "reasons": _unread(skip)})


def _unread(skip: Skip) -> str:
    return f"not read, held for an analyst: {skip}"


payments_app = command_group(
    "payments",
    "Payment counterparties cleared as false positives: propose, approve (four-eyes), "
    "list, revoke.",
)
ClearanceId = Annotated[int, typer.Argument(help="Clearance id.")]

CLEARANCE_COLUMNS = [
    "clearance_id",
    "status",
    "name",
    "identifier_kind",
    "identifier",
    "birth_date",
    "list",
    "reference",
    "designation_name",
    "designation",
    "reason",
    "proposed_by",
    "proposed_at",
    "approved_by",
    "approved_at",
    "revoked_by",
    "revoked_at",
    "revoke_reason",
    "suppressions",
    "last_suppressed_at",
]
"""The columns of `finmon payments clearances --output`."""


@payments_app.command("clear")
def payments_clear(
    ctx: typer.Context,
    name: Annotated[str, typer.Option(help="The counterparty's name as payments give it.")],
    list_: Annotated[str, typer.Option("--list", help="The designation's list (un, ofac ...).")],
    reference: Annotated[str, typer.Option(help="The designation's reference on that list.")],
    reason: Annotated[str, typer.Option(help="Why the counterparty is not the listed party.")],
    account: Annotated[str | None, typer.Option(help="Its account number.")] = None,
    iban: Annotated[str | None, typer.Option(help="Its IBAN (checked).")] = None,
    card: Annotated[
        str | None,
        typer.Option(help="Its card number, or - to read it from stdin (kept only as a digest)."),
    ] = None,
    iin: Annotated[str | None, typer.Option(help="Its IIN (checked).")] = None,
    bin_: Annotated[str | None, typer.Option("--bin", help="Its BIN (checked).")] = None,
    birth_date: Annotated[
        str | None, typer.Option(help="Its birth date YYYY-MM-DD, when payments give one.")
    ] = None,
) -> None:
    """Propose that a payment counterparty (name and one account, IBAN or card, or its IIN/BIN)
    is not the listed party it resembles. A second person approves it (`finmon payments
    approve-clearance`); from then its payments are not held for that designation while neither
    side's matching data changes. An IIN/BIN given beside an account or card is part of its
    matching data, as a birth date is."""
    actor = acting(ctx, Action.CLEAR)
    from finmon.services.payments import counterparty, propose_clearance

    by = {"account": account, "iban": iban, "card": card}
    chosen = [(kind, value) for kind, value in by.items() if value is not None]
    national = [(kind, value) for kind, value in (("iin", iin), ("bin", bin_)) if value]
    if len(chosen) > 1 or len(national) > 1 or not (chosen or national):
        raise InputError("give one of --account, --iban or --card, or --iin/--bin, or one of each")
    kind, value = chosen[0] if chosen else national[0]
    if kind == "card" and value == "-":
        value = sys.stdin.readline().strip()
    born = None
    if birth_date:
        try:
            born = dt.date.fromisoformat(birth_date)
        except ValueError:
            raise InputError(f"--birth-date {birth_date!r}: use YYYY-MM-DD") from None
    who = counterparty(
        name,
        kind,
        value,
        birth_date=born,
        national_id=national[0][1] if chosen and national else None,
    )
    clearance_id = propose_clearance(actor, who, list_, reference, reason=reason)
    out.print(
        f"clearance {clearance_id} proposed: {who.name} ({kind} {who.identifier_shown}) against "
        f"{list_} {reference}; a second person must now run "
        f"`finmon payments approve-clearance {clearance_id}`",
        markup=False,
        highlight=False,
    )


@payments_app.command("approve-clearance")
def payments_approve_clearance(ctx: typer.Context, clearance_id: ClearanceId) -> None:
    """Approve a proposed clearance as the second person: it covers payments from now on."""
    actor = acting(ctx, Action.APPROVE)
    from finmon.services.payments import approve_clearance

    status = approve_clearance(actor, clearance_id)
    out.print(f"clearance {clearance_id} is now {status}")


@payments_app.command("revoke")
def payments_revoke(
    ctx: typer.Context,
    clearance_id: ClearanceId,
    reason: Annotated[str, typer.Option(help="Why it no longer stands.")],
) -> None:
    """Revoke a clearance, or withdraw a proposed one: its counterparty is held again."""
    actor = acting(ctx, Action.CLEAR)
    from finmon.services.payments import revoke_clearance

    status = revoke_clearance(actor, clearance_id, reason)
    out.print(f"clearance {clearance_id} is now {status}")


def _clearances_table(rows: list[dict[str, Any]]) -> Table:
    shown = Table(
        "id", "status", "counterparty", "designation", "proposed", "approved", "suppressed"
    )
    for row in rows:
        shown.add_row(
            *cells(row, "clearance_id", "status"),
            f"{row['name']} ({row['identifier_kind']} {row['identifier']})",
            f"{row['list']} {row['reference']} {row['designation_name']} ({row['designation']})",
            f"{row['proposed_by']} {row['proposed_at']}",
            f"{row['approved_by'] or ''} {row['approved_at'] or ''}".strip(),
            str(row["suppressions"]),
        )
    return shown


@rows_command(payments_app, "clearances", CLEARANCE_COLUMNS, _clearances_table)
def payments_clearances(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="pending, active, revoked or all.")] = "all",
    *,
    output: Path | None,
) -> Listing:
    """Counterparty clearances: status, who proposed and approved them and when, the hits each
    kept from holding a payment, and whether the designation was amended or delisted since."""
    actor = acting(ctx, Action.READ)
    from finmon.services.payments import list_clearances

    rows = list_clearances(actor, status)
    return rows, count_note(len(rows), "clearances", output, status)
