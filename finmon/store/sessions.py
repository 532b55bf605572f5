"""Web sign-in: passwords kept as scrypt hashes, back-off after failed attempts, and sessions.

A password is stored as `scrypt$n$r$p$salt$hash` (hashlib's scrypt, 16 random bytes of salt), so
the cost can rise later without making stored hashes unreadable. After `FREE_ATTEMPTS` failures in
a row, each further failure locks the name's sign-in for twice as long as the one before (up to
`MAX_LOCK`); a locked name's password is not even checked. Attempts are counted per name tried
(normalised), whether a user has that name or not, and each is counted in one write transaction
before its password is checked, so that guesses sent in parallel cannot outrun the count. Every
refusal - unknown name, wrong password, disabled user, locked name - gets the same answer after
the same scrypt work, so neither the answer nor its timing tells whether a name exists.

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
import unicodedata
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from finmon.errors import InputError, Unauthenticated
from finmon.store.audit import append_audit, audit_object
from finmon.store.engine import Database, default_database
from finmon.store.models import SignInAttempt, User, WebSession, utc_now
from finmon.store.users import Principal, account_status, find_user, own_or_pending
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
FORGET_AFTER = dt.timedelta(days=1)
"""A name's failed attempts are forgotten after this long without an attempt and without a lock."""

_REFUSED = (
    "the user name or the password is wrong, or too many sign-ins failed: "
    "check them and try again in a few minutes"
)
_DUMMY_HASH: str | None = None


@dataclass(frozen=True, slots=True)
class WebUser:
    """A signed-in browser's user, and the token its forms must carry."""

    principal: Principal
    csrf_token: str
    language: str | None = None
    """The pages' language the user chose (kk, ru, en), None until they choose."""

    @property
    def name(self) -> str:
        return self.principal.name

    @property
    def role(self) -> Role:
        return self.principal.role


class Locked(Unauthenticated):
    """Sign-in refused without checking the password: too many recent failures (the message is
    that of any other refusal)."""


@dataclass(frozen=True, slots=True)
class _Attempt:
    """What one sign-in attempt saw when it was counted."""

    locked: bool
    failures: int
    stored: str | None
    """The hash to check against; None for an unknown, disabled or password-less user."""


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
        user.password_hash = hashed
        # A password someone else sets is not usable until a second person approves it.
        own = own_or_pending(session, user, actor)
        user.password_pending = not own
        session.execute(delete(SignInAttempt).where(SignInAttempt.name == _attempt_key(name)))
        _end_sessions(session, user.id, utc_now())
        audit_object(
            session,
            "user.set_password",
            name,
            actor=actor,
            before={"password": had},
            after={"password": True, "status": "valid" if own else "awaiting approval"},
        )


def sign_in(
    name: str, password: str, db: Database | None = None, *, now: dt.datetime | None = None
) -> tuple[str, WebUser]:
    """Check a user name and password; returns the new session's cookie value and its user.

    Unauthenticated with one message for every refusal; Locked (with that same message) while the
    back-off after failed attempts lasts."""
    db = db or default_database()
    now = now or utc_now()
    key = _attempt_key(name)
    attempt = _count_attempt(db, key, name, now)
    # the same scrypt work whatever the attempt saw, so that timing tells nothing
    matched = password_matches(password, attempt.stored or _dummy_hash())
    if attempt.locked:
        raise Locked(_REFUSED)
    if not matched or attempt.stored is None:
        if attempt.failures > FREE_ATTEMPTS:
            with db.write() as session:
                _audit_lock(session, key, attempt.failures)
        raise Unauthenticated(_REFUSED)
    with db.write() as session:
        session.execute(delete(SignInAttempt).where(SignInAttempt.name == key))
        user = _user(session, name)
        if user is None or account_status(user) != "active" or user.password_pending:
            raise Unauthenticated(_REFUSED)  # disabled, removed or set aside meanwhile
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
                User.language,
            )
            .join(User, WebSession.user_id == User.id)
            .where(WebSession.token_hash == _digest(token))
        ).first()
    if row is None:
        raise Unauthenticated("not signed in")
    session_id, csrf, created_at, last_seen_at, ended_at, name, role, disabled_at, language = row
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
    return WebUser(Principal(name, Role(role)), csrf, language)


def set_language(name: str, language: str, db: Database | None = None) -> None:
    """Keep the pages' language a user chose (the user's own choice: audited as theirs)."""
    db = db or default_database()
    with db.write() as session:
        user = find_user(session, name)
        if user.language == language:
            return
        before = user.language
        user.language = language
        audit_object(
            session,
            "user.set_language",
            name,
            actor=name,
            before={"language": before} if before else None,
            after={"language": language},
        )


def sign_out(token: str, db: Database | None = None) -> None:
    """End a session (nothing happens for one that is not live)."""
    db = db or default_database()
    with db.write() as session:
        web = session.scalars(
            select(WebSession).where(WebSession.token_hash == _digest(token))
        ).first()
        if web is not None and web.ended_at is None:
            web.ended_at = utc_now()


def _count_attempt(db: Database, key: str, name: str, now: dt.datetime) -> _Attempt:
    """Count an attempt as a failure before its password is checked (a success undoes it), in
    one write transaction, so that parallel attempts are each counted and then see the lock."""
    with db.write() as session:
        session.execute(
            delete(SignInAttempt).where(
                SignInAttempt.last_attempt_at < now - FORGET_AFTER,
                (SignInAttempt.locked_until.is_(None)) | (SignInAttempt.locked_until < now),
            )
        )
        row = session.get(SignInAttempt, key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            return _Attempt(locked=True, failures=row.failures, stored=None)
        if row is None:
            row = SignInAttempt(name=key, failures=0, last_attempt_at=now)
            session.add(row)
        row.failures += 1
        row.last_attempt_at = now
        if row.failures > FREE_ATTEMPTS:
            row.locked_until = now + _lock(row.failures)
        user = _user(session, name)
        usable = user is not None and account_status(user) == "active" and not user.password_pending
        stored = user.password_hash if user is not None and usable else None
        return _Attempt(locked=False, failures=row.failures, stored=stored)


def _user(session: Session, name: str) -> User | None:
    """The user of that name; None for none, or for a name the database cannot hold (an unpaired
    surrogate, a NUL)."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return None
    if "\x00" in name:
        return None
    return session.scalars(select(User).where(User.name == name)).first()


def _lock(failures: int) -> dt.timedelta:
    doubling: int = 2 ** min(failures - FREE_ATTEMPTS - 1, 20)
    return min(MAX_LOCK, FIRST_LOCK * doubling)


def _audit_lock(session: Session, key: str, failures: int) -> None:
    audit_object(
        session,
        "user.sign_in_locked",
        key,
        actor=key,
        after={"failed_sign_ins": failures, "seconds": _lock(failures).total_seconds()},
    )


def _attempt_key(name: str) -> str:
    """The name an attempt is counted under: NFKC, case folded and trimmed, so that spellings of
    one name share one count; an unpaired surrogate or a NUL is kept as its escape."""
    folded = unicodedata.normalize("NFKC", name).casefold().strip().replace("\x00", "\\x00")
    return folded.encode("utf-8", "backslashreplace").decode("utf-8")[:200]


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
