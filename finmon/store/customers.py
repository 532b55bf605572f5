"""The customer registry: import with history, index for delta screening, screen what is new.

An import works through its file in batches (FINMON_IMPORT_BATCH rows). For each batch the
customers it would insert or change are indexed and screened against every current list outside
the store's write lock; then one short transaction writes them: valid rows upserted by id (a
changed row becomes a new version in customer_versions, an unchanged one is left alone), their
index postings, their alerts and one audit row for the batch. Sign-ins, decisions and approvals
wait at most for one batch's writing, never for the whole file. If other writers changed the same
customers or the lists in between, the batch is worked out again under the lock.

A crash keeps the batches already written, whole; importing the same file again finds them
unchanged and completes the rest, so nothing is duplicated (tests/store/test_crash_safety.py).
A last audit row records the file and the counts of the whole import. Rows that fail validation
are reported with file, row and field and change nothing.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from finmon.common.forked import can_fork, forked_pool, outcome, stop, submit
from finmon.errors import InputError, NotFound
from finmon.lists.reading import digest_of
from finmon.model import Party, Schema, matching_fingerprint
from finmon.screening import Hit, Screener
from finmon.screening.encodings import has_encoding
from finmon.screening.inputs import (
    Block,
    CsvBlocks,
    CustomerRow,
    Read,
    csv_blocks,
    first_rows,
    read_block,
    read_customers,
    text_codec,
)
from finmon.screening.problems import SHOWN
from finmon.screening.rows import Problem, Report
from finmon.screening.screener import heap_frozen
from finmon.settings import load_settings
from finmon.store.alerts import raise_screened
from finmon.store.audit import append_audit
from finmon.store.bulk import insert_rows, select_in
from finmon.store.customer_index import (
    Encoded,
    TokenData,
    TokenEncoder,
    TokenWriter,
    ensure_current,
    entry_of,
    index_entry,
)
from finmon.store.engine import Database, default_database
from finmon.store.models import Customer, CustomerVersion, ListVersion, utc_now
from finmon.store.screener import build_screener

_SUMMARY = ("inserted", "updated", "unchanged", "skipped", "problems", "screened", "alerts")
"""The counts of an import its audit row records, in that order."""


@dataclass(slots=True)
class ImportResult:
    """What one customer import did."""

    file: str
    sha256: str
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    screened: int = 0
    alerts: int = 0
    problems: int = 0
    """Problems of the file's rows: values left out, rows skipped."""
    skipped: int = 0
    """Rows left out whole: no name, no id, or an id given twice."""
    first_problems: list[Problem] = field(default_factory=list)
    """The first few problems (problems.SHOWN), to show; the problems report got them all."""

    def note(self, problem: Problem) -> None:
        """Count a problem and keep it if it is among the first."""
        self.problems += 1
        self.skipped += problem.skipped
        if len(self.first_problems) < SHOWN:
            self.first_problems.append(problem)


class _Row(NamedTuple):
    """A customer of the file as the import stores it, made where the file is read (in the
    readers when there are several): what travels back is strings, not a Party."""

    id: str
    name: str
    """Its first name, the customer's name column."""
    text: str
    """The record as stored: its JSON text."""
    matching: str
    """The JSON text of the record less its id (what indexing and screening read), without its
    opening brace: the key under which customers with the same matching data are analysed once."""
    accounts: list[str]
    accounts_text: str
    """The accounts as stored: their JSON text."""
    fingerprint: str
    """matching_fingerprint of the party."""


def _row_of(customer: CustomerRow) -> _Row:
    party, accounts = customer.party, customer.accounts
    record = party.to_dict()
    text = json.dumps(record)
    fingerprint = matching_fingerprint(party, record)
    matching = _matching(text, record)
    return _Row(
        party.id, party.names[0], text, matching, accounts, json.dumps(accounts), fingerprint
    )


@dataclass(slots=True)
class _Change:
    row: _Row
    version: int
    rescreen: bool
    """The matching data is new or changed: index and screen it again."""

    @property
    def fingerprint(self) -> str:
        """matching_fingerprint of the party, made where its row was read."""
        return self.row.fingerprint

    @property
    def party(self) -> Party:
        """The customer as a Party, made again from its record (for the few that need one)."""
        return Party.from_dict(self.record)

    @property
    def record(self) -> dict[str, Any]:
        return dict(json.loads(self.row.text))


