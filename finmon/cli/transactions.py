"""The `finmon transactions` commands: transfers stored, screened and checked; their alerts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from finmon.cli.common import acting, command_group
from finmon.cli.options import (
    FormatOption,
    OutputOption,
    ResultFormat,
    TransactionFormatOption,
    TransfersStrictOption,
)
from finmon.cli.output import (
    err,
    monitoring_alerts_table,
    out,
    print_rows,
    report_skipped,
    write_monitoring_alerts,
)
from finmon.errors import InputError
from finmon.workflow.access import Action

transactions_app = command_group("transactions", "Payments and transfers: load, alerts.")


@transactions_app.command("load")
def transactions_load(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Transactions in any format check-payment reads.")],
    format: TransactionFormatOption = None,
    rates: Annotated[
        Path | None, typer.Option(help="Exchange rates CSV for the R.16 threshold.")
    ] = None,
    strict: TransfersStrictOption = False,
) -> None:
    """Store every transfer of a file, screen its named parties and check its R.16 information;
    what fails is raised as a monitoring alert (`finmon transactions alerts`). One write: all of
    what can be read, or nothing. A transfer that cannot be read is skipped and named; exit 10
    when any was (2 with --strict: the file refused)."""
    actor = acting(ctx, Action.IMPORT_CUSTOMERS)
    from finmon.services.monitoring import load_transactions
    from finmon.transactions.wire import Rates

    for path in (file, rates):
        if path is not None and not path.is_file():
            raise InputError(f"{path}: no such file")
    table = Rates.read(rates) if rates is not None else None
    result = load_transactions(actor, file, format=format, rates=table, strict=strict)
    by_rule = ", ".join(f"{rule} {count}" for rule, count in sorted(result.alerts.items()))
    out.print(
        f"Loaded {result.transactions:,} transactions from {file.name}: {result.inserted:,} new, "
        f"{result.unchanged:,} already loaded; {sum(result.alerts.values()):,} alerts"
        + (f" ({by_rule})" if by_rule else "")
        + f"; {result.held:,} transfers held for review"
        + (
            f"; {result.cleared:,} hits on cleared counterparties raised nothing (audited)."
            if result.cleared
            else "."
        ),
        markup=False,
        highlight=False,
    )
    if not result.screened:
        err.print("warning: no list is loaded, so no party was screened", markup=False)
    report_skipped(result.skipped)


@transactions_app.command("alerts")
def transactions_alerts(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="open (in no case yet), in_case, or all.")] = "open",
    output: OutputOption = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """Monitoring alerts: alert_id, account, rule, typology, score, window_start, window_end,
    transaction_ids, evidence."""
    actor = acting(ctx, Action.READ)
    from finmon.services.cases import monitoring_alerts
    from finmon.services.monitoring import ALERT_COLUMNS

    if status not in ("open", "in_case", "all"):
        raise InputError(f"--status {status!r}: use open, in_case or all")
    rows = monitoring_alerts(actor, status)
    if output is not None:
        write_monitoring_alerts(output, rows)
        err.print(f"{len(rows)} alerts written to {output}", markup=False)
        return
    print_rows(rows, list(ALERT_COLUMNS), format, monitoring_alerts_table)
