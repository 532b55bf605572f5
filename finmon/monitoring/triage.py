"""Alert triage: a model of the chance that an analyst confirms an account's alerts.

Learnt from decided accounts (an account confirmed suspicious, or cleared), it ranks the alerts
of a run so the likeliest are worked first; it never closes one. Everything here is pure: the
account features (polars, from the transfers and the alerts the rules raised), the fit (a
scikit-learn logistic regression on standardised features, so every score explains itself as a
sum of contributions), the scores with their top reasons, and the model document.

The model file is JSON (coefficients, never a pickle: reading one runs no code), and carries the
sha256 of its own canonical text: a file that is not byte for byte what finmon wrote is refused.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from finmon.errors import InputError
from finmon.monitoring.events import UNITS, Context, event_frame, transfer_frame
from finmon.transactions.model import Transaction

FORMAT = "finmon-triage"
LAYOUT = 1
"""The model document's layout; a file of another layout is refused."""
FEATURES: dict[str, str] = {
    "in_count": "transfers received (log)",
    "out_count": "transfers sent (log)",
    "in_total": "amount received, in the pack's currency (log)",
    "out_total": "amount sent, in the pack's currency (log)",
    "in_counterparties": "distinct senders (log)",
    "out_counterparties": "distinct receivers (log)",
    "fan_in": "most distinct senders in one 7-day period (log)",
    "fan_out": "most distinct receivers in one 7-day period (log)",
    "round_share": "share of transfers of a round amount (a whole multiple of 100)",
    "tiny_share": "share of transfers under a tenth of the file's median transfer",
    "amount_min": "smallest transfer (log)",
    "amount_p10": "10th percentile of the transfers' amounts (log)",
    "amount_p50": "median transfer (log)",
    "amount_p90": "90th percentile of the transfers' amounts (log)",
    "amount_max": "largest transfer (log)",
    "pass_through": "share of the money received that left again within the same 7-day period",
    "span_days": "days from the first transfer to the last (log)",
    "active_days": "days with a transfer (log)",
    "night_share": "share of transfers between 00:00 and 06:00 UTC",
    "weekend_share": "share of transfers on a Saturday or Sunday",
    "cash_share": "share of transfers in cash",
    "cross_border_share": "share of transfers across a border",
    "peer_in_total": "percentile of in_total within the account's segment",
    "peer_out_total": "percentile of out_total within the account's segment",
    "peer_counterparties": "percentile of distinct counterparties within the account's segment",
    "typology_score": "the rules' typology score of the account (0 when no rule alerted it)",
    "counterparties_alerted": "share of the account's counterparties that some rule alerted",
    "counterparty_amount_min": "mean over the counterparties of their smallest transfer (log)",
}
"""The account features and what each measures; the rules' alerts add `alerts_<rule id>`
(how many alerts of that rule name the account, log)."""
AMOUNT_FEATURES = (
    "in_total",
    "out_total",
    "round_share",
    "tiny_share",
    "amount_min",
    "amount_p10",
    "amount_p50",
    "amount_p90",
    "amount_max",
)
"""The features about amounts alone: the baseline model's."""
GENERAL_FEATURES = (
    *AMOUNT_FEATURES,
    "typology_score",
    "counterparties_alerted",
    "peer_in_total",
    "peer_out_total",
    "peer_counterparties",
)
"""The default model's features, with the rules' alerts: amounts, the rules' evidence and the
account against its peer group. Left out are the counts of transfers, counterparties and days
in each direction, which describe the shape of the cases trained on: a model trained on fan-in
cases with them ranked the accounts of other shapes worse than amounts alone (docs/monitoring.md,
bench/triage_unseen.py). `--features all` keeps them, for a bank whose decided cases cover
every kind of case it meets."""
RULE_PREFIX = "alerts_"
FEATURE_SETS = ("general", "all", "amounts")
"""The feature sets a model can be trained on: GENERAL_FEATURES and the rules' alerts (the
default), every feature and the rules' alerts, or AMOUNT_FEATURES alone (the baseline)."""


def feature_set(name: str, rules: Sequence[str]) -> list[str]:
    """The features of a named set (FEATURE_SETS), with `alerts_<rule>` for each rule."""
    alerts = [RULE_PREFIX + rule for rule in rules]
    if name == "general":
        return [*GENERAL_FEATURES, *alerts]
    if name == "all":
        return [*FEATURES, *alerts]
    if name == "amounts":
        return list(AMOUNT_FEATURES)
    raise InputError(f"unknown feature set {name!r}: one of {', '.join(FEATURE_SETS)}")


