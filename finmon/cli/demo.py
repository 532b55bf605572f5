"""The `finmon demo` command: the main job end to end on generated customers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from finmon.cli.common import actor_name, app
from finmon.cli.output import err, out
from finmon.cli.screen import ScreeningProgress
from finmon.settings import load_settings


@app.command("demo")
def demo(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option(help="Folder for the demo's files (default: $FINMON_HOME/demo).")
    ] = None,
    customers: Annotated[int, typer.Option(min=10, help="How many customers to generate.")] = 3000,
) -> None:
    """Run the main job end to end: load a list, generate customers, screen them, show the hits."""
    from finmon.services.demo import run_demo

    folder = output or load_settings().home / "demo"
    run = run_demo(
        folder,
        customers,
        actor_name(ctx),
        say=lambda line: out.print(line, markup=False),
        progress=ScreeningProgress,
    )
    out.print(f"planted listed persons found: {run.found} of {len(run.results)}")
    table = Table("customer", "written as", "listed as", "reference", "score")
    for planted, score in run.results:
        shown = "MISSED" if score is None else f"{score:.3f}"
        table.add_row(
            planted.customer_id, planted.written_as, planted.listed_name, planted.reference, shown
        )
    out.print(table)
    out.print(f"hits written to {run.hits_file}", markup=False)
    if run.found < len(run.results):
        err.print("some planted listed persons were not found", markup=False)
