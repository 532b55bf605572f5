"""The `finmon` commands for payments: `finmon check-payment`."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from finmon.cli import app, err, out
from finmon.errors import InputError
from finmon.screening import DEFAULT_THRESHOLD

DECISION_COLUMNS = ("transaction_id", "decision", "reasons", "hits", "missing_information")


@app.command("check-payment")
def check_payment_command(
    file: Annotated[
        Path, typer.Argument(help="Payments: canonical .csv/.parquet, pacs.008 .xml or MT103.")
    ],
    format: Annotated[
        str | None,
        typer.Option("--format", help="csv, parquet, pacs008, mt103 or amlsim (default: guessed)"),
    ] = None,
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
    and the originator and beneficiary information checked as FATF R.16 asks."""
    from finmon.store.screener import load_screener
    from finmon.transactions.payments import check_payments
    from finmon.transactions.reader import read_transactions
    from finmon.transactions.wire import Rates

    for path in (file, rates):
        if path is not None and not path.is_file():
            raise InputError(f"{path}: no such file")
    if output is not None and output.suffix.lower() not in (".csv", ".jsonl"):
        raise InputError(f"{output}: the output must end in .csv or .jsonl")
    transactions = read_transactions(file, format)
    table = Rates.read(rates) if rates is not None else None
    screener = load_screener()
    decisions = [d.to_dict() for d in check_payments(transactions, screener, table, threshold)]
    held = sum(1 for d in decisions if d["decision"] == "hold")
    if output is not None:
        _write(output, decisions)
    else:
        shown = Table("payment", "decision", "reasons")
        for decision in decisions:
            shown.add_row(
                decision["transaction_id"], decision["decision"], "\n".join(decision["reasons"])
            )
        out.print(shown)
    err.print(f"{len(decisions)} payments checked: {held} held, {len(decisions) - held} allowed")


def _write(path: Path, decisions: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        if path.suffix.lower() == ".jsonl":
            for decision in decisions:
                handle.write(json.dumps(decision, ensure_ascii=False, default=str) + "\n")
            return
        writer = csv.DictWriter(handle, fieldnames=DECISION_COLUMNS)
        writer.writeheader()
        for decision in decisions:
            wire = decision["wire_transfer_information"]
            assert isinstance(wire, dict)
            hits = decision["hits"]
            assert isinstance(hits, list)
            reasons = decision["reasons"]
            assert isinstance(reasons, list)
            writer.writerow(
                {
                    "transaction_id": decision["transaction_id"],
                    "decision": decision["decision"],
                    "reasons": "; ".join(reasons),
                    "hits": len(hits),
                    "missing_information": "; ".join(
                        f"{m['side']}: {m['detail']}" for m in wire["missing"]
                    ),
                }
            )