PROTECTED = (
    "religion",
    "religious",
    "ethnic",
    "ethnicity",
    "race",
    "nationality",
    "citizenship",
    "origin",
    "script",
    "gender",
    "sex",
    "birth",
)
"""Words no feature name may hold: protected attributes and what stands for them (a name's
script or origin, a birth date) are never triage inputs."""
REASONS = 3
"""Contributions shown per alert."""
PARTS = (0.6, 0.2, 0.2)
"""Shares of the labelled accounts used to fit, to choose the threshold (tune), and to check it."""


def check_features(names: Iterable[str]) -> None:
    """Refuse a feature whose name holds a protected attribute (PROTECTED)."""
    for name in names:
        words = set(name.lower().replace("-", "_").split("_"))
        if words & set(PROTECTED):
            raise InputError(f"feature {name!r}: a protected attribute is never a triage feature")


def account_features(
    transactions: Sequence[Transaction],
    context: Context,
    alerts: Sequence[Mapping[str, Any]] = (),
    rules: Sequence[str] = (),
) -> Any:
    """One row per account that sent or received a transfer: `account`, then FEATURES and
    `alerts_<rule>` for each of rules (a polars frame)."""
    import polars as pl

    transfers = transfer_frame(transactions, context).with_columns(
        pl.Series("round", [t.amount >= 100 and t.amount % 100 == 0 for t in transactions])
    )
    sides = event_frame(transfers, context).join(
        transfers.select("seq", "round"), on="seq", how="left"
    )
    frame = _base(sides.with_columns(pl.col("amount") / UNITS))
    frame = _with_peers(frame, context)
    frame = _with_neighbours(frame, sides.select("account", "party").unique(), alerts)
    return _with_alerts(frame, alerts, rules, context.evidence)


def _log(expr: Any) -> Any:
    return expr.fill_null(0).cast(float).log1p()


def _base(sides: Any) -> Any:
    import polars as pl

    incoming, outgoing = pl.col("direction") == "in", pl.col("direction") == "out"
    amount, time = pl.col("amount"), pl.col("time")
    # Tiny against the file's own amounts, not a fixed sum: test payments, split sums.
    tiny = (sides["amount"].median() or 0.0) / 10
    week = sides.with_columns(time.dt.truncate("7d").alias("week"))
    weekly = (
        week.group_by("account", "week")
        .agg(
            pl.col("party").filter(incoming).n_unique().alias("senders"),
            pl.col("party").filter(outgoing).n_unique().alias("receivers"),
            amount.filter(incoming).sum().alias("week_in"),
            amount.filter(outgoing).sum().alias("week_out"),
        )
        .group_by("account")
        .agg(
            pl.col("senders").max().alias("fan_in"),
            pl.col("receivers").max().alias("fan_out"),
            pl.min_horizontal("week_in", "week_out").sum().alias("kept_moving"),
        )
    )
    totals = sides.group_by("account").agg(
        incoming.sum().alias("in_count"),
        outgoing.sum().alias("out_count"),
        amount.filter(incoming).sum().alias("in_total"),
        amount.filter(outgoing).sum().alias("out_total"),
        pl.col("party").filter(incoming).n_unique().alias("in_counterparties"),
        pl.col("party").filter(outgoing).n_unique().alias("out_counterparties"),
        pl.col("party").n_unique().alias("counterparties"),
        pl.col("round").mean().alias("round_share"),
        (amount < tiny).mean().alias("tiny_share"),
        amount.min().alias("amount_min"),
        amount.quantile(0.1).alias("amount_p10"),
        amount.median().alias("amount_p50"),
        amount.quantile(0.9).alias("amount_p90"),
        amount.max().alias("amount_max"),
        ((time.max() - time.min()).dt.total_seconds() / 86_400).alias("span_days"),
        time.dt.date().n_unique().alias("active_days"),
        (time.dt.hour() < 6).mean().alias("night_share"),
        (time.dt.weekday() >= 6).mean().alias("weekend_share"),
        (pl.col("channel") == "cash").mean().alias("cash_share"),
        pl.col("cross_border").fill_null(False).mean().alias("cross_border_share"),
        pl.col("segment").first().fill_null("").alias("segment"),
    )
    joined = totals.join(weekly, on="account", how="left")
    logged = (
        "in_count out_count in_counterparties out_counterparties fan_in fan_out amount_min "
        "amount_p10 amount_p50 amount_p90 amount_max span_days active_days"
    ).split()
    return joined.with_columns(
        pl.when(pl.col("in_total") > 0)
        .then(pl.col("kept_moving") / pl.col("in_total"))
        .otherwise(0.0)
        .alias("pass_through"),
        *(_log(pl.col(name)).alias(name) for name in logged),
        _log(pl.col("in_total")).alias("in_total"),
        _log(pl.col("out_total")).alias("out_total"),
    )


