"""The `finmon monitor` command: monitoring rules over a transaction file."""

from __future__ import annotations

from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from finmon.cli.common import acting, app
from finmon.cli.options import (
    AccountsOption,
    MasterOption,
    OutputOption,
    RulesOption,
    TransactionFormatOption,
    TransactionsArgument,
    TransfersStrictOption,
)
from finmon.cli.output import err, out, report_skipped, write_monitoring_alerts
from finmon.errors import InputError
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.monitoring.triage import Model
    from finmon.services.monitoring import MonitoringRun


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
        help="Keep the alerts in the store, for `finmon cases open` (audited).",
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
TriageOption = Annotated[
    Path | None,
    typer.Option(
        help="A triage model (finmon triage train): add to every alert `triage`, the chance "
        "0..1 that an analyst confirms it, with its top reasons, and list the likeliest first."
    ),
]
MinTriageOption = Annotated[
    str | None,
    typer.Option(
        metavar="X",
        help="With --triage, keep only the alerts whose triage is at or above X (0..1); "
        "`model` for the threshold chosen at training. Without it no alert is left out: the "
        "model orders work, it never closes an alert.",
    ),
]


@app.command("monitor")
def monitor_command(
    ctx: typer.Context,
    file: TransactionsArgument,
    format: TransactionFormatOption = None,
    rules: RulesOption = None,
    accounts: AccountsOption = None,
    rates: PackRatesOption = None,
    engine: Annotated[
        str,
        typer.Option(
            help="batch (polars), stream, or spark (the batch engine per bucket of accounts on "
            "Apache Spark: pip install 'finmon\\[spark]')."
        ),
    ] = "batch",
    master: MasterOption = None,
    output: OutputOption = None,
    store: StoreOption = False,
    threshold_report: ThresholdReportOption = None,
    schema: SchemaOption = None,
    triage: TriageOption = None,
    min_triage: MinTriageOption = None,
    strict: TransfersStrictOption = False,
) -> None:
    """Run monitoring rules over a transaction file: one alert per rule, account and window;
    then each account's typology score against the pack's review threshold."""
    actor = acting(ctx, Action.IMPORT_CUSTOMERS if store else Action.SCREEN)
    from finmon.services.monitoring import keep_alerts, plan_monitoring

    model = _triage_model(triage, min_triage)
    if threshold_report is not None and schema is None:
        raise InputError("--threshold-report needs --schema (the FIU's XSD)")
    if threshold_report is not None:
        from finmon.reports.entity import load_profile

        load_profile()  # refused before the run, not after it: who reports is not configured
    plan = plan_monitoring(
        file,
        format=format,
        rules=rules,
        accounts=accounts,
        rates=rates,
        engine=engine,
        listed_from_store=True,
        master=master,
        strict=strict,
    )
    with err.status(plan.describe()):
        run = plan.run()
    shown = run.rows if model is None else _triaged(run, model, min_triage)
    if output is None:
        _print_alerts(shown)
    else:
        write_monitoring_alerts(output, shown)
    if threshold_report is not None and schema is not None:
        _report_thresholds(run, threshold_report, schema)
    if store:
        new = keep_alerts(run, actor=actor, source=file.name)
        err.print(f"{new:,} new alerts kept in the store ({len(run.rows) - new:,} kept before)")
    _print_counts(run)
    report_skipped(plan.skipped)


def _triage_model(path: Path | None, minimum: str | None) -> Model | None:
    if path is None:
        if minimum is not None:
            raise InputError("--min-triage needs --triage MODEL")
        return None
    from finmon.services.triage import load_triage

    model = load_triage(path)
    _minimum(model, minimum)
    return model


def _minimum(model: Model, given: str | None) -> float | None:
    """--min-triage as a number: the model's threshold when given without a value."""
    if given is None:
        return None
    if given == "model":
        return model.threshold
    with suppress(ValueError):
        if 0.0 <= (value := float(given)) <= 1.0:
            return value
    raise InputError(f"--min-triage {given!r}: a number from 0 to 1")


def _triaged(run: MonitoringRun, model: Model, given: str | None) -> list[dict[str, Any]]:
    from finmon.services.triage import at_least, triage_alerts

    triage_alerts(run, model)
    minimum = _minimum(model, given)
    if minimum is None:
        return run.rows
    kept = at_least(run.rows, minimum)
    err.print(
        f"{len(kept):,} of {len(run.rows):,} alerts at or above triage {minimum:.3f} shown "
        "(--min-triage); the others stay open",
        markup=False,
    )
    return kept


def _print_alerts(rows: list[dict[str, Any]]) -> None:
    triaged = bool(rows) and "triage" in rows[0]
    shown = Table("alert", "account", "rule", "window", "transactions")
    if triaged:
        shown.add_column("triage")
        shown.add_column("reasons")
    for row in rows:
        cells = [
            str(row["alert_id"]),
            row["account"],
            row["rule"],
            f"{row['window_start'][:16]} .. {row['window_end'][:16]}",
            str(len(row["transaction_ids"])),
        ]
        if triaged:
            cells += [f"{row['triage']:.3f}", row["triage_reasons"]]
        shown.add_row(*cells)
    out.print(shown)


def _report_thresholds(run: MonitoringRun, path: Path, schema: Path) -> None:
    from finmon.services.monitoring import write_threshold_report

    written = write_threshold_report(run, path, schema)
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
