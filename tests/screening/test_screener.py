"""Screening against the packaged fixture and, where present, the real lists."""

from __future__ import annotations

import csv
import datetime as dt
import json
import pickle
from dataclasses import fields, replace

import pytest

from finmon.lists import FIXTURE_DIR, parse_files
from finmon.model import BirthDate, Identifier, Party, Schema
from finmon.names.parts import NameToken, analyse_name
from finmon.screening import DEFAULT_THRESHOLD, Screener
from finmon.screening.index import Unpickled
from tests.conftest import shared_file


@pytest.fixture(scope="module")
def fixture_screener() -> Screener:
    parsed = parse_files([FIXTURE_DIR / "un_list_fixture.xml"])
    return Screener(parsed.designations, {parsed.source: parsed.version})


def test_kazakh_cyrillic_customer_finds_the_latin_listing(fixture_screener: Screener) -> None:
    party = Party("c1", ["Жәнібек Серікұлы Орманов"], Schema.PERSON)
    hits = fixture_screener.screen(party)
    assert [h.designation.reference for h in hits][:1] == ["QDi.906"]
    assert hits[0].list_version and hits[0].score >= DEFAULT_THRESHOLD


def test_hit_explains_itself(fixture_screener: Screener) -> None:
    party = Party("c1", ["KARAGULOV TIMUR"], Schema.PERSON, [BirthDate.exact(dt.date(1988, 2, 29))])
    hit = fixture_screener.screen(party)[0]
    explanation = hit.explanation
    json.dumps(explanation)
    assert explanation["list"]["reference"] == "QDi.905"
    assert explanation["name"]["pairs"]
    assert {e["feature"] for e in explanation["evidence"]} >= {"birth_date"}
    assert hit.matched_name in [n.full for n in hit.designation.names]


def test_contradicting_birth_date_lowers_the_score(fixture_screener: Screener) -> None:
    name = ["Timur Karagulov"]
    same = fixture_screener.screen(Party("a", name, Schema.PERSON, [BirthDate.year(1988)]), 0.0)
    other = fixture_screener.screen(Party("b", name, Schema.PERSON, [BirthDate.year(1950)]), 0.0)
    assert same[0].score > other[0].score


def test_document_number_is_decisive(fixture_screener: Screener) -> None:
    party = Party(
        "c", ["T. Karagulov"], Schema.PERSON, identifiers=[Identifier("passport", "0000905905")]
    )
    hits = fixture_screener.screen(party)
    assert hits and hits[0].score == 1.0
    assert any(e.get("decisive") for e in hits[0].explanation["evidence"])


def test_unrelated_names_raise_nothing(fixture_screener: Screener) -> None:
    for name in ["Anna Schmidt", "Алексей Смирнов", "Айгерім Қуанышқызы Бекова"]:
        assert fixture_screener.screen(Party("x", [name], Schema.PERSON)) == []


@pytest.fixture(scope="module")
def real_screener() -> Screener:
    un = parse_files([shared_file("lists/un_consolidated_2026-02-27.xml")])
    ofac = parse_files(
        [
            shared_file(f"lists/ofac_sdn{part}_2021-07.csv")
            for part in ("", "_add", "_alt", "_comments")
        ]
    )
    return Screener(
        un.designations + ofac.designations, {"un": un.version, "ofac-sdn": ofac.version}
    )


def eval_party(row: dict[str, str], number: int) -> Party:
    born = row["date_of_birth"]
    dates = [BirthDate.year(int(born))] if len(born) == 4 else []
    if len(born) == 10:
        dates = [BirthDate.exact(dt.date.fromisoformat(born))]
    nationality = [row["nationality"]] if row["nationality"] else []
    return Party(str(number), [row["full_name"]], Schema.PERSON, dates, nationality)


def test_real_positives_are_found(real_screener: Screener) -> None:
    rows = list(csv.DictReader(shared_file("eval/positives_un.csv").open(encoding="utf-8")))
    found = sum(bool(real_screener.screen(eval_party(r, i))) for i, r in enumerate(rows))
    assert found / len(rows) >= 0.99


