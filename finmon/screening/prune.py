"""An upper bound of a name score, to skip the candidates that cannot become hits.

Most candidates the index proposes for a query share one common token with it and score far below
any threshold; working their score out in full (finmon.screening.namescore.match_names) was most
of the time a batch took. `ScoreBound` bounds that score from above with the pieces the score is
made of, and the Screener skips a candidate whose bound is below what it would need; the delta
re-screen (finmon.store.customer_index) drops a customer in the same way.

Why it is a bound: a name score is at most 0.7 x the better-covered side + 0.3 x the other, half
and half for a name of one part against a longer one (the caps and conflict factors only lower
it). A side's coverage is support / (support + missing +
disagreement), summed token by token; a token aligned at similarity s brings s x its weight of
support and at least (1 - s) x its kind's weight of disagreement (every contradiction factor is
1 or more), a token left out brings what it owes. No alignment can pair a token better than the
best similarity it has with any token, or compound, of the other name, so using that best
similarity everywhere, or the cost of leaving the token out where that is cheaper, can only raise
each side's coverage. An acronym pairs with the run of words it spells at its similarity, so each
token of such a run is granted that similarity too. Names the score compares by other readings
(spaced letters, digits for letters) or re-spaced into the candidate's words are never
bounded (1.0).

Keep this in step with namescore: tests/screening/test_prune.py checks the bound against
match_names on labelled, golden and list-against-list pairs.
"""

from __future__ import annotations

from finmon.names.acronyms import acronym_runs, may_be_acronym
from finmon.names.evasion import segment
from finmon.names.parts import STRUCTURAL, WEIGHTS, AnalysedName, NameToken
from finmon.names.translit import Script
from finmon.screening.namescore import (
    _SIM_CACHE,
    BELOW,
    COMPOUND_SIMILARITY,
    MIN_SIMILARITY,
    SINGLE_TOKEN_CAP,
    STRONG_SIDE,
    _adds_nothing,
    _compound_similarity,
    _remember,
    _similarity,
    _weight_owed,
    may_align,
)

SLACK = 1e-9
"""Kept between a bound and a threshold it is compared with: the bound sums in another order."""


class BoundSide:
    """What ScoreBound needs of one name, worked out once: a list name is bounded against many
    queries, and its costs, parts, joins and words were worked out again for each of them."""

    __slots__ = (
        "acronyms",
        "costs",
        "joins",
        "lengths",
        "longest",
        "name",
        "parts",
        "sigs",
        "structural",
        "tokens",
        "words",
    )

    def __init__(self, name: AnalysedName) -> None:
        self.name = name
        self.tokens = name.tokens
        self.sigs = [t.sig for t in name.tokens]
        self.costs = [(t.weight, WEIGHTS[t.kind], _weight_owed(t)) for t in name.tokens]
        self.structural = [t.kind in STRUCTURAL for t in name.tokens]
        self.parts = sum(self.structural)
        self.joins = _joins(name)
        # What _compound_similarity first compares: a join and a token whose keys (or, across
        # scripts, consonant keys) differ by more than two letters are never compared further.
        self.lengths = [(t.arabic, len(t.key), len(t.cross)) for t in name.tokens]
        self.acronyms = may_be_acronym(name)
        self.words = name.words
        self.longest = max(map(len, self.words), default=0)


