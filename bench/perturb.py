"""Evaluation sets derived at run time from the shared data (not committed: they contain it).

- Perturbed positives: each query of eval/positives_un.csv with one typo, the name order rotated,
  a middle name dropped, or another romanisation of the same Arabic name (Mohammed/Muhammad,
  Usama/Osama, Abd al-Rahman/Abdurrahman/Abdul Rahman, ou/u, -ullah/-ulla, kh/h, ee/i, al-/el-,
  bin/ibn/ben); birth date and nationality are kept.
- Arabic-script vs Latin pairs: every UN designation with an original-script name in Arabic script,
  paired with its own primary Latin name (a match) and with the primary Latin name of another,
  randomly drawn designation of the same kind (a control).

All randomness comes from fixed seeds, so a run is reproducible.
"""

from __future__ import annotations

import random
import re
import string
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.common import fold
from finmon.model import Designation

SEED = 9303
KINDS = ("typo", "swap_order", "drop_middle", "romanisation")


@dataclass(frozen=True, slots=True)
class Perturbed:
    """One perturbed query: which positive row it came from, how, and the new name."""

    source: int
    kind: str
    original: str
    name: str


def perturb_rows(names: Sequence[str], seed: int = SEED) -> list[Perturbed]:
    """Every applicable perturbation of every name, in row order then KINDS order."""
    rng = random.Random(seed)
    out: list[Perturbed] = []
    for index, name in enumerate(names):
        for kind in KINDS:
            changed = PERTURBERS[kind](name, rng)
            if changed and changed != name:
                out.append(Perturbed(index, kind, name, changed))
    return out


def typo(name: str, rng: random.Random) -> str | None:
    """One substitution, deletion, insertion or transposition in one token, not its first letter."""
    tokens = name.split()
    candidates = [i for i, token in enumerate(tokens) if sum(c.isalpha() for c in token) >= 4]
    if not candidates:
        return None
    index = rng.choice(candidates)
    tokens[index] = _edit(tokens[index], rng)
    return " ".join(tokens)


def _edit(token: str, rng: random.Random) -> str:
    letters = [i for i, char in enumerate(token) if char.isalpha() and i > 0]
    pos = rng.choice(letters)
    operation = rng.choice(("substitute", "delete", "insert", "transpose"))
    alphabet = string.ascii_uppercase if token.isupper() else string.ascii_lowercase
    if operation == "delete":
        return token[:pos] + token[pos + 1 :]
    if operation == "insert":
        return token[:pos] + rng.choice(alphabet) + token[pos:]
    if operation == "transpose" and pos + 1 < len(token) and token[pos] != token[pos + 1]:
        return token[:pos] + token[pos + 1] + token[pos] + token[pos + 2 :]
    other = rng.choice([char for char in alphabet if char.lower() != token[pos].lower()])
    return token[:pos] + other + token[pos + 1 :]


def swap_order(name: str, rng: random.Random) -> str | None:
    """Last token first (surname-first order); None for one-token names."""
    tokens = name.split()
    if len(tokens) < 2:
        return None
    return " ".join([tokens[-1], *tokens[:-1]])


def drop_middle(name: str, rng: random.Random) -> str | None:
    """Drop one middle token of a name of three or more tokens."""
    tokens = name.split()
    if len(tokens) < 3:
        return None
    del tokens[rng.randrange(1, len(tokens) - 1)]
    return " ".join(tokens)


SUN_LETTERS = "TDRZSNL"
# (pattern, replacements): each replacement is a string for re.sub; one rule is applied per name
ROMANISATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (r"\b(MOHAMMED|MOHAMMAD|MUHAMMAD|MOHAMED|MUHAMMED|MOHAMAD)\b",
     ("MOHAMMED", "MUHAMMAD", "MOHAMED", "MOHAMMAD")),
    (r"\b(USAMA|OSAMA)\b", ("USAMA", "OSAMA")),
    (r"\bABD[ -]?AL[- ]([A-Z]+)", ("ABDUL \\1", "ABDEL\\1", "ABD-AL-\\1", "<ASSIMILATE>")),
    (r"\bABDUL ([A-Z]+)", ("ABD AL-\\1", "ABDUL\\1", "ABDEL \\1")),
    (r"(?<=[A-Z])OU", ("U",)),
    (r"ULLAH\b", ("ULLA",)),
    (r"ULLA\b", ("ULLAH",)),
    (r"KH", ("H",)),
    (r"EE", ("I",)),
    (r"\bAL-", ("EL-", "AL ", "")),
    (r"\bEL-", ("AL-",)),
    (r"\b(BIN|IBN|BEN)\b", ("BIN", "IBN", "BEN")),
)  # fmt: skip


