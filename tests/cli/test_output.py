"""What the `finmon` commands print for other programs: whole values off a terminal, the shared
--format and --output options, and --version."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon import __version__
from finmon.cli import app, err, out
from finmon.lists import FIXTURE_DIR
from finmon.workflow.access import Role
from tests.accounts import make_users

runner = CliRunner()
LONG_ID = "KZ-ALMATY-BRANCH-0042-PRIVATE-CUSTOMERS-2026-000000000000904"
"""Longer than any column rich would give it in 80 columns."""
ACCOUNT = "KZ75125KZT2069100100"


def _run(*args: str | Path, width: int = 80) -> tuple[int, str, str]:
    out.width = err.width = width
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": str(width)})
    return result.exit_code, result.stdout, result.stderr


def _ok(*args: str | Path) -> str:
    code, stdout, stderr = _run(*args)
    assert code == 0, stderr
    return stdout


def _frozen_customer(tmp_path: Path) -> None:
    """The listed person of the fixture list as a customer with a long id, frozen."""
    make_users({"anna": Role.ANALYST, "bolat": Role.SUPERVISOR})
    _ok("--actor", "anna", "lists", "load", FIXTURE_DIR / "un_list_fixture.xml")
    customers = tmp_path / "customers.csv"
    customers.write_text(
        "id,full_name,birth_date,nationality,schema,accounts\n"
        f"{LONG_ID},Карагулов Тимур Ахатович,1988-02-29,RU,person,{ACCOUNT}\n",
        encoding="utf-8",
    )
    assert "1 alerts raised" in _ok("--actor", "anna", "customers", "import", customers)
    _ok("--actor", "anna", "alerts", "decide", "1", "--decision", "confirmed_hit")
    _ok("--actor", "bolat", "alerts", "approve", "1")


def test_freezes_list_shows_every_customer_id_whole_off_a_terminal(tmp_path: Path) -> None:
    _frozen_customer(tmp_path)
    stdout = _ok("--actor", "anna", "freezes", "list")
    assert LONG_ID in stdout and ACCOUNT in stdout
    env = {key: value for key, value in os.environ.items() if key != "COLUMNS"}
    command = [sys.executable, "-c", "from finmon.cli import main; main()"]
    piped = subprocess.run(
        [*command, "--actor", "anna", "freezes", "list"],
        capture_output=True,  # stdout is a pipe, as in `finmon freezes list | cat`
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    [line] = [line for line in piped.stdout.splitlines() if LONG_ID in line]
    assert ACCOUNT in line and "Карагулов Тимур Ахатович" in line


def test_freezes_list_and_alerts_print_json_and_csv(tmp_path: Path) -> None:
    _frozen_customer(tmp_path)
    document = json.loads(_ok("--actor", "anna", "freezes", "list", "--format", "json"))
    [order] = document["freeze_notifications"]
    assert order["customer_id"] == LONG_ID and order["accounts"] == [ACCOUNT]
    rows = list(
        csv.DictReader(io.StringIO(_ok("--actor", "anna", "freezes", "list", "--format", "csv")))
    )
    assert [row["customer_id"] for row in rows] == [LONG_ID]
    [alert] = json.loads(
        _ok("--actor", "anna", "alerts", "list", "--status", "all", "--format", "json")
    )
    assert (alert["customer_id"], alert["status"]) == (LONG_ID, "confirmed_hit")
    shown = tmp_path / "alert.json"
    _ok("--actor", "anna", "alerts", "show", "1", "--output", shown)
    written = json.loads(shown.read_text(encoding="utf-8"))
    assert written["customer_id"] == LONG_ID and written["explanation"]
    code, _, stderr = _run("--actor", "anna", "alerts", "show", "1", "--output", tmp_path / "a.csv")
    assert code == 2 and "must end in .json" in stderr


def test_lists_show_and_users_list_as_json(tmp_path: Path) -> None:
    _frozen_customer(tmp_path)
    [version] = json.loads(_ok("--actor", "anna", "lists", "show", "--format", "json"))
    assert version["source"] == "un" and version["is_current"] is True
    assert version["designations"] == 25
    written = tmp_path / "versions.csv"
    _ok("--actor", "anna", "lists", "show", "--output", written)
    assert written.read_text(encoding="utf-8").startswith("source,version,is_current,")


def test_compare_writes_json_and_csv(tmp_path: Path) -> None:
    document = json.loads(_ok("compare", "Ivan Petrov", "Petrov Ivan", "--format", "json"))
    assert document["name1"] == "Ivan Petrov" and document["match"] is True
    assert document["explanation"]["algorithm"]
    target = tmp_path / "score.json"
    _ok("compare", "Ivan Petrov", "Olga Sidorova", "--output", target)
    written = json.loads(target.read_text(encoding="utf-8"))
    assert written["match"] is False and written["score"] < document["score"]
    [row] = list(csv.DictReader(io.StringIO(_ok("compare", "A B", "A B", "--format", "csv"))))
    assert row == {"name1": "A B", "name2": "A B", "score": "1.0000", "match": "true"}


@pytest.mark.parametrize("prefix", [[], ["-m", "finmon"]])
def test_version(prefix: list[str]) -> None:
    if not prefix:
        assert _ok("--version").strip() == f"finmon {__version__}"
        return
    done = subprocess.run(
        [sys.executable, *prefix, "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.strip() == f"finmon {__version__}"
