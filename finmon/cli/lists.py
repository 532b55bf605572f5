"""The `finmon lists` commands: load, show, fetch and diff sanctions lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from finmon.cli.common import (
    FormatOption,
    OutputOption,
    ResultFormat,
    acting,
    actor_name,
    app,
    check_output,
    emit_rows,
    err,
    out,
    require_files,
)
from finmon.errors import InputError
from finmon.services import lists
from finmon.settings import load_settings
from finmon.workflow.access import Action

FORMATS = ("un-xml", "afm-xml", "ofac-csv", "ftm-json", "csv")


lists_app = typer.Typer(help="Load, show and fetch sanctions lists.", no_args_is_help=True)


fetch_app = typer.Typer(help="Download a list from its publisher and load it.")


app.add_typer(lists_app, name="lists")


lists_app.add_typer(fetch_app, name="fetch")


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
    acting(ctx, Action.LOAD_LISTS)  # refused before any file is read
    from finmon.lists import read_lists

    require_files(paths)
    if format is not None and format not in FORMATS:
        raise InputError(f"unknown list format {format!r}; use one of {', '.join(FORMATS)}")
    read = read_lists(paths, format=format, source=source, include_non_targets=include_non_targets)
    workers = load_settings().workers
    loaded = lists.load_lists(actor_name(ctx), read.versions, force=force, workers=workers)
    for result in loaded:
        _report_load(result)
    out.print(f"Read: {read.summary}.")


VERSION_COLUMNS = [
    "source",
    "version",
    "is_current",
    "published_at",
    "loaded_at",
    "loaded_by",
    "designations",
]


@lists_app.command("show")
def lists_show(
    ctx: typer.Context,
    all_versions: Annotated[
        bool, typer.Option("--all", help="Show every version ever loaded, not just current ones.")
    ] = False,
    output: OutputOption = None,
    format: FormatOption = ResultFormat.TABLE,
) -> None:
    """Show the loaded list versions."""
    check_output(output)
    versions = lists.list_versions(actor_name(ctx), all_versions=all_versions)
    if not versions and output is None and format is ResultFormat.TABLE:
        out.print("No list loaded yet: use `finmon lists load FILE` or `finmon lists fetch un`.")
        return
    rows = [
        {
            "source": v.source,
            "version": v.version,
            "is_current": v.is_current,
            "published_at": v.published_at.isoformat() if v.published_at else None,
            "loaded_at": v.loaded_at.isoformat(),
            "loaded_by": v.loaded_by,
            "designations": v.designation_count,
        }
        for v in versions
    ]
    emit_rows(rows, VERSION_COLUMNS, output=output, format=format, table=_versions_table)


def _versions_table(rows: list[dict[str, Any]]) -> Table:
    table = Table("source", "version", "published", "loaded", "designations")
    for row in rows:
        published = row["published_at"][:16].replace("T", " ") if row["published_at"] else "-"
        loaded = f"{row['loaded_at'][:16].replace('T', ' ')} by {row['loaded_by']}"
        label = row["version"] if row["is_current"] else f"{row['version']} (replaced)"
        table.add_row(row["source"], label, published, loaded, str(row["designations"]))
    return table


@fetch_app.command("un")
def fetch_un_command(
    ctx: typer.Context,
    force: Annotated[bool, typer.Option(help="Load even an older or smaller version.")] = False,
) -> None:
    """Download the UN Security Council Consolidated List, check it parses, and load it."""
    acting(ctx, Action.LOAD_LISTS)  # refused before anything is downloaded
    from finmon.lists.fetch import fetch_and_parse_un

    err.print(f"downloading {load_settings().un_list_url} ...", markup=False)
    parsed = fetch_and_parse_un()
    _report_load(
        lists.load_list(
            actor_name(ctx),
            parsed,
            force=force,
            workers=load_settings().workers,
        )
    )


@lists_app.command("diff")
def lists_diff(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Source name, e.g. un.")],
    version: Annotated[
        str | None,
        typer.Option(help="Compare this version with the one before (default: current)."),
    ] = None,
    output: Annotated[
        Path | None, typer.Option(help="Write every change to this .json file.")
    ] = None,
) -> None:
    """What a version of a list added, removed and amended against the version before it."""
    if output is not None and output.suffix.lower() != ".json":
        raise InputError(f"{output}: the diff output must end in .json")
    newer, older, diff = lists.version_diff(actor_name(ctx), source, version=version)
    counts = diff.summary()
    before = older.version if older is not None else "nothing"
    out.print(
        f"{source} {before} -> {newer.version}: {counts['added']} added, "
        f"{counts['removed']} removed, {counts['amended']} amended"
    )
    if output is not None:
        document = {
            "source": source,
            "from": before,
            "to": newer.version,
            **diff.to_dict(),
        }
        output.write_text(json.dumps(document, ensure_ascii=False, indent=2, default=str))
        err.print(f"diff written to {output}", markup=False)
        return
    table = Table("change", "reference", "name", "fields")
    for d in diff.added:
        table.add_row("added", d.reference, d.caption, "")
    for d in diff.removed:
        table.add_row("removed", d.reference, d.caption, "")
    for a in diff.amended:
        table.add_row("amended", a.after.reference, a.after.caption, ", ".join(a.changes))
    out.print(table)


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
