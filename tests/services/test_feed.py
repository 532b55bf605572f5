"""The national list out through its services, on SQLite and PostgreSQL: publishing versions,
applying a feed (refusing tampered, older and repeated ones without changing anything), and the
receipts' clock at the FIU."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select, text

from finmon.errors import InputError, WorkflowRefused
from finmon.lists import FIXTURE_DIR
from finmon.lists.feed import (
    FeedRefused,
    Receipt,
    ReceiptRefused,
    generate_keys,
    key_id,
    sign_receipt,
)
from finmon.lists.feed import load_private_key as private_key
from finmon.services import feed, fiu_intake
from finmon.services.customers import import_customers
from finmon.store import Database, default_database
from finmon.store.models import AppliedFeed, AuditEntry, ListVersion
from tests.conftest import direct_sql

AFM = FIXTURE_DIR / "afm_list_fixture.xml"
ENTITY = "000740001307"
OTHER_ENTITY = "000740001319"
NEW_PERSON = """  <person>
    <fname>Бекзат</fname>
    <mname>Нурланович</mname>
    <lname>Оразбаев</lname>
    <birthdate>11.09.1983</birthdate>
    <note/>
    <correction/>
    <added_to_list>08.11.2025</added_to_list>
  </person>
</afm_list>"""
CUSTOMERS = (
    "id,full_name,birth_date,nationality,iin,schema,gender,accounts\n"
    "C100,Оразбаев Бекзат Нурланович,1983-09-11,KZ,,person,male,\n"
    "C101,Сергеева Анна Павловна,1990-02-02,KZ,,person,female,\n"
)


def second_version(folder: Path) -> Path:
    """The fixture list a week later with one person added (a customer of CUSTOMERS)."""
    text_ = AFM.read_text(encoding="utf-8")
    text_ = text_.replace('date="2025-11-03"', 'date="2025-11-10"')
    path = folder / "afm_2025-11-10.xml"
    path.write_text(text_.replace("</afm_list>", NEW_PERSON), encoding="utf-8")
    return path


def keys(folder: Path) -> dict[str, Path]:
    """The FIU's and the entity's key pairs."""
    folder.mkdir(parents=True, exist_ok=True)
    found = {}
    for who in ("fiu", "entity"):
        found[who], found[f"{who}.pub"] = folder / who, folder / f"{who}.pub"
        generate_keys(found[who], found[f"{who}.pub"])
    return found


def _count(model: type, db: Database | None = None) -> int:
    with (db or default_database()).read() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def _state() -> tuple[int, int, int, list[tuple[str, bool]]]:
    with default_database().read() as session:
        versions = [
            (row.version, row.is_current)
            for row in session.scalars(select(ListVersion).order_by(ListVersion.id))
        ]
    return _count(ListVersion), _count(AppliedFeed), _count(AuditEntry), versions


@pytest.fixture
def setup(tmp_path: Path) -> dict[str, Path]:
    found = keys(tmp_path / "keys")
    found["v2"] = second_version(tmp_path)
    customers = tmp_path / "customers.csv"
    customers.write_text(CUSTOMERS, encoding="utf-8")
    import_customers("loader", customers)
    return found


def _register(entity_bin: str, goaml_id: int, key: Path | None = None) -> fiu_intake.EntityRow:
    """A reporting entity in the FIU's registry, with its receipt key when given."""
    return fiu_intake.register_entity(
        "fiu", bin=entity_bin, goaml_id=goaml_id, name=f"Bank {goaml_id}", kind="bank",
        feed_key_file=key,
    )  # fmt: skip


def _publish(path: Path, key: Path, folder: Path) -> Path:
    published = feed.publish_feed("fiu", path, key)
    out = folder / f"feed_v{published.version}.json"
    out.write_bytes(published.document)
    return out


def _fetch(location: Path | str, k: dict[str, Path], force: bool = False) -> feed.Fetched:
    return feed.fetch_feed(
        "bank",
        str(location),
        k["fiu.pub"],
        receipt_key=k["entity"],
        entity_bin=ENTITY,
        force=force,
    )


def test_publishing_numbers_versions_and_does_not_repeat_a_list(
    setup: dict[str, Path], tmp_path: Path
) -> None:
    first = feed.publish_feed("fiu", AFM, setup["fiu"])
    again = feed.publish_feed("fiu", AFM, setup["fiu"])
    second = feed.publish_feed("fiu", setup["v2"], setup["fiu"])
    assert (first.version, first.new, again.version, again.new) == (1, True, 1, False)
    assert (second.version, second.list_version, second.designation_count) == (2, "2025-11-10", 18)
    assert feed.feed_document("afm") == second.document
    assert feed.feed_document("afm", 1) == first.document
    with direct_sql() as conn:
        actions = conn.execute(text("SELECT action FROM audit_log")).scalars().all()
    assert actions.count("feed.publish") == 2


