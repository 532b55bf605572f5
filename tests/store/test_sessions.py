"""Web sign-in: scrypt password hashes, the back-off after failed sign-ins, and sessions that end
when idle, when old, at sign-out, at a new password or when their user is disabled."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
from typing import Any

import pytest

from finmon.errors import InputError, NotFound, Unauthenticated
from finmon.store.audit import audit_rows
from finmon.store.models import utc_now
from finmon.store.sessions import (
    FIRST_LOCK,
    FREE_ATTEMPTS,
    IDLE,
    LIFETIME,
    MAX_LOCK,
    MIN_PASSWORD,
    SCRYPT_N,
    SCRYPT_P,
    SCRYPT_R,
    TOUCH,
    Locked,
    hash_password,
    password_matches,
    session_user,
    set_password,
    sign_in,
    sign_out,
)
from finmon.store.users import disable_user
from finmon.workflow.access import Role
from tests.accounts import make_user

PASSWORD = "correct horse battery staple"
OTHER = "a quite different passphrase"
MS = dt.timedelta(milliseconds=1)
SECOND = dt.timedelta(seconds=1)


def sign_in_refusal(name: str, password: str, now: dt.datetime | None = None) -> Unauthenticated:
    """The Unauthenticated (or Locked) that this sign-in raises."""
    with pytest.raises(Unauthenticated) as caught:
        sign_in(name, password, now=now)
    return caught.value


def refused(name: str, password: str, now: dt.datetime | None = None) -> str:
    """The message of a refused sign-in that is not the back-off's Locked."""
    error = sign_in_refusal(name, password, now)
    assert type(error) is Unauthenticated, f"expected a plain refusal, got {error!r}"
    return str(error)


def locked(name: str, password: str, now: dt.datetime) -> Locked:
    """The Locked this sign-in raises."""
    error = sign_in_refusal(name, password, now)
    assert isinstance(error, Locked), f"expected Locked, got {error!r}"
    return error


def session_refusal(token: str, now: dt.datetime | None = None) -> str:
    """The message of session_user refusing a token."""
    with pytest.raises(Unauthenticated) as caught:
        session_user(token, now=now)
    return str(caught.value)


def with_password(name: str, role: Role = Role.ANALYST) -> None:
    make_user(name, role)
    set_password(name, PASSWORD, actor=name)


def audited(action: str) -> list[dict[str, Any]]:
    return [row for row in audit_rows(limit=1000) if row["action"] == action]


# --- hashing ----------------------------------------------------------------------------------


def test_a_password_hash_is_salted_scrypt_and_matches_only_its_password() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first.startswith("scrypt$")
    assert first.split("$")[1:4] == [str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P)]
    assert first != second, "two hashes of one password must differ by their salt"
    assert first.split("$")[4] != second.split("$")[4]
    assert PASSWORD not in first
    assert password_matches(PASSWORD, first)
    assert password_matches(PASSWORD, second)
    assert not password_matches(OTHER, first)
    assert not password_matches(PASSWORD[:-1], first)
    assert not password_matches(PASSWORD + " ", first)
    assert not password_matches("", first)


_SALT = base64.b64encode(bytes(16)).decode()
_DIGEST = base64.b64encode(bytes(32)).decode()


def _stored(
    n: object = SCRYPT_N, p: object = SCRYPT_P, salt: str = _SALT, digest: str = _DIGEST
) -> str:
    return "$".join(["scrypt", str(n), str(SCRYPT_R), str(p), salt, digest])


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "garbage",
        "scrypt$",
        "$$$$$",
        _stored() + "$extra",
        _stored().replace("scrypt$", "bcrypt$"),
        _stored(n="abc"),
        _stored(n=3),
        _stored(n=0),
        _stored(salt="!!!"),
        _stored(digest=""),
        _stored(),
    ],
)
def test_a_malformed_stored_hash_does_not_match_and_does_not_raise(stored: str) -> None:
    assert password_matches(PASSWORD, stored) is False


@pytest.mark.parametrize("digest", ["!!!", "é"])
def test_a_stored_hash_with_a_malformed_digest_does_not_raise(digest: str) -> None:
    assert password_matches(PASSWORD, _stored(digest=digest)) is False


@pytest.mark.parametrize("stored", [_stored(p=-1), _stored(n=2**70)])
def test_a_stored_hash_with_out_of_range_parameters_does_not_raise(stored: str) -> None:
    assert password_matches(PASSWORD, stored) is False


# --- set_password -----------------------------------------------------------------------------


