"""The same transfers written as a Kazakhstan bank's export writes them give the same alerts as
the canonical file: `;` between cells, amounts with a decimal comma and spaced thousands, dates
day first, channels described in Russian, the tenge sign, and client types for segments."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from finmon.cli import app

CHANNELS = {
    "card": "Оплата картой",
    "internal": "Перевод между своими счетами",
    "transfer": "Перевод",
    "wire": "Международный перевод (SWIFT)",
}
SEGMENTS = {"retail": "ФЛ", "business": "ЮЛ", "npo": "НКО", "public": "КГУ", "bank": "Банк"}


def _cash(row: dict[str, str]) -> str:
    if not row["beneficiary_account"]:
        return "Снятие наличных в банкомате"
    return "Взнос наличных" if not row["originator_account"] else "Наличные"


def _amount(text: str) -> str:
    whole, cents = f"{float(text):,.2f}".split(".")
    return whole.replace(",", " ") + "," + cents


def _rewrite(source: Path, target: Path, change: Callable[[dict[str, str]], None]) -> None:
    """The CSV rewritten row by row with ';' between cells, each row changed in place."""
    with source.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), delimiter=";")
        writer.writeheader()
        for row in rows:
            change(row)
            writer.writerow(row)


def _transfer_as_a_bank_writes(row: dict[str, str]) -> None:
    when = dt.datetime.fromisoformat(row["timestamp"].replace("Z", "+00:00"))
    channel = row["channel"]
    row |= {
        "timestamp": when.strftime("%d.%m.%Y %H:%M:%S"),
        "amount": _amount(row["amount"]),
        "currency": "₸" if row["currency"] == "KZT" else row["currency"],
        "channel": _cash(row) if channel == "cash" else CHANNELS.get(channel, channel),
    }


def _account_as_a_bank_writes(row: dict[str, str]) -> None:
    row["segment"] = SEGMENTS.get(row["segment"], row["segment"])
    row["listed"] = "да" if row["listed"] == "true" else "нет"


def _alerts(transfers: Path, accounts: Path, output: Path) -> set[tuple[str, ...]]:
    result = CliRunner().invoke(
        app, ["monitor", str(transfers), "--accounts", str(accounts), "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    with output.open(encoding="utf-8") as handle:
        return {
            (row["account"], row["rule"], row["window_start"], row["transaction_ids"])
            for row in csv.DictReader(handle)
        }


def test_a_banks_export_of_the_same_transfers_gives_the_same_alerts(tmp_path: Path) -> None:
    world = tmp_path / "world"
    size = ["--customers", "400", "--months", "2", "--planted", "3", "--seed", "3"]
    made = CliRunner().invoke(app, ["simulate", "--output", str(world), *size])
    assert made.exit_code == 0, made.output
    _rewrite(world / "transactions.csv", tmp_path / "выписка.csv", _transfer_as_a_bank_writes)
    _rewrite(world / "accounts.csv", tmp_path / "счета.csv", _account_as_a_bank_writes)
    canonical = _alerts(world / "transactions.csv", world / "accounts.csv", tmp_path / "a.csv")
    exported = _alerts(tmp_path / "выписка.csv", tmp_path / "счета.csv", tmp_path / "b.csv")
    rules = {rule for _, rule, _, _ in canonical}
    # Rules that read channels and segments alerted: the comparison says something.
    assert {"npo_cash", "cash_then_abroad"} & rules or len(rules) >= 3, rules
    assert exported == canonical
