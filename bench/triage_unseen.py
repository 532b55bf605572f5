"""Triage trained on the AMLSim fan-in sample, judged on samples of other typologies.

    python bench/triage_unseen.py [--typologies cycle,scatter_gather,...] [--seeds 1,2]

The models (bench/triage.py's MODELS: the default features, every feature, amounts alone) are
trained on all of
`../shared/data/tm/amlsim_20K_fanin200` and its labels, as a bank trains on what it decided;
then each sample of bench/amlsim_like.py (a typology the model never saw, seeded) is monitored
with the TF pack, the model ranks its accounts and alerts, and the bench prints per sample: the
pack's alerts and how many fall on laundering accounts, the model's account ROC AUC, account
F1 at its stored threshold, and beside them the amounts-only cutoff (bench/monitor.py's
baseline), its cutoff chosen on the fan-in sample.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

import amlsim_like
import triage
from common import OUT, code_version, machine, shared_data


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--typologies", default=",".join(amlsim_like.TYPOLOGIES))
    parser.add_argument("--seeds", default="1")
    args = parser.parse_args()
    typologies = args.typologies.split(",")
    seeds = [int(s) for s in args.seeds.split(",")]
    print(render(run(typologies, seeds), args))


def run(typologies: list[str], seeds: list[int]) -> dict[str, Any]:
    from finmon.screening.rows import refuse

    sample = shared_data(triage.SAMPLE)
    transactions = sample / "transactions.csv"
    labels = triage._labels(sample / "nodes.csv")
    folder = OUT / "triage_unseen"
    folder.mkdir(parents=True, exist_ok=True)
    labels_file = folder / "labels.csv"
    triage._write_labels(labels_file, labels)
    models = {}
    for name in triage.MODELS:
        models[name] = folder / f"model_{name}.json"
        triage._train(transactions, labels_file, models[name], name, refuse)
    cutoff = _chosen_cutoff(transactions, labels)
    source = amlsim_like.read_source(sample)
    rows = []
    for typology in typologies:
        for seed in seeds:
            where = folder / f"{typology}-{seed}"
            counts = amlsim_like.generate(where, typology, seed, source)
            rows.append(_judge(where, typology, seed, counts, models, cutoff))
            print(f"... {typology} seed {seed} judged", flush=True)
    return {
        "code": code_version(),
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "cutoff": cutoff,
        "rows": rows,
    }


def _chosen_cutoff(transactions: Path, labels: dict[str, int]) -> int:
    """The amounts-only cutoff with the best F1 on the fan-in sample."""
    from finmon.transactions.tabular import read_amlsim

    read = read_amlsim(transactions)
    fraud = {a for a, label in labels.items() if label}
    best = max(triage.CUTOFFS, key=lambda c: triage._scores(triage._below(read, c), fraud)["f1"])
    return int(best)


def _judge(
    where: Path,
    typology: str,
    seed: int,
    counts: dict[str, int],
    models: dict[str, Path],
    cutoff: int,
) -> dict[str, Any]:
    from finmon.transactions.tabular import read_amlsim

    labels = triage._labels(where / "nodes.csv")
    transactions = where / "transactions.csv"
    judged = {
        name: triage._judge(transactions, path, labels, set(labels))
        for name, path in models.items()
    }
    fraud = {a for a, label in labels.items() if label}
    below = triage._below(read_amlsim(transactions), cutoff)
    return {
        "typology": typology,
        "seed": seed,
        **counts,
        **judged,
        "cutoff": triage._scores(below, fraud),
    }


def render(report: dict[str, Any], args: argparse.Namespace) -> str:
    lines = [
        f"Run {report['date']} on {report['machine']}, {report['code']}. Trained on all of "
        f"`{triage.SAMPLE}` (fan-in); judged on bench/amlsim_like.py samples (20,000 accounts, "
        "200 patterns each). Amounts-only cutoff chosen on the fan-in sample: "
        f"{report['cutoff']}.",
        "",
        "| typology | seed | laundering accounts | pack alerts (on laundering) | "
        + " | ".join(f"`{name}`: AUC / F1 at threshold" for name in triage.MODELS)
        + " | cutoff F1 |",
        "|---|---:|---:|---:|" + "---|" * len(triage.MODELS) + "---:|",
    ]
    for row in report["rows"]:
        first = row[triage.MODELS[0]]
        models = " | ".join(
            f"{row[name]['ranking']['roc_auc']:.3f} / {row[name]['accounts']['f1']:.3f}"
            for name in triage.MODELS
        )
        lines.append(
            f"| {row['typology']} | {row['seed']} | {row['fraud']:,} | {first['alerts']:,} "
            f"({first['alerts_confirmed']:,}) | {models} | {row['cutoff']['f1']:.3f} |"
        )
    lines += [
        "",
        f"Reproduce: `python bench/triage_unseen.py --typologies {args.typologies} "
        f"--seeds {args.seeds}`",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
