"""The national list out end to end: an FIU and a reporting entity, each with its own FINMON_HOME,
over loopback HTTP. The FIU publishes with `finmon lists publish afm` and serves the feed from
`finmon serve`; the entity's `finmon lists fetch afm` verifies, loads and re-screens it, and its
signed receipt arrives at the FIU (`finmon fiu receipts`). A tampered feed and an older feed are
refused and change nothing at the entity."""

from __future__ import annotations

import base64
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from typer.testing import CliRunner

from finmon.cli import app, err, out
from finmon.lists.feed import generate_keys
from finmon.services.customers import import_customers
from finmon.store import current_versions
from tests.conftest import ROOT
from tests.services.test_feed import AFM, CUSTOMERS, ENTITY, second_version


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def _at(home: Path) -> Iterator[None]:
    """Act as the installation at `home` (its own SQLite store)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("FINMON_HOME", str(home))
        patch.delenv("FINMON_DATABASE_URL", raising=False)
        yield


def _run(*args: str) -> Any:
    out.width = err.width = 200
    return CliRunner().invoke(app, list(args))


@pytest.fixture
def fiu(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """The FIU's home and keys, the entity's keys registered there, and `finmon serve` on it."""
    home = tmp_path / "fiu-home"
    keys = tmp_path / "keys"
    keys.mkdir()
    generate_keys(keys / "fiu.key", keys / "fiu.pub")
    generate_keys(keys / "entity.key", keys / "entity.pub")
    with _at(home):
        registered = _run(
            "fiu", "entities", "add", "--bin", ENTITY, "--goaml-id", "7", "--name", "Bank",
            "--kind", "bank", "--feed-key-file", str(keys / "entity.pub"),
        )  # fmt: skip
        assert registered.exit_code == 0, registered.stderr
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "FINMON_DATABASE_URL"}
    env |= {"FINMON_HOME": str(home), "PYTHONPATH": str(ROOT)}
    server = subprocess.Popen(
        [sys.executable, "-c", "from finmon.cli import main; main()", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.monotonic() < deadline, "finmon serve did not answer within 60 s"
            time.sleep(0.2)
        yield {"home": home, "keys": keys, "url": f"{base}/feed/afm", "base": base}
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)


def _publish(fiu: dict[str, Any], path: Path) -> None:
    with _at(fiu["home"]):
        result = _run("lists", "publish", "afm", str(path), "--key", str(fiu["keys"] / "fiu.key"))
    assert result.exit_code == 0, result.stderr


def _fetch(fiu: dict[str, Any], url: str) -> Any:
    keys = fiu["keys"]
    return _run(
        "lists",
        "fetch",
        "afm",
        "--feed",
        url,
        "--key",
        str(keys / "fiu.pub"),
        "--receipt-key",
        str(keys / "entity.key"),
        "--entity",
        ENTITY,
    )


def _receipts(fiu: dict[str, Any], *options: str) -> list[dict[str, Any]]:
    with _at(fiu["home"]):
        result = _run("fiu", "receipts", "--format", "json", *options)
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def _tamper(fiu: dict[str, Any], version: int, change: Any) -> None:
    """Change a published feed in the FIU's database, as whoever holds the server could."""
    with sqlite3.connect(fiu["home"] / "finmon.db") as conn:
        (text,) = conn.execute(
            "SELECT document FROM list_feeds WHERE version = ?", (version,)
        ).fetchone()
        document = json.loads(text)
        change(document)
        conn.execute(
            "UPDATE list_feeds SET document = ? WHERE version = ?", (json.dumps(document), version)
        )


def test_a_feed_goes_out_is_applied_and_its_receipt_comes_back(
    fiu: dict[str, Any], tmp_path: Path
) -> None:
    customers = tmp_path / "customers.csv"
    customers.write_text(CUSTOMERS, encoding="utf-8")
    import_customers("bank", customers)
    assert httpx.get(fiu["url"]).status_code == 404  # nothing published yet

    _publish(fiu, AFM)
    first = _fetch(fiu, fiu["url"])
    assert first.exit_code == 0, first.stderr
    assert "Verified afm feed version 1" in first.stdout
    assert f"Receipt sent to {fiu['base']}/feed/receipts." in first.stdout
    assert current_versions() == {"afm": "2025-11-03"}

    _publish(fiu, second_version(tmp_path))
    second = _fetch(fiu, fiu["url"])
    assert second.exit_code == 0, second.stderr
    assert "1 alerts raised" in second.stdout
    assert current_versions() == {"afm": "2025-11-10"}

    (row,) = _receipts(fiu)
    assert (row["entity_bin"], row["feed_version"], row["status"]) == (ENTITY, 2, "in time")
    assert (row["outcome"], row["alerts"]) == ("loaded", 1)
    assert 0 <= row["hours_to_apply"] < 0.1
    (earlier,) = _receipts(fiu, "--version", "1")
    assert (earlier["feed_version"], earlier["alerts"]) == (1, 0)

    # An older feed (the FIU's version 1, still served on request) is refused.
    older = _fetch(fiu, f"{fiu['url']}?version=1")
    assert older.exit_code == 3
    assert "version 1 is older than version 2" in older.stderr
    assert current_versions() == {"afm": "2025-11-10"}

    # A third version altered on the FIU's server is refused: no list, no receipt.
    third = tmp_path / "third"
    third.mkdir()
    listed = second_version(third)
    listed.write_text(
        listed.read_text(encoding="utf-8").replace("2025-11-10", "2025-11-17"), encoding="utf-8"
    )
    _publish(fiu, listed)

    def swap_a_name(document: dict[str, Any]) -> None:
        payload = base64.b64decode(document["payload"]).decode("utf-8")
        altered = payload.replace("Оразбаев", "Оразбеков")
        document["payload"] = base64.b64encode(altered.encode("utf-8")).decode()

    _tamper(fiu, 3, swap_a_name)
    tampered = _fetch(fiu, fiu["url"])
    assert tampered.exit_code == 3
    assert "the feed was altered; refused, nothing changed" in tampered.stderr
    assert current_versions() == {"afm": "2025-11-10"}
    (latest,) = _receipts(fiu)
    assert (latest["feed_version"], latest["applied_at"], latest["status"]) == (3, None, "waiting")
    with _at(fiu["home"]):
        verified = _run("audit", "verify")
    assert verified.exit_code == 0, verified.stdout + verified.stderr


def test_the_feed_routes_need_no_key_and_refuse_a_forged_receipt(fiu: dict[str, Any]) -> None:
    _publish(fiu, AFM)
    assert httpx.get(fiu["url"]).json()["manifest"]["version"] == 1
    assert httpx.get(f"{fiu['url']}?version=9").status_code == 404
    forged = {"format": "finmon-list-receipt/1", "receipt": {}, "signature": ""}
    answer = httpx.post(f"{fiu['base']}/feed/receipts", json=forged)
    assert answer.status_code == 403
    assert "missing" in answer.json()["detail"]
