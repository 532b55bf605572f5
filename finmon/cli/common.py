"""What every `finmon` command shares: the app, its error mapping, the acting user,
the console streams, common options and file writers."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.progress import Progress, ProgressColumn
from rich.table import Table
from typer.core import TyperGroup

from finmon.errors import FinmonError, InputError
from finmon.exports import SafeDictWriter
from finmon.hygiene import is_text, printable
from finmon.settings import load_settings
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.screening.problems import ProblemLog


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


TransactionsArgument = Annotated[
    Path, typer.Argument(help="Transactions in any format check-payment reads.")
]
TransactionFormatOption = Annotated[
    str | None,
    typer.Option("--format", help="csv, parquet, pacs008, mt103 or amlsim (default: guessed)"),
]


class ResultFormat(StrEnum):
    """How a command prints its result on stdout."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


FormatOption = Annotated[
    ResultFormat,
    typer.Option("--format", help="How to print the result: table, json or csv."),
]
OutputOption = Annotated[
    Path | None, typer.Option(help="Write the result to this .csv or .json (default: print it).")
]
JsonOutputOption = Annotated[
    Path | None, typer.Option(help="Write the result to this .json (default: print it).")
]


class _Stdout(Console):
    """stdout. Off a terminal (a pipe, a file) a table is as wide as its longest values, so no
    value is ever cut or wrapped for the 80 columns rich assumes there."""

    def print(self, *objects: Any, **kwargs: Any) -> None:
        """Print as rich does, widening the console for tables when not on a terminal."""
        tables = [o for o in objects if isinstance(o, Table)]
        if not tables or self.is_terminal:
            super().print(*objects, **kwargs)
            return
        wide = self.options.update_width(1 << 20)
        needed = max(Measurement.get(self, wide, table).maximum for table in tables)
        width = self._width
        self.width = max(self.width, needed)
        try:
            super().print(*objects, **kwargs)
        finally:
            self._width = width


out = _Stdout(highlight=False, soft_wrap=True)


err = Console(stderr=True, highlight=False, soft_wrap=True)


def progress_bar(*columns: ProgressColumn | str) -> Progress:
    """A progress bar on stderr, shown only on a terminal and gone when the work is done."""
    return Progress(*columns, console=err, transient=True, disable=not err.is_terminal)


def count_newlines(path: Path) -> int:
    """How many lines a text file has, read in blocks (for a progress bar's total)."""
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


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


