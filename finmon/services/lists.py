"""Sanctions lists: versions loaded (each load re-screens the customer base for what changed),
shown, and compared with the version before, each step authorised first."""

from __future__ import annotations

from collections.abc import Sequence

from finmon.lists.diff import ListDiff
from finmon.model import Designation, ParsedList
from finmon.services.access import authorize
from finmon.store import Database
from finmon.store import lists as store
from finmon.store.lists import LoadResult, VersionInfo
from finmon.workflow.access import Action

__all__ = ["LoadResult", "VersionInfo", "current_versions"]

current_versions = store.current_versions
"""The version in use of each loaded list, by source: public, as the API's /healthz shows it."""


def load_lists(
    actor: str,
    versions: Sequence[ParsedList],
    *,
    force: bool = False,
    workers: int = 1,
    db: Database | None = None,
) -> list[LoadResult]:
    """Make parsed versions current, all or none, and re-screen the customers for what changed."""
    who = authorize(actor, Action.LOAD_LISTS, db)
    return store.load_lists(versions, actor=who.name, force=force, db=db, workers=workers)


def load_list(
    actor: str,
    parsed: ParsedList,
    *,
    force: bool = False,
    workers: int = 1,
    db: Database | None = None,
) -> LoadResult:
    """Make one parsed version current and re-screen the customers for what changed."""
    return load_lists(actor, [parsed], force=force, workers=workers, db=db)[0]


def list_versions(
    actor: str, db: Database | None = None, *, all_versions: bool = False
) -> list[VersionInfo]:
    """The current version of each source (or every version ever loaded), by source."""
    authorize(actor, Action.READ, db)
    return store.list_versions(db, all_versions=all_versions)


def current_designations(actor: str, db: Database | None = None) -> list[Designation]:
    """Every designation of every source's current list version."""
    authorize(actor, Action.READ, db)
    return store.current_designations(db)


def version_diff(
    actor: str, source: str, *, version: str | None = None, db: Database | None = None
) -> tuple[VersionInfo, VersionInfo | None, ListDiff]:
    """A stored version of a source (the current one by default) against the one before it."""
    authorize(actor, Action.READ, db)
    return store.version_diff(source, version=version, db=db)
