"""Name scoring: align the tokens of two names, order-insensitively, and weigh what matched.

Each token pair gets a similarity in [0, 1] and a method that says why (exact key, fuzzy key,
consonant skeleton for Arabic script, patronymic form, initial, compound). The name score is a
weighted coverage of both names: rare tokens count more than common ones, a missing patronymic or
particle costs little, and a single shared token between two multi-part names is never enough.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, TypeVar

from rapidfuzz.distance import OSA

from finmon.model import Schema
from finmon.names.acronyms import (
    ABBREVIATION,
    abbreviation_similarity,
    acronym_runs,
)
from finmon.names.dictionary import given_name_group, group_of, group_of_arabic
from finmon.names.evasion import garbled, segment
from finmon.names.keys import SURNAME_ENDING, cross_key, fold
from finmon.names.letters import cross_similarity
from finmon.names.parts import (
    STRUCTURAL,
    WEIGHTS,
    AnalysedName,
    NameToken,
    TokenKind,
    analyse_name,
    structural_count,
)
from finmon.names.renderings import (
    RENDERING,
    arabic_rendering_similarity,
    arabic_spelling_key,
    rendering_keys,
    rendering_similarity,
    surname_slip,
)
from finmon.names.romanise import (
    ROMANISATION,
    SAME_SCRIPT_CAP,
    characters_differ,
    romanisation_similarity,
)
from finmon.names.translit import Script

ALGORITHM = "finmon-name-3"
MIN_SIMILARITY = 0.7
"""Token pairs below this similarity are not aligned at all."""
STRONG_SIDE = 0.7
"""Share of the score given to the better-covered name (a subset of names is a good match)."""
SINGLE_TOKEN_CAP = 0.6
"""Score ceiling when only one token of two multi-token names matched."""
PATRONYMIC_CONFLICT = 0.75
"""Factor applied when both names carry patronymics and they disagree."""
_SHORT_SKELETON = {1: 0.85}
"""Equal consonant keys of one letter say less: many names share them."""
INITIAL = 0.7
"""Similarity of an initial and a name part that starts with its letter."""
INITIAL_OF_GIVEN_NAME = 0.700001
"""The same for a name that is not a patronymic, a hair higher so that a lone initial pairs with
the given name rather than the patronymic (Путин В.) without scoring higher."""
NAME_VARIANT = 0.95
"""Similarity of two spellings of one known given name (Muhammad, Мухаммед, محمد)."""
DIFFERENT_NAMES = 0.5
"""Ceiling for two different known given names, however alike they look (Dana, Dina)."""
COMPOUND_SIMILARITY = 0.85
"""Two tokens joined must be at least this close to the single token they stand for."""
_VOWELS = "aeiou"
SKELETON_LETTERS = MIN_SIMILARITY
"""Least similarity of the letters themselves for equal consonant skeletons to pair two words:
a skeleton lifts a pair the letters make, it never makes one. Not Anatolia of Inayatullah, nor
Apteka of Boutique, nor the vowel-rich romanisations whose few consonants agree by chance
(Xinyi, QASIUN; Jianguo, ZHONGHUA; Huang, HONG; Minseo, MINES), as they would not in Latin."""
# Two surnames a letter apart are two families (Volkov, Volynov), and a surname is not its bare
# stem (Sokolov, Sokol).
NISBA_CONFLICT = 0.8
"""Factor applied when both names end in an al- family name and those differ."""
LEGAL_FORM_CONFLICT = 0.9
"""Factor applied when both names state a legal form and they differ (ANO vs LLC)."""
NAME_CONFLICT = 0.9
"""Factor applied when each name has a part that the other lacks: a different person's part."""
CONTRADICTION = {
    "fuzzy": 1.5,
    "prefix": 1.5,
    "abd_prefix": 1.5,
    "gender_form": 2.0,
    "surname_form": 2.0,
    "surname_spelling": 3.0,
    "surname_slip": 1.5,
}
"""How strongly a spelling difference found by each method argues for two different people."""
MISSING_COST = {TokenKind.PATRONYMIC: 0.21, TokenKind.NISBA: 0.5, TokenKind.GENERIC: 1.0}
"""What an unmatched token costs where it differs from its kind's weight: patronymics and nisbas
are often left out; a missing generic word costs as much as a missing name."""


@dataclass(slots=True, frozen=True)
class TokenPair:
    query: tuple[int, ...]
    candidate: tuple[int, ...]
    similarity: float
    method: str


