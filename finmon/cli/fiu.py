"""The `finmon fiu` commands: the FIU's side (docs/fiu.md).

A thin front door over the finmon.services FIU modules; the acting user is the global --actor.
Each part keeps its commands in one block below.
"""

from __future__ import annotations

import datetime as dt
import secrets
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from finmon.cli.commands import Document, Listing, Rows, document_command, rows_command
from finmon.cli.common import actor_name, command_group, require_files
from finmon.cli.options import (
    DocumentFormatOption,
    FormatOption,
    GoamlConfigOption,
    JsonFileOption,
    OutputOption,
    ResultFormat,
)
from finmon.cli.output import cells, emit_document, emit_rows, err, hand_over, out
from finmon.errors import InputError
from finmon.fiu.exchange import URGENCY, ExchangeSubject, RequestMeta
from finmon.fiu.subject_file import read_document, read_subjects
from finmon.services import banned, fiu_disseminations, fiu_exchange, fiu_intake, fiu_subjects

fiu_app = command_group(
    "fiu",
    "The FIU's side: reporting entities and their reports, subjects, the national list out, "
    "requests between FIUs, banned organisations.",
)


# --- FIU part 1: reporting entities and intake

entities_app = command_group("entities", "Reporting entities registered with the FIU.", fiu_app)


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
    feed_key_file: Annotated[
        Path | None,
        typer.Option(
            "--feed-key-file",
            help="The public key (PEM) its finmon signs list-feed receipts with.",
        ),
    ] = None,
) -> None:
    """Register a reporting entity: only registered entities' reports are accepted, and only
    its registered key's receipts of the national list."""
    entity = fiu_intake.register_entity(
        actor_name(ctx),
        bin=bin,
        goaml_id=goaml_id,
        name=name,
        kind=kind,
        contact=contact,
        feed_key_file=feed_key_file,
    )
    err.print(
        f"registered {entity.name} (BIN {entity.bin}, goAML id {entity.goaml_id})", markup=False
    )


def _entities_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("BIN", "goAML id", "name", "kind", "contact", "active", "registered")
    for row in rows:
        table.add_row(
            *cells(row, "bin", "goaml_id", "name", "kind", "contact"),
            "yes" if row["active"] else "no",
            row["registered_at"][:19],
        )
    return table


@rows_command(entities_app, "list", fiu_intake.ENTITY_COLUMNS, _entities_table)
def entities_list(ctx: typer.Context) -> Listing:
    """Every registered reporting entity, by BIN."""
    rows = [e.to_dict() for e in fiu_intake.list_entities(actor_name(ctx))]
    return rows, f"{len(rows)} reporting entities"


@fiu_app.command("intake")
def fiu_intake_command(
    ctx: typer.Context,
    files: Annotated[list[Path], typer.Argument(help="goAML XML reports.")],
    output: OutputOption = None,
    schema: Annotated[
        Path | None,
        typer.Option(help="The FIU's goAML XSD (default: FINMON_FIU_SCHEMA)."),
    ] = None,
    config: GoamlConfigOption = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """Receive goAML reports: each is accepted, or rejected with every reason (line and element).
    Exit code 2 when any is rejected."""
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
            *cells(row, "file", "status", "report", "entity_bin", "entity_reference", "version"),
            Text("\n".join(row["reasons"])),
        )
    return table


def _reports_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("id", "key", "status", "entity", "reference", "code", "version", "received")
    for row in rows:
        table.add_row(
            *cells(row, "id", "key"),
            row["status"] + (" (replaced)" if row["replaced_by"] else ""),
            *cells(row, "entity_bin", "entity_reference", "report_code", "version"),
            row["received_at"][:19],
        )
    return table


@rows_command(fiu_app, "reports", fiu_intake.REPORT_COLUMNS, _reports_table)
def fiu_reports(
    ctx: typer.Context,
    status: Annotated[
        str, typer.Option(help="all, current (accepted, not replaced), accepted or rejected.")
    ] = "all",
) -> Listing:
    """Reports received, newest first."""
    rows = [r.to_dict() for r in fiu_intake.list_reports(actor_name(ctx), status)]
    return rows, f"{len(rows)} reports ({status})"


