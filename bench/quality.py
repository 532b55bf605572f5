"""Quality benchmark of finmon's name matching and screening, side by side with nomenklatura
logic-v2 (the OpenSanctions matcher) in the same run.

    python bench/quality.py [--quick]

Sets: (a) name_pairs_dev precision/recall/F1, whole and in its tuning and checking halves
(dev_split); (b) recall of positives_un against the UN list; (c) recall of perturbed positives;
(d) alert rate of negatives_us against UN + OFAC SDN; (e) Kazakh/Russian variant pairs;
(f) Arabic-script vs Latin pairs; (g) alert rate per name origin; (h) recall_cases, a held-out set
of the recall categories of issue 17 (bench/data/recall_cases.csv); (i) heldout_pairs, pairs of
the same weak kinds with hard controls, generated from libraries by bench/heldout.py and never
tuned on (bench/data/heldout_pairs.csv).
Each matcher runs at its own default threshold. finmon's failures go to out/quality-failures-*.csv;
the figures go to the Quality section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import random
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import perturb
from bench.common import (
    FTM_SCHEMA,
    LOGIC_V2_THRESHOLD,
    OUT,
    ROOT,
    Figure,
    Prefilter,
    confusion,
    designation_entity,
    format_table,
    load_ofac,
    load_un,
    logic_v2_names,
    logic_v2_score,
    name_origin,
    party_entity,
    read_rows,
    replace_section,
    row_party,
    shared_data,
    write_rows,
)
from finmon.model import Designation, Party, Schema

SAMPLE_SEED = 2026
PREFILTER_K = 50
Key = tuple[str, str]


@dataclass(frozen=True, slots=True)
class Found:
    """One hit at or above a matcher's threshold."""

    key: Key
    name: str
    score: float
    explanation: str = ""


def key_of(designation: Designation) -> Key:
    """How the benchmark names a designation: (source, reference)."""
    return (designation.source, designation.reference)


class FinmonScreen:
    """finmon's Screener at its default threshold."""

    def __init__(self, designations: Sequence[Designation]) -> None:
        from finmon.screening import Screener

        self.screener = Screener(designations)

    def hits(self, parties: Sequence[Party]) -> list[list[Found]]:
        """Hits of each party, in the order of the parties."""
        by_id: dict[str, list[Found]] = {}
        for party, hits in self.screener.screen_many(parties):
            by_id[party.id] = [_found(hit) for hit in hits]
        return [by_id.get(party.id, []) for party in parties]


def _found(hit: Any) -> Found:
    explanation = str(hit.explanation)[:300]
    name = f"{hit.query_name} ~ {hit.matched_name}"
    return Found(key_of(hit.designation), name, float(hit.score), explanation)


class LogicV2Screen:
    """logic-v2 at its default threshold over the prefilter's top candidates."""

    def __init__(self, designations: Sequence[Designation], k: int = PREFILTER_K) -> None:
        self.designations = designations
        self.prefilter = Prefilter(designations)
        self.k = k
        self.entities: dict[int, Any] = {}
        self.candidates: list[list[int]] = []

    def hits(self, parties: Sequence[Party]) -> list[list[Found]]:
        """Hits of each party; the candidates it scored stay in self.candidates."""
        self.candidates = self.prefilter.top([party.names[0] for party in parties], self.k)
        return [self._score(p, top) for p, top in zip(parties, self.candidates, strict=True)]

    def _score(self, party: Party, top: list[int]) -> list[Found]:
        query = party_entity(party)
        found = []
        for index in top:
            if index not in self.entities:
                self.entities[index] = designation_entity(self.designations[index])
            score = logic_v2_score(query, self.entities[index])
            if score >= LOGIC_V2_THRESHOLD:
                designation = self.designations[index]
                found.append(Found(key_of(designation), designation.caption, score))
        return sorted(found, key=lambda f: -f.score)


# --- pair sets ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Pair:
    name1: str
    name2: str
    is_match: bool
    schema: str  # FollowTheMoney schema name
    category: str


def finmon_pair(pair: Pair) -> tuple[float, str, bool]:
    """finmon's score, explanation and verdict for a pair, with the pair's schema."""
    from finmon.screening import DEFAULT_THRESHOLD, compare_names

    result = compare_names(pair.name1, pair.name2, Schema.parse(pair.schema))
    return float(result.score), str(result.explanation)[:300], result.score >= DEFAULT_THRESHOLD


