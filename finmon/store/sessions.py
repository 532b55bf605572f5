"""Web sign-in: passwords kept as scrypt hashes, back-off after failed attempts, and sessions.

A password is stored as `scrypt$n$r$p$salt$hash` (hashlib's scrypt, 16 random bytes of salt), so
the cost can rise later without making stored hashes unreadable. After `FREE_ATTEMPTS` failures in
a row, each further failure locks the user's sign-in for twice as long as the one before (up to
`MAX_LOCK`); a locked user's password is not even checked. An unknown user name costs the same
scrypt work as a known one, and both get the same answer.

A session is a random cookie value whose sha256 is kept with the user, a CSRF token for the forms
and two clocks: it ends `IDLE` after the last request or `LIFETIME` after sign-in, at sign-out, or
when its user is disabled.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from finmon.errors import InputError, Unauthenticated
from finmon.store.audit import append_audit
from finmon.store.engine import Database, default_database
from finmon.store.models import User, WebSession, utc_now
from finmon.store.users import Principal, find_user
from finmon.workflow.access import Role

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
"""32 MiB and about 0.1 s per hash here: slow for a guesser, quick enough for a sign-in."""
MIN_PASSWORD = 12
"""Characters in the shortest password accepted."""
FREE_ATTEMPTS = 3
"""Failed sign-ins in a row before the back-off starts."""
FIRST_LOCK = dt.timedelta(seconds=2)
MAX_LOCK = dt.timedelta(minutes=15)
IDLE = dt.timedelta(minutes=30)
LIFETIME = dt.timedelta(hours=12)
TOUCH = dt.timedelta(minutes=1)

_REFUSED = "the user name or the password is wrong"
_DUMMY_HASH: str | None = None


@dataclass(frozen=True, slots=True)
class WebUser:
    """A signed-in browser's user, and the token its forms must carry."""

    principal: Principal
    csrf_token: str

    @property
    def name(self) -> str:
        return self.principal.name

    @property
    def role(self) -> Role:
        return self.principal.role


class Locked(Unauthenticated):
    """Sign-in refused without checking the password: too many recent failures."""


