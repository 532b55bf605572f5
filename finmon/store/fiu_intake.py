"""The FIU's registry of reporting entities and the reports received from them, kept as XML and as
records (mentions, their identifiers, transfers, indicators).

`save_reports` stores a batch of checked reports in one transaction, with bulk inserts: each
report is stored whole or not at all, and a resubmission of an entity report id becomes the next
version, the earlier one kept and linked to it both ways. Each batch of reports, accepted or
rejected, and every registration appends an audit row. Reading them back: `fiu_reports`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from finmon.errors import InputError, WorkflowRefused
from finmon.fiu.intake import Acknowledgement, ReadReport, Reason
from finmon.fiu.records import Mention
from finmon.lists.identifiers import is_valid_iin_bin
from finmon.store.audit import append_audit
from finmon.store.engine import Database, default_database, record_of
from finmon.store.models import (
    FiuEntity,
    FiuIndicator,
    FiuMention,
    FiuMentionIdentifier,
    FiuReport,
    FiuTransfer,
    core_table,
    utc_now,
)

ENTITY_KINDS = ("bank", "mfo", "pawnshop", "mto", "notary", "npo", "other")
"""What a reporting entity can be."""
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class EntityRow:
    """A registered reporting entity."""

    bin: str
    goaml_id: int
    name: str
    kind: str
    contact: str
    feed_key: str | None
    active: bool
    registered_at: dt.datetime
    registered_by: str

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON and CSV."""
        return {**asdict(self), "registered_at": self.registered_at.isoformat()}


@dataclass(frozen=True, slots=True)
class Submission:
    """One file to store: its bytes and digest, and either its records or why it is refused."""

    file: str
    xml: bytes
    sha256: str
    key: str
    rentity_id: int | None
    entity_reference: str | None
    report_code: str | None
    reasons: tuple[Reason, ...]
    records: ReadReport | None
    """None when refused; its `entity` is the BIN the service found for rentity_id."""


@dataclass(frozen=True, slots=True)
class NewEntity:
    """A reporting entity to register, as given; register_entity checks and tidies it."""

    bin: str
    goaml_id: int
    name: str
    kind: str
    contact: str = ""
    feed_public_key: str | None = None
    """The Ed25519 public key, as PEM, its list-feed receipts are signed with."""
    feed_key: str | None = None
    """The key id of feed_public_key."""


def register_entity(new: NewEntity, *, actor: str, db: Database | None = None) -> EntityRow:
    """Register a reporting entity; InputError naming the field that is wrong, WorkflowRefused
    when its BIN or goAML id is taken."""
    bin = "".join(new.bin.split())
    if not is_valid_iin_bin(bin):
        raise InputError(f"bin {bin!r}: not 12 digits with a valid check digit")
    if new.kind not in ENTITY_KINDS:
        raise InputError(f"kind {new.kind!r}: use one of {', '.join(ENTITY_KINDS)}")
    if not 1 <= new.goaml_id < 2**31:
        raise InputError(f"goaml_id {new.goaml_id}: the FIU's rentity_id, from 1 to {2**31 - 1}")
    name = " ".join(new.name.split())
    if not name or len(name) > 1000:
        raise InputError("name: give the entity's name (at most 1000 characters)")
    with (db or default_database()).write() as session:
        taken = session.scalars(
            select(FiuEntity).where((FiuEntity.bin == bin) | (FiuEntity.goaml_id == new.goaml_id))
        ).first()
        if taken is not None:
            raise WorkflowRefused(
                f"bin {bin} / goaml_id {new.goaml_id}: already registered as {taken.bin} "
                f"(goaml_id {taken.goaml_id}, {taken.name})"
            )
        row = FiuEntity(
            bin=bin,
            goaml_id=new.goaml_id,
            name=name,
            kind=new.kind,
            contact=" ".join(new.contact.split())[:1000],
            feed_key=new.feed_key,
            feed_public_key=new.feed_public_key,
            feed_key_at=utc_now() if new.feed_public_key else None,
            feed_key_by=actor if new.feed_public_key else None,
            active=True,
            registered_at=utc_now(),
            registered_by=actor,
        )
        session.add(row)
        session.flush()
        entity = _entity(row)
        after = {k: v for k, v in entity.to_dict().items() if k != "registered_at"}
        append_audit(
            session,
            actor=actor,
            action="fiu.entity_registered",
            object=f"fiu_entity:{bin}",
            after=after,
        )
    return entity


