"""The OpenAPI document describes what every route answers, not only what it takes; the typed
answers keep yente's shape for /match."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient

from finmon.api import create_app
from finmon.monitoring.engine import numbered, run_batch
from finmon.monitoring.events import Context
from finmon.monitoring.rules import load_pack
from finmon.store import load_list
from finmon.store.customers import import_customers
from finmon.store.transactions import load_transactions, store_monitoring_alerts
from finmon.transactions.reader import read_transactions
from finmon.workflow.access import Role
from tests.accounts import make_user, make_users
from tests.reports.test_from_cases import _funnel
from tests.store.workflow_data import (
    CUSTOMERS,
    LISTED_ID,
    LISTED_REF,
    fixture_designations,
    un_version,
)
from tests.travel.test_mrz import TD3
from tests.travel.test_travel_screen import MANIFEST

SCALARS = {"string", "integer", "number", "boolean"}


def described(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether a response schema says what comes back: a scalar, an object with its properties,
    or an array or a choice of such (a bare `{}` or a property-less object says nothing)."""
    if "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        return described(spec, spec["components"]["schemas"][name])
    if "anyOf" in schema:
        return all(described(spec, choice) for choice in schema["anyOf"])
    if schema.get("type") == "array":
        return described(spec, schema.get("items", {}))
    if schema.get("type") in SCALARS:
        return True
    return bool(schema.get("properties"))


def test_every_route_has_a_response_schema() -> None:
    spec = create_app().openapi()
    silent = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            answers = [
                answer for code, answer in operation["responses"].items() if code.startswith("2")
            ]
            media = [m for answer in answers for m in answer.get("content", {}).values()]
            if not media or not all(described(spec, m.get("schema", {})) for m in media):
                silent.append(f"{method.upper()} {path}")
    assert len(spec["paths"]) >= 30
    assert silent == []


def test_the_check_refuses_an_empty_or_untyped_answer() -> None:
    spec: dict[str, Any] = {"components": {"schemas": {"Loose": {"type": "object"}}}}
    assert not described(spec, {})
    assert not described(spec, {"type": "object", "additionalProperties": True})
    assert not described(spec, {"type": "array", "items": {"$ref": "#/components/schemas/Loose"}})
    assert described(spec, {"type": "object", "properties": {"id": {"type": "integer"}}})


def test_match_answers_keep_yentes_shape_for_results_and_refusals() -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    key = make_user("payments", Role.ANALYST)
    body = {
        "queries": {
            "found": {"schema": "Person", "properties": {"name": ["Timur Akhatovich Karagulov"]}},
            "odd": {"schema": "Banana", "properties": {"name": ["x"]}},
        }
    }
    with TestClient(create_app()) as client:
        answer = client.post(
            "/match/default", json=body, headers={"Authorization": f"Bearer {key}"}
        ).json()
    found, odd = answer["responses"]["found"], answer["responses"]["odd"]
    assert set(found) == {"status", "results", "total", "query"}
    assert set(odd) == {"status", "error", "query"}
    assert odd["status"] == 400 and "Banana" in odd["error"]
    assert found["query"] == {
        "id": None,
        "schema": "Person",
        "properties": body["queries"]["found"]["properties"],
    }
    assert found["total"] == {"value": len(found["results"]), "relation": "eq"}
    first = found["results"][0]
    assert first["id"] == f"un-{LISTED_REF}" and first["schema"] == "Person"
    assert first["features"]["name"] == first["explanations"]["name"]["score"]
    assert answer["matcher"]["name"] == "finmon" and answer["limit"] == 5


def test_real_answers_conform_to_the_published_schemas(tmp_path: Path) -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    assert import_customers(CUSTOMERS, actor="loader").alerts == 1
    source = _funnel(tmp_path / "funnel.csv")
    load_transactions(source, actor="ops")
    pack = load_pack()
    rows = numbered(run_batch(pack.rules, read_transactions(source), Context.of(pack)))
    store_monitoring_alerts(rows, actor="ops", source=source.name)
    names = {"an": Role.ANALYST, "sup": Role.SUPERVISOR, "sup2": Role.SUPERVISOR}
    heads = {n: {"Authorization": f"Bearer {k}"} for n, k in make_users(names).items()}
    heads["adm"] = {"Authorization": "Bearer " + make_user("adm", Role.ADMIN)}
    app = create_app()
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    checked: list[tuple[str, str]] = []
    with TestClient(app) as client:

        def call(method: str, template: str, who: str, body: Any = None, **values: Any) -> Any:
            response = client.request(
                method, template.format(**values), json=body, headers=heads[who]
            )
            assert response.is_success, (method, template, response.text)
            schema[template][method].validate_response(response)
            checked.append((method, template))
            return response.json()

        for method, template, who, body in WORKFLOW:
            call(method, template, who, body, **IDS)
        health = client.get("/healthz")
        with pytest.raises(AssertionError):  # the check sees an answer that does not fit
            schema["/me"]["GET"].validate_response(health)
    assert len(checked) == len(WORKFLOW)


