"""How often two spellings of one name meet in FIU-to-FIU matching on keyed digests, and how
often two different names do (finmon.fiu.exchange; docs/fiu.md).

Each pair is hashed as two subjects with the same birth year (persons) and no identifier, so
only the name keys can meet. Nothing in finmon.fiu.exchange was tuned on these sets.

    PYTHONPATH=$PWD python bench/fiu_exchange.py
"""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter

from bench.common import ROOT, read_rows, shared_data
from finmon.fiu.exchange import ExchangeSubject, subject_digests

KEY = os.urandom(32)
BORN = dt.date(1980, 1, 1)


def _subject(name: str, schema: str) -> ExchangeSubject:
    person = schema == "Person"
    return ExchangeSubject(
        id=name,
        kind="person" if person else "organisation",
        name=name,
        birth_date=BORN if person else None,
    )


def meets(name1: str, name2: str, schema: str) -> bool:
    """True when a request about name1 meets a subject named name2 held by the receiver."""
    asked = subject_digests(_subject(name1, schema), KEY, "ask")
    return bool(asked.keys() & subject_digests(_subject(name2, schema), KEY, "hold").keys())


def report(title: str, rows: list[dict[str, str]]) -> None:
    """Matches found among true pairs and among different-party pairs, per category."""
    found: Counter[tuple[bool, bool]] = Counter()
    missed: Counter[str] = Counter()
    for row in rows:
        truth = row["is_match"] == "true"
        hit = meets(row["name1"], row["name2"], row["schema"])
        found[truth, hit] += 1
        if truth and not hit:
            missed[row.get("category", "")] += 1
    true_pairs = found[True, True] + found[True, False]
    other_pairs = found[False, True] + found[False, False]
    print(f"{title}: same party met {found[True, True]}/{true_pairs}", end="")
    print(f" ({found[True, True] / max(true_pairs, 1):.1%}),", end="")
    print(f" different parties met {found[False, True]}/{other_pairs}")
    for category, count in missed.most_common(6):
        print(f"  missed {count:3d}  {category}")


def main() -> None:
    """Print the figures for bench/data/kz_ru_variants.csv and, when present, the shared
    name_pairs_dev.csv."""
    report("kz_ru_variants", read_rows(ROOT / "bench" / "data" / "kz_ru_variants.csv"))
    dev = shared_data("eval/name_pairs_dev.csv")
    if dev.exists():
        rows = [r for r in read_rows(dev) if r["schema"] in ("Person", "Company", "Organization")]
        report("name_pairs_dev (persons, companies)", rows)


if __name__ == "__main__":
    main()
