"""Transactions from tables: the canonical CSV/Parquet layout, and the AMLSim transfers CSV.

The canonical layout is `model.COLUMNS`; its files are read as customer files are (strict
decoding with the line of a bad byte, any of , ; tab | as delimiter, Parquet by row), so the same
mistakes get the same messages. AMLSim's 100,000s of rows are read column-wise with pyarrow.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from finmon.countries import to_iso2
from finmon.errors import InputError
from finmon.screening.inputs import read_table
from finmon.transactions.model import COLUMNS, PartyInfo, Transaction

REQUIRED = ("id", "timestamp", "amount", "currency")
AMLSIM_COLUMNS = ("sourcenodeid", "targetnodeid", "value", "time")
AMLSIM_START = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
"""AMLSim counts time in steps from its start; a step is taken as a day from this date."""
AMLSIM_CURRENCY = "USD"
"""AMLSim amounts carry no currency."""
AMLSIM_CHANNEL = "amlsim"
"""Simulated transfers with no party information: outside the R.16 check (wire.py)."""


def read_canonical(path: Path) -> list[Transaction]:
    """Every transaction of a canonical CSV or Parquet file, in file order."""
    table = read_table(path)
    missing = [column for column in REQUIRED if column not in table.columns]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; the layout is {', '.join(COLUMNS)}"
        )
    transactions = []
    for place, row in table.rows:
        if not any(_cell(value) for value in row.values()):
            continue
        transactions.append(_transaction(f"{path}: {place}", row))
    return transactions


def read_amlsim(path: Path) -> list[Transaction]:
    """Every transfer of an AMLSim transactions.csv (`sourceNodeId,targetNodeId,value,time`):
    accounts are the node ids, the id is the row number, amounts are USD (module constants)."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    try:
        table = pcsv.read_csv(
            path,
            convert_options=pcsv.ConvertOptions(
                column_types={
                    "sourceNodeId": pa.string(),
                    "targetNodeId": pa.string(),
                    "value": pa.string(),
                    "time": pa.int64(),
                }
            ),
        )
    except (pa.ArrowInvalid, OSError) as exc:
        raise InputError(f"{path}: not an AMLSim transactions CSV: {exc}") from None
    names = {name.lower(): name for name in table.column_names}
    missing = [column for column in AMLSIM_COLUMNS if column not in names]
    if missing:
        raise InputError(f"{path}: missing AMLSim column(s) {', '.join(missing)}")
    sources, targets, values, times = (
        table.column(names[column]).to_pylist() for column in AMLSIM_COLUMNS
    )
    day = dt.timedelta(days=1)
    transactions = []
    for row, (source, target, value, step) in enumerate(
        zip(sources, targets, values, times, strict=True), start=2
    ):
        where = f"{path}: line {row}"
        if source is None or target is None or step is None:
            raise InputError(f"{where}: an empty cell")
        transactions.append(
            Transaction(
                id=str(row - 1),
                timestamp=AMLSIM_START + step * day,
                amount=_amount(where, value),
                currency=AMLSIM_CURRENCY,
                originator=PartyInfo(account=source),
                beneficiary=PartyInfo(account=target),
                channel=AMLSIM_CHANNEL,
                source=where,
            )
        )
    return transactions


def _transaction(where: str, row: dict[str, Any]) -> Transaction:
    def side(prefix: str) -> PartyInfo:
        return PartyInfo(
            name=_cell(row.get(f"{prefix}_name")) or None,
            account=_cell(row.get(f"{prefix}_account")) or None,
            id=_cell(row.get(f"{prefix}_id")) or None,
            country=_country(where, f"{prefix}_country", row.get(f"{prefix}_country")),
        )

    identifier = _cell(row.get("id"))
    if not identifier:
        raise InputError(f"{where}: id is empty")
    currency = _cell(row.get("currency")).upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise InputError(f"{where}: currency {row.get('currency')!r} is not a 3-letter code")
    return Transaction(
        id=identifier,
        timestamp=_timestamp(where, row.get("timestamp")),
        amount=_amount(where, row.get("amount")),
        currency=currency,
        originator=side("originator"),
        beneficiary=side("beneficiary"),
        channel=_cell(row.get("channel")) or None,
        reference=_cell(row.get("reference")) or None,
        source=where,
    )


def _cell(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def _amount(where: str, value: Any) -> Decimal:
    text = _cell(value).replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise InputError(f"{where}: amount {value!r} is not a number") from None
    if not amount.is_finite() or amount < 0:
        raise InputError(f"{where}: amount {value!r} must be a number of 0 or more")
    return amount


def _timestamp(where: str, value: Any) -> dt.datetime:
    if isinstance(value, dt.datetime):
        when = value
    else:
        text = _cell(value)
        try:
            when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise InputError(
                f"{where}: timestamp {value!r} is not an ISO 8601 time (2026-11-02T09:30:00)"
            ) from None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _country(where: str, column: str, value: Any) -> str | None:
    text = _cell(value)
    if not text:
        return None
    code = to_iso2(text.upper() if len(text) <= 3 else text)
    if code is None:
        raise InputError(f"{where}: {column} {value!r} is not a country finmon knows")
    return code
