"""Passenger manifests: a 10,000-traveller PAXLST screened against UN + OFAC SDN, with listed
persons planted as airlines write them.

    python bench/travel.py [--travellers 10000] [--planted 100] [--no-docs]

In a fresh FINMON_HOME: load the UN list of 2026-02-27 and the OFAC SDN list of July 2021, write a
manifest of ordinary travellers (Kazakh, Russian, Central Asian, Arabic, Turkish and Western names
from bench/customers.py, romanised as passports do: ICAO Doc 9303 for Cyrillic, upper case) and
planted listed persons (their original-script name romanised the ICAO way where the list has one,
else their listed Latin name; half written MRZ-style, hyphens and apostrophes dropped and the
particles of a given name run together; with their listed birth date and nationality), then time
`finmon travel screen` end to end as a subprocess and score its hits: every planted person must
be found, and at most 0.5% of ordinary travellers alerted.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from common import ROOT, code_version, load_ofac, load_un, machine, replace_section

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

HEADING = "## Passenger manifests"
SEED = 20261102
TIME_TARGET = 10.0
ALERT_TARGET = 0.005
ORIGINS = (
    ("kazakh", 40),
    ("russian", 25),
    ("central_asian", 15),
    ("arabic", 8),
    ("turkish", 6),
    ("western", 6),
)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--travellers", type=int, default=10_000)
    parser.add_argument("--planted", type=int, default=100)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="finmon-travel-") as tmp:
        report = run(Path(tmp), args.travellers, args.planted)
    text = render(report)
    print(text)
    if not args.no_docs and args.travellers == 10_000:
        replace_section(ROOT / "docs" / "benchmarks.md", HEADING, text)
        print(f"{HEADING[3:]} section written to docs/benchmarks.md")


def run(work: Path, travellers: int, planted_count: int) -> dict[str, Any]:
    os.environ.update({"FINMON_HOME": str(work / "home"), "FINMON_ACTOR": "bench"})
    from finmon.model import ParsedList
    from finmon.store import load_list

    un, ofac = load_un(), load_ofac()
    for designations, source in ((un, "un"), (ofac, "ofac")):
        label = "2026-02-27" if source == "un" else "2021-07"
        load_list(ParsedList(source, "bench", label, None, designations, []), actor="bench")
    rng = random.Random(SEED)
    people = [d for d in un + ofac if d.schema.value == "person" and d.birth_dates]
    chosen = rng.sample(people, planted_count)
    rows = _ordinary(rng, travellers - planted_count)
    planted = [_planted(rng, d) for d in chosen]
    everyone = rows + [p["row"] for p in planted]
    rng.shuffle(everyone)
    manifest = work / "manifest.edi"
    manifest.write_text(paxlst(everyone), encoding="utf-8")
    hits_file = work / "hits.csv"
    command = [
        sys.executable,
        "-c",
        "from finmon.cli import main; main()",
        "travel",
        "screen",
        str(manifest),
        "--output",
        str(hits_file),
    ]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    if done.returncode != 0:
        raise SystemExit(f"finmon travel screen failed: {done.stderr}")
    with hits_file.open(encoding="utf-8") as handle:
        hits = list(csv.DictReader(handle))
    by_traveller: dict[str, set[str]] = {}
    for hit in hits:
        by_traveller.setdefault(hit["name"], set()).add(hit["reference"])
    found = [p for p in planted if p["reference"] in by_traveller.get(p["name"], set())]
    missed = [p for p in planted if p not in found]
    planted_names = {p["name"] for p in planted}
    ordinary_alerted = sorted(n for n in by_traveller if n not in planted_names)
    return {
        "code": code_version(),
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "designations": len(un) + len(ofac),
        "travellers": travellers,
        "planted": len(planted),
        "ordinary": travellers - len(planted),
        "manifest_bytes": manifest.stat().st_size,
        "seconds": seconds,
        "peak_rss": peak,
        "found": len(found),
        "missed": [(p["name"], p["reference"], p["listed"]) for p in missed],
        "ordinary_alerted": ordinary_alerted,
        "printed": done.stderr.strip().splitlines()[-1:],
        "mrz_style": sum(1 for p in planted if p["mrz_style"]),
    }


def _ordinary(rng: random.Random, count: int) -> list[dict[str, Any]]:
    from bench.customers import NameMaker
    from finmon.names.translit import to_latin

    maker = NameMaker(rng)
    origins = [origin for origin, weight in ORIGINS for _ in range(weight)]
    rows = []
    for _ in range(count):
        name, female = maker.customer(rng.choice(origins))
        parts = to_latin(name).upper().split()
        year = rng.randint(1950, 2008)
        rows.append(
            {
                "surname": parts[0],
                "given": " ".join(parts[1:]) or "X",
                "sex": "F" if female else "M",
                "born": f"{year % 100:02d}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}",
                "nationality": rng.choice(["KAZ", "KAZ", "KAZ", "RUS", "UZB", "KGZ", "TUR", "DEU"]),
                "document": f"N{rng.randint(10_000_000, 99_999_999)}",
            }
        )
    return rows


def _planted(rng: random.Random, designation: Any) -> dict[str, Any]:
    from finmon.names.translit import to_latin

    original = next((n.full for n in designation.names if n.original_script), None)
    written = original if original and re.search(r"[\u0400-\u04ff]", original) else None
    listed = written or designation.names[0].full
    parts = _latin_parts(to_latin(listed) if written else listed)
    mrz_style = rng.random() < 0.5
    if mrz_style:
        parts = [p.replace("-", "") for p in parts]
        parts = _run_particles(parts)
    born = designation.birth_dates[0].earliest
    nationality = designation.nationalities[0] if designation.nationalities else None
    name_parts = parts if parts else ["X"]
    row = {
        "surname": name_parts[0],
        "given": " ".join(name_parts[1:]) or "X",
        "sex": "M",
        "born": born.strftime("%y%m%d"),
        "nationality": _alpha3(nationality),
        "document": f"P{rng.randint(10_000_000, 99_999_999)}",
    }
    return {
        "row": row,
        "name": f"{row['given']} {row['surname']}",
        "reference": designation.reference,
        "listed": listed,
        "mrz_style": mrz_style,
    }


def _latin_parts(name: str) -> list[str]:
    """A listed Latin name as a passport writes it: upper case, letters and spaces."""
    cleaned = re.sub(r"[^A-Za-z\s-]", " ", re.sub(r"['’ʼ`]", "", name))
    return [p for p in cleaned.upper().split() if p]


def _run_particles(parts: list[str]) -> list[str]:
    """MRZ-style: particles run into the next part (ABD AL RAHMAN -> ABDALRAHMAN)."""
    joined: list[str] = []
    carry = ""
    for part in parts:
        if part in ("AL", "EL", "ABD", "ABU", "BIN", "BINT", "UL", "UD"):
            carry += part
            continue
        joined.append(carry + part)
        carry = ""
    if carry:
        joined.append(carry)
    return joined


def _alpha3(code: str | None) -> str:
    import pycountry

    country = pycountry.countries.get(alpha_2=code) if code else None
    return country.alpha_3 if country else "XXX"


def paxlst(rows: list[dict[str, Any]]) -> str:
    """A manifest of one flight (Istanbul -> Almaty) with these travellers, as airlines send."""
    release = str.maketrans({"'": "?'", "?": "??", "+": "?+", ":": "?:"})
    segments = [
        "UNB+UNOA:4+KCAIR:ZZ+KZBORDER:ZZ+261102:0730+000000777",
        "UNH+M001+PAXLST:D:05B:UN:IATA+KC912/261102/1030+01:F",
        "BGM+745",
        "TDT+20+KC912+++KC",
        "LOC+125+IST",
        "DTM+189:2611021030:201",
        "LOC+87+ALA",
        "DTM+232:2611021815:201",
    ]
    for row in rows:
        segments += [
            f"NAD+FL+++{row['surname'].translate(release)}:{row['given'].translate(release)}",
            f"ATT+2++{row['sex']}",
            f"DTM+329:{row['born']}",
            f"NAT+2+{row['nationality']}",
            f"DOC+P:110:111+{row['document']}",
        ]
    count = len(segments) - 1 + 1  # UNH to UNT inclusive
    segments += [f"UNT+{count}+M001", "UNZ+1+000000777"]
    return "UNA:+.? '\n" + "'\n".join(segments) + "'\n"


def render(report: dict[str, Any]) -> str:
    n, planted = report["travellers"], report["planted"]
    alerted = len(report["ordinary_alerted"])
    rate = alerted / report["ordinary"] if report["ordinary"] else 0.0
    lines = [
        f"Run {report['date']} on {report['machine']}, {report['code']}. Lists: UN 2026-02-27 + "
        f"OFAC SDN 2021-07 ({report['designations']:,} designations) in a fresh SQLite store. "
        f"Manifest: one flight, {n:,} travellers ({report['manifest_bytes'] / 2**20:.1f} MB of "
        f"PAXLST): {report['ordinary']:,} ordinary travellers (names of bench/customers.py "
        f"romanised as passports do) and {planted} listed persons planted as airlines write them "
        f"({report['mrz_style']} of them MRZ-style: hyphens and apostrophes dropped, particles run "
        "together).",
        "",
        "| what | figure | target |",
        "|---|---:|---|",
        f"| `finmon travel screen`, end to end (start-up, parse, build the index, screen, write) "
        f"| {report['seconds']:.2f} s | < {TIME_TARGET:.0f} s |",
        f"| peak memory | {report['peak_rss'] / 2**20:,.0f} MB | - |",
        f"| planted listed persons found | {report['found']} of {planted} | all |",
        f"| ordinary travellers alerted | {alerted} of {report['ordinary']:,} ({rate:.2%}) | "
        f"<= {ALERT_TARGET:.1%} |",
        "",
        f"- time: {'met' if report['seconds'] < TIME_TARGET else 'MISSED'}; planted: "
        f"{'met' if report['found'] == planted else 'MISSED'}; ordinary alerts: "
        f"{'met' if rate <= ALERT_TARGET else 'MISSED'}",
    ]
    for name, reference, listed in report["missed"][:20]:
        lines.append(f"  - missed: {name!r} for {reference} (listed as {listed!r})")
    for name in report["ordinary_alerted"][:10]:
        lines.append(f"  - ordinary traveller alerted: {name!r}")
    lines += ["", "Reproduce: `python bench/travel.py`"]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