def _with_peers(frame: Any, context: Context) -> Any:
    """Percentiles within the account's segment (the accounts table's, else the one read from
    the transfers): an account compared with its peers rather than with fixed amounts."""
    import polars as pl

    def percentile(column: str) -> Any:
        return pl.col(column).rank("average").over("segment") / pl.len().over("segment")

    return frame.with_columns(
        percentile("in_total").alias("peer_in_total"),
        percentile("out_total").alias("peer_out_total"),
        percentile("counterparties").alias("peer_counterparties"),
    )


def _with_neighbours(frame: Any, pairs: Any, alerts: Sequence[Mapping[str, Any]]) -> Any:
    """What the account's counterparties look like: money moves in networks, so an account
    among alerted or unusual accounts is likelier to be one (a counterparty that is no account
    of the file, a name or cash, counts as an ordinary one)."""
    import polars as pl

    alerted = sorted({row["account"] for row in alerts if "report" not in row["evidence"]})
    ordinary = frame["amount_min"].median() or 0.0
    theirs = frame.select(pl.col("account").alias("party"), pl.col("amount_min").alias("their"))
    found = (
        pairs.join(theirs, on="party", how="left")
        .group_by("account")
        .agg(
            pl.col("party").is_in(alerted).mean().alias("counterparties_alerted"),
            pl.col("their").fill_null(ordinary).mean().alias("counterparty_amount_min"),
        )
    )
    return frame.join(found, on="account", how="left")


def _with_alerts(
    frame: Any,
    alerts: Sequence[Mapping[str, Any]],
    rules: Sequence[str],
    evidence: Mapping[str, Sequence[str]],
) -> Any:
    import polars as pl

    from finmon.monitoring.engine import typology_scores

    suspicion = [dict(row) for row in alerts if "report" not in row.get("evidence", {})]
    scores = typology_scores(suspicion, evidence)
    counts: dict[str, dict[str, int]] = {rule: {} for rule in rules}
    for row in alerts:
        if row["rule"] in counts:
            per = counts[row["rule"]]
            per[row["account"]] = per.get(row["account"], 0) + 1
    accounts = frame["account"].to_list()
    columns = {
        "typology_score": [scores.get(a, 0.0) for a in accounts],
        **{
            RULE_PREFIX + rule: [math.log1p(counts[rule].get(a, 0)) for a in accounts]
            for rule in rules
        },
    }
    names = [*FEATURES, *(RULE_PREFIX + rule for rule in rules)]
    added = pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.Float64))
    frame = frame.drop(*(c for c in columns if c in frame.columns))
    return pl.concat([frame, added], how="horizontal").select(
        "account", "segment", *(pl.col(n).cast(pl.Float64).fill_null(0.0) for n in names)
    )


@dataclass(slots=True)
class Model:
    """A fitted triage model: standardised features, logistic coefficients, the threshold."""

    features: list[str]
    means: list[float]
    scales: list[float]
    coefficients: list[float]
    intercept: float
    threshold: float
    metrics: dict[str, Any] = field(default_factory=dict)
    training: dict[str, Any] = field(default_factory=dict)
    """What it was trained on and by what: files and their sha256, counts, versions, date."""

    def probabilities(self, frame: Any) -> list[float]:
        """The chance of a confirmation for each row of a features frame (0..1)."""
        return [_sigmoid(self.intercept + sum(c for c in row)) for row in self._terms(frame)]

    def explain(self, frame: Any, shown: int = REASONS) -> list[str]:
        """Each row's largest contributions, as 'feature +0.84; feature -0.31'."""
        reasons = []
        for row in self._terms(frame):
            top = sorted(zip(self.features, row, strict=True), key=lambda p: -abs(p[1]))[:shown]
            reasons.append("; ".join(f"{name} {value:+.2f}" for name, value in top if value))
        return reasons

    def _terms(self, frame: Any) -> list[list[float]]:
        """coefficient x standardised value of every feature, per row (0 for a feature the
        frame lacks: a rule the run's pack does not have)."""
        import numpy as np

        return (self._standardised(frame) * np.array(self.coefficients)).tolist()  # type: ignore[no-any-return]

    def _standardised(self, frame: Any) -> Any:
        import numpy as np

        columns = [
            frame[name].to_numpy() if name in frame.columns else np.full(len(frame), mean)
            for name, mean in zip(self.features, self.means, strict=True)
        ]
        values = np.column_stack(columns) if columns else np.zeros((len(frame), 0))
        return (values - np.array(self.means)) / np.array(self.scales)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