class ScoreBound:
    """Upper bounds of match_names(query, candidate).score for one query and many candidates."""

    def __init__(self, query: AnalysedName) -> None:
        self.query = query
        self._side = BoundSide(query)
        self._bounded = not query.readings
        self._respaceable = query.script is not Script.ARABIC

    def below(
        self, candidate: AnalysedName, threshold: float, side: BoundSide | None = None
    ) -> bool:
        """Whether the score against candidate is certainly below threshold (side: the
        candidate's BoundSide, if kept)."""
        return self(candidate, side) < threshold - SLACK

    def __call__(self, candidate: AnalysedName, side: BoundSide | None = None) -> float:
        if not self._bounded:
            return 1.0
        theirs = side or BoundSide(candidate)
        if self._respaced(theirs):
            return 1.0
        ours = self._side
        q, c = ours.tokens, theirs.tokens
        if not q or not c:
            return 0.0
        best_q = [0.0] * len(q)
        best_c = [0.0] * len(c)
        remembered = _SIM_CACHE.get
        theirs_sigs = theirs.sigs
        for i, (a, sig) in enumerate(zip(q, ours.sigs, strict=True)):
            for j, b_sig in enumerate(theirs_sigs):
                # The cache looked up here first: most pairs were worked out for the index.
                found = remembered((sig, b_sig))
                if found is None:
                    # Nearly every pair the index did not reach is ruled out, and remembered so.
                    found = _remember(
                        _SIM_CACHE,
                        (sig, b_sig),
                        _similarity(a, c[j]) if may_align(a, c[j]) else BELOW,
                    )
                similarity = found[0]
                if similarity >= MIN_SIMILARITY:
                    if similarity > best_q[i]:
                        best_q[i] = similarity
                    if similarity > best_c[j]:
                        best_c[j] = similarity
        if ours.joins:
            _compounds(ours.joins, c, theirs.lengths, best_q, best_c)
        if theirs.joins:
            _compounds(theirs.joins, q, ours.lengths, best_c, best_q)
        if ours.acronyms:
            _acronyms(self.query, candidate, best_q, best_c)
        if theirs.acronyms:
            _acronyms(candidate, self.query, best_c, best_q)
        cover_q = _coverage(best_q, ours.costs)
        cover_c = _coverage(best_c, theirs.costs)
        high, low = max(cover_q, cover_c), min(cover_q, cover_c)
        # A one-part name against a longer one gives the better side half the score only
        # (namescore._score).
        parts_q, parts_c = ours.parts, theirs.parts
        strong = 0.5 if min(parts_q, parts_c) == 1 < max(parts_q, parts_c) else STRONG_SIDE
        bound = strong * high + (1 - strong) * low
        # One name part matched at most: the score is capped (namescore._score).
        met_q = sum(
            1 for s, structural in zip(best_q, ours.structural, strict=True) if s and structural
        )
        met_c = sum(1 for s in best_c if s)
        if min(met_q, met_c) < 2 and ours.parts >= 2 and theirs.parts >= 2:
            bound = min(bound, SINGLE_TOKEN_CAP)
        return bound

    def _respaced(self, candidate: BoundSide) -> bool:
        """Whether match_names would also read the query re-spaced into the candidate's words."""
        if not self._respaceable:
            return False
        ours, theirs = self._side, candidate.words
        longest = candidate.longest
        if ours.longest <= longest:
            return False
        return any(len(w) > longest and segment(w, theirs) is not None for w in ours.words)


def _acronyms(
    short: AnalysedName, long: AnalysedName, best_short: list[float], best_long: list[float]
) -> None:
    """Raise the best similarities where an acronym of `short` may stand for a run of `long`'s
    words, as namescore._align pairs them (finmon.names.acronyms)."""
    for similarity, i, run in acronym_runs(short, long):
        best_short[i] = max(best_short[i], similarity)
        for j in run:
            best_long[j] = max(best_long[j], similarity)


_Join = tuple[int, NameToken, bool, int, int]
"""A joined pair of tokens: its first token's place, the joined token, whether it is in Arabic
script, and the lengths of its key and of its consonant key."""


def _joins(name: AnalysedName) -> list[_Join]:
    """A name's joined adjacent tokens (at their first token's place) that may align as one."""
    tokens = name.tokens
    return [
        (i, joined, joined.arabic, len(joined.key), len(joined.cross))
        for i, joined in enumerate(name.joined)
        if not _adds_nothing(joined, tokens[i], tokens[i + 1])
    ]


def _compounds(
    joins: list[_Join],
    other_tokens: tuple[NameToken, ...],
    other_lengths: list[tuple[bool, int, int]],
    best_joined: list[float],
    best_other: list[float],
) -> None:
    """Raise the best similarities by the compounds namescore._joined_against would align."""
    for i, joined, arabic, key_length, cross_length in joins:
        for j, (other_arabic, other_key, other_cross) in enumerate(other_lengths):
            # Within a script the keys, across scripts the consonant keys, may differ by two
            # letters at most (namescore._joined_against and _compound_similarity).
            if arabic == other_arabic:
                if abs(key_length - other_key) > 2:
                    continue
            elif abs(cross_length - other_cross) > 2:
                continue
            similarity = _compound_similarity(joined, other_tokens[j])
            if similarity >= COMPOUND_SIMILARITY:
                best_joined[i] = max(best_joined[i], similarity)
                best_joined[i + 1] = max(best_joined[i + 1], similarity)
                best_other[j] = max(best_other[j], similarity)


def _coverage(best: list[float], costs: list[tuple[float, float, float]]) -> float:
    """The most namescore._coverage could give a side whose tokens pair at these similarities at
    best (0: not at all). Costs per token: its weight, its kind's weight, what it owes left out."""
    support = cost = 0.0
    for similarity, (weight, kind_weight, owed) in zip(best, costs, strict=True):
        if similarity > 0:
            support += similarity * weight
            cost += min((1.0 - similarity) * kind_weight, owed)
        else:
            cost += owed
    return support / (support + cost) if support > 0 else 0.0