@dataclass(slots=True, frozen=True)
class NameMatch:
    """The alignment of two analysed names and its score."""

    query: AnalysedName
    candidate: AnalysedName
    score: float
    pairs: tuple[TokenPair, ...]
    notes: tuple[str, ...]

    def explain(self) -> dict[str, Any]:
        """The alignment as JSON-ready data."""
        q, c = self.query.tokens, self.candidate.tokens
        matched_q = {i for p in self.pairs for i in p.query}
        matched_c = {j for p in self.pairs for j in p.candidate}
        return {
            "algorithm": ALGORITHM,
            "score": round(self.score, 4),
            "query": self.query.text,
            "candidate": self.candidate.text,
            "scripts": [self.query.script.value, self.candidate.script.value],
            "transliterated": [self.query.latin, self.candidate.latin],
            "pairs": [_explain_pair(p, q, c) for p in self.pairs],
            "unmatched_query": [q[i].text for i in range(len(q)) if i not in matched_q],
            "unmatched_candidate": [c[j].text for j in range(len(c)) if j not in matched_c],
            "notes": list(self.notes),
        }


@dataclass(slots=True, frozen=True)
class NameComparison:
    """Result of compare_names: a score and its explanation."""

    score: float
    explanation: dict[str, Any]


def compare_names(name1: str, name2: str, schema: Schema = Schema.UNKNOWN) -> NameComparison:
    """Score how likely two names denote the same party, with the reasons."""
    match = match_names(analyse_name(name1, schema), analyse_name(name2, schema))
    return NameComparison(match.score, match.explain())


def match_names(query: AnalysedName, candidate: AnalysedName) -> NameMatch:
    """Align two analysed names and score the alignment. A query that hides a name (spaced out,
    digits for letters, spaces removed) is scored by its best reading (finmon.names.evasion)."""
    # A garbled query (spaced out, words cut by symbols: ELL@ $MITH as ell, mith) is compared as
    # written only with a name written so itself: its pieces would meet names that the name it
    # stands for does not.
    as_written = not query.readings or candidate.readings or not garbled(query.text)
    forms = [(query, "")] if as_written else []
    forms += [(reading, f"read as {reading.latin!r}") for reading in query.readings]
    best: NameMatch | None = None
    for form, note in forms:
        respaced = _respaced(form, candidate)
        tried = [(form, note)]
        if respaced is not None:
            tried.append((respaced, f"read as {respaced.latin!r}: spaces restored"))
        for read, how in tried:
            found = _match(read, candidate)
            if how and not _read_closely(found, read, query, candidate):
                continue
            if best is None or found.score > best.score:
                if how:
                    notes = (*found.notes, how)
                    shown = replace(read, text=query.text)
                    found = NameMatch(shown, candidate, found.score, found.pairs, notes)
                best = found
    if best is None:
        return NameMatch(query, candidate, 0.0, (), ("no reading pairs closely",))
    if best.score > SAME_SCRIPT_CAP and characters_differ(query.text, candidate.text):
        notes = (*best.notes, "different characters")
        return NameMatch(best.query, candidate, SAME_SCRIPT_CAP, best.pairs, notes)
    return best


READ_CLOSELY = 0.95
"""Least similarity at which a word that a reading changed may pair: a name hidden by spacing,
digits or glueing is the listed spelling itself, and a reading is a guess, so one that pairs
only loosely (a skeleton, a compound) is more likely a namesake made by the guess."""


def _read_closely(
    found: NameMatch, read: AnalysedName, query: AnalysedName, candidate: AnalysedName
) -> bool:
    """Whether every word the reading changed pairs at READ_CLOSELY or better within its script
    (a consonant key across scripts is too loose for a guess), or not at all."""
    changed = set(read.words) - set(query.words)
    tokens, theirs = read.tokens, candidate.tokens
    for pair in found.pairs:
        if not any(tokens[i].text.replace(" ", "") in changed for i in pair.query):
            continue
        script = tokens[pair.query[0]].arabic
        crossing = any(theirs[j].arabic != script for j in pair.candidate)
        if pair.similarity < READ_CLOSELY or crossing:
            return False
    return True


def _respaced(query: AnalysedName, candidate: AnalysedName) -> AnalysedName | None:
    """The query with each word longer than every candidate word split into candidate words,
    or None when no word splits (nor in Arabic script, whose transliteration runs the article
    into the word by itself)."""
    if query.script is Script.ARABIC:
        return None
    theirs = candidate.words
    longest = max(map(len, theirs), default=0)
    words = list(query.words)
    split = False
    for i, word in enumerate(words):
        if len(word) > longest and (pieces := segment(word, theirs)) is not None:
            words[i] = " ".join(pieces)
            split = True
    return analyse_name(" ".join(words), query.schema) if split else None


def _match(query: AnalysedName, candidate: AnalysedName) -> NameMatch:
    q, c = query.tokens, candidate.tokens
    if not q or not c:
        return NameMatch(query, candidate, 0.0, (), ("empty name",))
    pairs = _align(query, candidate)
    score, notes = _score(q, c, pairs)
    if Schema.ORGANIZATION in (query.schema, candidate.schema) and _numbered_once(q, c, pairs):
        notes.append("a number on one side only")
        score *= NUMBERED_SIBLING
    return NameMatch(query, candidate, score, tuple(pairs), tuple(notes))


