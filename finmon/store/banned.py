"""The data bank of banned organisations, and the `kz-banned` list version made of it.

Recording the bank and making its bans in force the current `kz-banned` list version happen in
one transaction, so screening never sees a ban the bank does not hold, nor the reverse. A ban is
never dropped: a file that leaves one out is refused (lift it instead), and a lifted ban stays
in the bank with its date while it leaves the list.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finmon.errors import InputError, NotFound, WorkflowRefused
from finmon.fiu.banned import Ban, as_list, ban_from_dict
from finmon.store.audit import audit_object
from finmon.store.engine import Database, default_database
from finmon.store.lists import LoadResult, write_versions
from finmon.store.models import BannedOrganisation, utc_now

STATUS_FILTERS = ("in_force", "lifted", "all")


def record_bans(
    bans: Sequence[Ban],
    file_name: str,
    digest: str,
    *,
    actor: str,
    force: bool = False,
    db: Database | None = None,
) -> tuple[dict[str, int], LoadResult]:
    """Record a data bank file (the whole bank) and make its bans in force the current
    `kz-banned` list; the counts of added, changed and unchanged bans, and the list's load."""
    db = db or default_database()
    with db.write() as session:
        rows = {r.reference: r for r in session.scalars(select(BannedOrganisation))}
        wanted = {b.reference for b in bans}
        dropped = sorted(set(rows) - wanted)
        if dropped:
            raise WorkflowRefused(
                f"{file_name}: leaves out {len(dropped)} recorded bans ({', '.join(dropped[:5])}"
                "): a ban is never dropped; mark it lifted (status lifted, lifted_on)"
            )
        counts = {"added": 0, "changed": 0, "unchanged": 0}
        now = utc_now()
        for ban in bans:
            row = rows.get(ban.reference)
            before = row.record if row is not None else None
            if before == ban.to_dict():
                counts["unchanged"] += 1
                continue
            counts["added" if row is None else "changed"] += 1
            row = _write(session, row, ban, file_name, digest, actor, now)
            audit_object(
                session,
                "banned.record",
                ban.reference,
                actor=actor,
                before=before,
                after=ban.to_dict(),
            )
        result = _relist(session, list(bans), [(file_name, digest)], actor, force)
        return counts, result


def lift(
    reference: str, on: dt.date, reason: str, *, actor: str, db: Database | None = None
) -> LoadResult:
    """Record that a court lifted a ban: it stays in the bank, and leaves the list."""
    if not reason.strip():
        raise InputError("lifting a ban needs the reason (--reason): the court's decision")
    db = db or default_database()
    with db.write() as session:
        row = _row(session, reference)
        ban = ban_from_dict(row.record)
        if ban.status == "lifted":
            raise WorkflowRefused(f"the ban {reference!r} was lifted already ({ban.lifted_on})")
        lifted = replace(ban, status="lifted", lifted_on=on)
        bans = [
            lifted if r.reference == reference else ban_from_dict(r.record)
            for r in session.scalars(select(BannedOrganisation).order_by(BannedOrganisation.id))
        ]
        digest = _digest(bans)
        _write(session, row, lifted, f"lifting of {reference}", digest, actor, utc_now())
        audit_object(
            session,
            "banned.lift",
            reference,
            actor=actor,
            before=ban.to_dict(),
            after=lifted.to_dict(),
            reason=reason,
        )
        # An explicit decision about one ban: the list may shrink, even to nothing.
        return _relist(session, bans, [(f"lifting of {reference}", digest)], actor, True)


def list_bans(status: str = "all", db: Database | None = None) -> list[dict[str, Any]]:
    """The bank's bans by status (in_force, lifted, all), each with its provenance."""
    if status not in STATUS_FILTERS:
        raise InputError(f"status {status!r}: use one of {', '.join(STATUS_FILTERS)}")
    query = select(BannedOrganisation).order_by(BannedOrganisation.reference)
    if status != "all":
        query = query.where(BannedOrganisation.status == status)
    db = db or default_database()
    with db.read() as session:
        return [_shown(row) for row in session.scalars(query)]


def get_ban(reference: str, db: Database | None = None) -> dict[str, Any]:
    """One ban with its provenance."""
    db = db or default_database()
    with db.read() as session:
        return _shown(_row(session, reference))


def _write(
    session: Session,
    row: BannedOrganisation | None,
    ban: Ban,
    file_name: str,
    digest: str,
    actor: str,
    now: dt.datetime,
) -> BannedOrganisation:
    if row is None:
        row = BannedOrganisation(reference=ban.reference, recorded_by=actor, recorded_at=now)
        session.add(row)
    row.name, row.status, row.record = ban.name, ban.status, ban.to_dict()
    row.source_file, row.source_sha256 = file_name, digest
    row.updated_by, row.updated_at = actor, now
    return row


def _relist(
    session: Session,
    bans: list[Ban],
    files: list[tuple[str, str]],
    actor: str,
    force: bool,
) -> LoadResult:
    (result,) = write_versions(session, [as_list(bans, files)], actor=actor, force=force)
    for row in session.scalars(select(BannedOrganisation)):
        row.list_version_id = result.list_version_id
    return result


def _digest(bans: Sequence[Ban]) -> str:
    text = json.dumps([b.to_dict() for b in bans], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _row(session: Session, reference: str) -> BannedOrganisation:
    row = session.scalars(
        select(BannedOrganisation).where(BannedOrganisation.reference == reference)
    ).first()
    if row is None:
        raise NotFound(f"no banned organisation {reference!r} in the data bank")
    return row


def _shown(row: BannedOrganisation) -> dict[str, Any]:
    return {
        **row.record,
        "provenance": {
            "source_file": row.source_file,
            "source_sha256": row.source_sha256,
            "list_source": "kz-banned",
            "list_version_id": row.list_version_id,
            "recorded_by": row.recorded_by,
            "recorded_at": row.recorded_at.isoformat(timespec="seconds"),
            "updated_by": row.updated_by,
            "updated_at": row.updated_at.isoformat(timespec="seconds"),
        },
    }
