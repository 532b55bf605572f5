"""Where a `finmon` command's result goes: the console streams (stdout that never cuts a table
in a pipe, stderr for messages and progress), and the writers of rows and documents to files."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from rich.console import Console
from rich.measure import Measurement
from rich.progress import Progress, ProgressColumn
from rich.table import Table

from finmon.cli.options import ResultFormat
from finmon.exports import SafeDictWriter

if TYPE_CHECKING:
    from finmon.screening.problems import ProblemLog


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


def print_problems(log: ProblemLog, shown: int = 5) -> None:
    """The first problems on stderr, and where all of them were written."""
    for problem in log.first[:shown]:
        err.print(f"problem: {problem}", markup=False)
    if log.count > shown:
        err.print(f"... and {log.count - shown} more", markup=False)
    if log.count and log.path is not None:
        err.print(f"problems written to {log.path}", markup=False)


def report_skipped(skipped: list[str], shown: int = 20) -> None:
    """Each transfer or message of a file that could not be read, on stderr (the first shown);
    then exit 10 (ROW_PROBLEMS_EXIT), so that a script knows, when there was any."""
    import typer

    from finmon.errors import ROW_PROBLEMS_EXIT

    for skip in skipped[:shown]:
        err.print(f"not read: {skip}", markup=False)
    if len(skipped) > shown:
        err.print(f"... and {len(skipped) - shown} more not read", markup=False)
    if skipped:
        raise typer.Exit(ROW_PROBLEMS_EXIT)


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


def write_json(output: Path, document: Any) -> None:
    """One JSON document to a file, indented, as UTF-8."""
    output.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, indent=2, default=str)
    output.write_text(text + "\n", encoding="utf-8")


def hand_over(output: Path, document: Any, said: str) -> None:
    """Write a JSON document that goes to someone else, and say on stdout what went where."""
    write_json(output, document)
    out.print(f"{said} written to {output}", markup=False)


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


def count_note(count: int, what: str, output: Path | None, status: str) -> str:
    """How many rows went out: with the file they were written to, or the --status listed."""
    where = f"written to {output}" if output is not None else f"({status})"
    return f"{count} {what} {where}"


def monitoring_alerts_table(rows: list[dict[str, Any]], title: str | None = None) -> Table:
    """Monitoring alerts as `finmon cases show` and `finmon transactions alerts` draw them."""
    table = Table(
        "alert", "account", "rule", "typology", "score", "when", "transactions", title=title
    )
    for row in rows:
        table.add_row(
            str(row["alert_id"]),
            row["account"],
            row["rule"],
            row["typology"],
            f"{row['score']:.3f}",
            row["window_start"][:19],
            ", ".join(row["transaction_ids"]),
        )
    return table


def cells(row: dict[str, Any], *keys: str) -> list[str]:
    """The row's values under these keys as a table's cells: as text, and empty for none."""
    return ["" if row[key] is None else str(row[key]) for key in keys]