K = TypeVar("K")
V = TypeVar("V")
CACHE_LIMIT = 2_000_000
"""Token pairs remembered per cache before it is emptied, so a long batch stays bounded."""
_SIM_CACHE: dict[tuple[str, str], tuple[float, str]] = {}
BELOW = (0.0, "below")
"""What _SIM_CACHE holds for a pair that may_align ruled out: its score is below MIN_SIMILARITY,
and not worked out (token_similarity works it out if asked)."""


def token_similarity(a: NameToken, b: NameToken) -> tuple[float, str]:
    """Similarity of two tokens and the method that found it."""
    cached = _SIM_CACHE.get((a.sig, b.sig))
    if cached is None or cached is BELOW:
        cached = _remember(_SIM_CACHE, (a.sig, b.sig), _similarity(a, b))
    return cached


def aligned_similarity(a: NameToken, b: NameToken) -> float:
    """token_similarity(a, b)'s score where it reaches MIN_SIMILARITY; where it does not, that
    score or 0.0 (a pair that may_align rules out is not compared at all). For the many callers
    that drop every pair below MIN_SIMILARITY: most pairs they meet are far below it."""
    pair = (a.sig, b.sig)
    cached = _SIM_CACHE.get(pair)
    if cached is None:
        found = _similarity(a, b) if may_align(a, b) else BELOW
        cached = _remember(_SIM_CACHE, pair, found)
    return cached[0]


def _remember(cache: dict[K, V], key: K, value: V) -> V:
    """Store a computed value, emptying the cache first when it has grown past its bound."""
    if len(cache) > CACHE_LIMIT:
        cache.clear()
    cache[key] = value
    return value


GLUED_PARTICLE = 0.95
"""A name written with its particle run in (ALKHAZALI, BINLADEN) against the name the particle
introduced (al-Khazali, bin Laden), as machine-readable zones and some airlines write them."""
GLUED = frozenset({"al", "el", "ad", "ar", "as", "at", "an", "az", "ash", "ud", "ul", "bin", "ibn"})
"""Particles that machine-readable zones run into the name they introduce."""
_INNER_ARTICLES = ("al", "ad", "ud", "ul", "ed")


def _glued(a: NameToken, b: NameToken) -> bool:
    """Whether one token is the other with a particle run into it: in front (ALKHAZALI for
    al-Khazali, of four letters at least after it, or three after an article the list wrote),
    or inside a compound (SAIFALDIN for Saif al-Din)."""
    if abs(len(a.key) - len(b.key)) not in (2, 3):
        return False  # most pairs: no particle's length apart
    for long, short in ((a, b), (b, a)):
        extra = len(long.key) - len(short.key)
        if extra not in (2, 3) or " " in long.text:
            continue
        if (
            long.key[:extra] in GLUED
            and long.key.endswith(short.key)
            and (len(short.key) >= 4 or short.kind is TokenKind.NISBA)
        ):
            return True
        head, _, tail = short.text.partition(" ")
        if tail and extra == 2 and long.key.startswith(fold(head)):
            return any(long.key == fold(f"{head}{a}{tail}") for a in _INNER_ARTICLES)
    return False


_GLUED_ACROSS = re.compile(r"^(?:(?:bin|ibn|ben|bn)(?:al|el)?|al|el)(?=[a-z]{3})")
"""Particles a Latin spelling runs into the family name that Arabic script writes apart (bin
al-Shibh as BINALSHIBH, al-Sid as ELSSEID)."""


def _glued_across(arabic: NameToken, latin: str) -> float:
    """An Arabic-script family name (its article or BIN read off) against a Latin word that runs
    them in: the rest of the Latin word must render the Arabic one, never above GLUED_PARTICLE."""
    glued = _GLUED_ACROSS.match(latin)
    if glued is None:
        return 0.0
    rest = latin[glued.end() :]
    skeleton = _skeleton_similarity(arabic.cross, cross_key(rest))[0]
    if skeleton < MIN_SIMILARITY:
        return 0.0
    return min(skeleton, cross_similarity(arabic.text, rest), GLUED_PARTICLE)