@document_command(fiu_app, "report")
def fiu_report(
    ctx: typer.Context, report: Annotated[str, typer.Argument(help="The report's key or id.")]
) -> Document:
    """One received report with its parties (mentions), transfers and indicators, as JSON."""
    detail = fiu_intake.get_report(actor_name(ctx), report)
    return f"report {detail.row.key}", fiu_intake.report_document(detail)


# --- issue 20, subjects across reports (entity resolution) -------------------------------------

JUDGEMENT_COLUMNS = [
    "id", "a", "b", "a_mention", "b_mention", "verdict", "reason", "judged_by", "judged_at",
    "reversed_by", "reversed_at", "reverse_reason",
]  # fmt: skip


def _subjects_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("subject", "kind", "name", "names", "identifiers", "reports", "entities")
    for row in rows:
        table.add_row(
            row["subject_id"], row["kind"], row["name"], str(len(row["names"])),
            ", ".join(row["identifiers"][:3]), str(len(row["reports"])), str(len(row["entities"])),
        )  # fmt: skip
    return table


@rows_command(fiu_app, "subjects", fiu_subjects.SUBJECT_COLUMNS, _subjects_table)
def fiu_subjects_command(ctx: typer.Context, *, output: Path | None) -> Listing:
    """Every subject across the received reports: its names, identifiers, reports, entities."""
    resolution = fiu_subjects.subjects(actor_name(ctx))
    rows = fiu_subjects.subject_rows(resolution)
    where = f" written to {output}" if output else ""
    said = f"{len(rows)} subjects from {len(resolution.subject_of)} mentions{where}"
    return rows, "\n".join([said, *resolution.notes])


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


NETWORK_FORMATS = (".json", ".svg", ".graphml")


@fiu_app.command("network")
def fiu_network(
    ctx: typer.Context,
    subject_id: Annotated[str, typer.Argument(help="A subject's id, or one of its mentions'.")],
    hops: Annotated[int, typer.Option(help="How far to follow links (1 to 4).")] = 2,
    to: Annotated[
        str | None, typer.Option(help="Also list the money paths to this subject.")
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Write the network to this .json, .svg or .graphml file.")
    ] = None,
) -> None:
    """A subject's network within N hops: subjects, accounts, reports and money, each link with
    the reports behind it; as JSON, a picture (SVG) or GraphML for other tools."""
    from finmon.fiu.network import to_graphml, to_json, to_svg

    if output is not None and output.suffix.lower() not in NETWORK_FORMATS:
        raise InputError(f"{output}: the network is written as {', '.join(NETWORK_FORMATS)}")
    found = fiu_subjects.subject_network(actor_name(ctx), subject_id, hops, to)
    wanted, network = found.subject.subject_id, found.network
    kinds = [data["kind"] for _, data in network.nodes(data=True)]
    out.print(
        f"{subject_id}: {kinds.count('subject')} subjects, {kinds.count('account')} accounts, "
        f"{kinds.count('report')} reports within {hops} hops",
        markup=False,
    )
    for path in found.paths:
        out.print(" -> ".join(path), markup=False)
    if to is not None and not found.paths:
        out.print(f"no money path from {subject_id} to {to}", markup=False)
    if output is not None:
        suffix = output.suffix.lower()
        if suffix == ".svg":
            label = found.subject.name
            output.write_text(to_svg(network, title=f"{label} ({wanted})"), encoding="utf-8")
        elif suffix == ".graphml":
            output.write_bytes(to_graphml(network))
        else:
            output.write_text(to_json(network), encoding="utf-8")
        err.print(f"network written to {output}", markup=False)


def _judgements_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("id", "a", "verdict", "b", "by", "at", "reason", "reversed")
    for row in rows:
        table.add_row(
            str(row["id"]), row["a"], row["verdict"], row["b"], row["judged_by"],
            f"{row['judged_at']:%Y-%m-%d %H:%M}", row["reason"], row["reversed_by"] or "",
        )  # fmt: skip
    return table


