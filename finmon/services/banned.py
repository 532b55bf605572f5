"""The data bank of banned organisations: recorded and lifted by the FIU, read by other
agencies (agency_reader), each step authorised first; its bans in force are the `kz-banned`
list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from finmon.fiu.banned import read_bans
from finmon.services.access import authorize
from finmon.store import Database
from finmon.store import banned as store
from finmon.store.audit import record_view
from finmon.store.lists import LoadResult
from finmon.workflow.access import Action

__all__ = ["LoadResult"]


def record_file(
    actor: str, path: Path, *, force: bool = False, db: Database | None = None
) -> tuple[dict[str, int], LoadResult]:
    """Record a data bank file and make its bans in force the current `kz-banned` list."""
    who = authorize(actor, Action.MANAGE_BANNED, db)
    bans, digest = read_bans(path)
    return store.record_bans(bans, path.name, digest, actor=who.name, force=force, db=db)


def lift(
    actor: str, reference: str, on: dt.date, reason: str, db: Database | None = None
) -> LoadResult:
    """Record a court's lifting of a ban: it leaves the list and stays in the bank."""
    who = authorize(actor, Action.MANAGE_BANNED, db)
    return store.lift(reference, on, reason, actor=who.name, db=db)


def list_bans(actor: str, status: str = "all", db: Database | None = None) -> list[dict[str, Any]]:
    """The bank's bans by status, with their provenance."""
    authorize(actor, Action.READ_BANNED, db)
    return store.list_bans(status, db)


def get_ban(actor: str, reference: str, db: Database | None = None) -> dict[str, Any]:
    """One ban with its provenance; the reading is audited (another agency's too)."""
    who = authorize(actor, Action.READ_BANNED, db)
    found = store.get_ban(reference, db)
    record_view(who.name, "banned.viewed", f"banned:{reference}", db)
    return found