def _similarity(a: NameToken, b: NameToken) -> tuple[float, str]:
    if a.key == b.key:
        return 1.0, "exact"
    if a.arabic == b.arabic and _glued(a, b):
        return GLUED_PARTICLE, "glued_particle"
    if TokenKind.INITIAL in (a.kind, b.kind):
        if a.key[0] != b.key[0]:
            return 0.0, ""
        # A lone initial stands for a given name before a patronymic (Putin V. for Vladimir).
        given = TokenKind.NAME in (a.kind, b.kind) and TokenKind.PATRONYMIC not in (a.kind, b.kind)
        return (INITIAL_OF_GIVEN_NAME if given else INITIAL), "initial"
    if a.kind is TokenKind.PATRONYMIC and b.kind is TokenKind.PATRONYMIC and a.arabic == b.arabic:
        return _patronymic_similarity(a, b)
    if a.stem == b.stem and a.kind is b.kind is TokenKind.NAME and a.arabic == b.arabic:
        return 0.6, "gender_form"
    if a.arabic != b.arabic:
        found = _crossing_similarity(a, b)
        arabic, latin = (a, b) if a.arabic else (b, a)
        if found[0] < RENDERING:
            rendered = arabic_rendering_similarity(arabic.text, arabic.cross, latin.text)
            found = max(found, (rendered, "rendering"))
        if found[0] < GLUED_PARTICLE and arabic.kind is TokenKind.NISBA:
            found = max(found, (_glued_across(arabic, latin.text), "glued_particle"))
    elif (bare_a := _without_ending(a.key)) != a.key and _without_ending(b.key) != b.key:
        found = OSA.normalized_similarity(a.key, b.key), "surname_spelling"
        if surname_slip(a.key, b.key) or surname_slip(a.text, b.text):
            # A slip is a letter apart as written, which the keys may spread (zh -> j).
            found = max(found[0], OSA.normalized_similarity(a.text, b.text)), "surname_slip"
    elif bare_a == b.key or _without_ending(b.key) == a.key:
        found = 0.6, "surname_form"
    else:
        found = _spelling_similarity(a, b)
    if found[0] < ROMANISATION and a.arabic == b.arabic and (a.romanised or b.romanised):
        found = max(found, (romanisation_similarity(a.text, b.text), "romanisation"))
    if found[0] < RENDERING and not a.arabic and not b.arabic:
        found = max(found, (rendering_similarity(a.text, b.text), "rendering"))
    if found[0] < ABBREVIATION and a.arabic == b.arabic:
        shortened = abbreviation_similarity(a, b) or abbreviation_similarity(b, a)
        found = max(found, (shortened, "abbreviation"))
    return _known_names(a, b, found)


_ALMOST = MIN_SIMILARITY - 1e-6
"""Cut-off for the edit similarities may_align computes: a hair under MIN_SIMILARITY, so that no
rounding inside the library can rule out a pair at exactly MIN_SIMILARITY."""
_CROSS_ALMOST = MIN_SIMILARITY / 0.9 - 1e-6
"""The same for consonant keys across scripts, which _skeleton_similarity scales by 0.9."""


def may_align(a: NameToken, b: NameToken) -> bool:
    """False only when _similarity(a, b) is certainly below MIN_SIMILARITY, which no caller pairs.

    It follows _similarity step by step: the early returns as they are, then every way a score
    can reach MIN_SIMILARITY on each path. Across scripts: the consonant keys (the letters are
    compared only when these are that close, and never raise the score), the Arabic spelling of
    Russian sounds, a particle run into a family name. Within a script: the edit similarity of
    the keys or of the spellings as written (fuzzy, surname spelling and slip), equal skeletons,
    a prefix, an abd/abu prefix, then the lifts that follow every path: romanisation, European
    renderings, abbreviations and one known given name. The other methods give at most 0.6 or
    only lower a score. Keep this in step with _similarity: tests/screening/test_namescore.py
    checks it against _similarity on many pairs."""
    key_a, key_b = a.key, b.key
    if key_a == key_b:
        return True
    same = a.arabic == b.arabic
    if same and abs(len(key_a) - len(key_b)) in (2, 3) and _glued(a, b):
        return True
    kind_a, kind_b = a.kind, b.kind
    if kind_a is TokenKind.INITIAL or kind_b is TokenKind.INITIAL:
        return key_a[0] == key_b[0]
    if not same:
        return _may_align_across(a, b)
    if kind_a is TokenKind.PATRONYMIC and kind_b is TokenKind.PATRONYMIC:
        return True
    if a.stem == b.stem and kind_a is kind_b is TokenKind.NAME:
        return False  # gender_form: 0.6, and nothing after it
    text_a, text_b = a.text, b.text
    spelled = OSA.normalized_similarity(key_a, key_b)
    if text_a != key_a or text_b != key_b:
        spelled = max(spelled, OSA.normalized_similarity(text_a, text_b))
    if spelled >= _ALMOST:
        return True
    # Equal skeletons pair words whose letters are at least SKELETON_LETTERS alike.
    skel = a.skel
    equal = skel == b.skel and _skeleton_speaks(skel, key_a, key_b)
    if equal and spelled >= SKELETON_LETTERS - 1e-6:
        return True
    shorter, longer = (key_a, key_b) if len(key_a) <= len(key_b) else (key_b, key_a)
    if len(shorter) >= 4 and longer.startswith(shorter):
        return True
    if len(longer) - len(shorter) == 3 and longer[:3] in ("abd", "abu") and longer[3:] == shorter:
        return True
    if (a.romanised or b.romanised) and romanisation_similarity(text_a, text_b):
        return True
    ours, theirs = _reach_features(a), _reach_features(b)
    if ours[0] and not ours[0].isdisjoint(theirs[0]) and not a.arabic:
        return True
    if (kind_a is TokenKind.GENERIC or kind_b is TokenKind.GENERIC) and (
        abbreviation_similarity(a, b) or abbreviation_similarity(b, a)
    ):
        return True
    return ours[1] is not None and ours[1] == theirs[1] and kind_a is kind_b is TokenKind.NAME