# --- Requests between FIUs (issue 20, item 6) ----------------------------------------------


@rows_command(fiu_app, "judgements", JUDGEMENT_COLUMNS, _judgements_table)
def fiu_judgements_command(
    ctx: typer.Context,
    every: Annotated[bool, typer.Option("--all", help="Reversed judgements too.")] = False,
) -> Listing:
    """The analysts' judgements in force (--all: reversed ones too), oldest first."""
    rows = [row.to_dict() for row in fiu_subjects.judgements(actor_name(ctx), every)]
    return rows, f"{len(rows)} judgements"


request_app = command_group(
    "request",
    "Requests between FIUs matched on keyed hashes (Ma3tch style); answers by two people.",
    fiu_app,
)

REQUEST_COLUMNS = [
    "request_id",
    "direction",
    "status",
    "requesting_fiu",
    "receiving_fiu",
    "reference",
    "urgency",
    "subjects",
    "matches",
    "created_by",
    "created_at",
]
"""The columns of `finmon fiu request list --format csv`."""

RequestId = Annotated[int, typer.Argument(help="Request id (as `fiu request list` shows it).")]
SubjectsOption = Annotated[
    Path,
    typer.Option(
        "--subjects",
        help="Subjects CSV: subject_id, kind, name, names, identifiers, birth_date.",
    ),
]
KeyFileOption = Annotated[
    Path,
    typer.Option("--key-file", help="The key agreed with the partner FIU (32 bytes or more)."),
]


def _key(path: Path) -> bytes:
    require_files([path])
    return fiu_exchange.read_key(path)


def _subjects(path: Path) -> list[ExchangeSubject]:
    require_files([path])
    subjects, problems = read_subjects(path)
    for problem in problems[:5]:
        err.print(f"problem: {problem}", markup=False)
    if len(problems) > 5:
        err.print(f"... and {len(problems) - 5} more", markup=False)
    return subjects


@request_app.command("create")
def request_create(
    ctx: typer.Context,
    subjects: SubjectsOption,
    to: Annotated[str, typer.Option("--to", help="The partner FIU asked.")],
    key_file: KeyFileOption,
    output: JsonFileOption,
    from_fiu: Annotated[str, typer.Option("--from", help="This FIU, as the partner knows it.")],
    purpose: Annotated[str, typer.Option(help="Why the subjects are asked about.")],
    legal_basis: Annotated[str, typer.Option(help="The law or agreement the request rests on.")],
    reference: Annotated[
        str | None, typer.Option(help="This FIU's reference (default: made up of date and id).")
    ] = None,
    urgency: Annotated[str, typer.Option(help=", ".join(URGENCY) + ".")] = "normal",
) -> None:
    """Hash subjects into a request to a partner FIU: only keyed digests leave, never names."""
    found = _subjects(subjects)
    meta = RequestMeta(
        requesting_fiu=from_fiu,
        receiving_fiu=to,
        reference=reference or _reference(),
        purpose=purpose,
        legal_basis=legal_basis,
        urgency=urgency,
    )
    request_id, document = fiu_exchange.create_request(actor_name(ctx), meta, found, _key(key_file))
    said = f"request {request_id} ({meta.reference}) to {to}: {len(found)} subjects,"
    hand_over(output, document, said)


@request_app.command("receive")
def request_receive(
    ctx: typer.Context,
    request: Annotated[Path, typer.Argument(help="The partner's request (.json).")],
    subjects: Annotated[
        Path | None,
        typer.Option(help="Match against this subjects CSV (default: our resolved subjects)."),
    ] = None,
    key_file: Annotated[
        Path | None, typer.Option(help="The key agreed with the requesting FIU.")
    ] = None,
) -> None:
    """Keep a partner FIU's request and, with --key-file, match it against our subjects (those
    entity resolution finds in the reports, or --subjects)."""
    if subjects is not None and key_file is None:
        raise InputError("--subjects needs --key-file: matching needs the exchange key")
    require_files([request])
    document = read_document(request, "request")
    found = _subjects(subjects) if subjects is not None else None
    key = _key(key_file) if key_file is not None else None
    request_id, matches = fiu_exchange.receive_request(
        actor_name(ctx), document, subjects=found, key=key
    )
    said = "not matched yet" if matches is None else f"{matches} matches"
    out.print(f"request {request_id} received: {said}", markup=False)


