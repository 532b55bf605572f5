"""Matching on keyed hashes: spellings of one name meet, other names and other keys do not."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from finmon.errors import InputError
from finmon.fiu.exchange import (
    PAD_TO,
    ExchangeSubject,
    RequestMeta,
    make_request,
    match_request,
    parse_request,
    subject_digests,
)
from finmon.fiu.records import Identifier

KEY = b"k" * 32
META = RequestMeta(
    requesting_fiu="XX-FIU",
    receiving_fiu="KZ-AFM",
    reference="R-1",
    purpose="terrorist financing",
    legal_basis="Egmont principles",
)


def _person(sid: str, name: str, born: str | None = None, **ids: str) -> ExchangeSubject:
    return ExchangeSubject(
        id=sid,
        kind="person",
        name=name,
        birth_date=dt.date.fromisoformat(born) if born else None,
        identifiers=tuple(Identifier(kind=k, value=v) for k, v in ids.items()),  # type: ignore[arg-type]
    )


def _matched(asked: list[ExchangeSubject], held: list[ExchangeSubject], key: bytes = KEY) -> set:
    request, refs = make_request(META, asked, KEY)
    return {(refs[m.ref], m.subject.id, m.basis) for m in match_request(request, held, key)}


def test_spellings_across_scripts_and_word_order_match_in_the_same_birth_year() -> None:
    asked = [_person("A1", "Ермеков Асхат Нурланович", "1980-03-01")]
    held = [
        _person("B1", "Askhat Yermekov", "1980-11-30"),
        _person("B2", "Askhat Yermekov", "1981-03-01"),
        _person("B3", "Askhat Yermakov", "1980-01-01"),
    ]
    found = _matched(asked, held)
    assert ("A1", "B1", ("name_year",)) in found
    assert ("A1", "B3", ("name_year",)) in found  # the skeleton survives a vowel
    assert not any(b == "B2" for _, b, _ in found)  # another birth year


def test_identifiers_match_on_their_own_whatever_the_name_or_spacing() -> None:
    asked = [_person("A1", "Anna Petrova", "1975-05-05", iin="750505 400123")]
    held = [_person("B1", "Smirnova Anna", None, iin="750505400123"), _person("B2", "Anna X")]
    assert _matched(asked, held) == {("A1", "B1", ("identifier",))}


def test_organisations_match_by_name_alone_in_any_script() -> None:
    asked = [ExchangeSubject(id="A1", kind="organisation", name="ТОО Астана Трейд")]
    held = [
        ExchangeSubject(id="B1", kind="organisation", name="Astana Trade LLP"),
        ExchangeSubject(id="B2", kind="organisation", name="Almaty Trade LLP"),
    ]
    assert _matched(asked, held) == {("A1", "B1", ("name",))}


def test_another_key_is_refused_and_would_match_nothing() -> None:
    asked = [_person("A1", "Askhat Yermekov", "1980-01-01")]
    with pytest.raises(InputError, match="another key"):
        _matched(asked, asked, b"z" * 32)
    other = subject_digests(asked[0], b"z" * 32)
    assert not set(other) & set(subject_digests(asked[0], KEY))


def test_a_request_carries_digests_padded_and_no_name_nor_identifier() -> None:
    asked = [_person("A1", "Askhat Yermekov", "1980-01-01", passport="N1234567")]
    request, refs = make_request(META, asked, KEY)
    text = json.dumps(request.document())
    for secret in ("Askhat", "askhat", "ashat", "Yermekov", "ermekov", "N1234567", "A1"):
        assert secret not in text
    (subject,) = request.subjects
    assert len(subject.digests) % PAD_TO == 0
    assert list(refs) == [subject.ref]


def test_a_request_read_back_is_checked_field_by_field() -> None:
    request, _ = make_request(META, [_person("A1", "Askhat Yermekov", "1980-01-01")], KEY)
    document = request.document()
    assert parse_request(document, "r").subjects == request.subjects
    document["subjects"][0]["digests"][0] = "not hex"
    with pytest.raises(InputError, match=r"subjects\[0\].digests"):
        parse_request(document, "r")
    with pytest.raises(InputError, match="urgency"):
        parse_request({**request.document(), "urgency": "now"}, "r")


def test_a_short_key_is_refused() -> None:
    from finmon.fiu.exchange import check_key

    with pytest.raises(InputError, match="at least 32 bytes"):
        check_key(b"short", "K")


def test_a_patronymic_left_out_matches_but_a_different_one_does_not() -> None:
    asked = [_person("A1", "Volkov Viktor Vyacheslavovich", "1970-01-01")]
    held = [
        _person("B1", "Viktor Volkov", "1970-05-05"),
        _person("B2", "VIKTOR SERGEEVICH VOLKOV", "1970-05-05"),
        _person("B3", "Виктор Вячеславович Волков", "1970-05-05"),
    ]
    assert {b for _, b, _ in _matched(asked, held)} == {"B1", "B3"}
    without = [_person("A2", "Viktor Volkov", "1970-01-01")]
    assert {b for _, b, _ in _matched(without, held)} == {"B1", "B2", "B3"}


def test_russian_and_kazakh_forms_of_one_patronymic_match() -> None:
    asked = [_person("A1", "Ермеков Асхат Нурланович", "1980-03-01")]
    held = [
        _person("B1", "Yermekov Askhat Nurlanuly", "1980-07-12"),
        _person("B2", "Yermekov Askhat Serikuly", "1980-07-12"),
        _person("B3", "Nurlan Askhatov Ermekovich", "1980-07-12"),  # a given name, not a father
    ]
    assert {b for _, b, _ in _matched(asked, held)} == {"B1"}
