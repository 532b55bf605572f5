"""The national list out, in the store: feeds the FIU published, the entities' keys and receipts
(the FIU's side), and the feeds a reporting entity applied (the entity's side).

Each step is one transaction with its audit row: a refused feed or receipt stores nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from finmon.errors import NotFound, WorkflowRefused
from finmon.lists.feed import (
    Feed,
    FeedManifest,
    FeedRefused,
    ReceiptRefused,
    SignedReceipt,
    read_public_key,
)
from finmon.model import ParsedList
from finmon.store.audit import append_audit, audit_object
from finmon.store.engine import Database, default_database
from finmon.store.lists import LoadResult, write_versions
from finmon.store.models import AppliedFeed, FeedReceipt, FiuEntity, ListFeed, utc_now


@dataclass(frozen=True, slots=True)
class Published:
    """A feed version the FIU published (or found already published with the same payload)."""

    source: str
    version: int
    published_at: dt.datetime
    list_version: str
    designation_count: int
    payload_sha256: str
    document: bytes
    new: bool


@dataclass(frozen=True, slots=True)
class ReceiptRow:
    """One entity against one feed version: when it applied it, if it did."""

    entity_bin: str
    source: str
    feed_version: int
    published_at: dt.datetime
    applied_at: dt.datetime | None
    received_at: dt.datetime | None
    outcome: str | None
    alerts: int | None


@dataclass(frozen=True, slots=True)
class Applied:
    """A feed applied at an entity: the list load's result and the signed receipt."""

    id: int
    load: LoadResult
    receipt: bytes


# The FIU's side


def publish(
    parsed: ParsedList,
    payload: bytes,
    payload_name: str,
    key_id: str,
    sign: Callable[[FeedManifest, bytes], bytes],
    *,
    actor: str,
    db: Database | None = None,
) -> Published:
    """Store the next version of a source's feed, signed; the same payload as the latest version
    is not published again."""
    db = db or default_database()
    digest = hashlib.sha256(payload).hexdigest()
    with db.write() as session:
        latest = _latest_feed(session, parsed.source)
        if latest is not None and latest.payload_sha256 == digest and latest.key_id == key_id:
            return _published(latest, new=False)
        manifest = FeedManifest(
            source=parsed.source,
            version=(latest.version + 1) if latest is not None else 1,
            published_at=utc_now(),
            list_format=parsed.format,
            list_version=parsed.version,
            payload_name=payload_name,
            payload_bytes=len(payload),
            payload_sha256=digest,
            key_id=key_id,
        )
        row = ListFeed(
            source=manifest.source,
            version=manifest.version,
            published_at=manifest.published_at,
            published_by=actor,
            list_version=manifest.list_version,
            designation_count=len(parsed.designations),
            payload_sha256=digest,
            key_id=key_id,
            document=sign(manifest, payload).decode("ascii"),
        )
        session.add(row)
        session.flush()
        audit_object(
            session,
            "feed.publish",
            row.source,
            actor=actor,
            before=None if latest is None else {"version": latest.version},
            after={
                "version": row.version,
                "list_version": row.list_version,
                "designations": row.designation_count,
                "payload_sha256": digest,
                "key_id": key_id,
            },
        )
        return _published(row, new=True)


def feed_document(source: str, version: int | None = None, db: Database | None = None) -> bytes:
    """The signed feed document of a source: its latest version, or the one asked for."""
    db = db or default_database()
    with db.read() as session:
        return _feed(session, source, version).document.encode("ascii")


def _feed(session: Session, source: str, version: int | None) -> ListFeed:
    """A published feed version of a source (the latest when version is None); NotFound if none."""
    query = select(ListFeed).where(ListFeed.source == source)
    if version is not None:
        query = query.where(ListFeed.version == version)
    row = session.scalars(query.order_by(ListFeed.version.desc())).first()
    if row is None:
        what = f"version {version} of " if version is not None else ""
        raise NotFound(f"no {what}feed of {source!r} is published")
    return row


