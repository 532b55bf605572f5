"""The OpenAPI document describes what every route answers, not only what it takes; the typed
answers keep yente's shape for /match."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from finmon.api import create_app
from finmon.store import load_list
from finmon.workflow.access import Role
from tests.accounts import make_user
from tests.store.workflow_data import LISTED_REF, fixture_designations, un_version

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
