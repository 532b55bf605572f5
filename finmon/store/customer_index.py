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

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from finmon.common.forked import can_fork, forked_pool, in_order, stop
from finmon.model import Party, Schema
from finmon.names.parts import AnalysedName, NameToken, TokenKind, analyse_name
from finmon.screening.index import (
    BLOCK_MARK,
    filing_keys,
    glued_keys,
    index_tokens,
    is_short,
    probing_blocks,
    probing_keys,
    reach_keys,
)
from finmon.screening.namescore import (
    MIN_SIMILARITY,
    UNBOUNDED,
    aligned_similarity,
    weight_owed,
)
from finmon.screening.prune import ScoreBound
from finmon.screening.screener import heap_frozen
from finmon.store.audit import append_audit
from finmon.store.bulk import insert_rows, select_in
from finmon.store.models import (
    Customer,
    CustomerToken,
    NameTokenKey,
    NameTokenRow,
    StoreState,
    utc_now,
)

BATCH = 500
"""Values per IN (...) list: well inside SQLite's and PostgreSQL's limits on bound parameters."""
INDEX_SCHEME = "finmon-index-11"
"""What the stored index is built under. Bump it whenever analyse_name, NameToken.sig or the
filing keys change what would be stored for a name (tests/store/test_customer_index.py fails
until it is): a store built under another scheme is re-indexed from its customer records before
its index is next used (ensure_current)."""
REINDEX_BATCH = 20_000
"""Customers read and re-indexed at a time."""


@dataclass(slots=True, frozen=True)
class Indexed:
    """What the stored index keeps of one customer's names."""

    tokens: dict[str, tuple[NameToken, int]]
    """sig -> (token, 1 for a name part or 2 for two adjacent parts joined), over all names."""
    short: bool
    """Some name has fewer than two name parts."""
    owed: float
    """What the name would owe with nothing matched; 0 for several names or a repeated part,
    namescore.UNBOUNDED for a name with other readings. Stored (customer_tokens.owed) but no
    longer read: the delta's bound analyses the customer's record (candidate_customers)."""


def index_entry(party: Party) -> Indexed:
    """The index tokens of all a party's names, and what bounds its coverage."""
    return entry_of(party.names, party.schema)


def entry_of(names: Sequence[str], schema: Schema) -> Indexed:
    """index_entry of a party with these names and schema, all it reads of the party (an import
    with no list gives its workers records whose names alone are read, not made into a Party)."""
    tokens: dict[str, tuple[NameToken, int]] = {}
    short = False
    analysed_names = [a for a in (analyse_name(n, schema) for n in names) if a.tokens]
    # A name written spaced out or with digits for letters is filed under its readings as well,
    # where a designation's tokens can meet it.
    read = [r for a in analysed_names for r in a.readings if r.tokens]
    for analysed in [*analysed_names, *read]:
        short = short or is_short(analysed)
        for token in analysed.joined:
            if _storable(token):
                tokens[token.sig] = (token, 2)
        for token in analysed.tokens:
            if _storable(token):
                tokens.setdefault(token.sig, (token, 1))
    owed = 0.0
    if read:
        owed = UNBOUNDED
    elif len(analysed_names) == 1:
        only = analysed_names[0].tokens
        if len({t.sig for t in only}) == len(only):
            owed = weight_owed(only)
    return Indexed(tokens, short, owed)


MAX_STORED_TOKEN = 64
"""Longest token (as written, its key or its consonant key) filed in the stored index. The
longest keys of real list names have 30 letters, so a longer token is no name part a designation
could meet; leaving it out keeps every sig and key inside their columns (400 characters) and the
index small whatever a customer file holds. The bound still counts it: it reads the record."""


def _storable(token: NameToken) -> bool:
    return max(len(token.text), len(token.key), len(token.cross)) <= MAX_STORED_TOKEN