def hash_password(password: str) -> str:
    """A new salted scrypt hash of a password, parameters included."""
    salt = secrets.token_bytes(16)
    digest = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(
        ["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(digest)]
    )


def password_matches(password: str, stored: str) -> bool:
    """Whether a password is the one a stored hash was made from; False for a stored value that
    is not a hash finmon made (damaged, or parameters out of range), never an exception."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = _unb64(digest)
        computed = _scrypt(password, _unb64(salt), int(n), int(r), int(p))
    except (ValueError, TypeError, OverflowError, MemoryError):
        return False
    return hmac.compare_digest(computed, expected)


def set_password(name: str, password: str, *, actor: str, db: Database | None = None) -> None:
    """Give a user a (new) web password; their open sessions end and any back-off is lifted."""
    if len(password) < MIN_PASSWORD:
        raise InputError(f"a password needs at least {MIN_PASSWORD} characters")
    if "\x00" in password:
        raise InputError("a password cannot hold a NUL character")
    try:
        password.encode("utf-8")
    except UnicodeEncodeError:
        raise InputError("a password must be text (it holds an unpaired surrogate)") from None
    hashed = hash_password(password)
    db = db or default_database()
    with db.write() as session:
        user = find_user(session, name)
        had = user.password_hash is not None
        user.password_hash, user.failed_sign_ins, user.locked_until = hashed, 0, None
        _end_sessions(session, user.id, utc_now())
        append_audit(
            session,
            actor=actor,
            action="user.set_password",
            object=f"user:{name}",
            before={"password": had},
            after={"password": True},
        )


def sign_in(
    name: str, password: str, db: Database | None = None, *, now: dt.datetime | None = None
) -> tuple[str, WebUser]:
    """Check a user name and password; returns the new session's cookie value and its user.

    Unauthenticated (the same message for an unknown user and a wrong password), or Locked while
    the back-off after failed attempts lasts."""
    db = db or default_database()
    now = now or utc_now()
    with db.read() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        stored = user.password_hash if user is not None else None
        locked_until = user.locked_until if user is not None else None
    if locked_until is not None and locked_until > now:
        wait = max(1, int((locked_until - now).total_seconds() + 0.999))
        raise Locked(f"too many failed sign-ins: try again in {wait} s")
    matched = password_matches(password, stored or _dummy_hash())
    with db.write() as session:
        user = session.scalars(select(User).where(User.name == name)).first()
        refused = user is None or stored is None or user.disabled_at is not None or not matched
        if user is not None and refused:
            _failed(session, user, now)
    if refused or user is None:
        raise Unauthenticated(_REFUSED)
    with db.write() as session:
        user = find_user(session, name)
        user.failed_sign_ins, user.locked_until = 0, None
        token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        session.add(
            WebSession(
                token_hash=_digest(token),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now,
                last_seen_at=now,
            )
        )
        append_audit(session, actor=name, action="user.sign_in", object=f"user:{name}")
        return token, WebUser(Principal(name, Role(user.role)), csrf)


def session_user(
    token: str, db: Database | None = None, *, now: dt.datetime | None = None
) -> WebUser:
    """The user of a live session; Unauthenticated otherwise.

    The idle clock is restarted by a write at most once per `TOUCH` of use, so that reading
    pages does not queue for the store's write lock behind a long import."""
    db = db or default_database()
    now = now or utc_now()
    with db.read() as session:
        row = session.execute(
            select(
                WebSession.id,
                WebSession.csrf_token,
                WebSession.created_at,
                WebSession.last_seen_at,
                WebSession.ended_at,
                User.name,
                User.role,
                User.disabled_at,
            )
            .join(User, WebSession.user_id == User.id)
            .where(WebSession.token_hash == _digest(token))
        ).first()
    if row is None:
        raise Unauthenticated("not signed in")
    session_id, csrf, created_at, last_seen_at, ended_at, name, role, disabled_at = row
    if (
        ended_at is not None
        or disabled_at is not None
        or now - last_seen_at > IDLE
        or now - created_at > LIFETIME
    ):
        raise Unauthenticated("the session has ended: sign in again")
    if now - last_seen_at > TOUCH:
        with db.write() as session:
            web = session.get(WebSession, session_id)
            if web is not None:
                web.last_seen_at = now
    return WebUser(Principal(name, Role(role)), csrf)


def sign_out(token: str, db: Database | None = None) -> None:
    """End a session (nothing happens for one that is not live)."""
    db = db or default_database()
    with db.write() as session:
        web = session.scalars(
            select(WebSession).where(WebSession.token_hash == _digest(token))
        ).first()
        if web is not None and web.ended_at is None:
            web.ended_at = utc_now()


def _failed(session: Session, user: User, now: dt.datetime) -> None:
    user.failed_sign_ins += 1
    beyond = user.failed_sign_ins - FREE_ATTEMPTS
    if beyond > 0:
        lock = min(MAX_LOCK, FIRST_LOCK * 2 ** min(beyond - 1, 20))
        user.locked_until = now + lock
        append_audit(
            session,
            actor=user.name,
            action="user.sign_in_locked",
            object=f"user:{user.name}",
            after={"failed_sign_ins": user.failed_sign_ins, "seconds": lock.total_seconds()},
        )


def _end_sessions(session: Session, user_id: int, now: dt.datetime) -> None:
    for web in session.scalars(
        select(WebSession).where(WebSession.user_id == user_id, WebSession.ended_at.is_(None))
    ):
        web.ended_at = now


def _dummy_hash() -> str:
    """A hash to check against when there is none, so that timing tells nothing."""
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_urlsafe(16))
    return _DUMMY_HASH


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        password.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * n * r * p, dklen=32
    )


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
