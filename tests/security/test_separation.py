"""Separation of duties as an insider would try to break it: one person behind two accounts,
look-alike names, credentials made for someone else, and proposals changed while they await a
second person (issue 16, findings 4 and 5). Every case runs on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from finmon.api import create_app
from finmon.cli import app as cli
from finmon.cli import err, out
from finmon.errors import Forbidden, InputError, WorkflowRefused
from finmon.services import users as users_service
from finmon.store import load_list
from finmon.store.alerts import approve, decide_alert, get_alert, withdraw_proposal
from finmon.store.customers import import_customers
from finmon.store.users import (
    approve_user,
    change_role,
    create_user,
    disable_user,
    issue_key,
    list_users,
)
from finmon.workflow import Verdict
from finmon.workflow.access import Role
from tests.accounts import FOUNDER, SECOND_FOUNDER, make_users
from tests.store.workflow_data import CUSTOMERS, fixture_designations, un_version


@pytest.fixture
def alert_store() -> dict[str, str]:
    """The fixture list and customers (alert 1 on a listed customer) and the staff's accounts."""
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    assert import_customers(CUSTOMERS, actor="loader").alerts == 1
    return make_users(
        {
            "anna": Role.ANALYST,
            "asel": Role.ANALYST,
            "bolat": Role.SUPERVISOR,
            "it.admin": Role.ADMIN,
        }
    )


@pytest.fixture
def api() -> Iterator[TestClient]:
    with TestClient(create_app()) as client:
        yield client


def _bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def _cli(*args: str) -> Any:
    out.width = err.width = 200
    return CliRunner().invoke(cli, list(args))


def test_an_admin_cannot_make_accounts_for_themselves_and_act_through_them(
    alert_store: dict[str, str], api: TestClient
) -> None:
    """Finding 4: accounts an admin makes do nothing until a second person approves them, and the
    admin cannot be that second person."""
    decide_alert(1, Verdict.CONFIRMED_HIT, actor="anna")
    sock_keys = {
        name: create_user(name, role, actor="it.admin", person=f"P-sock-{name}")
        for name, role in (("sock.analyst", Role.ANALYST), ("sock.supervisor", Role.SUPERVISOR))
    }
    for name, key in sock_keys.items():
        assert api.get("/me", headers=_bearer(key)).status_code == 401
        code = _cli("--actor", name, "alerts", "list").exit_code
        assert code == 8  # not an active account
        with pytest.raises(WorkflowRefused, match="four-eyes"):
            approve_user(name, actor="it.admin")
    approved = api.post("/alerts/1/approve", headers=_bearer(sock_keys["sock.supervisor"]))
    assert approved.status_code == 401
    assert get_alert(1)[0].status == "pending_approval"
    statuses = {u["name"]: u["status"] for u in list_users()}
    assert statuses["sock.analyst"] == statuses["sock.supervisor"] == "awaiting approval"


def test_an_admin_cannot_take_over_an_existing_account_with_a_key_or_a_role(
    alert_store: dict[str, str], api: TestClient
) -> None:
    """A key an admin makes for someone else, and a role an admin gives, wait for a second
    person; the admin approves neither, nor anything on their own account."""
    key = issue_key("bolat", actor="it.admin")
    assert api.get("/me", headers=_bearer(key)).status_code == 401
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        approve_user("bolat", actor="it.admin")
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        approve_user("bolat", actor="bolat")  # nobody approves what concerns their own account
    approve_user("bolat", actor=SECOND_FOUNDER)
    assert api.get("/me", headers=_bearer(key)).json()["name"] == "bolat"

    change_role("it.admin", Role.SUPERVISOR, actor="it.admin")
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        approve_user("it.admin", actor="it.admin")
    with pytest.raises(Forbidden):
        users_service.approve_user("anna", "it.admin")  # an analyst approves no account
    assert api.get("/me", headers=_bearer(alert_store["it.admin"])).json()["role"] == "admin"
    approve_user("it.admin", actor="bolat")
    assert api.get("/me", headers=_bearer(alert_store["it.admin"])).json()["role"] == "supervisor"


@pytest.mark.parametrize(
    "look_alike",
    ["sup1", "SUP1", "ѕup1", "supl", "sup１", "Sup1"],  # Cyrillic ѕ; fullwidth digit one
)
def test_a_name_that_looks_like_another_users_is_refused(look_alike: str) -> None:
    make_users({"sup1": Role.SUPERVISOR})
    with pytest.raises(InputError, match=r"looks like the existing user .sup1.|already exists"):
        create_user(look_alike, Role.ANALYST, actor=FOUNDER, person="P-look-alike")


def test_one_person_holds_one_enabled_account() -> None:
    make_users({"anna": Role.ANALYST})
    for person in ("P-anna", "p-anna", " P - anna "):
        with pytest.raises(InputError, match="one person, one account"):
            create_user("anna.sup", Role.SUPERVISOR, actor=FOUNDER, person=person)


