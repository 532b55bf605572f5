"""The kinds of command written once (finmon.cli.commands), on a small app of their own: the
options they add, what they print where, and that a wrong output is refused before any work."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from typer.testing import CliRunner

from finmon.cli.commands import (
    Document,
    Listing,
    Rows,
    Step,
    document_command,
    rows_command,
    step_commands,
)
from finmon.cli.common import FinmonGroup
from finmon.cli.output import err, out

runner = CliRunner()
ROWS = [{"id": 1, "name": "Ахмет", "tags": ["a", "b"]}, {"id": 2, "name": None, "tags": []}]


def _app() -> tuple[typer.Typer, typer.Typer, list[Any]]:
    """An app with one group, and the list its commands' functions note their calls in."""
    app = typer.Typer(cls=FinmonGroup)
    group = typer.Typer()
    app.add_typer(group, name="things")
    return app, group, []


def _run(app: typer.Typer, *args: str) -> tuple[int, str, str]:
    out.width = err.width = 200
    result = runner.invoke(app, list(args), env={"FINMON_ACTOR": "anna"})
    return result.exit_code, result.stdout, result.stderr


def _table(rows: Rows) -> Table:
    table = Table("id", "name")
    for row in rows:
        table.add_row(str(row["id"]), row["name"] or "-")
    return table


def test_a_listing_command_prints_its_rows_as_the_options_ask(tmp_path: Path) -> None:
    app, group, calls = _app()

    @rows_command(group, "list", ["id", "tags"], _table)
    def things(ctx: typer.Context, every: Annotated[bool, typer.Option("--all")] = False) -> Rows:
        """Every thing."""
        calls.append(every)
        return ROWS

    code, stdout, _ = _run(app, "things", "list", "--all", "--format", "csv")
    assert code == 0 and stdout.splitlines() == ["id,tags", "1,a;b", "2,"] and calls == [True]
    code, stdout, _ = _run(app, "things", "list")
    assert code == 0 and "Ахмет" in stdout and "-" in stdout
    written = tmp_path / "things.json"
    code, _, _ = _run(app, "things", "list", "--output", str(written))
    assert code == 0 and json.loads(written.read_text(encoding="utf-8")) == ROWS
    code, stdout, _ = _run(app, "things", "list", "--help")
    assert code == 0 and "--output" in stdout and "--format" in stdout and "Every thing." in stdout


def test_a_wrong_output_is_refused_before_the_function_runs(tmp_path: Path) -> None:
    app, group, calls = _app()

    @rows_command(group, "list", ["id"], _table)
    def things(ctx: typer.Context) -> Rows:
        """Every thing."""
        calls.append("listed")
        return ROWS

    code, _, stderr = _run(app, "things", "list", "--output", str(tmp_path / "things.txt"))
    assert code == 2 and "must end in .csv or .json" in stderr
    assert calls == [] and not (tmp_path / "things.txt").exists()


def test_a_listing_function_is_given_the_output_it_declares_and_its_note_is_said_after(
    tmp_path: Path,
) -> None:
    app, group, _ = _app()

    @rows_command(group, "list", ["id"], _table)
    def things(ctx: typer.Context, *, output: Path | None) -> Listing:
        """Every thing."""
        return ROWS, f"{len(ROWS)} things" + (f" written to {output.name}" if output else "")

    code, _, stderr = _run(app, "things", "list", "--output", str(tmp_path / "t.csv"))
    assert code == 0 and stderr.strip() == "2 things written to t.csv"
    code, _, stderr = _run(app, "things", "list", "--format", "json")
    assert code == 0 and stderr.strip() == "2 things"


def test_a_showing_command_prints_its_document_or_writes_it(tmp_path: Path) -> None:
    app, group, _ = _app()

    @document_command(group, "show")
    def thing(ctx: typer.Context, thing_id: Annotated[int, typer.Argument()]) -> Document:
        """One thing."""
        return f"thing {thing_id}", {"id": thing_id, "name": "Ахмет"}

    code, stdout, _ = _run(app, "things", "show", "7")
    assert code == 0 and json.loads(stdout) == {"id": 7, "name": "Ахмет"}
    written = tmp_path / "seven.json"
    code, stdout, stderr = _run(app, "things", "show", "7", "--output", str(written))
    assert code == 0 and stdout == "" and f"thing 7 written to {written}" in stderr
    assert json.loads(written.read_text(encoding="utf-8"))["name"] == "Ахмет"
    code, _, stderr = _run(app, "things", "show", "7", "--output", str(tmp_path / "seven.csv"))
    assert code == 2 and "must end in .json" in stderr


def test_steps_act_as_the_actor_and_say_what_became_of_the_id() -> None:
    app, group, calls = _app()

    def close(actor: str, thing_id: int, reason: str | None) -> str:
        calls.append((actor, thing_id, reason))
        return "closed"

    step_commands(
        group,
        "thing_id",
        Annotated[int, typer.Argument(help="Thing id.")],
        Step("close", "Close a thing.", close, "thing {id} is {result} by {actor}", reason="Why."),
        Step("open", "Open a thing.", lambda actor, thing_id: "open", "thing {id} is {result}"),
    )
    code, stdout, _ = _run(app, "things", "close", "3", "--reason", "done")
    assert code == 0 and stdout.strip() == "thing 3 is closed by anna"
    assert calls == [("anna", 3, "done")]
    code, stdout, _ = _run(app, "things", "close", "--help")
    assert code == 0 and "Close a thing." in stdout and "--reason" in stdout
    code, stdout, _ = _run(app, "things", "open", "4")
    assert code == 0 and stdout.strip() == "thing 4 is open"
    code, _, _ = _run(app, "things", "open", "4", "--reason", "no such option")
    assert code == 2
    code, _, _ = _run(app, "things", "open", "four")
    assert code == 2
