"""The `finmon travel` commands: passenger manifests (PAXLST) and passport MRZ screened against
every list."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from finmon.cli.common import acting, command_group, require_files
from finmon.cli.options import DocumentFormatOption, ResultFormat, check_json_output
from finmon.cli.output import cells, err, out, print_json, write_json
from finmon.errors import ROW_PROBLEMS_EXIT, InputError
from finmon.exports import SafeDictWriter
from finmon.screening import DEFAULT_THRESHOLD
from finmon.settings import load_settings
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.travel.paxlst import PaxlstReading

travel_app = command_group("travel", "Air passengers: PAXLST manifests and passport MRZ.")

TRAVEL_COLUMNS = (
    "flight",
    "traveller",
    "name",
    "birth_date",
    "nationality",
    "document",
    "score",
    "list",
    "reference",
    "designation_name",
    "explanation",
    "status",
)
"""`finmon travel screen --output` writes one row per hit (status `hit`), then one per fault of
the manifest (status `fault`, or `skipped` for a traveller that could not be read; `traveller`
names the segment, `explanation` the fault), then a `summary` row: how many travellers were read,
screened and skipped."""


@travel_app.command("screen")
def travel_screen(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A UN/EDIFACT PAXLST manifest.")],
    output: Annotated[Path | None, typer.Option(help="Write one row per hit to this .csv.")] = None,
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Alert threshold 0..1.")
    ] = DEFAULT_THRESHOLD,
    encoding: Annotated[
        str | None,
        typer.Option(help="Text encoding, when not the one UNB's syntax identifier names."),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Refuse the whole manifest at its first fault (default: screen every traveller "
            "that can be read and report each fault by segment).",
        ),
    ] = False,
) -> None:
    """Screen every traveller of a manifest (name, birth date, nationality, documents) against
    every loaded list; one row per hit, by flight."""
    actor = acting(ctx, Action.SCREEN)
    from finmon.screening.screener import heap_frozen
    from finmon.services.screeners import load_screener
    from finmon.travel.screening import PEOPLE, screen_manifests

    require_files([file])
    if output is not None and output.suffix.lower() != ".csv":
        raise InputError(f"{output}: the output must end in .csv")
    screener = load_screener(actor, PEOPLE)  # travellers are people: the index is smaller
    with heap_frozen():
        workers = load_settings().workers
        rows, reading = screen_manifests(file, screener, threshold, workers, encoding, strict)
    travellers = reading.travellers
    if output is not None:
        _write_travel(output, rows, reading)
    else:
        out.print(_hits_table(rows))
    alerted = len({(r["flight"], r["traveller"]) for r in rows})
    err.print(
        f"{travellers} travellers screened: {len(rows)} hits on {alerted} travellers", markup=False
    )
    err.print(reading.summary(), markup=False)
    for fault in reading.faults:
        err.print(f"fault: {fault}", markup=False)
    if reading.faults:  # a script must know that the manifest was not read clean
        raise typer.Exit(ROW_PROBLEMS_EXIT)


def _write_travel(output: Path, rows: list[dict[str, Any]], reading: PaxlstReading) -> None:
    """TRAVEL_COLUMNS: the hits, then the manifest's faults, then the summary row."""
    skipped = {id(fault) for fault in reading.skipped}
    faults = [
        {
            "traveller": fault.place(),
            "explanation": fault.detail,
            "status": "skipped" if id(fault) in skipped else "fault",
        }
        for fault in reading.faults
    ]
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeDictWriter(handle, fieldnames=TRAVEL_COLUMNS)
        writer.writeheader()
        writer.writerows({**_csv_row(row), "status": "hit"} for row in rows)
        writer.writerows(faults)
        writer.writerow({"status": "summary", "explanation": reading.summary()})


def _hits_table(rows: list[dict[str, Any]]) -> Table:
    shown = Table("flight", "traveller", "name", "score", "listed as")
    for row in rows:
        shown.add_row(
            *cells(row, "flight", "traveller", "name"),
            f"{row['score']:.2f}",
            f"{row['list']} {row['reference']} {row['designation_name']}",
        )
    return shown


def _csv_row(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "explanation": json.dumps(row["explanation"], ensure_ascii=False)}


@travel_app.command("mrz")
def travel_mrz(
    ctx: typer.Context,
    lines: Annotated[
        list[str],
        typer.Argument(
            help="The MRZ's lines (2 of 44: passport or MRV-A visa; 2 of 36: TD2 card or MRV-B "
            "visa; 3 of 30: identity card), or - to read them from input."
        ),
    ],
    threshold: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="Alert threshold 0..1.")
    ] = DEFAULT_THRESHOLD,
    output: Annotated[
        Path | None,
        typer.Option(
            callback=check_json_output,
            help="Write the document and its hits to this .json (as POST /travel/mrz).",
        ),
    ] = None,
    format: DocumentFormatOption = ResultFormat.TABLE,
) -> None:
    """Read a travel document's machine-readable zone (every check digit verified) and screen
    its holder against every loaded list."""
    actor = acting(ctx, Action.SCREEN)
    from finmon.services.screeners import load_screener
    from finmon.travel.mrz import read_mrz
    from finmon.travel.screening import PEOPLE, screen_mrz

    text = sys.stdin.read() if lines == ["-"] else "\n".join(lines)
    mrz = read_mrz(text)
    found = screen_mrz(mrz, load_screener(actor, PEOPLE), threshold)
    if output is not None:
        write_json(output, found)
    elif format is ResultFormat.TABLE:
        _print_document(found)
    else:
        print_json(found)
    notes = "; ".join(mrz.notes)
    err.print(
        f"{mrz.format} read, every check digit verified{f' ({notes})' if notes else ''}; "
        f"{len(found['hits'])} hits for {mrz.full_name}",
        markup=False,
    )


def _print_document(found: dict[str, Any]) -> None:
    shown = Table("field", "value", title="document (every check digit verified)")
    for field, value in found["document"].items():
        shown.add_row(field, "; ".join(value) if isinstance(value, list) else str(value))
    out.print(shown)
    hits = Table("score", "list", "reference", "listed as")
    for hit in found["hits"]:
        hits.add_row(f"{hit['score']:.2f}", hit["list"], hit["reference"], hit["designation_name"])
    out.print(hits)