@dataclass(slots=True)
class _Batch:
    """One batch's work, done before its transaction: what changes, its index entries, its hits."""

    existing: dict[str, tuple[Any, ...]]
    """The batch's customers as the store held them when the work was done."""
    changes: list[_Change]
    unchanged: int
    entries: list[tuple[str, Encoded]]
    tokens: dict[str, TokenData]
    """The stored form of the entries' tokens, those the workers had not given before."""
    hits: list[tuple[Party, list[Hit]]]
    screened: int


class _Lists:
    """The current list versions and a Screener over them, built when a batch first has someone
    to screen (a re-import finding every row unchanged builds none) and again when a list load
    has changed them."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.versions: dict[str, ListVersion] = {}
        self._screener: Screener | None = None
        self._built = False
        self.refresh()

    def refresh(self) -> None:
        with self.db.read() as session:
            self.versions = _current_versions(session)
        self._screener, self._built = None, False

    @property
    def screener(self) -> Screener | None:
        """The screener over the current versions; None when no list is loaded."""
        if not self._built:
            self._screener = build_screener(self.db) if self.versions else None
            self._built = True
        return self._screener

    def changed(self, session: Session) -> bool:
        now = {v.id for v in _current_versions(session).values()}
        return now != {v.id for v in self.versions.values()}


def import_customers(
    path: Path,
    *,
    actor: str,
    encoding: str | None = None,
    db: Database | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    problems: Report | None = None,
    strict: bool = False,
) -> ImportResult:
    """Upsert a customer file by id, keep history, index and screen new and changed customers.

    A row's unreadable values are left out and a row with no name or id (or an id given twice)
    is skipped, each reported to problems and counted in the result; strict reads the whole
    file first and refuses it (InputError) at its first problem, before anything is written."""
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    db = db or default_database()
    result = ImportResult(str(path), digest_of(path))
    if strict:
        for _row in read_customers(path, encoding, strict=True):
            pass

    def report(problem: Problem) -> None:
        result.note(problem)
        if problems is not None:
            problems(problem)

    rows = (readers := _Readers(workers)).rows(path, encoding, report)
    with db.write() as session:
        ensure_current(session, actor=actor, workers=workers)
    lists = _Lists(db)
    done = 0
    pool = _Workers(workers)
    # Pipelined: a batch is read and handed to the workers before the one before it is written,
    # so that the workers index and screen while this process reads and writes.
    pending: _Pending | None = None
    # Frozen: the collector's walks leave out what lives all along (the modules, the screener);
    # they cost the importing process 0.025 ms a customer (docs/benchmarks.md, "Scale").
    try:
        with heap_frozen():
            for batch in chain(_batches(rows, load_settings().import_batch), [None]):
                started = None if batch is None else _start(db, lists, batch, pool)
                if pending is not None:
                    _import_batch(db, lists, pending, actor, path, pool, result)
                    done += len(pending.batch)
                    if progress is not None:
                        progress(done)
                pending = started
    finally:
        pool.close()
        readers.close()
    with db.write() as session:
        summary: dict[str, int | str] = {name: getattr(result, name) for name in _SUMMARY}
        if has_encoding(path):
            # The file's audit row says how its bytes were read, chosen, detected or default.
            summary["encoding"] = text_codec(path, encoding)
        _audit(session, "customers.import", path, actor, result.sha256, summary)
    return result


def _start(db: Database, lists: _Lists, batch: list[_Row], workers: _Workers) -> _Pending:
    """Read what the store holds of a batch's customers and give its work to the workers."""
    with db.read() as session:
        existing = _existing(session, batch)
    return _submit(batch, existing, lists, workers)


