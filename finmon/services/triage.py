"""Alert triage: training a model on decided accounts, and ranking a run's alerts with it.

The service behind `finmon triage train` and `finmon monitor --triage`. Training reads the
transfers and the labels (lenient: a bad label row is reported and left out, unless strict), runs
the rules pack so that its alerts count among the features, fits and writes the model with what
it was trained on. Ranking adds `triage` (0..1) and `triage_reasons` to every alert of a run;
it closes nothing, and leaves out alerts only when the caller asks for a minimum.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from finmon.errors import InputError
from finmon.services.access import authorize
from finmon.workflow.access import Action

if TYPE_CHECKING:
    from finmon.monitoring.triage import Model
    from finmon.screening.rows import Report
    from finmon.services.monitoring import MonitoringRun

LABEL_VALUES = {"1": 1, "true": 1, "0": 0, "false": 0}
"""What a labels file's `label` may say (any case): confirmed suspicious, or not."""
SEED = 1
"""The split of the labelled accounts into fit, tune and check parts."""


@dataclass(slots=True)
class Training:
    """A model trained and written: where, and what it was learnt from."""

    model: Model
    path: Path
    labelled: int
    """Accounts with a usable label."""
    unknown: int
    """Labelled accounts that the transfers do not name (left out)."""


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_labels(path: Path, report: Report) -> dict[str, int]:
    """The `account,label` rows of a labels CSV; each bad row goes to report (which raises in
    strict mode) and is left out."""
    from finmon.screening.inputs import csv_records
    from finmon.screening.rows import ROW_SKIPPED, Problem

    if not path.is_file():
        raise InputError(f"{path}: no such labels file")
    records = csv_records(path)
    first = next(records, None)
    header = [name.strip().lower() for name in first[1]] if first else []
    if "account" not in header or "label" not in header:
        raise InputError(f"{path}:1: a labels file has the columns account,label")
    where, what = header.index("account"), header.index("label")
    labels: dict[str, int] = {}
    for line, row in records:
        if not "".join(row).strip():
            continue

        def problem(column: str, value: str, text: str, place: int = line) -> None:
            report(Problem(str(path), f"line {place}", column, value, text, ROW_SKIPPED))

        if len(row) != len(header):
            problem("", ",".join(row), f"{len(row)} cells where the header has {len(header)}")
            continue
        account, flag = row[where].strip(), row[what].strip().lower()
        if not account:
            problem("account", "", "the account is empty")
        elif flag not in LABEL_VALUES:
            problem("label", row[what], "not a label: use 1 or true (confirmed), 0 or false")
        elif account in labels and labels[account] != LABEL_VALUES[flag]:
            problem("label", row[what], f"account {account!r} was labelled otherwise before")
            labels[account] = -1
        else:
            labels.setdefault(account, LABEL_VALUES[flag])
    return {account: label for account, label in labels.items() if label >= 0}


