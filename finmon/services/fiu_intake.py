"""The FIU's intake: reporting entities registered, goAML reports received and acknowledged.

Each function authorises its actor first. A report is checked against the FIU's schema (the
goAML XSD of FINMON_FIU_SCHEMA, patched by the configuration: finmon.reports.goaml.kz_schema) and
read into records outside the write lock; the batch is then stored in one short transaction.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from itertools import islice
from pathlib import Path
from typing import Any

from lxml import etree

from finmon.errors import InputError
from finmon.fiu.intake import (
    Acknowledgement,
    Checked,
    Header,
    Reason,
    check_report,
    read_report,
)
from finmon.fiu.records import Mention, Transfer
from finmon.lists.feed import key_id, load_public_key, public_key_pem, read_public_key
from finmon.reports.goaml import GoamlConfig, kz_schema, load_config
from finmon.services.access import authorize
from finmon.settings import load_settings
from finmon.store import Database
from finmon.store import fiu_intake as store
from finmon.store import fiu_reports as stored
from finmon.store.audit import record_view
from finmon.store.fiu_intake import ENTITY_KINDS, EntityRow, NewEntity, Submission
from finmon.store.fiu_reports import ReportDetail, ReportRow
from finmon.workflow.access import Action

__all__ = ["ENTITY_KINDS", "EntityRow", "ReportDetail", "ReportFile", "ReportRow"]

BATCH = 1000
"""Reports stored in one transaction: each whole or not at all, other writers wait for one batch."""
ACK_COLUMNS = [
    "file",
    "status",
    "report",
    "entity_bin",
    "rentity_id",
    "entity_reference",
    "report_code",
    "version",
    "replaces",
    "reasons",
]
"""The columns of an acknowledgement file (`finmon fiu intake --output ACK.csv`)."""
REPORT_COLUMNS = [field.name for field in fields(ReportRow)]
"""The columns of `finmon fiu reports --output`."""
ENTITY_COLUMNS = [field.name for field in fields(EntityRow)]
"""The columns of `finmon fiu entities list --output`."""


@dataclass(frozen=True, slots=True)
class ReportFile:
    """One submitted report: a name for the acknowledgement and its bytes."""

    name: str
    data: bytes
    size: int | None = None
    """The file's size when it was too large to read (data is then empty)."""


def register_entity(
    actor: str,
    *,
    bin: str,
    goaml_id: int,
    name: str,
    kind: str,
    contact: str = "",
    feed_key_file: Path | None = None,
    feed_public_key: bytes | None = None,
    db: Database | None = None,
) -> EntityRow:
    """Register a reporting entity under its BIN and the goAML id its reports carry, with the
    Ed25519 public key its list-feed receipts are signed with (a PEM file, or PEM bytes);
    audited."""
    who = authorize(actor, Action.FIU_ENTITIES, db)
    if feed_key_file is not None and feed_public_key is not None:
        raise InputError("give the entity's feed key as a file or as PEM, not both")
    key = None
    if feed_key_file is not None:
        key = load_public_key(feed_key_file)
    elif feed_public_key is not None:
        key = read_public_key(feed_public_key, "feed_public_key")
    pem = None if key is None else public_key_pem(key).decode("ascii")
    entity = NewEntity(
        bin, goaml_id, name, kind, contact, pem, None if key is None else key_id(key)
    )
    return store.register_entity(entity, actor=who.name, db=db)


def list_entities(actor: str, db: Database | None = None) -> list[EntityRow]:
    """Every registered reporting entity."""
    authorize(actor, Action.FIU_READ, db)
    return store.list_entities(db)


def intake(
    actor: str,
    files: Iterable[ReportFile | Path],
    *,
    schema: Path | None = None,
    config: Path | None = None,
    db: Database | None = None,
) -> list[Acknowledgement]:
    """Receive reports, as bytes or as files (each read only when its turn comes, and bounded in
    size): each accepted, or rejected with every reason; stored and audited either way, in
    batches of whole reports."""
    who = authorize(actor, Action.FIU_INTAKE, db)
    settings = load_settings()
    goaml = load_config(config or settings.fiu_goaml_config)
    xsd = schema or settings.fiu_schema
    if xsd is None:
        raise InputError(
            "no FIU schema: set FINMON_FIU_SCHEMA (or --schema) to the goAML XSD reports are "
            "validated against"
        )
    limit = settings.max_report_bytes
    checker = _Checker(kz_schema(xsd, goaml), goaml, store.active_entities(db), limit)
    reports = (_read(file, limit) if isinstance(file, Path) else file for file in files)
    acknowledgements: list[Acknowledgement] = []
    for batch in _batches(reports, BATCH):
        submissions = [checker.submission(file) for file in batch]
        acknowledgements += store.save_reports(submissions, actor=who.name, db=db)
    return acknowledgements


intake_files = intake
"""Receive reports from files: `intake` under the name the command line knows."""


