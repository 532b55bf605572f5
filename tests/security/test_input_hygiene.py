"""Input hygiene (issue 16, finding 10): unpaired surrogates, NaN and Infinity, absurd amounts and
unknown currencies are refused with a 4xx naming the field on every route, and with a one-line
error by the command line - never a 500 or a traceback."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from finmon.api import create_app
from finmon.cli import app
from finmon.errors import InputError
from finmon.hygiene import NUL_REFUSED
from finmon.store import Database, load_list
from finmon.store.alerts import approve, decide_alert
from finmon.store.customers import import_customers
from finmon.store.freezes import get_freeze
from finmon.store.sessions import set_password
from finmon.workflow import Verdict
from finmon.workflow.access import Action, Role
from tests.accounts import make_users
from tests.api.test_api import ROUTES, VALUES
from tests.conftest import ROOT
from tests.store.workflow_data import CUSTOMERS, fixture_designations, un_version

SURROGATE = "\udcff"
NAN = float("nan")
BODIES = {(method, path): body for method, path, _, body in ROUTES}
ACTIONS = {(method, path): action for method, path, action, _ in ROUTES}


@pytest.fixture(scope="module")
def openapi_routes(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    # A store of its own: module fixtures run before each test's FINMON_HOME is set.
    store = Database(f"sqlite:///{tmp_path_factory.mktemp('openapi') / 'finmon.db'}")
    document = create_app(store).openapi()
    store.dispose()
    return [(m.upper(), p) for p, item in document["paths"].items() for m in item]


@pytest.fixture
def api() -> Iterator[tuple[TestClient, dict[str, str]]]:
    """The app over a store with the fixture list and customers, and a key of each role."""
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    assert import_customers(CUSTOMERS, actor="loader").alerts == 1
    keys = dict(zip(Role, make_users({role.value: role for role in Role}).values(), strict=True))
    decide_alert(1, Verdict.CONFIRMED_HIT, actor="analyst")
    approve(1, actor="supervisor")  # freeze 1, for the permitted payments
    with TestClient(create_app(), raise_server_exceptions=False) as client:
        yield client, {role.value: key for role, key in keys.items()}


def _key(keys: dict[str, str], method: str, path: str) -> dict[str, str]:
    action = ACTIONS.get((method, path))
    role = Role.ADMIN if action is Action.MANAGE_USERS else Role.SUPERVISOR
    return {"Authorization": f"Bearer {keys[role.value]}"}


def _leaves(value: Any, where: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, f"{where}.{key}" if where else key)
    elif isinstance(value, list):
        for position, item in enumerate(value):
            yield from _leaves(item, f"{where}[{position}]")
    else:
        yield where, value


def _replaced(value: Any, where: str, new: Any, at: str = "") -> Any:
    if isinstance(value, dict):
        return {k: _replaced(v, where, new, f"{at}.{k}" if at else k) for k, v in value.items()}
    if isinstance(value, list):
        return [_replaced(v, where, new, f"{at}[{i}]") for i, v in enumerate(value)]
    return new if at == where else value


def _hostile_bodies(body: dict[str, Any] | None) -> Iterator[tuple[str, dict[str, Any]]]:
    """(the field, a body with that field hostile): each text field an unpaired surrogate, each
    number NaN or Infinity, and a stray field of each."""
    for where, value in _leaves(body or {}):
        if isinstance(value, str):
            yield where, _replaced(body, where, SURROGATE + value)
    for where, value in _leaves(body or {}):
        if isinstance(value, int | float) and not isinstance(value, bool):
            yield where, _replaced(body, where, NAN)
    yield "note", {**(body or {}), "note": SURROGATE}
    yield "threshold", {**(body or {}), "threshold": NAN}
    yield "threshold", {**(body or {}), "threshold": float("inf")}
    yield SURROGATE, {**(body or {}), SURROGATE: "x"}


def test_every_route_of_the_api_refuses_surrogates_and_nan_with_a_4xx_naming_the_field(
    api: tuple[TestClient, dict[str, str]], openapi_routes: list[tuple[str, str]]
) -> None:
    client, keys = api
    wrong = []
    for method, path in openapi_routes:
        url = path.format(**VALUES)
        body = BODIES.get((method, path))
        if body is not None and "file" in body:
            continue  # multipart: tests/security/test_uploads (another part of issue 16)
        for field, hostile in _hostile_bodies(body):
            raw = json.dumps(hostile).encode()  # \udcff escaped, NaN and Infinity bare
            answer = client.request(
                method,
                url,
                content=raw,
                headers={**_key(keys, method, path), "content-type": "application/json"},
            )
            named = json.dumps(field)[1:-1]  # as the message writes it
            if not (400 <= answer.status_code < 500) or named not in answer.text:
                wrong.append((method, path, field, answer.status_code, answer.text[:200]))
    assert wrong == []


def test_surrogates_in_paths_and_queries_are_never_a_5xx(
    api: tuple[TestClient, dict[str, str]], openapi_routes: list[tuple[str, str]]
) -> None:
    client, keys = api
    odd = "%ED%B3%BF"  # the bytes of an encoded surrogate: not UTF-8
    values = {key: odd for key in VALUES}
    wrong = []
    for method, path in openapi_routes:
        for url in (path.format(**values), path.format(**VALUES) + f"?status={odd}&q={odd}"):
            answer = client.request(method, url, headers=_key(keys, method, path))
            if answer.status_code >= 500:
                wrong.append((method, url, answer.status_code))
    assert wrong == []


ABSURD = [
    ("amount", "1e400"),
    ("amount", "NaN"),
    ("amount", "Infinity"),
    ("amount", "-5"),
    ("amount", "0.000001"),
    ("amount", "1" * 30),
    ("currency", "ZZZ"),
    ("currency", "XXX"),
    ("currency", "12$"),
]
"""Permitted payments that are refused, by field."""


@pytest.mark.parametrize(("field", "value"), ABSURD)
def test_absurd_amounts_and_unknown_currencies_are_refused_by_the_api(
    api: tuple[TestClient, dict[str, str]], field: str, value: str
) -> None:
    client, keys = api
    headers = _key(keys, "POST", "/freezes/{freeze_id}/payments")
    payment = {"amount": "85000.00", "currency": "KZT", "purpose": "rent", field: value}
    answer = client.post("/freezes/1/payments", json=payment, headers=headers)
    assert answer.status_code == 422 and field in answer.text, answer.text
    check = {"id": "p1", "amount": "10", "currency": "kzt", field: value}
    answer = client.post("/payments/check", json=check, headers=headers)
    assert answer.status_code == 422 and field in answer.text, answer.text
    if field == "amount":  # as a JSON number too: 1e400 reads as infinity
        raw = json.dumps(check).replace(f'"{value}"', value).encode()
        answer = client.post("/payments/check", content=raw, headers=headers)
        assert 400 <= answer.status_code < 500 and field in answer.text, (value, answer.text)
    ok = client.post(
        "/freezes/1/payments",
        json={**payment, field: "KZT" if field == "currency" else "85000.00"},
        headers=headers,
    )
    assert ok.status_code == 200, ok.text
    assert (
        client.post(
            "/payments/check",
            json={**check, field: "10" if field == "amount" else "kzt"},
            headers=headers,
        ).status_code
        == 200
    )


# --- the web forms -----------------------------------------------------------------------------


def test_the_web_forms_refuse_bytes_that_are_not_text_and_absurd_payments(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    client, _ = api
    set_password("analyst", "correct horse battery staple", actor="analyst")
    page = client.get("/ui/sign-in")
    csrf = re.findall(r'name="csrf" value="([^"]+)"', page.text)[0]
    odd = "%ED%B3%BF"  # an encoded surrogate: not UTF-8
    answer = client.post(
        "/ui/sign-in",
        content=f"name={odd}&password={odd}&csrf={csrf}".encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert answer.status_code == 401
    page = client.get("/ui/sign-in")
    csrf = re.findall(r'name="csrf" value="([^"]+)"', page.text)[0]
    signed_in = client.post(
        "/ui/sign-in",
        data={"name": "analyst", "password": "correct horse battery staple", "csrf": csrf},
        follow_redirects=False,
    )
    assert signed_in.status_code == 303
    csrf = re.findall(r'name="csrf" value="([^"]+)"', client.get("/ui/").text)[0]
    forms = [
        ("/ui/alerts/1/decision", {"decision": "escalate", "reason": odd}),
        ("/ui/freezes/1/release-request", {"reason": odd}),
        ("/ui/freezes/1/payments", {"amount": "100", "currency": "KZT", "purpose": odd}),
        ("/ui/cases/1/propose", {"action": "close", "reason": odd}),
    ]
    for path, fields in forms:
        body = "&".join(f"{k}={v}" for k, v in {**fields, "csrf": csrf}.items())
        answer = client.post(
            path,
            content=body.encode(),
            headers={"content-type": "application/x-www-form-urlencoded"},
            follow_redirects=False,
        )
        assert answer.status_code < 500, (path, answer.status_code)
    fields = {"reason": "see\x00file", "csrf": csrf}
    answer = client.post("/ui/freezes/1/release-request", data=fields, follow_redirects=False)
    assert answer.status_code == 422 and NUL_REFUSED in answer.text
    for field, value in ABSURD:
        fields = {"amount": "100", "currency": "KZT", "purpose": "rent", field: value, "csrf": csrf}
        answer = client.post("/ui/freezes/1/payments", data=fields, follow_redirects=False)
        assert answer.status_code == 422 and field in answer.text, (field, value)
    # only the form above with a valid amount, in KZT, was recorded
    recorded = get_freeze(1)["permitted_payments"]
    assert [(p["amount"], p["currency"]) for p in recorded] == [("100", "KZT")]


# --- the command line --------------------------------------------------------------------------

runner = CliRunner()


def _refused(*args: str | Path) -> str:
    """The one line a refused command prints, after checking its exit code."""
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == InputError.exit_code, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_the_command_line_refuses_absurd_payments_with_one_line(
    api: tuple[TestClient, dict[str, str]],
) -> None:
    for field, value in ABSURD:
        payment = {"amount": "85000", "currency": "KZT", field: value}
        line = _refused(
            "--actor",
            "analyst",
            "freezes",
            "payment",
            "1",
            "--amount",
            payment["amount"],
            "--currency",
            payment["currency"],
            "--purpose",
            "rent",
        )
        assert field in line, line


def test_the_command_line_refuses_arguments_and_files_that_are_not_text(tmp_path: Path) -> None:
    assert "argument 2" in _refused("compare", SURROGATE, "x")
    assert "argument 4" in _refused("--actor", "x", "screen", tmp_path / f"{SURROGATE}.csv")
    assert "argument 2" in _refused("--actor", SURROGATE, "lists", "show")
    customers = tmp_path / "customers.jsonl"
    customers.write_text('{"id": "1", "name": "\\udcff Ivan"}\n', encoding="utf-8")
    assert "line 1: name" in _refused("customers", "import", customers)
    assert "line 1: name" in _refused("screen", customers)
    entities = tmp_path / "list.jsonl"
    entities.write_text(
        '{"id": "x", "schema": "Person", "properties": {"name": ["\\ud800"]}}\n',
        encoding="utf-8",
    )
    assert "properties.name[0]" in _refused("lists", "load", entities, "--format", "ftm-json")


def test_the_real_command_refuses_argv_bytes_that_are_not_utf8(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FINMON_HOME": str(tmp_path)}
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from finmon.cli import main; main()",
            "compare",
            b"\xed\xb3\xbf",
            "x",
        ],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == InputError.exit_code, done.stderr
    assert b"Traceback" not in done.stderr
    assert done.stderr.decode().strip().splitlines() == [
        "error: argument 2 ('\\udced\\udcb3\\udcbf') is not UTF-8 text"
    ]
