"""The `finmon` command line: a thin front door over the lists, screening and store services."""

from __future__ import annotations

import csv
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from typer.core import TyperGroup

from finmon.errors import ROW_PROBLEMS_EXIT, FinmonError, Forbidden, InputError
from finmon.exports import SafeDictWriter
from finmon.hygiene import is_text, printable
from finmon.settings import load_settings
from finmon.workflow.access import SECOND_PERSON, Action, check_allowed

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
FORMATS = ("un-xml", "afm-xml", "ofac-csv", "ftm-json", "csv")

ProblemsOption = Annotated[
    Path | None,
    typer.Option(
        "--problems",
        help="Write the rows' problems (row, column, value, problem, action) to this .csv "
        "(default: <output stem>.problems.csv beside the output, or beside the input).",
    ),
]
StrictOption = Annotated[
    bool,
    typer.Option(
        "--strict",
        help="Refuse the whole file at its first problem (default: leave out what cannot be "
        "read, skip a row with no name, and write every problem to the problems file).",
    ),
]

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


class FinmonGroup(TyperGroup):
    """Maps every FinmonError (and OS-level file errors) to one line on stderr and its exit code."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Note the first argument that is not text (a name of bytes that are not UTF-8, read
        with surrogates): it is refused in `invoke`, before any command sees it."""
        for position, arg in enumerate(args, start=1):
            if not is_text(arg):
                ctx.meta["finmon.not_text"] = InputError(
                    f"argument {position} ('{printable(arg)}') is not UTF-8 text"
                )
                break
        return list(super().parse_args(ctx, args))

    def invoke(self, ctx: Any) -> Any:
        """Run the command; report finmon's errors without a traceback."""
        try:
            if "finmon.not_text" in ctx.meta:
                raise ctx.meta["finmon.not_text"]
            return super().invoke(ctx)
        except FinmonError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            err.print(f"error: {exc.strerror or exc}{where}", markup=False)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=FinmonGroup,
    help="Countering the financing of terrorism: list screening, audit and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)
lists_app = typer.Typer(help="Load, show and fetch sanctions lists.", no_args_is_help=True)
fetch_app = typer.Typer(help="Download a list from its publisher and load it.")
audit_app = typer.Typer(help="Check the tamper-evident audit log.", no_args_is_help=True)
app.add_typer(lists_app, name="lists")
lists_app.add_typer(fetch_app, name="fetch")
app.add_typer(audit_app, name="audit")


@app.callback()
def _global(
    ctx: typer.Context,
    actor: Annotated[
        str | None, typer.Option(help="Who is acting, for the audit log (default: FINMON_ACTOR).")
    ] = None,
) -> None:
    ctx.obj = {"actor": actor or load_settings().actor}


def _actor(ctx: typer.Context) -> str:
    root = ctx.find_root()
    return str((root.obj or {}).get("actor") or load_settings().actor)


def _acting(ctx: typer.Context, action: Action) -> str:
    """The actor, allowed the action: once the store has accounts, `--actor` names an active
    account whose role allows it (the same check as the API's and the web's). A store with no
    account is a personal installation: anyone acts, but nobody approves as a second person."""
    from finmon.store.users import active_principal, has_accounts

    name = _actor(ctx)
    if not has_accounts():
        if action in SECOND_PERSON:
            raise Forbidden(
                f"to {action} takes accounts for both people, and this store has none: "
                "finmon users create NAME --role admin --person STAFF-NUMBER first"
            )
        return name
    who = active_principal(name)
    check_allowed(who.name, who.role, action)
    return who.name


