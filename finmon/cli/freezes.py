"""The `finmon freezes` commands: freeze orders, the 24-hour clock, releases, permitted payments
and notifications to the FIU."""

from __future__ import annotations

import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from finmon.cli.commands import Document, document_command
from finmon.cli.common import actor_name, command_group
from finmon.cli.options import (
    FormatOption,
    OutputOption,
    ResultFormat,
    check_output,
)
from finmon.cli.output import cells, emit_rows, err, out
from finmon.services import freezes

freezes_app = command_group(
    "freezes",
    "Freeze orders: list, the 24-hour clock, releases, permitted payments, notifications.",
)
FreezeId = Annotated[int, typer.Argument(help="Freeze id.")]


@freezes_app.command("list")
def freezes_list(
    ctx: typer.Context,
    output: OutputOption = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """Every freeze order with its timestamps and time-to-freeze."""
    records = freezes.list_freezes(actor_name(ctx))
    if output is not None:
        _write_notifications(output, records)
        return
    if format is not ResultFormat.TABLE:
        sys.stdout.write(_notifications(records, format.value))
        return
    out.print(_freezes_table(records))
    err.print(f"{len(records)} freeze orders", markup=False)


def _freezes_table(records: list[dict[str, Any]]) -> Table:
    table = Table(
        "freeze", "status", "customer", "accounts", "list", "reference", "frozen", "hours"
    )
    for r in records:
        table.add_row(
            *cells(r, "freeze_id", "status"),
            f"{r['customer_id']} {r['customer_name']}",
            ", ".join(r["accounts"]),
            f"{r['list']} {r['list_version']}",
            *cells(r, "reference", "frozen_at"),
            f"{r['hours_to_freeze']:.1f}" + ("" if r["within_24_hours"] else " LATE"),
        )
    return table


@freezes_app.command("sla")
def freezes_sla(
    ctx: typer.Context,
    output: OutputOption = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """Every alert not yet acted on, most urgent first, with the hours left of the 24."""
    rows = [_sla_row(item) for item in freezes.sla(actor_name(ctx))]
    if not rows and output is None and format is ResultFormat.TABLE:
        out.print("Nothing awaits action: every alert is decided.")
        return
    columns = list(rows[0]) if rows else ["alert_id"]
    emit_rows(rows, columns, output=output, format=format, table=_sla_table)
    if output is not None:
        err.print(f"{len(rows)} alerts awaiting action written to {output}", markup=False)
        return
    overdue = sum(1 for row in rows if row["hours_left"] < 0)
    err.print(f"{len(rows)} alerts awaiting action, {overdue} overdue", markup=False)


def _sla_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("alert", "customer", "list", "reference", "status", "clock started", "hours left")
    for row in rows:
        left = row["hours_left"]
        table.add_row(
            str(row["alert_id"]),
            f"{row['customer_id']} {row['customer_name']}",
            *cells(row, "list", "reference", "status", "clock_start"),
            f"{left:.1f}" if left >= 0 else f"OVERDUE by {-left:.1f}",
        )
    return table


@document_command(freezes_app, "show")
def freezes_show(ctx: typer.Context, freeze_id: FreezeId) -> Document:
    """One freeze order with its release and permitted payments, as JSON."""
    return f"freeze {freeze_id}", freezes.get_freeze(actor_name(ctx), freeze_id)


@freezes_app.command("release")
def freezes_release(
    ctx: typer.Context,
    freeze_id: FreezeId,
    reason: Annotated[str, typer.Option(help="Why: a delisting, a false positive found later.")],
) -> None:
    """Ask to release a freeze; a second person must run `finmon freezes approve-release`."""
    status = freezes.ask_release(actor_name(ctx), freeze_id, reason)
    out.print(f"freeze {freeze_id} is now {status}; a second person must approve the release")


@freezes_app.command("approve-release")
def freezes_approve_release(ctx: typer.Context, freeze_id: FreezeId) -> None:
    """Approve a requested release as the second person."""
    status = freezes.release(actor_name(ctx), freeze_id)
    out.print(f"freeze {freeze_id} is now {status}")


@freezes_app.command("payment")
def freezes_payment(
    ctx: typer.Context,
    freeze_id: FreezeId,
    amount: Annotated[str, typer.Option(help="Amount, e.g. 85000.00.")],
    currency: Annotated[str, typer.Option(help="ISO 4217 code, e.g. KZT.")],
    purpose: Annotated[str, typer.Option(help="The basic expense: food, rent, medicine ...")],
    payee: Annotated[str | None, typer.Option(help="Who is paid.")] = None,
) -> None:
    """Record a permitted payment from frozen funds (Article 12 section 8), to be approved."""
    payment_id = freezes.request_payment(
        actor_name(ctx),
        freeze_id,
        amount=amount,
        currency=currency,
        purpose=purpose,
        payee=payee,
    )
    out.print(f"permitted payment {payment_id} recorded; a second person must approve it")


@freezes_app.command("approve-payment")
def freezes_approve_payment(
    ctx: typer.Context, payment_id: Annotated[int, typer.Argument(help="Payment id.")]
) -> None:
    """Approve a permitted payment as the second person."""
    freezes.approve_payment(actor_name(ctx), payment_id)
    out.print(f"permitted payment {payment_id} approved")


@freezes_app.command("notify")
def freezes_notify(
    ctx: typer.Context,
    freeze_id: FreezeId,
    output: Annotated[
        Path, typer.Option(callback=check_output, help="The notification file: .json or .csv.")
    ],
) -> None:
    """Write the notification of one freeze to the FIU."""
    _write_notifications(output, [freezes.get_freeze(actor_name(ctx), freeze_id)])


def _sla_row(item: Any) -> dict[str, Any]:
    """An SLA item's fields in their order, its two times to the second."""
    row = asdict(item)
    for moment in ("clock_start", "deadline"):
        row[moment] = row[moment].isoformat(timespec="seconds")
    return row


def _write_notifications(output: Path, records: list[dict[str, Any]]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(_notifications(records, output.suffix.lower()[1:]), encoding="utf-8")
    err.print(f"{len(records)} freeze notifications written to {output}", markup=False)


def _notifications(records: list[dict[str, Any]], kind: str) -> str:
    """FIU notification records as JSON or CSV text, the same on stdout as in a file."""
    if kind == "json":
        return freezes.notifications_json(records)
    return freezes.notifications_csv(records)
