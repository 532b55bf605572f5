"""The `finmon monitor` command: monitoring rules over a transaction file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from finmon.cli.common import (
    acting,
    app,
    check_alert_output,
    err,
    out,
    write_monitoring_alerts,
)
from finmon.errors import InputError
from finmon.workflow.access import Action

if TYPE_CHECKING:
    pass


@app.command("monitor")
def monitor_command(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Transactions in any format check-payment reads.")],
    format: Annotated[
        str | None,
        typer.Option("--format", help="csv, parquet, pacs008, mt103 or amlsim (default: guessed)"),
    ] = None,
    rules: Annotated[
        Path | None, typer.Option(help="A YAML rules pack (default: the shipped TF pack).")
    ] = None,
    accounts: Annotated[
        Path | None,
        typer.Option(
            help="Accounts CSV: account, segment (retail, business, npo ...), listed (true for "
            "accounts of listed or frozen parties)."
        ),
    ] = None,
    rates: Annotated[
        Path | None,
        typer.Option(
            help="Exchange rates CSV `currency,<pack currency>` (default: the pack's indicative "
            "rates)."
        ),
    ] = None,
    engine: Annotated[str, typer.Option(help="batch (polars) or stream.")] = "batch",
    output: Annotated[
        Path | None, typer.Option(help="Write the alerts to this .csv or .json.")
    ] = None,
    store: Annotated[
        bool,
        typer.Option(
            "--store",
            help="Keep the alerts in the store, for `finmon cases open` (audited); the accounts "
            "under a freeze in the store count as listed.",
        ),
    ] = False,
    threshold_report: Annotated[
        Path | None,
        typer.Option(
            help="Write the threshold transactions found (Article 4) as one goAML threshold "
            "report to this .xml, validated against --schema."
        ),
    ] = None,
    schema: Annotated[
        Path | None, typer.Option(help="The FIU's goAML XSD, for --threshold-report.")
    ] = None,
    reporting_person: Annotated[
        str | None,
        typer.Option(help="The reporting officer, SURNAME GIVEN, for --threshold-report."),
    ] = None,
) -> None:
    """Run monitoring rules over a transaction file: one alert per rule, account and window;
    then each account's typology score against the pack's review threshold."""
    actor = acting(ctx, Action.IMPORT_CUSTOMERS if store else Action.SCREEN)
    from finmon.monitoring.accounts import read_accounts
    from finmon.monitoring.engine import numbered, run_batch, run_stream, typology_scores
    from finmon.monitoring.events import Context
    from finmon.monitoring.rules import load_pack
    from finmon.monitoring.segments import inferred_segments
    from finmon.transactions.reader import read_transactions
    from finmon.transactions.wire import Rates

    if engine not in ("batch", "stream"):
        raise InputError(f"--engine {engine!r}: use batch or stream")
    check_alert_output(output)
    if threshold_report is not None and (schema is None or not reporting_person):
        raise InputError("--threshold-report needs --schema (the FIU's XSD) and --reporting-person")
    pack = load_pack(rules)
    table = read_accounts(accounts) if accounts is not None else None
    given = Rates.read(rates) if rates is not None else None
    if given is not None and given.to != pack.currency:
        raise InputError(f"{rates}: rates into {given.to}; the rules count in {pack.currency}")
    listed = set(table.listed) if table else set()
    if store:
        from finmon.store.freezes import frozen_accounts

        listed |= frozen_accounts()
    transactions = sorted(read_transactions(file, format), key=lambda t: t.timestamp)
    context = Context.of(
        pack,
        segments=inferred_segments(transactions, table.segments if table else None),
        listed=listed,
        rates=given.per_unit if given else None,
    )
    with err.status(f"{engine}: {len(pack.rules)} rules over {len(transactions):,} transfers"):
        found = (run_batch if engine == "batch" else run_stream)(pack.rules, transactions, context)
    rows = numbered(found)
    if output is None:
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
    else:
        write_monitoring_alerts(output, rows)
    if threshold_report is not None:
        # A report converts with the rates given for the day, never the pack's indicative ones.
        _write_threshold_report(
            threshold_report,
            schema,
            reporting_person,
            rows,
            transactions,
            given.per_unit if given else {},
        )
    if store:
        from finmon.store.transactions import store_monitoring_alerts

        new = store_monitoring_alerts(rows, actor=actor, source=file.name)
        err.print(f"{new:,} new alerts kept in the store ({len(rows) - new:,} kept before)")
    suspicion = [row for row in rows if "report" not in row["evidence"]]
    scores = typology_scores(suspicion)
    review = sum(score >= pack.review_threshold for score in scores.values())
    reports = len(rows) - len(suspicion)
    err.print(
        f"{len(transactions):,} transactions, {len(pack.rules)} rules ({engine}): "
        f"{len(suspicion):,} alerts on {len(scores):,} accounts, {review:,} at or above the "
        f"review threshold {pack.review_threshold:g}; {reports:,} threshold transactions to report",
        markup=False,
    )


def _write_threshold_report(
    path: Path,
    schema: Path | None,
    person: str | None,
    rows: list[dict[str, Any]],
    transactions: list[Any],
    rates: Any,
) -> None:
    """One goAML threshold report of the transfers that threshold rules found."""

    from finmon.reports.from_cases import threshold_report
    from finmon.reports.goaml import kz_schema, load_config, write_report
    from finmon.transactions.model import to_record

    assert schema is not None and person is not None
    wanted = {i for row in rows if "report" in row["evidence"] for i in row["transaction_ids"]}
    if not wanted:
        err.print("no threshold transactions: no threshold report written", markup=False)
        return
    config = load_config()
    records = [to_record(t) for t in transactions if t.id in wanted]
    stamp = dt.datetime.now(dt.UTC)
    report = threshold_report(
        records,
        config,
        reference=f"TR-{stamp:%Y%m%d%H%M%S}",
        reporting_person=person,
        rates={code: rate for code, rate in rates.items()},
        now=stamp,
    )
    write_report(report, config, kz_schema(schema, config), path)
    err.print(
        f"threshold report {report.entity_reference}: {len(records)} transactions, written to "
        f"{path} (valid against {schema.name})",
        markup=False,
    )