def index_parties(parties: Sequence[Party], workers: int = 1) -> list[Indexed]:
    """index_entry of each party, in forked workers when there are many (WorkerLost when one
    dies)."""
    if not (workers > 1 and len(parties) > 2000 and can_fork()):
        return [index_entry(party) for party in parties]
    chunks = [parties[start : start + 500] for start in range(0, len(parties), 500)]
    pool = forked_pool(workers)
    try:
        done = in_order(pool, _index_entries, chunks, 4 * workers, _indexing)
        return [entry for _, entries in done for entry in entries]
    finally:
        stop(pool)


def _index_entries(parties: Sequence[Party]) -> list[Indexed]:
    return [index_entry(party) for party in parties]


def _indexing(parties: Sequence[Party]) -> str:
    return f"indexing {len(parties):,} customers ({parties[0].id} ...)"


def ensure_current(session: Session, *, actor: str, workers: int = 1) -> int:
    """Rebuild the stored index from the customer records, inside the caller's write
    transaction, when it was built under another scheme than INDEX_SCHEME (or before schemes
    were recorded); returns how many customers were re-indexed (0 when it was current)."""
    state = session.get(StoreState, INDEX_STATE)
    if state is not None and state.value == INDEX_SCHEME:
        return 0
    for table in (CustomerToken, NameTokenKey, NameTokenRow):
        session.execute(delete(table))
    writer = TokenWriter(session)
    count, last = 0, ""
    while True:
        rows = session.execute(
            select(Customer.id, Customer.record)
            .where(Customer.id > last)
            .order_by(Customer.id)
            .limit(REINDEX_BATCH)
        ).all()
        if not rows:
            break
        parties = [Party.from_dict(record) for _, record in rows]
        writer.add(zip((p.id for p in parties), index_parties(parties, workers), strict=True))
        count += len(rows)
        last = rows[-1][0]
    before = state.value if state is not None else None
    if state is None:
        session.add(StoreState(name=INDEX_STATE, value=INDEX_SCHEME, updated_at=utc_now()))
    else:
        state.value, state.updated_at = INDEX_SCHEME, utc_now()
    if count:
        append_audit(
            session,
            actor=actor,
            action="customer_index.rebuild",
            object="customer_index",
            before={"scheme": before},
            after={"scheme": INDEX_SCHEME, "customers": count},
        )
    session.flush()
    return count


INDEX_STATE = "customer_index"
"""The store_state row that names the scheme the stored index was built under."""


Encoded = tuple[bool, float, tuple[tuple[str, int], ...]]
"""An index entry as it travels between processes and is written: (short, owed, ((sig, 1 or 2
parts), ...)), its tokens in their order."""
TokenData = tuple[str, tuple[str, ...]]
"""What the store files of a token: its data as JSON text (name_tokens.data) and its distinct
filing keys (name_token_keys)."""
POSTING = ("token_id", "customer_id", "short", "parts", "owed")
"""The columns of a posting (customer_tokens), in the order written."""


def token_data(token: NameToken) -> TokenData:
    """The stored form of a token: the JSON text of its data and its distinct filing keys."""
    return json.dumps(_encode(token)), tuple(set(filing_keys(token)))


class TokenEncoder:
    """Encodes index entries for TokenWriter.add_encoded, making each token's stored form
    (token_data) once: it keeps the sigs it has given, and hands over with take() the data of
    those given since the last take. The processes indexing an import's batches each keep one,
    so a token's data and keys travel to the writer once, not with every customer holding it
    (a customer's tokens are some 280 KB pickled per thousand customers, their sigs 30 KB)."""

    LIMIT = 2_000_000
    """Sigs remembered, past which the memory starts again (their data is then made again)."""

    def __init__(self) -> None:
        self._given: set[str] = set()
        self._data: dict[str, TokenData] = {}

    def encode(self, entry: Indexed) -> Encoded:
        """The entry's encoded form, the data of its tokens not given before kept for take()."""
        if len(self._given) > self.LIMIT:
            self._given.clear()
        for sig, (token, _) in entry.tokens.items():
            if sig not in self._given:
                self._given.add(sig)
                self._data[sig] = token_data(token)
        # As the columns bind them: the postings are written as they come (bulk.insert_rows).
        return (
            bool(entry.short),
            float(entry.owed),
            tuple((sig, parts) for sig, (_, parts) in entry.tokens.items()),
        )

    def take(self) -> dict[str, TokenData]:
        """The data of the tokens given since the last take."""
        data, self._data = self._data, {}
        return data