def train_triage(
    actor: str,
    files: Sequence[Path],
    *,
    labels: Path,
    output: Path,
    report: Report,
    format: str | None = None,
    accounts: Path | None = None,
    rules: Path | None = None,
    features: Sequence[str] | str = "general",
    seed: int = SEED,
) -> Training:
    """Train a triage model on the labelled accounts of the transfers and write it to output;
    features is a list of features or the name of a set (monitoring.triage.FEATURE_SETS: by
    default the general features and every rule of the pack)."""
    from finmon import __version__
    from finmon.monitoring.engine import numbered, run_batch
    from finmon.monitoring.triage import (
        FEATURES,
        account_features,
        feature_set,
        fit,
        write_model,
    )

    authorize(actor, Action.SCREEN)
    if output.suffix.lower() != ".json":
        raise InputError(f"{output}: a triage model is written as .json")
    if isinstance(features, str):
        feature_set(features, ())  # an unknown set is refused before the work
    given = read_labels(labels, report)
    run = _plan(files, format, accounts, rules)
    rule_ids = [rule.id for rule in run.pack.rules]
    alerts = numbered(run_batch(run.pack.rules, run.transactions, run.context))
    frame = account_features(run.transactions, run.context, alerts, rule_ids)
    chosen = feature_set(features, rule_ids) if isinstance(features, str) else list(features)
    model = fit(frame, given, chosen, seed=seed)
    inputs = [*files, labels, *([accounts] if accounts else [])]
    digests = {str(path): sha256_file(path) for path in inputs}
    model.training = {
        "finmon_version": __version__,
        "trained_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "learner": "scikit-learn LogisticRegression on standardised features, " + _sklearn(),
        "files": [{"path": path, "sha256": digest} for path, digest in digests.items()],
        "data_sha256": hashlib.sha256("".join(digests.values()).encode()).hexdigest(),
        "transfers": len(run.transactions),
        "accounts": frame.height,
        "labelled": len(given),
        "rules": rule_ids,
        "pack": run.pack.path.name if run.pack.path else "",
        "seed": seed,
        "feature_set": features if isinstance(features, str) else "listed",
        "feature_notes": {name: FEATURES.get(name, "alerts of this rule (log)") for name in chosen},
    }
    write_model(output, model)
    known = set(frame["account"].to_list())
    return Training(model, output, len(given), sum(a not in known for a in given))


def _sklearn() -> str:
    import sklearn

    return f"scikit-learn {sklearn.__version__}"


@dataclass(slots=True)
class _Inputs:
    pack: Any
    transactions: list[Any]
    context: Any


def _plan(
    files: Sequence[Path], format: str | None, accounts: Path | None, rules: Path | None
) -> _Inputs:
    from finmon.services.monitoring import plan_monitoring

    if not files:
        raise InputError("no transaction file given")
    # A model is trained on every transfer its files hold, or not at all (its data's hash is kept).
    plans = [
        plan_monitoring(f, format=format, rules=rules, accounts=accounts, strict=True)
        for f in files
    ]
    transactions = sorted(
        (t for plan in plans for t in plan.transactions), key=lambda t: t.timestamp
    )
    if len(plans) == 1:
        return _Inputs(plans[0].pack, transactions, plans[0].context)
    from finmon.monitoring.events import Context
    from finmon.monitoring.segments import inferred_segments

    first = plans[0]
    segments = inferred_segments(transactions, dict(first.context.segments) or None)
    context = Context.of(
        first.pack, segments=segments, listed=first.context.listed, rates=first.rates or None
    )
    return _Inputs(first.pack, transactions, context)


def load_triage(path: Path) -> Model:
    """A triage model file, refused unless it is byte for byte what training wrote."""
    from finmon.monitoring.triage import read_model

    return read_model(path)


def triage_alerts(run: MonitoringRun, model: Model) -> None:
    """Add `triage` (0..1) and `triage_reasons` to every alert row of a run, and order the rows
    by triage, highest first (the alert ids stay as numbered)."""
    from finmon.monitoring.triage import RULE_PREFIX, account_features

    rules = [f[len(RULE_PREFIX) :] for f in model.features if f.startswith(RULE_PREFIX)]
    from finmon.monitoring.events import Context

    context = run.context or Context.of(run.pack)
    frame = account_features(run.transactions, context, run.rows, rules)
    accounts = frame["account"].to_list()
    scores = dict(zip(accounts, model.probabilities(frame), strict=True))
    reasons = dict(zip(accounts, model.explain(frame), strict=True))
    for row in run.rows:
        row["triage"] = round(scores.get(row["account"], 0.0), 4)
        row["triage_reasons"] = reasons.get(row["account"], "")
    run.rows.sort(key=lambda row: -row["triage"])


def at_least(rows: list[dict[str, Any]], minimum: float) -> list[dict[str, Any]]:
    """The rows whose triage is at or above minimum (the caller's explicit choice)."""
    return [row for row in rows if row["triage"] >= minimum]
