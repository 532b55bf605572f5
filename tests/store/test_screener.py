"""The Screener built from the store."""

from __future__ import annotations

import gc

import pytest

from finmon.errors import NotFound
from finmon.model import Party
from finmon.screening import Screener
from finmon.screening.screener import collection_paused, heap_frozen
from finmon.store import current_designations, load_list
from finmon.store.screener import build_screener, load_screener
from tests.store.factory import parsed_list


def _hits(screener: Screener, name: str) -> list[tuple[str, str, float]]:
    return [
        (hit.designation.reference, hit.list_version, round(hit.score, 6))
        # The generated names are common given and family names, which alone do not alert
        # against a listed birth date: the threshold looks past their commonness.
        for hit in screener.screen(Party("q1", [name]), threshold=0.6)
    ]


def test_no_list_is_not_found() -> None:
    with pytest.raises(NotFound, match="no list is loaded"):
        load_screener()


def test_screener_from_the_store_matches_one_built_from_the_list() -> None:
    parsed = parsed_list(60, "2026-01-01")
    load_list(parsed, actor="officer")
    direct = Screener(parsed.designations, versions={"un": "2026-01-01"})
    stored = load_screener()
    name = parsed.designations[7].caption
    assert _hits(stored, name) == _hits(direct, name)
    assert _hits(stored, name)[0][:2] == ("UNi.00007", "2026-01-01")


def test_a_new_list_version_is_screened_against_at_once() -> None:
    load_list(parsed_list(60, "2026-01-01"), actor="officer")
    newer = parsed_list(60, "2026-02-01", start=1000)
    load_list(newer, actor="officer")
    assert len(current_designations()) == 60
    hits = _hits(load_screener(), newer.designations[0].caption)
    assert hits[0][:2] == ("UNi.01000", "2026-02-01")


def test_empty_store_builds_an_empty_screener() -> None:
    assert _hits(build_screener(), "Aibek Zhaksylykov") == []


def test_collection_is_restored_after_a_build() -> None:
    assert gc.isenabled()
    with collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collection_paused():
        raise RuntimeError("build failed")
    assert gc.isenabled()


def test_heap_is_unfrozen_afterwards() -> None:
    with heap_frozen():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