class TokenWriter:
    """Adds customers' tokens to the stored index inside one write transaction.

    Only the tokens a call brings are looked up (not every token the store holds), so the time
    a batch of an import keeps the write lock does not grow with the size of the registry."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def replace(self, customer_ids: Sequence[str]) -> None:
        """Forget the postings of customers whose names are about to be indexed again."""
        for chunk in _chunks(customer_ids):
            self.session.execute(delete(CustomerToken).where(CustomerToken.customer_id.in_(chunk)))

    def add(self, entries: Iterable[tuple[str, Indexed]]) -> None:
        """Post (customer id, index entry) pairs, filing tokens never seen before."""
        encoder = TokenEncoder()
        encoded = [(customer_id, encoder.encode(entry)) for customer_id, entry in entries]
        self.add_encoded(encoded, encoder.take())

    def add_encoded(
        self,
        entries: Sequence[tuple[str, Encoded]],
        data: Mapping[str, TokenData],
        recompute: Callable[[set[str]], Mapping[str, TokenData]] | None = None,
    ) -> None:
        """Post (customer id, encoded entry) pairs; a token the store does not hold yet is filed
        with its data from data, or else from recompute (given the sigs data lacks)."""
        ids = self._known_ids({sig for _, (_, _, tokens) in entries for sig, _ in tokens})
        missing = {sig for _, e in entries for sig, _ in e[2] if sig not in ids and sig not in data}
        if missing:
            if recompute is None:
                raise KeyError(f"no data for {len(missing)} new tokens")
            data = {**data, **recompute(missing)}
        next_id = (self.session.scalar(select(func.max(NameTokenRow.id))) or 0) + 1
        new_tokens: list[tuple[int, str, str]] = []
        new_keys: list[tuple[str, int]] = []
        postings: list[tuple[int, str, bool, int, float]] = []
        for customer_id, (short, owed, tokens) in entries:
            for sig, parts in tokens:
                token_id = ids.get(sig)
                if token_id is None:
                    token_id = ids[sig] = next_id
                    next_id += 1
                    text, keys = data[sig]
                    new_tokens.append((token_id, sig, text))
                    new_keys.extend((key, token_id) for key in keys)
                postings.append((token_id, customer_id, short, parts, owed))
        insert_rows(self.session, NameTokenRow, ("id", "sig", "data"), new_tokens, None, {"data"})
        insert_rows(self.session, NameTokenKey, ("key", "token_id"), new_keys)
        insert_rows(self.session, CustomerToken, POSTING, postings, ready=("short", "owed"))

    def _known_ids(self, sigs: set[str]) -> dict[str, int]:
        rows = select_in(self.session, NameTokenRow, ("sig", "id"), "sig", list(sigs))
        return {sig: token_id for sig, token_id in rows}


@dataclass(slots=True)
class _Bounded:
    """One designation's names, its floor, and the customers its names met."""

    names: list[tuple[AnalysedName, set[str]]]
    """Each name, and the customers it met."""
    floor: float
    met: list[str]
    """The customers any of them met."""


