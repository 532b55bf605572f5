"""Chinese and Korean names across scripts and romanisation systems."""

from __future__ import annotations

from finmon.model import Schema
from finmon.names.romanise import (
    romanisation_key,
    romanise_cjk,
    spelling_key,
    syllabic_romanisation,
)
from finmon.screening import DEFAULT_THRESHOLD, compare_names


def score(a: str, b: str) -> float:
    return compare_names(a, b, Schema.PERSON).score


def test_han_and_hangul_read_as_family_name_then_joined_given_name() -> None:
    assert romanise_cjk("毛泽东").split() == ["mao", "zedong"]
    assert romanise_cjk("김정은").split() == ["gim", "jeongeun"]
    assert romanise_cjk("海燕 陈").split() == ["haiyan", "chen"]


def test_the_key_evens_out_romanisation_systems() -> None:
    assert romanisation_key("tsetung") == romanisation_key("zedong")  # Wade-Giles, pinyin
    assert romanisation_key("ceng") != romanisation_key("zheng")  # dental, retroflex
    assert romanisation_key("hsi") == romanisation_key("xi")
    assert romanisation_key("chinping") == romanisation_key("jinping")
    assert romanisation_key("chongun") == romanisation_key("jeongeun")  # MR, RR
    assert romanisation_key("kim") == romanisation_key("gim")
    assert romanisation_key("kim") != romanisation_key("pak")
    # Words that no syllable string spells are not keyed (consonant clusters).
    assert romanisation_key("schmidt") is None and romanisation_key("strand") is None


def test_one_name_in_script_and_systems_matches() -> None:
    for a, b in [
        ("毛泽东", "Mao Zedong"),
        ("毛泽东", "Mao Tse-tung"),
        ("김정은", "Kim Jong Un"),
        ("김정은", "Kim Chong-un"),
        ("习近平", "Xi Jinping"),
    ]:
        assert score(a, b) >= DEFAULT_THRESHOLD, (a, b)


def test_two_latin_spellings_are_not_compared_on_the_romanisation_key() -> None:
    # Voicing and vowel merges would make other names meet (Farhad, Farhat; Temir, Demir).
    for a, b in [("Farhad", "Farhat"), ("Temir Ismoilov", "Ismail Demir"), ("Yang", "Jiang")]:
        pairs = compare_names(a, b, Schema.PERSON).explanation["pairs"]
        assert "romanisation" not in {pair["method"] for pair in pairs}, (a, b)


def test_wade_giles_and_mccune_reischauer_spellings_meet_the_other_systems() -> None:
    # Hyphenated syllables or an aspiration mark say which systems a Latin name is written in.
    for a, b in [
        ("Hsi Chin-ping", "Xi Jinping"),
        ("Hsu Chih-yung", "Xu Zhiyong"),
        ("Pak To-ch'un", "Bak Do-chun"),
        ("Chin T'ieh-san", "金铁三"),
    ]:
        assert score(a, b) >= DEFAULT_THRESHOLD, (a, b)
    assert syllabic_romanisation("mao tse-tung") and syllabic_romanisation("chiang k'ai")
    # Hyphens between words that are not syllables, after an article, or in a name with no
    # one-syllable family name are not such a mark.
    for name in ("nur ad-din", "saif-al-din", "jean-paul sartre", "muhammad ja-far", "bin-laden"):
        assert not syllabic_romanisation(name), name
    for a, b in [("Hsi Chin-ping", "Xi Jinmin"), ("Pak To-ch'un", "Bak Do-hyun")]:
        assert score(a, b) < DEFAULT_THRESHOLD, (a, b)


def test_different_chinese_and_korean_names_stay_apart() -> None:
    for a, b in [
        ("김정은", "Kim Jong Nam"),
        ("毛泽东", "Mao Zemin"),
        ("Kim Yong Chol", "Kim Yong Nam"),
        ("Xi Jinping", "Li Keqiang"),
        ("Park Chung-hee", "Park Geun-hye"),
    ]:
        assert score(a, b) < DEFAULT_THRESHOLD, (a, b)


def test_names_in_one_script_with_different_characters_do_not_match() -> None:
    assert score("高石早苗", "高市早苗") < DEFAULT_THRESHOLD
    assert score("김종은", "김정은") < DEFAULT_THRESHOLD
    assert score("習近平", "习近平") >= DEFAULT_THRESHOLD  # traditional and simplified
    assert score("김 정은", "정은 김") >= DEFAULT_THRESHOLD


def test_joined_syllables_meet_the_given_name_they_spell() -> None:
    # Syllables whose consonant key adds nothing to one of them (wei kuo).
    assert score("张卫国", "Chang Wei-kuo") >= DEFAULT_THRESHOLD
    assert score("张卫国", "Zhang Weidong") < DEFAULT_THRESHOLD


def test_japanese_kana_read_whole_words_with_their_voicing() -> None:
    assert romanise_cjk("バラク・オバマ").split() == ["baraku", "obama"]
    assert score("バラク・オバマ", "Barack Obama") >= DEFAULT_THRESHOLD
    assert score("バラク・オバマ", "Barack Osman") < DEFAULT_THRESHOLD


def test_hangul_r_starts_a_syllable_as_the_lists_write_it() -> None:
    assert romanise_cjk("리제선").split() == ["ri", "jeseon"]
    assert score("리제선", "RI JE-SON") >= DEFAULT_THRESHOLD


def test_korean_family_names_meet_their_english_spellings() -> None:
    # 박 Park, 임 Lim, 안 Ahn, 유 Yoo, 이 Lee: ar for a, a silent h, the r or l dropped before i.
    for hangul, latin in (("박근혜", "Park Geun-hye"), ("임민수", "Lim Min-su"),
                          ("안민수", "Ahn Min-su"), ("유민수", "Yoo Min-su")):  # fmt: skip
        assert compare_names(hangul, latin, Schema.PERSON).score >= DEFAULT_THRESHOLD
    assert spelling_key("park") == spelling_key("bak") == romanisation_key("bak")
    assert spelling_key("lee") == spelling_key("i")
    # The frequency of a name read from Hangul is not read under the English spellings.
    assert romanisation_key("park") is None
    # Other family names stay other: 박 is not Pyo, nor 임 Kim.
    assert compare_names("박근혜", "Pyo Geun-hye", Schema.PERSON).score < DEFAULT_THRESHOLD
    assert compare_names("임민수", "Kim Min-su", Schema.PERSON).score < DEFAULT_THRESHOLD


def test_a_korean_family_name_in_english_spelling_is_a_syllable_of_a_romanised_name() -> None:
    # Lee Byeong-cheol (Revised Romanization, 이 as Lee) is Pyong Chol RI (McCune-Reischauer).
    assert syllabic_romanisation("lee byeong-cheol") and syllabic_romanisation("park geun-hye")
    assert score("Lee Byeong-cheol", "Pyong Chol RI") >= DEFAULT_THRESHOLD
    assert score("Lee Byeong-cheol", "Pyong Chol KIM") < DEFAULT_THRESHOLD
    # Without a mark of those systems, Latin words are not compared on their key: Lee is also
    # an English name.
    assert not syllabic_romanisation("lee chol") and not syllabic_romanisation("lee smith")
    assert score("Lee Chol", "Ri Chol") < DEFAULT_THRESHOLD
