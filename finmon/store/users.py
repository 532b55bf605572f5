"""Users, their roles and their API keys.

A key is `fmk_<key id>_<secret>`: the key id finds the row, the secret is 256 random bits, and
only the sha256 of the whole key is stored, so a copy of the database holds no usable key. A key
is shown once, when it is made. Making users and keys, revoking and disabling all append audit
rows; the key itself never reaches the audit log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from finmon.errors import Forbidden, InputError, NotFound, Unauthenticated, WorkflowRefused
from finmon.store.audit import append_audit, audit_object
from finmon.store.engine import Database, default_database
from finmon.store.models import ApiKey, FiuDissemination, FiuExchangeResponse, User, utc_now
from finmon.workflow import check_second_person
from finmon.workflow.access import Role
from finmon.workflow.accounts import (
    FOUNDERS,
    check_approver,
    check_founding,
    name_key,
    normal_name,
    normal_person,
)

KEY_PREFIX = "fmk_"
_KEY = re.compile(r"fmk_([0-9a-f]{16})_([A-Za-z0-9_-]{43})")


_KEY_QUERY = (
    select(
        ApiKey.key_hash,
        ApiKey.revoked_at,
        ApiKey.approved_at,
        User.name,
        User.role,
        User.disabled_at,
        User.approved_at,
    )
    .join(User, ApiKey.user_id == User.id)
    .where(ApiKey.key_id == bindparam("key_id"))
)
"""Built once: every API request runs it."""


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling: the audit log's actor and the role that decides what they may do."""

    name: str
    role: Role


def create_user(
    name: str, role: Role, *, actor: str, person: str, db: Database | None = None
) -> str:
    """Add an account for one person with one role; returns its first API key (shown once,
    never stored). The founding pair is active at once; later accounts await a second person."""
    name, person = normal_name(name), normal_person(person)
    db = db or default_database()
    with db.write() as session:
        _check_free(session, name, person)
        accounts = session.scalar(select(func.count()).select_from(User)) or 0
        founding = accounts < FOUNDERS
        now = utc_now()
        if founding:
            founder = session.scalars(select(User.person).order_by(User.id).limit(1)).first()
            check_founding(accounts, role, founder, person)
        user = User(
            name=name,
            role=role.value,
            person=person,
            name_key=name_key(name),
            created_at=now,
            created_by=actor,
            approved_by="founding" if founding else None,
            approved_at=now if founding else None,
            pending_by=None if founding else actor,
        )
        session.add(user)
        session.flush()
        audit_object(
            session,
            "user.create",
            name,
            actor=actor,
            after={
                "name": name,
                "role": role.value,
                "person": person,
                "status": "active (founding)" if founding else "awaiting approval",
            },
        )
        return _issue(session, user, actor, approved=now)


def approve_user(name: str, *, actor: str, db: Database | None = None) -> dict[str, Any]:
    """A second person approves what awaits approval on an account: its creation, a role
    change, keys and a password set by someone else; returns what was approved."""
    db = db or default_database()
    with db.write() as session:
        user = find_user(session, name)
        approver = _active_user(session, actor)
        pending_keys = session.scalars(
            select(ApiKey).where(
                ApiKey.user_id == user.id, ApiKey.approved_at.is_(None), ApiKey.revoked_at.is_(None)
            )
        ).all()
        approved = _pending_parts(user, pending_keys)
        if not approved or user.pending_by is None:
            raise WorkflowRefused(f"nothing awaits approval on account {name!r}")
        check_approver(person_of(session, user.pending_by), approver.person, user.person, name)
        now = utc_now()
        before = {"role": user.role, **approved}
        if user.approved_at is None:
            user.approved_at, user.approved_by = now, actor
        if user.pending_role is not None:
            user.role, user.pending_role = user.pending_role, None
        for key in pending_keys:
            key.approved_at = now
        user.password_pending = False
        audit_object(
            session,
            "user.approve",
            name,
            actor=actor,
            before=before,
            after={"role": user.role, "asked_by": user.pending_by},
        )
        user.pending_by = None
        return approved


def change_role(name: str, role: Role, *, actor: str, db: Database | None = None) -> None:
    """Ask for an account's role to change; it changes when a second person approves."""
    db = db or default_database()
    with db.write() as session:
        user = find_user(session, name)
        if user.disabled_at is not None:
            raise WorkflowRefused(f"user {name!r} is disabled")
        if user.pending_by is not None:
            raise WorkflowRefused(
                f"account {name!r} already awaits approval (asked by {user.pending_by!r})"
            )
        if role.value == user.role:
            raise InputError(f"user {name!r} already holds the role {role}")
        user.pending_role, user.pending_by = role.value, actor
        audit_object(
            session,
            "user.change_role",
            name,
            actor=actor,
            before={"role": user.role},
            after={"role": role.value, "status": "awaiting approval"},
        )


def issue_key(name: str, *, actor: str, db: Database | None = None) -> str:
    """Another API key for an existing user (earlier keys stay valid until revoked). A key made
    by someone other than its holder is valid only once a second person approves it."""
    db = db or default_database()
    with db.write() as session:
        user = find_user(session, name)
        if user.disabled_at is not None:
            raise InputError(f"user {name!r} is disabled; no key can be issued")
        own = own_or_pending(session, user, actor)
        return _issue(session, user, actor, approved=utc_now() if own else None)


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
        if not _pending_parts(user, []):
            user.pending_by = None  # the revoked keys were all that awaited approval
        append_audit(
            session,
            actor=actor,
            action="api_key.revoke",
            object=f"user:{name}",
            after={"revoked": [key.key_id for key in live]},
        )
        return len(live)