def register_entity_key(
    entity_bin: str, public_pem: bytes, key_id: str, *, actor: str, db: Database | None = None
) -> bool:
    """Record (or replace) the public key a registered entity's receipts are verified against,
    on its entry in the registry of reporting entities; False when it was already that key."""
    db = db or default_database()
    with db.write() as session:
        row = session.scalars(select(FiuEntity).where(FiuEntity.bin == entity_bin)).first()
        if row is None:
            raise WorkflowRefused(
                f"entity {entity_bin} is not registered: register it first (finmon fiu entities "
                "add ... --feed-key-file PUB.pem registers its key with it)"
            )
        if row.feed_public_key is not None and row.feed_key == key_id:
            return False
        before = {"key_id": row.feed_key} if row.feed_public_key is not None else None
        row.feed_public_key = public_pem.decode("ascii")
        row.feed_key = key_id
        row.feed_key_at = utc_now()
        row.feed_key_by = actor
        session.flush()
        append_audit(
            session,
            actor=actor,
            action="feed.entity_key",
            object=f"entity:{entity_bin}",
            before=before,
            after={"key_id": key_id},
        )
        return True


def receive_receipt(
    signed: SignedReceipt, document: bytes, db: Database | None = None
) -> tuple[ReceiptRow, bool]:
    """Verify a receipt against its entity's registered key and the feed it names, and store
    it; the first receipt of an entity for a version stands (False: already received)."""
    receipt = signed.receipt
    db = db or default_database()
    with db.write() as session:
        entity = session.scalars(select(FiuEntity).where(FiuEntity.bin == receipt.entity)).first()
        if entity is None or entity.feed_public_key is None:
            raise ReceiptRefused(f"receipt: no key is registered for entity {receipt.entity}")
        if not entity.active:
            raise ReceiptRefused(f"receipt: entity {receipt.entity} is no longer active")
        pem = entity.feed_public_key.encode("ascii")
        signed.verify(read_public_key(pem, f"entity {entity.bin}"))
        feed = session.scalars(
            select(ListFeed).where(
                ListFeed.source == receipt.source, ListFeed.version == receipt.feed_version
            )
        ).first()
        if feed is None or feed.payload_sha256 != receipt.payload_sha256:
            raise ReceiptRefused(
                f"receipt of entity {receipt.entity}: no feed {receipt.source} version "
                f"{receipt.feed_version} with that sha256 was published here"
            )
        found = session.scalars(
            select(FeedReceipt).where(
                FeedReceipt.feed_id == feed.id, FeedReceipt.entity_bin == receipt.entity
            )
        ).first()
        if found is not None:
            return _row(feed, receipt.entity, found), False
        row = FeedReceipt(
            feed_id=feed.id,
            entity_bin=receipt.entity,
            applied_at=receipt.applied_at,
            received_at=utc_now(),
            outcome=receipt.outcome,
            alerts=receipt.alerts,
            document=document.decode("ascii"),
        )
        session.add(row)
        session.flush()
        append_audit(
            session,
            actor=f"entity:{receipt.entity}",
            action="feed.receipt",
            object=f"feed:{feed.source}:{feed.version}",
            after={
                "entity": receipt.entity,
                "version": feed.version,
                "applied_at": receipt.applied_at.isoformat(),
                "outcome": receipt.outcome,
                "alerts": receipt.alerts,
                "key_id": receipt.key_id,
            },
            reason="signed receipt verified against the entity's registered key",
        )
        return _row(feed, receipt.entity, row), True


def receipts(
    source: str, version: int | None = None, db: Database | None = None
) -> tuple[int, list[ReceiptRow]]:
    """For one feed version (the latest by default): every registered entity and every entity
    that sent a receipt, with its receipt if any; and that version's number."""
    db = db or default_database()
    with db.read() as session:
        feed = _feed(session, source, version)
        got = {
            row.entity_bin: row
            for row in session.scalars(select(FeedReceipt).where(FeedReceipt.feed_id == feed.id))
        }
        # Every active reporting entity is on the clock, whether or not its key is registered.
        registered = session.scalars(select(FiuEntity.bin).where(FiuEntity.active))
        entities = set(registered) | set(got)
        return feed.version, [_row(feed, bin_, got.get(bin_)) for bin_ in sorted(entities)]


# The entity's side


def last_applied(session: Session, source: str) -> AppliedFeed | None:
    """The newest feed version of a source this installation applied."""
    query = (
        select(AppliedFeed)
        .where(AppliedFeed.source == source)
        .order_by(AppliedFeed.feed_version.desc(), AppliedFeed.id.desc())
    )
    return session.scalars(query).first()


