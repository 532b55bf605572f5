"""Listed accounts from the parties the bank knows as listed: by account number or identifier,
never by name, each with where it is known from, and the listed_link alerts that name it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from finmon.monitoring.engine import numbered
from finmon.monitoring.listed import (
    TABLE,
    ListedParty,
    account_key,
    explain_listed,
    identifier_key,
    listed_accounts,
)
from finmon.transactions import PartyInfo, Transaction
from tests.monitoring.test_engine import PACK, both

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
FROZEN = ListedParty(
    "freeze 3 (un QDi.905)", ("KZ75 125K ZT20 6910 0100",), ("00 00 905905", "871008300125")
)
"""A frozen customer: one account (written in groups) and two identifiers."""


def _paid(n: int, sender: str, receiver: PartyInfo) -> Transaction:
    return Transaction(
        id=f"T{n}",
        timestamp=START + dt.timedelta(hours=n),
        amount=Decimal("90000"),
        currency="KZT",
        originator=PartyInfo(name="Erlan Zhaksylykov", account=sender, country="KZ"),
        beneficiary=receiver,
        channel="transfer",
    )


TRANSFERS = [
    # His own account, written without groups.
    _paid(1, "KZ01", PartyInfo(name="Карагулов Т.", account="KZ75125KZT2069100100")),
    # Another account of his abroad: the transfer carries his passport, written otherwise.
    _paid(2, "KZ02", PartyInfo(name="KARAGULOV T", account="RU0204452", id="0000-905905")),
    # His very name at another account, with no identifier: a namesake, not him.
    _paid(3, "KZ03", PartyInfo(name="Карагулов Тимур Ахатович", account="RU9999999")),
    # An identifier too short to tie anyone ("871", the start of his IIN).
    _paid(4, "KZ04", PartyInfo(name="Somebody", account="TR0001", id="871")),
]


def test_keys_ignore_how_a_number_is_written_and_refuse_short_identifiers() -> None:
    assert identifier_key(" 00 00-905905 ") == "0000905905"
    assert identifier_key("a1-2/3") is None and identifier_key(None) is None
    assert account_key("kz75 125K ZT20 6910 0100") == "KZ75125KZT2069100100"


def test_accounts_are_listed_by_number_or_identifier_never_by_name() -> None:
    listed = listed_accounts(TRANSFERS, [FROZEN], table=["KZ-TABLE"])
    assert listed == {
        "KZ-TABLE": (TABLE,),
        "KZ75 125K ZT20 6910 0100": ("freeze 3 (un QDi.905)",),
        "KZ75125KZT2069100100": ("freeze 3 (un QDi.905)",),
        "RU0204452": ("freeze 3 (un QDi.905) by identifier 0000905905",),
    }
    assert listed_accounts(TRANSFERS, []) == {}


def test_a_listed_link_alert_says_where_its_listed_counterparty_is_known_from() -> None:
    listed = listed_accounts(TRANSFERS, [FROZEN])
    rows = both([PACK["listed_link"]], TRANSFERS, listed=tuple(listed))
    # The payers of his account and of his other account are alerted; the namesake's payer and
    # the short identifier's are not.
    assert sorted(row["account"] for row in rows) == ["KZ01", "KZ02"]
    explain_listed(rows, {"listed_link": "listed_link"}, listed)
    by_account = {row["account"]: row["evidence"]["listed"] for row in rows}
    assert by_account == {
        "KZ01": {"KZ75125KZT2069100100": ["freeze 3 (un QDi.905)"]},
        "KZ02": {"RU0204452": ["freeze 3 (un QDi.905) by identifier 0000905905"]},
    }


def test_other_rules_alerts_are_left_alone() -> None:
    rows = numbered([])
    rows.append({"rule": "fan_out", "evidence": {"counterparties": ["X"]}})
    explain_listed(rows, {"fan_out": "transfers"}, {"X": ("alert 1 (un QDi.1)",)})
    assert rows[0]["evidence"] == {"counterparties": ["X"]}