@request_app.command("match")
def request_match(
    ctx: typer.Context,
    request_id: RequestId,
    key_file: KeyFileOption,
    subjects: Annotated[
        Path | None,
        typer.Option(
            "--subjects",
            help="Subjects CSV to match against (default: the FIU's own resolved subjects).",
        ),
    ] = None,
) -> None:
    """Match a received request (one that came through the API) against our subjects: those
    entity resolution finds in the received reports, or --subjects."""
    found = _subjects(subjects) if subjects is not None else None
    count = fiu_exchange.match(actor_name(ctx), request_id, found, _key(key_file))
    out.print(f"request {request_id}: {count} matches", markup=False)


@request_app.command("respond")
def request_respond(
    ctx: typer.Context,
    request_id: RequestId,
    draft: Annotated[bool, typer.Option("--draft", help="Draft the answer (needed).")] = False,
    note: Annotated[str, typer.Option(help="What the answer says beside the subjects.")] = "",
) -> None:
    """Draft the answer to a matched request; a second person approves it."""
    if not draft:
        raise InputError("respond --draft: an answer is drafted here and approved by another")
    status = fiu_exchange.draft_response(actor_name(ctx), request_id, note)
    out.print(f"request {request_id}: answer {status}, awaiting a second person", markup=False)


@request_app.command("approve")
def request_approve(ctx: typer.Context, request_id: RequestId) -> None:
    """Approve a drafted answer as the second person."""
    status = fiu_exchange.approve_response(actor_name(ctx), request_id)
    out.print(f"request {request_id}: answer {status}", markup=False)


@request_app.command("answer")
def request_answer(
    ctx: typer.Context,
    request_id: RequestId,
    output: JsonFileOption,
) -> None:
    """Write the approved answer for the requesting FIU (the matching subjects only)."""
    document = fiu_exchange.answer(actor_name(ctx), request_id)
    said = f"request {request_id}: answer with {len(document['matches'])} subjects"
    hand_over(output, document, said)


@request_app.command("read-response")
def request_read_response(
    ctx: typer.Context,
    response: Annotated[Path, typer.Argument(help="The partner's answer (.json).")],
) -> None:
    """Read a partner FIU's answer onto the request we sent: which of our subjects matched."""
    require_files([response])
    request_id, matches = fiu_exchange.read_response(
        actor_name(ctx), read_document(response, "response")
    )
    table = Table("our subject", "basis", "their subject", "name", "birth date", "identifiers")
    for found in matches:
        theirs = found["subject"]
        table.add_row(
            found["subject_id"],
            ", ".join(found["basis"]),
            str(theirs.get("id", "")),
            str(theirs.get("name", "")),
            str(theirs.get("birth_date") or ""),
            "; ".join(f"{i['kind']}:{i['value']}" for i in theirs.get("identifiers") or []),
        )
    out.print(f"request {request_id}: {len(matches)} matches", markup=False)
    if matches:
        out.print(table)


def _requests_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(*REQUEST_COLUMNS)
    for row in rows:
        table.add_row(*(str(row[c]) for c in REQUEST_COLUMNS))
    return table


@rows_command(request_app, "list", REQUEST_COLUMNS, _requests_table)
def request_list(ctx: typer.Context) -> Rows:
    """Requests sent and received, oldest first."""
    return fiu_exchange.list_requests(actor_name(ctx))


