"""The real-time payment check: screening both parties and R.16, in process, over HTTP and from
the command line."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner, Result

from finmon.api import create_app
from finmon.cli import app
from finmon.screening import DEFAULT_THRESHOLD, Screener
from finmon.store import load_list
from finmon.transactions import PartyInfo, Transaction
from finmon.transactions.payments import SIDES, check_payment, party_hits, side_party
from finmon.workflow.access import Role
from tests.accounts import make_user, make_users
from tests.store.workflow_data import fixture_designations, un_version

WHEN = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
ORIGINATOR = PartyInfo(
    name="Жақсылықов Ерлан Серікұлы",
    account="KZ86125KZT5004100100",
    id="871008300125",
    country="KZ",
)


def payment(beneficiary: PartyInfo, amount: str = "250", currency: str = "USD") -> Transaction:
    return Transaction(
        id="P-1",
        timestamp=WHEN,
        amount=Decimal(amount),
        currency=currency,
        originator=ORIGINATOR,
        beneficiary=beneficiary,
    )


@pytest.fixture(scope="module")
def screener() -> Screener:
    return Screener(fixture_designations(), versions={"un": "2026-01-15"})


def test_a_payment_to_a_listed_person_is_held_with_the_match_named(screener: Screener) -> None:
    listed = PartyInfo(
        name="Karagulov Timur Akhatovich",
        account="RU0204452560040702810412345678901",
        country="RU",
        birth_date=dt.date(1988, 2, 29),
    )
    decision = check_payment(payment(listed), screener)
    assert decision.decision == "hold"
    ((side, hit),) = decision.hits
    assert (side, hit.designation.reference) == ("beneficiary", "QDi.905")
    assert any("QDi.905" in reason and "beneficiary" in reason for reason in decision.reasons)
    assert decision.wire.complete


def test_an_ordinary_payment_is_allowed_and_incomplete_information_holds_it(
    screener: Screener,
) -> None:
    ordinary = PartyInfo(name="Айгерім Сейтқали", account="KZ11125KZT0000000102", country="KZ")
    allowed = check_payment(payment(ordinary), screener)
    assert (allowed.decision, allowed.reasons, allowed.hits) == ("allow", (), ())
    nameless = PartyInfo(account="TJ12345678901234567", country="TJ")
    held = check_payment(payment(nameless, amount="5000"), screener)
    assert held.decision == "hold"
    (reason,) = held.reasons
    assert "R.16" in reason and "beneficiary: no name" in reason
    assert held.to_dict()["wire_transfer_information"]["missing"] == [
        {"side": "beneficiary", "what": "name", "detail": "no name"}
    ]


@pytest.fixture
def client() -> Iterator[tuple[TestClient, dict[str, str]]]:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    key = make_user("teller", Role.ANALYST)
    with TestClient(create_app()) as client:
        yield client, {"Authorization": f"Bearer {key}"}


def test_post_payments_check_answers_allow_or_hold_with_reasons(
    client: tuple[TestClient, dict[str, str]],
) -> None:
    http, headers = client
    body = {
        "id": "P-7",
        "amount": "1200.00",
        "currency": "EUR",
        "originator": {
            "name": "Erlan Zhaksylykov",
            "account": "KZ86125KZT5004100100",
            "country": "Kazakhstan",
            "id": "871008300125",
        },
        "beneficiary": {
            "name": "TIMUR AKHATOVICH KARAGULOV",
            "account": "RU02044525600407028",
            "country": "RU",
            "birth_date": "1988-02-29",
        },
    }
    held = http.post("/payments/check", json=body, headers=headers)
    assert held.status_code == 200, held.text
    answer = held.json()
    assert answer["decision"] == "hold"
    assert [h["reference"] for h in answer["hits"]] == ["QDi.905"]
    assert answer["wire_transfer_information"]["complete"] is True
    body["beneficiary"] = {
        "name": "Rustam Nazarov",
        "account": "TJ12345678901234567",
        "country": "TJ",
    }
    allowed = http.post("/payments/check", json=body, headers=headers).json()
    assert (allowed["decision"], allowed["reasons"]) == ("allow", [])
    body["originator"] = {"name": "Erlan Zhaksylykov", "account": "KZ86125KZT5004100100"}
    incomplete = http.post("/payments/check", json=body, headers=headers).json()
    assert incomplete["decision"] == "hold"
    assert "originator: no address, national ID" in incomplete["reasons"][0]
    for bad in ({"currency": "euro"}, {"amount": "-5"}, {"beneficiary": {"country": "Atlantis"}}):
        assert (
            http.post("/payments/check", json={**body, **bad}, headers=headers).status_code == 422
        )
    assert http.post("/payments/check", json=body).status_code == 401


def test_finmon_check_payment_reads_a_file_and_writes_one_row_per_payment(
    client: tuple[TestClient, dict[str, str]], tmp_path: Path
) -> None:
    from tests.store.test_transactions import ROWS, _write

    payments = _write(tmp_path / "payments.csv", ROWS)
    out = tmp_path / "decisions.csv"
    result = CliRunner().invoke(
        app, ["--actor", "teller", "check-payment", str(payments), "--output", str(out)]
    )
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        decided = {row["transaction_id"]: row for row in csv.DictReader(handle)}
    assert decided["P-1"]["decision"] == "hold" and "QDi.905" in decided["P-1"]["reasons"]
    assert decided["P-1"]["hits"] == "1"
    assert decided["P-2"]["decision"] == "hold"
    assert decided["P-2"]["missing_information"].startswith("originator: no address")
    assert decided["P-3"]["decision"] == "allow" and decided["P-3"]["reasons"] == ""
    missing = CliRunner().invoke(
        app, ["--actor", "teller", "check-payment", str(tmp_path / "none.csv")]
    )
    assert missing.exit_code == 2


def test_a_counterparty_cleared_on_the_command_line_is_not_held_by_check_payment(
    tmp_path: Path,
) -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    make_users({"anna": Role.ANALYST, "boris": Role.SUPERVISOR})
    payments = tmp_path / "payments.csv"
    payments.write_text(
        "id,timestamp,amount,currency,originator_name,originator_account,originator_country,"
        "beneficiary_name,beneficiary_account,beneficiary_country\n"
        "T1,2026-01-20T10:00:00Z,100,KZT,Aigerim Seitkali,KZ22125KZT0000000200,KZ,"
        "КАРАГУЛОВ ТИМУР,KZ86125KZT5004100100,KZ\n"
        "T2,2026-01-20T10:05:00Z,100,KZT,Aigerim Seitkali,KZ22125KZT0000000200,KZ,"
        "КАРАГУЛОВ ТИМУР,KZ11125KZT0000000102,KZ\n",
        encoding="utf-8",
    )

    def finmon(actor: str, *args: str) -> Result:
        return CliRunner().invoke(app, ["--actor", actor, *args])

    clear = finmon(
        "anna",
        *("payments", "clear", "--name", "Карагулов Тимур", "--iban", "KZ86125KZT5004100100"),
        *("--list", "un", "--reference", "QDi.905", "--reason", "born 1961, another person"),
    )
    assert clear.exit_code == 0, clear.output
    assert "clearance 1 proposed" in clear.stdout
    assert finmon("anna", "payments", "approve-clearance", "1").exit_code == 9  # an analyst
    assert finmon("boris", "payments", "approve-clearance", "1").exit_code == 0
    out = tmp_path / "decisions.csv"
    checked = finmon("anna", "check-payment", str(payments), "--output", str(out))
    assert checked.exit_code == 0, checked.output
    assert "1 hits on cleared counterparties not held" in checked.stderr
    with out.open(encoding="utf-8") as handle:
        decided = {row["transaction_id"]: row for row in csv.DictReader(handle)}
    assert decided["T1"]["decision"] == "allow"
    assert decided["T1"]["cleared"] == "clearance 1: beneficiary against un QDi.905"
    assert decided["T2"]["decision"] == "hold" and decided["T2"]["cleared"] == ""
    listed = tmp_path / "clearances.json"
    assert finmon("anna", "payments", "clearances", "--output", str(listed)).exit_code == 0
    (row,) = json.loads(listed.read_text(encoding="utf-8"))
    assert (row["status"], row["approved_by"], row["suppressions"]) == ("active", "boris", 1)
    assert finmon("anna", "payments", "revoke", "1", "--reason", "new facts").exit_code == 0
    again = finmon("anna", "check-payment", str(payments), "--output", str(out))
    assert again.exit_code == 0 and "2 held" in again.stderr


def test_post_payments_clearances_proposes_approves_and_the_check_lists_the_suppression() -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    keys = make_users({"anna": Role.ANALYST, "boris": Role.SUPERVISOR})
    anna = {"Authorization": f"Bearer {keys['anna']}"}
    boris = {"Authorization": f"Bearer {keys['boris']}"}
    clearance = {
        "name": "Карагулов Тимур",
        "card": "4276 3800 1234 5679",
        "list": "un",
        "reference": "QDi.905",
        "reason": "another person",
    }
    payment = {
        "id": "P-9",
        "amount": "100",
        "currency": "KZT",
        "originator": {"name": "Aigerim Seitkali", "account": "KZ22125KZT0000000200"},
        "beneficiary": {"name": "Карагулов Тимур", "account": "4276380012345679"},
        "channel": "card",
    }
    with TestClient(create_app()) as http:
        made = http.post("/payments/clearances", json=clearance, headers=anna)
        assert made.status_code == 201, made.text
        number = made.json()["clearance_id"]
        assert http.post("/payments/check", json=payment, headers=anna).json()["hits"]
        refused = http.post(f"/payments/clearances/{number}/approve", headers=anna)
        assert refused.status_code == 403
        approved = http.post(f"/payments/clearances/{number}/approve", headers=boris)
        assert approved.json()["status"] == "active"
        checked = http.post("/payments/check", json=payment, headers=anna).json()
        assert checked["hits"] == []
        assert [(s["clearance_id"], s["reference"]) for s in checked["suppressed"]] == [
            (number, "QDi.905")
        ]
        (listed,) = http.get("/payments/clearances", headers=anna).json()
        assert (listed["identifier"], listed["suppressions"]) == ("************5679", 1)
        both = {**clearance, "iban": "KZ86125KZT5004100100"}
        assert http.post("/payments/clearances", json=both, headers=anna).status_code == 422


def test_parties_named_again_are_screened_once_with_the_hits_of_screening_each(
    screener: Screener,
) -> None:
    listed = PartyInfo(name="Karagulov Timur Akhatovich", birth_date=dt.date(1988, 2, 29))
    other_birth = PartyInfo(name="Karagulov Timur Akhatovich", birth_date=dt.date(1950, 1, 1))
    sides = [listed, PartyInfo(name="Ivanov Ivan"), listed, other_birth, PartyInfo(), listed]
    transfers = [
        dataclasses.replace(payment(beneficiary), id=f"P-{n}")
        for n, beneficiary in enumerate(sides)
    ]
    found = party_hits(transfers, screener, DEFAULT_THRESHOLD)

    def one_by_one(position: int) -> list[tuple[str, str, float]]:
        hits = []
        for side in SIDES:
            party = side_party(transfers[position], side)
            if party is not None:
                for hit in screener.screen(party, DEFAULT_THRESHOLD):
                    hits.append((side, hit.designation.reference, hit.score))
        return hits

    for position in range(len(transfers)):
        got = [(s, h.designation.reference, h.score) for s, h in found.get(position, [])]
        assert got == one_by_one(position), position
    assert {p for p, hits in found.items() if hits} == {0, 2, 3, 5}
    assert found[0][0][1].score > found[3][0][1].score  # the birth date tells them apart
