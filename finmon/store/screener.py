"""The Screener over the current lists, built from the store, or read back from the screener
cache (finmon.store.screener_cache) while the lists and finmon are those it was built for.

The Screener pauses CPython's cyclic garbage collector while it builds its index (see
finmon.screening.screener.collection_paused). Building UN + OFAC SDN (about 10,000 designations,
27,000 names) took about 8 s on 2 cores, reading the whole Screener back from the cache about
1.3 s, reading the designations alone from the store about 1.5 s.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from finmon.errors import NotFound
from finmon.model import Schema
from finmon.settings import load_settings
from finmon.store.engine import Database, default_database
from finmon.store.lists import current_designations, current_versions, version_diff
from finmon.store.models import ListVersion
from finmon.store.screener_cache import cache_file, cache_key, read_cached, write_cached

if TYPE_CHECKING:
    from finmon.screening import Screener


def load_screener(
    db: Database | None = None, schemas: Collection[Schema] | None = None
) -> Screener:
    """A Screener over every current list (only the designations of `schemas`, when given);
    NotFound when no list has been loaded."""
    db = db or default_database()
    versions = current_versions(db)
    if not versions:
        raise NotFound("no list is loaded: load one first with `finmon lists load FILE`")
    return build_screener(db, versions, schemas)


def change_screener(db: Database | None = None) -> Screener:
    """A Screener over what the current version of each list added, or amended in its matching
    data, against the version before it (all of a list loaded once), weighing name parts by
    their frequency over every current list as a full screen does: the designations a list
    load's delta re-screen screens the stored customers for. NotFound when no list is loaded."""
    from finmon.screening import Screener
    from finmon.store.rescreen import to_screen

    db = db or default_database()
    versions = current_versions(db)
    if not versions:
        raise NotFound("no list is loaded: load one first with `finmon lists load FILE`")
    full = build_screener(db, versions)
    changed = [d for source in versions for d in to_screen(version_diff(source, db=db)[2])]
    return Screener(changed, versions=versions, frequency=full.frequency)


def build_screener(
    db: Database | None = None,
    versions: dict[str, str] | None = None,
    schemas: Collection[Schema] | None = None,
) -> Screener:
    """Build a Screener from the stored designations (empty when nothing is loaded), of every
    kind or only those of `schemas`."""
    from finmon.screening import Screener

    db = db or default_database()
    labels = versions if versions is not None else current_versions(db)
    folder = load_settings().screener_cache
    key = cache_key(_version_rows(db), schemas) if folder is not None else ""
    if folder is not None:
        cached = read_cached(cache_file(folder, schemas), key)
        if cached is not None and cached.versions == labels:
            return cached
    screener = Screener(current_designations(db, schemas), versions=labels)
    if folder is not None:
        write_cached(cache_file(folder, schemas), key, screener)
    return screener


def _version_rows(db: Database) -> list[dict[str, Any]]:
    """What identifies the current lists' contents: each version's id, label, size, files (their
    sha256) and time of loading, in this store."""
    columns = (
        ListVersion.id,
        ListVersion.source,
        ListVersion.version,
        ListVersion.files,
        ListVersion.designation_count,
        ListVersion.loaded_at,
    )
    with db.read() as session:
        rows = session.execute(select(*columns).where(ListVersion.is_current)).all()
    # The database's address too (hashed with the rest): another store's version 1 is another list.
    where = str(db.engine.url)
    return [
        {"id": i, "source": s, "version": v, "files": f, "count": n, "loaded": t, "db": where}
        for i, s, v, f, n, t in rows
    ]
