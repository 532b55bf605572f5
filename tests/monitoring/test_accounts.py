"""The accounts table given with transfers, and `finmon monitor` with it: segments and listed
accounts change what the rules see; a bad table is refused naming the file and line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finmon.cli import app
from finmon.errors import InputError
from finmon.monitoring.accounts import read_accounts
from finmon.store.transactions import list_monitoring_alerts
from finmon.transactions.model import COLUMNS


def _transfers(path: Path, charity: str = "ОФ «Мейірім»") -> Path:
    """A listed person pays a friend, who passes most of it on; ten people pay a charity."""
    rows = [
        ["L-1", "2026-03-02T09:00:00Z", "LISTED", "АЛИЕВ А", "", "KZ", "FRIEND", "ОМАРОВ Б", "",
         "KZ", "400000", "KZT", "transfer", ""],
        ["L-2", "2026-03-03T09:00:00Z", "FRIEND", "ОМАРОВ Б", "", "KZ", "FAR", "СЕРИКОВ В", "",
         "KZ", "390000", "KZT", "transfer", ""],
    ]  # fmt: skip
    rows += [
        [f"D-{n}", f"2026-03-0{2 + n // 4}T1{n % 4}:00:00Z", f"DONOR{n}", f"ДОНОР {n}", "", "KZ",
         "CHARITY", charity, "", "KZ", "5000", "KZT", "transfer", ""]
        for n in range(10)
    ]  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        writer.writerows(rows)
    return path


def _accounts(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_segments_and_listed_accounts_change_what_the_rules_see(tmp_path: Path) -> None:
    source = _transfers(tmp_path / "t.csv")
    table = _accounts(
        tmp_path / "a.csv",
        "account,name,segment,listed\nLISTED,АЛИЕВ А,retail,true\nCHARITY,ОФ «Мейірім»,NPO,no\n",
    )
    # Without the table the charity's legal form (ОФ) shows it is one; written without it, it
    # looks like a person collecting from ten others. Nobody is known to be listed.
    for name, expected in (("ОФ «Мейірім»", set()), ("МЕЙІРІМ", {("CHARITY", "funnel_account")})):
        plain = CliRunner().invoke(
            app,
            [
                "monitor",
                str(_transfers(tmp_path / "n.csv", name)),
                "--output",
                str(tmp_path / "p.csv"),
            ],
        )
        assert plain.exit_code == 0, plain.output
        with (tmp_path / "p.csv").open(encoding="utf-8") as handle:
            assert {(r["account"], r["rule"]) for r in csv.DictReader(handle)} == expected
    out = tmp_path / "alerts.csv"
    run = ["--actor", "ops", "monitor", str(source), "--accounts", str(table), "--output", str(out)]
    result = CliRunner().invoke(app, [*run, "--store"])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        found = {(r["account"], r["rule"]) for r in csv.DictReader(handle)}
    assert found == {("FRIEND", "listed_link"), ("FAR", "listed_link")}
    assert {row["account"] for row in list_monitoring_alerts()} == {"FRIEND", "FAR"}
    again = CliRunner().invoke(app, [*run, "--store"])
    assert "0 new alerts" in again.output  # a repeated run keeps nothing twice


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name,segment\nX,retail\n", ":1: no 'account' column"),
        ("account,segment\nX,retail\nX,npo\n", ":3: account 'X' is listed twice"),
        ("account,listed\nX,maybe\n", ":2: listed 'maybe'"),
        ("account,segment\n,retail\n", ":2: the account is empty"),
        ("account,segment\nX,retail,extra\n", ":2: 3 cells"),
        ("", "empty"),
    ],
)
def test_a_bad_accounts_table_is_refused_naming_the_line(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = _accounts(tmp_path / "accounts.csv", text)
    with pytest.raises(InputError) as refused:
        read_accounts(path)
    assert str(refused.value).startswith(str(path))
    assert expected in str(refused.value)


def test_an_accounts_table_as_a_bank_exports_it(tmp_path: Path) -> None:
    # Russian spreadsheet settings write ';', and a bank's client types name the segments.
    text = (
        "account;segment;listed\nP1;ФЛ;нет\nF1;ЮЛ;нет\nE1;ИП;нет\nC1;НКО;да\nS1;КГУ;нет\n"
        "B1;Банк;нет\nR1;retail;нет\nV1;VIP;нет\n"
    )
    found = read_accounts(_accounts(tmp_path / "accounts.csv", text))
    assert found.segments == {
        "P1": "retail",
        "F1": "business",
        "E1": "business",
        "C1": "npo",
        "S1": "public",
        "B1": "bank",
        "R1": "retail",
        "V1": "vip",  # not a segment rules name: a peer group of its own
    }
    assert found.listed == {"C1"}


def test_an_accounts_table_in_another_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_bytes("account,segment\nX,розница\n".encode("cp1251"))
    with pytest.raises(InputError, match="not UTF-8"):
        read_accounts(path)
