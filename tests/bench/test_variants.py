"""The Kazakh/Russian variant pairs: romanisers, patronymics and the committed CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter

from bench import variants
from bench.variants import Informal, icao, informal, kk_patronymic, kz_latin, ru_patronymic


def test_icao_romanises_kazakh_and_russian_letters() -> None:
    assert icao("Нұрсұлтан Назарбаев") == "NURSULTAN NAZARBAEV"
    assert icao("Юлия Хасенова") == "IULIIA KHASENOVA"
    assert icao("Қайрат Әлиев") == "KAIRAT ALIEV"


def test_kazakh_latin_2021_uses_its_own_letters() -> None:
    assert kz_latin("Нұрсұлтан") == "Nūrsūltan"
    assert kz_latin("Әбілқасымов") == "Äbılqasymov"
    assert kz_latin("Жаңа Шығыс") == "Jaña Şyğys"
    assert kz_latin("Исабеков") == "İsabekov"


def test_informal_styles_differ_where_practice_differs() -> None:
    assert informal("Назарбаев", Informal()) == "Nazarbayev"
    assert informal("Евгений Григорьев", Informal()) == "Yevgeniy Grigoryev"
    assert (
        informal("Евгений Григорьев", Informal(soft_e="ie", final_iy="ii")) == "Yevgenii Grigoriev"
    )
    assert informal("Жанар Хасенова", Informal(zh="j", kh="h")) == "Janar Hasenova"
    assert informal("Ерланұлы", Informal(uly="ulu")) == "Yerlanulu"


def test_patronymics_follow_russian_and_kazakh_rules() -> None:
    assert ru_patronymic("Серик", False) == "Серикович"
    assert ru_patronymic("Сергей", True) == "Сергеевна"
    assert ru_patronymic("Юрий", False) == "Юрьевич"
    assert ru_patronymic("Дмитрий", False) == "Дмитриевич"
    assert kk_patronymic("Серік", True) == "Серікқызы"
    assert kk_patronymic("Серік", False) == "Серікұлы"


def test_generation_is_deterministic_and_matches_the_committed_file() -> None:
    text = variants.to_csv(variants.generate())
    assert text == variants.to_csv(variants.generate())
    assert variants.OUTPUT.read_text(encoding="utf-8") == text


def test_set_is_large_enough_with_a_third_controls() -> None:
    rows = list(csv.DictReader(io.StringIO(variants.to_csv(variants.generate()))))
    labels = Counter(row["is_match"] for row in rows)
    assert len(rows) >= 300
    assert labels["false"] * 3 >= len(rows)
    assert len({(row["name1"], row["name2"]) for row in rows}) == len(rows)
    assert all(row["name1"] != row["name2"] for row in rows)


def test_other_seed_gives_other_pairs() -> None:
    assert variants.generate(1) != variants.generate(2)