def _print_version(value: bool) -> None:
    if value:
        from finmon import __version__

        out.print(f"finmon {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    actor: Annotated[
        str | None, typer.Option(help="Who is acting, for the audit log (default: FINMON_ACTOR).")
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = {"actor": actor or load_settings().actor}


def command_group(name: str, help: str, parent: typer.Typer | None = None) -> typer.Typer:
    """The command group `finmon NAME` (or under parent); called bare, it shows its help."""
    group = typer.Typer(help=help, no_args_is_help=True)
    (parent or app).add_typer(group, name=name)
    return group


def actor_name(ctx: typer.Context) -> str:
    root = ctx.find_root()
    return str((root.obj or {}).get("actor") or load_settings().actor)


def acting(ctx: typer.Context, action: Action) -> str:
    """The actor, allowed the action by `finmon.services.access.authorize` (the same check as
    the API's and the web's): once the store has accounts, `--actor` names an active account
    whose role allows it; a store with no account is a personal installation where anyone acts
    but nobody approves as a second person."""
    from finmon.services.access import authorize

    return authorize(actor_name(ctx), action).name


def print_problems(log: ProblemLog, shown: int = 5) -> None:
    """The first problems on stderr, and where all of them were written."""
    for problem in log.first[:shown]:
        err.print(f"problem: {problem}", markup=False)
    if log.count > shown:
        err.print(f"... and {log.count - shown} more", markup=False)
    if log.count and log.path is not None:
        err.print(f"problems written to {log.path}", markup=False)


def require_files(paths: Iterable[Path]) -> None:
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file")


def check_output(output: Path | None) -> None:
    """Refuse an output file that is neither .csv nor .json, before any work is done."""
    if output is not None and output.suffix.lower() not in (".csv", ".json"):
        raise InputError(f"{output}: the output must end in .csv or .json")


def check_json_output(output: Path | None) -> None:
    """Refuse an output file that is not .json, before any work is done."""
    if output is not None and output.suffix.lower() != ".json":
        raise InputError(f"{output}: the output must end in .json")


def write_rows(output: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """Rows to a .json file (a list of objects) or a .csv file in the given columns."""
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".json":
        output.write_text(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        write_csv(handle, [{k: _cell(v) for k, v in row.items()} for row in rows], columns)


def write_monitoring_alerts(output: Path, rows: list[dict[str, Any]]) -> None:
    """Monitoring alerts as JSON, or as CSV in ALERT_COLUMNS (ids joined by ';', evidence as
    JSON), the contract of `finmon monitor` and `finmon transactions alerts`."""
    from finmon.services.monitoring import ALERT_COLUMNS

    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".json":
        output.write_text(json.dumps(rows, ensure_ascii=False, indent=2), encoding="utf-8")
        return
    # A triage model's columns (finmon monitor --triage) follow the contract's.
    extra = [c for c in ("triage", "triage_reasons") if rows and c in rows[0]]
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeDictWriter(handle, fieldnames=[*ALERT_COLUMNS, *extra], extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    **row,
                    "transaction_ids": ";".join(row["transaction_ids"]),
                    "evidence": json.dumps(row["evidence"], ensure_ascii=False),
                }
            )


class TextOutput:
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


def check_document_format(format: ResultFormat) -> None:
    """Refuse --format csv for a command whose result is one nested document."""
    if format is ResultFormat.CSV:
        raise InputError("--format csv: this result is one document; use json or table")


def write_json(output: Path, document: Any) -> None:
    """One JSON document to a file, indented, as UTF-8."""
    output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    output.write_text(text + "\n", encoding="utf-8")


def emit_document(document: Any, output: Path | None, what: str) -> None:
    """One JSON document to `output` (saying so on stderr), or on stdout when there is none."""
    if output is None:
        print_json(document)
        return
    write_json(output, document)
    err.print(f"{what} written to {output}", markup=False)


def print_json(document: Any) -> None:
    """One JSON document on stdout (coloured on a terminal, plain in a pipe)."""
    out.print_json(json.dumps(document, ensure_ascii=False, default=str))


def write_csv(handle: TextIO, rows: list[dict[str, Any]], columns: list[str]) -> None:
    """Rows as CSV in the given columns (others left out), guarded against spreadsheet formulas."""
    writer = SafeDictWriter(handle, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)


def print_rows(
    rows: list[dict[str, Any]],
    columns: list[str],
    format: ResultFormat,
    table: Callable[[list[dict[str, Any]]], Table],
) -> bool:
    """Rows on stdout as --format asks: a JSON list, CSV in the given columns, or the table
    the command draws; returns False when the command prints a table (so it can add notes)."""
    if format is ResultFormat.JSON:
        print_json(rows)
    elif format is ResultFormat.CSV:
        write_csv(sys.stdout, [{k: _cell(v) for k, v in row.items()} for row in rows], columns)
    else:
        out.print(table(rows))
        return False
    return True


def emit_rows(
    rows: list[dict[str, Any]],
    columns: list[str],
    *,
    output: Path | None,
    format: ResultFormat,
    table: Callable[[list[dict[str, Any]]], Table],
) -> bool:
    """Rows to --output (.csv or .json) when given, else on stdout as --format asks; returns
    True when they went out in a machine format."""
    if output is not None:
        write_rows(output, rows, columns)
        return True
    return print_rows(rows, columns, format, table)


def _cell(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ";".join(str(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value
