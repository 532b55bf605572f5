"""How common a name part is, and how much it tells about who a party is.

The table (finmon/names/data/name_frequency.tsv.gz, written by bench/name_frequency.py from
names-dataset) gives each folded name part its largest share of a country's people as a first
or a last name. Information content, -log2 of that share, is the evidence a shared part carries:
Muhammad or Ivanov say little (4 to 5 bits), a rare surname a lot.
"""

from __future__ import annotations

import gzip
import math
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "name_frequency.tsv.gz"
RARE_BITS = 14.0
"""Information of a part that is not in the table (rarer than about 1 in 5,000 anywhere)."""


@lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    """Folded key -> the larger of its first-name and last-name share (0 to 1)."""
    table: dict[str, float] = {}
    with gzip.open(DATA_FILE, "rt", encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            key, first, last = line.rstrip("\n").split("\t")
            table[key] = max(int(first), int(last)) / 1e6
    return table


def share(key: str) -> float:
    """The largest share of a country's people that have this folded name part (0 if unknown)."""
    return _table().get(key, 0.0)


def information(key: str) -> float:
    """Bits of evidence that sharing this folded name part gives, at most RARE_BITS."""
    found = share(key)
    return min(RARE_BITS, -math.log2(found)) if found > 0 else RARE_BITS


def frequency_keys() -> list[str]:
    """Every folded key the table gives a share for."""
    return list(_table())


RENDERS = 0.7
"""Least edit similarity of a table spelling to an Arabic-script part's transliteration (which
writes the long vowels and leaves out the short ones) for the spelling to render it: Salmi for
سلمي (slmi), Islam and Aslam for اسلام (aslam), not Islam for سلمي."""


@lru_cache(maxsize=1)
def _by_cross_key() -> dict[str, list[tuple[float, str]]]:
    """The table's keys with their information, by consonant key across scripts, commonest
    first."""
    from finmon.names.keys import cross_key

    grouped: dict[str, list[tuple[float, str]]] = {}
    for key in _table():
        grouped.setdefault(cross_key(key), []).append((information(key), key))
    for spellings in grouped.values():
        spellings.sort()
    return grouped


@lru_cache(maxsize=100_000)
def rendered_information(key: str, cross: str) -> float:
    """Information of a name part written in Arabic script, the same as of its Latin spellings:
    that of the commonest spelling in the table that renders it (its consonant key, cross, the
    same, and its letters within RENDERS of the part's folded transliteration, key). The table
    is written in Latin letters, where a vowel-less transliteration (slmi, hmada) is seldom
    found: without this every Arabic-script part would count as rare (RARE_BITS)."""
    from rapidfuzz.distance import OSA

    for bits, spelling in _by_cross_key().get(cross, ()):
        if OSA.normalized_similarity(key, spelling, score_cutoff=RENDERS):
            return min(bits, information(key))
    return information(key)
