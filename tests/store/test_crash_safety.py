"""Crash safety: a kill -9 during a list load with its delta re-screen, or during a customer
import, loses nothing and duplicates nothing, and running the same command again completes the job.

Real processes, real kills. The `finmon` command runs as a subprocess against a store of its own.
A list load is killed only once it is seen holding the store's write lock, that is inside its one
transaction (it has parsed its files by then): amid the workers of its delta re-screen, whose
appearance is watched for, or at a share of the time the same command took in a reference store
that was never killed from taking the lock to forking its first workers. After each kill the
store must be exactly as it was before the command started.

A customer import writes its file in batches of IMPORT_BATCH rows, each screened outside the lock
and then written in one short transaction; it is killed amid the indexing or screening workers
of a batch. After each kill the store holds whole batches and nothing else: exactly the customers
of the file's first k batches (k may be 0), with exactly the versions, index postings, alerts and
audit rows the reference holds for them.

After running the command again the store must hold exactly what the reference holds: the same
list versions, customers, customer index, alerts (none twice) and audit actions, with an intact
audit chain. The workers the killed process leaves behind must go away on their own and hold
nothing up.

The stores at each step are copies of the reference's store before that step, so both start the
command from the same state: a SQLite backup, or a PostgreSQL database made from it as a template.
"""

from __future__ import annotations

import csv
import itertools
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from finmon.store.audit import verify_audit
from finmon.store.engine import Database
from tests.conftest import ROOT, SERVER_URL, shared_file

UN_2020 = "lists/un_consolidated_2020-11-30.xml"
UN_2026 = "lists/un_consolidated_2026-02-27.xml"
POSITIVES = "eval/positives_un.csv"
"""Real UN-listed persons as a customer file would hold them: they raise alerts."""
NEGATIVES = "eval/negatives_us.csv"
"""Synthetic people on no list."""
CUSTOMERS = 5000
"""Customers in the imported file: all the positives among negatives. An import indexes and
screens some 500 to 700 customers a second on two cores, so this keeps the module near a minute
while the import still runs for seconds inside its transaction."""


@dataclass(frozen=True, slots=True)
class Amid:
    """A kill point: amid the nth pool of workers the command forks (their pids are new)."""

    pool: int
    what: str

    def __str__(self) -> str:
        return f"amid its {self.what}"


@dataclass(frozen=True, slots=True)
class Written:
    """A kill point: once the store holds the first batches of an import, amid the next one's
    indexing and screening (the workers of an import stay from batch to batch)."""

    batches: int
    what: str

    def __str__(self) -> str:
        return f"amid its {self.what}"


KillPoint = float | Amid | Written
"""Where to kill: amid a pool of workers, or at a share of the time the reference took from taking
the write lock to forking its first workers (well inside the transaction, however the speed of
the machine varies between the two runs)."""
IMPORT_BATCH = CUSTOMERS // 2
"""Rows of each transaction of the import (FINMON_IMPORT_BATCH): two batches, each large enough
for its indexing to be shared out among forked workers."""
IMPORT_KILLS: tuple[Amid | Written, ...] = (
    Amid(1, "first batch's indexing and screening workers"),
    Written(1, "second batch's indexing and screening"),
)
"""Where a customer import is killed, one after another: amid the workers indexing and screening
the first batch (nothing is written yet), then amid those of the second batch (the first one is
written). One pool of workers, kept for the whole import, does both for every batch
(finmon.store.customers._Workers)."""
LOAD_KILLS: tuple[KillPoint, ...] = (0.2, 0.6, Amid(1, "delta re-screen workers"))
"""Where a list load is killed: diffing and storing the new version; later, storing it or finding
the customers to re-screen; and amid the workers of its delta re-screen."""
ADVISORY_LOCK = 4242
"""The key of finmon's write lock on PostgreSQL (finmon.store.engine._lock_for_write)."""
ACTOR = "crash-test"

_numbers = itertools.count(1)


