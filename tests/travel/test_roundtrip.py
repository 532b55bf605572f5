"""Generated manifests and MRZs read back as written; random input gets the clear error or a
result, never anything else."""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from finmon.errors import InputError
from finmon.model import BirthDate
from finmon.travel.mrz import check_digit, read_mrz
from finmon.travel.paxlst import Document, Leg, Manifest, Traveller, parse_paxlst, write_paxlst

TODAY = dt.date(2026, 11, 2)
NATIONS = {"KAZ": "KZ", "RUS": "RU", "UZB": "UZ", "TUR": "TR", "DEU": "DE"}
NAME = (
    st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ '-?+:", min_size=1, max_size=20)
    .map(lambda s: " ".join(s.split()))
    .filter(lambda s: s and s[0].isalpha())
)
CODE = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=3, max_size=9)


@st.composite
def birth_dates(draw: st.DrawFn) -> BirthDate:
    """A day, or a month or year (a manifest's unknown day or month)."""
    day = draw(st.dates(dt.date(1927, 11, 3), TODAY))
    known = draw(st.sampled_from(["day", "month", "year"]))
    if known == "day":
        return BirthDate.exact(day)
    if known == "year":
        return BirthDate.year(day.year)
    last = calendar.monthrange(day.year, day.month)[1]
    return BirthDate(day.replace(day=1), day.replace(day=last))


