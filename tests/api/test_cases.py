"""Monitoring alerts and cases through the API: grouped per account, reviewed, proposed by one
person and approved by another, as the web pages and `finmon cases` do."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from finmon.api import create_app
from finmon.monitoring.engine import numbered, run_batch
from finmon.monitoring.events import Context
from finmon.monitoring.rules import load_pack
from finmon.store.audit import audit_rows
from finmon.store.transactions import load_transactions, store_monitoring_alerts
from finmon.transactions.reader import read_transactions
from finmon.workflow.access import Role
from tests.accounts import make_users
from tests.reports.test_from_cases import COLLECTOR, _funnel


@pytest.fixture
def heads(tmp_path: Path) -> dict[str, dict[str, str]]:
    """A funnel account's transfers loaded and its monitoring alerts raised; an analyst, two
    supervisors and an auditor."""
    source = _funnel(tmp_path / "funnel.csv")
    load_transactions(source, actor="ops")
    pack = load_pack()
    rows = numbered(run_batch(pack.rules, read_transactions(source), Context.of(pack)))
    assert store_monitoring_alerts(rows, actor="ops", source=source.name) == 2  # in, then on
    roles = {
        "analyst": Role.ANALYST,
        "supervisor": Role.SUPERVISOR,
        "supervisor2": Role.SUPERVISOR,
        "auditor": Role.AUDITOR,
    }
    return {name: {"Authorization": f"Bearer {key}"} for name, key in make_users(roles).items()}


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def test_a_case_is_opened_reviewed_proposed_and_approved_by_two_people(
    heads: dict[str, dict[str, str]], client: TestClient
) -> None:
    alerts = client.get("/monitoring/alerts", headers=heads["auditor"]).json()
    # The collection and the money moved on: two rules about one account, in one case.
    assert [a["rule"] for a in alerts] == ["funnel_account", "collected_then_moved"]
    alert = alerts[0]
    assert (alert["account"], alert["status"]) == (COLLECTOR, "open")
    assert alert["transaction_ids"] and alert["evidence"]
    other_rule = client.get("/monitoring/alerts?rule=nothing", headers=heads["auditor"])
    assert other_rule.json() == []

    opened = client.post("/cases/open", headers=heads["analyst"])
    assert opened.json() == {"case_ids": [1]}
    assert client.post("/cases/open", headers=heads["analyst"]).json() == {"case_ids": []}
    (case,) = client.get("/cases", headers=heads["auditor"]).json()
    assert (case["case_id"], case["account"], case["status"]) == (1, COLLECTOR, "open")
    assert client.get("/cases?status=reported", headers=heads["auditor"]).json() == []
    assert client.get("/monitoring/alerts", headers=heads["auditor"]).json() == []
    filed = client.get("/monitoring/alerts?status=all", headers=heads["auditor"]).json()
    assert [a["status"] for a in filed] == ["in_case", "in_case"]

    reviewed = client.post("/cases/1/review", headers=heads["analyst"])
    assert reviewed.json() == {"case_id": 1, "status": "under_review"}
    no_reason = client.post("/cases/1/propose", json={"action": "report"}, headers=heads["analyst"])
    assert no_reason.status_code == 422
    proposal = {"action": "report", "reason": "Ten senders, then abroad"}
    proposed = client.post("/cases/1/propose", json=proposal, headers=heads["analyst"])
    assert proposed.json() == {"case_id": 1, "status": "proposed", "decision_id": 1}
    assert client.post("/cases/1/approve", headers=heads["analyst"]).status_code == 403

    approved = client.post("/cases/1/approve", headers=heads["supervisor"])
    assert approved.json() == {"case_id": 1, "status": "reported"}
    detail = client.get("/cases/1", headers=heads["auditor"]).json()
    assert detail["status"] == "reported"
    assert [a["alert_id"] for a in detail["alerts"]] == [a["alert_id"] for a in alerts]
    assert {row["id"] for row in detail["transactions"]} >= {"F-0"}
    assert [(d["proposed_by"], d["approved_by"]) for d in detail["decisions"]] == [
        ("analyst", "supervisor")
    ]
    acts = {(row["action"], row["actor"]) for row in audit_rows(limit=1000)}
    assert {("case.open", "analyst"), ("case.approve", "supervisor")} <= acts


def test_an_outcome_is_never_approved_by_its_proposer_and_only_they_withdraw_it(
    heads: dict[str, dict[str, str]], client: TestClient
) -> None:
    client.post("/cases/open", headers=heads["supervisor"])
    client.post("/cases/1/review", headers=heads["supervisor"])
    close = {"action": "close", "reason": "Donations to a family in need"}
    assert client.post("/cases/1/propose", json=close, headers=heads["supervisor"]).is_success
    own = client.post("/cases/1/approve", headers=heads["supervisor"])
    assert own.status_code == 409 and "four-eyes" in own.json()["detail"]
    taken = client.post("/cases/1/withdraw", json={}, headers=heads["analyst"])
    assert taken.status_code == 409 and "supervisor" in taken.json()["detail"]
    back = client.post("/cases/1/withdraw", json={"reason": "again"}, headers=heads["supervisor"])
    assert back.json() == {"case_id": 1, "status": "under_review"}
    assert client.post("/cases/1/approve", headers=heads["supervisor2"]).status_code == 409
    client.post("/cases/1/propose", json=close, headers=heads["supervisor"])
    closed = client.post("/cases/1/approve", headers=heads["supervisor2"])
    assert closed.json() == {"case_id": 1, "status": "closed"}
    assert client.get("/cases", headers=heads["auditor"]).json() == []
    assert len(client.get("/cases?status=all", headers=heads["auditor"]).json()) == 1
    assert client.get("/cases/2", headers=heads["auditor"]).status_code == 404
