"""The listed parties the store knows for monitoring: frozen customers and confirmed payment hits,
with their accounts and identifiers; an undecided hit, or one closed as no suspicion, is none."""

from __future__ import annotations

from pathlib import Path

from finmon.monitoring.listed import ListedParty
from finmon.store.cases import approve_decision, list_cases, open_cases
from finmon.store.freezes import ask_release, release
from finmon.store.listed_parties import listed_parties
from tests.store.test_cases import FIRST, LISTED_ACCOUNT, _load, _proposed, people  # noqa: F401
from tests.store.test_freezes import _freeze
from tests.store.workflow_data import LISTED_ACCOUNTS, LISTED_REF

DOCUMENTS = ("00 00 905905", "9200 000905")
"""QDi.905's document numbers in the fictional UN list."""


def test_a_frozen_customer_is_listed_with_accounts_and_identifiers_until_released() -> None:
    assert listed_parties() == []
    freeze_id = _freeze()
    assert listed_parties() == [
        ListedParty(f"freeze {freeze_id} (un {LISTED_REF})", tuple(LISTED_ACCOUNTS), DOCUMENTS)
    ]
    ask_release(freeze_id, actor="anna", reason="delisted")
    release(freeze_id, actor="bolat")
    assert listed_parties() == []


def _listed_case() -> int:
    open_cases(actor="ops")
    return next(c["case_id"] for c in list_cases() if c["account"] == LISTED_ACCOUNT)


def test_a_payment_hit_reported_by_two_people_makes_its_side_listed(
    people: None,  # noqa: F811
    tmp_path: Path,
) -> None:
    _load(tmp_path, "first.csv", FIRST)
    case_id = _listed_case()
    assert listed_parties() == []  # raised, not decided
    _proposed(case_id, "report")
    assert listed_parties() == []  # proposed by one person only
    approve_decision(case_id, actor="bolat")
    [party] = listed_parties()
    # The beneficiary's account as the transfer gave it (it carried no identifier), and the
    # designation's documents; never the paying customer's account nor a name.
    assert party.origin.startswith("alert ") and party.origin.endswith(f"(un {LISTED_REF})")
    assert party.accounts == (LISTED_ACCOUNT,)
    assert party.identifiers == DOCUMENTS


def test_a_payment_hit_closed_as_no_suspicion_makes_nobody_listed(
    people: None,  # noqa: F811
    tmp_path: Path,
) -> None:
    _load(tmp_path, "first.csv", FIRST)
    case_id = _listed_case()
    _proposed(case_id, "close")
    approve_decision(case_id, actor="bolat")
    assert listed_parties() == []


def test_a_reported_hit_on_a_side_without_account_lists_no_customer(
    people: None,  # noqa: F811
    tmp_path: Path,
) -> None:
    # The listed person is named with no account: the alert (and its case) is on the paying
    # customer's account, which must not become listed by the report.
    payer = FIRST[0][2]
    unaccounted = [[*FIRST[0][:6], "", *FIRST[0][7:]]]
    _load(tmp_path, "unaccounted.csv", unaccounted)
    open_cases(actor="ops")
    [case] = list_cases()
    assert case["account"] == payer
    _proposed(case["case_id"], "report")
    approve_decision(case["case_id"], actor="bolat")
    [party] = listed_parties()
    assert party.accounts == () and party.identifiers == DOCUMENTS
