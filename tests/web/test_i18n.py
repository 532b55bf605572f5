"""The web's texts table: read whole from texts.csv, every key with its English."""

from __future__ import annotations

from importlib import resources

from finmon.web.i18n import TEXTS, status_text, text


def test_every_row_of_the_table_is_a_text_with_its_english() -> None:
    rows = resources.files("finmon.web").joinpath("texts.csv").read_text("utf-8").splitlines()
    assert rows[0] == "key,en,ru,kk"
    assert len(TEXTS) == len(rows) - 1  # no key stands twice, no row is lost
    assert all(english for english, _ in TEXTS.values())


def test_a_text_falls_back_to_english_and_a_status_to_itself() -> None:
    assert text("ru", "sign_in") == "Войти"
    assert text("kk", "sign_in") == "Sign in"
    assert status_text("ru", "active") == TEXTS["status_active"][1]
    assert status_text("ru", "no_such_status") == "no_such_status"
