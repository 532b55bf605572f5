"""`finmon travel screen`: a manifest's travellers against the loaded lists, one row per hit."""

from __future__ import annotations

import contextlib
import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from finmon.cli import app
from finmon.cli.travel import TRAVEL_COLUMNS
from finmon.store import load_list
from tests.accounts import make_user
from tests.store.workflow_data import fixture_designations, un_version

MANIFEST = """\
UNA:+.? '
UNB+UNOA:4+KCAIR:ZZ+KZBORDER:ZZ+261102:0730+000000321'
UNH+M001+PAXLST:D:05B:UN:IATA+KC901/261102/1030+01:F'
BGM+745'
TDT+20+KC901+++KC'
LOC+125+IST'
DTM+189:2611021030:201'
LOC+87+ALA'
DTM+232:2611021815:201'
NAD+FL+++KARAGULOV:TIMUR:AKHATOVICH'
ATT+2++M'
DTM+329:880229'
NAT+2+RUS'
DOC+P:110:111+753000001'
LOC+91+RUS'
NAD+FL+++ORMANOV:ZHANYBEK'
ATT+2++M'
DTM+329:910821'
NAT+2+KAZ'
DOC+P:110:111+N00000906'
LOC+91+KAZ'
NAD+FL+++SEITKALI:AIGERIM'
ATT+2++F'
DTM+329:950402'
NAT+2+KAZ'
DOC+P:110:111+N12121212'
LOC+91+KAZ'
UNT+26+M001'
UNZ+1+000000321'
"""


