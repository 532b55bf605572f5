"""The `finmon screen` command: a customer file screened against every loaded list."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from finmon.cli.common import ENDING, acting, app, require_files
from finmon.cli.options import (
    CustomerFileArgument,
    EncodingOption,
    MasterOption,
    ProblemsOption,
    StrictOption,
)
from finmon.cli.output import cells, count_newlines, err, out, print_problems, progress_bar
from finmon.errors import ROW_PROBLEMS_EXIT, InputError
from finmon.services.screening import Summary, run_screening
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.screening.problems import ProblemLog


HitsOutputOption = Annotated[
    Path | None,
    typer.Option(help="Write hits to this .csv, .jsonl or .parquet (default: print them)."),
]
EngineOption = Annotated[
    str,
    typer.Option(
        help="local (this machine's cores) or spark (a .csv or .parquet file on Apache Spark: "
        "pip install 'finmon\\[spark]'; row problems are counted, not written)."
    ),
]

ChangesOption = Annotated[
    bool,
    typer.Option(
        "--changes",
        help="Screen only against what the latest load of each list added or amended in matching "
        "data (as `finmon lists diff` shows it): a list change's re-screening of customers kept "
        "outside finmon's store, on this machine or on Spark.",
    ),
]


@app.command("screen")
def screen(
    ctx: typer.Context,
    input: CustomerFileArgument,
    output: HitsOutputOption = None,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Alert threshold 0..1 (default: the screener's)."),
    ] = None,
    encoding: EncodingOption = None,
    problems: ProblemsOption = None,
    strict: StrictOption = False,
    engine: EngineOption = "local",
    master: MasterOption = None,
    changes: ChangesOption = False,
) -> None:
    """Screen every row of a customer file against all loaded lists.

    A row's unreadable values are left out and the row screened on the rest (a row with no name
    is skipped); each is written to the problems file. Exit 0: done, no problem; 10: done, with
    row problems; 2: the file was refused (unreadable, or --strict and a problem)."""
    actor = acting(ctx, Action.SCREEN)
    from finmon.screening.problems import ProblemLog, problems_path
    from finmon.screening.screener import heap_frozen, read_frozen
    from finmon.services.screeners import load_change_screener, load_screener

    require_files([input])
    _check_hits_output(output)
    _check_engine(engine, strict)
    started = time.perf_counter()
    _check_input(input, encoding)
    with heap_frozen():
        screener = read_frozen(lambda: (load_change_screener if changes else load_screener)(actor))
        ENDING.keep(screener)
        ready = time.perf_counter()
        if engine == "spark":
            _screen_on_spark(input, output, screener, threshold, encoding, master, started, ready)
            return
        where = problems_path(input, output, problems)
        asked = output is not None or problems is not None
        with (
            ProblemLog(None if strict else where, always=asked) as log,
            ScreeningProgress(input) as advance,
        ):
            summary = run_screening(
                input,
                output,
                screener,
                threshold=threshold,
                encoding=encoding,
                problems=log,
                strict=strict,
                on_row=advance,
            )
    if output is None:
        _print_hits(summary.kept)
    summary.seconds = time.perf_counter() - ready
    summary.setup_seconds = ready - started
    _print_summary(summary, output, log)
    if log.count:
        raise typer.Exit(ROW_PROBLEMS_EXIT)


def _screen_on_spark(
    input: Path,
    output: Path | None,
    screener: Any,
    threshold: float | None,
    encoding: str | None,
    master: str | None,
    started: float,
    ready: float,
) -> None:
    from finmon.screening.problems import ProblemLog
    from finmon.services.scale import spark_screening

    summary = spark_screening(
        input, output, screener, threshold=threshold, encoding=encoding, master=master
    )
    if output is None:
        _print_hits(summary.kept)
    summary.seconds = time.perf_counter() - ready
    summary.setup_seconds = ready - started
    with ProblemLog(None) as log:
        _print_summary(summary, output, log)
    if summary.problems:
        raise typer.Exit(ROW_PROBLEMS_EXIT)


def _check_engine(engine: str, strict: bool) -> None:
    from finmon.services.scale import ENGINES

    if engine not in ENGINES or (strict and engine == "spark"):
        raise InputError(f"--engine {engine!r}: use local or spark (spark without --strict)")


def _check_input(input: Path, encoding: str | None) -> None:
    # Read the header and first row before the screener is built, so bad files fail at once.
    from finmon.screening.inputs import read_parties

    next(read_parties(input, encoding), None)


def _check_hits_output(output: Path | None) -> None:
    if output is not None and output.suffix.lower() not in (".csv", ".jsonl", ".parquet"):
        raise InputError(f"{output}: the output must end in .csv, .jsonl or .parquet")


class ScreeningProgress:
    """A progress bar on stderr, shown only on a terminal; calling it counts one row."""

    def __init__(self, input: Path) -> None:
        columns = (
            SpinnerColumn(),
            TextColumn("screening"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        self.bar = progress_bar(*columns)
        self.task = self.bar.add_task("screening", total=_estimate_rows(input))

    def __enter__(self) -> Callable[[], None]:
        self.bar.start()
        return lambda: self.bar.advance(self.task)

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


def _estimate_rows(path: Path) -> int | None:
    if path.suffix.lower() not in (".csv", ".tsv", ".txt", ".jsonl", ".ndjson"):
        return None
    lines = count_newlines(path)
    return max(lines - (0 if path.suffix.lower() in (".jsonl", ".ndjson") else 1), 1)


def _print_hits(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    table = Table("id", "query name", "score", "list", "reference", "listed as", "matched name")
    for row in rows:
        table.add_row(
            *cells(row, "id", "query_name"),
            f"{row['score']:.3f}",
            f"{row['list']} {row['list_version']}",
            *cells(row, "reference", "designation_name", "matched_name"),
        )
    out.print(table)


def _print_summary(summary: Summary, output: Path | None, log: ProblemLog) -> None:
    rate = f"{summary.alert_rate:.2%}"
    speed = summary.rows / summary.seconds if summary.seconds else 0.0
    err.print(
        f"screened {summary.rows} rows: {summary.hits} hits, {summary.alerted} rows alerted "
        f"(alert rate {rate}) in {summary.seconds:.1f} s ({speed:,.0f} rows/s; "
        f"lists ready in {summary.setup_seconds:.1f} s); {summary.problems} problems "
        f"({log.skipped} rows skipped)",
        markup=False,
    )
    print_problems(log)
    if output is not None:
        err.print(f"hits written to {output}", markup=False)
