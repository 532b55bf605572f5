"""The cases service: each step authorised by `finmon.services.access` before the store acts,
the same rule as alerts and freezes, with accounts and without."""

from __future__ import annotations

from pathlib import Path

import pytest

from finmon.errors import Forbidden, Unauthenticated
from finmon.services import cases
from finmon.store import load_list
from finmon.store.users import disable_user
from tests.store.test_cases import FIRST, LISTED_ACCOUNT, _load, people  # noqa: F401
from tests.store.workflow_data import fixture_designations, un_version


@pytest.fixture
def case_id(tmp_path: Path) -> int:
    """The list and FIRST loaded and grouped, in a store with no account; the listed account's
    case."""
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    _load(tmp_path, "first.csv", FIRST)
    cases.open_cases("ops")
    (case,) = [c for c in cases.list_cases("ops") if c["account"] == LISTED_ACCOUNT]
    return int(case["case_id"])


def test_only_the_roles_allowed_may_review_propose_and_approve(
    people: None,  # noqa: F811
    tmp_path: Path,
) -> None:
    _load(tmp_path, "first.csv", FIRST)
    [opened, _] = cases.open_cases("anna")
    for actor in ("erik", "farida"):
        with pytest.raises(Forbidden, match="may not review cases"):
            cases.review(actor, opened)
    with pytest.raises(Unauthenticated, match="not an active finmon account"):
        cases.review("nobody", opened)
    cases.review("anna", opened)
    cases.propose("anna", opened, "report", "pays a listed person")
    with pytest.raises(Forbidden, match="analyst"):
        cases.approve("anna", opened)
    disable_user("dana", actor="root")
    with pytest.raises(Unauthenticated, match="not an active finmon account"):
        cases.approve("dana", opened)
    assert cases.get_case("erik", opened)["status"] == "proposed"
    assert cases.approve("bolat", opened) == "reported"


def test_without_accounts_anyone_works_a_case_but_nobody_approves(case_id: int) -> None:
    # As alerts and freezes: a personal installation, where no second person can be told apart.
    assert cases.review("me", case_id) == "under_review"
    cases.propose("me", case_id, "close", "a namesake")
    with pytest.raises(Forbidden, match="takes accounts for both people"):
        cases.approve("someone.else", case_id)
    assert cases.withdraw("me", case_id) == "under_review"
    assert cases.get_case("me", case_id)["status"] == "under_review"