def test_travel_screen_names_each_listed_traveller_by_flight(tmp_path: Path) -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    manifest = tmp_path / "kc901.edi"
    manifest.write_text(MANIFEST, encoding="utf-8")
    out = tmp_path / "hits.csv"
    result = CliRunner().invoke(app, ["travel", "screen", str(manifest), "--output", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert tuple(reader.fieldnames or ()) == TRAVEL_COLUMNS
    assert rows[-1]["status"] == "summary"
    assert rows[-1]["explanation"].startswith("3 travellers read, 3 screened, 0 skipped; 0 faults")
    by_reference = {row["reference"]: row for row in rows if row["status"] == "hit"}
    assert set(by_reference) == {"QDi.905", "QDi.906"}  # not the third traveller
    timur = by_reference["QDi.905"]
    assert (timur["flight"], timur["birth_date"], timur["nationality"]) == (
        "KC901",
        "1988-02-29",
        "RU",
    )
    assert timur["traveller"] == "1 (passenger)"
    # A listed passport number decides, whatever the spelling of the name.
    zhanibek = by_reference["QDi.906"]
    assert "N00000906" in zhanibek["document"]
    evidence = json.loads(zhanibek["explanation"])["evidence"]
    assert any(e["feature"] == "identifier" for e in evidence)
    assert "3 travellers screened: 2 hits on 2 travellers" in result.output
    broken = tmp_path / "broken.edi"
    broken.write_text(MANIFEST.replace("UNT+26+M001'", "UNT+27+M001'"), encoding="utf-8")
    # A wrong count is a fault that does not stop the screening, unless --strict.
    lenient = CliRunner().invoke(app, ["travel", "screen", str(broken)])
    assert lenient.exit_code == 10  # done, with a fault: README's exit codes
    assert "3 travellers screened: 2 hits on 2 travellers" in lenient.output
    assert "fault: " in lenient.output and "(UNT): the message counts 27" in lenient.output
    refused = CliRunner().invoke(app, ["travel", "screen", "--strict", str(broken)])
    assert refused.exit_code == 2
    assert "UNT" in refused.output


@contextlib.contextmanager
def _border_officer() -> Iterator[tuple[Any, dict[str, str]]]:
    """An API client and the headers of an analyst's key."""
    from fastapi.testclient import TestClient

    from finmon.api import create_app
    from finmon.workflow.access import Role

    key = make_user("border.officer", Role.ANALYST)
    with TestClient(create_app()) as client:
        yield client, {"Authorization": f"Bearer {key}"}


def test_post_travel_screen_answers_the_same_rows() -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    with _border_officer() as (client, headers):
        answer = client.post("/travel/screen", json={"manifest": MANIFEST}, headers=headers)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["travellers"] == 3
        assert sorted(hit["reference"] for hit in body["hits"]) == ["QDi.905", "QDi.906"]
        assert {hit["flight"] for hit in body["hits"]} == {"KC901"}
        broken = MANIFEST.replace("UNT+26+M001'", "UNT+27+M001'")
        lenient = client.post("/travel/screen", json={"manifest": broken}, headers=headers)
        assert lenient.status_code == 200, lenient.text
        assert lenient.json()["travellers_read"] == 3 and len(lenient.json()["hits"]) == 2
        assert [(f["segment"], f["tag"]) for f in lenient.json()["faults"]] == [(28, "UNT")]
        strict = {"manifest": broken, "strict": True}
        refused = client.post("/travel/screen", json=strict, headers=headers)
        assert refused.status_code == 422
        assert "segment" in refused.json()["detail"] and "(UNT)" in refused.json()["detail"]


def test_a_screener_of_people_alone_gives_the_same_rows() -> None:
    from finmon.screening import Screener
    from finmon.travel.paxlst import parse_paxlst
    from finmon.travel.screening import PEOPLE, screen_travellers

    manifests = parse_paxlst(
        MANIFEST.replace("SEITKALI:AIGERIM", "STEPPE WIND:BATTALION"), Path("m")
    )
    everyone = Screener(fixture_designations())
    people = Screener(d for d in fixture_designations() if d.schema in PEOPLE)
    assert len(people.designations) < len(everyone.designations)
    full, travellers = screen_travellers(manifests, everyone, 0.8)
    assert {row["reference"] for row in full} == {"QDi.905", "QDi.906"}  # not the group QDe.901
    assert screen_travellers(manifests, people, 0.8) == (full, travellers)


def test_a_cyrillic_manifest_in_the_character_set_unb_names(tmp_path: Path) -> None:
    # A manifest in ISO 8859-5 (UNOE), names in Cyrillic with the birth day unknown: the listed
    # person is found all the same; --encoding overrides a wrong declaration.
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    text = (
        MANIFEST.replace("UNOA:4", "UNOE:4")
        .replace("KARAGULOV:TIMUR:AKHATOVICH", "КАРАГУЛОВ:ТИМУР:АХАТОВИЧ")
        .replace("DTM+329:880229'", "DTM+329:880200'")
    )
    manifest = tmp_path / "kc901.edi"
    manifest.write_bytes(text.encode("iso8859-5"))
    out = tmp_path / "hits.csv"
    result = CliRunner().invoke(app, ["travel", "screen", str(manifest), "--output", str(out)])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        timur = next(row for row in csv.DictReader(handle) if row["reference"] == "QDi.905")
    assert (timur["name"], timur["birth_date"]) == (
        "ТИМУР АХАТОВИЧ КАРАГУЛОВ",
        "1988-02-01..1988-02-29",
    )
    manifest.write_bytes(text.replace("UNOE:4", "UNOA:4").encode("iso8859-5"))
    # Bytes not valid in the declared set: each traveller is still screened, each fault named.
    lenient = CliRunner().invoke(app, ["travel", "screen", str(manifest)])
    assert lenient.exit_code == 10, lenient.output
    assert "(NAD): byte 0x" in lenient.output and "is not valid in UNOA" in lenient.output
    assert "3 travellers read, 3 screened, 0 skipped" in lenient.output
    refused = CliRunner().invoke(app, ["travel", "screen", "--strict", str(manifest)])
    assert refused.exit_code == 2
    assert "kc901.edi" in refused.output
    args = ["travel", "screen", str(manifest), "--encoding", "iso8859-5", "--output", str(out)]
    assert CliRunner().invoke(app, args).exit_code == 0


def _td3(surname: str, given: str, number: str, nation: str, born: str, sex: str) -> str:
    """A passport's two MRZ lines, every check digit computed."""
    from finmon.travel.mrz import check_digit

    line1 = f"P<{nation}{surname}<<{given.replace(' ', '<')}".ljust(44, "<")
    number = number.ljust(9, "<")
    expiry = "320101"
    head = f"{number}{check_digit(number)}{nation}{born}{check_digit(born)}{sex}"
    head += f"{expiry}{check_digit(expiry)}" + "<" * 14 + "<"
    composite = head[0:10] + head[13:20] + head[21:43]
    return f"{line1}\n{head}{check_digit(composite)}"


def test_travel_mrz_reads_the_document_and_screens_its_holder(tmp_path: Path) -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    listed = _td3("KARAGULOV", "TIMUR AKHATOVICH", "753000001", "RUS", "880229", "M")
    result = CliRunner().invoke(app, ["travel", "mrz", *listed.splitlines()])
    assert result.exit_code == 0, result.output
    assert "QDi.905" in result.output and "1 hits for TIMUR AKHATOVICH KARAGULOV" in result.output
    ordinary = _td3("SEITKALI", "AIGERIM", "N12121212", "KAZ", "950402", "F")
    piped = CliRunner().invoke(app, ["travel", "mrz", "-"], input=ordinary + "\n")
    assert piped.exit_code == 0, piped.output
    assert "0 hits for AIGERIM SEITKALI" in piped.output
    wrong = listed[:-1] + str((int(listed[-1]) + 1) % 10)  # the composite check digit
    refused = CliRunner().invoke(app, ["travel", "mrz", *wrong.splitlines()])
    assert refused.exit_code == 2
    assert "line 2, column 44: composite check digit" in refused.output

    with _border_officer() as (client, headers):
        answer = client.post("/travel/mrz", json={"mrz": listed}, headers=headers)
        assert answer.status_code == 200, answer.text
        body = answer.json()
        assert body["document"]["number"] == "753000001"
        assert body["document"]["birth_date"] == "1988-02-29"
        assert [hit["reference"] for hit in body["hits"]] == ["QDi.905"]
        bad = client.post("/travel/mrz", json={"mrz": wrong}, headers=headers)
        assert bad.status_code == 422
        assert "composite check digit" in bad.json()["detail"]