def evaluate_pairs(label: str, pairs: Sequence[Pair], targets: dict[str, float]) -> list[Figure]:
    """Precision, recall, F1 and false-match rate of both matchers on labelled name pairs."""
    verdicts: dict[str, list[bool]] = {"finmon": [], "logic-v2": []}
    failures: list[dict[str, object]] = []
    for pair in pairs:
        score, explanation, verdict = finmon_pair(pair)
        peer = logic_v2_names(pair.name1, pair.name2, pair.schema)
        verdicts["finmon"].append(verdict)
        verdicts["logic-v2"].append(peer >= LOGIC_V2_THRESHOLD)
        if verdict != pair.is_match:
            failures.append(_pair_failure(pair, score, peer, explanation))
    write_rows(OUT / f"quality-failures-{label}.csv", failures)
    gold = [pair.is_match for pair in pairs]
    ours, theirs = (confusion(gold, verdicts[name]) for name in ("finmon", "logic-v2"))
    size = f"{sum(gold)} matches, {len(gold) - sum(gold)} non-matches"
    figures = [
        Figure(label, "precision", ours.precision, theirs.precision, size=size),
        Figure(label, "recall", ours.recall, theirs.recall, targets.get("recall")),
        Figure(label, "F1", ours.f1, theirs.f1, targets.get("F1")),
        Figure(label, "false-match rate", ours.false_rate, theirs.false_rate, targets.get("fmr")),
    ]
    return figures + _by_category(label, pairs, verdicts)


def _pair_failure(pair: Pair, score: float, peer: float, explanation: str) -> dict[str, object]:
    return {
        "name1": pair.name1,
        "name2": pair.name2,
        "is_match": pair.is_match,
        "category": pair.category,
        "finmon_score": round(score, 4),
        "logic_v2_score": round(peer, 4),
        "finmon_explanation": explanation,
    }


def _by_category(
    label: str, pairs: Sequence[Pair], verdicts: dict[str, list[bool]]
) -> list[Figure]:
    """Share of pairs judged right per category (name_pairs_dev: per case group) and label."""
    groups: dict[tuple[str, bool], list[int]] = defaultdict(list)
    for index, pair in enumerate(pairs):
        groups[(pair.category.split("/")[0], pair.is_match)].append(index)
    figures = []
    for (category, is_match), members in sorted(groups.items()):
        right = {
            name: sum(verdicts[name][i] == is_match for i in members) / len(members)
            for name in verdicts
        }
        kind = "match" if is_match else "control"
        metric = f"{category} ({kind}, n={len(members)})"
        figures.append(Figure(label, metric, right["finmon"], right["logic-v2"], detail=True))
    return figures


def dev_pairs() -> list[Pair]:
    """eval/name_pairs_dev.csv (OpenSanctions name benchmark)."""
    rows = read_rows(shared_data("eval/name_pairs_dev.csv"))
    return [
        Pair(r["name1"], r["name2"], r["is_match"] == "true", r["schema"], _category(r))
        for r in rows
    ]


def dev_split(row: dict[str, str]) -> str:
    """'tune' or 'check': a fixed half of name_pairs_dev by a hash of the pair (the first byte of
    sha256 of name1|name2 even is 'tune'), so a rule tuned on one half is checked on the other."""
    digest = hashlib.sha256(f"{row['name1']}|{row['name2']}".encode()).digest()
    return "tune" if digest[0] % 2 == 0 else "check"


def dev_half(pairs: Sequence[Pair], half: str) -> list[Pair]:
    """The pairs of name_pairs_dev in one half of dev_split."""
    return [p for p in pairs if dev_split({"name1": p.name1, "name2": p.name2}) == half]


def recall_pairs() -> list[Pair]:
    """bench/data/recall_cases.csv: numbers, acronyms, initials, Arabic-script Russian names,
    Chinese and Korean scripts, European renderings, surname slips; never tuned on."""
    rows = read_rows(ROOT / "bench" / "data" / "recall_cases.csv")
    return [
        Pair(r["name1"], r["name2"], r["is_match"] == "true", r["schema"], r["category"])
        for r in rows
    ]


def heldout_pairs() -> list[Pair]:
    """bench/data/heldout_pairs.csv (written by bench/heldout.py): the weak kinds of issue 17 and
    hard controls; never tuned on."""
    rows = read_rows(ROOT / "bench" / "data" / "heldout_pairs.csv")
    return [
        Pair(r["name1"], r["name2"], r["is_match"] == "true", r["schema"], r["category"])
        for r in rows
    ]


def _category(row: dict[str, str]) -> str:
    """The benchmark's case group (few, sizeable) with its finer category after a slash."""
    return "/".join(part for part in (row["case_group"], row["category"]) if part)


