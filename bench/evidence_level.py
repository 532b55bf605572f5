"""What a level of name-and-date evidence would cost: the people on no list it clears against the
true positives it loses.

    python bench/evidence_level.py [--levels 16,18,20,22,24] [--alerts out/fairness-alerts-*.csv]

A level (bits) is a rule measured here, not one finmon applies: when a party's birth date agrees
with a listed person's only within a listed year or range (not the same day) and the evidence of
name and date together falls short of the level, the hit cannot alert. The evidence is what
finmon.screening.features.name_commonness weighs: the bits of the matched name parts, less those
of parts no listed name carries, plus the date's bits (date_bits: a listed year about 6, a range
fewer) and a shared nationality's; below the level the commonness penalty applies whole and the
date's support is taken back. A level only lowers scores: it clears people, never alerts new ones.

Cleared: the people a bench/fairness.py run alerted with birth dates (its
out/fairness-alerts-<population>.csv, which hold the seeds that run screened), screened again
against UN 2026-02-27 + OFAC SDN 2021-07. Lost: the recall sets that carry birth dates, with
them: positives_un and every perturbed variant of it (bench/perturb.py; bench/quality.py
evaluates a sample of 400) against UN, and the Arabic-script names of UN persons against UN +
OFAC without Arabic-script names (bench/arabic_names.py), each with its listed dates. The other
recall sets are name pairs without dates, which this rule cannot reach. Beside each recall
figure, the true positives at risk: found on a date within a listed year or range with fewer
than DISTINCT_BITS of evidence, the only ones a level can take.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import perturb
from bench.arabic_names import arabic_persons, without_arabic
from bench.common import OUT, load_ofac, load_un, read_rows, row_party, shared_data
from bench.fairness import MAIN_GROUPS, parties_as_read
from bench.populations import script_group
from finmon.model import Designation, Party, Schema
from finmon.screening import Screener, features
from finmon.screening import screener as screener_module

LEVELS = (16.0, 18.0, 20.0, 22.0, 24.0)


def evidence_bits(effect: float) -> float:
    """The bits of evidence behind a name_commonness effect (its linear ramp, read backwards);
    at the ramp's foot, COMMON_BITS (there are at most that many)."""
    short = effect / features.COMMON_NAME
    return features.DISTINCT_BITS - short * (features.DISTINCT_BITS - features.COMMON_BITS)


def _date_in_range(seen: Sequence[features.Evidence]) -> bool:
    return any(e.feature == "birth_date" and 0 < e.effect < features.SAME_BIRTH_DAY for e in seen)


def level_rule(level: float | None) -> Callable[..., features.Evidence | None]:
    """name_commonness with the level applied (None: as finmon has it)."""
    original = features.name_commonness

    def rule(
        match: Any, listed: Designation, frequency: Any, seen: Sequence[features.Evidence],
        **kwargs: Any,
    ) -> features.Evidence | None:  # fmt: skip
        found = original(match, listed, frequency, seen, **kwargs)
        if level is None or found is None or not _date_in_range(seen):
            return found
        if evidence_bits(found.effect) >= level:
            return found
        whole = features.COMMON_NAME - features.BIRTH_DATE_IN_RANGE
        return dataclasses.replace(found, effect=whole, detail=f"below {level:.0f} bits")

    return rule


@dataclasses.dataclass
class Case:
    """Parties to screen with one screener, and for each the references that count as found
    (none: a person on no list, counted when alerted)."""

    label: str
    screener: Screener
    parties: list[Party]
    gold: list[set[str]]
    groups: list[str] = dataclasses.field(default_factory=list)