def _may_align_across(a: NameToken, b: NameToken) -> bool:
    """may_align for an Arabic-script token and a Latin or Cyrillic one."""
    arabic, latin = (a, b) if a.arabic else (b, a)
    cross_a = arabic.cross
    if cross_a:
        for _, cross_b in th_readings(latin.text, latin.cross):
            if cross_a == cross_b:
                return True
            if cross_b and OSA.normalized_similarity(cross_a, cross_b, score_cutoff=_CROSS_ALMOST):
                return True
    features = _reach_features(latin)
    if features[2] is not None and features[2] == arabic.cross:
        return True
    return arabic.kind is TokenKind.NISBA and features[3]


_Reach = tuple[frozenset[str], int | None, str | None, bool]
_REACH: dict[str, _Reach] = {}


def _reach_features(token: NameToken) -> _Reach:
    """What may_align needs of one token beyond its fields, worked out once per token: its
    European renderings with its own key (two words meet by rendering only if these share a
    key), its given-name group, the consonant key of its spelling as Arabic script writes
    Russian sounds, and whether a particle is run into its front."""
    found = _REACH.get(token.sig)
    if found is None:
        text, latin = token.text, not token.arabic
        found = (
            rendering_keys(text) if latin else frozenset(),
            given_name_group(token.key),
            arabic_spelling_key(text) if latin else None,
            _GLUED_ACROSS.match(text) is not None,
        )
        _remember(_REACH, token.sig, found)
    return found


_BARE: dict[str, str] = {}


def _without_ending(key: str) -> str:
    """The key without a surname ending (the key itself when it has none), remembered."""
    bare = _BARE.get(key)
    if bare is None:
        if len(_BARE) > CACHE_LIMIT:
            _BARE.clear()
        bare = _BARE[key] = SURNAME_ENDING.sub("", key)
    return bare


def _known_names(a: NameToken, b: NameToken, found: tuple[float, str]) -> tuple[float, str]:
    """Two known given names: one name spelled twice, or two different names however alike."""
    if a.kind is not TokenKind.NAME or b.kind is not TokenKind.NAME:
        return found
    if a.arabic != b.arabic:
        # Arabic script drops short vowels, so it can confirm a name but not rule one out.
        # Only where the letters pair by themselves: the consonant key a spelling is filed under
        # in Arabic script may be one or two letters long (پویا, Pouya: b, as Ayub's).
        group = _arabic_or_latin_group(a) if found[0] >= MIN_SIMILARITY else None
        if group is not None and group == _arabic_or_latin_group(b):
            return max(found[0], NAME_VARIANT), "name_variant"
        return found
    given = given_name_group(a.key)
    if given is not None and given == given_name_group(b.key):
        return max(found[0], NAME_VARIANT), "name_variant"
    group_a, group_b = group_of(a.key), group_of(b.key)
    if group_a is not None and group_b is not None and group_a != group_b:
        return min(found[0], DIFFERENT_NAMES), "different_names"
    return found


def _arabic_or_latin_group(token: NameToken) -> int | None:
    return group_of_arabic(token.key, token.cross) if token.arabic else group_of(token.key)


def _spelling_similarity(token_a: NameToken, token_b: NameToken) -> tuple[float, str]:
    a, b, skel_a, skel_b = token_a.key, token_b.key, token_a.skel, token_b.skel
    # A key evens out spellings of one sound (x and ks); it must not set apart two spellings
    # that are a letter apart as written (Kaxng, Kang).
    similarity = OSA.normalized_similarity(a, b)
    if token_a.text != a or token_b.text != b:
        similarity = max(similarity, OSA.normalized_similarity(token_a.text, token_b.text))
    if (
        skel_a == skel_b
        and _skeleton_speaks(skel_a, a, b)
        and SKELETON_LETTERS <= similarity < 0.88
    ):
        same_start = a[0] == b[0] or (a[0] in _VOWELS and b[0] in _VOWELS)
        return (0.88 if same_start else 0.85), "skeleton"
    if a in (f"abd{b}", f"abu{b}") or b in (f"abd{a}", f"abu{a}"):
        return 0.75, "abd_prefix"
    shorter, longer = sorted((a, b), key=len)
    if len(shorter) >= 4 and longer.startswith(shorter) and similarity < 0.8:
        return 0.8, "prefix"
    return similarity, "fuzzy"


