"""Accounts for tests, made as an installation makes them: the founding pair first, then each
account asked for by one administrator and approved by the other."""

from __future__ import annotations

from collections.abc import Mapping

from finmon.store import Database
from finmon.store.users import approve_user, create_user, has_accounts
from finmon.workflow.access import Role

FOUNDER, SECOND_FOUNDER = "founder", "founder.two"
"""The founding pair (administrators): one asks for every test account, the other approves it."""


def make_users(roles: Mapping[str, Role], db: Database | None = None) -> dict[str, str]:
    """Active accounts with these names and roles (person 'P-<name>'); returns their API keys."""
    if not has_accounts(db):
        create_user(FOUNDER, Role.ADMIN, actor="installer", person="P-founder", db=db)
        create_user(SECOND_FOUNDER, Role.ADMIN, actor=FOUNDER, person="P-founder-two", db=db)
    keys = {}
    for name, role in roles.items():
        keys[name] = create_user(name, role, actor=FOUNDER, person=f"P-{name}", db=db)
        approve_user(name, actor=SECOND_FOUNDER, db=db)
    return keys


def make_user(name: str, role: Role, db: Database | None = None) -> str:
    """One active account; returns its API key."""
    return make_users({name: role}, db)[name]
