"""One authorisation path: the same action is refused the same way from the command line, the
API and the web for every role `ALLOWED` does not list, and let through for every role it lists
(at each door that offers the action: the web has no form to clear counterparties, and only the
web shows the fairness review).

A matrix of actions x roles x doors over one store holding only the accounts: a refusal writes
nothing, and an allowed action goes through `finmon.services.access.authorize` to the store,
which finds no such alert, freeze or case (NotFound: exit code 5, HTTP 404), or reads an empty
list. So the store stays the same for every cell and is made once for the module.
"""

from __future__ import annotations

import html
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from finmon.api import create_app
from finmon.cli import app as cli_app
from finmon.cli import err, out
from finmon.errors import FinmonError, Forbidden, InputError, NotFound
from finmon.lists import FIXTURE_DIR
from finmon.store.sessions import set_password
from finmon.workflow.access import ALLOWED, Action, Role
from tests.accounts import make_users
from tests.conftest import ROOT, SERVER_URL, _forget_databases, _server  # noqa: F401
from tests.store.workflow_data import CUSTOMERS
from tests.web.test_web import PASSWORD, _sign_in

Request = tuple[str, str, dict[str, Any] | None]


@dataclass(frozen=True)
class Case:
    """One action as each door asks for it: the command's arguments, the API's request and the
    web form's (None at a door that does not offer it), and what an allowed caller gets (no
    such row, or the list read)."""

    action: Action
    command: tuple[str, ...] | None
    api: Request | None
    web: Request | None
    reads: bool = False
    answer: type[FinmonError] = NotFound
    """What an allowed caller gets when it does not read: no such row, or its input refused."""
    allowed: int | None = None
    """The command's exit code for an allowed caller when it is neither of the above (a key
    file that does not exist: InputError, 2), for actions with only a command-line door."""

    @property
    def doors(self) -> tuple[str, ...]:
        """The doors this action has."""
        asked = (self.command, self.api, self.web)
        return tuple(door for door, ask in zip(DOORS, asked, strict=True) if ask is not None)


FIU_DATA = ROOT / "tests" / "fiu" / "data"