def _skeleton_speaks(skel: str, a: str, b: str) -> bool:
    """Whether an equal consonant skeleton says enough: three consonants, in words of four
    letters or more. Two say too little: a slip in Zhukova (Zhukoav) would be lifted to the
    skeleton's 0.88, as would any two words sharing two consonants."""
    return len(skel) >= 3 and min(len(a), len(b)) >= 4


def _skeleton_similarity(a: str, b: str) -> tuple[float, str]:
    if not a or not b:
        return 0.0, ""
    if a == b:
        return _SHORT_SKELETON.get(len(a), 0.95), "skeleton"
    return 0.9 * OSA.normalized_similarity(a, b), "skeleton"


def _crossing_similarity(a: NameToken, b: NameToken) -> tuple[float, str]:
    """An Arabic-script token against a Latin or Cyrillic one: the consonant keys must agree,
    and so must the letters the Arabic spelling writes (see cross_similarity); never closer
    than the Latin spelling's own letters allow. A Latin TH is read each way it renders Arabic
    letters (th_readings), and the best reading counts."""
    arabic, latin = (a, b) if a.arabic else (b, a)
    best = 0.0, "skeleton"
    for text, key in th_readings(latin.text, latin.cross):
        skeleton, method = _skeleton_similarity(arabic.cross, key)
        if skeleton >= MIN_SIMILARITY:
            skeleton = min(skeleton, cross_similarity(arabic.text, text))
        best = max(best, (skeleton, method))
    return best


@lru_cache(maxsize=100_000)
def th_readings(latin: str, key: str) -> tuple[tuple[str, str], ...]:
    """A Latin spelling with its consonant key (cross_key), and where it writes TH, the same
    read the other ways Latin spellings use TH for Arabic letters: ث (Thabit, as the key reads
    it), ذ or ظ (Kathim for كاظم, as Kadhim), and ت before ح or ه (Fathi for فتحي)."""
    if "th" not in latin:
        return ((latin, key),)
    others = (latin.replace("th", "dh"), latin.replace("th", "tah"))
    return ((latin, key), *((text, cross_key(text)) for text in others))


def _patronymic_similarity(a: NameToken, b: NameToken) -> tuple[float, str]:
    if a.stem == b.stem:
        return 0.95, "patronymic_form"
    similarity = OSA.normalized_similarity(a.stem, b.stem)
    return 0.9 * similarity, "patronymic_form"


def _align(query: AnalysedName, candidate: AnalysedName) -> list[TokenPair]:
    q, c = query.tokens, candidate.tokens
    scored: list[_Scored] = []
    for i, a in enumerate(q):
        for j, b in enumerate(c):
            similarity, method = token_similarity(a, b)
            if similarity >= MIN_SIMILARITY:
                scored.append((similarity, -abs(i - j), (i,), (j,), method))
    scored.extend(_compounds(query, candidate))
    for similarity, i, run in acronym_runs(query, candidate):
        scored.append((similarity, -abs(i - run[0]), (i,), run, "acronym"))
    for similarity, j, run in acronym_runs(candidate, query):
        scored.append((similarity, -abs(j - run[0]), run, (j,), "acronym"))
    scored.sort(reverse=True)
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs = []
    for similarity, _, qi, cj, method in scored:
        if used_q.isdisjoint(qi) and used_c.isdisjoint(cj):
            used_q.update(qi)
            used_c.update(cj)
            pairs.append(TokenPair(qi, cj, similarity, method))
    return pairs


_Scored = tuple[float, int, tuple[int, ...], tuple[int, ...], str]


def _compounds(query: AnalysedName, candidate: AnalysedName) -> list[_Scored]:
    """Two adjacent tokens of one name against one token of the other ('Patr ushev')."""
    return [*_joined_against(query, candidate, True), *_joined_against(candidate, query, False)]


def _joined_against(
    joined_side: AnalysedName, other_side: AnalysedName, query_joined: bool
) -> list[_Scored]:
    found: list[_Scored] = []
    for i, joined in enumerate(joined_side.joined):
        nothing = _adds_nothing(joined, joined_side.tokens[i], joined_side.tokens[i + 1])
        for j, other in enumerate(other_side.tokens):
            # Syllables of one romanised name add letters that a consonant key drops (ze dong).
            if nothing and not _romanised(joined, other):
                continue
            if joined.arabic == other.arabic and abs(len(joined.key) - len(other.key)) > 2:
                continue
            similarity = _compound_similarity(joined, other)
            if similarity >= COMPOUND_SIMILARITY:
                pair: tuple[tuple[int, ...], tuple[int, ...]] = ((i, i + 1), (j,))
                in_query, in_candidate = pair if query_joined else pair[::-1]
                found.append((similarity, -abs(i - j), in_query, in_candidate, "compound"))
    return found