def list_reports(actor: str, status: str = "all", db: Database | None = None) -> list[ReportRow]:
    """Received reports, newest first (all, current, accepted or rejected)."""
    authorize(actor, Action.FIU_READ, db)
    return stored.list_reports(status, db)


def get_report(actor: str, key: str, db: Database | None = None) -> ReportDetail:
    """One received report, by key or id, with its records; the reading is audited."""
    who = authorize(actor, Action.FIU_READ, db)
    detail = stored.get_report(key, db)
    record_view(who.name, "fiu.report_viewed", f"fiu_report:{detail.row.key}", db)
    return detail


def report_document(detail: ReportDetail) -> dict[str, Any]:
    """A received report as one JSON document: its row, reason and action, and its records."""
    return {
        **detail.row.to_dict(),
        "reason": detail.reason,
        "action": detail.action,
        "indicators": list(detail.indicators),
        "mentions": [mention_dict(m) for m in detail.mentions],
        "transfers": [transfer_dict(t) for t in detail.transfers],
    }


def mention_dict(mention: Mention) -> dict[str, Any]:
    """A mention as plain values."""
    return {
        "id": mention.id,
        "report": mention.report,
        "entity": mention.entity,
        "kind": mention.kind,
        "name": mention.name,
        "birth_date": mention.birth_date.isoformat() if mention.birth_date else None,
        "nationality": mention.nationality,
        "identifiers": [{"kind": i.kind, "value": i.value} for i in mention.identifiers],
        "seen": mention.seen.isoformat() if mention.seen else None,
    }


def transfer_dict(transfer: Transfer) -> dict[str, Any]:
    """A transfer as plain values."""
    return {
        "report": transfer.report,
        "number": transfer.number,
        "date": transfer.date.isoformat(),
        "amount": transfer.amount,
        "source": transfer.source,
        "target": transfer.target,
    }


def current_mentions(actor: str, db: Database | None = None) -> list[Mention]:
    """The mentions of every current accepted report (for resolution)."""
    authorize(actor, Action.FIU_READ, db)
    return stored.current_mentions(db)


def current_transfers(actor: str, db: Database | None = None) -> list[Transfer]:
    """The transfers of every current accepted report (for link analysis)."""
    authorize(actor, Action.FIU_READ, db)
    return stored.current_transfers(db)


class _Checker:
    """Turns a submitted file into what the store keeps: its records or its reasons."""

    def __init__(
        self,
        schema: etree.XMLSchema,
        config: GoamlConfig,
        entities: dict[int, str],
        max_bytes: int,
    ) -> None:
        self.schema = schema
        self.config = config
        self.entities = entities
        self.max_bytes = max_bytes

    def submission(self, file: ReportFile) -> Submission:
        received = dt.datetime.now(dt.UTC)
        key = f"R{received:%Y%m%d}-{uuid.uuid4().hex[:12].upper()}"
        if file.size is None:
            checked = check_report(file.data, self.schema, self.max_bytes)
        else:
            checked = _too_large(file.size, self.max_bytes)
        header = checked.header
        reasons = list(checked.reasons)
        entity = self.entities.get(header.rentity_id) if header.rentity_id is not None else None
        if header.rentity_id is not None and entity is None:
            line = _line_of(checked.tree, "rentity_id")
            reasons.append(
                Reason(
                    "/report/rentity_id",
                    f"reporting entity {header.rentity_id} is not registered with the FIU",
                    line,
                )
            )
        records = None
        if not reasons and entity is not None:
            records = read_report(
                checked, key=key, entity=entity, config=self.config, received=received
            )
        return Submission(
            file=file.name,
            xml=file.data if len(file.data) <= self.max_bytes else b"",
            sha256=hashlib.sha256(file.data).hexdigest(),
            key=key,
            rentity_id=header.rentity_id,
            entity_reference=header.entity_reference,
            report_code=header.report_code,
            reasons=tuple(reasons),
            records=records,
        )


def _too_large(size: int, limit: int) -> Checked:
    """A file refused unread for its size."""
    reason = Reason("report", f"{size:,} bytes, larger than {limit:,} (FINMON_MAX_REPORT_BYTES)")
    nothing = Header(rentity_id=None, entity_reference=None, report_code=None, submission_date=None)
    return Checked(nothing, None, (reason,))


def _line_of(tree: object, name: str) -> int | None:
    root = getattr(tree, "getroot", lambda: None)()
    if root is None:
        return None
    found = root.find(f"{{*}}{name}")
    return None if found is None else int(found.sourceline)


def _read(path: Path, limit: int) -> ReportFile:
    try:
        size = path.stat().st_size
        if size > limit:
            return ReportFile(str(path), b"", size)
        return ReportFile(str(path), path.read_bytes())
    except OSError as exc:
        raise InputError(f"{path}: cannot read the report: {exc.strerror}") from None


def _batches(files: Iterable[ReportFile], size: int) -> Iterator[list[ReportFile]]:
    iterator = iter(files)
    while batch := list(islice(iterator, size)):
        yield batch
