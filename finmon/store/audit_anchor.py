"""The audit log's anchors outside the database: the HMAC key and the file of head checkpoints.

Both live on the application host (settings audit_key_file / audit_key and audit_checkpoint_file),
so someone holding only the database can neither compute a row's HMAC nor rewrite the checkpoints
that record how long the chain was. The key file is 64 hex digits made with mode 0600 on first use.
A checkpoint is one JSON line (head row id, its hash, rows in the chain, time, scheme, key id)
with an HMAC over it, appended after every committed write that added audit rows.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from finmon.errors import StoreError
from finmon.settings import Settings, load_settings

_log = logging.getLogger(__name__)

_KEY_ID_LABEL = b"finmon audit key id"


@dataclass(frozen=True, slots=True)
class AuditKey:
    """The secret that keys the chain, its public id (stored in each row) and where it came from."""

    secret: bytes
    id: str
    source: str

    def mac(self, message: str) -> str:
        """HMAC-SHA256 of a message under this key, as hex."""
        return hmac.new(self.secret, message.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One line of the checkpoint file: the chain's head as it was after a committed write."""

    line: int
    at: str
    row_id: int
    hash: str
    rows: int
    scheme: str
    """"hmac" for a keyed head row, "sha256" for the head of a chain written before the key."""


@dataclass(frozen=True, slots=True)
class CheckpointFile:
    """What verify reads from the checkpoint file: the lines it trusts and the ones it cannot."""

    path: Path
    exists: bool
    checkpoints: tuple[Checkpoint, ...] = ()
    bad_lines: tuple[int, ...] = ()
    foreign_lines: tuple[int, ...] = ()
    """Lines MAC'd under another key id than the current key's."""


def key_file(settings: Settings | None = None) -> Path:
    """Where the audit key is kept (FINMON_AUDIT_KEY_FILE, default $FINMON_HOME/audit.key)."""
    settings = settings or load_settings()
    return settings.audit_key_file or settings.home / "audit.key"


def checkpoint_file(settings: Settings | None = None) -> Path:
    """The checkpoint file (FINMON_AUDIT_CHECKPOINT_FILE, default in $FINMON_HOME)."""
    settings = settings or load_settings()
    return settings.audit_checkpoint_file or settings.home / "audit-checkpoints.log"


def key_source(settings: Settings | None = None) -> str:
    """Where the key comes from, as a person would name it in a message."""
    settings = settings or load_settings()
    return "FINMON_AUDIT_KEY" if settings.audit_key else f"audit key file {key_file(settings)}"


def load_key(*, create: bool, settings: Settings | None = None) -> AuditKey | None:
    """The audit key from the settings; None when its file is missing and `create` is false."""
    settings = settings or load_settings()
    if settings.audit_key:
        return _key(settings.audit_key, "FINMON_AUDIT_KEY")
    path = key_file(settings)
    try:
        stat = path.stat()
    except FileNotFoundError:
        if not create:
            return None
        _create_key_file(path, checkpoint_file(settings))
        stat = path.stat()
    cached = _cache.get(str(path))
    stamp = (stat.st_ino, stat.st_mtime_ns, stat.st_size)
    if cached is None or cached[0] != stamp:
        cached = (stamp, _key(_read(path), f"audit key file {path}"))
        _cache[str(path)] = cached
    return cached[1]


# The key is read again only when its file changes, so an audited write pays one stat().
_cache: dict[str, tuple[tuple[int, int, int], AuditKey]] = {}


def write_checkpoint(
    key: AuditKey, path: Path, *, row_id: int, hash: str, rows: int, scheme: str
) -> None:
    """Append one checkpoint line; a failure is logged, since the write it records is committed."""
    fields: dict[str, Any] = {
        "at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "id": row_id,
        "hash": hash,
        "rows": rows,
        "scheme": scheme,
        "key": key.id,
    }
    line = json.dumps({**fields, "mac": key.mac(_canonical(fields))}, separators=(",", ":"))
    try:
        _append_line(path, f"{line}\n".encode())
    except OSError as exc:
        _log.error("audit checkpoint not written to %s: %s", path, exc)


def _append_line(path: Path, line: bytes) -> None:
    # One write() with O_APPEND: concurrent writers' lines never interleave within a line.
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT
    try:
        descriptor = os.open(path, flags, 0o600)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, flags, 0o600)
    try:
        os.write(descriptor, line)
    finally:
        os.close(descriptor)


def read_checkpoints(key: AuditKey | None) -> CheckpointFile:
    """Every line of the checkpoint file, checked against the key when there is one."""
    path = checkpoint_file()
    try:
        lines = path.open(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return CheckpointFile(path, exists=False)
    good: list[Checkpoint] = []
    bad: list[int] = []
    foreign: list[int] = []
    with lines:  # read a line at a time: the file grows by one line per audited write
        for number, raw in enumerate(lines, 1):
            _sort_line(number, raw, key, good, bad, foreign)
    return CheckpointFile(path, True, tuple(good), tuple(bad), tuple(foreign))


def _sort_line(
    number: int,
    raw: str,
    key: AuditKey | None,
    good: list[Checkpoint],
    bad: list[int],
    foreign: list[int],
) -> None:
    if not raw.strip():
        return
    fields = _parse(raw)
    if fields is None:
        bad.append(number)
    elif key is not None and fields["key"] != key.id:
        foreign.append(number)
    elif key is not None and not hmac.compare_digest(
        str(fields.pop("mac")), key.mac(_canonical(fields))
    ):
        bad.append(number)
    else:
        good.append(_checkpoint(number, fields))


def _parse(raw: str) -> dict[str, Any] | None:
    try:
        fields = json.loads(raw)
    except ValueError:
        return None
    names = {"at", "id", "hash", "rows", "scheme", "key", "mac"}
    if not isinstance(fields, dict) or set(fields) != names:
        return None
    if not (isinstance(fields["id"], int) and isinstance(fields["rows"], int)):
        return None
    return fields


def _checkpoint(line: int, fields: dict[str, Any]) -> Checkpoint:
    return Checkpoint(
        line, str(fields["at"]), fields["id"], str(fields["hash"]), fields["rows"], fields["scheme"]
    )


def _canonical(fields: dict[str, Any]) -> str:
    return json.dumps(fields, sort_keys=True, separators=(",", ":"))


def _key(text: str, source: str) -> AuditKey:
    try:
        secret = bytes.fromhex(text.strip())
    except ValueError:
        secret = b""
    if len(secret) < 32:
        raise StoreError(f"{source} must hold at least 64 hex digits (256 bits)")
    key_id = hmac.new(secret, _KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]
    return AuditKey(secret, key_id, source)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii", errors="replace")
    except OSError as exc:
        raise StoreError(f"audit key file {path} cannot be read: {exc.strerror}") from exc


def _create_key_file(path: Path, checkpoints: Path) -> None:
    # Written whole under a temporary name and linked into place, so two processes creating it at
    # once agree on one key and nobody ever reads half of one. The empty checkpoint file made with
    # it tells verify later that this key has been used, so that losing the file is noticed.
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".audit-key-")
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as file:
                file.write(f"{secrets.token_hex(32)}\n")
                file.flush()
                os.fsync(file.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
        checkpoints.parent.mkdir(parents=True, exist_ok=True)
        os.close(os.open(checkpoints, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
    except OSError as exc:
        raise StoreError(f"audit key file {path} cannot be created: {exc.strerror}") from exc
