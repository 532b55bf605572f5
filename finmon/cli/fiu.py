"""The `finmon fiu` commands: the FIU's side (docs/fiu.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from finmon.cli.common import (
    FormatOption,
    JsonOutputOption,
    ResultFormat,
    actor_name,
    app,
    check_json_output,
    check_output,
    emit_document,
    emit_rows,
    err,
    require_files,
)
from finmon.services import fiu_intake

fiu_app = typer.Typer(
    help="The FIU: reporting entities, reports received, subjects and networks.",
    no_args_is_help=True,
)
app.add_typer(fiu_app, name="fiu")


# --- FIU part 1: reporting entities and intake

entities_app = typer.Typer(help="Reporting entities registered with the FIU.", no_args_is_help=True)
fiu_app.add_typer(entities_app, name="entities")


@entities_app.command("add")
def entities_add(
    ctx: typer.Context,
    bin: Annotated[str, typer.Option("--bin", help="The entity's BIN (12 digits).")],
    goaml_id: Annotated[
        int, typer.Option("--goaml-id", help="The rentity_id the FIU assigned it for goAML.")
    ],
    name: Annotated[str, typer.Option(help="The entity's name.")],
    kind: Annotated[str, typer.Option(help="bank, mfo, pawnshop, mto, notary, npo or other.")],
    contact: Annotated[str, typer.Option(help="Who to contact there, and how.")] = "",
    feed_key: Annotated[
        str | None,
        typer.Option(
            "--feed-key", help="Fingerprint of the key its finmon signs list receipts with."
        ),
    ] = None,
) -> None:
    """Register a reporting entity: only registered entities' reports are accepted."""
    entity = fiu_intake.register_entity(
        actor_name(ctx),
        bin=bin,
        goaml_id=goaml_id,
        name=name,
        kind=kind,
        contact=contact,
        feed_key=feed_key,
    )
    err.print(
        f"registered {entity.name} (BIN {entity.bin}, goAML id {entity.goaml_id})", markup=False
    )


@entities_app.command("list")
def entities_list(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option(help="Write the entities to this .csv or .json file.")
    ] = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """Every registered reporting entity, by BIN."""
    check_output(output)
    rows = [e.to_dict() for e in fiu_intake.list_entities(actor_name(ctx))]
    emit_rows(rows, fiu_intake.ENTITY_COLUMNS, output=output, format=format, table=_entities_table)
    err.print(f"{len(rows)} reporting entities", markup=False)


def _entities_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("BIN", "goAML id", "name", "kind", "contact", "active", "registered")
    for row in rows:
        table.add_row(
            row["bin"],
            str(row["goaml_id"]),
            row["name"],
            row["kind"],
            row["contact"],
            "yes" if row["active"] else "no",
            row["registered_at"][:19],
        )
    return table


@fiu_app.command("intake")
def fiu_intake_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="goAML XML reports.")],
    output: Annotated[
        Path | None,
        typer.Option(help="Write the acknowledgements to this .csv or .json file."),
    ] = None,
    schema: Annotated[
        Path | None,
        typer.Option(help="The FIU's goAML XSD (default: FINMON_FIU_SCHEMA)."),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(help="The goAML configuration that patches it (default: the Kazakhstan one)."),
    ] = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """Receive goAML reports: each is accepted, or rejected with every reason (line and element).
    Exit code 2 when any is rejected."""
    check_output(output)
    require_files(files)
    acks = fiu_intake.intake_files(actor_name(ctx), files, schema=schema, config=config)
    rows = [ack.to_dict() for ack in acks]
    emit_rows(rows, fiu_intake.ACK_COLUMNS, output=output, format=format, table=_acks_table)
    rejected = sum(1 for ack in acks if ack.status == "rejected")
    err.print(f"{len(acks) - rejected} accepted, {rejected} rejected", markup=False)
    if rejected:
        raise typer.Exit(2)


def _acks_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("file", "status", "report", "entity", "reference", "version", "reasons")
    for row in rows:
        table.add_row(
            row["file"],
            row["status"],
            row["report"] or "",
            row["entity_bin"] or "",
            row["entity_reference"] or "",
            str(row["version"] or ""),
            Text("\n".join(row["reasons"])),
        )
    return table


@fiu_app.command("reports")
def fiu_reports(
    ctx: typer.Context,
    status: Annotated[
        str, typer.Option(help="all, current (accepted, not replaced), accepted or rejected.")
    ] = "all",
    output: Annotated[
        Path | None, typer.Option(help="Write the reports to this .csv or .json file.")
    ] = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """Reports received, newest first."""
    check_output(output)
    rows = [r.to_dict() for r in fiu_intake.list_reports(actor_name(ctx), status)]
    emit_rows(rows, fiu_intake.REPORT_COLUMNS, output=output, format=format, table=_reports_table)
    err.print(f"{len(rows)} reports ({status})", markup=False)


def _reports_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("id", "key", "status", "entity", "reference", "code", "version", "received")
    for row in rows:
        table.add_row(
            str(row["id"]),
            row["key"],
            row["status"] + (" (replaced)" if row["replaced_by"] else ""),
            row["entity_bin"] or "",
            row["entity_reference"] or "",
            row["report_code"] or "",
            str(row["version"] or ""),
            row["received_at"][:19],
        )
    return table


@fiu_app.command("report")
def fiu_report(
    ctx: typer.Context,
    report: Annotated[str, typer.Argument(help="The report's key or id.")],
    output: JsonOutputOption = None,
) -> None:
    """One received report with its parties (mentions), transfers and indicators, as JSON."""
    check_json_output(output)
    detail = fiu_intake.get_report(actor_name(ctx), report)
    emit_document(fiu_intake.report_document(detail), output, f"report {detail.row.key}")