def test_set_password_refuses_short_or_nul_passwords_and_unknown_users() -> None:
    make_user("clerk", Role.ANALYST)
    with pytest.raises(InputError, match=str(MIN_PASSWORD)):
        set_password("clerk", "x" * (MIN_PASSWORD - 1), actor="root")
    with pytest.raises(InputError, match="NUL"):
        set_password("clerk", PASSWORD + "\x00", actor="clerk")
    with pytest.raises(InputError, match="surrogate"):
        set_password("clerk", PASSWORD + "\ud800", actor="clerk")
    with pytest.raises(NotFound):
        set_password("nobody", PASSWORD, actor="nobody")
    assert audited("user.set_password") == []
    # nothing refused was stored: the user still has no password at all
    refused("clerk", PASSWORD + "\x00")
    shortest = "y" * MIN_PASSWORD
    set_password("clerk", shortest, actor="clerk")
    token, _ = sign_in("clerk", shortest)
    assert session_user(token).name == "clerk"


def test_set_password_is_audited_without_the_password() -> None:
    make_user("clerk", Role.ANALYST)
    set_password("clerk", PASSWORD, actor="clerk")
    set_password("clerk", OTHER, actor="clerk")
    rows = audited("user.set_password")
    assert [(row["actor"], row["object"]) for row in rows] == [
        ("clerk", "user:clerk"),
        ("clerk", "user:clerk"),
    ]
    assert [(row["before"], row["after"]) for row in rows] == [
        ({"password": False}, {"password": True, "status": "valid"}),
        ({"password": True}, {"password": True, "status": "valid"}),
    ]
    everything = audit_rows(limit=1000)
    assert everything
    for row in everything:
        for field, value in row.items():
            text = json.dumps(value, ensure_ascii=False)
            for secret in (PASSWORD, OTHER, "scrypt$"):
                assert secret not in text, f"audit row {row['id']} {field} holds {secret!r}"


# --- sign_in ----------------------------------------------------------------------------------


def test_sign_in_opens_a_session_with_the_users_role_and_csrf_token() -> None:
    with_password("boss", Role.SUPERVISOR)
    token, user = sign_in("boss", PASSWORD)
    assert user.name == "boss"
    assert user.role is Role.SUPERVISOR
    assert token and user.csrf_token and token != user.csrf_token
    again = session_user(token)
    assert again == user
    assert again.csrf_token == user.csrf_token
    other_token, other = sign_in("boss", PASSWORD)
    assert other_token != token
    assert other.csrf_token != user.csrf_token
    assert [row["object"] for row in audited("user.sign_in")] == ["user:boss", "user:boss"]


def test_a_wrong_password_and_an_unknown_user_get_the_same_refusal() -> None:
    with_password("clerk")
    wrong = refused("clerk", OTHER)
    unknown = refused("nobody", PASSWORD)
    assert wrong == unknown
    assert "password" in wrong


def test_a_user_without_a_password_cannot_sign_in() -> None:
    make_user("robot", Role.ANALYST)
    message = refused("robot", PASSWORD)
    assert message == refused("nobody", PASSWORD)
    assert refused("robot", "") == message


def test_a_disabled_user_cannot_sign_in_and_their_session_ends() -> None:
    with_password("leaver")
    with_password("stayer")
    token, _ = sign_in("leaver", PASSWORD)
    kept, _ = sign_in("stayer", PASSWORD)
    assert session_user(token).name == "leaver"
    disable_user("leaver", actor="root")
    session_refusal(token)
    message = refused("leaver", PASSWORD)
    assert message == refused("nobody", PASSWORD)
    assert session_user(kept).name == "stayer"


# --- back-off ---------------------------------------------------------------------------------


def test_failures_past_the_free_attempts_lock_even_the_right_password() -> None:
    with_password("clerk")
    base = utc_now()
    for _ in range(FREE_ATTEMPTS):
        refused("clerk", OTHER, now=base)
    token, _ = sign_in("clerk", PASSWORD, now=base)  # not locked yet; and this resets the count
    for _ in range(FREE_ATTEMPTS):
        refused("clerk", OTHER, now=base)
    assert audited("user.sign_in_locked") == []
    refused("clerk", OTHER, now=base)  # this one sets the lock
    rows = audited("user.sign_in_locked")
    assert [(row["actor"], row["object"]) for row in rows] == [("clerk", "user:clerk")]
    assert rows[0]["after"] == {
        "failed_sign_ins": FREE_ATTEMPTS + 1,
        "seconds": FIRST_LOCK.total_seconds(),
    }
    error = sign_in_refusal("clerk", PASSWORD, now=base)
    assert isinstance(error, Locked)
    # the lock says nothing a wrong password or an unknown name would not say
    assert str(error) == refused("nobody", OTHER, now=base)
    locked("clerk", PASSWORD, now=base + FIRST_LOCK - MS)
    locked("clerk", OTHER, now=base + FIRST_LOCK - MS)
    # a lock does not touch open sessions, nor other users
    assert session_user(token, now=base).name == "clerk"
    refused("nobody", OTHER, now=base)

    after = base + FIRST_LOCK + MS
    _, user = sign_in("clerk", PASSWORD, now=after)
    assert user.name == "clerk"
    # the count started again: FREE_ATTEMPTS failures more lock nothing
    for _ in range(FREE_ATTEMPTS):
        refused("clerk", OTHER, now=after)
    sign_in("clerk", PASSWORD, now=after)
    assert len(audited("user.sign_in_locked")) == 1


