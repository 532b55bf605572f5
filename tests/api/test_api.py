"""The HTTP API over a real store: yente's /match, finmon's /screen, keys, roles, four-eyes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from starlette.routing import BaseRoute
from typer.testing import CliRunner

from finmon.api import create_app
from finmon.cli import app, err, out
from finmon.lists import parse_files
from finmon.store import load_list, verify_audit
from finmon.store.audit import audit_rows
from finmon.store.customers import import_customers
from finmon.store.users import approve_user, disable_user, issue_key, revoke_keys
from finmon.workflow.access import ALLOWED, Action, Role
from tests.accounts import FOUNDER, SECOND_FOUNDER, make_user
from tests.conftest import ROOT, shared_file
from tests.store.workflow_data import (
    CUSTOMERS,
    LISTED_ID,
    LISTED_REF,
    fixture_designations,
    un_version,
)

SDN_2021 = [
    "lists/ofac_sdn_2021-07.csv",
    "lists/ofac_sdn_add_2021-07.csv",
    "lists/ofac_sdn_alt_2021-07.csv",
    "lists/ofac_sdn_comments_2021-07.csv",
]

ROUTES: list[tuple[str, str, Action | None, dict[str, Any] | None]] = [
    ("GET", "/me", None, None),
    ("POST", "/match/{dataset}", Action.SCREEN, {"queries": {}}),
    ("POST", "/screen", Action.SCREEN, {"parties": [{"id": "1", "names": ["Ivan Petrov"]}]}),
    ("POST", "/payments/check", Action.SCREEN, {"id": "p1", "amount": "10", "currency": "KZT"}),
    ("POST", "/travel/screen", Action.SCREEN, {"manifest": "UNA:+.? '"}),
    ("POST", "/travel/mrz", Action.SCREEN, {"mrz": "P<UTO"}),
    ("GET", "/lists", Action.READ, None),
    ("GET", "/lists/{source}/diff", Action.READ, None),
    ("POST", "/customers/import", Action.IMPORT_CUSTOMERS, {"file": ("c.csv", b"id,name\n")}),
    ("GET", "/jobs/{job_id}", Action.READ, None),
    ("GET", "/jobs/{job_id}/problems", Action.READ, None),
    ("GET", "/customers/{customer_id}", Action.READ, None),
    ("GET", "/alerts", Action.READ, None),
    ("GET", "/alerts/{alert_id}", Action.READ, None),
    ("POST", "/alerts/{alert_id}/decision", Action.DECIDE, {"decision": "escalate", "reason": "x"}),
    ("POST", "/alerts/{alert_id}/withdraw", Action.DECIDE, {"reason": "second thoughts"}),
    ("POST", "/alerts/{alert_id}/approve", Action.APPROVE, None),
    ("GET", "/freezes", Action.READ, None),
    ("GET", "/freezes/sla", Action.READ, None),
    ("GET", "/freezes/{freeze_id}", Action.READ, None),
    ("POST", "/freezes/{freeze_id}/release-request", Action.REQUEST, {"reason": "delisted"}),
    ("POST", "/freezes/{freeze_id}/release", Action.APPROVE, None),
    (
        "POST",
        "/freezes/{freeze_id}/payments",
        Action.REQUEST,
        {"amount": "100", "currency": "KZT", "purpose": "rent"},
    ),
    ("POST", "/payments/{payment_id}/approve", Action.APPROVE, None),
    ("GET", "/monitoring/alerts", Action.READ, None),
    ("GET", "/cases", Action.READ, None),
    ("POST", "/cases/open", Action.WORK_CASES, None),
    ("GET", "/cases/{case_id}", Action.READ, None),
    ("POST", "/cases/{case_id}/review", Action.WORK_CASES, None),
    ("POST", "/cases/{case_id}/propose", Action.WORK_CASES, {"action": "close", "reason": "x"}),
    ("POST", "/cases/{case_id}/withdraw", Action.WORK_CASES, {"reason": "x"}),
    ("POST", "/cases/{case_id}/approve", Action.APPROVE_CASES, None),
    # Requests between FIUs (issue 20, item 6).
    ("POST", "/fiu/requests", Action.FIU_INTAKE, {"format": "none"}),
    ("GET", "/fiu/requests/{request_id}/response", Action.FIU_DISSEMINATE, None),
    # The data bank of banned organisations (issue 20, item 7).
    ("GET", "/banned", Action.READ_BANNED, None),
    ("GET", "/banned/{reference}", Action.READ_BANNED, None),
    ("GET", "/payments/clearances", Action.READ, None),
    (
        "POST",
        "/payments/clearances",
        Action.CLEAR,
        {
            "name": "Timur Karagulov",
            "account": "KZ01",
            "list": "un",
            "reference": "QDi.905",
            "reason": "another person",
        },
    ),
    ("POST", "/payments/clearances/{clearance_id}/approve", Action.APPROVE, None),
    ("POST", "/payments/clearances/{clearance_id}/revoke", Action.CLEAR, {"reason": "x"}),
    ("GET", "/audit", Action.AUDIT, None),
    ("GET", "/audit/verify", Action.AUDIT, None),
    ("GET", "/users", Action.MANAGE_USERS, None),
    (
        "POST",
        "/users",
        Action.MANAGE_USERS,
        {"name": "newcomer", "role": "analyst", "person": "P-100"},
    ),
    ("POST", "/users/{name}/revoke-keys", Action.MANAGE_USERS, None),
    ("POST", "/users/{name}/approve", Action.APPROVE_USERS, None),
    ("POST", "/users/{name}/role", Action.MANAGE_USERS, {"role": "auditor"}),
    # FIU part 1: reporting entities and intake
    ("POST", "/fiu/reports", Action.FIU_INTAKE, None),
    ("GET", "/fiu/reports", Action.FIU_READ, None),
    ("GET", "/fiu/reports/{key}", Action.FIU_READ, None),
    ("GET", "/fiu/entities", Action.FIU_READ, None),
    (
        "POST",
        "/fiu/entities",
        Action.FIU_ENTITIES,
        {"bin": "1", "goaml_id": 1, "name": "Bank", "kind": "bank"},
    ),
]
"""Every route that needs a key, and the action it must be refused for (None: any key)."""
OPEN_ROUTES = {
    "/",
    "/healthz",
    "/openapi.json",
    "/docs",
    "/docs/oauth2-redirect",
    "/redoc",
    # The national list out: the signed feed and the signed receipts are their own trust
    # (tests/api/test_feed.py).
    "/feed/{source}",
    "/feed/receipts",
}
"""Routes that need no key; the web interface's routes (/ui) are tested in tests/web."""
VALUES = {
    "dataset": "default",
    "source": "un",
    "customer_id": LISTED_ID,
    "alert_id": "1",
    "request_id": "1",
    "reference": "KZB-1",
    "freeze_id": "1",
    "payment_id": "1",
    "clearance_id": "1",
    "case_id": "1",
    "job_id": "1",
    "name": "nobody",
    "key": "R1",
}


