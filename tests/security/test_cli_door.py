"""The command line refuses what a role may not do, as the API and the web do (their tables:
tests/api/test_api.py ROUTES, tests/web/test_web.py WEB_ROUTES): one table of commands here, one
table of roles (finmon/workflow/access.py) behind all three doors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from finmon.cli import app, err, out
from finmon.lists import FIXTURE_DIR
from finmon.store import load_list
from finmon.store.customers import import_customers
from finmon.workflow.access import ALLOWED, Action, Role
from tests.accounts import make_users
from tests.store.workflow_data import CUSTOMERS, fixture_designations, un_version

UN = str(FIXTURE_DIR / "un_list_fixture.xml")
AFM = str(FIXTURE_DIR / "afm_list_fixture.xml")
FIU_DATA = Path(__file__).parents[1] / "fiu" / "data"
FIU_SUBJECTS, FIU_KEY = str(FIU_DATA / "subjects.csv"), str(FIU_DATA / "exchange.key")
MRZ = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
COMMANDS: dict[str, tuple[Action | None, tuple[str, ...]]] = {
    "screen": (Action.SCREEN, ("{customers}", "--output", "{tmp}/hits.csv")),
    "compare": (None, ()),
    "demo": (None, ()),
    "serve": (None, ()),
    "simulate": (None, ()),
    "check-payment": (Action.SCREEN, ("{payments}",)),
    "monitor": (Action.SCREEN, ("{payments}",)),
    "triage train": (
        Action.SCREEN,
        ("{payments}", "--labels", "{payments}", "--output", "{tmp}/model.json"),
    ),
    "lists load": (Action.LOAD_LISTS, (UN,)),
    "lists show": (Action.READ, ()),
    "lists diff": (Action.READ, ("un",)),
    "lists fetch un": (Action.LOAD_LISTS, ()),
    "audit verify": (Action.AUDIT, ()),
    "users create": (
        Action.MANAGE_USERS,
        ("new.{role}", "--role", "analyst", "--person", "N-{role}"),
    ),
    "users approve": (Action.APPROVE_USERS, ("nobody",)),
    "users set-role": (Action.MANAGE_USERS, ("nobody", "auditor")),
    "users set-password": (Action.MANAGE_USERS, ("nobody", "--password-stdin")),
    "users new-key": (Action.MANAGE_USERS, ("nobody",)),
    "users revoke-keys": (Action.MANAGE_USERS, ("nobody",)),
    "users disable": (Action.MANAGE_USERS, ("nobody",)),
    "users list": (Action.MANAGE_USERS, ()),
    "cases open": (Action.WORK_CASES, ()),
    "cases list": (Action.READ, ()),
    "cases show": (Action.READ, ("99",)),
    "cases review": (Action.WORK_CASES, ("99",)),
    "cases propose": (Action.WORK_CASES, ("99", "--action", "close", "--reason", "x")),
    "cases withdraw": (Action.WORK_CASES, ("99",)),
    "cases approve": (Action.APPROVE_CASES, ("99",)),
    "cases report": (Action.WORK_CASES, ("99", "--schema", UN, "--output", "{tmp}/str.xml")),
    "payments clear": (
        Action.CLEAR,
        (
            "--name",
            "Timur Karagulov",
            "--account",
            "KZ01",
            "--list",
            "un",
            "--reference",
            "QDi.905",
            "--reason",
            "x",
        ),
    ),
    "payments approve-clearance": (Action.APPROVE, ("99",)),
    "payments revoke": (Action.CLEAR, ("99", "--reason", "x")),
    "payments clearances": (Action.READ, ()),
    "transactions load": (Action.IMPORT_CUSTOMERS, ("{payments}",)),
    "transactions alerts": (Action.READ, ()),
    "travel screen": (Action.SCREEN, ("{tmp}/manifest.edi",)),
    "travel mrz": (Action.SCREEN, MRZ),
    "customers import": (Action.IMPORT_CUSTOMERS, ("{customers}",)),
    "customers reindex": (Action.IMPORT_CUSTOMERS, ()),
    "customers show": (Action.READ, ("K001",)),
    "alerts list": (Action.READ, ()),
    "alerts show": (Action.READ, ("99",)),
    "alerts decide": (Action.DECIDE, ("99", "--decision", "escalate", "--reason", "x")),
    "alerts withdraw": (Action.DECIDE, ("99",)),
    "alerts approve": (Action.APPROVE, ("99",)),
    "freezes list": (Action.READ, ()),
    "freezes sla": (Action.READ, ()),
    "freezes show": (Action.READ, ("99",)),
    "freezes release": (Action.REQUEST, ("99", "--reason", "x")),
    "freezes approve-release": (Action.APPROVE, ("99",)),
    "freezes payment": (
        Action.REQUEST,
        ("99", "--amount", "1", "--currency", "KZT", "--purpose", "rent"),
    ),
    "freezes approve-payment": (Action.APPROVE, ("99",)),
    "freezes notify": (Action.READ, ("99", "--output", "{tmp}/n.json")),
    # Issue 20, the national list out.
    "lists keygen": (None, ()),
    "lists publish afm": (Action.PUBLISH_LISTS, (AFM, "--key", "{tmp}/no.key")),
    "lists fetch afm": (
        Action.LOAD_LISTS,
        ("--feed", "http://127.0.0.1:9/feed/afm", "--key", "{tmp}/no.pub"),
    ),
    "fiu entity-key": (Action.FIU_ENTITIES, ("000740001307", "--key", "{tmp}/no.pub")),
    "fiu receipts": (Action.FIU_READ, ()),
    # Issue 20, reporting entities and the reports they file.
    "fiu entities add": (
        Action.FIU_ENTITIES,
        ("--bin", "1", "--goaml-id", "1", "--name", "X", "--kind", "bank"),
    ),
    "fiu entities list": (Action.FIU_READ, ()),
    "fiu intake": (Action.FIU_INTAKE, ("{customers}",)),
    "fiu reports": (Action.FIU_READ, ()),
    "fiu report": (Action.FIU_READ, ("R-NONE",)),
    "fiu network": (Action.FIU_READ, ("S-0",)),
    "fiu subjects": (Action.FIU_READ, ()),
    "fiu subject": (Action.FIU_READ, ("S-0",)),
    "fiu judge": (Action.FIU_RESOLVE, ("m1", "m2", "same", "--reason", "why")),
    "fiu unjudge": (Action.FIU_RESOLVE, ("1", "--reason", "why")),
    "fiu judgements": (Action.FIU_READ, ()),
    # Issue 20, requests between FIUs and the data bank of banned organisations.
    "fiu request create": (
        Action.FIU_DISSEMINATE,
        (
            "--subjects",
            FIU_SUBJECTS,
            "--to",
            "FIU-X",
            "--from",
            "FIU-KZ",
            "--key-file",
            FIU_KEY,
            "--output",
            "{tmp}/r.json",
            "--purpose",
            "p",
            "--legal-basis",
            "b",
        ),
    ),
    "fiu request receive": (
        Action.FIU_INTAKE,
        ("{tmp}/request.json", "--subjects", FIU_SUBJECTS, "--key-file", FIU_KEY),
    ),
    "fiu request match": (
        Action.FIU_INTAKE,
        ("99", "--subjects", FIU_SUBJECTS, "--key-file", FIU_KEY),
    ),
    "fiu request respond": (Action.FIU_DISSEMINATE, ("99", "--draft")),
    "fiu request approve": (Action.FIU_APPROVE, ("99",)),
    "fiu request answer": (Action.FIU_DISSEMINATE, ("99", "--output", "{tmp}/answer.json")),
    "fiu request read-response": (Action.FIU_INTAKE, ("{tmp}/response.json",)),
    "fiu request list": (Action.FIU_READ, ()),
    "fiu request show": (Action.FIU_READ, ("99",)),
    # Disseminations (issue 20, item 4)
    "fiu disseminate draft": (
        Action.FIU_DISSEMINATE,
        ("--reference", "D-1", "--recipient", "P", "--report", "R-NONE", "--reasoning", "why"),
    ),
    "fiu disseminate approve": (Action.FIU_APPROVE, ("99",)),
    "fiu disseminate export": (Action.FIU_DISSEMINATE, ("99", "--output", "{tmp}/d.zip")),
    "fiu disseminate list": (Action.FIU_READ, ()),
    "fiu disseminate show": (Action.FIU_READ, ("99",)),
    "fiu banned load": (Action.MANAGE_BANNED, ("{tmp}/bans.csv",)),
    "fiu banned lift": (
        Action.MANAGE_BANNED,
        ("KZB-1", "--on", "2026-01-01", "--reason", "ruling"),
    ),
    "fiu banned list": (Action.READ_BANNED, ()),
    "fiu banned show": (Action.READ_BANNED, ("KZB-1",)),
}
"""Every command, the action it needs (None: it acts on no store of the user's), and arguments
that reach the check cheaply."""


def _commands(group: Any, prefix: tuple[str, ...] = ()) -> list[str]:
    subs = getattr(group, "commands", None)
    if not subs:
        return [" ".join(prefix)]
    return [name for key, sub in subs.items() for name in _commands(sub, (*prefix, key))]


def test_the_table_covers_every_command() -> None:
    assert sorted(_commands(typer.main.get_command(app))) == sorted(COMMANDS)


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv("FINMON_UN_LIST_URL", "http://127.0.0.1:9/consolidated.xml")
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    assert import_customers(CUSTOMERS, actor="loader").alerts == 1
    make_users({role.value: role for role in Role})
    payments = tmp_path / "payments.csv"
    payments.write_text(
        "id,timestamp,amount,currency,originator_name,originator_account,"
        "beneficiary_name,beneficiary_account\n"
        "T1,2026-01-20T10:00:00Z,100,KZT,Ivan Petrov,KZ01,Anna Orlova,KZ02\n",
        encoding="utf-8",
    )
    (tmp_path / "manifest.edi").write_text("UNA:+.? '", encoding="utf-8")
    # Files that reach the check: read, and refused as content only after it.
    for name in ("request.json", "response.json"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    (tmp_path / "bans.csv").write_text("reference\n", encoding="utf-8")
    return {"customers": str(CUSTOMERS), "payments": str(payments), "tmp": str(tmp_path)}


@pytest.mark.parametrize("role", list(Role))
def test_every_role_is_refused_on_the_command_line_what_it_may_not_do(
    files: dict[str, str], role: Role
) -> None:
    out.width = err.width = 200
    wrong = []
    for command, (action, args) in COMMANDS.items():
        if action is None:
            continue
        filled = [a.format(**files, role=role.value) for a in args]
        result = CliRunner().invoke(
            app, ["--actor", role.value, *command.split(), *filled], input="a long password\n"
        )
        if role not in ALLOWED[action]:
            if result.exit_code != 9 or f"({role.value}) may not" not in result.stderr:
                wrong.append((command, "must be refused", result.exit_code, result.stderr[-200:]))
        elif result.exit_code in (8, 9) or not isinstance(result.exception, SystemExit | None):
            wrong.append((command, "must not be refused", result.exit_code, result.stderr[-200:]))
    assert wrong == []


def test_an_unknown_or_pending_actor_is_refused_everything(files: dict[str, str]) -> None:
    for actor in ("stranger", "ANALYST"):
        result = CliRunner().invoke(app, ["--actor", actor, "alerts", "list"])
        assert result.exit_code == 8 and "not an active finmon account" in result.stderr
