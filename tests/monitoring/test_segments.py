"""Segments read from the transfers: an organisation shows itself by its legal form or its BIN;
the accounts table, where it names an account, decides."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from finmon.monitoring.segments import inferred_segments, organisations, segment_of
from finmon.transactions.model import PartyInfo, Transaction


@pytest.mark.parametrize(
    ("name", "number", "segment"),
    [
        ("ОФ «Жанашыр Ырыс»", None, "npo"),
        ("БФ «Қамқорлық Орда»", None, "npo"),
        ("КФ «Аналар үні»", None, "npo"),
        ("Umit Public Foundation", None, "npo"),
        ("«Мейірім» қайырымдылық қоры", None, "npo"),
        ("Halyk Bank Foundation", None, "npo"),  # a bank's foundation is a non-profit
        ("КГУ «Общеобразовательная школа №1»", None, "public"),
        ("ГККП «Ясли-сад №121»", None, "public"),
        ("Алматы қаласы әкімдігі", None, "public"),
        ("АО «Дала Банк»", None, "bank"),
        ("ТОО «Альфа Строй»", None, "business"),
        ("ИП ПЕТРОВ Е.А.", "660211328102", "business"),  # an entrepreneur with an IIN
        ("SILK ROAD TRADING LLC", None, "business"),
        ("YIWU GOLDEN STAR IMPORT AND EXPORT CO., LTD", None, "business"),
        ("ОМАРОВ АРМАН ЕРЛАНОВИЧ", "871008401427", None),  # a person with an IIN
        ("Omarov Arman", None, None),
        # Institutions named by what they are: a clinic or university abroad is not a person.
        ("Acibadem Hastanesi", None, "business"),
        ("Severance Hospital", None, "business"),
        ("Urumqi Medical University", None, "business"),
        ("Universitaetsklinikum Heidelberg", None, "business"),  # inside a longer word
        ("Ankara Üniversitesi", None, "business"),
        ("ФГБУ НМИЦ онкологии им. Н.Н. Блохина", None, "public"),
        ("Charité Berlin", None, None),  # a name alone that says neither
        ("Merter Giyim AS", None, "business"),  # Turkey's A.Ş. in Latin letters
        ("Yildiz Tekstil Ltd. Şti.", None, "business"),
        ("ALFA", "940140000385", "business"),  # a BIN says it
        ("ALFA", "940140000386", None),  # BIN-shaped, the wrong check digit
        (None, "950341000052", "business"),
        (None, None, None),
    ],
)
def test_segment_of(name: str | None, number: str | None, segment: str | None) -> None:
    assert segment_of(PartyInfo(name=name, id=number)) == segment


def _transfer(number: int, src: PartyInfo, dst: PartyInfo) -> Transaction:
    when = dt.datetime(2026, 3, 1, tzinfo=dt.UTC) + dt.timedelta(hours=number)
    return Transaction(f"T{number}", when, Decimal(1000), "KZT", src, dst)


def test_inferred_segments_the_table_decides() -> None:
    person = PartyInfo(name="ОМАРОВ АРМАН", account="A1", id="871008401427")
    charity = PartyInfo(name="ОФ «Мейірім»", account="C1")
    shop = PartyInfo(name="ТОО «Альфа»", account="S1")
    renamed = PartyInfo(name="МЕЙІРІМ", account="C2")  # shows nothing at first ...
    later = PartyInfo(name="ОФ «Мейірім»", account="C2")  # ... and later its legal form
    cash = PartyInfo(name="ОМАРОВ АРМАН")  # no account: nothing to decide
    transfers = [
        _transfer(1, person, charity),
        _transfer(2, person, shop),
        _transfer(3, person, renamed),
        _transfer(4, later, person),
        _transfer(5, person, cash),
    ]
    assert inferred_segments(transfers) == {"C1": "npo", "S1": "business", "C2": "npo"}
    table = {"S1": "npo", "A1": "retail", "C1": ""}  # an empty segment is none given
    assert inferred_segments(transfers, table) == {
        "S1": "npo",
        "A1": "retail",
        "C1": "npo",
        "C2": "npo",
    }


def test_organisations_leave_out_the_holder_named_on_cash() -> None:
    firm = PartyInfo(name="ТОО «Альфа»", account="S1")
    supplier = PartyInfo(name="ТОО «Бета»", account="S2")
    named_by_name = PartyInfo(name="Demir Ltd")  # abroad, no account: known by its name
    drawn = PartyInfo(name="ТОО «Альфа»")  # its own cash withdrawal: no account
    transfers = [
        _transfer(1, firm, supplier),
        _transfer(2, firm, named_by_name),
        Transaction(
            "T3",
            dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
            Decimal(1),
            "KZT",
            firm,
            drawn,
            channel="ATM",
        ),
    ]
    assert organisations(transfers) == {"S1", "S2", "Demir Ltd"}
    # The same name on a transfer (not cash) is an organisation paid.
    transfers[2] = _transfer(3, firm, drawn)
    assert organisations(transfers) == {"S1", "S2", "Demir Ltd", "ТОО «Альфа»"}
