"""The national list out: the FIU publishes a signed, versioned feed of its list; a reporting
entity fetches it, verifies it against the FIU's public key, loads it (re-screening its customers)
and returns a receipt signed with its own key; the FIU verifies the receipt and keeps the clock
from publication to each entity's application (docs/fiu.md, "The national list out").

Serving a feed and receiving a receipt are not authorised actions: the feed's signature is its
trust (the list is public), and a receipt is authenticated by its entity's registered key, as
`finmon.services.users` establishes an actor without authorising anything.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlsplit

from finmon.errors import InputError
from finmon.fiu.feed import applied_status, hours_between
from finmon.lists import parse_files
from finmon.lists.feed import (
    MAX_FEED_BYTES,
    MAX_PAYLOAD_BYTES,
    FeedManifest,
    FeedRefused,
    Receipt,
    key_id,
    load_private_key,
    load_public_key,
    public_key_pem,
    read_receipt,
    sign_feed,
    sign_receipt,
    verify_feed,
)
from finmon.lists.fetch import post_receipt, read_feed
from finmon.lists.identifiers import is_valid_iin_bin
from finmon.model import ParsedList
from finmon.services.access import authorize
from finmon.settings import load_settings
from finmon.store import Database
from finmon.store import feed as store
from finmon.store.feed import Published, ReceiptRow
from finmon.store.lists import LoadResult
from finmon.store.models import utc_now
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

__all__ = ["PUBLISHED_FORMATS", "Fetched", "Published", "ReceiptRow"]

PUBLISHED_FORMATS = {"afm": "afm-xml"}
"""The lists an FIU publishes as feeds, and their format."""
_SUFFIX = {"afm-xml": ".xml"}

RECEIPT_COLUMNS = [
    "entity_bin",
    "source",
    "feed_version",
    "published_at",
    "applied_at",
    "received_at",
    "hours_to_apply",
    "status",
    "outcome",
    "alerts",
]


@dataclass(frozen=True, slots=True)
class Fetched:
    """A feed an entity fetched, verified and applied, and where its receipt goes."""

    manifest: FeedManifest
    applied_id: int
    load: LoadResult
    receipt: bytes
    receipt_url: str | None
    """Where the receipt is POSTed: beside the feed (…/feed/receipts) when it came over HTTP."""


# The FIU's side


def publish_feed(
    actor: str, path: Path, private_key: Path, *, source: str = "afm", db: Database | None = None
) -> Published:
    """Parse a list file strictly and publish it as the next signed version of the source's
    feed (the same file as the latest version is not published again)."""
    who = authorize(actor, Action.PUBLISH_LISTS, db)
    format = PUBLISHED_FORMATS.get(source)
    if format is None:
        raise InputError(f"{source!r}: only {', '.join(PUBLISHED_FORMATS)} is published as a feed")
    key = load_private_key(private_key)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    if path.stat().st_size > MAX_PAYLOAD_BYTES:
        raise InputError(f"{path}: larger than {MAX_PAYLOAD_BYTES} bytes; not a list to publish")
    payload = path.read_bytes()
    parsed = _parse_payload(payload, format, source, path.suffix or ".xml", str(path))

    def sign(manifest: FeedManifest, data: bytes) -> bytes:
        document = sign_feed(manifest, data, key)
        # What is published must pass the entities' strict reading (a file name too long, say).
        verify_feed(document, key.public_key(), f"the feed of {path}")
        return document

    return store.publish(
        parsed, payload, path.name, key_id(key.public_key()), sign, actor=who.name, db=db
    )


def feed_document(source: str, version: int | None = None, db: Database | None = None) -> bytes:
    """A published feed as served (public: its signature, not the channel, is the trust)."""
    return store.feed_document(source, version, db)


def register_entity_key(
    actor: str, entity_bin: str, public_key: Path, db: Database | None = None
) -> tuple[str, bool]:
    """Register (or replace) the public key of a reporting entity's receipts; the key id and
    whether anything changed."""
    who = authorize(actor, Action.FIU_ENTITIES, db)
    _check_bin(entity_bin, "the entity's BIN")
    key = load_public_key(public_key)
    ident = key_id(key)
    changed = store.register_entity_key(
        entity_bin, public_key_pem(key), ident, actor=who.name, db=db
    )
    return ident, changed


def receive_receipt(document: bytes, db: Database | None = None) -> tuple[ReceiptRow, bool]:
    """A receipt POSTed by an entity: verified against its registered key and the feed it names,
    stored (False when that entity's receipt for that version was already received)."""
    signed = read_receipt(document, "receipt")
    return store.receive_receipt(signed, document, db)


def receipt_report(
    actor: str,
    *,
    source: str = "afm",
    version: int | None = None,
    now: dt.datetime | None = None,
    db: Database | None = None,
) -> tuple[int, list[dict[str, Any]]]:
    """Which entities applied a feed version (the latest by default) and when: the hours from
    publication to application and each entity's standing (in time, late, waiting, overdue)."""
    authorize(actor, Action.FIU_READ, db)
    number, rows = store.receipts(source, version, db)
    moment = now or utc_now()
    return number, [_report_row(row, moment) for row in rows]


def _report_row(row: ReceiptRow, now: dt.datetime) -> dict[str, Any]:
    return {
        "entity_bin": row.entity_bin,
        "source": row.source,
        "feed_version": row.feed_version,
        "published_at": row.published_at.isoformat(),
        "applied_at": None if row.applied_at is None else row.applied_at.isoformat(),
        "received_at": None if row.received_at is None else row.received_at.isoformat(),
        "hours_to_apply": None
        if row.applied_at is None
        else hours_between(row.published_at, row.applied_at),
        "status": str(applied_status(row.published_at, row.applied_at, now)),
        "outcome": row.outcome,
        "alerts": row.alerts,
    }


# The entity's side


def fetch_feed(
    actor: str,
    location: str,
    public_key: Path,
    *,
    source: str = "afm",
    receipt_key: Path | None = None,
    entity_bin: str | None = None,
    receipt_url: str | None = None,
    force: bool = False,
    workers: int = 1,
    db: Database | None = None,
) -> Fetched:
    """Download a feed (bounded, with the fetch timeout), verify it against the FIU's key, load
    its list as the source's new version (re-screening the customers) and sign a receipt, in one
    transaction; a tampered, foreign or older feed is refused and changes nothing."""
    who = authorize(actor, Action.LOAD_LISTS, db)
    settings = load_settings()
    publisher = load_public_key(public_key)
    signer, entity = _receipt_signer(receipt_key, entity_bin)
    data = read_feed(location, timeout=settings.fetch_timeout, max_bytes=MAX_FEED_BYTES)
    feed = verify_feed(data, publisher, location)
    manifest = feed.manifest
    suffix = _list_suffix(manifest, source, location)
    store.check_order(manifest, force=force, db=db)
    name = f"{source}_feed_v{manifest.version}{suffix}"
    kept = load_settings().home / "downloads" / name
    existed = kept.exists()
    parsed = _parse_payload(feed.payload, manifest.list_format, source, suffix, location, name)

    def sign(load: LoadResult, applied_at: dt.datetime) -> bytes:
        alerts = load.rescreen.alerts if load.rescreen is not None else 0
        receipt = Receipt(
            entity=entity,
            source=manifest.source,
            feed_version=manifest.version,
            payload_sha256=manifest.payload_sha256,
            published_at=manifest.published_at,
            applied_at=applied_at,
            list_version=load.version,
            outcome=load.status,
            alerts=alerts,
            key_id=key_id(signer.public_key()),
        )
        return sign_receipt(receipt, signer)

    try:
        applied = store.apply_feed(
            feed, parsed, sign, actor=who.name, force=force, workers=workers, db=db
        )
    except BaseException:
        # A refused feed leaves nothing behind, not even its list file among the downloads.
        if not existed:
            kept.unlink(missing_ok=True)
        raise
    url = receipt_url
    if url is None and urlsplit(location).scheme.lower() in ("http", "https"):
        url = urljoin(location, "receipts")
    return Fetched(manifest, applied.id, applied.load, applied.receipt, url)


def _receipt_signer(key: Path | None, entity_bin: str | None) -> tuple[Ed25519PrivateKey, str]:
    """The entity's receipt key and BIN, from the options or the settings."""
    settings = load_settings()
    signing_path = key or settings.receipt_key
    if signing_path is None:
        raise InputError("a receipt is signed with the entity's key: give --receipt-key PRIVATE")
    signer = load_private_key(signing_path)
    entity = entity_bin or settings.entity_bin
    if not entity:
        raise InputError("a receipt names the entity: give --entity BIN (or FINMON_ENTITY_BIN)")
    _check_bin(entity, "the entity's BIN (--entity or FINMON_ENTITY_BIN)")
    return signer, entity


def _list_suffix(manifest: FeedManifest, source: str, location: str) -> str:
    """The file suffix of the feed's list; FeedRefused for a feed of another list or format."""
    if manifest.source != source:
        raise FeedRefused(f"{location}: a feed of {manifest.source!r}, not of {source!r}")
    suffix = _SUFFIX.get(manifest.list_format)
    if suffix is None or PUBLISHED_FORMATS.get(source) != manifest.list_format:
        raise FeedRefused(
            f"{location}: carries a {manifest.list_format!r} list, not a {source} one"
        )
    return suffix


def deliver_receipt(actor: str, fetched: Fetched, db: Database | None = None) -> str:
    """POST an applied feed's receipt to the FIU and note that it arrived; the FIU's answer."""
    who = authorize(actor, Action.LOAD_LISTS, db)
    if fetched.receipt_url is None:
        raise InputError("no address to send the receipt to: give --receipts-url or --receipt F")
    answer = post_receipt(
        fetched.receipt_url, fetched.receipt, timeout=load_settings().fetch_timeout
    )
    store.receipt_sent(fetched.applied_id, fetched.receipt_url, actor=who.name, db=db)
    return answer


def _parse_payload(
    payload: bytes, format: str, source: str, suffix: str, where: str, name: str | None = None
) -> ParsedList:
    """The list a payload holds, parsed strictly as `lists load` parses a file."""
    folder = load_settings().home / "downloads"
    folder.mkdir(parents=True, exist_ok=True)
    if name is None:
        with tempfile.NamedTemporaryFile(dir=folder, suffix=suffix, delete=False) as handle:
            handle.write(payload)
            path = Path(handle.name)
        try:
            return parse_files([path], format=format, source=source)
        finally:
            path.unlink(missing_ok=True)
    path = folder / name
    part = folder / f"{name}.part"
    part.write_bytes(payload)
    part.replace(path)
    try:
        return parse_files([path], format=format, source=source)
    except InputError as exc:
        path.unlink(missing_ok=True)
        raise FeedRefused(f"{where}: the signed list does not parse: {exc}") from None


def _check_bin(value: str, what: str) -> None:
    if not is_valid_iin_bin(value):
        raise InputError(f"{what} {value!r} is not a valid 12-digit BIN (layout or check digit)")
