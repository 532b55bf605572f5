"""Write finmon/names/data/name_frequency.tsv.gz: how common each name part is, from names-dataset.

    python bench/name_frequency.py

names-dataset (PyPI, bench extra) ranks first and last names per country. A rank becomes a share
of the country's people by Zipf's law (rank r of N: 1 / (r * H_N)); spellings that fold to one
key add up within a country, and a key keeps its largest share over the countries, so a name
common anywhere counts as common. Only keys ranked within CUT in some country are written; a name
part not in the file is rarer than that. The output is sorted and gzipped without a timestamp, so
a rerun writes the same bytes.
"""

from __future__ import annotations

import gzip
import io
import math
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from finmon.names.frequency import DATA_FILE  # noqa: E402
from finmon.names.keys import fold  # noqa: E402
from finmon.names.parts import latin_words  # noqa: E402
from finmon.names.translit import to_latin  # noqa: E402

CUT = 500
"""Ranks kept per country and table: rank 500 of 19,000 is about 2 in 10,000 people."""


def shares(table: dict[str, dict[str, object]]) -> dict[str, float]:
    """Folded key -> its largest share of a country's people over the countries."""
    longest: dict[str, int] = defaultdict(int)
    for info in table.values():
        for country, rank in _ranks(info).items():
            longest[country] = max(longest[country], rank)
    harmonic = {c: math.log(n) + 0.5772 for c, n in longest.items()}
    by_country: dict[tuple[str, str], float] = defaultdict(float)
    for name, info in table.items():
        ranks = {c: r for c, r in _ranks(info).items() if r <= CUT}
        if not ranks:
            continue
        words = latin_words(to_latin(name))
        if len(words) != 1:
            continue  # 'A A', 'Abdul Rahman': the parts are counted on their own
        key = fold(words[0])
        for country, rank in ranks.items():
            by_country[(key, country)] += 1.0 / (rank * harmonic[country])
    best: dict[str, float] = defaultdict(float)
    for (key, _), share in by_country.items():
        best[key] = max(best[key], share)
    return best


def _ranks(info: dict[str, object]) -> dict[str, int]:
    ranks = info.get("rank") or {}
    assert isinstance(ranks, dict)
    return {str(c): int(r) for c, r in ranks.items() if r}


def main() -> int:
    """Build the table and write it."""
    from names_dataset import NameDataset

    data = NameDataset()
    first, last = shares(data.first_names), shares(data.last_names)
    lines = ["key\tfirst_ppm\tlast_ppm"]
    for key in sorted(first.keys() | last.keys()):
        ppm = [round(1e6 * table.get(key, 0.0)) for table in (first, last)]
        if len(key) >= 2 and max(ppm) > 0:
            lines.append(f"{key}\t{ppm[0]}\t{ppm[1]}")
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as handle:
        handle.write(("\n".join(lines) + "\n").encode())
    DATA_FILE.write_bytes(buffer.getvalue())
    print(f"{len(lines) - 1} keys, {DATA_FILE.stat().st_size:,} bytes: {DATA_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