def variant_pairs() -> list[Pair]:
    """bench/data/kz_ru_variants.csv (written by bench/variants.py)."""
    rows = read_rows(ROOT / "bench" / "data" / "kz_ru_variants.csv")
    return [
        Pair(r["name1"], r["name2"], r["is_match"] == "true", r["schema"], r["category"])
        for r in rows
    ]


def script_pairs(un: Sequence[Designation], half: str | None = None) -> list[Pair]:
    """Arabic-script vs primary Latin names of UN designations, with random controls; with half,
    those of one half of script_split."""
    return [
        Pair(p.arabic, p.latin, p.is_match, FTM_SCHEMA[Schema(p.schema)], _kind(p))
        for p in perturb.arabic_latin_pairs(un)
        if half is None or script_split(p.reference) == half
    ]


def script_split(reference: str) -> str:
    """'tune' or 'check': a fixed half of arabic_latin by the designation's reference (the first
    byte of its sha256 even is 'tune'), so that a change read on one half is checked on the
    other."""
    return "tune" if hashlib.sha256(reference.encode()).digest()[0] % 2 == 0 else "check"


def script_sets(un: Sequence[Designation]) -> list[Figure]:
    """arabic_latin whole and its two halves (script_split)."""
    figures = evaluate_pairs("arabic_latin", script_pairs(un), {"recall": 0.90})
    for half in ("tune", "check"):
        figures += _headline(evaluate_pairs(f"arabic_latin_{half}", script_pairs(un, half), {}))
    return figures


def _kind(pair: perturb.ScriptPair) -> str:
    return f"{pair.schema} {'own name' if pair.is_match else 'other listed name'}"


# --- screening sets -----------------------------------------------------------------------------


@dataclass
class Context:
    """Lists, matchers and sample sizes shared by the screening sets."""

    un: list[Designation]
    both: list[Designation]
    quick: bool
    rng: random.Random
    finmon_un: FinmonScreen
    peer_un: LogicV2Screen

    def sample(self, items: Sequence[int], full: int | None, quick: int) -> list[int]:
        """A fixed-seed sample of indices (all of them when the size allows)."""
        size = quick if self.quick else full
        if size is None or size >= len(items):
            return list(items)
        return sorted(self.rng.sample(list(items), size))


def _gold_found(gold: set[Key], hits: list[Found]) -> bool:
    return bool(gold & {hit.key for hit in hits})


def _hits_text(hits: list[Found], limit: int = 3) -> str:
    return "; ".join(f"{h.key[1]} {h.score:.3f} {h.name}" for h in hits[:limit])


def evaluate_recall(
    ctx: Context, label: str, parties: list[Party], gold: list[set[Key]], kinds: list[str]
) -> list[Figure]:
    """Share of parties whose gold designation is among the hits, for both matchers."""
    ours = ctx.finmon_un.hits(parties)
    theirs = ctx.peer_un.hits(parties)
    gold_keys = [{key_of(ctx.un[i]) for i in top} for top in ctx.peer_un.candidates]
    found = {
        "finmon": [_gold_found(g, h) for g, h in zip(gold, ours, strict=True)],
        "logic-v2": [_gold_found(g, h) for g, h in zip(gold, theirs, strict=True)],
    }
    prefiltered = sum(bool(g & c) for g, c in zip(gold, gold_keys, strict=True)) / len(gold)
    _write_misses(label, parties, gold, ours, found["finmon"], kinds)
    note = f"logic-v2 prefilter top-{PREFILTER_K} holds the gold designation for {prefiltered:.1%}"
    figures = [Figure(label, "recall", _share(found["finmon"]), _share(found["logic-v2"]),
                      TARGETS[label], size=f"{len(parties)} queries", note=note)]  # fmt: skip
    for kind in sorted(set(kinds)) if len(set(kinds)) > 1 else []:
        members = [i for i, k in enumerate(kinds) if k == kind]
        pick = {name: _share([v[i] for i in members]) for name, v in found.items()}
        metric = f"{kind} (n={len(members)})"
        figures.append(Figure(label, metric, pick["finmon"], pick["logic-v2"], detail=True))
    return figures


def _share(flags: Sequence[bool]) -> float:
    return sum(flags) / max(1, len(flags))


def _write_misses(
    label: str,
    parties: list[Party],
    gold: list[set[Key]],
    hits: list[list[Found]],
    found: list[bool],
    kinds: list[str],
) -> None:
    rows: list[dict[str, object]] = []
    for party, keys, party_hits, ok, kind in zip(parties, gold, hits, found, kinds, strict=True):
        if not ok:
            rows.append({
                "query": party.names[0],
                "kind": kind,
                "birth_dates": " ".join(b.label() for b in party.birth_dates),
                "nationalities": " ".join(party.nationalities),
                "gold": " ".join(sorted(k[1] for k in keys)),
                "finmon_hits": _hits_text(party_hits),
            })  # fmt: skip
    write_rows(OUT / f"quality-failures-{label}.csv", rows)