def test_four_eyes_compares_persons_not_account_names(alert_store: dict[str, str]) -> None:
    """A person whose first account was disabled gets a new one: it is still the same person,
    and cannot approve what the first account proposed."""
    decide_alert(1, Verdict.CONFIRMED_HIT, actor="anna")
    disable_user("anna", actor="it.admin")
    create_user("anna.s", Role.SUPERVISOR, actor="it.admin", person="P-anna")
    approve_user("anna.s", actor=SECOND_FOUNDER)
    with pytest.raises(WorkflowRefused, match="held by the same person"):
        approve(1, actor="anna.s")
    assert approve(1, actor="bolat") == 1


def test_a_proposal_awaiting_approval_is_locked_but_its_author_can_withdraw(
    alert_store: dict[str, str], api: TestClient
) -> None:
    """Finding 5: nobody re-decides a pending confirmed hit; only its author withdraws it."""
    decide_alert(1, Verdict.CONFIRMED_HIT, actor="anna")
    for actor in ("anna", "asel", "bolat"):
        for verdict in Verdict:
            with pytest.raises(WorkflowRefused, match="awaits a second person's approval"):
                decide_alert(1, verdict, actor=actor, reason="changed my mind")
    redecided = api.post(
        "/alerts/1/decision",
        json={"decision": "false_positive", "reason": "namesake"},
        headers=_bearer(alert_store["asel"]),
    )
    assert redecided.status_code == 409
    stolen = api.post(
        "/alerts/1/withdraw", json={"reason": "mine now"}, headers=_bearer(alert_store["asel"])
    )
    assert stolen.status_code == 409 and "only 'anna'" in stolen.json()["detail"]
    assert get_alert(1)[0].status == "pending_approval"
    assert withdraw_proposal(1, actor="anna", reason="checked the birth date again") == "open"
    decide_alert(1, Verdict.FALSE_POSITIVE, actor="anna", reason="born in another year")
    assert get_alert(1)[0].status == "false_positive"


def test_the_cli_acts_only_as_an_account_whose_role_allows_it(alert_store: dict[str, str]) -> None:
    """The CLI's --actor is an identity once the store has accounts: unknown names are refused,
    and each role only what the API and the web allow it."""
    assert (
        _cli("--actor", "anna", "alerts", "decide", "1", "--decision", "confirmed_hit").exit_code
        == 0
    )
    refusals = {
        ("--actor", "somebody", "alerts", "approve", "1"): 8,
        ("--actor", "asel", "alerts", "approve", "1"): 9,
        ("--actor", "it.admin", "alerts", "approve", "1"): 9,
        ("--actor", "anna", "users", "create", "x1", "--role", "admin", "--person", "X1"): 9,
        ("--actor", "anna", "users", "approve", "bolat"): 9,
    }
    for args, code in refusals.items():
        assert _cli(*args).exit_code == code, args
    assert "freeze order 1 is in force" in _cli("--actor", "bolat", "alerts", "approve", "1").stdout


def test_a_store_without_accounts_acts_as_one_person_and_approves_nothing() -> None:
    """A personal installation (no accounts) works for one person; anything that needs a second
    person needs accounts."""
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    assert import_customers(CUSTOMERS, actor="loader").alerts == 1
    assert (
        _cli("--actor", "me", "alerts", "decide", "1", "--decision", "confirmed_hit").exit_code == 0
    )
    approved = _cli("--actor", "someone.else", "alerts", "approve", "1")
    assert approved.exit_code == 9 and "accounts for both people" in approved.stderr


def test_the_founding_pair_is_an_admin_and_a_second_approver_of_another_person() -> None:
    with pytest.raises(WorkflowRefused, match="first account must be an administrator"):
        create_user("ann", Role.ANALYST, actor="installer", person="P1")
    create_user("root.admin", Role.ADMIN, actor="installer", person="P1")
    with pytest.raises(WorkflowRefused, match="administrator or a supervisor"):
        create_user("ann", Role.ANALYST, actor="root.admin", person="P2")
    with pytest.raises(InputError, match="one person, one account"):
        create_user("root.sup", Role.SUPERVISOR, actor="root.admin", person="P1")
    create_user("root.sup", Role.SUPERVISOR, actor="root.admin", person="P2")
    create_user("ann", Role.ANALYST, actor="root.admin", person="P3")
    statuses = {u["name"]: u["status"] for u in list_users()}
    assert statuses == {"root.admin": "active", "root.sup": "active", "ann": "awaiting approval"}


def test_a_password_an_admin_sets_for_someone_else_waits_for_a_second_person(
    alert_store: dict[str, str],
) -> None:
    from finmon.errors import Unauthenticated
    from finmon.store.sessions import set_password, sign_in

    password = "a long password for bolat"
    set_password("bolat", password, actor="it.admin")
    with pytest.raises(Unauthenticated):
        sign_in("bolat", password)
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        approve_user("bolat", actor="it.admin")
    approve_user("bolat", actor=SECOND_FOUNDER)
    assert sign_in("bolat", password)[1].name == "bolat"