def _romanised(joined: NameToken, other: NameToken) -> bool:
    """Whether two joined syllables and a word are one Chinese or Korean name in two systems."""
    if joined.arabic != other.arabic or not (joined.romanised or other.romanised):
        return False
    return romanisation_similarity(joined.text, other.text) > 0


def _adds_nothing(joined: NameToken, first: NameToken, second: NameToken) -> bool:
    """A join whose consonants are one part's alone ('mhmd' + 'ud') would swallow a token. Both
    keys must say so: the cross key merges letters (Z with D) and doubles across the join, which
    would hide the second part of AKHUND ZADAH."""
    return joined.cross in (first.cross, second.cross) and joined.skel in (first.skel, second.skel)


def _compound_similarity(joined: NameToken, other: NameToken) -> float:
    crossing = joined.arabic != other.arabic
    a, b = (joined.cross, other.cross) if crossing else (joined.key, other.key)
    if abs(len(a) - len(b)) > 2:
        return 0.0
    cached = _COMPOUND_CACHE.get((joined.sig, other.sig))
    if cached is None:
        cached = _remember(
            _COMPOUND_CACHE, (joined.sig, other.sig), _joined_similarity(joined, other)
        )
    return cached


_COMPOUND_CACHE: dict[tuple[str, str], float] = {}


def _joined_similarity(joined: NameToken, other: NameToken) -> float:
    if joined.arabic != other.arabic:
        return _crossing_similarity(joined, other)[0]
    spelled = OSA.normalized_similarity(joined.key, other.key)
    if not joined.romanised and not other.romanised:
        return spelled
    return max(spelled, romanisation_similarity(joined.text, other.text))


_CONFLICTS = (
    (TokenKind.PATRONYMIC, "patronymics differ", PATRONYMIC_CONFLICT),
    (TokenKind.NISBA, "family names differ", NISBA_CONFLICT),
    (TokenKind.LEGAL, "legal forms differ", LEGAL_FORM_CONFLICT),
    (TokenKind.NAME, "name parts differ", NAME_CONFLICT),
)
"""A kind of part that both names carry unmatched, what that says, and the factor it costs."""


def _score(
    q: tuple[NameToken, ...], c: tuple[NameToken, ...], pairs: list[TokenPair]
) -> tuple[float, list[str]]:
    notes: list[str] = []
    parts_q, parts_c = structural_count(q), structural_count(c)
    # A one-word name inside a longer one ('DANIEL' in 'Daniel James') is weak evidence; where
    # that word stands alone, the longer name's other parts are all there is against it: a
    # family name or patronymic left out costs its whole weight there, not the less of a part
    # lists often leave out (يارا الحكير is not the IARA foundation; Путин В. keeps its initial).
    inside = min(parts_q, parts_c) == 1 < max(parts_q, parts_c)
    alone = inside and min(len(q), len(c)) == 1  # no initial or particle beside the one word
    cover_q = _coverage(q, [(p.query, p.similarity, p.method) for p in pairs], alone)
    cover_c = _coverage(c, [(p.candidate, p.similarity, p.method) for p in pairs], alone)
    high, low = max(cover_q, cover_c), min(cover_q, cover_c)
    strong_side = 0.5 if inside else STRONG_SIDE
    score = strong_side * high + (1 - strong_side) * low
    structural = sum(1 for p in pairs if any(q[i].kind in STRUCTURAL for i in p.query))
    if structural < 2 and parts_q >= 2 and parts_c >= 2:
        if score > SINGLE_TOKEN_CAP:
            notes.append("only one name part matched")
        score = min(score, SINGLE_TOKEN_CAP)
    left_q = _unmatched_kinds(q, {i for p in pairs for i in p.query})
    left_c = _unmatched_kinds(c, {j for p in pairs for j in p.candidate})
    for kind, note, factor in _CONFLICTS:
        if kind in left_q and kind in left_c:
            notes.append(note)
            score *= factor
    if _initial_disagrees(left_q, left_c) or _initial_disagrees(left_c, left_q):
        notes.append("an initial disagrees")
        score *= INITIAL_CONFLICT
    return score, notes


NUMBERED_SIBLING = 0.8
"""Factor applied when one organisation's name carries a number and the other's none: the
numbered one is another of a series (Fund II, Holdings 2, Brigade 17 beside the Brigade)."""


def _numbered_once(
    q: tuple[NameToken, ...], c: tuple[NameToken, ...], pairs: list[TokenPair]
) -> bool:
    """Whether one of two names carries a number that no part of the other met, while the other
    carries none (nor a lone I, V or X, read as an initial but perhaps a Roman numeral)."""
    for mine, theirs, side in ((q, c, 0), (c, q, 1)):
        if any(_numeral(t) for t in theirs):
            continue
        met = {i for p in pairs for i in (p.candidate if side else p.query)}
        if any(t.kind is TokenKind.NUMBER and i not in met for i, t in enumerate(mine)):
            return True
    return False