def evaluate_positives(ctx: Context) -> tuple[list[Figure], list[int], list[set[Key]]]:
    """(b) positives_un against the UN list; returns the mapped rows for (c)."""
    rows = read_rows(shared_data("eval/positives_un.csv"))
    gold = perturb.gold_designations(rows, ctx.un)
    mapped = [i for i, g in enumerate(gold) if g]
    chosen = ctx.sample(mapped, None, 200)
    parties = [row_party(rows[i], f"pos-{i}") for i in chosen]
    keys = [{key_of(ctx.un[j]) for j in gold[i]} for i in chosen]
    figures = evaluate_recall(ctx, "positives_un", parties, keys, ["as given"] * len(parties))
    unmapped = len(rows) - len(mapped)
    figures[0].note += f"; {unmapped} of {len(rows)} rows name no one on the 2026 list (left out)"
    return figures, chosen, keys


def evaluate_perturbed(ctx: Context, chosen: list[int], keys: list[set[Key]]) -> list[Figure]:
    """(c) the same queries perturbed: typo, order, dropped middle name, other romanisation."""
    rows = read_rows(shared_data("eval/positives_un.csv"))
    variants = perturb.perturb_rows([rows[i]["full_name"] for i in chosen])
    picked = [variants[i] for i in ctx.sample(range(len(variants)), None, 400)]
    parties = [row_party(rows[chosen[v.source]], f"per-{n}", v.name) for n, v in enumerate(picked)]
    gold = [keys[v.source] for v in picked]
    return evaluate_recall(ctx, "perturbed_positives", parties, gold, [v.kind for v in picked])


def evaluate_negatives(ctx: Context) -> list[Figure]:
    """(d) alert rate of people on no list against UN + OFAC SDN, and (g) per name origin."""
    rows = read_rows(shared_data("eval/negatives_us.csv"))
    ours_idx = ctx.sample(range(len(rows)), None, 5000)
    peer_idx = ctx.sample(ours_idx, 2000, 300)
    started = time.perf_counter()
    ours = FinmonScreen(ctx.both).hits([row_party(rows[i], f"neg-{i}") for i in ours_idx])
    seconds = time.perf_counter() - started
    theirs = LogicV2Screen(ctx.both).hits([row_party(rows[i], f"neg-{i}") for i in peer_idx])
    alerts = {i: bool(h) for i, h in zip(ours_idx, ours, strict=True)}
    peer_alerts = {i: bool(h) for i, h in zip(peer_idx, theirs, strict=True)}
    failures = [_alert_row(rows[i], hits) for i, hits in zip(ours_idx, ours, strict=True) if hits]
    write_rows(OUT / "quality-failures-negatives_us.csv", failures)
    size = f"finmon {len(ours_idx)} people, logic-v2 sample {len(peer_idx)}"
    note = f"finmon screened {len(ours_idx)} people in {seconds:.0f} s; logic-v2 on a sample"
    figures = [Figure("negatives_us", "alert rate", _share(list(alerts.values())),
                      _share(list(peer_alerts.values())), TARGETS["negatives_us"], size=size,
                      note=note)]  # fmt: skip
    return figures + _fairness(rows, alerts, peer_alerts)


def _alert_row(row: dict[str, str], hits: list[Found]) -> dict[str, object]:
    return {
        "full_name": row["full_name"],
        "date_of_birth": row["date_of_birth"],
        "nationality": row["nationality"],
        "origin_guess": name_origin(row["full_name"]),
        "top_hit": hits[0].key[1],
        "top_score": round(hits[0].score, 4),
        "matched": hits[0].name,
        "explanation": hits[0].explanation,
        "hits": len(hits),
    }


def _fairness(
    rows: list[dict[str, str]], alerts: dict[int, bool], peer_alerts: dict[int, bool]
) -> list[Figure]:
    """(g) alert rate per crude name-origin group: a measurement, never a matching feature."""
    groups: dict[str, list[int]] = defaultdict(list)
    for index in alerts:
        groups[name_origin(rows[index]["full_name"])].append(index)
    figures = []
    for origin, members in sorted(groups.items(), key=lambda item: -len(item[1])):
        peer = [peer_alerts[i] for i in members if i in peer_alerts]
        metric = f"{origin} (n={len(members)}; logic-v2 n={len(peer)})"
        ours = _share([alerts[i] for i in members])
        figures.append(
            Figure("alert rate by name origin", metric, ours, _share(peer) if peer else None)
        )
    return figures


