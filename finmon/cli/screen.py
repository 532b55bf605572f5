"""The `finmon screen` command: a customer file screened against every loaded list."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from finmon.cli.common import (
    ProblemsOption,
    StrictOption,
    acting,
    app,
    err,
    out,
    print_problems,
    require_files,
)
from finmon.errors import ROW_PROBLEMS_EXIT, InputError
from finmon.exports import SafeDictWriter
from finmon.screening import DEFAULT_THRESHOLD
from finmon.settings import load_settings
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.model import Party
    from finmon.screening import Hit, Screener
    from finmon.screening.problems import ProblemLog
    from finmon.screening.rows import Problem, Report


HIT_COLUMNS = [
    "id",
    "query_name",
    "score",
    "list",
    "list_version",
    "reference",
    "designation_name",
    "matched_name",
    "explanation",
]


@app.command("screen")
def screen(
    ctx: typer.Context,
    input: Annotated[Path, typer.Argument(help="Customer file: .csv, .xlsx, .jsonl or .parquet.")],
    output: Annotated[
        Path | None, typer.Option(help="Write hits to this .csv or .jsonl (default: print them).")
    ] = None,
    threshold: Annotated[
        float | None,
        typer.Option(min=0.0, max=1.0, help="Alert threshold 0..1 (default: the screener's)."),
    ] = None,
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding of a CSV/JSONL file, e.g. cp1251.")
    ] = None,
    problems: ProblemsOption = None,
    strict: StrictOption = False,
) -> None:
    """Screen every row of a customer file against all loaded lists.

    A row's unreadable values are left out and the row screened on the rest (a row with no name
    is skipped); each is written to the problems file. Exit 0: done, no problem; 10: done, with
    row problems; 2: the file was refused (unreadable, or --strict and a problem)."""
    acting(ctx, Action.SCREEN)
    from finmon.screening.problems import ProblemLog, problems_path
    from finmon.screening.screener import heap_frozen
    from finmon.store.screener import load_screener

    require_files([input])
    _check_hits_output(output)
    started = time.perf_counter()
    _check_input(input, encoding)
    screener = load_screener()
    ready = time.perf_counter()
    where = problems_path(input, output, problems)
    asked = output is not None or problems is not None
    with ProblemLog(None if strict else where, always=asked) as log, heap_frozen():
        summary = run_screening(
            input,
            output,
            screener,
            threshold=threshold,
            encoding=encoding,
            problems=log,
            strict=strict,
        )
    summary.seconds = time.perf_counter() - ready
    summary.setup_seconds = ready - started
    _print_summary(summary, output, log)
    if log.count:
        raise typer.Exit(ROW_PROBLEMS_EXIT)


@dataclass(slots=True)
class Summary:
    """Counts of one screening run."""

    rows: int = 0
    hits: int = 0
    alerted: int = 0
    seconds: float = 0.0
    """Time spent screening the rows."""
    setup_seconds: float = 0.0
    """Time spent getting the lists ready before the first row."""
    problems: int = 0
    """Problems of the file's rows (values left out, rows skipped)."""

    @property
    def alert_rate(self) -> float:
        """Share of rows with at least one hit."""
        return self.alerted / self.rows if self.rows else 0.0


def run_screening(
    input: Path,
    output: Path | None,
    screener: Screener,
    *,
    threshold: float | None = None,
    encoding: str | None = None,
    on_hits: Callable[[Party, list[Hit]], None] | None = None,
    problems: Report | None = None,
    strict: bool = False,
) -> Summary:
    """Screen a customer file and write (or print) one row per hit; returns the counts.

    Each problem of a row goes to problems (and is counted); strict refuses the file at the
    first, leaving no output."""
    from finmon.screening.inputs import read_parties

    floor = DEFAULT_THRESHOLD if threshold is None else threshold
    summary, printed = Summary(), list[dict[str, Any]]()

    def count(problem: Problem) -> None:
        summary.problems += 1
        if problems is not None:
            problems(problem)

    parties = _counted(read_parties(input, encoding, count, strict=strict), summary)
    sink = _Sink(output) if output is not None else nullcontext(printed.extend)
    with sink as write, _ScreeningProgress(input) as advance:
        workers = load_settings().workers
        for party, hits in screener.screen_many(parties, threshold=threshold, workers=workers):
            hits = [hit for hit in hits if hit.score >= floor]
            summary.hits += len(hits)
            summary.alerted += bool(hits)
            write([hit_row(party, hit) for hit in hits])
            if on_hits is not None:
                on_hits(party, hits)
            advance()
    if output is None:
        _print_hits(printed)
    return summary


def hit_row(party: Party, hit: Hit) -> dict[str, Any]:
    """One output row for one hit, in HIT_COLUMNS order."""
    return {"id": party.id, **hit.to_dict()}


def _check_input(input: Path, encoding: str | None) -> None:
    # Read the header and first row before the screener is built, so bad files fail at once.
    from finmon.screening.inputs import read_parties

    next(read_parties(input, encoding), None)


def _check_hits_output(output: Path | None) -> None:
    if output is not None and output.suffix.lower() not in (".csv", ".jsonl"):
        raise InputError(f"{output}: the output must end in .csv or .jsonl")


def _counted(parties: Iterator[Party], summary: Summary) -> Iterator[Party]:
    for party in parties:
        summary.rows += 1
        yield party


class _Sink:
    """Writes hit rows to a CSV or JSONL file as they come."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.jsonl = path.suffix.lower() == ".jsonl"
        self.writer = SafeDictWriter(self.handle, fieldnames=HIT_COLUMNS)
        if not self.jsonl:
            self.writer.writeheader()

    def __call__(self, rows: list[dict[str, Any]]) -> None:
        for row in rows:
            if self.jsonl:
                self.handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            else:
                self.writer.writerow({**row, "explanation": _json(row["explanation"])})

    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.handle.close()
        if kind is not None:
            # Bad input half-way: leave no partial hits file that could pass for a complete one.
            self.path.unlink(missing_ok=True)


class _ScreeningProgress:
    """A progress bar on stderr, shown only on a terminal; calling it counts one row."""

    def __init__(self, input: Path) -> None:
        columns = (
            SpinnerColumn(),
            TextColumn("screening"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        self.bar = Progress(*columns, console=err, transient=True, disable=not err.is_terminal)
        self.task = self.bar.add_task("screening", total=_estimate_rows(input))

    def __enter__(self) -> Callable[[], None]:
        self.bar.start()
        return lambda: self.bar.advance(self.task)

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


def _estimate_rows(path: Path) -> int | None:
    if path.suffix.lower() not in (".csv", ".tsv", ".txt", ".jsonl", ".ndjson"):
        return None
    with path.open("rb") as handle:
        lines = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    return max(lines - (0 if path.suffix.lower() in (".jsonl", ".ndjson") else 1), 1)


def _print_hits(rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    table = Table("id", "query name", "score", "list", "reference", "listed as", "matched name")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["query_name"],
            f"{row['score']:.3f}",
            f"{row['list']} {row['list_version']}",
            row["reference"],
            row["designation_name"],
            row["matched_name"],
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


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
