"""The screener cache: used while the lists and finmon are the same, never trusted otherwise."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from finmon.model import Party
from finmon.screening import Screener
from finmon.settings import load_settings
from finmon.store import load_list
from finmon.store.screener import build_screener, load_screener
from finmon.store.screener_cache import MAGIC, cache_file, dumps, read_cached, write_cached
from tests.store.factory import parsed_list


def _cache() -> Path:
    folder = load_settings().screener_cache
    assert folder is not None
    return cache_file(folder, None)


def _key(path: Path) -> str:
    return path.read_bytes()[len(MAGIC) :].split(b"\n", 1)[0].decode()


def _references(screener: Screener, name: str) -> list[str]:
    # The generated names are common given and family names: the threshold looks past their
    # commonness (these tests are about the cache, not the score).
    hits = screener.screen(Party("q1", [name]), threshold=0.6)
    return [hit.designation.reference for hit in hits]


def _loaded(count: int = 30, published: str = "2026-01-01", start: int = 0) -> list[str]:
    parsed = parsed_list(count, published, start=start)
    load_list(parsed, actor="officer")
    return [d.caption for d in parsed.designations]


def test_a_second_build_reads_the_screener_the_first_stored() -> None:
    names = _loaded()
    assert not _cache().exists()
    built = load_screener()
    assert _cache().is_file()
    # A stand-in stored under the same key: the next build returns it, so it read the cache.
    other = Screener(parsed_list(5, "2026-01-01", start=500).designations, built.versions)
    assert write_cached(_cache(), _key(_cache()), other)
    assert load_screener().name_count == other.name_count != built.name_count
    assert _references(load_screener(), names[3]) == []


def test_a_cached_screener_finds_what_a_built_one_finds() -> None:
    names = _loaded()
    built = load_screener()
    cached = load_screener()
    assert cached is not built
    for name in (names[0], names[7], "Nobody Atall"):
        found = _references(cached, name)
        assert found == _references(built, name)
    assert _references(cached, names[7])[0] == "UNi.00007"


def test_a_new_list_version_misses_the_cache_and_replaces_it() -> None:
    _loaded()
    load_screener()
    first = _key(_cache())
    newer = _loaded(published="2026-02-01", start=1000)
    assert _references(load_screener(), newer[0]) == ["UNi.01000"]
    assert _key(_cache()) != first


@pytest.mark.parametrize("damage", ["truncated", "flipped", "other key", "not a screener"])
def test_a_damaged_cache_file_is_ignored_and_rebuilt(damage: str) -> None:
    names = _loaded()
    load_screener()
    path = _cache()
    data = path.read_bytes()
    key = _key(path)
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "flipped":
        path.write_bytes(data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:])
    elif damage == "other key":
        path.write_bytes(data.replace(key.encode(), b"0" * 64, 1))
    else:
        assert write_cached(path, key, ["not", "a", "screener"])  # type: ignore[arg-type]
    assert read_cached(path, key) is None
    assert _references(load_screener(), names[4]) == ["UNi.00004"]
    assert read_cached(path, key) is not None  # stored again, whole


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="file ownership is POSIX")
@pytest.mark.parametrize("loosened", ["file writable by others", "folder writable by others"])
def test_a_cache_others_could_have_written_is_not_read(loosened: str) -> None:
    _loaded()
    load_screener()
    path = _cache()
    key = _key(path)
    assert read_cached(path, key) is not None
    (path if loosened.startswith("file") else path.parent).chmod(0o777)
    assert read_cached(path, key) is None


def test_a_cache_file_behind_a_symlink_is_not_read(tmp_path: Path) -> None:
    _loaded()
    load_screener()
    path = _cache()
    key = _key(path)
    elsewhere = tmp_path / "elsewhere.cache"
    path.rename(elsewhere)
    path.symlink_to(elsewhere)
    assert read_cached(path, key) is None


def test_a_folder_that_cannot_be_written_leaves_screening_working(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = _loaded()
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("FINMON_SCREENER_CACHE", str(blocker / "cache"))
    assert _references(build_screener(), names[2]) == ["UNi.00002"]
    assert _references(build_screener(), names[2]) == ["UNi.00002"]
    assert blocker.is_file()


def test_the_cache_can_be_turned_off(monkeypatch: pytest.MonkeyPatch) -> None:
    names = _loaded()
    monkeypatch.setenv("FINMON_SCREENER_CACHE", "off")
    assert load_settings().screener_cache is None
    assert _references(build_screener(), names[1]) == ["UNi.00001"]
    assert not (load_settings().home / "cache").exists()


def test_a_pickled_index_keeps_its_candidates_in_the_same_order() -> None:
    screener = Screener(parsed_list(200, "2026-01-01").designations)
    again: Screener = pickle.loads(dumps(screener))
    assert list(again.index._short) == list(screener.index._short)
    query = screener.designations[11].names[0].full
    analysed = screener.index.names[0].analysed
    assert again.index.candidates(analysed) == screener.index.candidates(analysed)
    assert _references(again, query) == _references(screener, query)
