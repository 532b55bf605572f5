"""FIU disseminations to law enforcement: persistence only.

A dissemination is drafted by one person, approved by another (four-eyes by person) and then
exported, as many times as asked, each export audited with its package's sha256. Showing one is
audited too: the audit log says who saw and who sent what.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from finmon.errors import InputError, NotFound, WorkflowRefused
from finmon.store.audit import audit_object
from finmon.store.engine import Database, default_database, record_of
from finmon.store.models import FiuDissemination, utc_now
from finmon.store.users import approve_draft

MAX_REASONING = 100_000
MAX_CHOSEN = 500


@dataclass(frozen=True, slots=True)
class DisseminationRow:
    """One stored dissemination."""

    id: int
    reference: str
    recipient: str
    subjects: list[str]
    reports: list[str]
    reasoning: str
    status: str
    drafted_by: str
    drafted_at: dt.datetime
    approved_by: str | None
    approved_at: dt.datetime | None
    exported_by: str | None
    exported_at: dt.datetime | None
    package_sha256: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form (times as ISO text)."""
        values = asdict(self)
        for name in ("drafted_at", "approved_at", "exported_at"):
            values[name] = values[name].isoformat() if values[name] else None
        return values


def draft(
    *,
    reference: str,
    recipient: str,
    subjects: Sequence[str],
    reports: Sequence[str],
    reasoning: str,
    actor: str,
    db: Database | None = None,
) -> DisseminationRow:
    """Keep a drafted dissemination and audit it; the chosen subjects and reports are checked
    by the caller (the service resolves them)."""
    _check_text("reference", reference, 100)
    _check_text("recipient", recipient, 400)
    _check_text("reasoning", reasoning, MAX_REASONING)
    if not subjects and not reports:
        raise InputError("a dissemination needs at least one subject or report")
    for what, chosen in (("subjects", subjects), ("reports", reports)):
        if len(chosen) > MAX_CHOSEN:
            raise InputError(f"{what}: at most {MAX_CHOSEN} in one dissemination")
        if len(set(chosen)) != len(chosen):
            raise InputError(f"{what}: one is chosen twice")
    db = db or default_database()
    try:
        with db.write() as session:
            taken = session.scalar(
                select(FiuDissemination.id).where(FiuDissemination.reference == reference)
            )
            if taken is not None:
                raise InputError(f"reference {reference!r} is dissemination {taken} already")
            row = FiuDissemination(
                reference=reference, recipient=recipient, subjects=list(subjects),
                reports=list(reports), reasoning=reasoning, status="drafted",
                drafted_by=actor, drafted_at=utc_now(),
            )  # fmt: skip
            session.add(row)
            session.flush()
            audit_object(
                session,
                "fiu_dissemination.draft",
                row.id,
                actor=actor,
                after={
                    "reference": reference,
                    "recipient": recipient,
                    "subjects": list(subjects),
                    "reports": list(reports),
                },
                reason=reasoning[:2000],
            )
            return _row(row)
    except IntegrityError:
        raise InputError(f"reference {reference!r} is taken already") from None


def approve(dissemination_id: int, *, actor: str, db: Database | None = None) -> DisseminationRow:
    """A second person approves the draft: from then on it may be exported, unchanged."""
    db = db or default_database()
    with db.write() as session:
        row = _load(session, dissemination_id)
        if row.status != "drafted":
            raise WorkflowRefused(
                f"dissemination {dissemination_id} is {row.status}: only a draft is approved"
            )
        fixed = {"subjects": row.subjects, "reports": row.reports}
        what = f"dissemination {dissemination_id}"
        approve_draft(
            session, row, "fiu_dissemination.approve", row.id, actor=actor, what=what, after=fixed
        )
        return _row(row)


def approved(dissemination_id: int, db: Database | None = None) -> DisseminationRow:
    """The dissemination, refused unless a second person approved it."""
    with (db or default_database()).read() as session:
        row = _load(session, dissemination_id)
        if row.status not in ("approved", "exported") or row.approved_by is None:
            raise WorkflowRefused(
                f"dissemination {dissemination_id} is {row.status}: it is exported only after "
                "a second person approved it (finmon fiu disseminate approve)"
            )
        return _row(row)


def record_export(
    dissemination_id: int,
    *,
    sha256: str,
    members: Sequence[str],
    target: str,
    actor: str,
    db: Database | None = None,
) -> DisseminationRow:
    """Record that the package was written (and so sent): who, when, its sha256 and members."""
    db = db or default_database()
    with db.write() as session:
        row = _load(session, dissemination_id)
        if row.status not in ("approved", "exported"):
            raise WorkflowRefused(f"dissemination {dissemination_id} is {row.status}")
        before = {"status": row.status, "package_sha256": row.package_sha256}
        row.status, row.exported_by, row.exported_at = "exported", actor, utc_now()
        row.package_sha256 = sha256
        audit_object(
            session,
            "fiu_dissemination.export",
            row.id,
            actor=actor,
            before=before,
            after={
                "status": "exported",
                "package_sha256": sha256,
                "recipient": row.recipient,
                "members": list(members),
                "file": target,
            },
        )
        return _row(row)


def list_disseminations(db: Database | None = None) -> list[DisseminationRow]:
    """Every dissemination, oldest first."""
    with (db or default_database()).read() as session:
        query = select(FiuDissemination).order_by(FiuDissemination.id)
        return [_row(row) for row in session.scalars(query)]


def show(dissemination_id: int, *, actor: str, db: Database | None = None) -> DisseminationRow:
    """One dissemination; the viewing is audited (who saw what)."""
    db = db or default_database()
    with db.write() as session:
        row = _load(session, dissemination_id)
        audit_object(
            session, "fiu_dissemination.view", row.id, actor=actor, after={"status": row.status}
        )
        return _row(row)


def _load(session: Session, dissemination_id: int) -> FiuDissemination:
    row = session.get(FiuDissemination, dissemination_id)
    if row is None:
        raise NotFound(f"dissemination {dissemination_id}: no such dissemination")
    return row


def _check_text(field: str, value: str, limit: int) -> None:
    if not value.strip():
        raise InputError(f"{field}: must not be empty")
    if len(value) > limit:
        raise InputError(f"{field}: at most {limit} characters, not {len(value)}")


def _row(row: FiuDissemination) -> DisseminationRow:
    return record_of(DisseminationRow, row, subjects=list(row.subjects), reports=list(row.reports))