def candidate_customers(
    session: Session,
    designations: Iterable[tuple[Sequence[AnalysedName], float | None]],
    workers: int = 1,
) -> set[str]:
    """Ids of the customers worth screening in full against any of these designations, given
    by their names and a floor each.

    A customer is a candidate for a name when it meets two of the name's tokens (one, when
    either side has a name of a single part), as in CandidateIndex. With a floor (None: none),
    a candidate is dropped when the best name score any of its names could reach against every
    name of the designation (finmon.screening.prune.ScoreBound, a true upper bound of the score
    the screener works out) is below it. With workers > 1 the bounds are worked out in that many
    forked processes."""
    global _FORKED
    probe = _Probe(session)
    wanted = [([n for n in names if n.tokens], floor) for names, floor in designations]
    every = [name for names, _ in wanted for name in names]
    probe.prepare(
        (token for name in every for token in index_tokens(name)),
        {key for name in every for key in glued_keys(name)},
    )
    found: set[str] = set()
    bounded: list[_Bounded] = []
    for names, floor in wanted:
        each = [(name, _met_by(probe, name)) for name in names]
        met: set[str] = set().union(*(m for _, m in each))
        if floor is None:
            found.update(met)
        elif met:
            bounds = [(name, m) for name, m in each if m]
            bounded.append(_Bounded(bounds, floor, sorted(met)))
    probe.load_customers_names({c for b in bounded for c in b.met})
    tasks = [(i, start) for i, b in enumerate(bounded) for start in range(0, len(b.met), CHUNK)]
    if workers > 1 and len(tasks) > 1 and can_fork():
        _FORKED = (probe, bounded)
        try:
            with heap_frozen():
                pool = forked_pool(workers)
        finally:
            _FORKED = None
        try:
            for _, survivors in in_order(pool, _survivors, tasks, 4 * workers, _bounding):
                found.update(survivors)
        finally:
            stop(pool)
    else:
        for task in tasks:
            found.update(_survivors(task, (probe, bounded)))
    return found


CHUNK = 1000
"""Candidates of one designation whose bounds a forked worker works out at a time."""

_FORKED: tuple[_Probe, list[_Bounded]] | None = None
"""What forked workers of candidate_customers inherit (set only while they run)."""


def _bounding(task: tuple[int, int]) -> str:
    return f"bounding candidates {task[1] + 1:,}-{task[1] + CHUNK:,} of a designation's"


def _survivors(
    task: tuple[int, int], work: tuple[_Probe, list[_Bounded]] | None = None
) -> list[str]:
    """The candidates, in one chunk of one designation's, whose bound against one of the names
    that met them reaches its floor."""
    probe, bounded = work or _FORKED or (None, [])
    assert probe is not None
    i, start = task
    entry = bounded[i]
    return [
        c
        for c in entry.met[start : start + CHUNK]
        if any(c in met and probe.bound(bound, c) >= entry.floor for bound, met in entry.names)
    ]


def _met_by(probe: _Probe, name: AnalysedName) -> set[str]:
    """Customers meeting two of the name's distinct tokens (one, if either name is short)."""
    tokens = list({token.sig: token for token in index_tokens(name)}.values())
    met = [probe.customers_met(token) for token in tokens]
    chosen = probe.glued_met(name)
    if is_short(name):
        for everyone, _short in met:
            chosen.update(everyone)
        return chosen
    # Counted in one pass, so that the work grows with the name's length, not its square.
    meetings: Counter[str] = Counter()
    for everyone, short in met:
        chosen.update(short)
        meetings.update(everyone)
    chosen.update(c for c, count in meetings.items() if count >= 2)
    return chosen