def _numeral(token: NameToken) -> bool:
    return token.kind is TokenKind.NUMBER or (
        token.kind is TokenKind.INITIAL and token.key in _NUMERAL_LETTERS
    )


_NUMERAL_LETTERS = frozenset("ivx")


INITIAL_CONFLICT = 0.8
"""Factor applied when an initial found no partner while the other name has a given name or
patronymic left: an initial pairs with any part that starts with its letter, so this one's
letter disagrees (Абдуллаев Р. Т., Ravshan Bakhtiyorovich Abdullaev)."""


def _initial_disagrees(left: set[TokenKind], other_left: set[TokenKind]) -> bool:
    return TokenKind.INITIAL in left and not other_left.isdisjoint(
        (TokenKind.NAME, TokenKind.PATRONYMIC)
    )


def _unmatched_kinds(tokens: tuple[NameToken, ...], matched: set[int]) -> set[TokenKind]:
    """Kinds of the tokens that found no partner: both names having one means a conflict."""
    return {t.kind for i, t in enumerate(tokens) if i not in matched}


def _coverage(
    tokens: tuple[NameToken, ...],
    matched: list[tuple[tuple[int, ...], float, str]],
    whole: bool = False,
) -> float:
    """Support over support plus what is missing plus what disagrees.

    A token that is absent costs its weight; a token that is present but spelled differently
    costs its full weight (a shared common name is weak support, a different one is a real
    difference) times how much a spelling difference of that kind contradicts identity. With
    whole, an absent token costs at least its kind's whole weight (see _weight_owed).
    """
    support = disagreement = 0.0
    covered: set[int] = set()
    for indices, similarity, method in matched:
        support += similarity * sum(tokens[i].weight for i in indices)
        full = sum(WEIGHTS[tokens[i].kind] for i in indices)
        disagreement += (1.0 - similarity) * full * CONTRADICTION.get(method, 1.0)
        covered.update(indices)
    owed = (lambda t: max(WEIGHTS[t.kind], _weight_owed(t))) if whole else _weight_owed
    missing = sum(owed(t) for i, t in enumerate(tokens) if i not in covered)
    total = support + missing + disagreement
    return support / total if total else 0.0


UNBOUNDED = -1.0
"""What the stored customer index files as a name's owed weight when it has other readings
(finmon.names.evasion)."""


def weight_owed(tokens: tuple[NameToken, ...]) -> float:
    """What a name's tokens would owe if none found a partner (see _weight_owed)."""
    return sum(_weight_owed(token) for token in tokens)


def _weight_owed(token: NameToken) -> float:
    """What an unmatched token costs: its kind's full weight (a common name left out is still
    a name left out), less for the parts that are often omitted (patronymics, family names)."""
    return MISSING_COST.get(token.kind, WEIGHTS[token.kind])


def _explain_pair(
    pair: TokenPair, q: tuple[NameToken, ...], c: tuple[NameToken, ...]
) -> dict[str, Any]:
    return {
        "query": " ".join(q[i].text for i in pair.query),
        "candidate": " ".join(c[j].text for j in pair.candidate),
        "keys": ["".join(q[i].key for i in pair.query), "".join(c[j].key for j in pair.candidate)],
        "similarity": round(pair.similarity, 4),
        "method": pair.method,
        "weight": round(sum(q[i].weight for i in pair.query), 3),
    }


SHORT_ALIAS = 3
"""Names of this many letters and digits or fewer (AA, G-9, ABC) never alert on their own."""
PLACEHOLDERS = frozenset(
    [
        *"a na none null nil unknown unk test tbd xxx noname anonymous neizvestno".split(),
        *("n a", "no name", "not applicable", "not known"),
    ]
)
"""Words that stand in for a missing name (folded, as latin words joined by spaces)."""


def stands_alone(name: AnalysedName) -> bool:
    """Whether a name may make an alert on its own: not an alias of SHORT_ALIAS characters or
    fewer, a placeholder ('N/A', 'UNKNOWN', 'Corporation A'), repeated letters ('AAAA') or a
    legal form or generic words alone. Such a name may still support another name's match."""
    if any(stands_alone(reading) for reading in name.readings):
        return True  # spaced out or written with digits for letters: A B U S A L I M
    letters = "".join(name.words)
    if len(letters) <= SHORT_ALIAS or len(set(letters)) == 1:
        return False
    if " ".join(name.words) in PLACEHOLDERS:
        return False
    # Nothing but initials, legal forms and generic words: 'Corporation A', 'LLC', 'Group'.
    return any(t.kind in STRUCTURAL and len(t.key) >= 2 for t in name.tokens)
