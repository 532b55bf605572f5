"""The `finmon alerts` commands: screening alerts listed, decided and approved (four-eyes)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from finmon.cli.common import (
    FormatOption,
    JsonOutputOption,
    ResultFormat,
    actor_name,
    check_json_output,
    check_output,
    command_group,
    emit_document,
    emit_rows,
    err,
    out,
)
from finmon.errors import InputError
from finmon.services import alerts
from finmon.workflow import Verdict

ALERT_COLUMNS = [
    "alert_id",
    "customer_id",
    "customer_name",
    "list",
    "reference",
    "designation_name",
    "score",
    "status",
    "created_at",
]
"""The columns of `finmon alerts list --output` (a contract other tools rely on)."""


alerts_app = command_group("alerts", "Alerts: list, decide, approve (four-eyes).")
AlertId = Annotated[int, typer.Argument(help="Alert id.")]


@alerts_app.command("list")
def alerts_list(
    ctx: typer.Context,
    status: Annotated[
        str, typer.Option(help="open (awaiting a decision), decided, or all.")
    ] = "open",
    output: Annotated[
        Path | None, typer.Option(help="Write the alerts to this .csv or .json file.")
    ] = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """Alerts, oldest first."""
    if status not in alerts.STATUS_FILTERS:
        choices = ", ".join(alerts.STATUS_FILTERS)
        raise InputError(f"unknown --status {status!r}; use one of {choices}")
    check_output(output)
    rows = [row.to_dict() for row in alerts.list_alerts(actor_name(ctx), status)]
    emit_rows(rows, ALERT_COLUMNS, output=output, format=format, table=_alerts_table)
    if output is not None:
        err.print(f"{len(rows)} alerts written to {output}", markup=False)
    else:
        err.print(f"{len(rows)} alerts ({status})", markup=False)


def _alerts_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("alert", "customer", "name", "list", "reference", "listed as", "score", "status")
    for row in rows:
        table.add_row(
            str(row["alert_id"]),
            row["customer_id"],
            row["customer_name"],
            f"{row['list']} {row['list_version']}",
            row["reference"],
            row["designation_name"],
            f"{row['score']:.3f}",
            row["status"],
        )
    return table


@alerts_app.command("show")
def alerts_show(
    ctx: typer.Context,
    alert_id: AlertId,
    output: JsonOutputOption = None,
) -> None:
    """One alert with its full explanation, as JSON."""
    check_json_output(output)
    row, explanation = alerts.get_alert(actor_name(ctx), alert_id)
    document = {**row.to_dict(), "explanation": explanation}
    emit_document(document, output, f"alert {alert_id}")


@alerts_app.command("decide")
def alerts_decide(
    ctx: typer.Context,
    alert_id: AlertId,
    decision: Annotated[str, typer.Option(help="confirmed_hit, false_positive or escalate.")],
    reason: Annotated[
        str | None, typer.Option(help="Why (required for false_positive and escalate).")
    ] = None,
) -> None:
    """Decide an alert. A confirmed hit then needs a second person's `finmon alerts approve`."""
    try:
        verdict = Verdict(decision)
    except ValueError:
        choices = ", ".join(v.value for v in Verdict)
        raise InputError(f"unknown --decision {decision!r}; use one of {choices}") from None
    status = alerts.decide(actor_name(ctx), alert_id, verdict, reason)
    follow = (
        " (a second person must now run `finmon alerts approve`)"
        if verdict is Verdict.CONFIRMED_HIT
        else ""
    )
    out.print(f"alert {alert_id} is now {status}{follow}")


@alerts_app.command("withdraw")
def alerts_withdraw(
    ctx: typer.Context,
    alert_id: AlertId,
    reason: Annotated[str | None, typer.Option(help="Why the proposal is taken back.")] = None,
) -> None:
    """Take back your own confirmed hit while it awaits approval (nobody else can)."""
    status = alerts.withdraw(actor_name(ctx), alert_id, reason)
    out.print(f"proposal withdrawn; alert {alert_id} is {status} again")


@alerts_app.command("approve")
def alerts_approve(ctx: typer.Context, alert_id: AlertId) -> None:
    """Approve a confirmed hit as the second person: the customer's accounts are frozen."""
    freeze_id = alerts.approve(actor_name(ctx), alert_id)
    out.print(f"alert {alert_id} confirmed; freeze order {freeze_id} is in force")
