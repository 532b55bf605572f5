"""The `finmon` commands of the customer registry, alerts, freezes and list diffs.

A thin front door like the rest of the CLI: each command calls one store service and prints what
it did. Tables go to stdout; --output writes .csv or .json for other programs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from finmon.cli import StrictOption, _acting, app, err, lists_app, out, print_problems
from finmon.errors import ROW_PROBLEMS_EXIT, InputError
from finmon.exports import SafeDictWriter
from finmon.settings import load_settings
from finmon.workflow import Verdict
from finmon.workflow.access import Action

ALERT_COLUMNS = [
    "alert_id",
    "customer_id",
    "customer_name",
    "list",
    "reference",
    "designation_name",
    "score",
    "status",
    "created_at",
]
"""The columns of `finmon alerts list --output` (a contract other tools rely on)."""

customers_app = typer.Typer(help="The customer registry: import and look up.", no_args_is_help=True)
alerts_app = typer.Typer(help="Alerts: list, decide, approve (four-eyes).", no_args_is_help=True)
freezes_app = typer.Typer(
    help="Freeze orders: list, the 24-hour clock, releases, permitted payments, notifications.",
    no_args_is_help=True,
)
app.add_typer(customers_app, name="customers")
app.add_typer(alerts_app, name="alerts")
app.add_typer(freezes_app, name="freezes")


@customers_app.command("import")
def customers_import(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="Customer file: .csv, .xlsx, .jsonl or .parquet.")],
    encoding: Annotated[
        str | None, typer.Option(help="Text encoding of a CSV/JSONL file, e.g. cp1251.")
    ] = None,
    problems: Annotated[
        Path | None,
        typer.Option(
            "--problems",
            help="Write the rows' problems (row, column, value, problem, action) to this .csv "
            "(default: <file stem>.problems.csv beside the file, when there are any).",
        ),
    ] = None,
    strict: StrictOption = False,
) -> None:
    """Upsert customers by id (history kept), then screen the new and changed ones at once.

    A row's unreadable values are left out and the row imported with the rest; a row with no
    name or id is skipped; each is written to the problems file. Exit 0: done, no problem; 10:
    done, with row problems; 2: the file was refused (unreadable, or --strict and a problem)."""
    actor = _acting(ctx, Action.IMPORT_CUSTOMERS)
    from finmon.screening.problems import ProblemLog, problems_path
    from finmon.store.customers import import_customers

    where = None if strict else problems_path(file, None, problems)
    with (
        ProblemLog(where, always=problems is not None, keep_on_error=True) as log,
        _Progress("importing", _count_lines(file)) as advance,
    ):
        result = import_customers(
            file,
            actor=actor,
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
    actor = _acting(ctx, Action.IMPORT_CUSTOMERS)
    from finmon.store.customers import reindex_customers

    count = reindex_customers(actor=actor, workers=load_settings().workers)
    if count:
        out.print(f"customer index rebuilt for {count} customers")
    else:
        out.print("customer index is current; nothing to do")


@customers_app.command("show")
def customers_show(
    ctx: typer.Context, customer_id: Annotated[str, typer.Argument(help="Customer id.")]
) -> None:
    """A customer's current record and every earlier version."""
    _acting(ctx, Action.READ)
    from finmon.store.customers import customer_history

    history = customer_history(customer_id)
    out.print_json(json.dumps(history, ensure_ascii=False, default=str))


@alerts_app.command("list")
def alerts_list(
    ctx: typer.Context,
    status: Annotated[
        str, typer.Option(help="open (awaiting a decision), decided, or all.")
    ] = "open",
    output: Annotated[
        Path | None, typer.Option(help="Write the alerts to this .csv or .json file.")
    ] = None,
) -> None:
    """Alerts, oldest first."""
    _acting(ctx, Action.READ)
    from finmon.store.alerts import STATUS_FILTERS, list_alerts

    if status not in STATUS_FILTERS:
        raise InputError(f"unknown --status {status!r}; use one of {', '.join(STATUS_FILTERS)}")
    _check_output(output)
    rows = [row.to_dict() for row in list_alerts(status)]
    if output is not None:
        _write(output, rows, ALERT_COLUMNS)
        err.print(f"{len(rows)} alerts written to {output}", markup=False)
        return
    table = Table("alert", "customer", "name", "list", "reference", "listed as", "score", "status")
    for row in rows:
        table.add_row(
            str(row["alert_id"]),
            row["customer_id"],
            row["customer_name"],
            f"{row['list']} {row['list_version']}",
            row["reference"],
            row["designation_name"],
            f"{row['score']:.3f}",
            row["status"],
        )
    out.print(table)
    err.print(f"{len(rows)} alerts ({status})", markup=False)


@alerts_app.command("show")
def alerts_show(
    ctx: typer.Context, alert_id: Annotated[int, typer.Argument(help="Alert id.")]
) -> None:
    """One alert with its full explanation."""
    _acting(ctx, Action.READ)
    from finmon.store.alerts import get_alert

    row, explanation = get_alert(alert_id)
    out.print_json(
        json.dumps({**row.to_dict(), "explanation": explanation}, ensure_ascii=False, default=str)
    )


