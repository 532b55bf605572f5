"""Signed, versioned list feeds from the FIU to reporting entities, and the receipts they return.

A feed is one JSON document: `{"format": "finmon-list-feed/1", "manifest": {...}, "signature":
base64, "payload": base64}`. The manifest names the source, the feed's version number (increasing
per source), when it was published (UTC), the list's own format and version label, and the
payload's name, size and sha256, and the id of the publisher's key. The signature is Ed25519 over
a label and the manifest's canonical JSON, so the payload is bound through its sha256; trust comes
from the public key the entity holds, not from the channel (plain HTTP is fine).

A receipt is `{"format": "finmon-list-receipt/1", "receipt": {...}, "signature": base64}`, signed
with the entity's own key: which entity applied which feed version (and payload sha256), when.

Both are read strictly: an unknown or missing field, a duplicate key, a wrong type, a size over
the bound, a signature that does not verify or a payload whose digest differs is refused, naming
the field. The labels keep a feed's signature from passing as a receipt's and the reverse.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import os
import re
import stat
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from finmon.errors import InputError, ListRefused
from finmon.lists.identifiers import is_valid_iin_bin

FEED_FORMAT = "finmon-list-feed/1"
RECEIPT_FORMAT = "finmon-list-receipt/1"
MAX_PAYLOAD_BYTES = 48 * 2**20
"""A list file carried by a feed (AFM's national list is well under 1 MiB)."""
MAX_FEED_BYTES = MAX_PAYLOAD_BYTES * 4 // 3 + 64 * 1024
"""A whole feed document: the payload in base64 and its manifest."""
MAX_RECEIPT_BYTES = 16 * 1024
MAX_KEY_FILE_BYTES = 4096

_Key = TypeVar("_Key", Ed25519PrivateKey, Ed25519PublicKey)

_FEED_LABEL = b"finmon list feed v1\n"
_RECEIPT_LABEL = b"finmon list receipt v1\n"
_SHA256 = re.compile(r"[0-9a-f]{64}")
_KEY_ID = re.compile(r"[0-9a-f]{16}")
_SOURCE = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_TEXT_LIMIT = 200


class FeedRefused(ListRefused):
    """A feed that is not signed by the key given, was altered, or is older than the one
    applied: nothing of it is stored."""


class ReceiptRefused(InputError, http_status=403):
    """A receipt that is malformed, not signed by its entity's registered key, or about a feed
    that was never published."""


class _Signed:
    """A record whose fields are what a signature covers."""

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """The record as signed: plain strings and integers, its times in ISO 8601 UTC."""
        # Every subclass is a dataclass; this base is not one, which mypy cannot see.
        values: dict[str, Any] = asdict(self)  # type: ignore[call-overload]
        return {k: _iso(v) if isinstance(v, dt.datetime) else v for k, v in values.items()}


@dataclass(frozen=True, slots=True)
class FeedManifest(_Signed):
    """What the FIU's signature covers: the feed's identity and its payload's digest."""

    source: str
    version: int
    published_at: dt.datetime
    list_format: str
    list_version: str
    payload_name: str
    payload_bytes: int
    payload_sha256: str
    key_id: str


@dataclass(frozen=True, slots=True)
class Feed:
    """A verified feed: its manifest and the list file it carries."""

    manifest: FeedManifest
    payload: bytes


@dataclass(frozen=True, slots=True)
class Receipt(_Signed):
    """An entity's statement that it applied a feed version, signed with the entity's key."""

    entity: str
    """The entity's BIN."""
    source: str
    feed_version: int
    payload_sha256: str
    published_at: dt.datetime
    applied_at: dt.datetime
    list_version: str
    outcome: str
    """loaded (a new list version became current) or already loaded (it already was)."""
    alerts: int
    """Alerts the re-screening raised (a count, no names)."""
    key_id: str


@dataclass(frozen=True, slots=True)
class SignedReceipt:
    """A receipt as read, before its signature is checked against the entity's key."""

    receipt: Receipt
    message: bytes
    signature: bytes

    def verify(self, public_key: Ed25519PublicKey) -> None:
        """Refuse (ReceiptRefused) unless the entity's key made the signature."""
        if self.receipt.key_id != key_id(public_key):
            raise ReceiptRefused(
                f"receipt of entity {self.receipt.entity}: signed with key "
                f"{self.receipt.key_id}, not the entity's registered key {key_id(public_key)}"
            )
        try:
            public_key.verify(self.signature, self.message)
        except InvalidSignature:
            raise ReceiptRefused(
                f"receipt of entity {self.receipt.entity}: the signature does not verify "
                "against the entity's registered key (altered or forged)"
            ) from None


# Keys


def key_id(public_key: Ed25519PublicKey) -> str:
    """A short fingerprint of a public key: the first 16 hex digits of its raw bytes' sha256."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def generate_keys(private: Path, public: Path) -> str:
    """Write a new Ed25519 key pair (PEM; the private key with mode 0600, neither file
    overwritten); returns the key id."""
    for path in (private, public):
        if path.exists():
            raise InputError(f"{path}: already exists; a key file is never overwritten")
    key = Ed25519PrivateKey.generate()
    private_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public_pem = public_key_pem(key.public_key())
    private.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(private, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(private_pem)
    public.parent.mkdir(parents=True, exist_ok=True)
    with public.open("xb") as handle:
        handle.write(public_pem)
    return key_id(key.public_key())


def public_key_pem(public_key: Ed25519PublicKey) -> bytes:
    """A public key as PEM (SubjectPublicKeyInfo)."""
    return public_key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def load_private_key(path: Path) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM file that only its owner may read."""
    if os.name == "posix" and path.exists() and path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise InputError(f"{path}: a private key readable by others is refused; chmod 600 {path}")
    # mypy takes the key classes for abstract types (python/mypy#4717); they are concrete here.
    return _pem_key(_read_key_file(path), str(path), Ed25519PrivateKey)  # type: ignore[type-abstract]


def load_public_key(path: Path) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file."""
    return read_public_key(_read_key_file(path), str(path))


def read_public_key(data: bytes, where: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM bytes; `where` names them in errors."""
    return _pem_key(data, where, Ed25519PublicKey)  # type: ignore[type-abstract]


def _pem_key(data: bytes, where: str, kind: type[_Key]) -> _Key:
    private = kind is Ed25519PrivateKey
    try:
        if private:
            key: object = serialization.load_pem_private_key(data, password=None)
        else:
            key = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as exc:
        what = "an unencrypted PEM private key" if private else "a PEM public key"
        raise InputError(f"{where}: not {what} ({exc})") from None
    if not isinstance(key, kind):
        raise InputError(f"{where}: not an Ed25519 {'private' if private else 'public'} key")
    return key


def _read_key_file(path: Path) -> bytes:
    if not path.is_file():
        raise InputError(f"{path}: no such key file")
    with path.open("rb") as handle:
        data = handle.read(MAX_KEY_FILE_BYTES + 1)
    if len(data) > MAX_KEY_FILE_BYTES:
        raise InputError(f"{path}: larger than {MAX_KEY_FILE_BYTES} bytes; not a key file")
    return data


# Feeds


def sign_feed(manifest: FeedManifest, payload: bytes, private_key: Ed25519PrivateKey) -> bytes:
    """The feed document (UTF-8 JSON) for a manifest and its payload, signed."""
    if manifest.key_id != key_id(private_key.public_key()):
        raise InputError("the manifest names another key than the one signing it")
    if hashlib.sha256(payload).hexdigest() != manifest.payload_sha256:
        raise InputError("the manifest's sha256 is not the payload's")
    signed = manifest.to_dict()
    document = {
        "format": FEED_FORMAT,
        "manifest": signed,
        "signature": _b64(private_key.sign(_FEED_LABEL + _canonical(signed))),
        "payload": _b64(payload),
    }
    return json.dumps(document, ensure_ascii=True, indent=1).encode("ascii")


def verify_feed(data: bytes, public_key: Ed25519PublicKey, where: str) -> Feed:
    """A feed document checked against the publisher's public key: FeedRefused when it was
    altered or signed by another key, InputError when it is no feed at all."""
    if len(data) > MAX_FEED_BYTES:
        raise InputError(f"{where}: larger than {MAX_FEED_BYTES} bytes; not a list feed")
    document = _object(_json(data, where), where)
    _fields(document, {"format", "manifest", "signature", "payload"}, where)
    if document["format"] != FEED_FORMAT:
        raise InputError(f"{where}: format is {document['format']!r}, not {FEED_FORMAT!r}")
    signed = _object(document["manifest"], f"{where}: manifest")
    manifest = _manifest(signed, f"{where}: manifest")
    expected = key_id(public_key)
    if manifest.key_id != expected:
        raise FeedRefused(
            f"{where}: signed with key {manifest.key_id}, not the publisher's key {expected} "
            "given with --key; refused, nothing changed"
        )
    signature = _unb64(document["signature"], f"{where}: signature", 64)
    try:
        public_key.verify(signature, _FEED_LABEL + _canonical(signed))
    except InvalidSignature:
        raise FeedRefused(
            f"{where}: the manifest's signature does not verify against the publisher's key "
            f"{expected}: the feed was altered; refused, nothing changed"
        ) from None
    payload = _unb64(document["payload"], f"{where}: payload", MAX_PAYLOAD_BYTES, exact=False)
    digest = hashlib.sha256(payload).hexdigest()
    if len(payload) != manifest.payload_bytes or digest != manifest.payload_sha256:
        raise FeedRefused(
            f"{where}: the payload ({len(payload)} bytes, sha256 {digest[:12]}...) is not the one "
            f"the signed manifest names ({manifest.payload_bytes} bytes, sha256 "
            f"{manifest.payload_sha256[:12]}...): the feed was altered; refused, nothing changed"
        )
    return Feed(manifest, payload)


def _manifest(signed: dict[str, Any], where: str) -> FeedManifest:
    names = set(FeedManifest.__dataclass_fields__)
    _fields(signed, names, where)
    return FeedManifest(
        source=_source(signed["source"], f"{where}: source"),
        version=_count(signed["version"], f"{where}: version", least=1),
        published_at=_instant(signed["published_at"], f"{where}: published_at"),
        list_format=_text(signed["list_format"], f"{where}: list_format"),
        list_version=_text(signed["list_version"], f"{where}: list_version"),
        payload_name=_text(signed["payload_name"], f"{where}: payload_name"),
        payload_bytes=_count(signed["payload_bytes"], f"{where}: payload_bytes", least=1),
        payload_sha256=_pattern(signed["payload_sha256"], _SHA256, f"{where}: payload_sha256"),
        key_id=_pattern(signed["key_id"], _KEY_ID, f"{where}: key_id"),
    )


# Receipts


def sign_receipt(receipt: Receipt, private_key: Ed25519PrivateKey) -> bytes:
    """The receipt document (UTF-8 JSON), signed with the entity's key."""
    signed = receipt.to_dict()
    document = {
        "format": RECEIPT_FORMAT,
        "receipt": signed,
        "signature": _b64(private_key.sign(_RECEIPT_LABEL + _canonical(signed))),
    }
    return json.dumps(document, ensure_ascii=True, indent=1).encode("ascii")


def read_receipt(data: bytes, where: str) -> SignedReceipt:
    """A receipt document read strictly; its signature is checked by `SignedReceipt.verify`
    once the entity's key is found."""
    if len(data) > MAX_RECEIPT_BYTES:
        raise ReceiptRefused(f"{where}: larger than {MAX_RECEIPT_BYTES} bytes; not a receipt")
    try:
        document = _object(_json(data, where), where)
        _fields(document, {"format", "receipt", "signature"}, where)
        if document["format"] != RECEIPT_FORMAT:
            raise InputError(f"{where}: format is {document['format']!r}, not {RECEIPT_FORMAT!r}")
        signed = _object(document["receipt"], f"{where}: receipt")
        receipt = _receipt(signed, f"{where}: receipt")
        signature = _unb64(document["signature"], f"{where}: signature", 64)
    except ReceiptRefused:
        raise
    except InputError as exc:
        raise ReceiptRefused(str(exc)) from None
    return SignedReceipt(receipt, _RECEIPT_LABEL + _canonical(signed), signature)


def _receipt(signed: dict[str, Any], where: str) -> Receipt:
    _fields(signed, set(Receipt.__dataclass_fields__), where)
    entity = _text(signed["entity"], f"{where}: entity")
    if not is_valid_iin_bin(entity):
        raise InputError(f"{where}: entity {entity!r} is not a valid BIN")
    outcome = _text(signed["outcome"], f"{where}: outcome")
    if outcome not in ("loaded", "already loaded"):
        raise InputError(f"{where}: outcome {outcome!r} is neither 'loaded' nor 'already loaded'")
    return Receipt(
        entity=entity,
        source=_source(signed["source"], f"{where}: source"),
        feed_version=_count(signed["feed_version"], f"{where}: feed_version", least=1),
        payload_sha256=_pattern(signed["payload_sha256"], _SHA256, f"{where}: payload_sha256"),
        published_at=_instant(signed["published_at"], f"{where}: published_at"),
        applied_at=_instant(signed["applied_at"], f"{where}: applied_at"),
        list_version=_text(signed["list_version"], f"{where}: list_version"),
        outcome=outcome,
        alerts=_count(signed["alerts"], f"{where}: alerts", least=0),
        key_id=_pattern(signed["key_id"], _KEY_ID, f"{where}: key_id"),
    )


# Strict reading


def _canonical(values: dict[str, Any]) -> bytes:
    # Only strings and integers are signed, so this text is the same wherever it is made.
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _json(data: bytes, where: str) -> Any:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, value in items:
            if key in found:
                raise InputError(f"{where}: the key {key!r} appears twice")
            found[key] = value
        return found

    def constant(name: str) -> Any:
        raise InputError(f"{where}: {name} is not a number")

    try:
        return json.loads(data.decode("utf-8"), object_pairs_hook=pairs, parse_constant=constant)
    except UnicodeDecodeError:
        raise InputError(f"{where}: not UTF-8 text") from None
    except (ValueError, RecursionError) as exc:
        if isinstance(exc, InputError):
            raise
        raise InputError(f"{where}: not JSON ({exc})") from None


def _object(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise InputError(f"{where}: expected an object")
    return value


def _fields(values: dict[str, Any], names: set[str], where: str) -> None:
    missing = sorted(names - set(values))
    unknown = sorted(set(values) - names)
    if missing:
        raise InputError(f"{where}: missing {', '.join(missing)}")
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(unknown)}")


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f"{where}: expected non-empty text")
    if len(value) > _TEXT_LIMIT or not value.isprintable():
        raise InputError(f"{where}: longer than {_TEXT_LIMIT} characters or not printable")
    return value


