"""The evaluation populations: reproducible, in the scripts they claim, with real name heads."""

from __future__ import annotations

import csv
import io
from collections import Counter

import pytest

from bench import populations
from bench.populations import (
    ICAO,
    generate,
    romanise,
    ru_patronymic,
    script_group,
    script_of,
    to_csv,
)


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_script_of_reads_the_script_a_name_is_written_in() -> None:
    assert script_of("Нұрлан Ахметов") == "Cyrillic"
    assert script_of("محمد جلالی") == "Arabic"
    assert script_of("陈海燕") == "Han"
    assert script_of("鈴木 まり子") == "Kana"
    assert script_of("김민준") == "Hangul"
    assert script_of("Zoë O'Neil") == "Latin"
    assert [script_group(s) for s in ("Arabic", "Kana", "Hangul", "Greek")] == [
        "Arabic/Persian", "East Asian", "East Asian", "other",
    ]  # fmt: skip


def test_patronymics_and_passport_latin() -> None:
    assert ru_patronymic("Нурлан", False) == "Нурланович"
    assert ru_patronymic("Сергей", True) == "Сергеевна"
    assert ru_patronymic("Юрий", False) == "Юрьевич"
    assert ru_patronymic("Дмитрий", True) == "Дмитриевна"
    assert ru_patronymic("Амангельды", False) == "Амангельдыевич"
    assert ru_patronymic("Михаил", True) == "Михайловна"
    assert romanise("НҰРЛАН ЖҰМАБАЕВ", ICAO) == "NURLAN ZHUMABAEV"
    assert romanise("Юлия Хасенова", ICAO) == "Iuliia Khasenova"


def test_kazakhstan_is_reproducible_and_seeded() -> None:
    one = to_csv(generate("kazakhstan", 2000, 1))
    assert one == to_csv(generate("kazakhstan", 2000, 1))
    assert one != to_csv(generate("kazakhstan", 2000, 2))
    assert one.splitlines()[0] == ",".join(populations.COLUMNS)


def test_kazakhstan_writes_names_as_customers_files_do() -> None:
    rows = generate("kazakhstan", 5000, 1)
    assert {row["script"] for row in rows} == {"Cyrillic", "Latin"}
    assert all(row["script"] == script_of(row["full_name"]) for row in rows)
    groups = Counter(row["origin"] for row in rows)
    assert set(groups) == {"Kazakh", "Russian", "Uzbek", "Uyghur", "Tatar", "Korean"}
    assert groups.most_common(1)[0][0] == "Kazakh"
    middles = [row["middle_name"] for row in rows]
    for ending in ("ович", "овна", "ұлы", "қызы", "улы", "кызы", "OVICH", "uly"):
        assert any(m.endswith(ending) or f"{ending} " in m for m in middles), ending
    assert 0.15 < middles.count("") / len(rows) < 0.6
    full = [row["full_name"] for row in rows]
    assert any(name.isupper() and name.isascii() for name in full)  # passport style
    assert any("Ұ" in name or "ұ" in name or "Ә" in name or "ә" in name for name in full)
    # namesakes: the same name written the same way, another birth date
    births: dict[str, set[str]] = {}
    for row in rows:
        births.setdefault(row["full_name"], set()).add(row["date_of_birth"])
    assert sum(len(dates) > 1 for dates in births.values()) > 100


def surname_key(surname: str) -> str:
    """A surname in passport Latin, masculine form: the unit the heads are counted in."""
    latin = romanise(surname, ICAO).upper()
    return latin[:-1] if latin.endswith(("OVA", "EVA", "INA")) else latin


def test_kazakhstan_has_the_most_common_names_at_the_top() -> None:
    rows = generate("kazakhstan", 20000, 1)
    counts = Counter(surname_key(row["last_name"]) for row in rows)
    ranked = [name for name, _ in counts.most_common(60)]
    assert ranked[0] == "AKHMETOV"
    assert {"OMAROV", "OSPANOV"} <= set(ranked[:6])
    assert "IVANOV" in ranked[:25]
    assert "KIM" in ranked  # Koreans are 0.6% of the country, almost half of them Kim
    given = Counter(romanise(row["first_name"], ICAO).upper() for row in rows)
    assert {"NURLAN", "AIGERIM"} <= {name for name, _ in given.most_common(5)}


def test_multicultural_is_reproducible_and_in_every_script_it_claims() -> None:
    pytest.importorskip("names_dataset", reason="names-dataset is in the bench extra")
    text = to_csv(generate("multicultural", 2000, 1))
    assert text == to_csv(generate("multicultural", 2000, 1))
    assert text != to_csv(generate("multicultural", 2000, 2))
    rows = rows_of(text)
    scripts = Counter(row["script"] for row in rows)
    assert {"Latin", "Arabic", "Han", "Hangul", "Cyrillic"} <= set(scripts)
    assert all(row["script"] == script_of(row["full_name"]) for row in rows)
    assert all(row["date_of_birth"][:4] >= "1940" for row in rows)
    regions = Counter(row["origin"].split("/")[0] for row in rows)
    for region in ("Middle East", "North Africa", "South Asia", "Europe", "East Asia"):
        assert regions[region] > 0.05 * len(rows), region
    assert regions["Central Asia & Caucasus"] > 0.03 * len(rows)


def test_faker_is_reproducible_and_writes_native_scripts() -> None:
    pytest.importorskip("faker", reason="Faker is in the bench extra")
    text = to_csv(generate("faker", 2000, 1))
    assert text == to_csv(generate("faker", 2000, 1))
    assert text != to_csv(generate("faker", 2000, 2))
    scripts = Counter(row["script"] for row in rows_of(text))
    assert {"Latin", "Arabic", "Han", "Hangul", "Cyrillic", "Devanagari", "Hebrew"} <= set(scripts)
