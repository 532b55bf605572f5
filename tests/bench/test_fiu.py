"""The FIU benchmark's corpus and scoring, small: seeded, valid goAML, truth that adds up."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from bench.fiu import pairwise, run_finmon, write_corpus
from bench.fiu_corpus import generate, mistype, typo
from finmon.lists.identifiers import is_valid_iin_bin
from finmon.reports.goaml import kz_schema, load_config, to_xml, validate
from tests.conftest import shared_spec


def test_pairwise_scores_count_pairs_not_clusters() -> None:
    truth = {"a": "1", "b": "1", "c": "1", "d": "2"}
    found = {"a": "x", "b": "x", "c": "y", "d": "y"}
    scores = pairwise(found, truth, 0.0)
    assert (scores.precision, round(scores.recall, 4)) == (0.5, 0.3333)


def test_the_corpus_is_seeded_and_recurs_across_entities_and_spellings() -> None:
    one, two = generate(7, reports=200, subjects=60), generate(7, reports=200, subjects=60)
    assert [m.name for m in one.mentions] == [m.name for m in two.mentions]
    assert len({e.bin for e in one.entities}) >= 40
    counts = Counter(one.truth[m.id] for m in one.mentions)
    recurring = [t for t in counts if t.startswith("T")]
    assert len(recurring) == 60 and all(counts[t] >= 2 for t in recurring)
    spellings = {m.name for m in one.mentions if one.truth[m.id] == recurring[0]}
    assert len(spellings) >= 2
    scripts = {any("а" <= ch <= "я" for ch in m.name.lower()) for m in one.mentions}
    assert scripts == {True, False}
    numbers = [i.value for m in one.mentions for i in m.identifiers if i.kind in ("iin", "bin")]
    assert numbers and sum(map(is_valid_iin_bin, numbers)) < len(numbers)  # some mistyped


def test_slips_change_one_place() -> None:
    import random

    rng = random.Random(1)
    assert typo(rng, "Ахметов Нурлан") != "Ахметов Нурлан"
    changed = mistype(rng, "KZ86125KZT5004100100")
    assert sum(a != b for a, b in zip(changed, "KZ86125KZT5004100100", strict=True)) <= 1


def test_every_report_validates_and_resolution_finds_the_subjects(tmp_path: Path) -> None:
    corpus = generate(3, reports=150, subjects=40)
    schema = kz_schema(shared_spec("goaml/goAMLSchema-5.0.2-UAE.xsd"), load_config())
    for _, report in corpus.reports:
        assert validate(to_xml(report, load_config()), schema) == []
    written, _, _ = write_corpus(corpus, tmp_path, xml=True)
    assert written == 150 == len(list((tmp_path / "reports").glob("*.xml")))
    assert (tmp_path / "mentions.jsonl").read_text(encoding="utf-8").count("\n") == len(
        corpus.mentions
    )
    scores = run_finmon(corpus.mentions, corpus.truth)
    assert scores.precision >= 0.95 and scores.recall >= 0.9