def romanisation(name: str, rng: random.Random) -> str | None:
    """Another romanisation of the same Arabic name, by one rule that applies to it."""
    upper = name.upper()
    rules = [(pattern, repl) for pattern, repl in ROMANISATIONS if re.search(pattern, upper)]
    if not rules:
        return None
    pattern, replacements = rng.choice(rules)
    options = [r for r in replacements if re.sub(pattern, _expander(r), upper) != upper]
    if not options:
        return None
    changed = re.sub(pattern, _expander(rng.choice(options)), upper)
    return changed if name.isupper() or not name.strip() else changed.title()


def _expander(replacement: str) -> Callable[[re.Match[str]], str]:
    def expand(match: re.Match[str]) -> str:
        if replacement != "<ASSIMILATE>":
            return match.expand(replacement)
        word = match.group(1)
        # the article assimilates to a following "sun letter": Abd al-Rahman -> Abdurrahman
        return "ABDU" + (word[0] if word[0] in SUN_LETTERS else "L") + word

    return expand


PERTURBERS: dict[str, Callable[[str, random.Random], str | None]] = {
    "typo": typo,
    "swap_order": swap_order,
    "drop_middle": drop_middle,
    "romanisation": romanisation,
}


# --- Arabic-script vs Latin pairs ---------------------------------------------------------------

ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


@dataclass(frozen=True, slots=True)
class ScriptPair:
    """An Arabic-script name and a Latin name, with whether they name the same designation."""

    arabic: str
    latin: str
    is_match: bool
    reference: str
    other_reference: str
    schema: str


def is_arabic(text: str) -> bool:
    """True when the text has any Arabic-script letter."""
    return ARABIC.search(text) is not None


def arabic_name(designation: Designation) -> str | None:
    """The designation's first original-script name written in Arabic script."""
    for name in designation.names:
        if name.original_script and is_arabic(name.full):
            return name.full
    return None


def latin_name(designation: Designation) -> str | None:
    """The designation's primary Latin name: its first name that is not in an original script."""
    for name in designation.names:
        if not name.original_script and not is_arabic(name.full) and name.full.strip():
            return name.full
    return None


def arabic_latin_pairs(designations: Sequence[Designation], seed: int = SEED) -> list[ScriptPair]:
    """One match and one control per designation with an Arabic-script name."""
    rng = random.Random(seed)
    usable = [d for d in designations if arabic_name(d) and latin_name(d)]
    pairs: list[ScriptPair] = []
    for designation in usable:
        arabic, latin = arabic_name(designation), latin_name(designation)
        assert arabic is not None and latin is not None
        kind = designation.schema.value
        pairs.append(
            ScriptPair(arabic, latin, True, designation.reference, designation.reference, kind)
        )
        others = [
            d
            for d in designations
            if d.schema == designation.schema and latin_name(d) not in (None, latin)
        ]
        other = rng.choice(others)
        other_latin = latin_name(other) or ""
        pairs.append(
            ScriptPair(arabic, other_latin, False, designation.reference, other.reference, kind)
        )
    return pairs


# --- gold designations of the positive queries ---------------------------------------------------


def name_key(name: str) -> str:
    """Order-free key of a name: its sorted ASCII-folded tokens."""
    return " ".join(sorted(fold(name).split()))


def gold_designations(
    rows: Sequence[dict[str, str]], designations: Sequence[Designation]
) -> list[set[int]]:
    """For each positive query row, the indices of the designations it was drawn from.

    A row maps to the designations with a Latin name whose token set equals the row's name,
    narrowed to those whose birth dates admit the row's birth year when several do; failing that,
    to the one designation with a Latin name holding every 3+ letter token of the row's name and a
    compatible birth year. An empty set means the person is no longer on the list.
    """
    exact: dict[str, set[int]] = {}
    for index, designation in enumerate(designations):
        for name in designation.names:
            if not name.original_script:
                exact.setdefault(name_key(name.full), set()).add(index)
    return [_gold(row, exact, designations) for row in rows]


def _gold(
    row: dict[str, str], exact: dict[str, set[int]], designations: Sequence[Designation]
) -> set[int]:
    year = row.get("date_of_birth", "")[:4]
    found = exact.get(name_key(row["full_name"]), set())
    if len(found) > 1:
        narrowed = {i for i in found if _year_fits(designations[i], year)}
        return narrowed or found
    if found:
        return found
    tokens = {t for t in fold(row["full_name"]).split() if len(t) >= 3}
    loose = {
        i
        for i, d in enumerate(designations)
        if _year_fits(d, year)
        and any(tokens <= set(fold(n.full).split()) for n in d.names if not n.original_script)
    }
    return loose if len(loose) == 1 else set()


def _year_fits(designation: Designation, year: str) -> bool:
    if not year.isdigit() or not designation.birth_dates:
        return True
    return any(b.earliest.year <= int(year) <= b.latest.year for b in designation.birth_dates)
