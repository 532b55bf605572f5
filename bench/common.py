"""Helpers shared by the benchmarks: shared-data paths, lists loaded through finmon, query parties
read from the evaluation CSVs, and the peer matcher (nomenklatura logic-v2) on FollowTheMoney
entities with a rapidfuzz candidate prefilter.

nomenklatura is a bench-only dependency (the `bench` extra); it is imported lazily so the list and
party helpers work without it.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import os
import re
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from finmon.model import BirthDate, Designation, Gender, NameQuality, Party, Schema  # noqa: E402
from finmon.settings import load_settings  # noqa: E402

if TYPE_CHECKING:
    from followthemoney.proxy import EntityProxy

OUT = ROOT / "out"
UN_2026 = "lists/un_consolidated_2026-02-27.xml"
OFAC_SDN_2021 = tuple(
    f"lists/ofac_sdn{part}_2021-07.csv" for part in ("", "_add", "_alt", "_comments")
)

# The score at or above which logic-v2 calls a match: yente's default SCORE_THRESHOLD, which the
# OpenSanctions match API uses for its `match` flag. nomenklatura itself ships no threshold.
LOGIC_V2_THRESHOLD = 0.70


def shared_data(relative: str = "") -> Path:
    """A path under the shared data folder (FINMON_SHARED_DIR, else ../shared next to the repo)."""
    shared = load_settings().shared_dir or ROOT.parent / "shared"
    return shared / "data" / relative


def read_rows(path: Path) -> list[dict[str, str]]:
    """All rows of a CSV file as dicts."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, rows: Sequence[dict[str, object]]) -> None:
    """Write dict rows to CSV (columns of the first row); an empty file with no rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        if not rows:
            return
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def load_un() -> list[Designation]:
    """The UN consolidated list of 2026-02-27, parsed by finmon."""
    from finmon.lists import parse_files

    return list(parse_files([shared_data(UN_2026)], format="un-xml").designations)


def load_ofac() -> list[Designation]:
    """The OFAC SDN list of July 2021 (sdn, add, alt, comments), parsed by finmon."""
    from finmon.lists import parse_files

    paths = [shared_data(name) for name in OFAC_SDN_2021]
    return list(parse_files(paths, format="ofac-csv").designations)


def parse_birth_date(text: str) -> list[BirthDate]:
    """'1965' or '1960-06-29' (the evaluation CSVs' forms) as BirthDates; empty for blank."""
    text = text.strip()
    if not text:
        return []
    if re.fullmatch(r"\d{4}", text):
        return [BirthDate.year(int(text))]
    return [BirthDate.exact(dt.date.fromisoformat(text))]


def row_party(row: dict[str, str], party_id: str, name: str | None = None) -> Party:
    """A person to screen from an evaluation CSV row (full_name, date_of_birth, nationality)."""
    nationality = row.get("nationality", "").strip()
    return Party(
        id=party_id,
        names=[name if name is not None else row["full_name"]],
        schema=Schema.PERSON,
        birth_dates=parse_birth_date(row.get("date_of_birth", "")),
        nationalities=[nationality] if nationality else [],
        gender=Gender.parse(row.get("gender")),
    )


# --- nomenklatura logic-v2 -----------------------------------------------------------------------

FTM_SCHEMA = {
    Schema.PERSON: "Person",
    Schema.ORGANIZATION: "Organization",
    Schema.VESSEL: "Vessel",
    Schema.AIRCRAFT: "Airplane",
    Schema.UNKNOWN: "LegalEntity",
}
FTM_NAME_PROPERTY = {
    NameQuality.PRIMARY: "name",
    NameQuality.STRONG: "alias",
    NameQuality.WEAK: "weakAlias",
    NameQuality.FORMER: "previousName",
}
_ids = itertools.count()


def make_entity(
    schema: str,
    names: Iterable[tuple[str, str]],
    birth_dates: Iterable[BirthDate] = (),
    nationalities: Iterable[str] = (),
    gender: Gender | None = None,
) -> EntityProxy:
    """A FollowTheMoney entity; names as (property, value). Each gets a fresh id because
    nomenklatura caches parsed names by entity id."""
    from followthemoney import model

    entity = model.make_entity(schema)
    entity.id = f"bench-{next(_ids)}"
    for prop, value in names:
        entity.add(prop, value)
    if entity.schema.is_a("Person"):
        entity.add("birthDate", [text for date in birth_dates for text in ftm_dates(date)])
        entity.add("nationality", list(nationalities))
        entity.add("gender", gender.value if gender else None)
    else:
        entity.add("country", list(nationalities), quiet=True)
    return entity


def ftm_dates(date: BirthDate) -> list[str]:
    """FtM date strings for a BirthDate: the day, or every year of a year range (at most 11)."""
    if date.earliest == date.latest:
        return [date.earliest.isoformat()]
    years = range(date.earliest.year, date.latest.year + 1)
    return [str(year) for year in years][:11]


def designation_entity(designation: Designation) -> EntityProxy:
    """The FtM entity of a listed person or organisation, names in the properties OpenSanctions
    uses for them (name, alias, weakAlias, previousName)."""
    names = [(FTM_NAME_PROPERTY[n.quality], n.full) for n in designation.names if n.full.strip()]
    schema = FTM_SCHEMA[designation.schema]
    return make_entity(
        schema, names, designation.birth_dates, designation.nationalities, designation.gender
    )


def party_entity(party: Party) -> EntityProxy:
    """The FtM query entity of a party to screen."""
    names = [("name", name) for name in party.names]
    schema = FTM_SCHEMA[party.schema]
    return make_entity(schema, names, party.birth_dates, party.nationalities, party.gender)


def logic_v2_score(query: EntityProxy, candidate: EntityProxy) -> float:
    """logic-v2's score for two entities with its default configuration."""
    from nomenklatura.matching import LogicV2

    return float(LogicV2.compare(query, candidate, _logic_v2_config()).score)


_CONFIG: list[Any] = []


def _logic_v2_config() -> Any:
    from nomenklatura.matching import LogicV2

    if not _CONFIG:
        _CONFIG.append(LogicV2.default_config())
    return _CONFIG[0]


def logic_v2_names(name1: str, name2: str, schema: str) -> float:
    """logic-v2's score for two bare names of one FtM schema (Person, Company, Vessel ...)."""
    return logic_v2_score(
        make_entity(schema, [("name", name1)]), make_entity(schema, [("name", name2)])
    )


# --- candidate prefilter for logic-v2 ----------------------------------------------------------


def fold(name: str) -> str:
    """Lower-case ASCII tokens (anyascii), the key the prefilter compares."""
    from anyascii import anyascii

    return " ".join(re.findall(r"[a-z0-9]+", anyascii(name).lower()))


@dataclass
class Prefilter:
    """Top-k candidate designations by rapidfuzz token similarity on ASCII-folded names.

    It stands in for yente's search index, which also retrieves candidates on transliterated
    name tokens before logic-v2 scores them; its misses count as logic-v2 misses.
    """

    designations: Sequence[Designation]

    def __post_init__(self) -> None:
        self.keys: list[str] = []
        self.owner: list[int] = []
        for index, designation in enumerate(self.designations):
            for key in {fold(name.full) for name in designation.names} - {""}:
                self.keys.append(key)
                self.owner.append(index)

    def top(self, queries: Sequence[str], k: int = 50) -> list[list[int]]:
        """For each query name, the indices of the k designations with the most similar names."""
        import numpy as np
        from rapidfuzz import fuzz, process

        # keys are grouped by designation, so a reduceat over each group's first column gives the
        # best name score per designation
        owner = np.asarray(self.owner)
        starts = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
        out: list[list[int]] = []
        for start in range(0, len(queries), 256):
            chunk = [fold(query) for query in queries[start : start + 256]]
            scores = process.cdist(chunk, self.keys, scorer=fuzz.token_set_ratio, workers=-1)
            scores += process.cdist(chunk, self.keys, scorer=fuzz.token_sort_ratio, workers=-1)
            best = np.full((len(chunk), len(self.designations)), -1.0)
            best[:, owner[starts]] = np.maximum.reduceat(scores, starts, axis=1)
            order = np.argsort(-best, axis=1, kind="stable")[:, :k]
            out.extend([int(i) for i in row] for row in order)
        return out


# --- metrics ---


@dataclass(frozen=True, slots=True)
class Confusion:
    """A confusion matrix of a binary decision."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / max(1, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return self.tp / max(1, self.tp + self.fn)

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def false_rate(self) -> float:
        return self.fp / max(1, self.fp + self.tn)


def confusion(gold: Sequence[bool], predicted: Sequence[bool]) -> Confusion:
    """Counts of true/false positives/negatives of predicted labels against gold ones."""
    pairs = list(zip(gold, predicted, strict=True))
    return Confusion(
        tp=sum(g and p for g, p in pairs),
        fp=sum(p and not g for g, p in pairs),
        fn=sum(g and not p for g, p in pairs),
        tn=sum(not g and not p for g, p in pairs),
    )


# --- reporting ---------------------------------------------------------------------------------


@dataclass
class Figure:
    """One line of the side-by-side table: a metric of one set for finmon and logic-v2."""

    set: str
    metric: str
    finmon: float | None
    logic_v2: float | None
    target: float | None = None
    size: str = ""
    note: str = ""
    detail: bool = False

    @property
    def lower_is_better(self) -> bool:
        """Rates of false matches and alerts should be low; everything else high."""
        return "false" in self.metric or "alert" in self.metric or "alert" in self.set

    def verdict(self) -> str:
        """'met' or 'missed' for finmon against the target; blank without one."""
        if self.target is None or self.finmon is None:
            return ""
        met = self.finmon <= self.target if self.lower_is_better else self.finmon >= self.target
        return "met" if met else "missed"

    def show(self, value: float | None) -> str:
        """F1 as a fraction, everything else as a percentage."""
        if value is None:
            return "-"
        if self.metric == "F1":
            return f"{value:.3f}"
        return f"{value:.2%}" if value < 0.05 else f"{value:.1%}"


def format_table(figures: Sequence[Figure]) -> str:
    """Markdown tables: headline figures with targets, alert rate per name origin, the breakdown
    by category or perturbation, then the size and notes of each set."""
    headline = [f for f in figures if not f.detail and "origin" not in f.set]
    origin = [f for f in figures if "origin" in f.set]
    breakdown = [f for f in figures if f.detail]
    parts = [_table(headline, "metric", with_target=True)]
    if origin:
        parts += ["Alert rate of the negatives by name origin:", _table(origin, "origin group")]
    if breakdown:
        parts += ["Breakdown (share judged right per category; recall per perturbation):"]
        parts += [_table(breakdown, "part")]
    notes = [f"- {f.set}: {'; '.join(x for x in (f.size, f.note) if x)}" for f in figures]
    seen = [
        note for i, note in enumerate(notes) if not note.endswith(": ") and note not in notes[:i]
    ]
    return "\n\n".join(parts + (["\n".join(seen)] if seen else []))


def _table(figures: Sequence[Figure], what: str, with_target: bool = False) -> str:
    head = f"| set | {what} | finmon | logic-v2 |" + (" target | finmon |" if with_target else "")
    rule = "|---|---|---:|---:|" + ("---:|---|" if with_target else "")
    lines = [head, rule]
    for figure in figures:
        cells = [figure.set, figure.metric.strip()]
        cells += [figure.show(figure.finmon), figure.show(figure.logic_v2)]
        if with_target:
            sign = "<=" if figure.lower_is_better else ">="
            cells.append("" if figure.target is None else f"{sign} {figure.show(figure.target)}")
            cells.append(figure.verdict())
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def replace_section(path: Path, heading: str, text: str) -> None:
    """Replace one '## ' section of a Markdown file (created with the standard headings), or add
    it at the end; `text` is the section with or without its heading line."""
    if not text.startswith(heading + "\n"):
        text = f"{heading}\n\n{text}"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# Benchmarks\n\n## Quality\n\n## Speed\n", encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.rstrip() == heading), None)
    if start is None:
        lines += ["\n", heading + "\n"]
        start = len(lines) - 1
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    body = text.rstrip("\n") + "\n" + ("\n" if end < len(lines) else "")
    path.write_text("".join([*lines[:start], body, *lines[end:]]), encoding="utf-8")


# --- name origin, for the fairness measurement only ---------------------------------------------

SCRIPT_GROUPS = {
    "CJK": "Chinese/Japanese script",
    "HIRAGANA": "Chinese/Japanese script",
    "KATAKANA": "Chinese/Japanese script",
    "HANGUL": "Korean script",
    "ARABIC": "Arabic script",
    "CYRILLIC": "Cyrillic script",
    "DEVANAGARI": "Devanagari script",
    "HEBREW": "Hebrew script",
    "THAI": "Thai script",
}
LATIN_MARKERS = (
    ("Arabic-origin, Latin", re.compile(
        r"\b(al|el|abd\w*|abu|bin|ibn|mohamm?e?d|muhamm?ad|ahmed|ahmad|ali|hassan|hussein|husse?in"
        r"|omar|umar|yusuf|youssef|ibrahim|khalid|mahmoud|mustafa|karim|mehdi|said|saeed|hamid"
        r"|rashid|fatima|aisha|layla|leila|nour|zainab|amina|yasmin|salim|tariq|walid)\b")),
    ("Slavic, Latin", re.compile(r"\w(ov|ova|ev|eva|sky|ski|ska|enko|vich|ic|uk|chuk)\b")),
    ("South Asian, Latin", re.compile(
        r"\b(singh|kumar|patel|sharma|gupta|shah|khan|kaur|reddy|rao|iyer|das|mehta|joshi|verma)\b")),
    ("East/South-East Asian, Latin", re.compile(
        r"\b(kim|lee|park|choi|nguyen|tran|le|pham|wang|li|zhang|liu|chen|yang|huang|zhao|wu"
        r"|tanaka|suzuki|sato|takahashi|watanabe|ito|yamamoto)\b")),
    ("Hispanic/Lusophone, Latin", re.compile(
        r"\w(ez|az)\b|\b(garcia|silva|santos|souza|oliveira|pereira|costa|rodrigues|ferreira"
        r"|gomes|lima|carvalho|ramos|cruz|torres|flores|rivera|morales|ortiz|vargas|castro)\b")),
)  # fmt: skip


def name_origin(name: str) -> str:
    """A crude guess of a name's origin from its script and shape, for measuring alert rates per
    group only; it never feeds a match decision."""
    import unicodedata

    scripts = {unicodedata.name(c, "?").split()[0] for c in name if c.isalpha()} - {"LATIN"}
    for script in sorted(scripts):
        if script in SCRIPT_GROUPS:
            return SCRIPT_GROUPS[script]
    if scripts:
        return "other script"
    folded = fold(name)
    for label, pattern in LATIN_MARKERS:
        if pattern.search(folded):
            return label
    return "other Latin"


# --- what a benchmark ran on ------------------------------------------------------------------


def machine() -> str:
    """Cores this process may use and the CPU model."""
    cpuinfo = Path("/proc/cpuinfo")
    text = cpuinfo.read_text(encoding="utf-8") if cpuinfo.exists() else ""
    model = re.search(r"^model name\s*:\s*(.+)$", text, re.MULTILINE)
    return f"nproc {len(os.sched_getaffinity(0))}, {model.group(1) if model else 'unknown CPU'}"


def cpu_seconds() -> float:
    """CPU seconds of this process and the children it has reaped (the local engine's workers)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def code_version() -> str:
    """The commit measured, and whether finmon/ had uncommitted changes."""
    git = ["git", "-C", str(ROOT)]
    done = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    if done.returncode != 0:
        return "finmon at an unknown commit"
    status = subprocess.run([*git, "status", "--porcelain", "--", "finmon"], capture_output=True)
    return f"finmon at commit {done.stdout.strip()}" + " with local changes" * bool(status.stdout)
