"""The analysis of a name remembers what depends on a word alone (its keys, script, Latin form,
syllables, Roman value) and assembles names from it: a name's analysis must not depend on the
names analysed before it. Each name is analysed here after thousands of others, in another
order, and compared with its analysis in a fresh process that met it first."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys

from finmon.lists import parse_files
from finmon.model import Schema
from finmon.names.numbers import read_numbers, roman_value
from finmon.names.parts import AnalysedName, NameToken, analyse_name
from finmon.names.translit import Script, _letter_script, script_of
from tests.conftest import ROOT, shared_file

SCHEMAS = (Schema.PERSON, Schema.ORGANIZATION, Schema.UNKNOWN, Schema.VESSEL)
VARIED = [
    "Henry VIII", "Louis XIV of France", "Brigade Forty-Four", "Brigade 44", "First Bank",
    "1st Bank of Almaty", "three hundred and six Co", "Двадцать первый век", "Иванов И. И.",
    "ТОО Ромашка", "Мухаммад ибн Салман", "عبدالله بن محمد", "金正恩", "김정은", "ハナコ",
    "T'ieh Hsi-chin", "Hsi Chin-ping", "Pak To-ch'un", "Abdurrahman bin Abdul Aziz al-Saud",
    "U S A M A B I N L A D E N", "0SAMA B1N L4D3N", "U$AMA", "SiemensAG", "AcmeLLC",
    "Deutsche Bank (Schweiz) AG", "JC Juncker", "V.V. Putin", "Saif al-Din", "Abish uly Nurlan",
    "Ortega y Gasset", "Lee Min Ho", "Xi Jinping", "Mix Civic Ltd", "Forty 4 Brigade", "Vi Ix Xi",
    "Нұрсұлтан Әбішұлы Назарбаев", "Ali Muhammad Ali", "Muhammad Muhammad", "al-Tikriti Saddam",
]  # fmt: skip


def _names() -> list[str]:
    names = list(VARIED)
    with (ROOT / "tests/screening/golden_pairs.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            names += [row["name1"], row["name2"]]
    un = parse_files([shared_file("lists/un_consolidated_2026-02-27.xml")]).designations
    names += [name.full for designation in un for name in designation.names]
    return list(dict.fromkeys(names))


def _token(token: NameToken) -> list[object]:
    return [token.sig, token.kind.value, token.skel, repr(token.weight), token.stem]


def _described(name: AnalysedName) -> list[object]:
    return [
        name.script.value,
        name.latin,
        [_token(t) for t in name.tokens],
        [_token(t) for t in name.joined],
        [_described(r) for r in name.readings],
    ]


_FRESH = """
import json, sys
from finmon.model import Schema
from tests.names.test_word_memory import _described
from finmon.names.parts import analyse_name
work = json.load(sys.stdin)
print(json.dumps([_described(analyse_name(n, Schema(s))) for n, s in work]))
"""


def test_a_names_analysis_does_not_depend_on_the_names_before() -> None:
    names = _names()
    assert len(names) > 3000
    work = [(name, schema.value) for name in names for schema in SCHEMAS]
    fresh = subprocess.run(
        [sys.executable, "-c", _FRESH],
        input=json.dumps(work),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    )
    expected = json.loads(fresh.stdout)
    order = list(range(len(work)))
    random.Random(17).shuffle(order)
    found: dict[int, object] = {}
    for place in order:
        name, schema = work[place]
        found[place] = json.loads(json.dumps(_described(analyse_name(name, Schema(schema)))))
    differing = [work[i] for i in range(len(work)) if found[i] != expected[i]]
    assert differing == []
    # The names are varied: several scripts, numbers read, readings made.
    scripts = {row[0] for row in expected if isinstance(row, list)}
    assert {Script.LATIN.value, Script.CYRILLIC.value, Script.ARABIC.value} <= scripts


def test_script_of_counts_the_letters_of_the_whole_name() -> None:
    for name in _names():
        counts = dict.fromkeys(Script, 0)
        for char in name:
            if char.isalpha():
                counts[_letter_script(char)] += 1
        best = max(counts, key=lambda s: counts[s])
        assert script_of(name) is (best if counts[best] else Script.LATIN), name


def test_roman_values_are_read_only_from_roman_letters() -> None:
    assert [roman_value(w) for w in ("viii", "xiv", "xxxix", "iiii", "mix", "", "vx")] == [
        8, 14, 39, None, None, None, None,
    ]  # fmt: skip
    assert read_numbers("henry viii of the forty four".split()) == ["henry", "8", "of", "the", "44"]


def test_a_word_is_remembered_only_when_short() -> None:
    from finmon.names.keys import CACHED_LENGTH, short_cached

    calls: list[str] = []
    counted = short_cached(lambda word: calls.append(word) or len(word))
    long = "a" * (CACHED_LENGTH + 1)  # a hostile word is worked out each time, never kept
    size = CACHED_LENGTH + 1
    assert [counted(w) for w in ("abc", "abc", long, long)] == [3, 3, size, size]
    assert calls == ["abc", long, long]
    mixed = "Ab" * CACHED_LENGTH + " " + "Ян" * CACHED_LENGTH + "я"  # more Cyrillic, both long
    assert script_of(mixed) is Script.CYRILLIC


def test_hostile_long_words_are_never_kept() -> None:
    """Every function that remembers words keeps none longer than CACHED_LENGTH: a file of
    distinct long words must not grow the process (an lru_cache keeps its keys, whatever their
    length, and a name may hold 1,000 characters)."""
    import tracemalloc

    from finmon.names.dictionary import group_of
    from finmon.names.keys import CACHED_LENGTH
    from finmon.names.renderings import rendering_keys, renderings
    from finmon.names.romanise import romanisation_key, spelling_key

    rng = random.Random(7)
    size = CACHED_LENGTH * 3
    words = ["".join(rng.choice("aeiouknst") for _ in range(size)) for _ in range(2000)]
    for function in (romanisation_key, spelling_key, renderings, rendering_keys, group_of):
        function(words[0])  # anything made once (tables, regexes) made before counting
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            for word in words:
                function(word)
            grown = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
        assert grown < 50_000, (function.__name__, grown)