def _import_batch(
    db: Database,
    lists: _Lists,
    pending: _Pending,
    actor: str,
    path: Path,
    workers: _Workers,
    result: ImportResult,
) -> None:
    """Take a batch's work from the workers (worked out again if the lists were read anew since
    it was given them), then write it in one short transaction."""
    batch, existing = pending.batch, pending.existing
    if pending.versions is lists.versions:
        work = _collect(pending, workers)
    else:
        work = _prepare(batch, existing, lists, workers)
    with db.write() as session:
        if lists.changed(session):
            lists.refresh()
            work = _prepare(batch, _existing(session, batch), lists, workers)
        elif _versions(session, batch) != {k: known[4] for k, known in existing.items()}:
            first = work.tokens
            work = _prepare(batch, _existing(session, batch), lists, workers)
            work.tokens = {**first, **work.tokens}  # the same workers do not give them again
        alerts = _write(session, work, lists, actor, str(path))
        inserted = sum(1 for c in work.changes if c.version == 1)
        counts = {
            "inserted": inserted,
            "updated": len(work.changes) - inserted,
            "unchanged": work.unchanged,
            "screened": work.screened,
            "alerts": alerts,
        }
        if work.changes:
            _audit(session, "customers.import.batch", path, actor, result.sha256, counts)
    for name, count in counts.items():
        setattr(result, name, getattr(result, name) + count)


def _audit(
    session: Session,
    action: str,
    path: Path,
    actor: str,
    sha256: str,
    counts: Mapping[str, int | str],
) -> None:
    after = {"file": str(path), "sha256": sha256, **counts}
    append_audit(session, actor=actor, action=action, object=f"file:{path.name}", after=after)


def reindex_customers(*, actor: str, db: Database | None = None, workers: int = 1) -> int:
    """Bring the stored customer index to this finmon's scheme now (an import or a list load
    would do it first thing otherwise); returns the customers re-indexed, 0 if it was current."""
    db = db or default_database()
    with db.write() as session:
        return ensure_current(session, actor=actor, workers=workers)


def customer_count(db: Database | None = None) -> int:
    """How many customers the registry holds."""
    from sqlalchemy import func

    db = db or default_database()
    with db.read() as session:
        return int(session.scalar(select(func.count()).select_from(Customer)) or 0)


def customer_history(customer_id: str, db: Database | None = None) -> dict[str, Any]:
    """A customer's current record and every version it has had, oldest first."""
    db = db or default_database()
    with db.read() as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"no customer {customer_id!r}")
        versions = session.scalars(
            select(CustomerVersion)
            .where(CustomerVersion.customer_id == customer_id)
            .order_by(CustomerVersion.version)
        )
        return {
            "id": customer.id,
            "version": customer.version,
            "record": customer.record,
            "accounts": customer.accounts,
            "created_at": customer.created_at.isoformat(timespec="seconds"),
            "updated_at": customer.updated_at.isoformat(timespec="seconds"),
            "history": [
                {
                    "version": v.version,
                    "valid_from": v.valid_from.isoformat(timespec="seconds"),
                    "changed_by": v.changed_by,
                    "source_file": v.source_file,
                    "record": v.record,
                    "accounts": v.accounts,
                }
                for v in versions
            ],
        }


def _existing(session: Session, batch: list[_Row]) -> dict[str, tuple[Any, ...]]:
    columns = ("id", "record", "accounts", "fingerprint", "version")
    rows = select_in(session, Customer, columns, "id", [row.id for row in batch])
    return {row[0]: tuple(row) for row in rows}


def _versions(session: Session, batch: list[_Row]) -> dict[str, int]:
    """The stored version of each of the batch's customers: any change since the batch was
    worked out raised it (or added the customer)."""
    rows = select_in(session, Customer, ("id", "version"), "id", [row.id for row in batch])
    return {customer_id: version for customer_id, version in rows}


@dataclass(slots=True)
class _Pending:
    """A batch given to the workers: what it changes, and the handle of their work on it."""

    batch: list[_Row]
    existing: dict[str, tuple[Any, ...]]
    changes: list[_Change]
    unchanged: int
    todo: list[_Change]
    screened: bool
    versions: dict[str, ListVersion]
    """The list versions it is screened against (_Lists.versions when given)."""
    handle: _Handle