class _Probe:
    """Looks designation tokens up in the stored index, remembering what each one met."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._similar: dict[str, dict[int, float]] = {}
        self._stored: dict[int, NameToken] = {}
        self._postings: dict[int, tuple[frozenset[str], frozenset[str]]] = {}
        self._bounds: dict[str, list[ScoreBound]] = {}
        self._met: dict[str, tuple[set[str], set[str]]] = {}
        self._glued: dict[str, set[int]] = {}

    def prepare(self, tokens: Iterable[NameToken], glued: Iterable[str] = ()) -> None:
        """Find, in a few round trips, the stored tokens similar to each of these tokens, and
        those filed under these keys of designation words run together (index.glued_keys).

        A stored token is found when one of the keys it is found by (index.reach_keys) is one
        this side looks up. Its long keys' deletions are filed as block keys (index.block_keys),
        which meet more: what only a block key met is kept when the token's reach_keys hold a
        key looked up."""
        distinct = {token.sig: token for token in tokens}
        wanted: dict[str, set[str]] = {sig: set(probing_keys(t)) for sig, t in distinct.items()}
        wanted.update({f"\0{key}": {key} for key in glued})
        found = self._lookup(wanted)
        needed = {i for sig, ids in found.items() if not sig.startswith("\0") for i in ids}
        self._stored.update(self._tokens(needed - self._stored.keys()))
        for sig, ids in found.items():
            if sig.startswith("\0"):
                self._glued[sig[1:]] = ids
                continue
            ours = distinct[sig]
            similar = {}
            for token_id in ids:
                # Customer first, as in screening, where the customer is the query.
                similarity = aligned_similarity(self._stored[token_id], ours)
                if similarity >= MIN_SIMILARITY:
                    similar[token_id] = similarity
            self._similar[sig] = similar
        met = (*self._similar.values(), *self._glued.values())
        self._load_postings({token_id for ids in met for token_id in ids})

    def _lookup(self, wanted: Mapping[str, set[str]]) -> dict[str, set[int]]:
        """The stored tokens each set of keys finds (by name), block keys' finds checked."""
        by_key: dict[str, list[str]] = {}
        for name, keys in wanted.items():
            for probe in keys | {block for key in keys for block in probing_blocks(key)}:
                by_key.setdefault(probe, []).append(name)
        hits: dict[str, set[int]] = {name: set() for name in wanted}
        blocked: dict[str, set[int]] = {name: set() for name in wanted}
        for chunk in _chunks(list(by_key)):
            query = select(NameTokenKey.key, NameTokenKey.token_id).where(
                NameTokenKey.key.in_(chunk)
            )
            for key, token_id in self.session.execute(query):
                found = blocked if _is_block(key) else hits
                for name in by_key[key]:
                    found[name].add(token_id)
        unsure = {i for name, ids in blocked.items() for i in ids - hits[name]}
        self._stored.update(self._tokens(unsure - self._stored.keys()))
        reach = {i: frozenset(reach_keys(self._stored[i])) for i in unsure}
        for name, ids in blocked.items():
            keys = wanted[name]
            hits[name].update(i for i in ids - hits[name] if not reach[i].isdisjoint(keys))
        return hits

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

    def glued_met(self, name: AnalysedName) -> set[str]:
        """Customers holding a token that is words of this name run together (USAMABINLADEN)."""
        found: set[str] = set()
        for key in glued_keys(name):
            for token_id in self._glued.get(key, ()):
                found.update(self._postings.get(token_id, (frozenset(), frozenset()))[0])
        return found

    def bound(self, name: AnalysedName, customer: str) -> float:
        """The most any of the customer's names could score against a designation name."""
        return max((bound(name) for bound in self._bounds.get(customer, ())), default=0.0)

    def load_customers_names(self, customers: set[str]) -> None:
        """Read and analyse these customers' names as screening reads them, for bound()."""
        wanted = sorted(c for c in customers if c not in self._bounds)
        for party, _ in load_customers(self.session, wanted):
            analysed = (analyse_name(name, party.schema) for name in party.names)
            self._bounds[party.id] = [ScoreBound(a) for a in analysed if a.tokens]

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
                CustomerToken.token_id,
                CustomerToken.customer_id,
                CustomerToken.short,
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


_ENCODED = tuple(f.name for f in fields(NameToken) if f.name != "sig")
"""The fields a stored token keeps, in their order (the sig is its own column)."""


def _encode(token: NameToken) -> dict[str, Any]:
    # Built field by field: dataclasses.asdict deep-copies every value, and an import encodes
    # every new token (some 120,000 for 100,000 customers).
    data = {name: getattr(token, name) for name in _ENCODED}
    data["kind"] = token.kind.value
    return data


def _decode(data: dict[str, Any]) -> NameToken:
    return NameToken(**{**data, "kind": TokenKind(data["kind"])})


def _is_block(key: str) -> bool:
    return key.startswith((BLOCK_MARK, "x:" + BLOCK_MARK))


def _chunks(values: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for start in range(0, len(values), BATCH):
        yield values[start : start + BATCH]
