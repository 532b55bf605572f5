"""The `finmon` command's entry point: it imports only the module of the command it runs, and a
screening run, whose index is large, ends with os._exit once its results are out and flushed."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from finmon.cli import COMMANDS, app, command_named
from finmon.errors import ROW_PROBLEMS_EXIT
from finmon.lists import FIXTURE_DIR

PROBE = """
import sys
from finmon.cli import main
try:
    main()
finally:
    print("modules:", " ".join(sorted(sys.modules)))
"""
"""Runs `finmon` and says which modules it imported (only when it exits the usual way)."""


def _finmon(*args: str | Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", PROBE, *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def _module_of(group: Any) -> str:
    """The module whose functions a Typer group's commands run (its first command's)."""
    for info in group.registered_commands:
        return str(info.callback.__module__)
    return _module_of(group.registered_groups[0].typer_instance)


def test_every_command_is_mapped_to_the_module_that_registers_it() -> None:
    found = {info.name: str(info.callback.__module__) for info in app.registered_commands}
    found |= {info.name: _module_of(info.typer_instance) for info in app.registered_groups}
    assert found == {name: f"finmon.cli.{module}" for name, module in COMMANDS.items()}


def test_the_command_is_the_first_argument_past_the_actor() -> None:
    assert command_named(["--actor", "anna", "screen", "x.csv"]) == "screen"
    assert command_named(["--actor=anna", "lists", "load", "-"]) == "lists"
    assert command_named(["--help", "screen"]) is None
    assert command_named(["--version"]) is None
    assert command_named([]) is None


def test_a_command_imports_its_own_module_and_the_help_lists_every_command() -> None:
    own = _finmon("screen", "--help")
    assert own.returncode == 0 and "Screen every row" in own.stdout
    modules = own.stdout.split("modules:")[1].split()
    assert "finmon.cli.screen" in modules
    assert "finmon.cli.fiu" not in modules and "networkx" not in modules
    every = _finmon("--help")
    assert every.returncode == 0
    assert all(name in every.stdout for name in COMMANDS)
    assert "finmon.cli.fiu" in every.stdout.split("modules:")[1].split()


def test_a_screening_run_ends_at_once_with_its_output_flushed(tmp_path: Path) -> None:
    loaded = CliRunner().invoke(app, ["lists", "load", str(FIXTURE_DIR / "un_list_fixture.xml")])
    assert loaded.exit_code == 0, loaded.stderr
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "id,full_name,birth_date\nc1,Карагулов Тимур Ахатович,1988-02-29\nc2,,1980-01-01\n",
        encoding="utf-8",
    )
    printed = _finmon("screen", customers)
    # stdout is a pipe, so block-buffered: the table is there only if it was flushed
    assert printed.returncode == ROW_PROBLEMS_EXIT, printed.stderr
    assert "Карагулов" in printed.stdout and "screened 1 rows" in printed.stderr
    assert "modules:" not in printed.stdout  # the process ended before the probe's `finally`
    hits = tmp_path / "hits.csv"
    written = _finmon("screen", customers, "--output", hits)
    assert written.returncode == ROW_PROBLEMS_EXIT, written.stderr
    with hits.open(encoding="utf-8", newline="") as handle:
        assert [row["id"] for row in csv.DictReader(handle)] == ["c1"]
    problems = (tmp_path / "hits.problems.csv").read_text(encoding="utf-8")
    assert "row skipped" in problems
