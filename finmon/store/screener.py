"""The Screener over the current lists, built from the store.

The Screener pauses CPython's cyclic garbage collector while it builds its index (see
finmon.screening.screener.collection_paused): UN + OFAC SDN (about 10,000 designations) are ready
in about 1.5 s instead of about 5 s. A pickled cache of the built index was measured too: it
loaded no faster than this build, so there is none.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from finmon.errors import NotFound
from finmon.model import Schema
from finmon.store.engine import Database, default_database
from finmon.store.lists import current_designations, current_versions

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


def build_screener(
    db: Database | None = None,
    versions: dict[str, str] | None = None,
    schemas: Collection[Schema] | None = None,
) -> Screener:
    """Build a Screener from the stored designations (empty when nothing is loaded), of every
    kind or only those of `schemas`."""
    from finmon.screening import Screener

    designations = current_designations(db, schemas)
    labels = versions if versions is not None else current_versions(db)
    return Screener(designations, versions=labels)
