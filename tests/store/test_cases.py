"""Cases: monitoring alerts grouped per account, decided by one person and approved by another,
every step in the audit trail."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from finmon.errors import InputError, NotFound, WorkflowRefused
from finmon.store import default_database, load_list, verify_audit
from finmon.store.cases import (
    approve_decision,
    case_report_data,
    get_case,
    list_cases,
    open_cases,
    propose_decision,
    review_case,
    withdraw_proposal,
)
from finmon.store.models import AuditEntry, CaseDecision, MonitoringAlert, utc_now
from finmon.store.transactions import (
    LISTED,
    R16,
    list_monitoring_alerts,
    load_transactions,
    store_monitoring_alerts,
)
from finmon.transactions.model import COLUMNS
from finmon.workflow.access import Role
from tests.accounts import make_user
from tests.store.workflow_data import audit_rows, fixture_designations, un_version

LISTED_ACCOUNT = "RU02044525600407028"
"""The account of the listed person QDi.905 (Карагулов Тимур Ахатович)."""
R16_ACCOUNT = "KZ11125KZT0000000102"
FIRST = [
    # To the listed person: listed_party on his account.
    [
        "C-1", "2026-11-02T09:30:00", "KZ86125KZT5004100100", "Erlan Zhaksylykov",
        "871008300125", "KZ", LISTED_ACCOUNT, "Карагулов Тимур Ахатович", "", "RU",
        "300", "USD", "wire", "e2e-1",
    ],
    # Cross-border above the threshold without originator identification: r16 on the sender.
    [
        "C-2", "2026-11-02T09:31:00", R16_ACCOUNT, "Aigerim Seitkali", "", "KZ",
        "TJ12345678901234567", "Rustam Nazarov", "", "TJ", "2500", "EUR", "wire", "e2e-2",
    ],
    # Domestic and complete: no alert.
    [
        "C-3", "2026-11-02T09:32:00", R16_ACCOUNT, "Aigerim Seitkali", "", "KZ",
        "KZ86125KZT5004100100", "Erlan Zhaksylykov", "", "KZ", "50000", "KZT", "internal", "",
    ],
]  # fmt: skip
SECOND = [
    # The listed person sends, above the threshold and unidentified: listed_party and r16.
    [
        "C-4", "2026-11-03T10:00:00", LISTED_ACCOUNT, "Карагулов Тимур Ахатович", "", "RU",
        "KZ86125KZT5004100100", "Erlan Zhaksylykov", "871008300125", "KZ", "5000", "USD",
        "wire", "e2e-4",
    ],
]  # fmt: skip


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def _load(tmp_path: Path, name: str, rows: list[list[str]]) -> None:
    load_transactions(_write(tmp_path / name, rows), actor="ops")


def _raise(account: str, rule: str, score: float) -> None:
    """A monitoring alert as the rule engine raises one (it has no store writer of its own)."""
    now = utc_now()
    with default_database().write() as session:
        number = session.scalar(select(func.count()).select_from(MonitoringAlert))
        session.add(
            MonitoringAlert(
                key=f"{rule}:{account}:{number}",
                account=account,
                rule=rule,
                typology=f"typology of {rule}",
                score=score,
                window_start=now - dt.timedelta(days=7),
                window_end=now,
                transaction_ids=[f"T-{number}"],
                evidence={},
                status="open",
                created_at=now,
                created_by="engine",
            )
        )


def _audit_count() -> int:
    with default_database().read() as session:
        return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)


def _decisions() -> list[tuple[int, str, str]]:
    with default_database().read() as session:
        rows = session.scalars(select(CaseDecision).order_by(CaseDecision.id))
        return [(d.id, d.action, d.status) for d in rows]


def _case_of(account: str) -> dict[str, Any]:
    [case] = [c for c in list_cases() if c["account"] == account]
    return case


@pytest.fixture
def people() -> None:
    """The list loaded, and one user of each role; two supervisors, for four-eyes."""
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    for name, role in [
        ("anna", Role.ANALYST),
        ("bolat", Role.SUPERVISOR),
        ("dana", Role.SUPERVISOR),
        ("erik", Role.AUDITOR),
        ("farida", Role.ADMIN),
    ]:
        make_user(name, role)


@pytest.fixture
def two_cases(people: None, tmp_path: Path) -> tuple[int, int]:
    """FIRST loaded and grouped: (the listed account's case, the R.16 account's case)."""
    _load(tmp_path, "first.csv", FIRST)
    open_cases(actor="ops")
    return _case_of(LISTED_ACCOUNT)["case_id"], _case_of(R16_ACCOUNT)["case_id"]


def _proposed(case_id: int, action: str = "report", by: str = "anna") -> int:
    review_case(case_id, actor=by)
    return propose_decision(case_id, action, actor=by, reason="pays a listed person")


def _run_row(account: str, rule: str, score: float) -> dict[str, Any]:
    """An alert row of a rules run, as engine.numbered gives it."""
    return {
        "account": account,
        "rule": rule,
        "typology": "terrorist_collection",
        "score": score,
        "window_start": "2026-11-01T00:00:00",
        "window_end": "2026-11-08T00:00:00",
        "transaction_ids": [f"{account}-{rule}"],
        "evidence": {"count": 10},
    }


def test_rules_resting_on_one_piece_of_evidence_are_one_indication_of_a_case(
    people: None,
) -> None:
    rests_on = {"funnel_account": ["collection"], "collected_then_moved": ["collection"]}
    rules = [("funnel_account", 0.6), ("collected_then_moved", 0.5), ("cash_then_abroad", 0.4)]
    rows = [_run_row(account, *rule) for account in ("ACC-1", "ACC-2") for rule in rules]
    store_monitoring_alerts(rows[:3], actor="ops", source="run-1.csv", rests_on=rests_on)
    store_monitoring_alerts(rows[3:], actor="ops", source="run-2.csv")
    cases = [get_case(case) for case in open_cases(actor="ops")]
    scores = {case["account"]: case["score"] for case in cases}
    # The collection seen by two rules counts once, at 0.6; without the pack's word, three.
    assert scores == {"ACC-1": pytest.approx(1 - 0.4 * 0.6), "ACC-2": pytest.approx(0.88)}
    kept = {(a["account"], a["rule"]): a["evidence"] for a in list_monitoring_alerts("all")}
    assert kept["ACC-1", "funnel_account"] == {"count": 10, "rests_on": ["collection"]}
    assert kept["ACC-1", "cash_then_abroad"] == {"count": 10}


def test_open_alerts_are_grouped_per_account_once(people: None, tmp_path: Path) -> None:
    _load(tmp_path, "first.csv", FIRST)
    alerts = list_monitoring_alerts()
    assert {a["account"]: a["rule"] for a in alerts} == {LISTED_ACCOUNT: LISTED, R16_ACCOUNT: R16}
    opened = open_cases(actor="ops")
    cases = list_cases()
    assert opened == [c["case_id"] for c in cases] and len(opened) == 2
    assert {c["account"]: c["summary"]["rules"] for c in cases} == {
        LISTED_ACCOUNT: [LISTED],
        R16_ACCOUNT: [R16],
    }
    assert all(c["status"] == "open" and c["opened_by"] == "ops" for c in cases)
    assert list_monitoring_alerts() == []
    assert {a["status"] for a in list_monitoring_alerts("all")} == {"in_case"}
    r16 = _case_of(R16_ACCOUNT)
    assert r16["score"] == 1.0
    assert r16["summary"]["amounts"] == {"EUR": "2500"}
    before = (list_cases(), _audit_count())
    assert open_cases(actor="ops") == []
    assert (list_cases(), _audit_count()) == before


def test_new_alerts_join_the_accounts_open_case_and_rescore_it(
    two_cases: tuple[int, int], tmp_path: Path
) -> None:
    listed, other = two_cases
    first = get_case(listed)
    assert (first["summary"]["rules"], first["summary"]["alerts"]) == ([LISTED], 1)
    _load(tmp_path, "second.csv", SECOND)
    assert open_cases(actor="ops") == [listed]
    case = get_case(listed)
    assert sorted(a["rule"] for a in case["alerts"]) == [LISTED, LISTED, R16]
    assert case["summary"]["rules"] == [LISTED, R16]
    listed_scores = [a["score"] for a in case["alerts"] if a["rule"] == LISTED]
    assert case["summary"]["rule_scores"][LISTED] == max(listed_scores)
    assert case["score"] == 1.0 and case["summary"]["alerts"] == 3
    assert case["summary"]["transactions"] == 2
    assert case["summary"]["amounts"] == {"USD": "5300"}
    assert len(list_cases()) == 2 and get_case(other)["summary"]["alerts"] == 1
    assert audit_rows("case.")[-1] == ("ops", "case.add_alerts", f"case:{listed}")


def test_the_score_is_a_noisy_or_over_the_distinct_rules(people: None) -> None:
    _raise("ACC-9", "structuring", 0.5)
    _raise("ACC-9", "rapid_movement", 0.4)
    _raise("ACC-9", "structuring", 0.3)  # the same rule again is not new evidence
    [case_id] = open_cases(actor="ops")
    case = get_case(case_id)
    assert case["score"] == pytest.approx(0.7)
    assert case["summary"]["rule_scores"] == {"rapid_movement": 0.4, "structuring": 0.5}
    _raise("ACC-9", "high_risk_country", 0.5)
    assert open_cases(actor="ops") == [case_id]
    assert get_case(case_id)["score"] == pytest.approx(0.85)
    assert get_case(case_id)["summary"]["transactions_loaded"] == 0


def test_the_state_machine_from_open_to_reported(two_cases: tuple[int, int]) -> None:
    case_id, _ = two_cases
    with pytest.raises(WorkflowRefused, match="take it for review first"):
        propose_decision(case_id, "report", actor="anna", reason="x")
    with pytest.raises(WorkflowRefused, match="no proposal awaiting approval"):
        approve_decision(case_id, actor="bolat")
    assert review_case(case_id, actor="anna") == "under_review"
    assert get_case(case_id)["assigned_to"] == "anna"
    for empty in ("", "   "):
        with pytest.raises(WorkflowRefused, match="needs a reason"):
            propose_decision(case_id, "report", actor="anna", reason=empty)
    with pytest.raises(InputError, match="unknown case action 'freeze'"):
        propose_decision(case_id, "freeze", actor="anna", reason="x")
    first = propose_decision(case_id, "close", actor="anna", reason="a namesake")
    assert get_case(case_id)["status"] == "proposed"
    # A proposal awaiting approval is locked: nobody replaces it, only its author withdraws it.
    for actor in ("anna", "bolat"):
        with pytest.raises(WorkflowRefused, match="awaiting approval"):
            propose_decision(case_id, "report", actor=actor, reason="pays a listed person")
    with pytest.raises(WorkflowRefused, match="only 'anna'"):
        withdraw_proposal(case_id, actor="bolat")
    assert _decisions() == [(first, "close", "proposed")]
    assert withdraw_proposal(case_id, actor="anna", reason="ask compliance") == "under_review"
    assert _decisions() == [(first, "close", "superseded")]
    second = propose_decision(case_id, "report", actor="anna", reason="pays a listed person")
    assert withdraw_proposal(case_id, actor="anna", reason="ask compliance") == "under_review"
    assert _decisions()[-1] == (second, "report", "superseded")
    third = propose_decision(case_id, "report", actor="anna", reason="pays a listed person")
    assert approve_decision(case_id, actor="bolat") == "reported"
    case = get_case(case_id)
    assert case["status"] == "reported"
    assert case["decisions"][-1] | {"proposed_at": None, "approved_at": None} == {
        "decision_id": third,
        "action": "report",
        "reason": "pays a listed person",
        "status": "approved",
        "proposed_by": "anna",
        "proposed_at": None,
        "approved_by": "bolat",
        "approved_at": None,
    }
    for step in (
        lambda: review_case(case_id, actor="anna"),
        lambda: propose_decision(case_id, "close", actor="anna", reason="x"),
        lambda: withdraw_proposal(case_id, actor="anna"),
        lambda: approve_decision(case_id, actor="dana"),
    ):
        with pytest.raises(WorkflowRefused):
            step()
    assert get_case(case_id)["status"] == "reported"


def test_an_approved_close_closes_the_case(two_cases: tuple[int, int]) -> None:
    _, case_id = two_cases
    _proposed(case_id, "close")
    assert approve_decision(case_id, actor="dana") == "closed"
    with pytest.raises(WorkflowRefused, match="is closed, not approved for reporting"):
        case_report_data(case_id)


def test_the_proposer_cannot_approve_and_nothing_changes(two_cases: tuple[int, int]) -> None:
    case_id, _ = two_cases
    _proposed(case_id, by="bolat")
    before = (get_case(case_id), _decisions(), _audit_count())
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        approve_decision(case_id, actor="bolat")
    assert (get_case(case_id), _decisions(), _audit_count()) == before
    assert approve_decision(case_id, actor="dana") == "reported"
    assert get_case(case_id)["decisions"][-1]["approved_by"] == "dana"


def test_the_store_checks_no_role_but_four_eyes_by_person(two_cases: tuple[int, int]) -> None:
    # Roles are decided by finmon.services.access before the store is called
    # (tests/services/test_cases.py); the store keeps only the workflow and four-eyes.
    case_id, _ = two_cases
    assert review_case(case_id, actor="erik") == "under_review"  # an auditor's account
    propose_decision(case_id, "close", actor="erik", reason="a namesake")
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        approve_decision(case_id, actor="erik")
    assert approve_decision(case_id, actor="farida") == "closed"


def test_new_alerts_outdate_a_proposal_awaiting_approval(
    two_cases: tuple[int, int], tmp_path: Path
) -> None:
    case_id, _ = two_cases
    decision = _proposed(case_id, "close")
    _load(tmp_path, "second.csv", SECOND)
    assert open_cases(actor="ops") == [case_id]
    case = get_case(case_id)
    assert case["status"] == "under_review"
    assert case["decisions"][-1]["decision_id"] == decision
    assert case["decisions"][-1]["status"] == "superseded"
    with pytest.raises(WorkflowRefused, match="no proposal awaiting approval"):
        approve_decision(case_id, actor="bolat")


def test_a_decided_accounts_new_alerts_open_a_new_case(
    two_cases: tuple[int, int], tmp_path: Path
) -> None:
    case_id, _ = two_cases
    _proposed(case_id, "close")
    approve_decision(case_id, actor="bolat")
    _load(tmp_path, "second.csv", SECOND)
    [new] = open_cases(actor="ops")
    assert new != case_id
    assert get_case(new)["account"] == LISTED_ACCOUNT and get_case(new)["status"] == "open"
    assert get_case(case_id)["summary"]["alerts"] == 1
    assert [c["case_id"] for c in list_cases("open")] == sorted({new, two_cases[1]})


def test_every_step_is_in_the_audit_trail_and_the_chain_holds(
    two_cases: tuple[int, int],
) -> None:
    case_id, other = two_cases
    _proposed(case_id, "close")
    withdraw_proposal(case_id, actor="anna")
    propose_decision(case_id, "report", actor="bolat", reason="pays a listed person")
    approve_decision(case_id, actor="dana")
    mine = [row for row in audit_rows("case.") if row[2] == f"case:{case_id}"]
    assert mine == [
        ("ops", "case.open", f"case:{case_id}"),
        ("anna", "case.review", f"case:{case_id}"),
        ("anna", "case.propose", f"case:{case_id}"),
        ("anna", "case.withdraw", f"case:{case_id}"),
        ("bolat", "case.propose", f"case:{case_id}"),
        ("dana", "case.approve", f"case:{case_id}"),
    ]
    assert ("ops", "case.open", f"case:{other}") in audit_rows("case.")
    report = verify_audit()
    assert report.ok and report.rows == _audit_count()


def test_report_data_is_refused_until_approved_then_complete(
    two_cases: tuple[int, int], tmp_path: Path
) -> None:
    case_id, _ = two_cases
    _load(tmp_path, "second.csv", SECOND)
    open_cases(actor="ops")
    with pytest.raises(WorkflowRefused, match="not approved for reporting"):
        case_report_data(case_id)
    _proposed(case_id)
    with pytest.raises(WorkflowRefused, match="is proposed, not approved"):
        case_report_data(case_id)
    approve_decision(case_id, actor="bolat")
    data = case_report_data(case_id)
    assert (data["account"], data["reason"]) == (LISTED_ACCOUNT, "pays a listed person")
    assert (data["proposed_by"], data["approved_by"]) == ("anna", "bolat")
    assert [(i["rule"], i["alerts"]) for i in data["indicators"]] == [(LISTED, 2), (R16, 1)]
    assert all(i["typology"] for i in data["indicators"])
    assert [t["id"] for t in data["transactions"]] == ["C-1", "C-4"]
    assert data["transactions_not_loaded"] == []
    sent = data["transactions"][1]
    assert (sent["amount"], sent["currency"], sent["channel"]) == ("5000", "USD", "wire")
    assert sent["timestamp"].startswith("2026-11-03T10:00:00")
    assert sent["originator"] | {"address": None} == {
        "name": "Карагулов Тимур Ахатович",
        "account": LISTED_ACCOUNT,
        "id": None,
        "country": "RU",
        "address": None,
        "birth_date": None,
        "birth_place": None,
        "bank": None,
    }
    assert sent["beneficiary"]["id"] == "871008300125"


def test_a_case_shows_its_alerts_transactions_and_decisions(two_cases: tuple[int, int]) -> None:
    case_id, _ = two_cases
    _proposed(case_id)
    case = get_case(case_id)
    [alert] = case["alerts"]
    assert (alert["rule"], alert["transaction_ids"], alert["status"]) == (
        LISTED,
        ["C-1"],
        "in_case",
    )
    assert alert["evidence"]["reference"] == "QDi.905"
    assert [t["id"] for t in case["transactions"]] == ["C-1"]
    assert case["transactions"][0]["beneficiary"]["name"] == "Карагулов Тимур Ахатович"
    assert [d["status"] for d in case["decisions"]] == ["proposed"]
    assert [c["case_id"] for c in list_cases("proposed")] == [case_id]
    with pytest.raises(InputError, match="unknown case status 'pending'"):
        list_cases("pending")
    with pytest.raises(NotFound):
        get_case(999)
