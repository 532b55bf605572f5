"""The score bound that lets the Screener skip candidates: never below the real name score."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from finmon.lists import FIXTURE_DIR, parse_files
from finmon.model import BirthDate, Designation, DesignationName, Party, Schema
from finmon.names import analyse_name
from finmon.screening import Screener
from finmon.screening.features import collect_evidence, most_support
from finmon.screening.namescore import match_names
from finmon.screening.prune import SLACK, ScoreBound
from finmon.screening.screener import DEFAULT_THRESHOLD
from tests.conftest import shared_file

GOLDEN = Path(__file__).parent / "golden_pairs.csv"


def _pairs(path: Path) -> list[tuple[str, str, Schema]]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    found = []
    for row in rows:
        schema = Schema.parse(row["schema"])
        found += [(row["name1"], row["name2"], schema), (row["name2"], row["name1"], schema)]
    return found


def _excess(query: str, listed: str, schema: Schema) -> float:
    """How far the real score is above the bound (never above 0 for a bound)."""
    analysed_query, candidate = analyse_name(query, schema), analyse_name(listed, schema)
    return match_names(analysed_query, candidate).score - ScoreBound(analysed_query)(candidate)


@pytest.mark.parametrize("source", ["golden", "labelled"])
def test_the_bound_is_never_below_the_score_of_a_labelled_pair(source: str) -> None:
    path = GOLDEN if source == "golden" else shared_file("eval/name_pairs_dev.csv")
    excess = {(a, b): _excess(a, b, schema) for a, b, schema in _pairs(path)}
    assert len(excess) > 30
    worst = max(excess, key=lambda pair: excess[pair])
    assert excess[worst] <= SLACK, worst


def test_the_bound_is_never_below_the_score_of_two_listed_names() -> None:
    names = [
        (name.full, designation.schema)
        for designation in parse_files([FIXTURE_DIR / "un_list_fixture.xml"]).designations
        for name in designation.names
    ]
    assert len(names) > 40
    for query, schema in names:
        for listed, _ in names:
            assert _excess(query, listed, schema) <= SLACK, (query, listed)


def test_the_bound_is_never_below_the_score_of_a_candidate_of_the_un_list() -> None:
    designations = parse_files([shared_file("lists/un_consolidated_2026-02-27.xml")]).designations
    screener = Screener(designations)
    with shared_file("eval/positives_un.csv").open(encoding="utf-8") as handle:
        queries = [row["full_name"] for row in csv.DictReader(handle)][:300]
    with shared_file("eval/negatives_us.csv").open(encoding="utf-8") as handle:
        queries += [row["full_name"] for row in list(csv.DictReader(handle))[:300]]
    queries += [n.full for d in designations[:200] for n in d.names if not n.full.isascii()]
    compared = 0
    for text in queries:
        query = analyse_name(text)
        bound = ScoreBound(query)
        for entry in screener.index.candidates(query):
            candidate = screener.index.names[entry].analysed
            excess = match_names(query, candidate).score - bound(candidate)
            assert excess <= SLACK, (text, candidate.text)
            compared += 1
    assert compared > 3000


@pytest.mark.parametrize(
    ("query", "listed", "highest"),
    [
        ("John Smith", "John Doe", 0.6),  # one common given name shared
        ("Ivan Petrov", "Petra Ivanova Kuznetsova", 0.65),
        ("Rami Makhlouf", "Rami Makhlouf", 1.0),
    ],
)
def test_the_bound_sets_apart_names_that_share_little(
    query: str, listed: str, highest: float
) -> None:
    bound = ScoreBound(analyse_name(query, Schema.PERSON))(analyse_name(listed, Schema.PERSON))
    assert bound <= highest
    if highest == 1.0:
        assert bound == pytest.approx(1.0)


@pytest.mark.parametrize("query", ["U S A M A BIN LADEN", "0SAMA B1N LAD3N", "USAMABINLADEN"])
def test_a_name_read_another_way_is_never_bounded(query: str) -> None:
    candidate = analyse_name("Usama bin Laden", Schema.PERSON)
    assert ScoreBound(analyse_name(query, Schema.PERSON))(candidate) == 1.0


def test_most_support_is_the_most_evidence_adds() -> None:
    born = [BirthDate.exact(dt.date(1970, 5, 1))]
    names = [DesignationName("Aibek Omarov")]
    listed = Designation("un", "X1", Schema.PERSON, names, birth_dates=born, nationalities=["KZ"])
    bare = Designation("un", "X2", Schema.PERSON, names)
    parties = [
        Party("a", ["Aibek Omarov"], birth_dates=born, nationalities=["KZ"]),
        Party("b", ["Aibek Omarov"], nationalities=["kz"]),
        Party("c", ["Aibek Omarov"]),
    ]
    for party in parties:
        for designation in (listed, bare):
            added = sum(e.effect for e in collect_evidence(party, designation) if e.effect > 0)
            assert added <= most_support(party, designation) + SLACK
    assert most_support(parties[0], listed) > most_support(parties[1], listed) > 0
    assert most_support(parties[0], bare) == 0.0


def test_skipped_candidates_could_not_have_been_hits() -> None:
    designations = parse_files([FIXTURE_DIR / "un_list_fixture.xml"]).designations
    screener = Screener(designations)
    names = [n.full for d in designations for n in d.names]
    skipped = 0
    for text in [*names, "Ivan Petrov", "Mohammed Ali", "Abdul Rahman"]:
        party = Party("q", [text])
        query = analyse_name(text)
        bound = ScoreBound(query)
        for entry in screener.index.candidates(query):
            indexed = screener.index.names[entry]
            listed = screener.designations[indexed.designation]
            needed = DEFAULT_THRESHOLD - most_support(party, listed)
            if bound.below(indexed.analysed, needed):
                skipped += 1
                assert match_names(query, indexed.analysed).score < needed
    assert skipped > 0


def test_a_one_word_name_inside_a_longer_one_is_bounded_as_the_score_weighs_it() -> None:
    """A listed name of one word met by one word of a two-word query scores half its
    coverage (namescore._score): the bound weighs it so, and stays below what any candidate
    must reach (the threshold less the most that evidence adds)."""
    from finmon.screening.features import MAX_SUPPORT

    for query, listed in [("Maria Smith", "MARIA"), ("John Smith", "SMITH")]:
        analysed_query, candidate = analyse_name(query), analyse_name(listed)
        bound = ScoreBound(analysed_query)(candidate)
        assert match_names(analysed_query, candidate).score <= bound + SLACK
        assert bound < DEFAULT_THRESHOLD - MAX_SUPPORT, (query, listed, bound)