def _source(value: Any, where: str) -> str:
    return _pattern(value, _SOURCE, where)


def _pattern(value: Any, pattern: re.Pattern[str], where: str) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value):
        raise InputError(f"{where}: {value!r} does not have the expected layout")
    return value


def _count(value: Any, where: str, *, least: int) -> int:
    # bool is an int in Python; JSON's true is no count.
    if isinstance(value, bool) or not isinstance(value, int) or not least <= value < 2**53:
        raise InputError(f"{where}: expected a whole number of at least {least}")
    return value


def _instant(value: Any, where: str) -> dt.datetime:
    if not isinstance(value, str) or not value.endswith("Z") or len(value) > 40:
        raise InputError(f"{where}: expected a UTC time such as 2026-12-06T05:00:00Z")
    try:
        stamp = dt.datetime.fromisoformat(value[:-1] + "+00:00")
    except ValueError:
        raise InputError(f"{where}: {value!r} is not an ISO 8601 time") from None
    return stamp.astimezone(dt.UTC)


def _iso(stamp: dt.datetime) -> str:
    if stamp.tzinfo is None:
        raise ValueError("a feed's times are aware")
    return stamp.astimezone(dt.UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(value: Any, where: str, size: int, *, exact: bool = True) -> bytes:
    if not isinstance(value, str) or len(value) > (size + 2) // 3 * 4:
        raise InputError(f"{where}: expected base64 text of at most {size} bytes")
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise InputError(f"{where}: not base64") from None
    if exact and len(data) != size:
        raise InputError(f"{where}: expected {size} bytes, found {len(data)}")
    return data