IDS = {"dataset": "default", "source": "un", "customer_id": LISTED_ID, "name": "newbie"}
IDS |= {"alert_id": 1, "freeze_id": 1, "payment_id": 1, "clearance_id": 1, "case_id": 1}
CLEARANCE = {
    "name": "Timur Karagulov",
    "account": "KZ1",
    "list": "un",
    "reference": LISTED_REF,
    "reason": "another person",
}
PAYMENT = {
    "id": "p1",
    "amount": "10",
    "currency": "KZT",
    "originator": {"name": "Timur Karagulov", "account": "KZ1", "country": "kz"},
    "beneficiary": {"name": "Acme"},
}
QUERIES = {
    "queries": {
        "a": {"schema": "Person", "properties": {"name": ["Timur Akhatovich Karagulov"]}},
        "b": {"schema": "Banana", "properties": {"name": ["x"]}},
    }
}
WORKFLOW: list[tuple[str, str, str, Any]] = [
    ("GET", "/healthz", "an", None),
    ("GET", "/me", "an", None),
    ("POST", "/match/{dataset}", "an", QUERIES),
    ("POST", "/screen", "an", {"parties": [{"id": "1", "names": ["Karagulov Timur"]}]}),
    ("POST", "/payments/check", "an", PAYMENT),
    ("POST", "/travel/screen", "an", {"manifest": MANIFEST}),
    ("POST", "/travel/mrz", "an", {"mrz": TD3}),
    ("GET", "/lists", "an", None),
    ("GET", "/lists/{source}/diff", "an", None),
    ("GET", "/customers/{customer_id}", "an", None),
    ("GET", "/alerts", "an", None),
    ("GET", "/alerts/{alert_id}", "an", None),
    ("POST", "/alerts/{alert_id}/decision", "sup", {"decision": "confirmed_hit"}),
    ("POST", "/alerts/{alert_id}/withdraw", "sup", {"reason": "again"}),
    ("POST", "/alerts/{alert_id}/decision", "sup", {"decision": "confirmed_hit"}),
    ("POST", "/alerts/{alert_id}/approve", "sup2", None),
    ("GET", "/freezes", "an", None),
    ("GET", "/freezes/sla", "an", None),
    (
        "POST",
        "/freezes/{freeze_id}/payments",
        "an",
        {"amount": "5", "currency": "KZT", "purpose": "rent"},
    ),
    ("POST", "/payments/{payment_id}/approve", "sup", None),
    ("POST", "/freezes/{freeze_id}/release-request", "an", {"reason": "delisted"}),
    ("POST", "/freezes/{freeze_id}/release", "sup", None),
    ("GET", "/freezes/{freeze_id}", "an", None),
    ("POST", "/payments/clearances", "an", CLEARANCE),
    ("POST", "/payments/clearances/{clearance_id}/approve", "sup", None),
    ("GET", "/payments/clearances", "an", None),
    ("POST", "/payments/clearances/{clearance_id}/revoke", "an", {"reason": "no"}),
    ("GET", "/monitoring/alerts", "an", None),
    ("POST", "/cases/open", "an", None),
    ("GET", "/cases", "an", None),
    ("POST", "/cases/{case_id}/review", "an", None),
    ("POST", "/cases/{case_id}/propose", "an", {"action": "report", "reason": "funnel"}),
    ("POST", "/cases/{case_id}/withdraw", "an", {}),
    ("POST", "/cases/{case_id}/propose", "an", {"action": "report", "reason": "funnel"}),
    ("POST", "/cases/{case_id}/approve", "sup", None),
    ("GET", "/cases/{case_id}", "an", None),
    ("GET", "/audit", "sup", None),
    ("GET", "/audit/verify", "sup", None),
    ("POST", "/users", "adm", {"name": "newbie", "role": "analyst", "person": "P-9"}),
    ("POST", "/users/{name}/approve", "sup", None),
    ("POST", "/users/{name}/role", "adm", {"role": "auditor"}),
    ("POST", "/users/{name}/revoke-keys", "adm", None),
    ("GET", "/users", "adm", None),
]
"""A call of each JSON route, in an order that gives each something to answer."""
