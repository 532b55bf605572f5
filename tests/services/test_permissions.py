"""One authorisation path: the same action is refused the same way from the command line, the
API and the web for every role `ALLOWED` does not list, and let through for every role it lists.

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
from finmon.errors import Forbidden, NotFound
from finmon.store.sessions import set_password
from finmon.workflow.access import ALLOWED, Action, Role
from tests.accounts import make_users
from tests.conftest import SERVER_URL, _forget_databases, _server  # noqa: F401
from tests.store.workflow_data import CUSTOMERS
from tests.web.test_web import PASSWORD, _sign_in


@dataclass(frozen=True)
class Case:
    """One action as each door asks for it: the command's arguments, the API's request and the
    web form's, and what an allowed caller gets (no such row, or the list read)."""

    action: Action
    command: tuple[str, ...]
    api: tuple[str, str, dict[str, Any] | None]
    web: tuple[str, str, dict[str, Any] | None]
    reads: bool = False


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
    "verify audit": Case(
        Action.AUDIT,
        ("audit", "verify"),
        ("GET", "/audit/verify", None),
        ("GET", "/ui/audit", None),
        reads=True,
    ),
}
DOORS = ("cli", "api", "web")


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
        out.width = err.width = 200
        result = CliRunner().invoke(cli_app, ["--actor", name, *case.command])
        return result.exit_code, result.stderr
    if door == "api":
        method, path, body = case.api
        headers = {"Authorization": f"Bearer {doors.keys[name]}"}
        answer = doors.api.request(method, path, json=body, headers=headers)
        return answer.status_code, answer.text
    browser, csrf = doors.browsers[name]
    method, path, form = case.web
    if method == "GET":
        answer = browser.get(path)
    else:
        answer = browser.post(path, data={**(form or {}), "csrf": csrf})
    return answer.status_code, html.unescape(answer.text)


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("what", list(CASES))
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
    if case.reads:
        assert code == (0 if door == "cli" else 200), said
    else:
        assert code == (NotFound.exit_code if door == "cli" else NotFound.http_status), said


def test_the_matrix_asks_for_refusals_of_every_capability_and_role_but_the_top() -> None:
    # Guards the matrix itself: a table change that leaves an action refused to nobody, or a
    # role refused nothing, would make its cells prove less than their names say.
    refused = {
        (what, role)
        for what, case in CASES.items()
        for role in Role
        if role not in ALLOWED[case.action]
    }
    # Reading is refused too: to the FIU's and other agencies' roles (none of the entity's work).
    assert {what for what, _ in refused} == set(CASES)
    assert {role for _, role in refused} == set(Role) - {Role.SUPERVISOR}


# --- issue 20, subjects across reports (entity resolution): the command line is its only door ---

FIU_SUBJECT_CASES = {
    "list subjects": Case(
        Action.FIU_READ, ("fiu", "subjects"), ("", "", None), ("", "", None), True
    ),
    "show subject": Case(
        Action.FIU_READ, ("fiu", "subject", "S-0"), ("", "", None), ("", "", None)
    ),
    "list judgements": Case(
        Action.FIU_READ, ("fiu", "judgements"), ("", "", None), ("", "", None), True
    ),
    "judge": Case(
        Action.FIU_RESOLVE,
        ("fiu", "judge", "m1", "m2", "same", "--reason", "why"),
        ("", "", None),
        ("", "", None),
    ),
    "unjudge": Case(
        Action.FIU_RESOLVE,
        ("fiu", "unjudge", "1", "--reason", "why"),
        ("", "", None),
        ("", "", None),
    ),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("what", list(FIU_SUBJECT_CASES))
def test_fiu_subjects_are_refused_alike_on_the_command_line(
    doors: Doors, what: str, role: Role
) -> None:
    case = FIU_SUBJECT_CASES[what]
    code, said = _ask(doors, "cli", case, role)
    if role not in ALLOWED[case.action]:
        allowed = ", ".join(sorted(ALLOWED[case.action]))
        assert code == Forbidden.exit_code, said
        assert f"({role}) may not {case.action}: that is for {allowed}" in said
    elif case.reads:
        assert code == 0, said
    else:
        assert code == NotFound.exit_code, said


def test_the_fiu_subject_cells_refuse_the_reporting_entitys_roles() -> None:
    for case in FIU_SUBJECT_CASES.values():
        assert not ALLOWED[case.action] & {Role.ANALYST, Role.SUPERVISOR, Role.ADMIN}