@st.composite
def travellers(draw: st.DrawFn) -> Traveller:
    nation = draw(st.sampled_from(sorted(NATIONS)))
    documents = [
        Document(
            draw(st.sampled_from(["P", "I"])),
            draw(CODE),
            draw(st.dates(dt.date(2000, 1, 1), dt.date(2049, 12, 31))),
            draw(st.sampled_from(["KZ", "RU"])),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    return Traveller(
        role=draw(st.sampled_from(["passenger", "crew"])),
        surname=draw(NAME),
        given_names=draw(st.one_of(st.just(""), NAME)),
        sex=draw(st.sampled_from(["M", "F", "U"])),
        birth_date=draw(birth_dates()),
        nationality=NATIONS[nation],
        nationality_code=nation,
        documents=documents,
        pnr=draw(st.one_of(st.none(), CODE)),
        embarkation=draw(st.sampled_from(["ALA", "NQZ"])),
        debarkation=draw(st.sampled_from(["IST", "FRA"])),
    )


@st.composite
def manifests(draw: st.DrawFn) -> Manifest:
    legs = [Leg("ALA", "IST")] if draw(st.booleans()) else [Leg("ALA", "NQZ"), Leg("NQZ", "FRA")]
    moment = st.datetimes(dt.datetime(2020, 1, 1), dt.datetime(2049, 12, 31)).map(
        lambda t: t.replace(second=0, microsecond=0)
    )
    return Manifest(
        flight=draw(CODE),
        departure_airport=legs[0].origin,
        arrival_airport=legs[-1].destination,
        departure_time=draw(moment),
        arrival_time=draw(moment),
        legs=legs,
        travellers=draw(st.lists(travellers(), max_size=6)),
        message_reference=draw(CODE),
    )


@settings(max_examples=150, deadline=None)
@given(st.lists(manifests(), min_size=1, max_size=3))
def test_a_written_manifest_reads_back_as_written(written: list[Manifest]) -> None:
    text = write_paxlst(written)
    assert parse_paxlst(text, Path("generated.edi"), TODAY) == written


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_any_text_is_a_manifest_or_a_clear_error(text: str) -> None:
    try:
        parse_paxlst(text, Path("random.edi"), TODAY)
    except InputError as error:
        assert str(error).startswith("random.edi")


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_read_from_a_file_are_a_manifest_or_a_clear_error(
    tmp_path_factory: object, data: bytes
) -> None:
    from finmon.travel.paxlst import read_paxlst

    path = Path(str(tmp_path_factory.mktemp("bytes"))) / "random.edi"  # type: ignore[attr-defined]
    path.write_bytes(data)
    try:
        read_paxlst(path, today=TODAY)
    except InputError as error:
        assert str(path) in str(error)


@st.composite
def td3_fields(draw: st.DrawFn) -> dict[str, object]:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return {
        "surname": draw(st.text(alphabet=letters, min_size=1, max_size=15)),
        "given": draw(st.text(alphabet=letters, min_size=1, max_size=10)),
        "number": draw(st.text(alphabet=letters + "0123456789", min_size=9, max_size=9)),
        "nation": draw(st.sampled_from(sorted(NATIONS))),
        "born": (born := draw(st.dates(dt.date(1927, 11, 3), TODAY))),
        # An expiry after the birth and at most 50 years ahead (EXPIRY_YEARS_AHEAD): a later
        # one is read a century earlier, as no document runs that long.
        "expires": draw(st.dates(max(born, dt.date(2000, 1, 1)), dt.date(TODAY.year + 50, 12, 31))),
        "sex": draw(st.sampled_from(["M", "F"])),
    }


@settings(max_examples=200, deadline=None)
@given(td3_fields())
def test_a_composed_td3_reads_back_and_any_changed_character_is_refused(
    fields: dict[str, object],
) -> None:
    name = f"{fields['surname']}<<{fields['given']}".ljust(39, "<")
    line1 = f"P<{fields['nation']}{name}"
    number = str(fields["number"])
    born = f"{fields['born']:%y%m%d}"
    expires = f"{fields['expires']:%y%m%d}"
    personal = "<" * 14
    line2 = (
        f"{number}{check_digit(number)}{fields['nation']}{born}{check_digit(born)}"
        f"{fields['sex']}{expires}{check_digit(expires)}{personal}<"
    )
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    line2 += check_digit(composite)
    mrz = read_mrz(f"{line1}\n{line2}", today=TODAY)
    assert (mrz.surname, mrz.given_names) == (fields["surname"], fields["given"])
    assert (mrz.document_number, mrz.birth_date) == (number, BirthDate.exact(fields["born"]))
    assert (mrz.nationality, mrz.nationality_iso2) == (
        fields["nation"],
        NATIONS[str(fields["nation"])],
    )
    for position in (0, 5, 14, 22, 43):  # number, its check, birth date, expiry, composite
        # A check digit sums values mod 10, so the change must move the value mod 10 (B for 1
        # would pass, as in every ICAO document).
        value = _value(line2[position])
        changed = line2[:position] + str((value + 1) % 10) + line2[position + 1 :]
        try:
            read_mrz(f"{line1}\n{changed}", today=TODAY)
        except InputError:
            continue
        raise AssertionError(f"a changed character at {position} was not refused: {changed}")


def _value(character: str) -> int:
    if character.isdigit():
        return int(character)
    return 0 if character == "<" else ord(character) - ord("A") + 10


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=120))
def test_any_text_is_an_mrz_or_a_clear_error(text: str) -> None:
    with contextlib.suppress(InputError):
        read_mrz(text, today=TODAY)


PIECES = ["UNA:+.? '", "UNB", "UNH+1'", "NAD+FL+++", "A", "Z", "1", "'", "+", ":", "?", "?'"]
PIECES += ["??", "\n", "\r", " ", "\t", "\U0001f600", "\U000f0041", "Ә"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30))
def test_the_quick_readings_split_exactly_as_the_general_one(pieces: list[str]) -> None:
    from finmon.travel.paxlst import _service, _split, _split_runs

    text, path = "".join(pieces), Path("m.edi")

    def read(split: Any) -> Any:
        try:
            return [(s.number, s.tag, s.elements) for s in split()]
        except InputError as error:
            return str(error)

    def general() -> Any:
        service, position = _service(path, text)
        return _split_runs(path, text, position, service)

    assert read(lambda: _split(path, text)) == read(general)