def test_a_file_that_is_no_afm_list_is_not_published(
    setup: dict[str, Path], tmp_path: Path
) -> None:
    other = tmp_path / "un.xml"
    other.write_bytes((FIXTURE_DIR / "un_list_fixture.xml").read_bytes())
    before = _count(AuditEntry)
    with pytest.raises(InputError, match="not an AFM list export"):
        feed.publish_feed("fiu", other, setup["fiu"])
    assert _count(AuditEntry) == before
    with pytest.raises(Exception, match="no feed of 'afm' is published"):
        feed.feed_document("afm")


def test_an_entity_applies_a_feed_rescreens_and_signs_a_receipt(
    setup: dict[str, Path], tmp_path: Path
) -> None:
    _fetch(_publish(AFM, setup["fiu"], tmp_path), setup)
    fetched = _fetch(_publish(setup["v2"], setup["fiu"], tmp_path), setup)
    assert (fetched.manifest.version, fetched.load.version) == (2, "2025-11-10")
    assert fetched.load.rescreen is not None and fetched.load.rescreen.alerts == 1
    assert fetched.receipt_url is None  # a feed read from a file has nowhere to send it
    receipt = json.loads(fetched.receipt)["receipt"]
    assert receipt["entity"] == ENTITY
    assert (receipt["feed_version"], receipt["alerts"], receipt["outcome"]) == (2, 1, "loaded")
    with direct_sql() as conn:
        actions = conn.execute(text("SELECT action FROM audit_log ORDER BY id")).scalars().all()
    assert actions[-4:] == ["list.load", "alert.raise", "list.rescreen", "feed.apply"]


def test_an_older_feed_is_refused_and_changes_nothing(
    setup: dict[str, Path], tmp_path: Path
) -> None:
    older = _publish(AFM, setup["fiu"], tmp_path)
    newer = _publish(setup["v2"], setup["fiu"], tmp_path)
    _fetch(newer, setup)
    before = _state()
    for force in (False, True):
        with pytest.raises(FeedRefused, match="version 1 is older than version 2"):
            _fetch(older, setup, force=force)
    assert _state() == before
    downloads = tmp_path / "finmon-home" / "downloads"
    assert sorted(p.name for p in downloads.iterdir()) == ["afm_feed_v2.xml"]


def test_the_same_version_again_is_refused_unless_forced(
    setup: dict[str, Path], tmp_path: Path
) -> None:
    location = _publish(AFM, setup["fiu"], tmp_path)
    _fetch(location, setup)
    before = _state()
    with pytest.raises(FeedRefused, match="already applied"):
        _fetch(location, setup)
    assert _state() == before
    again = _fetch(location, setup, force=True)
    assert again.load.status == "already loaded"
    assert _count(AppliedFeed) == 2


def test_a_tampered_feed_is_refused_and_changes_nothing(
    setup: dict[str, Path], tmp_path: Path
) -> None:
    location = _publish(AFM, setup["fiu"], tmp_path)
    document = json.loads(location.read_bytes())
    document["manifest"]["list_version"] = "2099-01-01"
    location.write_text(json.dumps(document))
    before = _state()
    with pytest.raises(FeedRefused, match="the feed was altered"):
        _fetch(location, setup)
    assert _state() == before
    assert not list((tmp_path / "finmon-home" / "downloads").glob("afm_feed_*"))


def test_a_feed_of_another_key_is_refused_before_anything_is_loaded(
    setup: dict[str, Path], tmp_path: Path
) -> None:
    stranger = keys(tmp_path / "stranger")
    location = _publish(AFM, stranger["fiu"], tmp_path)
    with pytest.raises(FeedRefused, match="not the publisher's key"):
        _fetch(location, setup)
    assert _state()[0] == 0


def _values(fetched: feed.Fetched) -> dict[str, Any]:
    """The fields of an entity's receipt, its times as datetimes."""
    values: dict[str, Any] = json.loads(fetched.receipt)["receipt"]
    for name in ("published_at", "applied_at"):
        values[name] = dt.datetime.fromisoformat(values[name].replace("Z", "+00:00"))
    return values