@document_command(request_app, "show")
def request_show(
    ctx: typer.Context, request_id: RequestId, format: DocumentFormatOption = ResultFormat.JSON
) -> Document:
    """One request with its matches and its answer (who drafted and approved it), as JSON."""
    return "request", fiu_exchange.get_request(actor_name(ctx), request_id)


def _reference() -> str:
    return f"{dt.date.today():%Y%m%d}-{secrets.token_hex(4)}"


# --- The data bank of banned organisations (issue 20, item 7) -------------------------------

banned_app = command_group(
    "banned",
    "The data bank of organisations banned by a court; its bans in force are kz-banned.",
    fiu_app,
)

BAN_COLUMNS = [
    "reference",
    "name",
    "status",
    "category",
    "court",
    "decision_date",
    "decision_number",
    "legal_basis",
    "lifted_on",
    "bin",
    "name_variants",
]
"""The columns of `finmon fiu banned list --format csv`."""


@banned_app.command("load")
def banned_load(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The data bank CSV (docs/fiu.md).")],
    force: Annotated[
        bool, typer.Option(help="Load even when the list would shrink implausibly.")
    ] = False,
) -> None:
    """Record the data bank file and make its bans in force the current kz-banned list."""
    require_files([path])
    counts, result = banned.record_file(actor_name(ctx), path, force=force)
    out.print(
        f"data bank: {counts['added']} added, {counts['changed']} changed, "
        f"{counts['unchanged']} unchanged; kz-banned list version {result.version} "
        f"({result.designation_count} in force, {result.status})",
        markup=False,
    )


@banned_app.command("lift")
def banned_lift(
    ctx: typer.Context,
    reference: Annotated[str, typer.Argument(help="The ban's reference.")],
    on: Annotated[str, typer.Option("--on", help="The date the court lifted it (YYYY-MM-DD).")],
    reason: Annotated[str, typer.Option(help="The court's decision lifting it.")],
) -> None:
    """Record that a court lifted a ban: it leaves the kz-banned list, stays in the bank."""
    try:
        day = dt.date.fromisoformat(on)
    except ValueError:
        raise InputError(f"--on {on!r}: not a date (YYYY-MM-DD)") from None
    result = banned.lift(actor_name(ctx), reference, day, reason)
    out.print(
        f"ban {reference} lifted on {day}; kz-banned list version {result.version} "
        f"({result.designation_count} in force)",
        markup=False,
    )


def _bans_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("reference", "name", "status", "category", "court", "decided", "legal basis")
    for row in rows:
        table.add_row(
            *cells(row, "reference", "name", "status", "category", "court", "decision_date"),
            row["legal_basis"],
        )
    return table


# Issue 20, part 5 (the national list out): entities' receipt keys and the receipts' clock.


@rows_command(banned_app, "list", BAN_COLUMNS, _bans_table)
def banned_list(
    ctx: typer.Context,
    status: Annotated[str, typer.Option(help="in_force, lifted or all.")] = "all",
) -> Rows:
    """The banned organisations, with court, decision, legal basis and status."""
    return banned.list_bans(actor_name(ctx), status)


@document_command(banned_app, "show")
def banned_show(
    ctx: typer.Context, reference: Annotated[str, typer.Argument(help="The ban's reference.")]
) -> Document:
    """One banned organisation with its provenance, as JSON."""
    return "ban", banned.get_ban(actor_name(ctx), reference)


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


# --- Disseminations to law enforcement (issue 20, item 4) -----------------------------------

disseminate_app = typer.Typer(
    help="Disseminations to law enforcement: drafted, approved by a second person, exported.",
    no_args_is_help=True,
)
fiu_app.add_typer(disseminate_app, name="disseminate")

DISSEMINATION_COLUMNS = [
    "id",
    "reference",
    "recipient",
    "status",
    "subjects",
    "reports",
    "drafted_by",
    "approved_by",
    "exported_by",
    "package_sha256",
]
"""The columns of `finmon fiu disseminate list --format csv`."""

DisseminationId = Annotated[int, typer.Argument(help="The dissemination's number.")]