def test_locks_double_with_each_failure_up_to_max_lock() -> None:
    with_password("clerk")
    now = utc_now()
    for _ in range(FREE_ATTEMPTS):
        refused("clerk", OTHER, now=now)
    expected: list[dt.timedelta] = []
    lock = FIRST_LOCK
    while True:
        expected.append(min(lock, MAX_LOCK))
        if lock > MAX_LOCK:
            break
        lock *= 2
    expected.append(MAX_LOCK)  # and it stays there
    assert expected[-3] < MAX_LOCK == expected[-2]
    for step, lock in enumerate(expected, start=1):
        refused("clerk", OTHER, now=now)
        error = sign_in_refusal("clerk", PASSWORD, now=now + lock - MS)
        assert isinstance(error, Locked), f"lock {step} should last {lock}"
        row = audited("user.sign_in_locked")[-1]
        assert row["after"] == {
            "failed_sign_ins": FREE_ATTEMPTS + step,
            "seconds": lock.total_seconds(),
        }
        now += lock + MS
    assert len(audited("user.sign_in_locked")) == len(expected)
    _, user = sign_in("clerk", PASSWORD, now=now)
    assert user.name == "clerk"


def test_set_password_lifts_the_lock() -> None:
    with_password("clerk")
    base = utc_now()
    for _ in range(FREE_ATTEMPTS + 1):
        refused("clerk", OTHER, now=base)
    locked("clerk", PASSWORD, now=base)
    set_password("clerk", OTHER, actor="clerk")
    _, user = sign_in("clerk", OTHER, now=base)
    assert user.name == "clerk"


# --- sessions end -----------------------------------------------------------------------------


def test_a_session_ends_after_idle_without_use() -> None:
    with_password("clerk")
    base = utc_now()
    idle_token, _ = sign_in("clerk", PASSWORD, now=base)
    used_token, _ = sign_in("clerk", PASSWORD, now=base)
    message = session_refusal(idle_token, now=base + IDLE + SECOND)
    assert "ended" in message

    used = base + IDLE - SECOND
    assert session_user(used_token, now=used).name == "clerk"
    # the use restarted the idle clock: still live IDLE after sign-in, not IDLE after the use
    assert session_user(used_token, now=base + IDLE + SECOND).name == "clerk"
    session_refusal(used_token, now=base + IDLE + SECOND + IDLE + SECOND)


def test_a_session_in_steady_use_ends_after_its_lifetime() -> None:
    with_password("clerk")
    base = utc_now()
    token, _ = sign_in("clerk", PASSWORD, now=base)
    step = IDLE - TOUCH - SECOND
    assert step > TOUCH
    now = base
    while now + step < base + LIFETIME:
        now += step
        assert session_user(token, now=now).name == "clerk"
    assert session_user(token, now=base + LIFETIME - SECOND).name == "clerk"
    end = base + LIFETIME + SECOND
    assert end - (base + LIFETIME - SECOND) < IDLE  # not idle: only the lifetime is over
    session_refusal(token, now=end)
    session_refusal(token, now=end + TOUCH)


def test_sign_out_ends_that_session_only() -> None:
    with_password("clerk")
    token, _ = sign_in("clerk", PASSWORD)
    kept, _ = sign_in("clerk", PASSWORD)
    sign_out(token)
    message = session_refusal(token)
    assert "ended" in message
    assert session_user(kept).name == "clerk"
    sign_out(token)  # again: nothing happens
    sign_out(secrets.token_urlsafe(32))
    session_refusal(token)
    token, _ = sign_in("clerk", PASSWORD)
    assert session_user(token).name == "clerk"


def test_set_password_ends_every_session_of_that_user() -> None:
    with_password("clerk")
    with_password("other")
    first, _ = sign_in("clerk", PASSWORD)
    second, _ = sign_in("clerk", PASSWORD)
    kept, _ = sign_in("other", PASSWORD)
    set_password("clerk", OTHER, actor="clerk")
    session_refusal(first)
    session_refusal(second)
    assert session_user(kept).name == "other"
    refused("clerk", PASSWORD)
    token, _ = sign_in("clerk", OTHER)
    assert session_user(token).name == "clerk"


def test_a_random_or_empty_token_is_refused() -> None:
    with_password("clerk")
    sign_in("clerk", PASSWORD)
    for token in (secrets.token_urlsafe(32), "", "x" * 10_000):
        assert "not signed in" in session_refusal(token)
