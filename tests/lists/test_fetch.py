"""Downloading the UN list from a local HTTP server that serves the real file."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app
from finmon.errors import FetchError
from finmon.lists.fetch import fetch_un
from finmon.store import current_versions
from tests.conftest import shared_file


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    """An HTTP server on 127.0.0.1 serving the shared lists folder; yields its base URL."""
    folder = shared_file("lists/un_consolidated_2026-02-27.xml").parent
    handler = partial(_QuietHandler, directory=str(folder))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_download_is_byte_identical(server: str, finmon_home: Path) -> None:
    path = fetch_un(f"{server}/un_consolidated_2026-02-27.xml")
    original = shared_file("lists/un_consolidated_2026-02-27.xml")
    assert path.read_bytes() == original.read_bytes()
    assert path.parent == finmon_home / "downloads"
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_url_override_comes_from_settings(server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINMON_UN_LIST_URL", f"{server}/un_consolidated_2026-02-27.xml")
    assert fetch_un().stat().st_size > 1_000_000


def test_missing_file_is_a_fetch_error_and_leaves_nothing(server: str, finmon_home: Path) -> None:
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_un(f"{server}/nothing-here.xml")
    assert list((finmon_home / "downloads").iterdir()) == []


def test_unreachable_server_is_a_fetch_error() -> None:
    with pytest.raises(FetchError, match="could not download"):
        fetch_un("http://127.0.0.1:9/consolidated.xml")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/list.xml"])
def test_other_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchError, match="only https"):
        fetch_un(url)


def test_fetch_command_downloads_parses_and_loads(
    server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FINMON_UN_LIST_URL", f"{server}/un_consolidated_2026-02-27.xml")
    result = CliRunner().invoke(app, ["lists", "fetch", "un"])
    assert result.exit_code == 0, result.output
    assert "Loaded un list version 2026-02-27: 1003 designations" in result.stdout
    assert current_versions() == {"un": "2026-02-27"}


def test_fetched_file_that_does_not_parse_is_refused_and_deleted(
    server: str, monkeypatch: pytest.MonkeyPatch, finmon_home: Path
) -> None:
    damaged = f"{server}/un_consolidated_2025-08-16_encoding-damaged.xml"
    monkeypatch.setenv("FINMON_UN_LIST_URL", damaged)
    result = CliRunner().invoke(app, ["lists", "fetch", "un"])
    assert result.exit_code == 2
    assert "not valid utf-8" in result.stderr
    assert list((finmon_home / "downloads").iterdir()) == []
    assert current_versions() == {}
