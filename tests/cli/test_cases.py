"""The `finmon cases` commands: grouping, the four-eyes decision under each --actor, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app, err, out
from finmon.lists import FIXTURE_DIR
from finmon.store.cases import list_cases
from finmon.workflow.access import Role
from tests.accounts import make_users
from tests.store.workflow_data import audit_rows

UN_FIXTURE = FIXTURE_DIR / "un_list_fixture.xml"
LISTED_ACCOUNT = "RU02044525600407028"
PAYMENTS = (
    "id,timestamp,originator_account,originator_name,originator_id,originator_country,"
    "beneficiary_account,beneficiary_name,beneficiary_id,beneficiary_country,amount,currency,"
    "channel,reference\n"
    "C-1,2026-11-02T09:30:00,KZ86125KZT5004100100,Erlan Zhaksylykov,871008300125,KZ,"
    f"{LISTED_ACCOUNT},Карагулов Тимур Ахатович,,RU,300,USD,wire,e2e-1\n"
    "C-2,2026-11-02T09:31:00,KZ11125KZT0000000102,Aigerim Seitkali,,KZ,"
    "TJ12345678901234567,Rustam Nazarov,,TJ,2500,EUR,wire,e2e-2\n"
)
"""A payment to the listed person QDi.905, and one without the originator's identification."""
runner = CliRunner()


def _run(*args: str | Path) -> tuple[int, str, str]:
    out.width = err.width = 200
    result = runner.invoke(app, [str(a) for a in args], env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def _ok(*args: str | Path) -> str:
    code, stdout, stderr = _run(*args)
    assert code == 0, stderr
    return stdout


@pytest.fixture
def two_cases(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """The list, the users and the payments loaded and grouped: (listed account's case, other).
    Commands without --actor act as the analyst ops."""
    monkeypatch.setenv("FINMON_ACTOR", "ops")
    _ok("lists", "load", UN_FIXTURE)
    make_users(
        {
            "anna": Role.ANALYST,
            "bolat": Role.SUPERVISOR,
            "dana": Role.SUPERVISOR,
            "ops": Role.ANALYST,
        }
    )
    payments = tmp_path / "payments.csv"
    payments.write_text(PAYMENTS, encoding="utf-8")
    _ok("--actor", "ops", "transactions", "load", payments)
    code, stdout, stderr = _run("--actor", "ops", "cases", "open")
    assert code == 0 and "2 cases opened, 0 updated" in stderr
    assert stdout.count("opened") == 2 and LISTED_ACCOUNT in stdout
    # The summary comes first: cases by status and typology, the alerts and the amounts.
    summary = stdout[: stdout.index(LISTED_ACCOUNT)]
    assert re.search(r"status open\s*│\s*2", summary), stdout
    assert re.search(r"amount USD\s*│\s*[\d,.]+", summary) and "typology" in summary
    [listed] = [c["case_id"] for c in list_cases() if c["account"] == LISTED_ACCOUNT]
    [other] = [c["case_id"] for c in list_cases() if c["account"] != LISTED_ACCOUNT]
    return listed, other


def test_cases_open_groups_once_and_list_filters_by_status(two_cases: tuple[int, int]) -> None:
    assert "no case opened or changed" in _ok("cases", "open")
    listed = _ok("cases", "list")
    assert LISTED_ACCOUNT in listed and "listed_party" in listed and "300 USD" in listed
    code, stdout, stderr = _run("cases", "list", "--status", "reported")
    assert code == 0 and LISTED_ACCOUNT not in stdout and "0 cases (reported)" in stderr
    code, _, stderr = _run("cases", "list", "--status", "pending")
    assert code == 2 and "unknown case status 'pending'" in stderr
    assert "use one of working, open, under_review, proposed, reported, closed" in stderr


def test_a_case_is_reviewed_proposed_and_approved_by_two_people(
    two_cases: tuple[int, int],
) -> None:
    case, other = (str(i) for i in two_cases)
    propose = ("cases", "propose", case, "--action", "report", "--reason", "pays a listed person")
    code, _, stderr = _run("--actor", "anna", *propose)
    assert code == 7 and "take it for review first" in stderr
    assert "under_review, reviewed by anna" in _ok("--actor", "anna", "cases", "review", case)
    freeze = ("cases", "propose", case, "--action", "freeze", "--reason", "x")
    code, _, stderr = _run("--actor", "anna", *freeze)
    assert code == 2 and "unknown case action 'freeze'" in stderr
    assert "a second person must run" in _ok("--actor", "anna", *propose)
    code, _, stderr = _run("--actor", "anna", "cases", "approve", case)
    assert code == 9 and "analyst" in stderr
    code, _, stderr = _run("--actor", "nobody", "cases", "approve", case)
    assert code == 8 and "not an active finmon account" in stderr
    assert f"case {case} is now reported" in _ok("--actor", "bolat", "cases", "approve", case)

    _ok("--actor", "bolat", "cases", "review", other)
    _ok("--actor", "bolat", "cases", "propose", other, "--action", "close", "--reason", "known")
    code, _, stderr = _run("--actor", "bolat", "cases", "approve", other)
    assert code == 7 and "four-eyes" in stderr
    assert "withdrawn; the case is under_review" in _ok(
        "--actor", "bolat", "cases", "withdraw", other
    )
    _ok("--actor", "bolat", "cases", "propose", other, "--action", "close", "--reason", "known")
    assert f"case {other} is now closed" in _ok("--actor", "dana", "cases", "approve", other)

    assert [row[:2] for row in audit_rows("case.")] == [
        ("ops", "case.open"),
        ("ops", "case.open"),
        ("anna", "case.review"),
        ("anna", "case.propose"),
        ("bolat", "case.approve"),
        ("bolat", "case.review"),
        ("bolat", "case.propose"),
        ("bolat", "case.withdraw"),
        ("bolat", "case.propose"),
        ("dana", "case.approve"),
    ]
    code, stdout, _ = _run("--actor", "bolat", "audit", "verify")
    assert code == 0 and "intact" in stdout


def test_cases_show_prints_alerts_transactions_and_decisions(two_cases: tuple[int, int]) -> None:
    case = str(two_cases[0])
    _ok("--actor", "anna", "cases", "review", case)
    _ok("--actor", "anna", "cases", "propose", case, "--action", "close", "--reason", "a namesake")
    shown = _ok("cases", "show", case)
    for expected in ("proposed", "listed_party", "C-1", "Карагулов Тимур Ахатович", "a namesake"):
        assert expected in shown, expected
    whole = json.loads(_ok("cases", "show", case, "--json"))
    assert [t["id"] for t in whole["transactions"]] == ["C-1"]
    assert whole["decisions"][0]["proposed_by"] == "anna"
    code, _, stderr = _run("cases", "show", "99")
    assert code == 5 and "no case 99" in stderr


def test_every_cases_command_has_help() -> None:
    for command in ("open", "list", "show", "review", "propose", "withdraw", "approve"):
        code, stdout, _ = _run("cases", command, "--help")
        assert code == 0 and "Usage" in stdout, command