@lists_app.command("load")
def lists_load(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(help="List file(s) of one version.")],
    format: Annotated[
        str | None, typer.Option("--format", help=f"One of {', '.join(FORMATS)}.")
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            help="Source name, e.g. un, afm, ofac. A FollowTheMoney file is filed under each "
            "entity's datasets unless a source is given."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option(help="Load even an older or much smaller version.")
    ] = False,
    include_non_targets: Annotated[
        bool,
        typer.Option(
            "--include-non-targets",
            help="FollowTheMoney: make parties marked target: false designations too.",
        ),
    ] = False,
) -> None:
    """Parse list files and make them the current version of their source (of each dataset, for
    a FollowTheMoney file mixing datasets)."""
    actor = _acting(ctx, Action.LOAD_LISTS)
    from finmon.lists import read_lists
    from finmon.store import load_lists

    _require_files(paths)
    if format is not None and format not in FORMATS:
        raise InputError(f"unknown list format {format!r}; use one of {', '.join(FORMATS)}")
    read = read_lists(paths, format=format, source=source, include_non_targets=include_non_targets)
    workers = load_settings().workers
    for result in load_lists(read.versions, actor=actor, force=force, workers=workers):
        _report_load(result)
    out.print(f"Read: {read.summary}.")


@lists_app.command("show")
def lists_show(
    ctx: typer.Context,
    all_versions: Annotated[
        bool, typer.Option("--all", help="Show every version ever loaded, not just current ones.")
    ] = False,
) -> None:
    """Show the loaded list versions."""
    _acting(ctx, Action.READ)
    from finmon.store import list_versions

    versions = list_versions(all_versions=all_versions)
    if not versions:
        out.print("No list loaded yet: use `finmon lists load FILE` or `finmon lists fetch un`.")
        return
    table = Table("source", "version", "published", "loaded", "designations")
    for v in versions:
        published = v.published_at.strftime("%Y-%m-%d %H:%M") if v.published_at else "-"
        loaded = f"{v.loaded_at:%Y-%m-%d %H:%M} by {v.loaded_by}"
        label = v.version if v.is_current else f"{v.version} (replaced)"
        table.add_row(v.source, label, published, loaded, str(v.designation_count))
    out.print(table)


@fetch_app.command("un")
def fetch_un_command(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option(help="Load even an older or smaller version.")] = False,
) -> None:
    """Download the UN Security Council Consolidated List, check it parses, and load it."""
    actor = _acting(ctx, Action.LOAD_LISTS)
    from finmon.lists.fetch import fetch_and_parse_un
    from finmon.store import load_list

    err.print(f"downloading {load_settings().un_list_url} ...", markup=False)
    parsed = fetch_and_parse_un()
    _report_load(
        load_list(
            parsed,
            actor=actor,
            force=force,
            workers=load_settings().workers,
        )
    )


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
    _acting(ctx, Action.SCREEN)
    from finmon.screening.problems import ProblemLog, problems_path
    from finmon.screening.screener import heap_frozen
    from finmon.store.screener import load_screener

    _require_files([input])
    _check_output(output)
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


@app.command("compare")
def compare(
    name1: Annotated[str | None, typer.Argument(help="First name.")] = None,
    name2: Annotated[str | None, typer.Argument(help="Second name.")] = None,
    pairs: Annotated[
        Path | None, typer.Option(help="CSV with name1,name2 columns (others are kept).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Where --pairs writes its scores (default: stdout).")
    ] = None,
    schema: Annotated[
        str | None, typer.Option(help="Kind of names: Person, Organization, ...")
    ] = None,
    encoding: Annotated[str | None, typer.Option(help="Encoding of the --pairs file.")] = None,
) -> None:
    """Score how likely two names belong to the same party, and explain the score."""
    from finmon.model import Schema
    from finmon.screening import compare_names

    if pairs is not None:
        _require_files([pairs])
        compare_pairs(pairs, output, encoding)
        return
    if not name1 or not name2:
        raise InputError("give two names, or --pairs FILE.csv")
    result = compare_names(name1, name2, Schema.parse(schema))
    out.print(f"score: {result.score:.4f}")
    out.print_json(json.dumps(result.explanation, ensure_ascii=False, default=str))


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

    run_demo(output or load_settings().home / "demo", customers, _actor(ctx))


