"""The Screener over the current lists, cached on disk between runs.

Building the screening index from the stored designations costs more than reading a pickle of the
built index, and a batch run from the command line pays it on every start. The cache is keyed by the
current list version ids and by finmon's own code, so a list load or an upgrade invalidates it.
"""

from __future__ import annotations

import hashlib
import pickle
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from finmon.errors import NotFound
from finmon.settings import load_settings
from finmon.store.engine import Database, default_database
from finmon.store.lists import current_designations, current_versions, list_versions

if TYPE_CHECKING:
    from finmon.screening import Screener

_PACKAGE = Path(__file__).resolve().parents[1]


def load_screener(db: Database | None = None, *, use_cache: bool | None = None) -> Screener:
    """A Screener over every current list; NotFound when no list has been loaded."""
    db = db or default_database()
    current = [f"{v.id}@{v.loaded_at.isoformat()}" for v in list_versions(db)]
    if not current:
        raise NotFound("no list is loaded: load one first with `finmon lists load FILE`")
    settings = load_settings()
    if not (settings.screener_cache if use_cache is None else use_cache):
        return build_screener(db)
    path = settings.home / "cache" / f"screener-{cache_key(db, current)}.pickle"
    cached = _read(path)
    if cached is not None:
        return cached
    screener = build_screener(db)
    _write(path, screener)
    return screener


def build_screener(db: Database | None = None) -> Screener:
    """Build a Screener from the stored designations, without the cache."""
    from finmon.screening import Screener

    return Screener(current_designations(db), versions=current_versions(db))


def cache_key(db: Database, versions: list[str]) -> str:
    """Digest of the database, its current list versions (id and load time) and finmon's code."""
    digest = hashlib.sha256(db.url.encode())
    digest.update(",".join(versions).encode())
    for source in sorted(_PACKAGE.rglob("*.py")):
        stat = source.stat()
        digest.update(f"{source.relative_to(_PACKAGE)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:24]


def _read(path: Path) -> Screener | None:
    if not path.is_file():
        return None
    try:
        with path.open("rb") as handle:
            loaded: Screener = pickle.load(handle)
    except Exception:  # a stale or truncated cache is rebuilt, never trusted
        path.unlink(missing_ok=True)
        return None
    return loaded


def _write(path: Path, screener: Screener) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob("screener-*.pickle"):
        old.unlink(missing_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as handle:
        try:
            pickle.dump(screener, handle, protocol=pickle.HIGHEST_PROTOCOL)
        except (pickle.PicklingError, TypeError, AttributeError):
            # A screener that cannot be pickled simply runs uncached.
            handle.close()
            Path(handle.name).unlink(missing_ok=True)
            return
    Path(handle.name).replace(path)
