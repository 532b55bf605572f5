"""The data bank file is read strictly, and only bans in force are listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from finmon.errors import InputError
from finmon.fiu.banned import SOURCE, as_list, read_bans

HEADER = (
    "reference,name,name_variants,court,decision_date,decision_number,legal_basis,category,"
    "status,lifted_on,bin\n"
)
BANK = HEADER + (
    "KZB-1,Jund al-Khilafah,Джунд аль-Халифат;Jund al Khalifa,Supreme Court,2011-11-22,"
    "3-1/11,Law on Countering Terrorism art. 12,terrorist,in_force,,\n"
    "KZB-2,Hizb ut-Tahrir,Хизб ут-Тахрир,Almaty City Court,2005-03-28,,"
    "Law on Countering Extremism art. 8,extremist,lifted,2020-01-01,\n"
)


def _bank(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_bank_reads_into_bans_and_lists_those_in_force(tmp_path: Path) -> None:
    bans, digest = read_bans(_bank(tmp_path, BANK))
    assert [b.reference for b in bans] == ["KZB-1", "KZB-2"]
    assert bans[0].name_variants == ("Джунд аль-Халифат", "Jund al Khalifa")
    listed = as_list(bans, [("bank.csv", digest)])
    assert listed.source == SOURCE
    (designation,) = listed.designations
    assert designation.reference == "KZB-1"
    assert [n.full for n in designation.names][1:] == ["Джунд аль-Халифат", "Jund al Khalifa"]
    assert "Supreme Court, 2011-11-22, No 3-1/11" in (designation.remarks or "")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("terrorist,in_force", "terrorist,banned"), r"bank.csv:2: column status"),
        (("2011-11-22", "22.11.2011"), r"bank.csv:2: column decision_date"),
        (("lifted,2020-01-01", "lifted,"), r"bank.csv:3: column lifted_on"),
        (("Supreme Court", ""), r"bank.csv:2: column court: empty"),
        (("KZB-2,", "KZB-1,"), r"bank.csv:3: reference 'KZB-1' appears twice"),
    ],
)
def test_the_first_bad_value_refuses_the_file_naming_it(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    with pytest.raises(InputError, match=message):
        read_bans(_bank(tmp_path, BANK.replace(*change, 1)))
