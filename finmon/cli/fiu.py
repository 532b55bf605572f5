"""The `finmon fiu` commands: the FIU's side (docs/fiu.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from finmon.cli.common import (
    FormatOption,
    ResultFormat,
    actor_name,
    app,
    check_output,
    emit_document,
    emit_rows,
    err,
    out,
)
from finmon.services import fiu_subjects

fiu_app = typer.Typer(
    help="The FIU's side: received reports, subjects across them, judgements.",
    no_args_is_help=True,
)


app.add_typer(fiu_app, name="fiu")


# --- issue 20, subjects across reports (entity resolution) -------------------------------------

JUDGEMENT_COLUMNS = [
    "id", "a", "b", "a_mention", "b_mention", "verdict", "reason", "judged_by", "judged_at",
    "reversed_by", "reversed_at", "reverse_reason",
]  # fmt: skip


@fiu_app.command("subjects")
def fiu_subjects_command(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option(help="Write the subjects to this .csv or .json file.")
    ] = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """Every subject across the received reports: its names, identifiers, reports, entities."""
    check_output(output)
    resolution = fiu_subjects.subjects(actor_name(ctx))
    rows = fiu_subjects.subject_rows(resolution)
    columns = fiu_subjects.SUBJECT_COLUMNS
    emit_rows(rows, columns, output=output, format=format, table=_subjects_table)
    mentions = len(resolution.subject_of)
    where = f" written to {output}" if output else ""
    err.print(f"{len(rows)} subjects from {mentions} mentions{where}", markup=False)
    for note in resolution.notes:
        err.print(note, markup=False)


def _subjects_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("subject", "kind", "name", "names", "identifiers", "reports", "entities")
    for row in rows:
        table.add_row(
            row["subject_id"], row["kind"], row["name"], str(len(row["names"])),
            ", ".join(row["identifiers"][:3]), str(len(row["reports"])), str(len(row["entities"])),
        )  # fmt: skip
    return table


@fiu_app.command("subject")
def fiu_subject_command(
    ctx: typer.Context,
    subject_id: Annotated[str, typer.Argument(help="A subject id (S-...) or a mention id.")],
    output: Annotated[Path | None, typer.Option(help="Write the subject to this .json.")] = None,
) -> None:
    """One subject as JSON: its mentions, every link with its reasons, the judgements on it."""
    view = fiu_subjects.subject(actor_name(ctx), subject_id)
    s = view.subject
    document = {
        "subject_id": s.subject_id,
        "kind": s.kind,
        "name": s.name,
        "names": list(s.names),
        "identifiers": [{"kind": i.kind, "value": i.value} for i in s.identifiers],
        "reports": list(s.reports),
        "entities": list(s.entities),
        "mentions": list(s.mentions),
        "first_seen": s.first_seen,
        "last_seen": s.last_seen,
        "links": [
            {"a": x.a, "b": x.b, "score": x.score, "joined": x.joined, "reasons": list(x.reasons)}
            for x in view.links
        ],
        "judgements": [row.to_dict() for row in view.judgements],
    }
    emit_document(document, output, f"subject {s.subject_id}")


@fiu_app.command("judge")
def fiu_judge_command(
    ctx: typer.Context,
    a: Annotated[str, typer.Argument(help="A mention id or a subject id (S-...).")],
    b: Annotated[str, typer.Argument(help="Another mention or subject.")],
    verdict: Annotated[str, typer.Argument(help="same, not_same or unsure.")],
    reason: Annotated[str, typer.Option(help="Why (kept with the judgement and audited).")],
) -> None:
    """Judge two mentions or subjects the same, not the same, or unsure; resolution follows it."""
    row = fiu_subjects.judge(actor_name(ctx), a, b, verdict, reason)
    out.print(f"judgement {row.id}: {row.a} {row.verdict} {row.b}", markup=False)


@fiu_app.command("unjudge")
def fiu_unjudge_command(
    ctx: typer.Context,
    judgement_id: Annotated[int, typer.Argument(help="The judgement's number.")],
    reason: Annotated[str, typer.Option(help="Why it is reversed (audited).")],
) -> None:
    """Reverse a judgement: it stays on record, and resolution no longer follows it."""
    row = fiu_subjects.unjudge(actor_name(ctx), judgement_id, reason)
    out.print(f"judgement {row.id} reversed by {row.reversed_by}", markup=False)


@fiu_app.command("judgements")
def fiu_judgements_command(
    ctx: typer.Context,
    every: Annotated[bool, typer.Option("--all", help="Reversed judgements too.")] = False,
    output: Annotated[
        Path | None, typer.Option(help="Write the judgements to this .csv or .json file.")
    ] = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """The analysts' judgements in force (--all: reversed ones too), oldest first."""
    check_output(output)
    rows = [row.to_dict() for row in fiu_subjects.judgements(actor_name(ctx), every)]
    emit_rows(rows, JUDGEMENT_COLUMNS, output=output, format=format, table=_judgements_table)
    err.print(f"{len(rows)} judgements", markup=False)


def _judgements_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("id", "a", "verdict", "b", "by", "at", "reason", "reversed")
    for row in rows:
        table.add_row(
            str(row["id"]), row["a"], row["verdict"], row["b"], row["judged_by"],
            f"{row['judged_at']:%Y-%m-%d %H:%M}", row["reason"], row["reversed_by"] or "",
        )  # fmt: skip
    return table
