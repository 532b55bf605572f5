"""The `finmon demo` command: the main job end to end on generated customers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from finmon.cli.common import (
    actor_name,
    app,
)
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
    from finmon.demo import run_demo

    run_demo(output or load_settings().home / "demo", customers, actor_name(ctx))