AFM_FIXTURE = FIXTURE_DIR / "afm_list_fixture.xml"
CASES = {
    "decide alert": Case(
        Action.DECIDE,
        ("alerts", "decide", "1", "--decision", "escalate", "--reason", "ask"),
        ("POST", "/alerts/1/decision", {"decision": "escalate", "reason": "ask"}),
        ("POST", "/ui/alerts/1/decision", {"decision": "escalate", "reason": "ask"}),
    ),
    "approve alert": Case(
        Action.APPROVE,
        ("alerts", "approve", "1"),
        ("POST", "/alerts/1/approve", None),
        ("POST", "/ui/alerts/1/approve", {}),
    ),
    "request release": Case(
        Action.REQUEST,
        ("freezes", "release", "1", "--reason", "delisted"),
        ("POST", "/freezes/1/release-request", {"reason": "delisted"}),
        ("POST", "/ui/freezes/1/release-request", {"reason": "delisted"}),
    ),
    "approve release": Case(
        Action.APPROVE,
        ("freezes", "approve-release", "1"),
        ("POST", "/freezes/1/release", None),
        ("POST", "/ui/freezes/1/release", {}),
    ),
    "review case": Case(
        Action.WORK_CASES,
        ("cases", "review", "1"),
        ("POST", "/cases/1/review", None),
        ("POST", "/ui/cases/1/review", {}),
    ),
    "approve case": Case(
        Action.APPROVE_CASES,
        ("cases", "approve", "1"),
        ("POST", "/cases/1/approve", None),
        ("POST", "/ui/cases/1/approve", {}),
    ),
    "screen": Case(
        Action.SCREEN,
        ("screen", str(CUSTOMERS)),
        ("POST", "/screen", {"parties": [{"id": "P1", "names": ["Timur Karagulov"]}]}),
        ("POST", "/ui/screen", {"name": "Timur Karagulov"}),
    ),
    "read alerts": Case(
        Action.READ,
        ("alerts", "list", "--format", "json"),
        ("GET", "/alerts", None),
        ("GET", "/ui/alerts", None),
        reads=True,
    ),
    "read lists": Case(
        Action.READ,
        ("lists", "show", "--format", "json"),
        ("GET", "/lists", None),
        ("GET", "/ui/lists", None),
        reads=True,
    ),
    "diff list": Case(
        Action.READ,
        ("lists", "diff", "un"),
        ("GET", "/lists/un/diff", None),
        ("GET", "/ui/lists/un/diff", None),
    ),
    "clear counterparty": Case(
        Action.CLEAR,
        ("payments", "revoke", "1", "--reason", "listed after all"),
        ("POST", "/payments/clearances/1/revoke", {"reason": "listed after all"}),
        None,
    ),
    "approve clearance": Case(
        Action.APPROVE,
        ("payments", "approve-clearance", "1"),
        ("POST", "/payments/clearances/1/approve", None),
        None,
    ),
    "read clearances": Case(
        Action.READ,
        ("payments", "clearances", "--format", "json"),
        ("GET", "/payments/clearances", None),
        ("GET", "/ui/clearances", None),
        reads=True,
    ),
    "review fairness": Case(
        Action.REVIEW_FAIRNESS, None, None, ("GET", "/ui/fairness", None), reads=True
    ),
    "verify audit": Case(
        Action.AUDIT,
        ("audit", "verify"),
        ("GET", "/audit/verify", None),
        ("GET", "/ui/audit", None),
        reads=True,
    ),
    # Requests between FIUs (issue 20, item 6): the command line and the API, no web page.
    "match fiu request": Case(
        Action.FIU_INTAKE,
        (
            "fiu",
            "request",
            "match",
            "1",
            "--subjects",
            str(FIU_DATA / "subjects.csv"),
            "--key-file",
            str(FIU_DATA / "exchange.key"),
        ),
        None,
        None,
    ),
    "draft fiu answer": Case(
        Action.FIU_DISSEMINATE, ("fiu", "request", "respond", "1", "--draft"), None, None
    ),
    "take fiu answer": Case(
        Action.FIU_DISSEMINATE,
        ("fiu", "request", "answer", "1", "--output", "answer.json"),
        ("GET", "/fiu/requests/1/response", None),
        None,
    ),
    "approve fiu answer": Case(Action.FIU_APPROVE, ("fiu", "request", "approve", "1"), None, None),
    "list fiu requests": Case(
        Action.FIU_READ, ("fiu", "request", "list", "--format", "json"), None, None, reads=True
    ),
    # The data bank of banned organisations (issue 20, item 7): read by other agencies too.
    "read banned": Case(
        Action.READ_BANNED,
        ("fiu", "banned", "list", "--format", "json"),
        ("GET", "/banned", None),
        None,
        reads=True,
    ),
    "lift ban": Case(
        Action.MANAGE_BANNED,
        ("fiu", "banned", "lift", "KZB-1", "--on", "2026-01-01", "--reason", "ruling"),
        None,
        None,
    ),
    # Issue 20, the national list out: the FIU publishes, registers entities' keys and reads
    # their receipts; an entity fetches the feed (command-line doors only; the feed and the
    # receipts' routes are open, their signatures being the trust: tests/api/test_feed.py).
    "publish list": Case(
        Action.PUBLISH_LISTS,
        ("lists", "publish", "afm", str(AFM_FIXTURE), "--key", "no-such.key"),
        None,
        None,
        allowed=InputError.exit_code,
    ),
    "register entity key": Case(
        Action.FIU_ENTITIES,
        ("fiu", "entity-key", "000740001307", "--key", "no-such.pub"),
        None,
        None,
        allowed=InputError.exit_code,
    ),
    "read receipts": Case(Action.FIU_READ, ("fiu", "receipts"), None, None),
    "fetch feed": Case(
        Action.LOAD_LISTS,
        ("lists", "fetch", "afm", "--feed", "http://127.0.0.1:9/feed/afm", "--key", "no.pub"),
        None,
        None,
        allowed=InputError.exit_code,
    ),
    # FIU part 1: reporting entities and intake
    "read fiu reports": Case(
        Action.FIU_READ,
        ("fiu", "reports", "--format", "json"),
        ("GET", "/fiu/reports", None),
        ("GET", "/ui/fiu/reports", None),
        reads=True,
    ),
    "show fiu report": Case(
        Action.FIU_READ,
        ("fiu", "report", "R-NONE"),
        ("GET", "/fiu/reports/R-NONE", None),
        None,
    ),
    "list fiu entities": Case(
        Action.FIU_READ,
        ("fiu", "entities", "list", "--format", "json"),
        ("GET", "/fiu/entities", None),
        None,
        reads=True,
    ),
    # Allowed, these are refused for what they send (no FIU schema set, not a report, no BIN).
    "receive fiu report": Case(
        Action.FIU_INTAKE,
        ("fiu", "intake", str(CUSTOMERS)),
        ("POST", "/fiu/reports", None),
        ("POST", "/ui/fiu/reports", {}),
        answer=InputError,
    ),
    "register fiu entity": Case(
        Action.FIU_ENTITIES,
        (
            "fiu",
            "entities",
            "add",
            "--bin",
            "1",
            "--goaml-id",
            "1",
            "--name",
            "X",
            "--kind",
            "bank",
        ),
        ("POST", "/fiu/entities", {"bin": "1", "goaml_id": 1, "name": "X", "kind": "bank"}),
        None,
        answer=InputError,
    ),
    # Subjects across reports (entity resolution): the command line is its only door.
    "list subjects": Case(Action.FIU_READ, ("fiu", "subjects"), None, None, reads=True),
    "show subject": Case(Action.FIU_READ, ("fiu", "subject", "S-0"), None, None),
    "list judgements": Case(Action.FIU_READ, ("fiu", "judgements"), None, None, reads=True),
    "judge": Case(
        Action.FIU_RESOLVE, ("fiu", "judge", "m1", "m2", "same", "--reason", "why"), None, None
    ),
    "unjudge": Case(Action.FIU_RESOLVE, ("fiu", "unjudge", "1", "--reason", "why"), None, None),
    # Disseminations to law enforcement (issue 20, item 4): the command line is their door.
    "draft dissemination": Case(
        Action.FIU_DISSEMINATE,
        (
            "fiu",
            "disseminate",
            "draft",
            "--reference",
            "D-1",
            "--recipient",
            "P",
            "--report",
            "R-NONE",
            "--reasoning",
            "why",
        ),
        None,
        None,
    ),
    "approve dissemination": Case(
        Action.FIU_APPROVE, ("fiu", "disseminate", "approve", "1"), None, None
    ),
    "export dissemination": Case(
        Action.FIU_DISSEMINATE,
        ("fiu", "disseminate", "export", "1", "--output", "d.zip"),
        None,
        None,
    ),
    "list disseminations": Case(
        Action.FIU_READ, ("fiu", "disseminate", "list", "--format", "json"), None, None, reads=True
    ),
    "show dissemination": Case(Action.FIU_READ, ("fiu", "disseminate", "show", "1"), None, None),
}
DOORS = ("cli", "api", "web")
CELLS = [
    (what, door)
    for what, case in CASES.items()
    for door, asked in zip(DOORS, (case.command, case.api, case.web), strict=True)
    if asked is not None
]
"""Every action at every door that offers it."""


