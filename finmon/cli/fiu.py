"""The `finmon fiu` commands: the financial intelligence unit's side (docs/fiu.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from finmon.cli.common import (
    FormatOption,
    OutputOption,
    ResultFormat,
    actor_name,
    app,
    check_output,
    emit_rows,
    out,
)

fiu_app = typer.Typer(help="The FIU's side: reports in, subjects, the national list out.")

app.add_typer(fiu_app, name="fiu")


# Issue 20, part 5 (the national list out): entities' receipt keys and the receipts' clock.


@fiu_app.command("entity-key")
def fiu_entity_key(
    ctx: typer.Context,
    entity: Annotated[str, typer.Argument(help="The reporting entity's BIN.")],
    key: Annotated[Path, typer.Option("--key", help="The entity's Ed25519 public key (PEM).")],
) -> None:
    """Register (or replace) the public key an entity's list-feed receipts are verified against."""
    from finmon.services import feed

    ident, changed = feed.register_entity_key(actor_name(ctx), entity, key)
    said = "registered" if changed else "already registered"
    out.print(f"Entity {entity}: receipt key {ident} {said}.", markup=False)


@fiu_app.command("receipts")
def fiu_receipts(
    ctx: typer.Context,
    version: Annotated[
        int | None, typer.Option(help="The feed version (default: the latest).", min=1)
    ] = None,
    source: Annotated[str, typer.Option(help="The feed's list.")] = "afm",
    output: OutputOption = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """Which entities applied a feed version and when: hours from publication to application,
    and those that have not applied it within 24 hours (overdue) or applied it late."""
    from finmon.services import feed

    check_output(output)
    number, rows = feed.receipt_report(actor_name(ctx), source=source, version=version)
    if emit_rows(rows, feed.RECEIPT_COLUMNS, output=output, format=format, table=_receipts_table):
        return
    behind = [row["entity_bin"] for row in rows if row["status"] in ("overdue", "late")]
    if behind:
        out.print(f"Not applied within 24 hours of publication: {', '.join(behind)}.", markup=False)
    elif not rows:
        out.print(f"{source} feed version {number}: no entity registered yet.", markup=False)


def _receipts_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("entity", "version", "published", "applied", "hours", "status", "alerts")
    for row in rows:
        table.add_row(
            row["entity_bin"],
            str(row["feed_version"]),
            row["published_at"][:19].replace("T", " "),
            row["applied_at"][:19].replace("T", " ") if row["applied_at"] else "-",
            f"{row['hours_to_apply']:.2f}" if row["hours_to_apply"] is not None else "-",
            row["status"],
            "-" if row["alerts"] is None else str(row["alerts"]),
        )
    return table
