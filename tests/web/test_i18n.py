"""The texts table: read whole from texts.csv, every key in every language, and the reader's
language chosen by what they asked, then their browser."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from finmon.web.i18n import (
    TEXTS,
    accepted_language,
    enum_text,
    missing_texts,
    status_text,
    text,
)

KAZAKH_LETTERS = set("әғқңөұүі")
"""The letters of Kazakh that Russian lacks (һ too, but it is rare: loanwords only)."""


def test_every_row_of_the_table_is_a_text_in_every_language() -> None:
    rows = resources.files("finmon.web").joinpath("texts.csv").read_text("utf-8").splitlines()
    assert rows[0] == "key,en,ru,kk"
    assert len(TEXTS) == len(rows) - 1  # no key stands twice, no row is lost
    assert missing_texts() == []


def test_the_russian_and_kazakh_columns_are_cyrillic_and_the_kazakh_one_is_kazakh() -> None:
    """A column filled with the English (or one language pasted for the other) is caught: the
    Russian and Kazakh texts carry no Latin word outside codes and placeholders, and Kazakh as
    a whole uses the letters Russian lacks."""
    latin_word = re.compile(r"\b[a-z]{4,}\b")  # lowercase Latin words: codes are upper case
    allowed = {
        "finmon",
        "goaml",
        "jsonl",
        "parquet",
        "transactions",
        "load",
        "screen",
        "json",
        "xlsx",
    }
    for key, (_english, russian, kazakh) in TEXTS.items():
        for value in (russian, kazakh):
            stray = set(latin_word.findall(value)) - allowed
            assert not stray, (key, value)
    kazakh_text = "".join(kk for _, _, kk in TEXTS.values()).lower()
    assert set(kazakh_text) >= KAZAKH_LETTERS
    same = [key for key, (en, ru, kk) in TEXTS.items() if ru == kk and len(ru) > 12]
    assert same == [], "Russian pasted as Kazakh"


def test_a_text_in_each_language_with_its_values_and_a_status_of_its_own() -> None:
    assert [text(lang, "sign_in") for lang in ("en", "ru", "kk")] == ["Sign in", "Войти", "Кіру"]
    assert text("kk", "detail_birth_days_apart", 12) == "Туған күндерінің айырмасы 12 күн."
    assert status_text("kk", "active") == TEXTS["status_active"][2]
    assert status_text("ru", "no_such_status") == "no_such_status"
    assert enum_text("ru", "gender", "male") == "мужской"
    assert enum_text("kk", "method", "exact") == "толық сәйкес"


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        ("kk-KZ,kk;q=0.9,ru;q=0.8,en;q=0.7", "kk"),
        ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
        ("en-US,ru;q=0.5", "en"),
        ("de-DE,ru;q=0.3,kk;q=0.6", "kk"),  # by weight, not order
        ("fr, de", None),
        ("kk;q=0, ru", "ru"),  # q=0: not acceptable
        ("", None),
        ("ru;q=abc, en", "en"),
    ],
)
def test_accept_language_chooses_by_weight_then_order(header: str, chosen: str | None) -> None:
    assert accepted_language(header) == chosen


def _audit_actions() -> set[str]:
    """Every action finmon writes to the audit log: the string literals passed as the action of
    the audit module's writers (append_audit, append_step, audit_object, record_view), the
    four-eyes approve_draft and the stores' _audit helpers."""
    import ast
    from pathlib import Path

    import finmon

    action = re.compile(r"^[a-z_]+(\.[a-z_]+)+$")
    found: set[str] = set()
    for path in Path(finmon.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name not in {
                "audit_object",
                "append_audit",
                "append_step",
                "record_view",
                "approve_draft",
                "_audit",
            }:
                continue
            values = [*node.args[:3], *(k.value for k in node.keywords if k.arg == "action")]
            found |= {
                value.value
                for value in values
                if isinstance(value, ast.Constant)
                and isinstance(value.value, str)
                and action.match(value.value)
            }
    return found


def test_every_audit_action_is_said_in_every_language() -> None:
    actions = _audit_actions()
    assert {"alert.decide", "freeze.create", "user.set_language"} <= actions  # the walk reaches
    assert sorted(a for a in actions if f"act_{a}" not in TEXTS) == []


def test_every_way_names_match_and_every_feature_detail_is_said() -> None:
    """The name comparison's methods (the string each similarity returns with) and the screening
    features' detail sentences each have their text, so an alert page never shows the code."""
    from pathlib import Path

    import finmon
    from finmon.services.readable import feature_sentence

    source = (Path(finmon.__file__).parent / "screening" / "namescore.py").read_text("utf-8")
    methods = set(re.findall(r', "([a-z_]+)"\)*$', source, flags=re.MULTILINE))
    methods -= {"al", "ad", "ud", "ul", "ed", "ks", "tah"}  # articles and letters, not methods
    methods.discard("below")  # may_align's cache marker: token_similarity never returns it
    assert {"exact", "fuzzy", "compound", "surname_slip"} <= methods
    assert sorted(m for m in methods if f"method_{m}" not in TEXTS) == []
    details = [
        "same birth date",
        "birth date within the listed date or range",
        "day and month swapped",
        "birth dates 40 days apart",
        "birth dates 12 years apart",
        "nationality shared",
        "no nationality shared",
        "different gender",
        "different kind of party",
        "different kind of party (the name looks like an organization's)",
        "same passport number",
        "different national ID",
        "common name: 9 bits of evidence in the parts that matched",
    ]
    for detail in details:
        for lang in ("kk", "ru"):
            said = feature_sentence(lang, detail)
            assert said != detail and not re.search(r"[a-z]{3,}", said), (lang, detail, said)
    assert feature_sentence("kk", "birth dates 12 years apart") == TEXTS[
        "detail_birth_years_apart"
    ][2].format(12)


def test_every_typology_of_the_shipped_packs_is_said_in_every_language() -> None:
    from finmon.monitoring.rules import load_pack
    from finmon.services.readable import typology_text

    typologies = {rule.typology for rule in load_pack().rules}
    assert len(typologies) >= 10
    for typology in sorted(typologies):
        for lang in ("kk", "ru"):
            assert typology_text(lang, typology) != typology, (lang, typology)