@audit_app.command("verify")
def audit_verify(ctx: typer.Context) -> None:
    """Check the audit log's chain, key and checkpoints; exit 0 only when nothing is wrong."""
    _acting(ctx, Action.AUDIT)
    from finmon.store import verify_audit

    report = verify_audit()
    if report.ok:
        checkpoint = f", checkpoint at row {report.checkpoint_row}" if report.checkpoint_row else ""
        out.print(f"audit log intact: {report.rows} rows, head {report.head}{checkpoint}")
        return
    for problem in report.problems:
        err.print(f"audit log BROKEN ({problem.kind}): {problem.message}", markup=False)
    raise typer.Exit(1)


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
    from finmon.screening import DEFAULT_THRESHOLD
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


def compare_pairs(pairs: Path, output: Path | None, encoding: str | None) -> None:
    """Score every name1,name2 row of a CSV and write it back with score and match columns."""
    from finmon.model import Schema
    from finmon.screening import DEFAULT_THRESHOLD, compare_names
    from finmon.screening.inputs import decoded_lines, normalise_column

    reader = csv.DictReader(decoded_lines(pairs, encoding))
    fields = list(reader.fieldnames or [])
    found = {normalise_column(name): name for name in fields}
    if "name1" not in found or "name2" not in found:
        raise InputError(f"{pairs}: needs name1 and name2 columns; found: {', '.join(fields)}")
    with _TextOutput(output) as handle:
        writer = SafeDictWriter(handle, fieldnames=[*fields, "score", "match"])
        writer.writeheader()
        for row in reader:
            schema = Schema.parse(row.get(found.get("schema", ""), ""))
            result = compare_names(row[found["name1"]] or "", row[found["name2"]] or "", schema)
            match = "true" if result.score >= DEFAULT_THRESHOLD else "false"
            writer.writerow({**row, "score": f"{result.score:.4f}", "match": match})


def print_problems(log: ProblemLog, shown: int = 5) -> None:
    """The first problems on stderr, and where all of them were written."""
    for problem in log.first[:shown]:
        err.print(f"problem: {problem}", markup=False)
    if log.count > shown:
        err.print(f"... and {log.count - shown} more", markup=False)
    if log.count and log.path is not None:
        err.print(f"problems written to {log.path}", markup=False)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="finmon")


# The workflow commands (customers, alerts, freezes, lists diff) and the API's (users, serve)
# register themselves on `app`.
from finmon import (  # noqa: E402, F401
    cli_api,
    cli_cases,
    cli_simulate,
    cli_transactions,
    cli_travel,
    cli_workflow,
)


def _report_load(result: Any) -> None:
    if not result.loaded:
        out.print(
            f"{result.source} list version {result.version} is already loaded "
            f"({result.designation_count} designations); nothing changed."
        )
        return
    replaced = f", replacing {result.previous_version}" if result.previous_version else ""
    out.print(
        f"Loaded {result.source} list version {result.version}: "
        f"{result.designation_count} designations{replaced}."
    )
    for reason in result.overridden:
        err.print(f"warning: loaded despite: {reason}", markup=False)
    changes = result.changes
    out.print(
        f"Changes: {changes['added']} added, {changes['removed']} removed, "
        f"{changes['amended']} amended."
    )
    done = result.rescreen
    if done is not None:
        out.print(
            f"Re-screened the customer base for {done.designations} new or amended designations: "
            f"{done.candidates} customers checked, {done.alerts} alerts raised, "
            f"{done.reviews} freezes put up for release review."
            + (f" {done.withdrawn} alerts withdrawn by delistings." if done.withdrawn else "")
        )


def _require_files(paths: Iterable[Path]) -> None:
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file")


def _check_input(input: Path, encoding: str | None) -> None:
    # Read the header and first row before the screener is built, so bad files fail at once.
    from finmon.screening.inputs import read_parties

    next(read_parties(input, encoding), None)


def _check_output(output: Path | None) -> None:
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


class _TextOutput:
    """stdout, or a UTF-8 file, for CSV writing."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.handle: TextIO = sys.stdout

    def __enter__(self) -> TextIO:
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = self.path.open("w", encoding="utf-8", newline="")
        return self.handle

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        if self.path is not None:
            self.handle.close()
            if kind is not None:
                self.path.unlink(missing_ok=True)


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