def _prepare(
    batch: list[_Row],
    existing: dict[str, tuple[Any, ...]],
    lists: _Lists,
    workers: _Workers,
) -> _Batch:
    """What a batch changes against the stored customers, with the index entries and hits of
    the customers whose matching data is new or changed (CPU work, done outside the lock)."""
    return _collect(_submit(batch, existing, lists, workers), workers)


def _submit(
    batch: list[_Row],
    existing: dict[str, tuple[Any, ...]],
    lists: _Lists,
    workers: _Workers,
) -> _Pending:
    """What a batch changes against the stored customers; the customers whose matching data is
    new or changed given to the workers to index and screen."""
    changes: list[_Change] = []
    unchanged = 0
    for row in batch:
        known = existing.get(row.id)
        change = _Change(row, 1, True)
        if known is not None:
            if known[1] == change.record and list(known[2]) == row.accounts:
                unchanged += 1
                continue
            change.version, change.rescreen = known[4] + 1, known[3] != change.fingerprint
        changes.append(change)
    todo = [c for c in changes if c.rescreen]
    screener = lists.screener if todo else None
    handle = _analyse_once(todo, screener, workers)
    screened = screener is not None
    return _Pending(batch, existing, changes, unchanged, todo, screened, lists.versions, handle)


def _matching(text: str, record: dict[str, Any]) -> str:
    """The record's JSON text less its id (which comes first), cut from the text made anyway."""
    first = '{"id": ' + json.dumps(record["id"]) + ", "
    if text.startswith(first):
        return text[len(first) :]
    return json.dumps({k: v for k, v in record.items() if k != "id"})


def _collect(pending: _Pending, workers: _Workers) -> _Batch:
    """A batch's work, once the workers have done it."""
    places, records, handle = pending.handle
    done, tokens = workers.collect(records, handle)
    analysed = [done[place] for place in places]
    todo, existing = pending.todo, pending.existing
    entries: list[tuple[str, Encoded]] = []
    hits: list[tuple[Party, list[Hit]]] = []
    for change, (entry, found) in zip(todo, analysed, strict=True):
        entries.append((change.row.id, entry))
        if found:
            hits.append((change.party, found))
    screened_count = len(todo) if pending.screened else 0
    changes, unchanged = pending.changes, pending.unchanged
    return _Batch(existing, changes, unchanged, entries, tokens, hits, screened_count)


_Analysed = tuple[Encoded, list[Hit]]
"""What the analysis of a customer gives: its encoded index entry and its hits (none without a
list); its fingerprint was made where its row was read."""


_Handle = tuple[list[int], Sequence[str], Any]
"""A batch's analysis under way: the place of each change's among the distinct records, those
records, and the workers' handle of their work (_Workers.submit)."""


def _analyse_once(
    changes: Sequence[_Change], screener: Screener | None, workers: _Workers
) -> _Handle:
    """Give the workers each distinct matching data once (customers sharing names, birth dates
    and the rest get the same entries and hits); _collect takes their work back."""
    first: dict[str, int] = {}
    distinct: list[str] = []
    places: list[int] = []
    for change in changes:
        place = first.setdefault(change.row.matching, len(distinct))
        if place == len(distinct):
            distinct.append(change.row.text)
        places.append(place)
    return places, distinct, workers.submit(distinct, screener)


PARALLEL_FROM = 200
"""Customers to index and screen from which a batch's work is shared out among forked workers
(fewer are done faster in this process than a pool is started)."""
CHUNK = 500
"""Most customers a worker indexes and screens at a time: a batch is cut into chunks of at most
this many, as few as give every worker one. Each chunk costs the importing process a message
each way and its threads a turn of the GIL: 0.027 ms of the importing process's CPU a customer
in chunks of 100, 0.017 ms in chunks of 400 (docs/benchmarks.md, "Scale")."""
_SCREENER: Screener | None = None
"""In a worker: the screener its pool was forked with (given to every worker the pool starts,
a replacement too); the customers travel to the workers a chunk at a time, as their records'
JSON text (the import makes it anyway; a string pickles at no cost, a Party is some 30 us)."""
_ENCODER: TokenEncoder | None = None
"""In a worker: what remembers the tokens whose stored form it has given to the import."""


