"""Accounts and sign-in: users made, approved by a second person, given roles, keys and
passwords, disabled; web sessions opened and closed. Each change is authorised first (the store
still checks that the approver is another person)."""

from __future__ import annotations

from typing import Any, NamedTuple

from finmon.services.access import authorize
from finmon.store import Database, sessions
from finmon.store import users as store
from finmon.store.sessions import LIFETIME, WebUser
from finmon.store.users import Principal, authenticate_key
from finmon.workflow.access import Action, Role
from finmon.workflow.accounts import normal_name

__all__ = [
    "LIFETIME",
    "NewAccount",
    "Principal",
    "WebUser",
    "authenticate_key",
    "session_user",
    "set_language",
    "sign_in",
    "sign_out",
]

sign_in = sessions.sign_in
"""Check a name and password and open a web session (signing in needs no actor)."""
session_user = sessions.session_user
sign_out = sessions.sign_out
set_language = sessions.set_language
"""Keep the web pages' language a signed-in user chose (their own preference)."""


def list_users(actor: str, db: Database | None = None) -> list[dict[str, Any]]:
    """Every user, their role, status and live keys."""
    authorize(actor, Action.MANAGE_USERS, db)
    return store.list_users(db)


class NewAccount(NamedTuple):
    """A new account's first API key (shown this once) and its status: active for the founding
    pair, awaiting a second person's approval after them."""

    key: str
    status: str


def create_user(
    actor: str, name: str, role: Role, *, person: str, db: Database | None = None
) -> NewAccount:
    """Add an account for one person with one role; returns its first key and its status."""
    who = authorize(actor, Action.MANAGE_USERS, db)
    key = store.create_user(name, role, actor=who.name, person=person, db=db)
    # read without authorising again: the founding account may have just ended the store's
    # no-account mode, in which the actor was allowed as a bare name
    status = next(u["status"] for u in store.list_users(db) if u["name"] == normal_name(name))
    return NewAccount(key, status)


def approve_user(actor: str, name: str, db: Database | None = None) -> dict[str, Any]:
    """Approve, as the second person, what awaits approval on an account; returns what was."""
    who = authorize(actor, Action.APPROVE_USERS, db)
    return store.approve_user(name, actor=who.name, db=db)


def change_role(actor: str, name: str, role: Role, db: Database | None = None) -> None:
    """Ask for an account's role to change (a second person approves)."""
    who = authorize(actor, Action.MANAGE_USERS, db)
    store.change_role(name, role, actor=who.name, db=db)


def set_password(actor: str, name: str, password: str, db: Database | None = None) -> None:
    """Give a user a password for the web interface; their open web sessions end."""
    who = authorize(actor, Action.MANAGE_USERS, db)
    sessions.set_password(name, password, actor=who.name, db=db)


def issue_key(actor: str, name: str, db: Database | None = None) -> str:
    """Issue another API key for a user; returns it (shown once)."""
    who = authorize(actor, Action.MANAGE_USERS, db)
    return store.issue_key(name, actor=who.name, db=db)


def revoke_keys(actor: str, name: str, db: Database | None = None) -> int:
    """Revoke every live API key of a user; returns how many."""
    who = authorize(actor, Action.MANAGE_USERS, db)
    return store.revoke_keys(name, actor=who.name, db=db)


def disable_user(actor: str, name: str, db: Database | None = None) -> None:
    """Disable a user: none of their keys is accepted any more."""
    who = authorize(actor, Action.MANAGE_USERS, db)
    store.disable_user(name, actor=who.name, db=db)
