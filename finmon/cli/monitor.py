"""The `finmon monitor` command: monitoring rules over a transaction file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from finmon.cli.common import (
    TransactionFormatOption,
    TransactionsArgument,
    acting,
    app,
    check_output,
    err,
    out,
    write_monitoring_alerts,
)
from finmon.errors import InputError
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.services.monitoring import MonitoringRun


RulesOption = Annotated[
    Path | None, typer.Option(help="A YAML rules pack (default: the shipped TF pack).")
]
AccountsOption = Annotated[
    Path | None,
    typer.Option(
        help="Accounts CSV: account, segment (retail, business, npo ...), listed (true for "
        "accounts of listed or frozen parties)."
    ),
]
PackRatesOption = Annotated[
    Path | None,
    typer.Option(
        help="Exchange rates CSV `currency,<pack currency>` (default: the pack's indicative rates)."
    ),
]
StoreOption = Annotated[
    bool,
    typer.Option(
        "--store",
        help="Keep the alerts in the store, for `finmon cases open` (audited); the accounts "
        "under a freeze in the store count as listed.",
    ),
]
ThresholdReportOption = Annotated[
    Path | None,
    typer.Option(
        help="Write the threshold transactions found (Article 4) as one goAML threshold "
        "report to this .xml, validated against --schema."
    ),
]
SchemaOption = Annotated[
    Path | None, typer.Option(help="The FIU's goAML XSD, for --threshold-report.")
]
PersonOption = Annotated[
    str | None,
    typer.Option(help="The reporting officer, SURNAME GIVEN, for --threshold-report."),
]


@app.command("monitor")
def monitor_command(
    ctx: typer.Context,
    file: TransactionsArgument,
    format: TransactionFormatOption = None,
    rules: RulesOption = None,
    accounts: AccountsOption = None,
    rates: PackRatesOption = None,
    engine: Annotated[str, typer.Option(help="batch (polars) or stream.")] = "batch",
    output: Annotated[
        Path | None, typer.Option(help="Write the alerts to this .csv or .json.")
    ] = None,
    store: StoreOption = False,
    threshold_report: ThresholdReportOption = None,
    schema: SchemaOption = None,
    reporting_person: PersonOption = None,
) -> None:
    """Run monitoring rules over a transaction file: one alert per rule, account and window;
    then each account's typology score against the pack's review threshold."""
    actor = acting(ctx, Action.IMPORT_CUSTOMERS if store else Action.SCREEN)
    from finmon.services.monitoring import keep_alerts, plan_monitoring

    check_output(output)
    if threshold_report is not None and (schema is None or not reporting_person):
        raise InputError("--threshold-report needs --schema (the FIU's XSD) and --reporting-person")
    plan = plan_monitoring(
        file,
        format=format,
        rules=rules,
        accounts=accounts,
        rates=rates,
        engine=engine,
        with_freezes=store,
    )
    with err.status(plan.describe()):
        run = plan.run()
    if output is None:
        _print_alerts(run.rows)
    else:
        write_monitoring_alerts(output, run.rows)
    if threshold_report is not None and schema is not None and reporting_person:
        _report_thresholds(run, threshold_report, schema, reporting_person)
    if store:
        new = keep_alerts(run, actor=actor, source=file.name)
        err.print(f"{new:,} new alerts kept in the store ({len(run.rows) - new:,} kept before)")
    _print_counts(run)


def _print_alerts(rows: list[dict[str, Any]]) -> None:
    shown = Table("alert", "account", "rule", "window", "transactions")
    for row in rows:
        shown.add_row(
            str(row["alert_id"]),
            row["account"],
            row["rule"],
            f"{row['window_start'][:16]} .. {row['window_end'][:16]}",
            str(len(row["transaction_ids"])),
        )
    out.print(shown)


def _report_thresholds(run: MonitoringRun, path: Path, schema: Path, person: str) -> None:
    from finmon.services.monitoring import write_threshold_report

    written = write_threshold_report(run, path, schema, person)
    if written is None:
        err.print("no threshold transactions: no threshold report written", markup=False)
        return
    err.print(
        f"threshold report {written.reference}: {written.transactions} transactions, written to "
        f"{path} (valid against {schema.name})",
        markup=False,
    )


def _print_counts(run: MonitoringRun) -> None:
    pack, suspicion, scores = run.pack, run.suspicion, run.scores
    err.print(
        f"{len(run.transactions):,} transactions, {len(pack.rules)} rules ({run.engine}): "
        f"{len(suspicion):,} alerts on {len(scores):,} accounts, {run.to_review:,} at or above the "
        f"review threshold {pack.review_threshold:g}; {run.reportable:,} threshold transactions "
        "to report",
        markup=False,
    )