def list_entities(db: Database | None = None) -> list[EntityRow]:
    """Every registered reporting entity, by BIN."""
    with (db or default_database()).read() as session:
        return [_entity(row) for row in session.scalars(select(FiuEntity).order_by(FiuEntity.bin))]


def active_entities(db: Database | None = None) -> dict[int, str]:
    """goAML id -> BIN of the entities that may file reports."""
    with (db or default_database()).read() as session:
        rows = session.execute(select(FiuEntity.goaml_id, FiuEntity.bin).where(FiuEntity.active))
        return {goaml_id: bin for goaml_id, bin in rows}


def _entity(row: FiuEntity) -> EntityRow:
    return record_of(EntityRow, row)


def save_reports(
    submissions: Sequence[Submission], *, actor: str, db: Database | None = None
) -> list[Acknowledgement]:
    """Store a batch in one transaction and acknowledge each file, in order."""
    with (db or default_database()).write() as session:
        return _Batch(session, actor).save(submissions)


class _Batch:
    """One transaction's reports: versions worked out, rows inserted in bulk."""

    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor
        self.now = utc_now()

    def save(self, submissions: Sequence[Submission]) -> list[Acknowledgement]:
        entities = dict(self.session.execute(select(FiuEntity.bin, FiuEntity.active)).all())
        # An entity deregistered since the service read the registry files nothing.
        items = [self._still_registered(s, entities) for s in submissions]
        current = self._current_versions(items)
        versions = {pair: version for pair, (_, version, _) in current.items()}
        rows = [self._row(item, versions) for item in items]
        ids = self._insert_reports(rows)
        replaced = self._link(items, ids, {p: (i, k) for p, (i, _, k) in current.items()})
        self._insert_records(items, ids)
        acks = [
            _acknowledge(item, row, replaced.get(item.key))
            for item, row in zip(items, rows, strict=True)
        ]
        if acks:
            self._audit(acks, rows)
        return acks

    def _still_registered(self, item: Submission, entities: dict[str, bool]) -> Submission:
        if item.records is None or entities.get(item.records.entity):
            return item
        reason = Reason("/report/rentity_id", f"entity {item.records.entity} is not registered")
        return _refused(item, reason)

    def _current_versions(
        self, items: list[Submission]
    ) -> dict[tuple[str, str], tuple[int, int, str]]:
        """(BIN, entity reference) -> (id, version, key) of the current accepted version."""
        references = sorted({i.entity_reference for i in items if i.records and i.entity_reference})
        found: dict[tuple[str, str], tuple[int, int, str]] = {}
        for start in range(0, len(references), _CHUNK):
            rows = self.session.execute(
                select(
                    FiuReport.id,
                    FiuReport.entity_bin,
                    FiuReport.entity_reference,
                    FiuReport.version,
                    FiuReport.key,
                )
                .where(FiuReport.entity_reference.in_(references[start : start + _CHUNK]))
                .where(FiuReport.status == "accepted", FiuReport.replaced_by_id.is_(None))
            )
            for id, bin, reference, version, key in rows:
                found[(str(bin), str(reference))] = (id, version or 0, key)
        return found

    def _row(self, item: Submission, versions: dict[tuple[str, str], int]) -> dict[str, Any]:
        """The report row; an accepted one gets the version after the latest of its reference."""
        records = item.records
        row: dict[str, Any] = {
            "key": item.key,
            "entity_bin": records.entity if records else None,
            "rentity_id": item.rentity_id,
            "entity_reference": item.entity_reference,
            "report_code": item.report_code,
            "version": None,
            "status": "accepted" if records else "rejected",
            "submission_date": records.header.submission_date if records else None,
            "schema_version": records.header.schema_version if records else None,
            "reason": records.header.reason if records else "",
            "action": records.header.action if records else "",
            "file_name": item.file[:400],
            "received_at": self.now,
            "received_by": self.actor,
            "sha256": item.sha256,
            "size": len(item.xml),
            "xml": item.xml,
            "reasons": [_reason_dict(r) for r in item.reasons],
        }
        pair = _pair(item)
        if pair is not None:
            row["version"] = versions[pair] = versions.get(pair, 0) + 1
        return row

    def _insert_reports(self, rows: list[dict[str, Any]]) -> list[int]:
        if not rows:
            return []
        table = core_table(FiuReport)
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(self.session.scalars(statement, rows))

    def _link(
        self,
        items: list[Submission],
        ids: list[int],
        latest: dict[tuple[str, str], tuple[int, str]],
    ) -> dict[str, str]:
        """Point each resubmission at what it replaces and back; returns new key -> old key."""
        pairs: list[tuple[int, int]] = []
        replaced: dict[str, str] = {}
        for item, id in zip(items, ids, strict=True):
            pair = _pair(item)
            if pair is None:
                continue
            before = latest.get(pair)
            if before is not None:
                pairs.append((before[0], id))
                replaced[item.key] = before[1]
            latest[pair] = (id, item.key)
        if pairs:
            self.session.execute(
                update(FiuReport), [{"id": new, "replaces_id": old} for old, new in pairs]
            )
            self.session.execute(
                update(FiuReport), [{"id": old, "replaced_by_id": new} for old, new in pairs]
            )
        return replaced

    def _insert_records(self, items: list[Submission], ids: list[int]) -> None:
        mentions, identifiers, transfers, indicators = [], [], [], []
        for item, report_id in zip(items, ids, strict=True):
            records = item.records
            if records is None:
                continue
            for mention in records.mentions:
                mentions.append(_mention_row(mention, report_id))
                identifiers += [
                    {"mention_id": mention.id, "kind": i.kind, "value": i.value[:200]}
                    for i in mention.identifiers
                ]
            transfers += [
                {
                    "report_id": report_id,
                    "number": t.number[:200],
                    "date": t.date,
                    "amount": t.amount[:40],
                    "source": t.source,
                    "target": t.target,
                }
                for t in records.transfers
            ]
            indicators += [{"report_id": report_id, "code": c[:32]} for c in records.indicators]
        for table, values in (
            (FiuMention, mentions),
            (FiuMentionIdentifier, identifiers),
            (FiuTransfer, transfers),
            (FiuIndicator, indicators),
        ):
            # Core, not the ORM's bulk insert, which spent more time building each row's
            # parameters than the database took (measured: bench/fiu_intake.py).
            if values:
                self.session.execute(insert(core_table(table)), values)

    def _audit(self, acks: list[Acknowledgement], rows: list[dict[str, Any]]) -> None:
        """One row for the batch naming every report in it: an audit row per report would
        cost more than receiving the report (measured: bench/fiu_intake.py)."""
        accepted = sum(1 for ack in acks if ack.status == "accepted")
        reports = [
            {
                "report": ack.report,
                "file": ack.file,
                "status": ack.status,
                "entity_bin": ack.entity_bin,
                "entity_reference": ack.entity_reference,
                "version": ack.version,
                "replaces": ack.replaces,
                "sha256": row["sha256"],
                "reasons": len(ack.reasons),
            }
            for ack, row in zip(acks, rows, strict=True)
        ]
        append_audit(
            self.session,
            actor=self.actor,
            action="fiu.reports_received",
            object=f"fiu_reports:{acks[0].report}..{acks[-1].report}",
            after={"accepted": accepted, "rejected": len(acks) - accepted, "reports": reports},
        )


