"""The reports the FIU received, read back: each with its records, and the current mentions and
transfers across all of them (what entity resolution and link analysis read)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, defer

from finmon.errors import InputError, NotFound
from finmon.fiu.intake import Reason
from finmon.fiu.records import Identifier, Mention, Transfer
from finmon.store.engine import Database, default_database, record_of
from finmon.store.models import FiuIndicator, FiuMention, FiuReport, FiuTransfer

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class ReportRow:
    """A received report without its XML."""

    id: int
    key: str
    status: str
    entity_bin: str | None
    rentity_id: int | None
    entity_reference: str | None
    report_code: str | None
    version: int | None
    replaces: str | None
    replaced_by: str | None
    submission_date: dt.datetime | None
    received_at: dt.datetime
    received_by: str
    file_name: str
    sha256: str
    size: int
    reasons: list[str]

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON and CSV."""
        values = {name: getattr(self, name) for name in self.__slots__}
        for name in ("submission_date", "received_at"):
            values[name] = values[name].isoformat() if values[name] else None
        return values


@dataclass(frozen=True, slots=True)
class ReportDetail:
    """A received report with its records, reason and action, and its XML."""

    row: ReportRow
    reason: str
    action: str
    mentions: tuple[Mention, ...]
    transfers: tuple[Transfer, ...]
    indicators: tuple[str, ...]
    xml: bytes


def list_reports(status: str = "all", db: Database | None = None) -> list[ReportRow]:
    """Received reports, newest first: all, accepted, rejected or current (accepted and not
    replaced)."""
    query = select(FiuReport).order_by(FiuReport.id.desc())
    if status == "current":
        query = query.where(FiuReport.status == "accepted", FiuReport.replaced_by_id.is_(None))
    elif status in ("accepted", "rejected"):
        query = query.where(FiuReport.status == status)
    elif status != "all":
        raise InputError(f"status {status!r}: use all, current, accepted or rejected")
    with (db or default_database()).read() as session:
        return _rows(session, list(session.scalars(query.options(defer(FiuReport.xml)))))


def get_report(key: str, db: Database | None = None) -> ReportDetail:
    """One report, by its FIU key or its id, with its records; NotFound when there is none."""
    where = FiuReport.key == key
    if key.isdigit() and len(key) < 10:
        where = where | (FiuReport.id == int(key))
    with (db or default_database()).read() as session:
        found = session.scalars(select(FiuReport).where(where)).first()
        if found is None:
            raise NotFound(f"report {key!r}: no such report")
        row = _rows(session, [found])[0]
        return ReportDetail(
            row=row,
            reason=found.reason,
            action=found.action,
            mentions=tuple(
                _mention(m)
                for m in session.scalars(
                    select(FiuMention)
                    .where(FiuMention.report_id == found.id)
                    .order_by(FiuMention.id)
                )
            ),
            transfers=tuple(
                _transfer(t, found.key)
                for t in session.scalars(
                    select(FiuTransfer)
                    .where(FiuTransfer.report_id == found.id)
                    .order_by(FiuTransfer.id)
                )
            ),
            indicators=tuple(
                session.scalars(
                    select(FiuIndicator.code)
                    .where(FiuIndicator.report_id == found.id)
                    .order_by(FiuIndicator.id)
                )
            ),
            xml=found.xml,
        )


def current_mentions(db: Database | None = None) -> list[Mention]:
    """Every mention of the current version of each accepted report: what resolution groups."""
    with (db or default_database()).read() as session:
        rows = session.scalars(
            select(FiuMention)
            .join(FiuReport, FiuReport.id == FiuMention.report_id)
            .where(FiuReport.replaced_by_id.is_(None))
            .order_by(FiuMention.id)
        )
        return [_mention(row) for row in rows]


def current_transfers(db: Database | None = None) -> list[Transfer]:
    """Every transfer of the current version of each accepted report."""
    with (db or default_database()).read() as session:
        rows = session.execute(
            select(FiuTransfer, FiuReport.key)
            .join(FiuReport, FiuReport.id == FiuTransfer.report_id)
            .where(FiuReport.replaced_by_id.is_(None))
            .order_by(FiuTransfer.id)
        )
        return [_transfer(row, key) for row, key in rows]


def _mention(row: FiuMention) -> Mention:
    return Mention(
        id=row.mention_id,
        report=row.mention_id.rpartition(":")[0],
        entity=row.entity_bin,
        kind=row.kind,  # type: ignore[arg-type]
        name=row.name,
        birth_date=row.birth_date,
        nationality=row.nationality,
        identifiers=tuple(Identifier(kind=i["kind"], value=i["value"]) for i in row.identifiers),
        seen=row.seen,
    )


def _transfer(row: FiuTransfer, key: str) -> Transfer:
    return record_of(Transfer, row, report=key)


def _rows(session: Session, reports: list[FiuReport]) -> list[ReportRow]:
    """Report rows, with the keys of the versions each replaces and is replaced by."""
    linked = {r.replaces_id for r in reports} | {r.replaced_by_id for r in reports}
    linked.discard(None)
    keys: dict[int, str] = {}
    ids = sorted(i for i in linked if i is not None)
    for start in range(0, len(ids), _CHUNK):
        keys.update(
            (id, key)
            for id, key in session.execute(
                select(FiuReport.id, FiuReport.key).where(
                    FiuReport.id.in_(ids[start : start + _CHUNK])
                )
            )
        )
    return [_row(report, keys) for report in reports]


def _row(report: FiuReport, keys: dict[int, str]) -> ReportRow:
    return record_of(
        ReportRow,
        report,
        replaces=keys.get(report.replaces_id) if report.replaces_id else None,
        replaced_by=keys.get(report.replaced_by_id) if report.replaced_by_id else None,
        reasons=[_reason_text(r) for r in report.reasons],
    )


def _reason_text(reason: dict[str, Any]) -> str:
    return str(Reason(str(reason["element"]), str(reason["message"]), reason.get("line")))
