"""Which accounts of a run are a listed party's: the seeds of listed_link patterns, and why.

A listed party is known to the bank beside the accounts table's `listed` column: a customer under
a freeze, or a counterparty of a payment-screening hit an analyst confirmed (finmon.store.
listed_parties reads both). Each comes with the accounts and identifiers (IIN, passport, a list's
document numbers) the bank knows for it. An account of a run's transfers is listed when it is one
of those accounts, or when the side of a transfer holding it carries one of those identifiers: the
same person at another account. A name is never read here: a namesake is not the listed person,
and a name that resembles a listed one is screening's question, decided by an analyst.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from finmon.transactions.model import Transaction

TABLE = "accounts table"
"""Where an account marked listed in the accounts table comes from."""
SHORTEST_IDENTIFIER = 6
"""Identifiers shorter than this (a customer number, '123') are too common to tie two parties."""
_IGNORED = str.maketrans("", "", " -./\u00a0")


@dataclass(frozen=True, slots=True)
class ListedParty:
    """A listed party the bank knows: where it is known from, and its accounts and identifiers."""

    origin: str
    """What makes it known, for the analyst: `freeze 3 (un QDi.905)`, `alert 17 (un QDi.905)`."""
    accounts: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()


def identifier_key(value: str | None) -> str | None:
    """An identifier as compared: without spaces, dashes, dots or slashes, in upper case; None
    when too short to tell one party from another."""
    key = (value or "").translate(_IGNORED).upper()
    return key if len(key) >= SHORTEST_IDENTIFIER else None


def account_key(value: str | None) -> str | None:
    """An account number as compared: an IBAN written in groups is the same account."""
    key = (value or "").translate(_IGNORED).upper()
    return key or None


def listed_accounts(
    transactions: Iterable[Transaction],
    parties: Sequence[ListedParty],
    table: Iterable[str] = (),
) -> dict[str, tuple[str, ...]]:
    """Every listed account of a run, with where each is known from: the accounts table's, the
    parties' own accounts, and the accounts of the transfers' sides that carry a party's
    identifier (`... by identifier X`)."""
    found: dict[str, list[str]] = {account: [TABLE] for account in table}
    by_account: dict[str, list[str]] = {}
    by_identifier: dict[str, list[str]] = {}
    for party in parties:
        for account in party.accounts:
            found.setdefault(account, [])
            _add(found[account], party.origin)
            key = account_key(account)
            if key is not None:
                by_account.setdefault(key, []).append(party.origin)
        for identifier in party.identifiers:
            key = identifier_key(identifier)
            if key is not None:
                by_identifier.setdefault(key, []).append(party.origin)
    if by_account or by_identifier:
        for transaction in transactions:
            for side in (transaction.originator, transaction.beneficiary):
                if side.account:
                    _match(found, side.account, side.id, by_account, by_identifier)
    return {account: tuple(origins) for account, origins in found.items()}


def _match(
    found: dict[str, list[str]],
    account: str,
    identifier: str | None,
    by_account: Mapping[str, list[str]],
    by_identifier: Mapping[str, list[str]],
) -> None:
    """Mark one side's account listed when its number or its identifier is a party's."""
    owners = by_account.get(account_key(account) or "", [])
    for origin in owners:
        _add(found.setdefault(account, []), origin)
    key = identifier_key(identifier)
    for origin in by_identifier.get(key or "", []):
        if origin not in owners:
            _add(found.setdefault(account, []), f"{origin} by identifier {key}")


def _add(origins: list[str], origin: str) -> None:
    if origin not in origins:
        origins.append(origin)


def explain_listed(
    rows: Iterable[dict[str, Any]], patterns: Mapping[str, str], listed: Mapping[str, Sequence[str]]
) -> None:
    """Add to every listed_link alert row (by `patterns`, rule id -> pattern) `listed`: each
    listed counterparty of the alert and where it is known from."""
    for row in rows:
        if patterns.get(row["rule"]) != "listed_link":
            continue
        evidence = row["evidence"]
        evidence["listed"] = {
            party: list(listed.get(party, ()))
            for party in evidence.get("counterparties", ())
            if party in listed
        }