@disseminate_app.command("draft")
def disseminate_draft(
    ctx: typer.Context,
    reference: Annotated[str, typer.Option(help="The FIU's reference of the dissemination.")],
    recipient: Annotated[str, typer.Option(help="The law-enforcement body it goes to.")],
    subject: Annotated[
        list[str] | None,
        typer.Option("--subject", help="A subject (S-... or a mention id); repeat for more."),
    ] = None,
    report: Annotated[
        list[str] | None,
        typer.Option("--report", help="An accepted report's FIU key; repeat for more."),
    ] = None,
    reasoning: Annotated[
        str | None, typer.Option(help="Why the FIU disseminates (or --reasoning-file).")
    ] = None,
    reasoning_file: Annotated[
        Path | None, typer.Option(help="A UTF-8 text file with the reasoning.")
    ] = None,
) -> None:
    """Draft a dissemination of subjects and reports with the reasoning; a second person
    approves it before it can be exported."""
    if (reasoning is None) == (reasoning_file is None):
        raise InputError("give the reasoning as --reasoning TEXT or --reasoning-file FILE")
    if reasoning_file is not None:
        require_files([reasoning_file])
        if reasoning_file.stat().st_size > 400_000:
            raise InputError(f"{reasoning_file}: the reasoning is at most 400,000 bytes")
        try:
            reasoning = reasoning_file.read_text(encoding="utf-8")
        except UnicodeDecodeError as error:
            raise InputError(f"{reasoning_file}: not UTF-8 text ({error.reason})") from None
    assert reasoning is not None
    row = fiu_disseminations.draft(
        actor_name(ctx), reference=reference, recipient=recipient, subjects=subject or [],
        reports=report or [], reasoning=reasoning,
    )  # fmt: skip
    out.print(
        f"dissemination {row.id} ({row.reference}) to {row.recipient} drafted by "
        f"{row.drafted_by}: {len(row.subjects)} subjects, {len(row.reports)} reports; "
        "a second person approves it",
        markup=False,
    )


@disseminate_app.command("approve")
def disseminate_approve(ctx: typer.Context, dissemination_id: DisseminationId) -> None:
    """Approve a drafted dissemination as the second person."""
    row = fiu_disseminations.approve(actor_name(ctx), dissemination_id)
    out.print(
        f"dissemination {row.id} ({row.reference}) approved by {row.approved_by}", markup=False
    )


@disseminate_app.command("export")
def disseminate_export(
    ctx: typer.Context,
    dissemination_id: DisseminationId,
    output: Annotated[Path, typer.Option(help="Write the package to this .zip file.")],
) -> None:
    """Write an approved dissemination's package (reports, subjects, network picture, reasoning,
    index, manifest); its sha256 is recorded in the audit trail."""
    manifest = fiu_disseminations.export(actor_name(ctx), dissemination_id, output)
    out.print(f"package written to {output}, sha256 {manifest['sha256']}", markup=False)


def _disseminations(rows: list[dict[str, Any]]) -> Table:
    table = Table(*DISSEMINATION_COLUMNS)
    for row in rows:
        table.add_row(*cells(row, *DISSEMINATION_COLUMNS))
    return table


@rows_command(disseminate_app, "list", DISSEMINATION_COLUMNS, _disseminations)
def disseminate_list(ctx: typer.Context) -> Rows:
    """Every dissemination, oldest first."""
    return [
        {**row.to_dict(), "subjects": len(row.subjects), "reports": len(row.reports)}
        for row in fiu_disseminations.list_disseminations(actor_name(ctx))
    ]


@document_command(disseminate_app, "show")
def disseminate_show(
    ctx: typer.Context,
    dissemination_id: DisseminationId,
    format: DocumentFormatOption = ResultFormat.JSON,
) -> Document:
    """One dissemination as JSON: its subjects, reports, reasoning and who drafted, approved and
    exported it (the viewing is audited)."""
    return "dissemination", fiu_disseminations.show(actor_name(ctx), dissemination_id).to_dict()
