"""The `finmon lists` commands: load, show, fetch and diff sanctions lists."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from finmon.cli.common import acting, actor_name, command_group, require_files
from finmon.cli.options import FormatOption, OutputOption, ResultFormat
from finmon.cli.output import emit_rows, err, out
from finmon.errors import FinmonError, InputError
from finmon.services import lists
from finmon.settings import load_settings
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.services.feed import Fetched

FORMATS = ("un-xml", "afm-xml", "ofac-csv", "ftm-json", "csv")


lists_app = command_group("lists", "Load, show and fetch sanctions lists.")


fetch_app = typer.Typer(help="Download a list from its publisher and load it.")


publish_app = typer.Typer(help="Publish a list as a signed, versioned feed (the FIU's side).")

lists_app.add_typer(fetch_app, name="fetch")


lists_app.add_typer(publish_app, name="publish")


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


# Issue 20, the national list out: keys, the FIU's signed feed, and the entity's fetch of it.


@lists_app.command("keygen")
def lists_keygen(
    private: Annotated[
        Path, typer.Option("--private", help="Where to write the private key (PEM, mode 0600).")
    ],
    public: Annotated[Path, typer.Option("--public", help="Where to write the public key (PEM).")],
) -> None:
    """Make an Ed25519 key pair: the FIU's to sign its list feed, or an entity's to sign its
    receipts. Neither file is overwritten."""
    from finmon.lists.feed import generate_keys

    ident = generate_keys(private, public)
    out.print(f"Key {ident}: private key {private} (mode 0600), public key {public}.", markup=False)


@publish_app.command("afm")
def publish_afm(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="The national list file (AFM XML).")],
    key: Annotated[Path, typer.Option("--key", help="The FIU's Ed25519 private key (PEM).")],
    output: Annotated[
        Path | None, typer.Option(help="Also write the signed feed to this file.")
    ] = None,
) -> None:
    """Parse the national list strictly and publish it as the next signed version of the feed
    that GET /feed/afm serves."""
    from finmon.services import feed

    published = feed.publish_feed(actor_name(ctx), path, key, source="afm")
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_bytes(published.document)
    if published.new:
        out.print(
            f"Published afm feed version {published.version} (list {published.list_version}, "
            f"{published.designation_count} designations, sha256 "
            f"{published.payload_sha256[:12]}...) at {published.published_at:%Y-%m-%d %H:%M:%S} "
            "UTC.",
            markup=False,
        )
    else:
        out.print(
            f"This list is already afm feed version {published.version}; nothing published.",
            markup=False,
        )
    if output is not None:
        err.print(f"feed written to {output}", markup=False)


@fetch_app.command("afm")
def fetch_afm_command(
    ctx: typer.Context,
    feed_url: Annotated[
        str, typer.Option("--feed", help="The FIU's feed: http(s)://.../feed/afm, or a file.")
    ],
    key: Annotated[Path, typer.Option("--key", help="The FIU's Ed25519 public key (PEM).")],
    receipt_key: Annotated[
        Path | None,
        typer.Option(
            "--receipt-key",
            help="This entity's private key signing the receipt (default: FINMON_RECEIPT_KEY).",
        ),
    ] = None,
    entity: Annotated[
        str | None,
        typer.Option("--entity", help="This entity's BIN (default: FINMON_ENTITY_BIN)."),
    ] = None,
    receipt: Annotated[
        Path | None,
        typer.Option(help="Write the signed receipt to this file instead of sending it."),
    ] = None,
    receipts_url: Annotated[
        str | None,
        typer.Option(help="Where to POST the receipt (default: receipts beside the feed)."),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            help="Apply the feed version already applied again, or a list that looks "
            "implausible (much smaller)."
        ),
    ] = False,
) -> None:
    """Fetch the FIU's signed feed of the national list, verify it, load it (re-screening the
    customers) and return a signed receipt. A tampered or older feed is refused."""
    acting(ctx, Action.LOAD_LISTS)  # refused before anything is downloaded
    from finmon.services import feed

    err.print(f"fetching {feed_url} ...", markup=False)
    fetched = feed.fetch_feed(
        actor_name(ctx),
        feed_url,
        key,
        source="afm",
        receipt_key=receipt_key,
        entity_bin=entity,
        receipt_url=receipts_url,
        force=force,
        workers=load_settings().workers,
    )
    manifest = fetched.manifest
    out.print(
        f"Verified afm feed version {manifest.version}, published "
        f"{manifest.published_at:%Y-%m-%d %H:%M:%S} UTC, signed by key {manifest.key_id}.",
        markup=False,
    )
    _report_load(fetched.load)
    _return_receipt(actor_name(ctx), fetched, receipt)


def _return_receipt(actor: str, fetched: Fetched, receipt: Path | None) -> None:
    """Send an applied feed's receipt to the FIU, or write it to a file (kept there too when
    sending fails, the list being applied already)."""
    from finmon.services import feed

    kept = load_settings().home / "receipts" / f"afm_feed_v{fetched.manifest.version}_receipt.json"
    if receipt is None and fetched.receipt_url is None:
        receipt = kept
    if receipt is not None:
        receipt.parent.mkdir(parents=True, exist_ok=True)
        receipt.write_bytes(fetched.receipt)
        out.print(f"Receipt written to {receipt}: send it to the FIU.", markup=False)
        return
    try:
        feed.deliver_receipt(actor, fetched)
    except FinmonError:
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(fetched.receipt)
        err.print(f"the list is applied; its receipt is kept in {kept}", markup=False)
        raise
    out.print(f"Receipt sent to {fetched.receipt_url}.", markup=False)


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
