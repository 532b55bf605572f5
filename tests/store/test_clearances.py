"""Payment counterparties cleared as false positives: four-eyes, what a clearance covers and what
holds the payment again, and every suppression audited and listed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from finmon.errors import InputError, NotFound, WorkflowRefused
from finmon.model import DesignationName, NameQuality
from finmon.screening import Screener
from finmon.store import load_list
from finmon.store.clearances import (
    StoreClearances,
    approve,
    counterparty,
    list_clearances,
    propose_clearance,
    revoke,
)
from finmon.store.screener import build_screener
from finmon.transactions import PartyInfo, Transaction
from finmon.transactions.payments import PaymentDecision, check_payment
from finmon.workflow.access import Role
from tests.accounts import make_users
from tests.conftest import direct_sql
from tests.store.workflow_data import (
    LISTED_REF,
    audit_rows,
    designation,
    fixture_designations,
    un_version,
)

FIRST = dt.datetime(2026, 1, 15, tzinfo=dt.UTC)
SECOND = dt.datetime(2026, 2, 1, tzinfo=dt.UTC)
NAMESAKE = "Карагулов Тимур"
"""A namesake of the listed QDi.905 (TIMUR AKHATOVICH KARAGULOV), with no birth date given."""
ACCOUNT = "KZ86125KZT5004100100"
OTHER_ACCOUNT = "KZ11125KZT0000000102"
CARD = "4276 3800 1234 5679"


@pytest.fixture(autouse=True)
def _listed() -> None:
    assert load_list(un_version(FIRST, fixture_designations()), actor="loader").loaded
    make_users({"anna": Role.ANALYST, "boris": Role.SUPERVISOR})


def _pay(name: str = NAMESAKE, account: str = ACCOUNT, **more: object) -> Transaction:
    return Transaction(
        id="P-1",
        timestamp=dt.datetime(2026, 1, 20, 10, tzinfo=dt.UTC),
        amount=Decimal("120"),
        currency="KZT",
        originator=PartyInfo(name="Сейтқали Айгерім", account="KZ22125KZT0000000200", country="KZ"),
        beneficiary=PartyInfo(name=name, account=account, country="KZ", **more),  # type: ignore[arg-type]
    )


def _check(payment: Transaction, screener: Screener | None = None) -> PaymentDecision:
    return check_payment(
        payment, screener or build_screener(), clearances=StoreClearances("payments.bot")
    )


def _cleared(kind: str = "iban", value: str = ACCOUNT, **more: object) -> int:
    who = counterparty(NAMESAKE, kind, value, **more)  # type: ignore[arg-type]
    clearance_id = propose_clearance(
        who, "un", LISTED_REF, reason="born 1961, other patronymic", actor="anna"
    )
    assert approve(clearance_id, actor="boris") == "active"
    return clearance_id


def test_a_cleared_counterparty_is_not_held_again_and_each_suppression_is_audited() -> None:
    screener = build_screener()
    held = _check(_pay(), screener)
    assert held.decision == "hold" and [h.designation.reference for _, h in held.hits] == [
        LISTED_REF
    ]
    who = counterparty(NAMESAKE, "iban", ACCOUNT)
    clearance_id = propose_clearance(who, "un", LISTED_REF, reason="other person", actor="anna")
    assert _check(_pay(), screener).decision == "hold"  # not yet approved
    approve(clearance_id, actor="boris")
    for written in (NAMESAKE, "КАРАГУЛОВ  ТИМУР", "карагулов тимур"):
        decision = _check(_pay(written, "kz86 125K ZT50 0410 0100"), screener)
        assert (decision.decision, decision.hits) == ("allow", ())
        (suppressed,) = decision.to_dict()["suppressed"]
        assert suppressed["clearance_id"] == clearance_id
        assert (suppressed["list"], suppressed["reference"]) == ("un", LISTED_REF)
        assert any(f"clearance {clearance_id}" in r for r in decision.reasons)
    assert audit_rows("clearance.") == [
        ("anna", "clearance.propose", f"clearance:{clearance_id}"),
        ("boris", "clearance.approve", f"clearance:{clearance_id}"),
        *[("payments.bot", "clearance.suppress", f"clearance:{clearance_id}")] * 3,
    ]
    (listed,) = list_clearances("active")
    assert listed["suppressions"] == 3 and listed["last_suppressed_at"] is not None
    assert (listed["proposed_by"], listed["approved_by"]) == ("anna", "boris")
    assert listed["designation"] == "unchanged"


def test_a_library_call_without_the_store_holds_as_before() -> None:
    _cleared()
    decision = check_payment(_pay(), build_screener())
    assert decision.decision == "hold" and decision.suppressed == ()


@pytest.mark.parametrize(
    "other",
    [
        {"account": OTHER_ACCOUNT},
        {"name": "Карагулов Тимур Ахатович"},
        {"birth_date": dt.date(1988, 2, 29)},  # the listed day: a birth date that confirms
        {"id": "871008300125"},
    ],
    ids=["other_account", "other_name", "birth_date_now_given", "iin_now_given"],
)
def test_the_same_name_with_another_account_or_new_data_is_held(other: dict[str, object]) -> None:
    _cleared()
    decision = _check(_pay(**other))  # type: ignore[arg-type]
    assert decision.decision == "hold" and decision.suppressed == ()
    assert audit_rows("clearance.suppress") == []


def test_an_amended_designation_holds_the_cleared_counterparty_again() -> None:
    _cleared()
    amended = fixture_designations()
    designation(amended, LISTED_REF).names.append(
        DesignationName("Timur Karaguly", NameQuality.STRONG)
    )
    assert load_list(un_version(SECOND, amended), actor="loader").loaded
    decision = _check(_pay())
    assert decision.decision == "hold" and decision.suppressed == ()
    (listed,) = list_clearances()
    assert (listed["status"], listed["designation"], listed["suppressions"]) == (
        "active",
        "amended",
        0,
    )


def test_a_list_republished_without_change_keeps_the_clearance() -> None:
    _cleared()
    assert load_list(un_version(SECOND, fixture_designations()), actor="loader").loaded
    assert _check(_pay()).decision == "allow"


def test_one_person_cannot_both_propose_and_approve() -> None:
    who = counterparty(NAMESAKE, "account", ACCOUNT)
    clearance_id = propose_clearance(who, "un", LISTED_REF, reason="other person", actor="anna")
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        approve(clearance_id, actor="anna")
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        approve(clearance_id, actor="ANNA ")
    assert _check(_pay()).decision == "hold"
    approve(clearance_id, actor="boris")
    with pytest.raises(WorkflowRefused, match="only a proposed clearance"):
        approve(clearance_id, actor="boris")


def test_a_revoked_clearance_holds_again_and_needs_a_reason() -> None:
    clearance_id = _cleared()
    with pytest.raises(WorkflowRefused, match="reason"):
        revoke(clearance_id, actor="anna", reason=" ")
    assert revoke(clearance_id, actor="anna", reason="new information") == "revoked"
    assert _check(_pay()).decision == "hold"
    with pytest.raises(WorkflowRefused, match="already revoked"):
        revoke(clearance_id, actor="anna", reason="again")
    assert [r["status"] for r in list_clearances("revoked")] == ["revoked"]


def test_a_card_is_kept_only_as_a_digest_and_still_clears_its_payments() -> None:
    clearance_id = _cleared("card", CARD)
    digits = CARD.replace(" ", "")
    assert _check(_pay(account=digits)).decision == "allow"
    assert _check(_pay(account=ACCOUNT)).decision == "hold"
    (listed,) = list_clearances()
    assert listed["identifier"] == "************5679"
    with direct_sql() as conn:
        for table in ("counterparty_clearances", "audit_log"):
            for row in conn.execute(text(f"SELECT * FROM {table}")):
                assert digits not in str(row) and digits[:12] not in str(row), table
    assert listed["clearance_id"] == clearance_id


def test_an_iin_clears_whatever_account_the_payment_comes_from() -> None:
    who = counterparty(NAMESAKE, "iin", "871008300125")
    clearance_id = propose_clearance(who, "un", LISTED_REF, reason="other person", actor="anna")
    approve(clearance_id, actor="boris")
    assert _check(_pay(account=OTHER_ACCOUNT, id="871008300125")).decision == "allow"
    assert _check(_pay(account=OTHER_ACCOUNT)).decision == "hold"


def test_what_cannot_be_cleared_is_refused_by_name() -> None:
    with pytest.raises(InputError, match="iban"):
        counterparty(NAMESAKE, "iban", "KZ00125KZT5004100100")
    with pytest.raises(InputError, match="card"):
        counterparty(NAMESAKE, "card", "4276380012345671")
    with pytest.raises(InputError, match="iin"):
        counterparty(NAMESAKE, "iin", "871008300126")
    with pytest.raises(InputError, match="name"):
        counterparty("--", "account", ACCOUNT)
    who = counterparty(NAMESAKE, "account", ACCOUNT)
    with pytest.raises(NotFound, match=r"QDi\.999"):
        propose_clearance(who, "un", "QDi.999", reason="x", actor="anna")
    with pytest.raises(WorkflowRefused, match="reason"):
        propose_clearance(who, "un", LISTED_REF, reason="", actor="anna")
    propose_clearance(who, "un", LISTED_REF, reason="other person", actor="anna")
    with pytest.raises(WorkflowRefused, match="already clears"):
        propose_clearance(who, "un", LISTED_REF, reason="again", actor="anna")


def test_a_transactions_load_raises_no_listed_party_alert_for_a_cleared_counterparty(
    tmp_path: Path,
) -> None:
    from finmon.store.transactions import list_monitoring_alerts, load_transactions
    from tests.store.test_transactions import _write

    clearance_id = _cleared()

    def row(number: str, account: str) -> list[str]:
        return [
            number,
            "2026-11-02T09:30:00",
            "KZ22125KZT0000000200",
            "Aigerim Seitkali",
            "",
            "KZ",
            account,
            NAMESAKE,
            "",
            "KZ",
            "100",
            "KZT",
            "wire",
            "",
        ]

    file = _write(tmp_path / "t.csv", [row("T-1", ACCOUNT), row("T-2", OTHER_ACCOUNT)])
    result = load_transactions(file, actor="ops")
    assert result.cleared == 1
    listed = [a for a in list_monitoring_alerts("all") if a["rule"] == "listed_party"]
    assert [a["transaction_ids"] for a in listed] == [["T-2"]]
    assert audit_rows("clearance.suppress") == [
        ("ops", "clearance.suppress", f"clearance:{clearance_id}")
    ]
    again = load_transactions(file, actor="ops")  # already loaded: nothing raised or counted
    assert (again.cleared, again.unchanged) == (0, 2)
    assert list_clearances()[0]["suppressions"] == 1