class _Workers:
    """The processes an import indexes and screens its batches in, forked at its first large
    batch and kept until its end (or until a list load changes the screener): their caches of
    name analysis and of the screener's candidate lookups stay warm from batch to batch, where
    workers forked for each batch started cold (screening a customer took about half as long
    once a worker had seen a few thousand)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._pool: Any = None
        self._screener: Screener | None = None
        self._encoder = TokenEncoder()
        """For the batches analysed in this process (a forked worker starts its own)."""

    def submit(self, records: Sequence[str], screener: Screener | None) -> Any:
        """Start the analysis of each customer, given by its record's JSON text: the handle
        collect() takes (the screener alone when it is done in this process, at collect: few
        customers, or one worker)."""
        if self.count < 2 or len(records) < PARALLEL_FROM or not can_fork():
            return (screener,)
        if self._pool is None or screener is not self._screener:
            self._fork(screener)
        size = min(CHUNK, -(-len(records) // self.count))
        chunks = [records[i : i + size] for i in range(0, len(records), size)]
        return [(chunk, submit(self._pool, _analyse_in_worker, chunk)) for chunk in chunks]

    def collect(
        self, records: Sequence[str], handle: Any
    ) -> tuple[list[_Analysed], dict[str, TokenData]]:
        """The analysis of each customer submitted, in their order, and the stored form of
        the tokens not given to this import before: a token given by several chunks as made
        for the first customer holding it, as in one process, whichever worker took which chunk
        (two names can give a token of the same sig different data: a joined pair's weight is
        the larger of its parts', whose kinds the pair's sig does not say)."""
        if isinstance(handle, tuple):
            with heap_frozen():
                return _analyse_chunk(records, handle[0], self._encoder), self._encoder.take()
        done: list[_Analysed] = []
        tokens: dict[str, TokenData] = {}
        for chunk, future in handle:
            part, data = outcome(future, _analysing(chunk))
            done.extend(part)
            for sig, given in data.items():
                tokens.setdefault(sig, given)
        return done, tokens

    def close(self) -> None:
        """End the workers."""
        if self._pool is not None:
            stop(self._pool)
        self._pool, self._screener = None, None

    def _fork(self, screener: Screener | None) -> None:
        self.close()
        self._screener = screener
        # Forked with the heap frozen: the workers' collections never walk the index. Forked,
        # the initializer's screener is inherited, not pickled.
        with heap_frozen():
            self._pool = forked_pool(self.count, _adopt, (screener,))


def _analysing(chunk: Sequence[str]) -> str:
    """The work of a chunk of customers given to a worker, named by their ids."""
    first, last = (json.loads(chunk[i])["id"] for i in (0, -1))
    return f"indexing and screening {len(chunk):,} customers (ids {first} to {last})"


def _adopt(screener: Screener | None) -> None:
    global _SCREENER, _ENCODER
    _SCREENER, _ENCODER = screener, TokenEncoder()


def _analyse_in_worker(records: Sequence[str]) -> tuple[list[_Analysed], dict[str, TokenData]]:
    assert _ENCODER is not None
    return _analyse_chunk(records, _SCREENER, _ENCODER), _ENCODER.take()


def _analyse_chunk(
    records: Sequence[str], screener: Screener | None, encoder: TokenEncoder
) -> list[_Analysed]:
    done: list[_Analysed] = []
    for text in records:
        record = json.loads(text)
        if screener is None:  # the names and schema alone are read, not made into a Party
            entry = entry_of(record["names"], Schema(record.get("schema", Schema.UNKNOWN)))
            done.append((encoder.encode(entry), []))
            continue
        party = Party.from_dict(record)
        done.append((encoder.encode(index_entry(party)), screener.screen(party)))
    return done


AHEAD = 3
"""Blocks of the file each reader has been given and not yet given back."""
_BLOCKS: CsvBlocks | None = None
"""In a reader: the file its pool was forked to read (its columns and headings)."""


class _Readers:
    """The processes that read a CSV file's records, check their values and make their stored
    form (their JSON text and fingerprint), one per core, while this process only puts them in
    order (an id given twice is seen here) and writes: it is given back strings, not a Party.
    With one worker, or a file of another kind, the file is read in this process."""

    def __init__(self, count: int) -> None:
        self.count = count
        self._pool: Any = None

    def rows(self, path: Path, encoding: str | None, report: Report) -> Iterator[_Row]:
        """The file's customers as read_customers gives them, problems reported the same."""
        blocks = csv_blocks(path, encoding) if self.count > 1 and can_fork() else None
        if blocks is None:
            return (_row_of(row) for row in read_customers(path, encoding, report))
        return self._read(blocks, report)

    def _read(self, file: CsvBlocks, report: Report) -> Iterator[_Row]:
        """The readers are forked when the first row is asked for."""
        shape = dataclasses.replace(file, blocks=iter(()))
        self._pool = pool = forked_pool(self.count, _adopt_blocks, (shape,))
        path = file.table.path

        def start(block: Block) -> Callable[[], Read[_Row]]:
            future = submit(pool, _read_in_worker, block)
            return lambda: outcome(future, f"reading {_lines(block)} of {path}")

        yield from first_rows(file, start, report, AHEAD * self.count)

    def close(self) -> None:
        """End the readers."""
        if self._pool is not None:
            stop(self._pool)
        self._pool = None


