"""Signed list feeds and receipts: keys, signing, and the refusal of anything altered, foreign or
malformed (finmon.lists.feed)."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import stat
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from finmon.errors import InputError
from finmon.lists import FIXTURE_DIR
from finmon.lists.feed import (
    MAX_RECEIPT_BYTES,
    FeedManifest,
    FeedRefused,
    Receipt,
    ReceiptRefused,
    generate_keys,
    key_id,
    load_private_key,
    load_public_key,
    read_public_key,
    read_receipt,
    sign_feed,
    sign_receipt,
    verify_feed,
)

PAYLOAD = (FIXTURE_DIR / "afm_list_fixture.xml").read_bytes()
PUBLISHED = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)
ENTITY = "000740001307"


def _manifest(key: Ed25519PrivateKey, payload: bytes = PAYLOAD, version: int = 3) -> FeedManifest:
    return FeedManifest(
        source="afm",
        version=version,
        published_at=PUBLISHED,
        list_format="afm-xml",
        list_version="2025-11-03",
        payload_name="afm.xml",
        payload_bytes=len(payload),
        payload_sha256=hashlib.sha256(payload).hexdigest(),
        key_id=key_id(key.public_key()),
    )


def _receipt(key: Ed25519PrivateKey) -> Receipt:
    return Receipt(
        entity=ENTITY,
        source="afm",
        feed_version=3,
        payload_sha256=hashlib.sha256(PAYLOAD).hexdigest(),
        published_at=PUBLISHED,
        applied_at=PUBLISHED + dt.timedelta(minutes=42),
        list_version="2025-11-03",
        outcome="loaded",
        alerts=1,
        key_id=key_id(key.public_key()),
    )


def _edit(document: bytes, change: Any) -> bytes:
    values = json.loads(document)
    change(values)
    return json.dumps(values).encode()


def test_keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites(
    tmp_path: Path,
) -> None:
    private, public = tmp_path / "fiu.key", tmp_path / "fiu.pub"
    ident = generate_keys(private, public)
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert (
        key_id(load_private_key(private).public_key()) == ident == key_id(load_public_key(public))
    )
    before = private.read_bytes()
    with pytest.raises(InputError, match="never overwritten"):
        generate_keys(private, tmp_path / "other.pub")
    assert private.read_bytes() == before
    private.chmod(0o644)
    with pytest.raises(InputError, match="readable by others"):
        load_private_key(private)


def test_a_public_key_is_no_private_key_and_the_reverse(tmp_path: Path) -> None:
    generate_keys(tmp_path / "k", tmp_path / "k.pub")
    with pytest.raises(InputError, match="not an unencrypted PEM private key"):
        (tmp_path / "copy").write_bytes((tmp_path / "k.pub").read_bytes())
        (tmp_path / "copy").chmod(0o600)
        load_private_key(tmp_path / "copy")
    with pytest.raises(InputError, match="not a PEM public key"):
        load_public_key(tmp_path / "k")


def test_a_key_of_another_algorithm_is_refused_as_no_ed25519_key(tmp_path: Path) -> None:
    other = ec.generate_private_key(ec.SECP256R1())
    private = other.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = other.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (tmp_path / "ec").write_bytes(private)
    (tmp_path / "ec").chmod(0o600)
    with pytest.raises(InputError, match="ec: not an Ed25519 private key"):
        load_private_key(tmp_path / "ec")
    with pytest.raises(InputError, match="given: not an Ed25519 public key"):
        read_public_key(public, "given")


def test_a_signed_feed_verifies_and_gives_back_its_payload() -> None:
    key = Ed25519PrivateKey.generate()
    feed = verify_feed(sign_feed(_manifest(key), PAYLOAD, key), key.public_key(), "feed")
    assert feed.payload == PAYLOAD
    assert feed.manifest == _manifest(key)
    assert feed.manifest.published_at == PUBLISHED


def test_a_changed_payload_is_refused() -> None:
    key = Ed25519PrivateKey.generate()
    document = sign_feed(_manifest(key), PAYLOAD, key)
    altered = PAYLOAD.replace("Вершинин".encode(), "Вершинен".encode())
    assert altered != PAYLOAD

    def swap(values: dict[str, Any]) -> None:
        values["payload"] = base64.b64encode(altered).decode()

    with pytest.raises(FeedRefused, match=r"payload .* is not the one the signed manifest names"):
        verify_feed(_edit(document, swap), key.public_key(), "feed")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("version", 4),
        ("published_at", "2026-12-02T09:30:00.000000Z"),
        ("list_version", "2025-11-04"),
    ],
)
def test_a_changed_manifest_is_refused(field: str, value: Any) -> None:
    key = Ed25519PrivateKey.generate()
    document = sign_feed(_manifest(key), PAYLOAD, key)

    def change(values: dict[str, Any]) -> None:
        values["manifest"][field] = value

    with pytest.raises(FeedRefused, match="signature does not verify"):
        verify_feed(_edit(document, change), key.public_key(), "feed")


def test_a_manifest_and_payload_both_changed_are_refused_without_the_key() -> None:
    # What an attacker without the key can do at most: a consistent manifest for another list.
    key = Ed25519PrivateKey.generate()
    document = sign_feed(_manifest(key), PAYLOAD, key)
    other = PAYLOAD + b"<!-- more -->\n"

    def change(values: dict[str, Any]) -> None:
        values["payload"] = base64.b64encode(other).decode()
        values["manifest"]["payload_bytes"] = len(other)
        values["manifest"]["payload_sha256"] = hashlib.sha256(other).hexdigest()

    with pytest.raises(FeedRefused, match="signature does not verify"):
        verify_feed(_edit(document, change), key.public_key(), "feed")


def test_a_feed_signed_by_another_key_is_refused_naming_both() -> None:
    ours, theirs = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    document = sign_feed(_manifest(theirs), PAYLOAD, theirs)
    with pytest.raises(FeedRefused, match=f"signed with key {key_id(theirs.public_key())}"):
        verify_feed(document, ours.public_key(), "feed")

    def claim_ours(values: dict[str, Any]) -> None:
        values["manifest"]["key_id"] = key_id(ours.public_key())

    with pytest.raises(FeedRefused, match="signature does not verify"):
        verify_feed(_edit(document, claim_ours), ours.public_key(), "feed")


def test_a_receipt_signature_does_not_pass_as_a_feed_signature() -> None:
    key = Ed25519PrivateKey.generate()
    document = sign_feed(_manifest(key), PAYLOAD, key)
    receipt = json.loads(sign_receipt(_receipt(key), key))

    def swap(values: dict[str, Any]) -> None:
        values["signature"] = receipt["signature"]

    with pytest.raises(FeedRefused, match="signature does not verify"):
        verify_feed(_edit(document, swap), key.public_key(), "feed")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: v["manifest"].update(version=True), "manifest: version: expected a whole"),
        (lambda v: v["manifest"].update(extra="x"), "manifest: unknown field"),
        (lambda v: v["manifest"].pop("payload_sha256"), "manifest: missing payload_sha256"),
        (lambda v: v.update(format="other/1"), "format is 'other/1'"),
        (lambda v: v["manifest"].update(published_at="2026-12-01"), "expected a UTC time"),
        (lambda v: v.update(signature="!!"), "signature: not base64"),
        (lambda v: v.update(manifest=[]), "manifest: expected an object"),
    ],
)
def test_a_malformed_feed_is_refused_naming_the_field(change: Any, message: str) -> None:
    key = Ed25519PrivateKey.generate()
    document = sign_feed(_manifest(key), PAYLOAD, key)
    with pytest.raises(InputError, match=message):
        verify_feed(_edit(document, change), key.public_key(), "feed")


def test_a_repeated_key_is_refused_rather_than_read_one_way() -> None:
    key = Ed25519PrivateKey.generate()
    document = sign_feed(_manifest(key), PAYLOAD, key).decode()
    doubled = document.replace('"version": 3,', '"version": 3, "version": 9,', 1)
    with pytest.raises(InputError, match="'version' appears twice"):
        verify_feed(doubled.encode(), key.public_key(), "feed")


def test_a_receipt_verifies_with_its_entity_key_only() -> None:
    entity, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    document = sign_receipt(_receipt(entity), entity)
    signed = read_receipt(document, "receipt")
    signed.verify(entity.public_key())
    assert signed.receipt == _receipt(entity)
    with pytest.raises(ReceiptRefused, match="not the entity's registered key"):
        signed.verify(other.public_key())


def test_an_altered_receipt_is_refused() -> None:
    entity = Ed25519PrivateKey.generate()
    document = sign_receipt(_receipt(entity), entity)

    def earlier(values: dict[str, Any]) -> None:
        values["receipt"]["applied_at"] = "2026-12-01T09:31:00.000000Z"

    signed = read_receipt(_edit(document, earlier), "receipt")
    with pytest.raises(ReceiptRefused, match="does not verify"):
        signed.verify(entity.public_key())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda v: v["receipt"].update(entity="000740001308"), "not a valid BIN"),
        (lambda v: v["receipt"].update(outcome="ignored"), "outcome 'ignored'"),
        (lambda v: v["receipt"].update(alerts=-1), "alerts: expected a whole number"),
        (lambda v: v.update(padding="x" * MAX_RECEIPT_BYTES), "larger than"),
    ],
)
def test_a_malformed_receipt_is_refused(change: Any, message: str) -> None:
    entity = Ed25519PrivateKey.generate()
    document = sign_receipt(_receipt(entity), entity)
    with pytest.raises(ReceiptRefused, match=message):
        read_receipt(_edit(document, change), "receipt")