def check_order(manifest: FeedManifest, *, force: bool, db: Database | None = None) -> None:
    """Refuse (FeedRefused) a feed older than the one applied, or the same unless forced."""
    db = db or default_database()
    with db.read() as session:
        _check_order(manifest, last_applied(session, manifest.source), force)


def _check_order(manifest: FeedManifest, before: AppliedFeed | None, force: bool) -> None:
    if before is not None and manifest.version < before.feed_version:
        raise FeedRefused(
            f"feed {manifest.source} version {manifest.version} is older than version "
            f"{before.feed_version}, applied {before.applied_at:%Y-%m-%d %H:%M} UTC; "
            "refused, nothing changed"
        )
    if before is not None and manifest.version == before.feed_version and not force:
        raise FeedRefused(
            f"feed {manifest.source} version {manifest.version} was already applied "
            f"{before.applied_at:%Y-%m-%d %H:%M} UTC; nothing changed (--force applies it "
            "again)"
        )


def apply_feed(
    feed: Feed,
    parsed: ParsedList,
    sign_receipt: Callable[[LoadResult, dt.datetime], bytes],
    *,
    actor: str,
    force: bool = False,
    workers: int = 1,
    db: Database | None = None,
) -> Applied:
    """Load a verified feed's list as the source's new version (re-screening the customers),
    record the feed and its signed receipt, all in one transaction: a feed older than the one
    applied is refused, the same version unless forced."""
    manifest = feed.manifest
    db = db or default_database()
    with db.write() as session:
        before = last_applied(session, manifest.source)
        _check_order(manifest, before, force)  # again, under the write lock
        load = write_versions(session, [parsed], actor=actor, force=force, workers=workers)[0]
        applied_at = utc_now()
        receipt = sign_receipt(load, applied_at)
        row = AppliedFeed(
            source=manifest.source,
            feed_version=manifest.version,
            published_at=manifest.published_at,
            payload_sha256=manifest.payload_sha256,
            key_id=manifest.key_id,
            list_version_id=load.list_version_id,
            applied_at=applied_at,
            applied_by=actor,
            receipt=receipt.decode("ascii"),
        )
        session.add(row)
        session.flush()
        append_audit(
            session,
            actor=actor,
            action="feed.apply",
            object=f"list:{manifest.source}",
            before=None if before is None else {"feed_version": before.feed_version},
            after={
                "feed_version": manifest.version,
                "published_at": manifest.published_at.isoformat(),
                "payload_sha256": manifest.payload_sha256,
                "key_id": manifest.key_id,
                "list_version": load.version,
                "outcome": load.status,
            },
            reason="forced: the same feed version again" if before and force else None,
        )
        return Applied(row.id, load, receipt)


def receipt_sent(applied_id: int, url: str, *, actor: str, db: Database | None = None) -> None:
    """Note that an applied feed's receipt reached the FIU."""
    db = db or default_database()
    with db.write() as session:
        row = session.get(AppliedFeed, applied_id)
        if row is None:
            raise NotFound(f"no applied feed {applied_id}")
        row.receipt_sent_at = utc_now()
        row.receipt_sent_to = url
        append_audit(
            session,
            actor=actor,
            action="feed.receipt_sent",
            object=f"list:{row.source}",
            after={"feed_version": row.feed_version, "to": url},
        )


def _latest_feed(session: Session, source: str) -> ListFeed | None:
    query = select(ListFeed).where(ListFeed.source == source)
    return session.scalars(query.order_by(ListFeed.version.desc())).first()


def _published(row: ListFeed, *, new: bool) -> Published:
    return Published(
        row.source,
        row.version,
        row.published_at,
        row.list_version,
        row.designation_count,
        row.payload_sha256,
        row.document.encode("ascii"),
        new,
    )


def _row(feed: ListFeed, entity_bin: str, got: FeedReceipt | None) -> ReceiptRow:
    return ReceiptRow(
        entity_bin=entity_bin,
        source=feed.source,
        feed_version=feed.version,
        published_at=feed.published_at,
        applied_at=None if got is None else got.applied_at,
        received_at=None if got is None else got.received_at,
        outcome=None if got is None else got.outcome,
        alerts=None if got is None else got.alerts,
    )