def _lines(block: Block) -> str:
    """The lines of the file a block holds, as "lines 1,001-2,000"."""
    first, _, text, _ = block
    last = first + text.count("\n") - text.endswith("\n")
    return f"lines {first:,}-{last:,}"


def _adopt_blocks(blocks: CsvBlocks) -> None:
    global _BLOCKS
    _BLOCKS = blocks


def _read_in_worker(block: Block) -> Read[_Row]:
    assert _BLOCKS is not None
    return read_block(_BLOCKS, block, _row_of)


_CUSTOMER = ("id", "name", "record", "accounts", "fingerprint", "version")
_VERSION = ("customer_id", "version", "record", "accounts", "fingerprint", "changed_by")
_SERIALISED = {"record", "accounts"}


def _write(session: Session, work: _Batch, lists: _Lists, actor: str, source_file: str) -> int:
    """Store a batch's customers, history, index postings and alerts; returns the alerts."""
    now = utc_now()
    rows = [
        (c.row.id, c.row.name, c.row.text, c.row.accounts_text, c.fingerprint, c.version)
        for c in work.changes
    ]
    inserts = [row for row in rows if row[5] == 1]
    insert_rows(
        session, Customer, _CUSTOMER, inserts, {"updated_at": now, "created_at": now}, _SERIALISED
    )
    updates = [
        {
            "id": c.row.id,
            "name": c.row.name,
            "record": c.record,
            "accounts": c.row.accounts,
            "fingerprint": c.fingerprint,
            "version": c.version,
            "updated_at": now,
        }
        for c in work.changes
        if c.version > 1
    ]
    if updates:
        session.execute(update(Customer), updates)
    history = [(*row[:1], row[5], *row[2:5], actor) for row in rows]
    constant = {"valid_from": now, "source_file": source_file}
    insert_rows(session, CustomerVersion, _VERSION, history, constant, _SERIALISED)
    tokens = TokenWriter(session)
    tokens.replace([c.row.id for c in work.changes if c.rescreen and c.version > 1])
    tokens.add_encoded(work.entries, work.tokens, lambda missing: _token_data(work, missing))
    fingerprints = {c.row.id: c.fingerprint for c in work.changes}
    return raise_screened(
        session, work.hits, fingerprints, actor=actor, trigger="customer", versions=lists.versions
    )


def _token_data(work: _Batch, sigs: set[str]) -> dict[str, TokenData]:
    """The stored form of these tokens of the batch's customers, made again here: a worker gives
    a token's only once, and a batch worked out again under the lock may need one given in the
    first working out, which that batch did not write."""
    encoder = TokenEncoder()
    for change in work.changes:
        if change.rescreen:
            encoder.encode(index_entry(change.party))
    data = encoder.take()
    return {sig: data[sig] for sig in sigs}


def _current_versions(session: Session) -> dict[str, ListVersion]:
    query = select(ListVersion).where(ListVersion.is_current)
    return {row.source: row for row in session.scalars(query)}


def _batches(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