@dataclass
class Doors:
    """The store's API keys per role, and a signed-in browser with its CSRF token per role."""

    keys: dict[str, str]
    api: TestClient
    browsers: dict[str, tuple[TestClient, str]]


@pytest.fixture(scope="module")
def _home(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[None]:
    """One store for the module, on SQLite or (FINMON_TEST_DATABASE_URL) PostgreSQL."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FINMON_HOME", str(tmp_path_factory.mktemp("permissions") / "home"))
        if SERVER_URL is None:
            patch.delenv("FINMON_DATABASE_URL", raising=False)
            yield
            _forget_databases()
            return
        server = request.getfixturevalue("_server")
        name = f"finmon_perm_{os.getpid()}"
        with server.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {name} TEMPLATE template0"))
        base, _, _ = SERVER_URL.rpartition("/")
        patch.setenv("FINMON_DATABASE_URL", f"{base}/{name}")
        try:
            yield
        finally:
            _forget_databases()
            with server.connect() as conn:
                conn.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))


@pytest.fixture
def finmon_home(_home: None) -> None:
    """Replaces the suite's store per test with the module's one (see the module's docstring)."""


@pytest.fixture(scope="module")
def doors(_home: None) -> Iterator[Doors]:
    """An account of each role named after it, with an API key and a signed-in browser."""
    keys = make_users({role.value: role for role in Role})
    for name in keys:
        set_password(name, PASSWORD, actor=name)
    application = create_app()
    with TestClient(application) as api:
        yield Doors(keys, api, {name: _sign_in(application, name) for name in keys})


def _ask(doors: Doors, door: str, case: Case, role: Role) -> tuple[int, str]:
    """The door's answer as (exit code or HTTP status, the text a person reads)."""
    name = role.value
    if door == "cli":
        assert case.command is not None
        out.width = err.width = 200
        result = CliRunner().invoke(cli_app, ["--actor", name, *case.command])
        return result.exit_code, result.stderr
    if door == "api":
        assert case.api is not None
        method, path, body = case.api
        headers = {"Authorization": f"Bearer {doors.keys[name]}"}
        answer = doors.api.request(method, path, json=body, headers=headers)
        return answer.status_code, answer.text
    browser, csrf = doors.browsers[name]
    assert case.web is not None
    method, path, form = case.web
    if method == "GET":
        answer = browser.get(path)
    else:
        answer = browser.post(path, data={**(form or {}), "csrf": csrf})
    return answer.status_code, html.unescape(answer.text)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(("what", "door"), CELLS)
def test_an_action_is_refused_alike_at_every_door(
    doors: Doors, what: str, role: Role, door: str
) -> None:
    case = CASES[what]
    code, said = _ask(doors, door, case, role)
    refused = Forbidden.exit_code if door == "cli" else Forbidden.http_status
    if role not in ALLOWED[case.action]:
        allowed = ", ".join(sorted(ALLOWED[case.action]))
        assert code == refused, said
        assert f"({role}) may not {case.action}: that is for {allowed}" in said
        return
    if case.allowed is not None:
        assert code == case.allowed, said
    elif case.reads:
        assert code == (0 if door == "cli" else 200), said
    else:
        answer = case.answer
        assert code == (answer.exit_code if door == "cli" else answer.http_status), said


def test_the_matrix_asks_for_refusals_of_every_capability_and_role() -> None:
    # Guards the matrix itself: a table change that leaves an action refused to nobody, or a
    # role refused nothing, would make its cells prove less than their names say.
    refused = {
        (what, role)
        for what, case in CASES.items()
        for role in Role
        if role not in ALLOWED[case.action]
    }
    # Reading is refused too: to the FIU's and other agencies' roles (none of the entity's work),
    # and the FIU's work to every entity's role.
    assert {what for what, _ in refused} == set(CASES)
    # No role may do everything: the entity's supervisor is refused the FIU's work.
    assert {role for _, role in refused} == set(Role)
