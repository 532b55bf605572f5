"""The bound that prunes delta candidates: never below a real name score by more than the margin."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from finmon.model import Party, Schema
from finmon.names import analyse_name
from finmon.screening.namescore import match_names, score_bound
from finmon.store.customer_index import index_entry
from finmon.store.rescreen import PRUNE_MARGIN
from tests.conftest import shared_file

GOLDEN = Path(__file__).parent.parent / "screening" / "golden_pairs.csv"


def _pairs(path: Path, first: str, second: str) -> list[tuple[str, str, Schema]]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    pairs = []
    for row in rows:
        schema = Schema.parse(row["schema"])
        pairs += [(row[first], row[second], schema), (row[second], row[first], schema)]
    return pairs


def _shortfall(customer: str, listed: str, schema: Schema) -> float:
    """How far the bound the stored index computes falls below match_names' score."""
    entry = index_entry(Party(id="c", names=(customer,), schema=schema))
    base = [token for token, parts in entry.tokens.values() if parts == 1]
    joined = [token for token, parts in entry.tokens.values() if parts == 2]
    candidate = analyse_name(listed, schema)
    score = match_names(analyse_name(customer, schema), candidate).score
    return score - score_bound(base, joined, entry.owed, candidate)


@pytest.mark.parametrize("source", ["golden", "labelled"])
def test_bound_stays_within_the_margin_of_the_score(source: str) -> None:
    if source == "golden":
        pairs = _pairs(GOLDEN, "name1", "name2")
    else:
        pairs = _pairs(shared_file("eval/name_pairs_dev.csv"), "name1", "name2")
    shortfalls = {(a, b): _shortfall(a, b, schema) for a, b, schema in pairs}
    assert len(shortfalls) > 30
    worst = max(shortfalls, key=lambda pair: shortfalls[pair])
    assert shortfalls[worst] < PRUNE_MARGIN, worst


def test_bound_is_exact_for_a_name_written_as_listed() -> None:
    assert _shortfall("Rami Makhlouf", "Rami Makhlouf", Schema.PERSON) == pytest.approx(0.0)
    assert _shortfall("Иван Петров", "Иван Петров", Schema.PERSON) == pytest.approx(0.0)