def test_receipts_are_verified_stored_once_and_clocked(
    setup: dict[str, Path], tmp_path: Path
) -> None:
    # One store plays both sides here; tests/api/test_feed.py runs two over HTTP.
    fetched = _fetch(_publish(AFM, setup["fiu"], tmp_path), setup)
    with pytest.raises(ReceiptRefused, match=f"no key is registered for entity {ENTITY}"):
        feed.receive_receipt(fetched.receipt)
    # One registry: a key is registered on the entity, with it or later, never without it.
    with pytest.raises(WorkflowRefused, match=f"entity {ENTITY} is not registered"):
        feed.register_entity_key("fiu", ENTITY, setup["entity.pub"])
    _register(ENTITY, 1)
    with pytest.raises(ReceiptRefused, match=f"no key is registered for entity {ENTITY}"):
        feed.receive_receipt(fetched.receipt)
    assert feed.register_entity_key("fiu", ENTITY, setup["entity.pub"])[1] is True
    assert feed.register_entity_key("fiu", ENTITY, setup["entity.pub"])[1] is False
    entity = _register(OTHER_ENTITY, 2, setup["fiu.pub"])
    assert entity.feed_key == key_id(private_key(setup["fiu"]).public_key())
    row, new = feed.receive_receipt(fetched.receipt)
    assert (row.entity_bin, row.feed_version, new) == (ENTITY, 1, True)
    assert feed.receive_receipt(fetched.receipt)[1] is False

    published = row.published_at
    number, rows = feed.receipt_report("fiu", now=published + dt.timedelta(hours=2))
    by_entity = {r["entity_bin"]: r for r in rows}
    assert number == 1
    assert by_entity[ENTITY]["status"] == "in time"
    assert 0 <= by_entity[ENTITY]["hours_to_apply"] < 1
    assert by_entity[OTHER_ENTITY]["status"] == "waiting"
    _, rows = feed.receipt_report("fiu", now=published + dt.timedelta(hours=25))
    assert {r["entity_bin"]: r["status"] for r in rows}[OTHER_ENTITY] == "overdue"

    # A receipt applied 30 hours after publication is late; its entity's own key signs it.
    signer = private_key(setup["fiu"])
    late = Receipt(
        **{
            **_values(fetched),
            "entity": OTHER_ENTITY,
            "applied_at": published + dt.timedelta(hours=30),
            "key_id": key_id(signer.public_key()),
        }
    )
    feed.receive_receipt(sign_receipt(late, signer))
    _, rows = feed.receipt_report("fiu", now=published + dt.timedelta(hours=31))
    assert {r["entity_bin"]: r["status"] for r in rows}[OTHER_ENTITY] == "late"


def test_a_receipt_for_a_feed_never_published_or_signed_by_another_is_refused(
    setup: dict[str, Path], tmp_path: Path
) -> None:
    fetched = _fetch(_publish(AFM, setup["fiu"], tmp_path), setup)
    _register(ENTITY, 1, setup["entity.pub"])
    signer = private_key(setup["entity"])
    values = _values(fetched)
    unknown = Receipt(**{**values, "feed_version": 7})
    with pytest.raises(ReceiptRefused, match="no feed afm version 7"):
        feed.receive_receipt(sign_receipt(unknown, signer))
    forged = sign_receipt(Receipt(**values), private_key(setup["fiu"]))
    with pytest.raises(ReceiptRefused, match="does not verify against the entity's registered"):
        feed.receive_receipt(forged)
    assert feed.receipt_report("fiu")[1][0]["applied_at"] is None


def test_the_fetch_command_writes_the_receipt_or_keeps_it_when_it_cannot_be_sent(
    setup: dict[str, Path], tmp_path: Path
) -> None:
    from typer.testing import CliRunner

    from finmon.cli import app, err, out
    from finmon.lists.feed import read_receipt

    out.width = err.width = 200
    first = _publish(AFM, setup["fiu"], tmp_path)
    second = _publish(setup["v2"], setup["fiu"], tmp_path)
    common = ["--key", str(setup["fiu.pub"]), "--receipt-key", str(setup["entity"])]
    common += ["--entity", ENTITY]
    written = tmp_path / "receipt.json"
    result = CliRunner().invoke(
        app, ["lists", "fetch", "afm", "--feed", str(first), *common, "--receipt", str(written)]
    )
    assert result.exit_code == 0, result.stderr
    signed = read_receipt(written.read_bytes(), str(written))
    signed.verify(private_key(setup["entity"]).public_key())
    assert (signed.receipt.entity, signed.receipt.feed_version) == (ENTITY, 1)

    nowhere = ["--receipts-url", "http://127.0.0.1:9/feed/receipts"]
    result = CliRunner().invoke(
        app, ["lists", "fetch", "afm", "--feed", str(second), *common, *nowhere]
    )
    assert result.exit_code == 6
    assert "could not send the receipt" in result.stderr
    kept = tmp_path / "finmon-home" / "receipts" / "afm_feed_v2_receipt.json"
    assert read_receipt(kept.read_bytes(), "kept").receipt.feed_version == 2
    with default_database().read() as session:
        current = session.scalars(select(ListVersion.version).where(ListVersion.is_current))
        assert list(current) == ["2025-11-10"]  # the list stays applied