@dataclass(frozen=True, slots=True)
class State:
    """What a store holds, by natural keys: ids may differ between stores (PostgreSQL sequences
    are not rolled back with a killed transaction), the facts may not."""

    tables: dict[str, int]
    """Rows in every table."""
    list_versions: list[tuple[str, str, bool, int]]
    designations: list[tuple[str, int, int]]
    """Per list version: its designations and their distinct references."""
    customers: list[tuple[str, int, str]]
    customer_versions: list[tuple[str, int, str]]
    index: list[tuple[str, str, bool, int]]
    """Postings of the customer index: token signature, customer, short, parts."""
    token_keys: int
    alerts: list[tuple[str, str, str, str, str, str, str, str]]
    audit_actions: dict[str, int]


class Store:
    """A finmon store a subprocess writes into: SQLite under its own FINMON_HOME, or a database of
    its own on the PostgreSQL test server."""

    def __init__(self, url: str, home: Path, server: Engine | None) -> None:
        self.url = url
        self.home = home
        self.server = server
        self.env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "FINMON_HOME": str(home),
            "FINMON_DATABASE_URL": url,
            "FINMON_ACTOR": ACTOR,
            "FINMON_WORKERS": "2",  # forked screening and indexing workers, even on one core
            "FINMON_IMPORT_BATCH": str(IMPORT_BATCH),
            "COLUMNS": "200",
        }

    @property
    def sqlite_path(self) -> Path:
        database = make_url(self.url).database
        assert database is not None
        return Path(database)

    def cli(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        """Run the finmon command to its end; it must succeed."""
        done = subprocess.run(
            _command(args), cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=600
        )
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done

    def start(self, *args: str | Path) -> subprocess.Popen[str]:
        return subprocess.Popen(
            _command(args),
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def engine(self) -> Engine:
        return create_engine(self.url, poolclass=NullPool)

    def state(self) -> State:
        engine = self.engine()
        try:
            with engine.connect() as conn:
                return _state(conn)
        finally:
            engine.dispose()

    def audit_rows_intact(self) -> int:
        """Rows of the audit log, whose chain must be intact (checked in this process)."""
        # The audit key and checkpoints live in the store's FINMON_HOME, beside the database.
        with pytest.MonkeyPatch.context() as env:
            env.setenv("FINMON_HOME", str(self.home))
            db = Database(self.url)
            try:
                report = verify_audit(db)
            finally:
                db.dispose()
        assert report.ok, report.problem
        return report.rows


class LockProbe:
    """Tells whether some process holds the store's write lock, without waiting for it."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._sqlite: sqlite3.Connection | None = None
        self._engine: Engine | None = None
        self._conn: Connection | None = None

    def __enter__(self) -> LockProbe:
        if self.store.server is None:
            self._sqlite = sqlite3.connect(self.store.sqlite_path, timeout=0, isolation_level=None)
        else:
            self._engine = self.store.engine().execution_options(isolation_level="AUTOCOMMIT")
            self._conn = self._engine.connect()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
        if self._conn is not None:
            self._conn.close()
        if self._engine is not None:
            self._engine.dispose()

    def held(self) -> bool:
        if self._sqlite is not None:
            try:
                self._sqlite.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                assert "locked" in str(exc), exc
                return True
            self._sqlite.execute("ROLLBACK")
            return False
        assert self._conn is not None
        query = text(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND objid = :key AND database = "
            "(SELECT oid FROM pg_database WHERE datname = current_database())"
        )
        return bool(self._conn.execute(query, {"key": ADVISORY_LOCK}).scalar_one())


class Stores:
    """Makes stores and copies of them, and removes the PostgreSQL databases at the end."""

    def __init__(self, root: Path, server: Engine | None) -> None:
        self.root = root
        self.server = server
        self.databases: list[str] = []

    def new(self, name: str) -> Store:
        home = self.root / name
        home.mkdir()
        if self.server is None or SERVER_URL is None:
            return Store(f"sqlite:///{home / 'finmon.db'}", home, None)
        return self._database(name, home, "template0")

    def copy(self, store: Store, name: str) -> Store:
        """A new store holding what store holds now (no process may be using store)."""
        home = self.root / name
        home.mkdir()
        for anchor in ("audit.key", "audit-checkpoints.log"):  # a backup includes the anchors
            if (store.home / anchor).exists():
                shutil.copy2(store.home / anchor, home / anchor)
        if self.server is None or SERVER_URL is None:
            copy = Store(f"sqlite:///{home / 'finmon.db'}", home, None)
            source = sqlite3.connect(store.sqlite_path)
            target = sqlite3.connect(copy.sqlite_path)
            try:
                source.backup(target)
            finally:
                source.close()
                target.close()
            return copy
        template = make_url(store.url).database
        assert template is not None
        return self._database(name, home, template)

    def _database(self, name: str, home: Path, template: str) -> Store:
        assert self.server is not None and SERVER_URL is not None
        database = f"finmon_crash_{os.getpid()}_{next(_numbers)}_{name.replace('-', '_')}"
        with self.server.connect() as conn:
            conn.execute(text(f"CREATE DATABASE {database} TEMPLATE {template}"))
        self.databases.append(database)
        url = make_url(SERVER_URL).set(database=database).render_as_string(hide_password=False)
        return Store(url, home, self.server)

    def close(self) -> None:
        if self.server is None:
            return
        with self.server.connect() as conn:
            for database in self.databases:
                conn.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))


@dataclass(frozen=True, slots=True)
class Reference:
    """A store that was never killed, at each step, with copies of it taken before each step."""

    customers_file: Path
    listed: State
    """After `lists load` of the 2020 UN list."""
    imported: State
    """Then after `customers import` of the customers file (screened against 2020)."""
    reloaded: State
    """Then after `lists load` of the 2026 UN list (its delta re-screen raised alerts)."""
    import_seconds: float
    """How long `customers import` took from taking the write lock to forking its first workers
    (for indexing)."""
    load_seconds: float
    """How long `lists load` of the 2026 list took from taking the write lock to forking its
    first workers (for its delta re-screen)."""
    before_import: Store
    """A copy of the reference store as it was before the import."""
    before_load: Store
    """A copy of the reference store as it was before the 2026 load."""


@pytest.fixture(scope="module")
def stores(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stores]:
    server: Engine | None = request.getfixturevalue("_server") if SERVER_URL else None
    made = Stores(tmp_path_factory.mktemp("crash"), server)
    try:
        yield made
    finally:
        made.close()


@pytest.fixture(scope="module")
def reference(stores: Stores, tmp_path_factory: pytest.TempPathFactory) -> Reference:
    customers_file = _write_customers(tmp_path_factory.mktemp("customers") / "customers.csv")
    store = stores.new("reference")
    store.cli("lists", "load", shared_file(UN_2020))
    listed = store.state()
    before_import = stores.copy(store, "before-import")
    import_seconds = _reference_run(store, "customers", "import", customers_file, in_lock=False)
    imported = store.state()
    before_load = stores.copy(store, "before-load")
    load_seconds = _reference_run(store, "lists", "load", shared_file(UN_2026))
    reloaded = store.state()
    for state in (listed, imported, reloaded):
        _check_no_duplicates(state)
    # The workload is what the kills are meant to interrupt: screened customers, alerts raised
    # on import, and more raised by the 2026 list's delta re-screen.
    assert imported.tables["customers"] == CUSTOMERS
    assert imported.tables["alerts"] > 100
    assert reloaded.tables["alerts"] > imported.tables["alerts"]
    assert {row[5] for row in reloaded.alerts} == {"customer", "list"}
    return Reference(
        customers_file,
        listed,
        imported,
        reloaded,
        import_seconds,
        load_seconds,
        before_import,
        before_load,
    )


def test_kill_during_customer_import_keeps_whole_batches_and_duplicates_nothing(
    reference: Reference,
) -> None:
    store = reference.before_import
    assert store.state() == reference.listed
    command = ("customers", "import", reference.customers_file)
    batches = []
    for point in IMPORT_KILLS:
        _kill_mid_run(store, command, point, reference.import_seconds, in_lock=False)
        batches.append(_whole_batches(store.state(), reference))
        assert store.audit_rows_intact() == sum(store.state().audit_actions.values())
    # The kills came before the first batch was written, then after it.
    assert batches == [0, 1], batches

    store.cli(*command)
    after = store.state()
    _check_no_duplicates(after)
    assert after == reference.imported
    verified = store.cli("audit", "verify")
    assert f"intact: {sum(after.audit_actions.values())} rows" in verified.stdout


def test_kills_during_list_load_and_delta_rescreen_lose_and_duplicate_nothing(
    reference: Reference,
) -> None:
    store = reference.before_load
    assert store.state() == reference.imported
    command = ("lists", "load", shared_file(UN_2026))
    for point in LOAD_KILLS:
        _kill_mid_run(store, command, point, reference.load_seconds)
        assert store.state() == reference.imported, f"killed at {point}"
        assert store.audit_rows_intact() == sum(reference.imported.audit_actions.values())

    done = store.cli(*command)
    assert "Loaded un list version 2026-02-27" in done.stdout, done.stdout
    after = store.state()
    _check_no_duplicates(after)
    assert after == reference.reloaded
    verified = store.cli("audit", "verify")
    assert f"intact: {sum(after.audit_actions.values())} rows" in verified.stdout

    # The job is done: running it once more changes nothing at all.
    again = store.cli(*command)
    assert "already" in again.stdout, again.stdout
    assert store.state() == reference.reloaded


def _command(args: tuple[str | Path, ...]) -> list[str]:
    # The real command line, as the `finmon` console script runs it.
    return [sys.executable, "-c", "from finmon.cli import main; main()", *map(str, args)]


def _reference_run(store: Store, *args: str | Path, in_lock: bool = True) -> float:
    """Run a command to its end; how long it took from taking the write lock (from its start, for
    a command that forks its workers outside the lock) to forking its first workers."""
    proc = store.start(*args)
    try:
        started = time.monotonic()
        if in_lock:
            with LockProbe(store) as probe:
                started = _wait_for_lock(proc, probe)
        _wait_for_pool(proc, 1)
        seconds = time.monotonic() - started
        out, err = proc.communicate(timeout=600)
    finally:
        _end(proc)
    assert proc.returncode == 0, (args, out, err)
    print(f"{' '.join(map(str, args))}: forked workers {seconds:.2f} s after taking the lock")
    return seconds


def _wait_for_lock(proc: subprocess.Popen[str], probe: LockProbe) -> float:
    """Wait until the process holds the write lock; when that was seen."""
    deadline = time.monotonic() + 300
    while not probe.held():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"finmon ended before it took the write lock: {out}{err}")
        if time.monotonic() > deadline:
            pytest.fail("finmon did not take the write lock within 300 s")
        time.sleep(0.01)
    return time.monotonic()


def _kill_mid_run(
    store: Store,
    args: tuple[str | Path, ...],
    point: KillPoint,
    reference_seconds: float,
    *,
    in_lock: bool = True,
) -> None:
    """Start a command and SIGKILL it at point (inside its transaction, if in_lock); wait for it
    to die and for the workers it forked to go too. A pool can end between two looks at the
    process table (a delta re-screen's lasts well under a second on PostgreSQL): a kill meant
    to land amid one that found none alive is run again, up to three runs, and the last is
    kept even so: it still landed after the pool was forked and inside the transaction
    (`_kill_once` asserts the lock was held), the window this kill point is about. A run
    killed before its commit changes nothing, which the callers check after every kill."""
    for run in range(1, 4):
        workers = _kill_once(store, args, point, reference_seconds, in_lock=in_lock)
        if workers or not isinstance(point, Amid):
            return
        print(f"the kill {point} found its pool ended (run {run}), still in the transaction")


def _kill_once(
    store: Store,
    args: tuple[str | Path, ...],
    point: KillPoint,
    reference_seconds: float,
    *,
    in_lock: bool,
) -> list[int]:
    """One run of _kill_mid_run; the workers alive at the kill."""
    proc = store.start(*args)
    try:
        with LockProbe(store) as probe:
            locked_at = _wait_for_lock(proc, probe) if in_lock else time.monotonic()
            if isinstance(point, Amid):
                workers = _at_work(proc, _wait_for_pool(proc, point.pool))
            elif isinstance(point, Written):
                _wait_for_customers(store, proc, point.batches * IMPORT_BATCH)
                workers = _at_work(proc, _children(proc.pid))
            else:
                time.sleep(point * reference_seconds)
                workers = _children(proc.pid)
            # Stopped right after the last look at its workers, then looked at, then killed: the
            # command cannot leave its transaction between the look at the lock and the kill,
            # however long a loaded machine keeps this process from running (the look itself is
            # a query; the kill used to come after it).
            os.kill(proc.pid, signal.SIGSTOP)
            still_locked = probe.held() if in_lock else True
            os.kill(proc.pid, signal.SIGKILL)
            killed_at = time.monotonic() - locked_at
        out, err = proc.communicate(timeout=60)
    finally:
        _end(proc)
    # A process that had ended already could not be killed: its exit code would be its own.
    assert proc.returncode == -signal.SIGKILL, (proc.returncode, out, err)
    assert still_locked, f"finmon left its transaction before the kill at {point}"
    command = " ".join(map(str, args))
    where = (
        point if isinstance(point, Amid | Written) else f"at {point:.0%} of the reference's time"
    )
    print(f"{command}: killed {killed_at:.2f} s after it started, {where}; {workers=}")
    if isinstance(point, Written):
        assert workers, f"the kill {point} found no worker"
    _wait_gone(workers)
    return workers


def _whole_batches(state: State, reference: Reference) -> int:
    """How many whole batches of the import a killed import left; fails unless the store holds
    exactly the reference's listed state plus everything of the file's first batches."""
    customers = len(state.customers)
    assert customers % IMPORT_BATCH == 0, f"{customers} customers: not whole batches"
    kept = {f"C{n:06d}" for n in range(1, customers + 1)}

    def of_kept(rows: list[Any], column: int) -> list[Any]:
        return [row for row in rows if row[column] in kept]

    imported, listed = reference.imported, reference.listed
    assert state.customers == of_kept(imported.customers, 0)
    assert state.customer_versions == of_kept(imported.customer_versions, 0)
    assert state.index == of_kept(imported.index, 1)
    assert state.alerts == sorted(listed.alerts + of_kept(imported.alerts, 0))
    assert state.list_versions == listed.list_versions
    assert state.designations == listed.designations
    batches = customers // IMPORT_BATCH
    expected = Counter(listed.audit_actions)
    expected["alert.raise"] += len(of_kept(imported.alerts, 0))
    expected["customers.import.batch"] += batches
    assert state.audit_actions == {k: v for k, v in expected.items() if v}
    return batches


def _end(proc: subprocess.Popen[str]) -> None:
    """Leave no process of a failed test running."""
    if proc.poll() is None:
        proc.kill()
        proc.communicate()


def _wait_for_pool(proc: subprocess.Popen[str], pool: int) -> list[int]:
    """Wait until the process has forked its pool-th pool of workers; their pids."""
    seen: set[int] = set()
    pools = 0
    deadline = time.monotonic() + 300
    while True:
        workers = set(_children(proc.pid))
        if workers and not workers & seen:
            pools += 1
            if pools == pool:
                return sorted(workers)
        seen |= workers
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"finmon ended having forked {pools} of {pool} worker pools: {out}{err}")
        if time.monotonic() > deadline:
            pytest.fail(f"finmon forked {pools} of {pool} worker pools within 300 s")
        time.sleep(0.01)


def _wait_for_customers(store: Store, proc: subprocess.Popen[str], count: int) -> None:
    """Wait until the store holds count customers (committed batches of the running import)."""
    engine = store.engine()
    deadline = time.monotonic() + 300
    try:
        with engine.connect() as conn:
            while True:
                held = conn.execute(text("SELECT count(*) FROM customers")).scalar_one()
                conn.rollback()
                if held >= count:
                    return
                if proc.poll() is not None:
                    out, err = proc.communicate()
                    pytest.fail(f"finmon ended with {held} of {count} customers: {out}{err}")
                if time.monotonic() > deadline:
                    pytest.fail(f"finmon wrote {held} of {count} customers within 300 s")
                time.sleep(0.02)
    finally:
        engine.dispose()


def _at_work(proc: subprocess.Popen[str], pool: list[int], settle: float = 0.2) -> list[int]:
    """Let a pool just forked get to work for up to settle seconds, but no longer than all of its
    workers live (a short pool on a fast machine may finish sooner): the ones alive at the last
    look, just before the kill."""
    until = time.monotonic() + settle
    alive = [pid for pid in _children(proc.pid) if pid in pool]
    while time.monotonic() < until:
        time.sleep(0.01)
        now = [pid for pid in _children(proc.pid) if pid in pool]
        if len(now) < len(pool):
            return now
        alive = now
    return alive


def _children(pid: int) -> list[int]:
    """Processes whose parent is pid (Linux /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return False
    return fields[0] != "Z"


def _wait_gone(pids: list[int], timeout: float = 30) -> None:
    """The killed process's orphaned workers must end by themselves (they would otherwise hold
    its database connection, and with it the write lock, open on PostgreSQL)."""
    deadline = time.monotonic() + timeout
    while any(_alive(pid) for pid in pids):
        if time.monotonic() > deadline:
            left = [pid for pid in pids if _alive(pid)]
            for pid in left:
                os.kill(pid, signal.SIGKILL)
            pytest.fail(f"workers {left} of the killed finmon were still running after {timeout} s")
        time.sleep(0.05)


def _state(conn: Connection) -> State:
    def rows(sql: str) -> list[Any]:
        return sorted(tuple(row) for row in conn.execute(text(sql)))

    tables = sorted(set(inspect(conn).get_table_names()) - {"alembic_version"})
    return State(
        tables={t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables},
        list_versions=rows(
            "SELECT source, version, is_current, designation_count FROM list_versions"
        ),
        designations=rows(
            "SELECT v.version, count(*), count(DISTINCT d.reference) FROM designations d "
            "JOIN list_versions v ON v.id = d.list_version_id GROUP BY v.version"
        ),
        customers=rows("SELECT id, version, fingerprint FROM customers"),
        customer_versions=rows("SELECT customer_id, version, fingerprint FROM customer_versions"),
        index=rows(
            "SELECT t.sig, c.customer_id, c.short, c.parts FROM customer_tokens c "
            "JOIN name_tokens t ON t.id = c.token_id"
        ),
        token_keys=conn.execute(text("SELECT count(*) FROM name_token_keys")).scalar_one(),
        alerts=rows(
            "SELECT a.customer_id, a.source, a.reference, a.customer_fingerprint, "
            "a.designation_fingerprint, a.trigger, a.status, v.version FROM alerts a "
            "JOIN list_versions v ON v.id = a.list_version_id"
        ),
        audit_actions=dict(
            Counter(conn.execute(text("SELECT action FROM audit_log")).scalars().all())
        ),
    )


def _check_no_duplicates(state: State) -> None:
    alerts = [(a[0], a[1], a[2]) for a in state.alerts]
    assert len(alerts) == len(set(alerts)) == state.tables["alerts"]
    assert len(state.customers) == len({c[0] for c in state.customers})
    versions = [(c[0], c[1]) for c in state.customer_versions]
    assert len(versions) == len(set(versions))
    assert len(state.index) == len({(i[0], i[1]) for i in state.index})
    # exactly one current version of each source
    current = sorted(v[0] for v in state.list_versions if v[2])
    assert current == sorted({v[0] for v in state.list_versions})
    assert state.audit_actions.get("alert.raise", 0) == state.tables["alerts"]


def _write_customers(path: Path) -> Path:
    """A customer file of real names: every UN-listed person of positives_un.csv spread evenly
    among the synthetic people of negatives_us.csv."""
    with shared_file(POSITIVES).open(encoding="utf-8", newline="") as handle:
        positives = list(csv.DictReader(handle))
    with shared_file(NEGATIVES).open(encoding="utf-8", newline="") as handle:
        negatives = list(itertools.islice(csv.DictReader(handle), CUSTOMERS - len(positives)))
    every = CUSTOMERS // len(positives)
    listed, unlisted = iter(positives), iter(negatives)
    rows = [
        next(listed) if n % every == every - 1 and n // every < len(positives) else next(unlisted)
        for n in range(CUSTOMERS)
    ]
    columns = ("full_name", "date_of_birth", "nationality", "gender")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("id", *columns))
        for n, row in enumerate(rows, 1):
            writer.writerow((f"C{n:06d}", *(row[c] for c in columns)))
    return path
