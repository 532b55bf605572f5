"""Arabic-script names of UN persons screened against the lists without any Arabic-script name.

    python bench/arabic_names.py [--workers 2] [--misses]

Each UN person with a name written in Arabic script (bench/perturb.py:arabic_name) is screened
under that name, as a party, against UN 2026-02-27 + OFAC SDN 2021-07 from which every
Arabic-script name is taken out, with finmon's Screener at DEFAULT_THRESHOLD: once with the
person's listed birth dates and once without. A person is found when the designation is among the
hits: the recall of a name written in Arabic script against the Latin names of the same person.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import load_ofac, load_un
from bench.perturb import arabic_name, is_arabic
from finmon.model import Designation, Party, Schema


def without_arabic(designations: Sequence[Designation]) -> list[Designation]:
    """The designations with their Arabic-script names taken out (those left with none dropped)."""
    kept = [
        dataclasses.replace(d, names=[n for n in d.names if not is_arabic(n.full)])
        for d in designations
    ]
    return [d for d in kept if d.names]


def arabic_persons(designations: Sequence[Designation]) -> list[tuple[Designation, str]]:
    """Each person with a name in Arabic script, and that name."""
    found = []
    for designation in designations:
        name = arabic_name(designation) if designation.schema is Schema.PERSON else None
        if name:
            found.append((designation, name))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Screen the names and print how many persons were found, with and without birth dates."""
    from finmon.screening import Screener

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--misses", action="store_true", help="print the persons not found")
    args = parser.parse_args(argv)
    un = load_un()
    persons = arabic_persons(un)
    screener = Screener(without_arabic(un + load_ofac()))
    for dated in (True, False):
        parties = [
            Party(f"q{i}", [name], Schema.PERSON, list(d.birth_dates) if dated else [])
            for i, (d, name) in enumerate(persons)
        ]
        results = screener.screen_many(parties, workers=args.workers)
        missed = [
            (name, d.reference)
            for (d, name), (_, hits) in zip(persons, results, strict=True)
            if all(hit.designation.reference != d.reference for hit in hits)
        ]
        label = "with birth dates" if dated else "without"
        print(f"{label}: {len(persons) - len(missed)} of {len(persons)} found")
        if args.misses:
            for name, reference in missed:
                print(f"  missed {reference} {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
