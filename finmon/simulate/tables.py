"""The simulation as tables: transactions.csv in the canonical layout with two label columns, and
accounts.csv; both built column-wise with polars and written byte for byte the same for a seed."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from finmon.errors import InputError
from finmon.simulate.accounts import COLUMNS as ACCOUNT_COLUMNS
from finmon.simulate.accounts import Accounts
from finmon.simulate.ledger import CASH_IN, CASH_OUT, Ledger
from finmon.simulate.parameters import CHANNELS, TYPOLOGIES
from finmon.transactions.model import COLUMNS

LABELS = ("typology", "scenario")
"""The label columns after the canonical ones: empty for ordinary activity."""
TRANSACTION_COLUMNS = (*COLUMNS, *LABELS)
TRANSACTIONS_FILE = "transactions.csv"
ACCOUNTS_FILE = "accounts.csv"


def transactions_frame(ledger: Ledger, accounts: Accounts, currency: str) -> pl.DataFrame:
    """Every transfer in time order (generation order between equal times), numbered TX...
    in that order, with both parties' name, account, identifier and country."""
    columns = ledger.columns()
    order = np.argsort(columns["time"], kind="stable")
    col = {name: values[order] for name, values in columns.items()}
    none = len(accounts)
    origin = np.where(col["hidden"] == CASH_IN, none, col["origin"])
    beneficiary = np.where(col["hidden"] == CASH_OUT, none, col["beneficiary"])
    number = pl.Series([*accounts.number, ""])
    name, party, country = (
        pl.Series(values) for values in (accounts.name, accounts.party_id, accounts.country)
    )
    scenario = np.where(col["scenario"] < 0, len(ledger.scenarios), col["scenario"])
    frame = pl.DataFrame(
        {
            "id": pl.int_range(1, len(order) + 1, eager=True).cast(pl.String).str.zfill(9),
            "timestamp": pl.from_epoch(pl.Series(col["time"]), time_unit="s"),
            "originator_account": number.gather(origin),
            "originator_name": name.gather(col["origin"]),
            "originator_id": party.gather(col["origin"]),
            "originator_country": country.gather(col["origin"]),
            "beneficiary_account": number.gather(beneficiary),
            "beneficiary_name": name.gather(col["beneficiary"]),
            "beneficiary_id": party.gather(col["beneficiary"]),
            "beneficiary_country": country.gather(col["beneficiary"]),
            "amount": col["amount"],
            "currency": pl.repeat(currency, len(order), eager=True),
            "channel": pl.Series(CHANNELS).gather(col["channel"]),
            "reference": pl.Series(ledger.purposes, dtype=pl.String).gather(col["purpose"]),
            "typology": pl.Series(("", *TYPOLOGIES)).gather(col["typology"]),
            "scenario": pl.Series([s.id for s in ledger.scenarios] + [""]).gather(scenario),
        }
    )
    return frame.with_columns(
        pl.concat_str(pl.lit("TX"), pl.col("id")).alias("id"),
        pl.col("timestamp").dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        pl.concat_str(
            (pl.col("amount") // 100).cast(pl.String),
            pl.lit("."),
            (pl.col("amount") % 100).cast(pl.String).str.zfill(2),
        ).alias("amount"),
    )


def holder_ids(transfers: pl.DataFrame) -> dict[str, str]:
    """Each account's holder's identifier (IIN, BIN or foreign document), as the transfers carry
    it: what a bank would know of a counterparty from the payments alone."""
    found: dict[str, str] = {}
    for side in ("originator", "beneficiary"):
        for account, number in transfers.select(f"{side}_account", f"{side}_id").iter_rows():
            if account and number:
                found.setdefault(account, number)
    return found


def accounts_frame(accounts: Accounts) -> pl.DataFrame:
    """Every account, domestic and foreign, sorted by number."""
    frame = pl.DataFrame(
        {
            "account": accounts.number,
            "name": accounts.name,
            "kind": accounts.kind,
            "segment": accounts.segment,
            "country": accounts.country,
            "typology": accounts.typology,
            "listed": ["true" if listed else "false" for listed in accounts.listed],
        }
    )
    return frame.select(ACCOUNT_COLUMNS).sort("account")


def write_tables(transactions: pl.DataFrame, accounts: pl.DataFrame, directory: Path) -> list[Path]:
    """Write transactions.csv and accounts.csv into a directory (made if missing); each file is
    written beside its place and moved there whole, so a failure leaves no half file."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(
            f"{directory}: cannot create the output directory: {exc.strerror or exc}"
        ) from None
    if not directory.is_dir():
        raise InputError(f"{directory}: not a directory")
    return [
        _write(transactions, directory / TRANSACTIONS_FILE),
        _write(accounts, directory / ACCOUNTS_FILE),
    ]


def _write(frame: pl.DataFrame, path: Path) -> Path:
    partial = path.with_name(path.name + ".partial")
    # An empty cell is written empty, not as "" (which polars keeps to tell it from a null).
    frame = frame.with_columns(pl.col(pl.String).replace("", None))
    try:
        frame.write_csv(partial, line_terminator="\n")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return path
