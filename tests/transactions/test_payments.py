"""The real-time payment check: screening both parties and R.16, in process, over HTTP and from
the command line."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from finmon.api import create_app
from finmon.cli import app
from finmon.screening import Screener
from finmon.store import load_list
from finmon.transactions import PartyInfo, Transaction
from finmon.transactions.payments import check_payment
from finmon.workflow.access import Role
from tests.accounts import make_user
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