def test_real_negatives_rarely_alert(real_screener: Screener) -> None:
    rows = list(csv.DictReader(shared_file("eval/negatives_us.csv").open(encoding="utf-8")))[:3000]
    alerts = sum(bool(real_screener.screen(eval_party(r, i))) for i, r in enumerate(rows))
    assert alerts / len(rows) <= 0.005


def test_forked_workers_give_the_serial_hits(fixture_screener: Screener) -> None:
    names = ["Жәнібек Серікұлы Орманов", "KARAGULOV TIMUR", "Anna Schmidt", "Timur Karagulov"]
    parties = [Party(str(i), [n], Schema.PERSON) for i, n in enumerate(names * 150)]

    def outcome(workers: int) -> list[list[tuple[str, float]]]:
        results = fixture_screener.screen_many(parties, workers=workers)
        return [[(h.designation.reference, h.score) for h in hits] for _, hits in results]

    assert outcome(2) == outcome(1)


def test_forked_workers_give_each_party_back_with_its_own_hits(
    fixture_screener: Screener,
) -> None:
    names = ["Жәнібек Серікұлы Орманов", "Anna Schmidt", "KARAGULOV TIMUR"]
    parties = [Party(str(i), [n], Schema.PERSON) for i, n in enumerate(names * 300)]
    results = list(fixture_screener.screen_many(iter(parties), workers=2))
    assert all(got is sent for (got, _), sent in zip(results, parties, strict=True))
    found = {party.names[0]: bool(hits) for party, hits in results}
    assert found == {
        "Жәнібек Серікұлы Орманов": True,
        "Anna Schmidt": False,
        "KARAGULOV TIMUR": True,
    }


def test_a_screener_read_back_reads_only_what_it_screens_and_hits_the_same(
    fixture_screener: Screener,
) -> None:
    names = ["Жәнібек Серікұлы Орманов", "KARAGULOV TIMUR", "Anna Schmidt", "Рахимов Тимур"]
    parties = [Party(str(i), [n], Schema.PERSON) for i, n in enumerate(names)]
    read_back = pickle.loads(pickle.dumps(fixture_screener))
    names_read = read_back.index.names
    assert isinstance(names_read, Unpickled)
    assert not any(names_read._items), "nothing is unpickled until a query meets it"

    def outcome(screener: Screener) -> list[list[dict[str, object]]]:
        return [[h.to_dict() for h in screener.screen(p, 0.5)] for p in parties]

    assert outcome(read_back) == outcome(fixture_screener)
    assert any(outcome(read_back))
    assert 0 < sum(item is not None for item in names_read._items) < len(names_read)
    assert read_back.index._short == fixture_screener.index._short
    assert list(read_back.index._short) == list(fixture_screener.index._short)
    assert [n.analysed for n in names_read] == [n.analysed for n in fixture_screener.index.names]


def _every_field(tokens: tuple[NameToken, ...]) -> list[tuple[object, ...]]:
    return [tuple(getattr(t, f.name) for f in fields(NameToken)) for t in tokens]


def test_a_name_read_back_takes_its_tokens_from_the_token_table(
    fixture_screener: Screener,
) -> None:
    read_back = pickle.loads(pickle.dumps(fixture_screener)).index
    built = fixture_screener.index
    shared = 0
    for entry, name in enumerate(read_back.names):
        assert _every_field(name.analysed.tokens) == _every_field(
            built.names[entry].analysed.tokens
        )
        assert _every_field(name.analysed.joined) == _every_field(
            built.names[entry].analysed.joined
        )
        for token in name.analysed.tokens:
            place = read_back._token_ids.get(token.sig)
            shared += place is not None and read_back._tokens[place] is token
    assert shared > len(read_back.names)


def test_a_token_that_differs_from_the_tables_in_any_field_is_kept_as_it_was() -> None:
    token = analyse_name("Timur Karagulov").tokens[0]
    heavier = replace(token, weight=token.weight + 0.5)
    assert heavier.sig == token.sig
    table: Unpickled[NameToken] = Unpickled([token])
    names = pickle.loads(pickle.dumps(Unpickled([(token, heavier)], table, {token.sig: 0})))
    same, other = names[0]
    assert same is names._tokens[0]
    assert other is not same and other.weight == token.weight + 0.5
