"""Monitoring runs: a rules pack over a transaction file, alerts kept or reported.

The service behind `finmon monitor`: `plan_monitoring` reads and checks everything a run needs,
`MonitoringPlan.run` runs the engine, and the results can be kept in the store or written as a
goAML threshold report. It prints nothing; the front door shows what it did.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finmon.errors import InputError

if TYPE_CHECKING:
    from finmon.monitoring.events import Context
    from finmon.monitoring.rules import Pack
    from finmon.store import Database
    from finmon.store.transactions import TransactionsLoaded
    from finmon.transactions.model import Transaction
    from finmon.transactions.wire import Rates

ENGINES = ("batch", "stream", "spark")
ALERT_COLUMNS = (
    "alert_id",
    "account",
    "rule",
    "typology",
    "score",
    "window_start",
    "window_end",
    "transaction_ids",
    "evidence",
)
"""`finmon transactions alerts` and `finmon monitor` write these columns, in this order."""


@dataclass(slots=True)
class MonitoringRun:
    """What one run found: alert rows numbered from 1, and the transfers they came from."""

    pack: Pack
    engine: str
    transactions: list[Transaction]
    rows: list[dict[str, Any]]
    rates: dict[str, Decimal] = field(default_factory=dict)
    """The rates given for the run (never the pack's indicative ones): reports convert with them."""
    context: Context | None = None
    """What the engine knew beside the transfers (segments, listed accounts, rates)."""

    @property
    def suspicion(self) -> list[dict[str, Any]]:
        """The alerts of suspicion, without the threshold transactions to report."""
        return [row for row in self.rows if "report" not in row["evidence"]]

    @property
    def scores(self) -> dict[str, float]:
        """Each alerted account's typology score."""
        from finmon.monitoring.engine import typology_scores

        return typology_scores(self.suspicion, self.pack.evidence)

    @property
    def to_review(self) -> int:
        """Accounts whose typology score reaches the pack's review threshold."""
        return sum(score >= self.pack.review_threshold for score in self.scores.values())

    @property
    def reportable(self) -> int:
        """Threshold transactions found, to report."""
        return len(self.rows) - len(self.suspicion)


@dataclass(slots=True)
class MonitoringPlan:
    """A run ready to go: the pack, the transfers in time order and what the engines know."""

    pack: Pack
    engine: str
    transactions: list[Transaction]
    context: Context
    rates: dict[str, Decimal]
    listed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each listed account and where it is known from (finmon.monitoring.listed)."""
    master: str | None = None
    """The Spark master of the spark engine (default local[2])."""
    skipped: list[str] = field(default_factory=list)
    """Transfers or messages of the file that could not be read, each with its place and why."""

    def describe(self) -> str:
        """What the run does, in a few words."""
        rules, count, listed = len(self.pack.rules), len(self.transactions), len(self.listed)
        return f"{self.engine}: {rules} rules over {count:,} transfers, {listed:,} listed accounts"

    def run(self) -> MonitoringRun:
        """Run the engine over the transfers; one numbered row per alert, a listed_link alert
        saying where each listed counterparty is known from."""
        from finmon.monitoring.engine import numbered, run_batch, run_stream
        from finmon.monitoring.listed import explain_listed

        if self.engine == "spark":
            from finmon.scale.spark import monitor_alerts, session

            spark = session(self.master)
            alerts = monitor_alerts(spark, self.pack.rules, self.transactions, self.context)
        else:
            engine = run_batch if self.engine == "batch" else run_stream
            alerts = engine(self.pack.rules, self.transactions, self.context)
        rows = numbered(alerts)
        patterns = {rule.id: rule.pattern for rule in self.pack.rules}
        explain_listed(rows, patterns, self.listed)
        return MonitoringRun(
            self.pack, self.engine, self.transactions, rows, self.rates, self.context
        )


def plan_monitoring(
    file: Path,
    *,
    format: str | None = None,
    rules: Path | None = None,
    accounts: Path | None = None,
    rates: Path | None = None,
    engine: str = "batch",
    listed_from_store: bool = False,
    db: Database | None = None,
    master: str | None = None,
    strict: bool = False,
) -> MonitoringPlan:
    """Read the pack, the accounts, the rates and the transfers of a run (a transfer that cannot
    be read is skipped and named; strict refuses the file at the first); listed_from_store adds
    to the accounts table's listed accounts those of the parties the store knows as listed
    (frozen customers, confirmed payment-screening hits), by account or identifier."""
    from finmon.monitoring.accounts import read_accounts
    from finmon.monitoring.events import Context
    from finmon.monitoring.listed import listed_accounts
    from finmon.monitoring.rules import load_pack
    from finmon.monitoring.segments import inferred_segments
    from finmon.transactions.reader import read_file
    from finmon.transactions.wire import Rates

    if engine not in ENGINES:
        raise InputError(f"--engine {engine!r}: use batch, stream or spark")
    pack = load_pack(rules)
    table = read_accounts(accounts) if accounts is not None else None
    given = Rates.read(rates) if rates is not None else None
    if given is not None and given.to != pack.currency:
        raise InputError(f"{rates}: rates into {given.to}; the rules count in {pack.currency}")
    reading = read_file(file, format, strict=strict)
    transactions = sorted(reading.transactions, key=lambda t: t.timestamp)
    parties = []
    if listed_from_store:
        from finmon.store.listed_parties import listed_parties

        parties = listed_parties(db)
    listed = listed_accounts(transactions, parties, sorted(table.listed) if table else ())
    per_unit = dict(given.per_unit) if given else {}
    context = Context.of(
        pack,
        segments=inferred_segments(transactions, table.segments if table else None),
        listed=listed,
        rates=per_unit or None,
    )
    skipped = [str(skip) for skip in reading.skipped]
    return MonitoringPlan(pack, engine, transactions, context, per_unit, listed, master, skipped)


def load_transactions(
    actor: str,
    file: Path,
    *,
    format: str | None = None,
    rates: Rates | None = None,
    db: Database | None = None,
    strict: bool = False,
) -> TransactionsLoaded:
    """Store every transfer of a file that can be read (strict: all or nothing), screen its
    named parties (in FINMON_WORKERS processes) and check its R.16 information, raising what
    fails as monitoring alerts; one write, audited."""
    from finmon.services.access import authorize
    from finmon.settings import load_settings
    from finmon.store.transactions import load_transactions as load
    from finmon.workflow.access import Action

    who = authorize(actor, Action.IMPORT_CUSTOMERS, db)
    workers = load_settings().workers
    return load(
        file, actor=who.name, format=format, rates=rates, db=db, workers=workers, strict=strict
    )


def keep_alerts(run: MonitoringRun, *, actor: str, source: str) -> int:
    """Keep a run's alerts in the store (audited), with the transfers they name, for cases;
    returns how many alerts were new."""
    from finmon.store.transactions import store_monitoring_alerts

    return store_monitoring_alerts(
        run.rows,
        actor=actor,
        source=source,
        transactions=run.transactions,
        rests_on=run.pack.evidence,
    )


@dataclass(frozen=True, slots=True)
class ThresholdReport:
    """A goAML threshold report written: its reference and how many transfers it holds."""

    reference: str
    transactions: int
    path: Path


def write_threshold_report(run: MonitoringRun, path: Path, schema: Path) -> ThresholdReport | None:
    """One goAML threshold report of the transfers threshold rules found, validated against
    the FIU's schema, from the configured entity profile (NotConfigured without it); None (and
    nothing written) when there is none."""
    from finmon.reports.entity import load_profile
    from finmon.reports.from_cases import threshold_report
    from finmon.reports.goaml import kz_schema, load_config, write_report
    from finmon.transactions.model import to_record

    rows = run.rows
    wanted = {i for row in rows if "report" in row["evidence"] for i in row["transaction_ids"]}
    reporter = load_profile()
    if not wanted:
        return None
    config = load_config()
    records = [to_record(t) for t in run.transactions if t.id in wanted]
    stamp = dt.datetime.now(dt.UTC)
    report = threshold_report(
        records,
        config,
        reference=f"TR-{stamp:%Y%m%d%H%M%S}",
        reporter=reporter,
        rates=dict(run.rates),
        now=stamp,
    )
    write_report(report, config, kz_schema(schema, config), path)
    return ThresholdReport(report.entity_reference, len(records), path)
