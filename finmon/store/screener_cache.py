"""A built Screener kept on disk, so that a command starts screening without rebuilding its index.

Building the index analyses every list name (about 8 s for UN + OFAC SDN); reading it back takes
about a second. A cache file is used only when its key is the one the current state asks for: the
current list versions (their ids, labels, designation counts and the sha256 of every file they were
loaded from), the kinds of party indexed, and a fingerprint of finmon's own code and of the
libraries the analysis uses, so a list change, an upgrade or an edited source file rebuilds it.

The file is a pickle, which runs code when read, so it is only read from a folder that finmon made
for itself: a real folder (no symlink) owned by this user and writable by no one else, a regular
file owned by this user and writable by no one else, whose header names the key and the sha256 of
the payload that follows. Anything else (missing, another key, truncated, corrupted, loosened
permissions) is ignored and the index is built as if there were no cache; a folder that cannot be
written only means there is none.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import io
import json
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Collection, Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import finmon
from finmon.model import Schema

if TYPE_CHECKING:
    from finmon.screening import Screener

MAGIC = b"finmon-screener-cache 1\n"
"""First line of every cache file: the layout below, versioned."""
_LIBRARIES = ("rigour", "anyascii", "rapidfuzz", "normality", "PyICU")
"""Libraries whose behaviour reaches the analysed names or their comparison."""


def cache_key(versions: Iterable[dict[str, Any]], schemas: Collection[Schema] | None) -> str:
    """The key a cache file must carry to stand for these list versions and kinds of party."""
    basis = {
        "versions": sorted(versions, key=lambda v: (str(v.get("source")), str(v.get("id")))),
        "schemas": None if schemas is None else sorted(s.value for s in schemas),
        "code": code_fingerprint(),
    }
    text = json.dumps(basis, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@cache
def code_fingerprint() -> str:
    """sha256 over finmon's package files, the Python version and the analysing libraries'."""
    digest = hashlib.sha256(sys.version.encode())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=-\n".encode())
    root = Path(finmon.__file__).parent
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def cache_file(folder: Path, schemas: Collection[Schema] | None) -> Path:
    """The file that holds the screener of these kinds of party (one per kind, each replaced as
    the lists change)."""
    kinds = "all" if schemas is None else "-".join(sorted(s.value.lower() for s in schemas))
    return folder / f"screener-{kinds}.cache"


def read_cached(path: Path, key: str) -> Screener | None:
    """The screener stored at path under this key, or None when there is no trustworthy one."""
    if not _private(path.parent, directory=True):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not _owned_regular(os.fstat(handle.fileno())):
            return None
        data = handle.read()
    header = MAGIC + key.encode() + b"\n"
    if not data.startswith(header):
        return None
    digest, _, payload = data[len(header) :].partition(b"\n")
    if digest != hashlib.sha256(payload).hexdigest().encode():
        return None
    enabled = gc.isenabled()
    gc.disable()  # as when the index is built: millions of small objects (see collection_paused)
    try:
        screener = pickle.loads(payload)
    except Exception:
        return None
    finally:
        if enabled:
            gc.enable()
    from finmon.screening import Screener

    return screener if isinstance(screener, Screener) else None


def write_cached(path: Path, key: str, screener: Screener) -> bool:
    """Store the screener at path under this key; False (and nothing stored) when the folder
    cannot be made private or written."""
    folder = path.parent
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    if not _private(folder, directory=True):
        return False
    payload = dumps(screener)
    digest = hashlib.sha256(payload).hexdigest().encode()
    try:
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=".screener-", suffix=".part")
    except OSError:
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(MAGIC + key.encode() + b"\n" + digest + b"\n")
            handle.write(payload)
        os.replace(temporary, path)  # readers see the old file or the new one, never half
    except OSError:
        Path(temporary).unlink(missing_ok=True)
        return False
    return True


def dumps(screener: Screener) -> bytes:
    """The screener pickled, its dataclasses as calls of their constructors."""
    out = io.BytesIO()
    _Pickler(out, protocol=pickle.HIGHEST_PROTOCOL).dump(screener)
    return out.getvalue()


class _Pickler(pickle.Pickler):
    """Pickles a slotted dataclass as its class called with its fields: read back about four
    times faster than the state dataclasses pickle by default, which walks fields() per object
    (a screener holds about 240,000 of them)."""

    def reducer_override(self, obj: Any) -> Any:
        names = _fields(type(obj))
        if names is None:
            return NotImplemented
        return type(obj), tuple(getattr(obj, name) for name in names)


def _fields(kind: type) -> tuple[str, ...] | None:
    """The fields a slotted dataclass is made from, in order; None for any other type (or one
    with a field its constructor does not take)."""
    if kind not in _FIELDS:
        found = dataclasses.fields(kind) if dataclasses.is_dataclass(kind) else ()
        slotted = bool(found) and "__slots__" in vars(kind) and all(f.init for f in found)
        _FIELDS[kind] = tuple(f.name for f in found) if slotted else None
    return _FIELDS[kind]


_FIELDS: dict[type, tuple[str, ...] | None] = {}


def _private(path: Path, *, directory: bool) -> bool:
    """A real folder (or file) of this user's that no one else may write."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    kind = stat.S_ISDIR(info.st_mode) if directory else stat.S_ISREG(info.st_mode)
    return kind and _owned_private(info)


def _owned_regular(info: os.stat_result) -> bool:
    return stat.S_ISREG(info.st_mode) and _owned_private(info)


def _owned_private(info: os.stat_result) -> bool:
    owner = getattr(os, "getuid", lambda: info.st_uid)()
    return info.st_uid == owner and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)