@alerts_app.command("decide")
def alerts_decide(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(help="Alert id.")],
    decision: Annotated[str, typer.Option(help="confirmed_hit, false_positive or escalate.")],
    reason: Annotated[
        str | None, typer.Option(help="Why (required for false_positive and escalate).")
    ] = None,
) -> None:
    """Decide an alert. A confirmed hit then needs a second person's `finmon alerts approve`."""
    actor = _acting(ctx, Action.DECIDE)
    from finmon.store.alerts import decide_alert

    try:
        verdict = Verdict(decision)
    except ValueError:
        choices = ", ".join(v.value for v in Verdict)
        raise InputError(f"unknown --decision {decision!r}; use one of {choices}") from None
    status = decide_alert(alert_id, verdict, actor=actor, reason=reason)
    follow = (
        " (a second person must now run `finmon alerts approve`)"
        if verdict is Verdict.CONFIRMED_HIT
        else ""
    )
    out.print(f"alert {alert_id} is now {status}{follow}")


@alerts_app.command("withdraw")
def alerts_withdraw(
    ctx: typer.Context,
    alert_id: Annotated[int, typer.Argument(help="Alert id.")],
    reason: Annotated[str | None, typer.Option(help="Why the proposal is taken back.")] = None,
) -> None:
    """Take back your own confirmed hit while it awaits approval (nobody else can)."""
    actor = _acting(ctx, Action.DECIDE)
    from finmon.store.alerts import withdraw_proposal

    status = withdraw_proposal(alert_id, actor=actor, reason=reason)
    out.print(f"proposal withdrawn; alert {alert_id} is {status} again")


@alerts_app.command("approve")
def alerts_approve(
    ctx: typer.Context, alert_id: Annotated[int, typer.Argument(help="Alert id.")]
) -> None:
    """Approve a confirmed hit as the second person: the customer's accounts are frozen."""
    actor = _acting(ctx, Action.APPROVE)
    from finmon.store.alerts import approve

    freeze_id = approve(alert_id, actor=actor)
    out.print(f"alert {alert_id} confirmed; freeze order {freeze_id} is in force")


@freezes_app.command("list")
def freezes_list(
    ctx: typer.Context,
    output: Annotated[
        Path | None,
        typer.Option(help="Write the freezes (FIU notification records) to .csv or .json."),
    ] = None,
) -> None:
    """Every freeze order with its timestamps and time-to-freeze."""
    _acting(ctx, Action.READ)
    from finmon.store.freezes import list_freezes

    _check_output(output)
    records = list_freezes()
    if output is not None:
        _write_notifications(output, records)
        return
    table = Table(
        "freeze", "status", "customer", "accounts", "list", "reference", "frozen", "hours"
    )
    for r in records:
        table.add_row(
            str(r["freeze_id"]),
            r["status"],
            f"{r['customer_id']} {r['customer_name']}",
            ", ".join(r["accounts"]),
            f"{r['list']} {r['list_version']}",
            r["reference"],
            r["frozen_at"],
            f"{r['hours_to_freeze']:.1f}" + ("" if r["within_24_hours"] else " LATE"),
        )
    out.print(table)
    err.print(f"{len(records)} freeze orders", markup=False)


@freezes_app.command("sla")
def freezes_sla(
    ctx: typer.Context,
    output: Annotated[Path | None, typer.Option(help="Write the list to .csv or .json.")] = None,
) -> None:
    """Every alert not yet acted on, most urgent first, with the hours left of the 24."""
    _acting(ctx, Action.READ)
    from finmon.store.freezes import sla

    _check_output(output)
    items = sla()
    rows = [_sla_row(item) for item in items]
    if output is not None:
        _write(output, rows, list(rows[0]) if rows else ["alert_id"])
        err.print(f"{len(rows)} alerts awaiting action written to {output}", markup=False)
        return
    if not rows:
        out.print("Nothing awaits action: every alert is decided.")
        return
    table = Table("alert", "customer", "list", "reference", "status", "clock started", "hours left")
    for row in rows:
        left = row["hours_left"]
        table.add_row(
            str(row["alert_id"]),
            f"{row['customer_id']} {row['customer_name']}",
            row["list"],
            row["reference"],
            row["status"],
            row["clock_start"],
            f"{left:.1f}" if left >= 0 else f"OVERDUE by {-left:.1f}",
        )
    out.print(table)
    overdue = sum(1 for row in rows if row["hours_left"] < 0)
    err.print(f"{len(rows)} alerts awaiting action, {overdue} overdue", markup=False)


@freezes_app.command("show")
def freezes_show(
    ctx: typer.Context, freeze_id: Annotated[int, typer.Argument(help="Freeze id.")]
) -> None:
    """One freeze order with its release and permitted payments."""
    _acting(ctx, Action.READ)
    from finmon.store.freezes import get_freeze

    out.print_json(json.dumps(get_freeze(freeze_id), ensure_ascii=False, default=str))


