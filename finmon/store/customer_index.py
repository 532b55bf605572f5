"""The stored customer index: which customers a new or amended designation could be.

When a list changes, only its new and amended designations need screening, but against the whole
customer base. Re-reading every customer would cost as much as a full re-screen, so the customers'
name tokens are indexed in the database when they are imported: each distinct token once
(name_tokens), under the same keys the in-memory CandidateIndex uses (name_token_keys), with
postings to the customers holding it (customer_tokens). A designation's tokens look up their keys,
keep the tokens similar enough, and the customers meeting two of its tokens (one, for a name of a
single part) become the candidates that are screened in full.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict
from itertools import combinations
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from finmon.model import Party
from finmon.names.parts import AnalysedName, NameToken, TokenKind, analyse_name
from finmon.screening.index import (
    filing_keys,
    index_tokens,
    is_short,
    probing_keys,
)
from finmon.screening.namescore import MIN_SIMILARITY, token_similarity
from finmon.store.models import Customer, CustomerToken, NameTokenKey, NameTokenRow

BATCH = 500
"""Values per IN (...) list: well inside SQLite's and PostgreSQL's limits on bound parameters."""


def party_tokens(party: Party) -> tuple[list[NameToken], bool]:
    """The distinct index tokens of all a party's names, and whether any name is short."""
    tokens: dict[str, NameToken] = {}
    short = False
    for name in party.names:
        analysed = analyse_name(name, party.schema)
        if not analysed.tokens:
            continue
        short = short or is_short(analysed)
        for token in index_tokens(analysed):
            tokens.setdefault(token.sig, token)
    return list(tokens.values()), short


class TokenWriter:
    """Adds customers' tokens to the stored index inside one write transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._ids: dict[str, int] | None = None
        self._next_id = 0

    def replace(self, customer_ids: Sequence[str]) -> None:
        """Forget the postings of customers whose names are about to be indexed again."""
        for chunk in _chunks(customer_ids):
            self.session.execute(delete(CustomerToken).where(CustomerToken.customer_id.in_(chunk)))

    def add(self, entries: Iterable[tuple[str, list[NameToken], bool]]) -> None:
        """Post (customer id, tokens, short) entries, filing tokens never seen before."""
        ids = self._known_ids()
        new_tokens: list[dict[str, Any]] = []
        new_keys: list[dict[str, Any]] = []
        postings: list[dict[str, Any]] = []
        for customer_id, tokens, short in entries:
            for token in tokens:
                token_id = ids.get(token.sig)
                if token_id is None:
                    token_id = ids[token.sig] = self._next_id
                    self._next_id += 1
                    new_tokens.append({"id": token_id, "sig": token.sig, "data": _encode(token)})
                    new_keys.extend(
                        {"key": key, "token_id": token_id} for key in set(filing_keys(token))
                    )
                postings.append({"token_id": token_id, "customer_id": customer_id, "short": short})
        for table, rows in (
            (NameTokenRow, new_tokens),
            (NameTokenKey, new_keys),
            (CustomerToken, postings),
        ):
            for start in range(0, len(rows), 5000):
                self.session.execute(insert(table), rows[start : start + 5000])

    def _known_ids(self) -> dict[str, int]:
        if self._ids is None:
            rows = self.session.execute(select(NameTokenRow.sig, NameTokenRow.id))
            self._ids = {sig: token_id for sig, token_id in rows}
            self._next_id = max(self._ids.values(), default=0) + 1
        return self._ids


def candidate_customers(session: Session, names: Iterable[AnalysedName]) -> set[str]:
    """Ids of the customers worth screening in full against any of these designation names."""
    probe = _Probe(session)
    names = [name for name in names if name.tokens]
    probe.prepare(token for name in names for token in index_tokens(name))
    found: set[str] = set()
    for name in names:
        met = [probe.customers_met(token) for token in index_tokens(name)]
        if is_short(name):
            for everyone, _short in met:
                found.update(everyone)
            continue
        for _everyone, short in met:
            found.update(short)
        for (a, _), (b, _) in combinations(met, 2):
            found.update(a & b)
    return found


class _Probe:
    """Looks designation tokens up in the stored index, remembering what each one met."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._similar: dict[str, list[int]] = {}
        self._postings: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self._met: dict[str, tuple[set[str], set[str]]] = {}

    def prepare(self, tokens: Iterable[NameToken]) -> None:
        """Find, in a few round trips, the stored tokens similar to each of these tokens."""
        distinct = {token.sig: token for token in tokens}
        by_key: dict[str, list[str]] = {}
        for sig, token in distinct.items():
            for key in set(probing_keys(token)):
                by_key.setdefault(key, []).append(sig)
        hits: dict[str, set[int]] = {sig: set() for sig in distinct}
        for chunk in _chunks(list(by_key)):
            query = select(NameTokenKey.key, NameTokenKey.token_id).where(
                NameTokenKey.key.in_(chunk)
            )
            for key, token_id in self.session.execute(query):
                for sig in by_key[key]:
                    hits[sig].add(token_id)
        stored = self._tokens({token_id for ids in hits.values() for token_id in ids})
        for sig, ids in hits.items():
            ours = distinct[sig]
            self._similar[sig] = [
                token_id
                for token_id in ids
                if token_similarity(stored[token_id], ours)[0] >= MIN_SIMILARITY
            ]
        self._load_postings({token_id for ids in self._similar.values() for token_id in ids})

    def customers_met(self, token: NameToken) -> tuple[set[str], set[str]]:
        """(every customer holding a similar token, those of them with a short name)."""
        found = self._met.get(token.sig)
        if found is None:
            everyone: set[str] = set()
            short: set[str] = set()
            for token_id in self._similar.get(token.sig, ()):
                holders, short_holders = self._postings.get(token_id, (frozenset(), frozenset()))
                everyone.update(holders)
                short.update(short_holders)
            found = self._met[token.sig] = (everyone, short)
        return found

    def _tokens(self, ids: set[int]) -> dict[int, NameToken]:
        stored: dict[int, NameToken] = {}
        for chunk in _chunks(sorted(ids)):
            query = select(NameTokenRow.id, NameTokenRow.data).where(NameTokenRow.id.in_(chunk))
            for token_id, data in self.session.execute(query):
                stored[token_id] = _decode(data)
        return stored

    def _load_postings(self, ids: set[int]) -> None:
        holders: dict[int, tuple[list[str], list[str]]] = {i: ([], []) for i in ids}
        for chunk in _chunks(sorted(ids)):
            query = select(
                CustomerToken.token_id, CustomerToken.customer_id, CustomerToken.short
            ).where(CustomerToken.token_id.in_(chunk))
            for token_id, customer_id, short in self.session.execute(query):
                everyone, short_ones = holders[token_id]
                everyone.append(customer_id)
                if short:
                    short_ones.append(customer_id)
        self._postings = {i: (frozenset(a), frozenset(b)) for i, (a, b) in holders.items()}


def load_customers(session: Session, ids: Iterable[str]) -> Iterator[tuple[Party, str]]:
    """(party, matching fingerprint) of the stored customers with these ids, in batches."""
    wanted = sorted(ids)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        query = select(Customer.record, Customer.fingerprint).where(Customer.id.in_(chunk))
        for record, fingerprint in session.execute(query):
            yield Party.from_dict(record), fingerprint


def _encode(token: NameToken) -> dict[str, Any]:
    data = asdict(token)
    data.pop("sig")
    data["kind"] = token.kind.value
    return data


def _decode(data: dict[str, Any]) -> NameToken:
    return NameToken(**{**data, "kind": TokenKind(data["kind"])})


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]