TARGETS: dict[str, float] = {
    "positives_un": 0.99,
    "perturbed_positives": 0.97,
    "negatives_us": 0.005,
}


def pair_sets() -> list[Figure]:
    """The labelled pair sets that need no list: name_pairs_dev (whole and halves), the
    Kazakh/Russian variants, recall_cases and heldout_pairs."""
    dev = dev_pairs()
    figures = evaluate_pairs("name_pairs_dev", dev, {"F1": 0.88})
    for half in ("tune", "check"):
        figures += _headline(evaluate_pairs(f"name_pairs_dev_{half}", dev_half(dev, half), {}))
    figures += evaluate_pairs("kz_ru_variants", variant_pairs(), {"recall": 0.97, "fmr": 0.01})
    figures += evaluate_pairs("recall_cases", recall_pairs(), {})
    return figures + evaluate_pairs("heldout_pairs", heldout_pairs(), {})


def run(quick: bool) -> list[Figure]:
    """Every set, in the order of the brief."""
    un, ofac = load_un(), load_ofac()
    ctx = Context(
        un, un + ofac, quick, random.Random(SAMPLE_SEED), FinmonScreen(un), LogicV2Screen(un)
    )
    dev = dev_pairs()
    figures = evaluate_pairs("name_pairs_dev", dev, {"F1": 0.88})
    for half in ("tune", "check"):
        figures += _headline(evaluate_pairs(f"name_pairs_dev_{half}", dev_half(dev, half), {}))
    positives, chosen, keys = evaluate_positives(ctx)
    figures += positives + evaluate_perturbed(ctx, chosen, keys) + evaluate_negatives(ctx)
    figures += evaluate_pairs("kz_ru_variants", variant_pairs(), {"recall": 0.97, "fmr": 0.01})
    figures += script_sets(un)
    figures += evaluate_pairs("recall_cases", recall_pairs(), {})
    figures += evaluate_pairs("heldout_pairs", heldout_pairs(), {})
    return figures


def _headline(figures: list[Figure]) -> list[Figure]:
    """A half's precision, recall and F1, without its per-category breakdown."""
    return [f for f in figures if f.metric in ("precision", "recall", "F1")]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the table, write failures and (full runs) the docs section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="samples instead of whole sets")
    parser.add_argument(
        "--pairs", action="store_true", help="only the name pair sets (and arabic_latin); no docs"
    )
    args = parser.parse_args(argv)
    if args.pairs:
        print(format_table(pair_sets() + script_sets(load_un())))
        return 0
    command = "python bench/quality.py" + (" --quick" if args.quick else "")
    started = time.perf_counter()
    figures = run(args.quick)
    minutes = (time.perf_counter() - started) / 60
    table = format_table(figures)
    print(table)
    print(
        f"\n{len(figures)} figures in {minutes:.1f} min at {code_version()}. Reproduce: {command}"
    )
    print(f"finmon failures: {OUT}/quality-failures-<set>.csv")
    if not args.quick:
        replace_section(ROOT / "docs" / "benchmarks.md", "## Quality", docs_section(table, command))
    return 0


def docs_section(table: str, command: str) -> str:
    """The Quality section of docs/benchmarks.md."""
    from finmon.screening import DEFAULT_THRESHOLD

    today = dt.date.today().isoformat()
    return QUALITY_DOC.format(
        date=today,
        command=command,
        table=table,
        k=PREFILTER_K,
        ours=DEFAULT_THRESHOLD,
        version=code_version(),
    )


def code_version() -> str:
    """The commit measured, flagged when finmon/ has uncommitted changes."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    dirty = git("status", "--porcelain", "--", "finmon", "bench")
    return f"commit {commit}" + (" with uncommitted changes" if dirty else "")


QUALITY_DOC = """## Quality

Measured {date} with `{command}` on 2 cores, at {version}.

finmon and nomenklatura logic-v2 run in the same process, on the same inputs, each at its own
default threshold (finmon `DEFAULT_THRESHOLD` = {ours}; logic-v2 0.70, yente's default
`SCORE_THRESHOLD`, since nomenklatura ships none). For screening, logic-v2 scores the top {k}
candidates of a rapidfuzz prefilter (standing in for yente's search index); on the negatives it
runs on a fixed-seed sample of 2,000 people. Sets, gold mapping and seeds are described in
`bench/README.md`; finmon's misses and false alerts are written to
`out/quality-failures-<set>.csv`. The name-origin groups are a crude guess from script and name
shape, for measurement only.

{table}
"""


if __name__ == "__main__":
    sys.exit(main())