def positive_cases(un: list[Designation]) -> list[Case]:
    """positives_un and all its perturbed variants, with their dates, against UN."""
    rows = read_rows(shared_data("eval/positives_un.csv"))
    gold = perturb.gold_designations(rows, un)
    mapped = [i for i, g in enumerate(gold) if g]
    refs = {i: {un[j].reference for j in gold[i]} for i in mapped}
    screener = Screener(un)
    positives = [row_party(rows[i], f"pos-{i}") for i in mapped]
    variants = perturb.perturb_rows([rows[i]["full_name"] for i in mapped])
    perturbed = [
        row_party(rows[mapped[v.source]], f"per-{n}", v.name) for n, v in enumerate(variants)
    ]
    return [
        Case("positives_un", screener, positives, [refs[i] for i in mapped]),
        Case("perturbed (all)", screener, perturbed, [refs[mapped[v.source]] for v in variants]),
    ]


def arabic_case(un: list[Designation], ofac: list[Designation]) -> Case:
    """Arabic-script names of UN persons, with their listed dates (bench/arabic_names.py)."""
    persons = arabic_persons(un)
    parties = [
        Party(f"q{i}", [name], Schema.PERSON, list(d.birth_dates))
        for i, (d, name) in enumerate(persons)
    ]
    screener = Screener(without_arabic(un + ofac))
    return Case("arabic_names", screener, parties, [{d.reference} for d, _ in persons])


def alert_case(paths: Sequence[Path], screener: Screener) -> Case:
    """The people a fairness run alerted with birth dates, to be screened again."""
    rows = [row for path in paths for row in read_rows(path) if row.get("birth_date_used") == "yes"]
    parties = parties_as_read(rows, True)
    groups = [script_group(row["script"]) for row in rows]
    return Case("alerted, with birth dates", screener, parties, [set()] * len(rows), groups)


def count(case: Case, workers: int) -> tuple[int, Counter[str]]:
    """Parties found (gold among the hits) or, for people on no list, alerted by script group;
    under AT_RISK, the parties found whose gold hit stands on a listed year or range with fewer
    than DISTINCT_BITS of evidence (those a level may take)."""
    found, alerted = 0, Counter[str]()
    results = case.screener.screen_many(case.parties, workers=workers)
    for index, (_, hits) in enumerate(results):
        gold = [hit for hit in hits if hit.designation.reference in case.gold[index]]
        if gold:
            found += 1
            alerted[AT_RISK] += _at_risk(gold[0].explanation["evidence"])
        elif hits and not case.gold[index]:
            alerted[case.groups[index]] += 1
    return found, alerted


AT_RISK = "at risk"


def _at_risk(evidence: Sequence[dict[str, Any]]) -> bool:
    date = [e["effect"] for e in evidence if e["feature"] == "birth_date"]
    common = any(e["feature"] == "name_frequency" for e in evidence)
    return common and bool(date) and 0 < date[0] < features.SAME_BIRTH_DAY


def main(argv: Sequence[str] | None = None) -> int:
    """Each level's cleared and lost, beside finmon as it is."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default=",".join(f"{x:g}" for x in LEVELS))
    parser.add_argument("--alerts", nargs="*", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--alerts-only", action="store_true", help="leave the recall sets out")
    args = parser.parse_args(argv)
    paths = args.alerts or sorted(OUT.glob("fairness-alerts-*.csv"))
    un, ofac = load_un(), load_ofac()
    recall = [] if args.alerts_only else [*positive_cases(un), arabic_case(un, ofac)]
    cases = [*recall, alert_case(paths, Screener(un + ofac))]
    groups = [*MAIN_GROUPS, "other"]
    header = ["level", *(c.label for c in recall), "alerted: " + ", ".join(groups)]
    print(_row(header) + "\n" + _row(["---"] * len(header)))
    levels: list[float | None] = [None, *(float(x) for x in args.levels.split(","))]
    for level in levels:
        screener_module.name_commonness = level_rule(level)  # type: ignore[assignment]
        figures = [count(case, args.workers) for case in cases]
        found = [
            f"{n} of {len(c.parties)} ({risk[AT_RISK]} at risk)"
            for c, (n, risk) in zip(recall, figures, strict=False)
        ]
        alerted = ", ".join(str(figures[-1][1][g]) for g in groups)
        print(_row(["as is" if level is None else f"{level:g} bits", *found, alerted]), flush=True)
    return 0


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


if __name__ == "__main__":
    sys.exit(main())