@pytest.fixture
def keys() -> dict[str, str]:
    """A store with the fixture list and customers (one alert), and a user of each role; two
    supervisors, for four-eyes."""
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    assert import_customers(CUSTOMERS, actor="loader").alerts == 1
    users = {role.value: role for role in Role} | {"supervisor2": Role.SUPERVISOR}
    return {name: make_user(name, role) for name, role in users.items()}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def _as(keys: dict[str, str], user: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {keys[user]}"}


def _call(client: TestClient, method: str, path: str, body: Any, headers: dict[str, str]) -> Any:
    if body is not None and "file" in body:
        return client.request(method, path.format(**VALUES), files=body, headers=headers)
    return client.request(method, path.format(**VALUES), json=body, headers=headers)


def _served(routes: Iterable[BaseRoute]) -> Iterator[BaseRoute]:
    """Every route of an app, the routes of each router it includes too (FastAPI keeps an
    included router as one entry holding the router)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from _served(included.routes)
        else:
            yield route


def test_the_route_table_covers_every_route_of_the_app(client: TestClient) -> None:
    served = {
        (method, path)
        for route in _served(client.app.routes)  # type: ignore[attr-defined]
        for method in getattr(route, "methods", ()) or ()
        if method != "HEAD"
        and (path := getattr(route, "path", "")) not in OPEN_ROUTES
        and not path.startswith("/ui")
    }
    assert ("POST", "/match/{dataset}") in served  # the walk reaches the routers' routes
    assert served == {(method, path) for method, path, _, _ in ROUTES}


def test_every_route_refuses_a_request_without_a_live_key(
    keys: dict[str, str], client: TestClient
) -> None:
    wrong = []
    for method, path, _action, body in ROUTES:
        for headers in (
            {},
            {"Authorization": "Bearer fmk_0000000000000000_" + "A" * 43},
            {"Authorization": f"Bearer {keys['analyst']}x"},
            {"Authorization": f"Basic {keys['analyst']}"},
        ):
            response = _call(client, method, path, body, headers)
            if response.status_code != 401 or response.headers.get("www-authenticate") != "Bearer":
                wrong.append((method, path, headers, response.status_code))
    assert wrong == []


@pytest.mark.parametrize("role", list(Role))
def test_every_role_is_refused_what_it_may_not_do_and_nothing_else(
    keys: dict[str, str], client: TestClient, role: Role
) -> None:
    refused, wrong = 0, []
    for method, path, action, body in ROUTES:
        response = _call(client, method, path, body, _as(keys, role.value))
        if action is not None and role not in ALLOWED[action]:
            refused += 1
            if response.status_code != 403 or role.value not in response.json()["detail"]:
                wrong.append((method, path, "must be refused", response.status_code))
        elif response.status_code in (401, 403) or response.status_code >= 500:
            wrong.append((method, path, "must not be refused", response.status_code))
    assert wrong == []
    assert refused > 0  # every role is refused something


def test_the_access_table_keeps_decisions_away_from_admins_and_auditors() -> None:
    assert ALLOWED[Action.APPROVE] == {Role.SUPERVISOR}
    assert Role.AUDITOR not in ALLOWED[Action.DECIDE] | ALLOWED[Action.SCREEN]
    assert Role.ADMIN not in ALLOWED[Action.DECIDE] | ALLOWED[Action.APPROVE]
    assert ALLOWED[Action.MANAGE_USERS] == {Role.ADMIN}


def test_revoked_keys_and_disabled_users_are_refused_at_once(
    keys: dict[str, str], client: TestClient
) -> None:
    assert client.get("/me", headers=_as(keys, "analyst")).json() == {
        "name": "analyst",
        "role": "analyst",
    }
    spare = issue_key("analyst", actor=FOUNDER)
    assert revoke_keys("analyst", actor=FOUNDER) == 2
    for key in (keys["analyst"], spare):
        assert client.get("/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    fresh = issue_key("analyst", actor=FOUNDER)
    # A key made by someone other than its holder works once a second person approves it.
    assert client.get("/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 401
    approve_user("analyst", actor=SECOND_FOUNDER)
    assert client.get("/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 200
    disable_user("analyst", actor="root")
    assert client.get("/me", headers={"Authorization": f"Bearer {fresh}"}).status_code == 401


def test_four_eyes_through_the_api_and_the_audit_names_the_users(
    keys: dict[str, str], client: TestClient
) -> None:
    (alert,) = client.get("/alerts", headers=_as(keys, "auditor")).json()
    assert (alert["customer_id"], alert["reference"]) == (LISTED_ID, LISTED_REF)
    number = alert["alert_id"]
    detail = client.get(f"/alerts/{number}", headers=_as(keys, "analyst")).json()
    assert detail["explanation"]["name"]["pairs"]

    decided = client.post(
        f"/alerts/{number}/decision",
        json={"decision": "confirmed_hit"},
        headers=_as(keys, "supervisor"),
    )
    assert decided.json() == {"alert_id": number, "status": "pending_approval"}
    own = client.post(f"/alerts/{number}/approve", headers=_as(keys, "supervisor"))
    assert own.status_code == 409
    assert "four-eyes" in own.json()["detail"]
    approved = client.post(f"/alerts/{number}/approve", headers=_as(keys, "supervisor2"))
    assert approved.status_code == 200
    freeze_id = approved.json()["freeze_id"]

    (freeze,) = client.get("/freezes", headers=_as(keys, "auditor")).json()
    assert freeze["customer_id"] == LISTED_ID
    assert client.get(f"/freezes/{freeze_id}", headers=_as(keys, "analyst")).status_code == 200
    trail = client.get("/audit?limit=1000", headers=_as(keys, "auditor")).json()
    acts = {(row["action"], row["actor"]) for row in trail}
    assert {("alert.decide", "supervisor"), ("alert.approve", "supervisor2")} <= acts
    assert client.get("/audit/verify", headers=_as(keys, "auditor")).json()["ok"] is True
    assert verify_audit().ok


def test_a_false_positive_needs_a_reason(keys: dict[str, str], client: TestClient) -> None:
    refused = client.post(
        "/alerts/1/decision", json={"decision": "false_positive"}, headers=_as(keys, "analyst")
    )
    assert refused.status_code == 409
    assert "reason" in refused.json()["detail"]
    decided = client.post(
        "/alerts/1/decision",
        json={"decision": "false_positive", "reason": "other birth date"},
        headers=_as(keys, "analyst"),
    )
    assert decided.json()["status"] == "false_positive"


def test_screen_finds_the_listed_person_and_names_a_bad_field(
    keys: dict[str, str], client: TestClient
) -> None:
    parties = [
        {"id": "a", "names": ["Карагулов Тимур Ахатович"], "schema": "person"},
        {"id": "b", "names": ["Jane Q Nobody"], "nationalities": ["kz"]},
    ]
    answer = client.post("/screen", json={"parties": parties}, headers=_as(keys, "analyst"))
    assert answer.status_code == 200
    hits = {row["id"]: row["hits"] for row in answer.json()["results"]}
    assert [h["reference"] for h in hits["a"]] == [LISTED_REF]
    assert hits["b"] == []
    bad = client.post(
        "/screen",
        json={"parties": [{"id": "c", "names": ["X"], "iin": "871008300124"}]},
        headers=_as(keys, "analyst"),
    )
    assert bad.status_code == 422
    assert "parties[0] (id 'c').iin" in bad.json()["detail"]


def test_match_answers_each_query_and_refuses_an_unknown_dataset(
    keys: dict[str, str], client: TestClient
) -> None:
    body = {
        "queries": {
            "listed": {
                "schema": "Person",
                "properties": {"name": ["Timur Akhatovich Karagulov"]},
            },
            "nobody": {"schema": "Person", "properties": {"name": "Jane Q Nobody"}},
            "odd": {"schema": "Banana", "properties": {"name": ["x"]}},
        }
    }
    answer = client.post("/match/un", json=body, headers=_as(keys, "analyst")).json()
    listed = answer["responses"]["listed"]
    assert listed["status"] == 200
    assert listed["results"][0]["id"] == f"un-{LISTED_REF}"
    assert listed["results"][0]["match"] is True
    assert answer["responses"]["nobody"]["results"] == []
    assert answer["responses"]["odd"]["status"] == 400
    unknown = client.post("/match/elsewhere", json=body, headers=_as(keys, "analyst"))
    assert unknown.status_code == 404
    assert "default" in unknown.json()["detail"]


def test_match_takes_yentes_documented_request_unchanged(client: TestClient) -> None:
    sdn = parse_files([shared_file(name) for name in SDN_2021], source="ofac")
    assert load_list(sdn, actor="loader").loaded
    key = make_user("payments", Role.ANALYST)
    # The request body of yente's /match documentation, as a yente client sends it.
    body = {
        "queries": {
            "q1": {
                "schema": "Person",
                "properties": {
                    "name": ["Arkadiii Romanovich Rotenberg"],
                    "birthDate": ["1951"],
                    "nationality": ["Russia"],
                },
            }
        }
    }
    response = client.post("/match/default", json=body, headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200
    (result, *_) = response.json()["responses"]["q1"]["results"]
    assert (result["id"], result["caption"]) == ("ofac-16669", "Arkady ROTENBERG")
    assert result["match"] is True
    assert result["datasets"] == ["ofac"]
    assert "1951-12-15" in result["properties"]["birthDate"]
    assert set(result) >= {"id", "caption", "schema", "properties", "datasets", "score"}


def test_openapi_publishes_the_routes_and_the_bearer_scheme(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/match/{dataset}" in spec["paths"]
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_finmon_serve_answers_on_loopback(keys: dict[str, str], finmon_home: Path) -> None:
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", "from finmon.cli import main; main()", "serve", "--port", str(port)],
        cwd=ROOT,
        env=os.environ.copy(),
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "finmon serve did not answer within 60 s"
            time.sleep(0.2)
        body = {"queries": {"q": {"schema": "Person", "properties": {"name": ["TIMUR KARAGULOV"]}}}}
        answer = httpx.post(f"{base}/match/default", json=body, headers=_as(keys, "analyst"))
        assert answer.status_code == 200
        assert answer.json()["responses"]["q"]["results"][0]["id"] == f"un-{LISTED_REF}"
        assert httpx.post(f"{base}/match/default", json=body).status_code == 401
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def test_users_commands_make_keys_that_work_and_revoke_them(client: TestClient) -> None:
    out.width = err.width = 200
    runner = CliRunner()

    def run(*args: str) -> Any:
        return runner.invoke(app, list(args))

    founder = run(
        "--actor",
        "installer",
        "users",
        "create",
        "it.admin",
        "--role",
        "admin",
        "--person",
        "880101300123",
    )
    assert founder.exit_code == 0, founder.stderr
    second = run(
        "--actor",
        "it.admin",
        "users",
        "create",
        "it.second",
        "--role",
        "supervisor",
        "--person",
        "900202400456",
    )
    assert second.exit_code == 0, second.stderr
    made = run(
        "--actor",
        "it.admin",
        "users",
        "create",
        "a.omarova",
        "--role",
        "auditor",
        "--person",
        "S-17",
    )
    assert made.exit_code == 0, made.stderr
    assert "awaiting approval" in made.stderr
    key = made.stdout.strip()
    assert client.get("/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    own = run("--actor", "it.admin", "users", "approve", "a.omarova")
    assert own.exit_code == 7 and "four-eyes" in own.stderr
    assert run("--actor", "it.second", "users", "approve", "a.omarova").exit_code == 0
    assert client.get("/me", headers={"Authorization": f"Bearer {key}"}).json() == {
        "name": "a.omarova",
        "role": "auditor",
    }
    for name in ("a.omarova", "A.Omarova", "а.omarova"):  # the last with a Cyrillic а
        again = run(
            "--actor", "it.admin", "users", "create", name, "--role", "auditor", "--person", "S-99"
        )
        assert again.exit_code == 2
        assert "already exists or looks like" in again.stderr
    wrong_role = run(
        "--actor", "it.admin", "users", "create", "b.sadykov", "--role", "boss", "--person", "S-18"
    )
    assert wrong_role.exit_code == 2
    assert "analyst, supervisor, admin, auditor" in wrong_role.stderr
    listed = run("--actor", "it.admin", "users", "list")
    assert "a.omarova" in listed.stdout
    assert "auditor" in listed.stdout
    assert key not in listed.stdout
    revoked = run("--actor", "it.admin", "users", "revoke-keys", "a.omarova")
    assert revoked.exit_code == 0
    assert client.get("/me", headers={"Authorization": f"Bearer {key}"}).status_code == 401
    trail = [(e["action"], e["actor"]) for e in audit_rows(limit=1000)]
    assert trail == [
        ("user.create", "installer"),
        ("api_key.issue", "installer"),
        ("user.create", "it.admin"),
        ("api_key.issue", "it.admin"),
        ("user.create", "it.admin"),
        ("api_key.issue", "it.admin"),
        ("user.approve", "it.second"),
        ("api_key.revoke", "it.admin"),
    ]


def _job_end(client: TestClient, job_id: int, headers: dict[str, str]) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while True:
        job: dict[str, Any] = client.get(f"/jobs/{job_id}", headers=headers).json()
        if job["status"] in ("done", "failed"):
            return job
        assert time.monotonic() < deadline, job
        time.sleep(0.1)


def test_a_customer_file_uploaded_is_imported_and_screened_in_the_background(
    client: TestClient,
) -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    key = make_user("pawnshop.officer", Role.ANALYST)
    headers = {"Authorization": f"Bearer {key}"}
    with CUSTOMERS.open("rb") as handle:
        started = client.post(
            "/customers/import", files={"file": ("клиенты.csv", handle)}, headers=headers
        )
    assert started.status_code == 202
    job = _job_end(client, started.json()["job_id"], headers)
    assert job["status"] == "done", job
    assert (job["result"]["inserted"], job["result"]["alerts"]) == (8, 1)
    assert job["file"] == "клиенты.csv"
    (alert,) = client.get("/alerts", headers=headers).json()
    assert alert["customer_id"] == LISTED_ID
    imports = [e for e in audit_rows(limit=1000) if e["action"] == "customers.import"]
    assert [e["actor"] for e in imports] == ["pawnshop.officer"]

    office = {"file": ("cp1251.csv", "id,name\n1,Иванов\n".encode("cp1251"))}
    read = client.post("/customers/import", files=office, headers=headers)
    done = _job_end(client, read.json()["job_id"], headers)
    assert (done["status"], done["result"]["encoding"]) == ("done", "cp1251")
    assert client.get("/customers/1", headers=headers).json()["record"]["names"] == ["Иванов"]
    broken = client.post(
        "/customers/import", params={"encoding": "utf-8"}, files=office, headers=headers
    )
    failed = _job_end(client, broken.json()["job_id"], headers)
    assert failed["status"] == "failed"
    assert failed["error"].startswith("cp1251.csv: ")
    assert failed["error"].endswith("(read as UTF-8)")
    assert "uploads" not in failed["error"]
    odd = "id,name,birth_date,iin\nA1,Arman Bekov,1969-7-16,871008300124\nA2,,1970,\n"
    lenient = client.post(
        "/customers/import", files={"file": ("odd.csv", odd.encode())}, headers=headers
    )
    done = _job_end(client, lenient.json()["job_id"], headers)
    assert done["status"] == "done"
    assert (done["result"]["inserted"], done["result"]["problems"]) == (1, 2)
    assert [(p["row"], p["column"], p["value"]) for p in done["result"]["first_problems"]] == [
        ("line 2", "iin", "871008300124"),
        ("line 3", "name", ""),
    ]
    problems = client.get(f"/jobs/{done['job_id']}/problems", headers=headers)
    assert problems.status_code == 200 and problems.text.count("\n") == 3
    assert client.get(f"/jobs/{job['job_id']}/problems", headers=headers).status_code == 404
    strict = client.post(
        "/customers/import",
        params={"strict": "true"},
        files={"file": ("odd.csv", odd.encode())},
        headers=headers,
    )
    refused_whole = _job_end(client, strict.json()["job_id"], headers)
    assert refused_whole["status"] == "failed"
    assert refused_whole["error"].startswith("odd.csv: line 2, column iin: '871008300124'")
    refused = client.post(
        "/customers/import", files={"file": ("setup.exe", b"MZ")}, headers=headers
    )
    assert refused.status_code == 422
    assert client.get("/jobs/999", headers=headers).status_code == 404
