"""Users, their roles and their API keys.

A key is `fmk_<key id>_<secret>`: the key id finds the row, the secret is 256 random bits, and
only the sha256 of the whole key is stored, so a copy of the database holds no usable key. A key
is shown once, when it is made. Making users and keys, revoking and disabling all append audit
rows; the key itself never reaches the audit log.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from finmon.errors import InputError, NotFound, Unauthenticated
from finmon.store.audit import append_audit
from finmon.store.engine import Database, default_database
from finmon.store.models import ApiKey, User, utc_now
from finmon.workflow.access import Role

KEY_PREFIX = "fmk_"
_KEY = re.compile(r"fmk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})")
_NAME = re.compile(r"[\w.@-]{1,200}")


_KEY_QUERY = (
    select(ApiKey.key_hash, ApiKey.revoked_at, User.name, User.role, User.disabled_at)
    .join(User, ApiKey.user_id == User.id)
    .where(ApiKey.key_id == bindparam("key_id"))
)
"""Built once: every API request runs it."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the audit log's actor and the role that decides what they may do."""

    name: str
    role: Role


def create_user(name: str, role: Role, *, actor: str, db: Database | None = None) -> str:
    """Add a user with one role; returns their first API key (shown once, never stored)."""
    if not _NAME.fullmatch(name):
        raise InputError(
            f"user name {name!r}: use 1-200 letters, digits, '.', '_', '-' or '@' (no spaces)"
        )
    db = db or default_database()
    with db.write() as session:
        if session.scalars(select(User).where(User.name == name)).first() is not None:
            raise InputError(f"user {name!r} already exists")
        user = User(name=name, role=role.value, created_at=utc_now(), created_by=actor)
        session.add(user)
        session.flush()
        append_audit(
            session,
            actor=actor,
            action="user.create",
            object=f"user:{name}",
            after={"name": name, "role": role.value},
        )
        return _issue(session, user, actor)


def issue_key(name: str, *, actor: str, db: Database | None = None) -> str:
    """Another API key for an existing user (earlier keys stay valid until revoked)."""
    db = db or default_database()
    with db.write() as session:
        user = find_user(session, name)
        if user.disabled_at is not None:
            raise InputError(f"user {name!r} is disabled; no key can be issued")
        return _issue(session, user, actor)


def revoke_keys(name: str, *, actor: str, db: Database | None = None) -> int:
    """Revoke every live key of a user at once; returns how many were live."""
    db = db or default_database()
    with db.write() as session:
        user = find_user(session, name)
        live = session.scalars(
            select(ApiKey).where(ApiKey.user_id == user.id, ApiKey.revoked_at.is_(None))
        ).all()
        now = utc_now()
        for key in live:
            key.revoked_at, key.revoked_by = now, actor
        append_audit(
            session,
            actor=actor,
            action="api_key.revoke",
            object=f"user:{name}",
            after={"revoked": [key.key_id for key in live]},
        )
        return len(live)


def disable_user(name: str, *, actor: str, db: Database | None = None) -> None:
    """Disable a user: none of their keys is accepted any more."""
    db = db or default_database()
    with db.write() as session:
        user = find_user(session, name)
        if user.disabled_at is None:
            user.disabled_at = utc_now()
            append_audit(
                session,
                actor=actor,
                action="user.disable",
                object=f"user:{name}",
                before={"disabled": False},
                after={"disabled": True},
            )


def list_users(db: Database | None = None) -> list[dict[str, Any]]:
    """Every user with their role and how many live keys they hold."""
    db = db or default_database()
    with db.read() as session:
        users = session.scalars(select(User).order_by(User.name)).all()
        live: dict[int, int] = {}
        for (user_id,) in session.execute(
            select(ApiKey.user_id).where(ApiKey.revoked_at.is_(None))
        ):
            live[user_id] = live.get(user_id, 0) + 1
        return [
            {
                "name": user.name,
                "role": user.role,
                "created_at": user.created_at.isoformat(),
                "created_by": user.created_by,
                "disabled": user.disabled_at is not None,
                "live_keys": live.get(user.id, 0),
            }
            for user in users
        ]


def authenticate_key(key: str, db: Database | None = None) -> Principal:
    """The user an API key belongs to; Unauthenticated for anything but a live key of an
    enabled user (the message does not say which part was wrong)."""
    found = _KEY.fullmatch(key.strip())
    refused = Unauthenticated("the API key is not valid")
    if found is None:
        raise refused
    db = db or default_database()
    with db.read_rows() as conn:
        row = conn.execute(_KEY_QUERY, {"key_id": found.group(1)}).first()
    if row is None:
        raise refused
    key_hash, revoked_at, name, role, disabled_at = row
    if not hmac.compare_digest(key_hash, _digest(key.strip())):
        raise refused
    if revoked_at is not None or disabled_at is not None:
        raise refused
    return Principal(name, Role(role))


def _issue(session: Session, user: User, actor: str) -> str:
    key_id = secrets.token_hex(8)
    key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    session.add(ApiKey(key_id=key_id, user_id=user.id, key_hash=_digest(key), created_at=utc_now()))
    append_audit(
        session,
        actor=actor,
        action="api_key.issue",
        object=f"user:{user.name}",
        after={"key_id": key_id},
    )
    return key


def find_user(session: Session, name: str) -> User:
    """The user of that name; NotFound if there is none."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFound(f"no user {name!r}")
    return user


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
