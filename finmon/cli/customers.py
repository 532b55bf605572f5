"""The `finmon customers` commands: the customer registry, imported and looked up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TextColumn,
    TimeElapsedColumn,
)

from finmon.cli.commands import Document, document_command
from finmon.cli.common import acting, actor_name, command_group
from finmon.cli.options import (
    CustomerFileArgument,
    EncodingOption,
    ProblemsOption,
    StrictOption,
)
from finmon.cli.output import count_newlines, out, print_problems, progress_bar
from finmon.errors import ROW_PROBLEMS_EXIT
from finmon.services import customers
from finmon.settings import load_settings
from finmon.workflow.access import Action

customers_app = command_group("customers", "The customer registry: import and look up.")


@customers_app.command("import")
def customers_import(
    ctx: typer.Context,
    file: CustomerFileArgument,
    encoding: EncodingOption = None,
    problems: ProblemsOption = None,
    strict: StrictOption = False,
) -> None:
    """Upsert customers by id (history kept), then screen the new and changed ones at once.

    A row's unreadable values are left out and the row imported with the rest; a row with no
    name or id is skipped; each is written to the problems file. Exit 0: done, no problem; 10:
    done, with row problems; 2: the file was refused (unreadable, or --strict and a problem)."""
    acting(ctx, Action.IMPORT_CUSTOMERS)  # refused before the file is opened
    from finmon.screening.problems import ProblemLog, problems_path

    where = None if strict else problems_path(file, None, problems)
    with (
        ProblemLog(where, always=problems is not None, keep_on_error=True) as log,
        _Progress("importing", _count_lines(file)) as advance,
    ):
        result = customers.import_customers(
            actor_name(ctx),
            file,
            encoding=encoding,
            workers=load_settings().workers,
            progress=advance,
            problems=log,
            strict=strict,
        )
    out.print(
        f"Imported {file}: {result.inserted} new, {result.updated} changed, "
        f"{result.unchanged} unchanged, {result.skipped} rejected; "
        f"screened {result.screened}, {result.alerts} alerts raised; "
        f"{result.problems} problems."
    )
    print_problems(log)
    if log.count:
        raise typer.Exit(ROW_PROBLEMS_EXIT)


@customers_app.command("reindex")
def customers_reindex(ctx: typer.Context) -> None:
    """Rebuild the stored customer index if an upgrade of finmon changed how names are indexed.

    The next import or list load does it by itself; running it first keeps that load fast."""
    count = customers.reindex_customers(actor_name(ctx), workers=load_settings().workers)
    if count:
        out.print(f"customer index rebuilt for {count} customers")
    else:
        out.print("customer index is current; nothing to do")


@document_command(customers_app, "show")
def customers_show(
    ctx: typer.Context, customer_id: Annotated[str, typer.Argument(help="Customer id.")]
) -> Document:
    """A customer's current record and every earlier version, as JSON."""
    return f"customer {customer_id}", customers.customer_history(actor_name(ctx), customer_id)


class _Progress:
    """A progress bar on stderr, shown only on a terminal; called with the count done."""

    def __init__(self, label: str, total: int | None) -> None:
        columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.bar = progress_bar(*columns)
        self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> Any:
        self.bar.start()
        return lambda done: self.bar.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


def _count_lines(path: Path) -> int | None:
    if not path.is_file() or path.suffix.lower() not in (".csv", ".jsonl", ".ndjson", ".txt"):
        return None
    return count_newlines(path)