def split_accounts(labels: Mapping[str, int], seed: int) -> tuple[list[str], list[str], list[str]]:
    """The labelled accounts in three parts (fit, tune, check) by PARTS, each label apart so
    every part holds both kinds where there are enough; the same seed, the same parts."""
    import numpy as np

    rng = np.random.default_rng(seed)
    parts: tuple[list[str], list[str], list[str]] = ([], [], [])
    for value in (0, 1):
        accounts = sorted(a for a, label in labels.items() if label == value)
        chosen = [accounts[i] for i in rng.permutation(len(accounts))]
        fit = max(1, round(len(chosen) * PARTS[0]))
        tune = fit + max(1, round(len(chosen) * PARTS[1])) if len(chosen) > 2 else fit
        parts[0].extend(chosen[:fit])
        parts[1].extend(chosen[fit:tune])
        parts[2].extend(chosen[tune:])
    return parts


def fit(frame: Any, labels: Mapping[str, int], features: Sequence[str], seed: int = 1) -> Model:
    """Fit a model on the fit part of the labelled accounts of a features frame, choose the
    threshold with the best F1 on the tune part, and measure it on the tune and check parts."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    check_features(features)
    known = frame.filter(frame["account"].is_in(list(labels)))
    present = {a: labels[a] for a in known["account"].to_list()}
    if len(set(present.values())) < 2 or min(_counts(present.values())) < 3:
        raise InputError(
            "the labels name too few accounts of the transfers: at least 3 confirmed and 3 "
            f"cleared are needed (found {_counts(present.values())[1]} confirmed, "
            f"{_counts(present.values())[0]} cleared)"
        )
    parts = split_accounts(present, seed)
    rows = {a: i for i, a in enumerate(known["account"].to_list())}
    values = known.select(features).to_numpy()
    target = np.array([present[a] for a in known["account"].to_list()])
    take = [np.array([rows[a] for a in part], dtype=int) for part in parts]
    means = values[take[0]].mean(axis=0)
    scales = values[take[0]].std(axis=0)
    scales[scales == 0] = 1.0
    learner = LogisticRegression(C=1.0, max_iter=2000)
    learner.fit((values[take[0]] - means) / scales, target[take[0]])
    model = Model(
        features=list(features),
        means=means.tolist(),
        scales=scales.tolist(),
        coefficients=learner.coef_[0].tolist(),
        intercept=float(learner.intercept_[0]),
        threshold=0.5,
    )
    probabilities = np.array(model.probabilities(known))
    tune, check = take[1], take[2]
    model.threshold = best_threshold(probabilities[tune].tolist(), target[tune].tolist())
    model.metrics = {
        "fit": {"accounts": len(take[0]), "confirmed": int(target[take[0]].sum())},
        "tune": measure(probabilities[tune].tolist(), target[tune].tolist(), model.threshold),
        "check": measure(probabilities[check].tolist(), target[check].tolist(), model.threshold),
        "segments": _segment_rates(known, probabilities, np.concatenate(take[1:]), model),
    }
    return model


def _counts(values: Iterable[int]) -> list[int]:
    found = [0, 0]
    for value in values:
        found[value] += 1
    return found


def best_threshold(scores: Sequence[float], labels: Sequence[int]) -> float:
    """The score at or above which accounts are flagged with the best F1 (the highest such
    score when several tie); 0.5 when there is no confirmed account to find."""
    confirmed = sum(labels)
    if not confirmed:
        return 0.5
    best, chosen, flagged, hits = -1.0, 0.5, 0, 0
    pairs = sorted(zip(scores, labels, strict=True), reverse=True)
    for index, (score, label) in enumerate(pairs):
        flagged, hits = flagged + 1, hits + label
        if index + 1 < len(pairs) and pairs[index + 1][0] == score:
            continue  # accounts of one score are flagged together
        f1 = 2 * hits / (flagged + confirmed)
        if f1 > best:
            best, chosen = f1, score
    return float(chosen)


def measure(scores: Sequence[float], labels: Sequence[int], threshold: float) -> dict[str, Any]:
    """Precision, recall and F1 at the threshold, average precision, ROC AUC and Brier score."""
    from sklearn.metrics import average_precision_score, roc_auc_score

    flagged = [s >= threshold for s in scores]
    hits = sum(f and y for f, y in zip(flagged, labels, strict=True))
    precision = hits / sum(flagged) if any(flagged) else 0.0
    recall = hits / sum(labels) if any(labels) else 0.0
    both = len(set(labels)) == 2
    return {
        "accounts": len(labels),
        "confirmed": int(sum(labels)),
        "flagged": int(sum(flagged)),
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(2 * precision * recall / (precision + recall), 4) if hits else 0.0,
        "average_precision": round(float(average_precision_score(labels, scores)), 4)
        if both
        else None,
        "roc_auc": round(float(roc_auc_score(labels, scores)), 4) if both else None,
        "brier": round(
            sum((s - y) ** 2 for s, y in zip(scores, labels, strict=True)) / len(labels), 4
        )
        if labels
        else None,
    }


def _segment_rates(known: Any, probabilities: Any, held: Any, model: Model) -> dict[str, Any]:
    """Per segment, of the held-out accounts: how many, and the share at or above the
    threshold (so a segment the model flags much more often shows)."""
    segments = known["segment"].to_list()
    rates: dict[str, list[int]] = {}
    for index in held.tolist():
        counted = rates.setdefault(segments[index] or "(none)", [0, 0])
        counted[0] += 1
        counted[1] += int(probabilities[index] >= model.threshold)
    return {
        segment: {"accounts": n, "flagged_share": round(flagged / n, 4)}
        for segment, (n, flagged) in sorted(rates.items())
    }


def model_text(model: Model) -> str:
    """The model file's text: canonical JSON that carries the sha256 of the rest of it."""
    body = {"format": FORMAT, "layout": LAYOUT, **asdict(model)}
    digest = hashlib.sha256(_canonical(body).encode()).hexdigest()
    return _canonical({**body, "sha256": digest})


