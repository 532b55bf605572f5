"""Name parts: particles, titles, patronymics, legal forms, weights."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from finmon.model import Schema
from finmon.names import TokenKind, analyse_name
from finmon.names.keys import fold, skeleton


def kinds(name: str, schema: Schema = Schema.PERSON) -> list[tuple[str, TokenKind]]:
    return [(t.key, t.kind) for t in analyse_name(name, schema).tokens]


def test_kazakh_and_russian_patronymics_share_the_fathers_name() -> None:
    kazakh = analyse_name("Нұрсұлтан Әбішұлы Назарбаев", Schema.PERSON).tokens[1]
    russian = analyse_name("Нурсултан Абишевич Назарбаев", Schema.PERSON).tokens[1]
    separate = analyse_name("Nursultan Abish uly Nazarbayev", Schema.PERSON).tokens[1]
    assert kazakh.kind is russian.kind is separate.kind is TokenKind.PATRONYMIC
    assert kazakh.stem == russian.stem == separate.stem == "abish"


def test_filiation_and_nisba_are_marked_and_particles_dropped() -> None:
    assert kinds("Usama bin Muhammad bin Awad bin Ladin") == [
        ("usama", TokenKind.NAME),
        ("muhamad", TokenKind.PATRONYMIC),
        ("avad", TokenKind.PATRONYMIC),
        ("ladin", TokenKind.NAME),
    ]
    assert kinds("Saddam Hussein al-Tikriti")[-1] == ("tikriti", TokenKind.NISBA)
    # A word that only folds onto a particle is a name (T'ieh folds as 'the' does: its key is te).
    assert [text for text, _ in kinds("Chin T'ieh-san")] == ["chin", "te", "san"]
    assert [text for text, _ in kinds("Rafael della Torre")] == ["rafael", "tore"]
    # A letter beside another letter is an initial, not the particle e or y.
    assert [text for text, _ in kinds("Smirnova E. A.")] == ["smirnova", "e", "a"]
    assert [text for text, _ in kinds("Ortega y Gasset")] == ["ortega", "gaset"]


def test_a_fathers_name_built_on_abd_or_abu_is_a_fathers_name_whole() -> None:
    # Abd al-Aziz after bin is the father's name: neither half is the party's own name, and the
    # al- inside the compound makes no family name.
    assert kinds("Karim bin Abd al-Aziz Zubaydi") == [
        ("karim", TokenKind.NAME),
        ("abd", TokenKind.PATRONYMIC),
        ("aziz", TokenKind.PATRONYMIC),
        ("zubaidi", TokenKind.NAME),
    ]
    assert [kind for _, kind in kinds("Karim ibn Abubakar Zubaydi")][1:3] == [
        TokenKind.PATRONYMIC,
        TokenKind.PATRONYMIC,
    ]
    assert kinds("Abd al-Aziz Zubaydi")[:2] == [("abd", TokenKind.NAME), ("aziz", TokenKind.NAME)]


def test_son_of_is_a_particle_in_arabic_script_as_in_latin() -> None:
    # ولد is written Ould in Latin: both drop it and mark the father's name that follows.
    arabic = kinds("عبد الرحمن ولد محمد سليم")
    latin = kinds("Abderrahmane Ould Mohamed Salem")
    assert [kind for _, kind in arabic] == [kind for _, kind in latin]
    assert arabic[2][1] is TokenKind.PATRONYMIC
    assert "vld" not in [key for key, _ in arabic]


def test_abd_compounds_split_the_same_way_in_every_spelling() -> None:
    forms = ["Abdurrahman", "Abd al-Rahman", "Abdul Rahman", "Abdel Rahman"]
    assert {tuple(k for k, _ in kinds(f)) for f in forms} == {("abd", "rahman")}


def test_titles_drop_only_while_two_names_remain() -> None:
    assert [k for k, _ in kinds("Haji Asad Khan")] == ["asad", "han"]
    assert [k for k, _ in kinds("Mullah Omar")] == ["mula", "omar"]


def test_legal_forms_in_any_language_become_one_weak_token() -> None:
    forms = {
        "ТОО «Жарық Сервис»": "jarik",
        "Товарищество с ограниченной ответственностью Жарык Сервис": "jarik",
        "Siemens Aktiengesellschaft": "siemens",
        "LIMITED LIABILITY COMPANY ISKUSSTVO KRASOTY": "iskustvo",
    }
    for name, first_name_part in forms.items():
        tokens = analyse_name(name, Schema.ORGANIZATION).tokens
        legal = [t for t in tokens if t.kind is TokenKind.LEGAL]
        assert len(legal) == 1, name
        assert legal[0].weight < 0.2
        assert fold(first_name_part) in [t.key for t in tokens]


def test_common_names_weigh_less_than_rare_ones() -> None:
    tokens = {t.key: t.weight for t in analyse_name("Muhammad Nurlan Zhaksylykov").tokens}
    assert tokens["muhamad"] < tokens["jaksilikov"]
    assert tokens["nurlan"] < tokens["jaksilikov"]


def test_arabic_script_marks_tokens_and_splits_the_article() -> None:
    tokens = analyse_name("صدام حسين التكريتي", Schema.PERSON).tokens
    assert all(t.arabic for t in tokens)
    assert tokens[-1].kind is TokenKind.NISBA


def test_chinese_and_korean_names_read_as_family_name_and_given_name() -> None:
    assert [t.key for t in analyse_name("习近平", Schema.PERSON).tokens] == ["ksi", "jinping"]
    assert [t.text for t in analyse_name("김정은", Schema.PERSON).tokens] == ["gim", "jeongeun"]
    # A longer run is no personal name: its syllables stay apart.
    assert len(analyse_name("中国人民解放军", Schema.ORGANIZATION).tokens) == 7


def test_legal_forms_agree_with_and_without_a_stated_schema() -> None:
    for name in ["Alpha Trading Ltd", "ТОО Жарық", "Beta Limited"]:
        stated = analyse_name(name, Schema.ORGANIZATION).tokens
        unstated = analyse_name(name, Schema.UNKNOWN).tokens
        assert [t.key for t in stated if t.kind is TokenKind.LEGAL] == [
            t.key for t in unstated if t.kind is TokenKind.LEGAL
        ], name
    assert not any(t.kind is TokenKind.LEGAL for t in analyse_name("Rahim As").tokens)


def test_tokens_are_equal_only_when_every_compared_key_is() -> None:
    nisba = analyse_name("Saddam al-Tikriti", Schema.PERSON).tokens[-1]
    name = analyse_name("Tikriti Saddam", Schema.PERSON).tokens[0]
    assert nisba.key == name.key and nisba.kind is not name.kind
    assert nisba != name
    azhar, ajar = analyse_name("Azhar").tokens[0], analyse_name("Ajar").tokens[0]
    assert azhar.key == ajar.key and azhar.cross != ajar.cross
    assert azhar != ajar


@given(st.lists(st.text("abcdeghijklmnoprstuvxyz", min_size=1, max_size=9), min_size=2, max_size=4))
def test_a_joined_token_has_the_keys_of_its_text(words: list[str]) -> None:
    # The joined key is made from the parts' keys; it must be what folding the text gives.
    name = analyse_name(" ".join(words), Schema.UNKNOWN)
    for joined in name.joined:
        assert joined.key == fold(joined.text)
        assert joined.skel == skeleton(joined.key)


def test_tokens_of_one_word_are_made_once_and_stay_those_of_its_place() -> None:
    first = analyse_name("Ivan Petrovich Sidorov", Schema.PERSON).tokens
    again = analyse_name("Sidorov Ivan Petrovich", Schema.PERSON).tokens
    assert first[1] is again[2]  # the patronymic, met again in another place after the first
    assert first[1].kind is TokenKind.PATRONYMIC
    moved = analyse_name("Petrovich Ivan Sidorov", Schema.PERSON).tokens
    assert moved[0].kind is TokenKind.NAME  # a patronymic's ending first in a name: a name


def test_a_legal_form_glued_to_a_name_is_its_own_word() -> None:
    from finmon.screening import DEFAULT_THRESHOLD, compare_names

    glued = analyse_name("SiemensAG", Schema.ORGANIZATION)
    assert [t.kind for t in glued.tokens][-1] is TokenKind.LEGAL
    assert glued.text == "SiemensAG"
    assert compare_names("SiemensAG", "Siemens AG", Schema.ORGANIZATION).score >= DEFAULT_THRESHOLD
    # Capitals that are no legal form stay in the word; a person's name is not split.
    assert len(analyse_name("McDONALD Trading", Schema.ORGANIZATION).tokens) == 2
    assert len(analyse_name("JohnAB", Schema.PERSON).tokens) == 1
