"""Property-based calls of every API operation from its OpenAPI description (schemathesis): no
request, however odd, gets a server error; bad values are refused as bad input."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings

from finmon.api import create_app
from finmon.hygiene import NUL_REFUSED
from finmon.store import load_list
from finmon.store.customers import import_customers
from finmon.workflow.access import Role
from tests.accounts import make_user
from tests.store.workflow_data import CUSTOMERS, fixture_designations, un_version

EXAMPLES = 40
"""Generated requests per operation and role (derandomised: the same ones every run)."""


@pytest.fixture
def keys() -> dict[Role, str]:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    import_customers(CUSTOMERS, actor="loader")
    return {role: make_user(role.value, role) for role in Role}


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMIN])
def test_no_generated_request_gets_a_server_error(keys: dict[Role, str], role: Role) -> None:
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())
    headers = {"Authorization": f"Bearer {keys[role]}"}
    calls: list[int] = []
    errors: list[tuple[str, Any, Any, Any, int, str]] = []
    for found in schema.get_all_operations():
        operation = found.ok()

        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(case=operation.as_strategy())
        def call(case: Any) -> None:
            response = case.call(headers=headers)
            calls.append(response.status_code)
            if response.status_code >= 500:
                errors.append(
                    (
                        case.operation.label,
                        case.path_parameters,
                        case.query,
                        case.body,
                        response.status_code,
                        response.text[:300],
                    )
                )

        call()
    assert errors == []
    assert len(calls) > 20 * EXAMPLES
    assert {200, 403, 422} <= set(calls)


def test_values_a_database_cannot_hold_are_bad_input_not_a_server_error(
    keys: dict[Role, str],
) -> None:
    client = TestClient(create_app())
    supervisor = {"Authorization": f"Bearer {keys[Role.SUPERVISOR]}"}
    admin = {"Authorization": f"Bearer {keys[Role.ADMIN]}"}
    answers = [
        client.get("/customers/K%00001", headers=supervisor),
        client.get("/lists/u%00n/diff", headers=supervisor),
        client.get(f"/alerts/{2**31}", headers=supervisor),
        client.post("/users/a%00b/revoke-keys", headers=admin),
        client.post(
            "/alerts/1/decision",
            json={"decision": "escalate", "reason": "see\x00file"},
            headers=supervisor,
        ),
    ]
    assert [answer.status_code for answer in answers] == [422] * len(answers)
    assert answers[0].json()["detail"] == f"GET '/customers/K\\x00001': {NUL_REFUSED}"
    assert NUL_REFUSED in answers[-1].json()["detail"][0]["msg"]
