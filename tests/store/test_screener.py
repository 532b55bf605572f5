"""The Screener built from the store, and its on-disk cache."""

from __future__ import annotations

from pathlib import Path

import pytest

from finmon.errors import NotFound
from finmon.model import Party
from finmon.store import load_list
from finmon.store.screener import build_screener, load_screener
from tests.store.factory import parsed_list


def _cache_files(home: Path) -> list[Path]:
    return sorted((home / "cache").glob("screener-*.pickle"))


def _hits(screener: object, name: str) -> list[tuple[str, str, float]]:
    party = Party("q1", [name])
    return [
        (hit.designation.reference, hit.list_version, round(hit.score, 6))
        for hit in screener.screen(party)  # type: ignore[attr-defined]
    ]


def test_no_list_is_not_found() -> None:
    with pytest.raises(NotFound, match="no list is loaded"):
        load_screener()


def test_cached_screener_gives_the_same_hits(finmon_home: Path) -> None:
    load_list(parsed_list(60, "2026-01-01"), actor="officer")
    fresh = load_screener()
    (cache,) = _cache_files(finmon_home)
    cached = load_screener()
    assert _cache_files(finmon_home) == [cache]
    assert cached is not fresh
    expected = _hits(build_screener(), "Aibek Zhaksylykov 0")
    assert expected and expected[0][:2] == ("UNi.00000", "2026-01-01")
    assert _hits(cached, "Aibek Zhaksylykov 0") == expected


def test_a_new_list_version_replaces_the_cache(finmon_home: Path) -> None:
    load_list(parsed_list(60, "2026-01-01"), actor="officer")
    load_screener()
    (before,) = _cache_files(finmon_home)
    newer = parsed_list(60, "2026-02-01", start=1000)
    load_list(newer, actor="officer")
    screener = load_screener()
    (after,) = _cache_files(finmon_home)
    assert after != before
    assert _hits(screener, newer.designations[0].caption)[0][:2] == ("UNi.01000", "2026-02-01")


def test_a_damaged_cache_is_rebuilt(finmon_home: Path) -> None:
    load_list(parsed_list(60, "2026-01-01"), actor="officer")
    load_screener()
    (cache,) = _cache_files(finmon_home)
    cache.write_bytes(b"not a pickle")
    assert _hits(load_screener(), "Aibek Zhaksylykov 0")[0][0] == "UNi.00000"
    assert cache.read_bytes() != b"not a pickle"


def test_cache_can_be_switched_off(finmon_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINMON_SCREENER_CACHE", "0")
    load_list(parsed_list(60, "2026-01-01"), actor="officer")
    load_screener()
    assert _cache_files(finmon_home) == []