@freezes_app.command("release")
def freezes_release(
    ctx: typer.Context,
    freeze_id: Annotated[int, typer.Argument(help="Freeze id.")],
    reason: Annotated[str, typer.Option(help="Why: a delisting, a false positive found later.")],
) -> None:
    """Ask to release a freeze; a second person must run `finmon freezes approve-release`."""
    actor = _acting(ctx, Action.REQUEST)
    from finmon.store.freezes import ask_release

    status = ask_release(freeze_id, actor=actor, reason=reason)
    out.print(f"freeze {freeze_id} is now {status}; a second person must approve the release")


@freezes_app.command("approve-release")
def freezes_approve_release(
    ctx: typer.Context, freeze_id: Annotated[int, typer.Argument(help="Freeze id.")]
) -> None:
    """Approve a requested release as the second person."""
    actor = _acting(ctx, Action.APPROVE)
    from finmon.store.freezes import release

    status = release(freeze_id, actor=actor)
    out.print(f"freeze {freeze_id} is now {status}")


@freezes_app.command("payment")
def freezes_payment(
    ctx: typer.Context,
    freeze_id: Annotated[int, typer.Argument(help="Freeze id.")],
    amount: Annotated[str, typer.Option(help="Amount, e.g. 85000.00.")],
    currency: Annotated[str, typer.Option(help="ISO 4217 code, e.g. KZT.")],
    purpose: Annotated[str, typer.Option(help="The basic expense: food, rent, medicine ...")],
    payee: Annotated[str | None, typer.Option(help="Who is paid.")] = None,
) -> None:
    """Record a permitted payment from frozen funds (Article 12 section 8), to be approved."""
    actor = _acting(ctx, Action.REQUEST)
    from finmon.store.freezes import request_payment

    payment_id = request_payment(
        freeze_id,
        actor=actor,
        amount=amount,
        currency=currency,
        purpose=purpose,
        payee=payee,
    )
    out.print(f"permitted payment {payment_id} recorded; a second person must approve it")


@freezes_app.command("approve-payment")
def freezes_approve_payment(
    ctx: typer.Context, payment_id: Annotated[int, typer.Argument(help="Payment id.")]
) -> None:
    """Approve a permitted payment as the second person."""
    actor = _acting(ctx, Action.APPROVE)
    from finmon.store.freezes import approve_payment

    approve_payment(payment_id, actor=actor)
    out.print(f"permitted payment {payment_id} approved")


@freezes_app.command("notify")
def freezes_notify(
    ctx: typer.Context,
    freeze_id: Annotated[int, typer.Argument(help="Freeze id.")],
    output: Annotated[Path, typer.Option(help="The notification file: .json or .csv.")],
) -> None:
    """Write the notification of one freeze to the FIU."""
    _acting(ctx, Action.READ)
    from finmon.store.freezes import get_freeze

    _check_output(output)
    _write_notifications(output, [get_freeze(freeze_id)])


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
    _acting(ctx, Action.READ)
    from finmon.store.lists import version_diff

    if output is not None and output.suffix.lower() != ".json":
        raise InputError(f"{output}: the diff output must end in .json")
    newer, older, diff = version_diff(source, version=version)
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


class _Progress:
    """A progress bar on stderr, shown only on a terminal; called with the count done."""

    def __init__(self, label: str, total: int | None) -> None:
        columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
        self.bar = Progress(*columns, console=err, transient=True, disable=not err.is_terminal)
        self.task = self.bar.add_task(label, total=total)

    def __enter__(self) -> Any:
        self.bar.start()
        return lambda done: self.bar.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        self.bar.stop()


def _count_lines(path: Path) -> int | None:
    if not path.is_file() or path.suffix.lower() not in (".csv", ".jsonl", ".ndjson", ".txt"):
        return None
    with path.open("rb") as handle:
        return sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))


def _sla_row(item: Any) -> dict[str, Any]:
    return {
        "alert_id": item.alert_id,
        "customer_id": item.customer_id,
        "customer_name": item.customer_name,
        "list": item.list,
        "reference": item.reference,
        "designation_name": item.designation_name,
        "status": item.status,
        "clock_start": item.clock_start.isoformat(timespec="seconds"),
        "deadline": item.deadline.isoformat(timespec="seconds"),
        "hours_left": item.hours_left,
    }


def _check_output(output: Path | None) -> None:
    if output is not None and output.suffix.lower() not in (".csv", ".json"):
        raise InputError(f"{output}: the output must end in .csv or .json")


def _write(output: Path, rows: list[dict[str, Any]], columns: list[str]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".json":
        output.write_text(json.dumps(rows, ensure_ascii=False, indent=2, default=str))
        return
    with output.open("w", encoding="utf-8", newline="") as handle:
        writer = SafeDictWriter(handle, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def _write_notifications(output: Path, records: list[dict[str, Any]]) -> None:
    from finmon.store.freezes import notifications_csv, notifications_json

    output.parent.mkdir(parents=True, exist_ok=True)
    text = (
        notifications_json(records)
        if output.suffix.lower() == ".json"
        else (notifications_csv(records))
    )
    output.write_text(text, encoding="utf-8")
    err.print(f"{len(records)} freeze notifications written to {output}", markup=False)
