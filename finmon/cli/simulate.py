"""The `finmon simulate` command: months of a simulated customer base's payments, with labelled
terrorist-financing typologies planted among ordinary look-alikes (docs/simulate.md)."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from finmon.cli.common import app
from finmon.cli.output import out, progress_bar
from finmon.errors import InputError

if TYPE_CHECKING:
    from finmon.simulate import Summary as SimulationSummary


SHOW_PROGRESS_AFTER = 1.0
"""Seconds of work before the progress bar appears: a quick run prints only its summary."""


@app.command("simulate")
def simulate_command(
    output: Annotated[Path, typer.Option(help="Folder for transactions.csv and accounts.csv.")],
    customers: Annotated[int, typer.Option(help="Private customers (persons).")] = 5000,
    months: Annotated[int, typer.Option(help="Months of activity.")] = 3,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same files.")] = 1,
    start: Annotated[str, typer.Option(help="First day, YYYY-MM-DD.")] = "2026-01-01",
    planted: Annotated[
        int | None, typer.Option(help="Planted instances of each typology (default 20).")
    ] = None,
    background: Annotated[
        str,
        typer.Option(
            help="Ordinary activity: standard, or randomised (other behaviours, their "
            "parameters drawn per seed)."
        ),
    ] = "standard",
) -> None:
    """Simulate a Kazakhstan customer base's payments with planted, labelled terrorist-financing
    typologies among ordinary look-alikes: to test monitoring rules before switching them on."""
    from finmon.simulate import STAGES, TYPOLOGIES, Settings, simulate, summarise, write

    settings = Settings(
        seed=seed, customers=customers, months=months, start=_date(start), background=background
    )
    if planted is not None:
        settings.planted = dict.fromkeys(TYPOLOGIES, planted)
    with _Stages(len(STAGES) + 1) as stage:
        simulation = simulate(settings, on_stage=stage)
        stage("writing")
        written = write(simulation, output)
    _print_summary(summarise(simulation))
    for path in written:
        out.print(f"wrote {path}", markup=False)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--start {text!r} is not a date (YYYY-MM-DD)") from None


class _Stages:
    """A progress bar on stderr over the stages of a run, shown once a run has taken more than
    a second, and only on a terminal; calling it starts the next stage."""

    def __init__(self, total: int) -> None:
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
        self.bar = progress_bar(*columns, TimeElapsedColumn())
        self.task = self.bar.add_task("simulating", total=total)
        self.begun = time.perf_counter()
        self.shown = False

    def __call__(self, stage: str) -> None:
        if not self.shown and time.perf_counter() - self.begun > SHOW_PROGRESS_AFTER:
            self.bar.start()
            self.shown = True
        self.bar.update(self.task, advance=1, description=stage)

    def __enter__(self) -> _Stages:
        return self

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


def _print_summary(summary: SimulationSummary) -> None:
    accounts = Table("kind", "accounts", title="Accounts at home, and abroad")
    for kind, count in summary.accounts.items():
        accounts.add_row(kind, f"{count:,}")
    accounts.add_row("foreign counterparties", f"{summary.foreign_accounts:,}")
    accounts.add_row("listed persons", f"{summary.listed:,}")
    out.print(accounts)
    planted = Table(
        "typology", "instances", "accounts labelled", "transfers labelled", title="Planted"
    )
    for typology, (instances, labelled, transfers) in summary.planted.items():
        planted.add_row(typology, str(instances), str(labelled), f"{transfers:,}")
    out.print(planted)
    labelled = sum(transfers for _i, _a, transfers in summary.planted.values())
    out.print(f"transactions: {summary.transactions:,} ({labelled:,} planted)", markup=False)