def _canonical(document: Mapping[str, Any]) -> str:
    return (
        json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False, allow_nan=False) + "\n"
    )


def write_model(path: Path, model: Model) -> None:
    """Write a model file whole (a temporary file renamed over the target)."""
    text = model_text(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    partial.replace(path)


def read_model(path: Path) -> Model:
    """A model file as finmon wrote it; InputError for any other (changed by one byte, another
    layout, a protected feature)."""
    if not path.is_file():
        raise InputError(f"{path}: no such model file")
    data = path.read_bytes()
    if len(data) > 16 << 20:
        raise InputError(f"{path}: too large for a triage model")
    try:
        text = data.decode("utf-8")
        document = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise InputError(f"{path}: not a finmon triage model (not JSON)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(f"{path}: not a finmon triage model")
    if document.get("layout") != LAYOUT:
        raise InputError(f"{path}: triage model layout {document.get('layout')!r}; {LAYOUT} read")
    body = {k: v for k, v in document.items() if k != "sha256"}
    digest = hashlib.sha256(_canonical(body).encode()).hexdigest()
    if document.get("sha256") != digest or _canonical(document) != text:
        raise InputError(f"{path}: the model file was changed after training (sha256 differs)")
    return _model(path, body)


def _model(path: Path, body: dict[str, Any]) -> Model:
    try:
        model = Model(**{k: v for k, v in body.items() if k not in ("format", "layout")})
    except TypeError as exc:
        raise InputError(f"{path}: not a finmon triage model ({exc})") from None
    sizes = {len(model.means), len(model.scales), len(model.coefficients)}
    if sizes != {len(model.features)} or 0.0 in model.scales:
        raise InputError(f"{path}: the model's features and coefficients do not agree")
    check_features(model.features)
    return model