def _pair(item: Submission) -> tuple[str, str] | None:
    """(BIN, entity reference) of an accepted submission: what a resubmission replaces."""
    if item.records is None or item.entity_reference is None:
        return None
    return item.records.entity, item.entity_reference


def _acknowledge(item: Submission, row: dict[str, Any], replaces: str | None) -> Acknowledgement:
    return Acknowledgement(
        file=item.file,
        status=row["status"],
        reasons=item.reasons,
        report=item.key,
        entity_bin=row["entity_bin"],
        rentity_id=item.rentity_id,
        entity_reference=item.entity_reference,
        report_code=item.report_code,
        version=row["version"],
        replaces=replaces,
    )


def _refused(item: Submission, reason: Reason) -> Submission:
    return Submission(
        item.file,
        item.xml,
        item.sha256,
        item.key,
        item.rentity_id,
        item.entity_reference,
        item.report_code,
        (*item.reasons, reason),
        None,
    )


def _reason_dict(reason: Reason) -> dict[str, Any]:
    return {"line": reason.line, "element": reason.element, "message": reason.message}


def _mention_row(mention: Mention, report_id: int) -> dict[str, Any]:
    return {
        "mention_id": mention.id,
        "report_id": report_id,
        "entity_bin": mention.entity,
        "kind": mention.kind,
        "name": mention.name,
        "birth_date": mention.birth_date,
        "nationality": mention.nationality,
        "identifiers": [{"kind": i.kind, "value": i.value} for i in mention.identifiers],
        "seen": mention.seen,
    }
