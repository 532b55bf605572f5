"""The screening indexes: one for a command's run (`load_screener`), and those a server screens
with, built once per dataset and kept for the life of the app (the API and the web pages reach
them through `app.state.screeners`), rebuilt when a list load changes the current versions."""

from __future__ import annotations

import gc
import threading
from collections.abc import Collection

from finmon.errors import NotFound
from finmon.model import Schema
from finmon.screening import Screener
from finmon.services.access import authorize
from finmon.store import Database
from finmon.store import screener as store
from finmon.store.lists import current_designations, current_version_ids, current_versions
from finmon.store.screener import build_screener
from finmon.workflow.access import Action

ALL_LISTS = ("default", "sanctions", "all")
"""Dataset names that mean every loaded list (yente clients send "default" or "sanctions")."""


def load_screener(
    actor: str, schemas: Collection[Schema] | None = None, db: Database | None = None
) -> Screener:
    """A Screener over every current list (only the designations of `schemas`, when given) for
    one run of a command; NotFound when no list has been loaded."""
    authorize(actor, Action.SCREEN, db)
    return store.load_screener(db, schemas)


def load_change_screener(actor: str, db: Database | None = None) -> Screener:
    """A Screener over what the latest load of each list added or amended in matching data (see
    finmon.store.screener.change_screener); NotFound when no list has been loaded."""
    authorize(actor, Action.SCREEN, db)
    return store.change_screener(db)


class Screeners:
    """The Screener of each dataset over the current list versions, rebuilt when a list load
    changes them (checked on every request: one small query)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._built: dict[str, tuple[tuple[int, ...], Screener]] = {}

    def get(self, dataset: str) -> Screener:
        """The Screener for "default" (every list) or one list source; NotFound otherwise."""
        stamp = tuple(current_version_ids(self.db))
        found = self._built.get(dataset)
        if found is not None and found[0] == stamp:
            return found[1]
        with self._lock:
            found = self._built.get(dataset)
            if found is None or found[0] != stamp:
                found = self._built[dataset] = (stamp, self._build(dataset))
                _freeze_heap()
            return found[1]

    def _build(self, dataset: str) -> Screener:
        versions = current_versions(self.db)
        if not versions:
            raise NotFound("no list is loaded: an administrator must load one first")
        if dataset in ALL_LISTS:
            return build_screener(self.db, versions)
        if dataset not in versions:
            known = ", ".join([*ALL_LISTS, *sorted(versions)])
            raise NotFound(f"no dataset {dataset!r}; use one of {known}")
        chosen = [d for d in current_designations(self.db) if d.source == dataset]
        return Screener(chosen, versions={dataset: versions[dataset]})


def _freeze_heap() -> None:
    """Keep the indexes just built out of the cyclic collector's walks for the life of the
    server: without it a full collection walks them during some request, which then waits
    hundreds of milliseconds (bench/api_load.py: p99 550 ms). What an older index leaves behind
    is collected once here, as it is replaced."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