def disable_user(name: str, *, actor: str, db: Database | None = None) -> None:
    """Disable a user at once (no approval: a leaver's access ends now): none of their keys is
    accepted any more."""
    db = db or default_database()
    with db.write() as session:
        user = find_user(session, name)
        if user.disabled_at is None:
            user.disabled_at = utc_now()
            audit_object(
                session,
                "user.disable",
                name,
                actor=actor,
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
            select(ApiKey.user_id).where(
                ApiKey.revoked_at.is_(None), ApiKey.approved_at.is_not(None)
            )
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
                "person": user.person,
                "status": account_status(user),
                "pending_role": user.pending_role,
                "pending_by": user.pending_by,
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
    key_hash, revoked_at, key_approved, name, role, disabled_at, user_approved = row
    if not hmac.compare_digest(key_hash, _digest(key.strip())):
        raise refused
    if revoked_at is not None or disabled_at is not None:
        raise refused
    if key_approved is None or user_approved is None:
        raise refused
    return Principal(name, Role(role))


def _issue(session: Session, user: User, actor: str, *, approved: dt.datetime | None) -> str:
    key_id = secrets.token_hex(8)
    key = f"{KEY_PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
    session.add(
        ApiKey(
            key_id=key_id,
            user_id=user.id,
            key_hash=_digest(key),
            created_at=utc_now(),
            approved_at=approved,
        )
    )
    append_audit(
        session,
        actor=actor,
        action="api_key.issue",
        object=f"user:{user.name}",
        after={"key_id": key_id, "status": "valid" if approved else "awaiting approval"},
    )
    return key


def account_status(user: User) -> str:
    """disabled, awaiting approval (a new account) or active."""
    if user.disabled_at is not None:
        return "disabled"
    return "awaiting approval" if user.approved_at is None else "active"


def has_accounts(db: Database | None = None) -> bool:
    """Whether any account exists (none: a personal installation, nobody to tell apart)."""
    db = db or default_database()
    with db.read_rows() as conn:
        return conn.execute(select(User.id).limit(1)).first() is not None


def active_principal(name: str, db: Database | None = None) -> Principal:
    """The active account of that name as a Principal; Unauthenticated for anything else
    (unknown, disabled, awaiting approval)."""
    db = db or default_database()
    with db.read() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        if user is None or account_status(user) != "active":
            raise Unauthenticated(
                f"{name!r} is not an active finmon account: act as your own account "
                "(--actor NAME or FINMON_ACTOR)"
            )
        return Principal(user.name, Role(user.role))


def person_of(session: Session, name: str) -> str:
    """The person behind an account name; for a name that is no account, the name itself."""
    person = session.scalars(select(User.person).where(User.name == name)).first()
    return person if person is not None else f"name:{name.strip().casefold()}"


def check_two_persons(session: Session, first: str, second: str, what: str) -> None:
    """Four-eyes by person: refuse when the second account is held by the first's person."""
    check_second_person(first, second, what)
    if person_of(session, first) == person_of(session, second):
        raise WorkflowRefused(
            f"four-eyes: {what} was proposed by {first!r}, and {second!r} is held by the same "
            "person; someone else must approve it"
        )


def approve_draft(
    session: Session,
    draft: FiuDissemination | FiuExchangeResponse,
    action: str,
    key: int,
    *,
    actor: str,
    what: str,
    after: dict[str, Any],
) -> dt.datetime:
    """A second person approves a draft (four-eyes by person): it is marked approved, and the
    approval audited as `action` on `key` with what it fixed (`after`); returns when."""
    check_two_persons(session, draft.drafted_by, actor, what)
    now = utc_now()
    draft.status, draft.approved_by, draft.approved_at = "approved", actor, now
    before = {"status": "drafted", "drafted_by": draft.drafted_by}
    audit_object(
        session, action, key, actor=actor, before=before, after={"status": "approved", **after}
    )
    return now


def _check_free(session: Session, name: str, person: str) -> None:
    key = name_key(name)
    for other_name, other_key, other_person, disabled in session.execute(
        select(User.name, User.name_key, User.person, User.disabled_at)
    ):
        if other_name.casefold() == name.casefold() or other_key == key:
            raise InputError(
                f"user {name!r} already exists or looks like the existing user {other_name!r}"
            )
        if other_person == person and disabled is None:
            raise InputError(
                f"person {person!r} already holds the account {other_name!r}: one person, one "
                "account (change its role instead: finmon users set-role)"
            )


def _active_user(session: Session, name: str) -> User:
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None or account_status(user) != "active":
        raise Forbidden(f"{name!r} is not an active finmon account")
    return user


def _pending_parts(user: User, keys: Sequence[ApiKey]) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    if user.approved_at is None:
        parts["account"] = "created"
    if user.pending_role is not None:
        parts["role"] = user.pending_role
    if keys:
        parts["keys"] = [key.key_id for key in keys]
    if user.password_pending:
        parts["password"] = "set"
    return parts


def own_or_pending(session: Session, user: User, actor: str) -> bool:
    """True when the actor is the account's own person; otherwise the account now awaits a
    second person's approval of what the actor asked (WorkflowRefused while another's waits)."""
    if person_of(session, actor) == user.person:
        return True
    if user.pending_by is not None and user.pending_by != actor:
        raise WorkflowRefused(
            f"account {user.name!r} already awaits approval of what {user.pending_by!r} asked"
        )
    user.pending_by = actor
    return False


def find_user(session: Session, name: str) -> User:
    """The user of that name; NotFound if there is none."""
    user = session.scalars(select(User).where(User.name == name)).first()
    if user is None:
        raise NotFound(f"no user {name!r}")
    return user


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
