"""The `finmon alerts` commands: screening alerts listed, decided and approved (four-eyes)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from finmon.cli.commands import (
    Listing,
    Step,
    rows_command,
    step_commands,
)
from finmon.cli.common import actor_name, command_group
from finmon.cli.options import JsonFlag, JsonOutputOption, LangOption, chosen_language
from finmon.cli.output import cells, count_note, emit_document, out
from finmon.common.localtime import zone_named
from finmon.errors import InputError
from finmon.services import alerts, readable
from finmon.settings import load_settings
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


def _alerts_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("alert", "customer", "name", "list", "reference", "listed as", "score", "status")
    for row in rows:
        table.add_row(
            *cells(row, "alert_id", "customer_id", "customer_name"),
            f"{row['list']} {row['list_version']}",
            *cells(row, "reference", "designation_name"),
            f"{row['score']:.3f}",
            row["status"],
        )
    return table


@rows_command(alerts_app, "list", ALERT_COLUMNS, _alerts_table)
def alerts_list(
    ctx: typer.Context,
    status: Annotated[
        str, typer.Option(help="open (awaiting a decision), decided, or all.")
    ] = "open",
    *,
    output: Path | None,
) -> Listing:
    """Alerts, oldest first."""
    if status not in alerts.STATUS_FILTERS:
        choices = ", ".join(alerts.STATUS_FILTERS)
        raise InputError(f"unknown --status {status!r}; use one of {choices}")
    rows = [row.to_dict() for row in alerts.list_alerts(actor_name(ctx), status)]
    return rows, count_note(len(rows), "alerts", output, status)


@alerts_app.command("show")
def alerts_show(
    ctx: typer.Context,
    alert_id: AlertId,
    output: JsonOutputOption = None,
    json: JsonFlag = False,
    lang: LangOption = None,
) -> None:
    """One alert: both sides, why it matched and its decisions, in sentences (times in
    FINMON_TIME_ZONE); --json or --output: the alert with its full explanation as JSON."""
    actor = actor_name(ctx)
    row, explanation = alerts.get_alert(actor, alert_id)
    if json or output is not None:
        emit_document({**row.to_dict(), "explanation": explanation}, output, f"alert {alert_id}")
        return
    language = chosen_language(lang)
    case = alerts.alert_case(actor, alert_id)
    found = {
        "alert": row.to_dict(),
        "explanation": explanation,
        "decisions": case.decisions,
        "freeze_id": case.freeze_id,
    }
    zone = zone_named(load_settings().time_zone)
    for line in readable.alert_lines(language, found, zone):
        out.print(line, markup=False, highlight=False)


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


step_commands(
    alerts_app,
    "alert_id",
    AlertId,
    Step(
        "withdraw",
        "Take back your own confirmed hit while it awaits approval (nobody else can).",
        alerts.withdraw,
        "proposal withdrawn; alert {id} is {result} again",
        reason="Why the proposal is taken back.",
    ),
    Step(
        "approve",
        "Approve a confirmed hit as the second person: the customer's accounts are frozen.",
        alerts.approve,
        "alert {id} confirmed; freeze order {result} is in force",
    ),
)
