"""Screening: parties in, explained hits out, against every loaded list at once."""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any, TypeVar

from finmon.common.forked import forked_pool, in_order, stop
from finmon.model import Designation, NameQuality, Party, Schema
from finmon.names.parts import AnalysedName, analyse_name
from finmon.screening.features import (
    MAX_SUPPORT,
    Evidence,
    NameFrequency,
    collect_evidence,
    guessed_schema,
    most_support,
    name_commonness,
)
from finmon.screening.index import CandidateIndex, IndexedName, Unpickled
from finmon.screening.namescore import ALGORITHM, NameMatch, match_names, stands_alone
from finmon.screening.prune import BoundSide, ScoreBound

DEFAULT_THRESHOLD = 0.80
"""Scores at or above this mean "review this": a person should look before money moves."""

QUALITY_FACTOR = {
    NameQuality.PRIMARY: 1.0,
    NameQuality.STRONG: 1.0,
    NameQuality.FORMER: 0.97,
    NameQuality.WEAK: 0.9,
}
"""Weak aliases (the UN's 'Low quality', OFAC's remarks) are less reliable evidence."""
SUPPORT_ONLY = 0.5
"""Most a name that cannot stand alone (finmon.screening.namescore.stands_alone: a short alias,
a placeholder) scores: it never makes an alert, and a designation's other names still can."""


HIT_FIELDS = (
    "query_name",
    "score",
    "list",
    "list_version",
    "reference",
    "designation_name",
    "matched_name",
    "explanation",
)
"""The fields of Hit.to_dict, in its order: the columns of a hits file after the party's id."""


@dataclass(slots=True)
class Hit:
    """One designation that a party may be, with the score and every reason for it."""

    designation: Designation
    list_version: str
    score: float
    query_name: str
    matched_name: str
    explanation: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the score, the list entry and the name that matched, and why."""
        return {
            "query_name": self.query_name,
            "score": round(self.score, 4),
            "list": self.designation.source,
            "list_version": self.list_version,
            "reference": self.designation.reference,
            "designation_name": self.designation.caption,
            "matched_name": self.matched_name,
            "explanation": self.explanation,
        }


class Screener:
    """An in-memory index over designations; screens parties against all of them."""

    def __init__(
        self,
        designations: Iterable[Designation],
        versions: Mapping[str, str] | None = None,
        frequency: NameFrequency | None = None,
    ) -> None:
        self.designations: Sequence[Designation] = list(designations)
        self.versions = dict(versions or {})
        with collection_paused():
            self.index = CandidateIndex(_indexed_names(self.designations))
        # How common a name part is among list names is counted over every list in use: a
        # screener of a few changed designations (delta re-screening) is given that count.
        self.frequency = frequency or NameFrequency(n.analysed for n in self.index.names)
        self._alone = [stands_alone(n.analysed) for n in self.index.names]
        # Every name of each designation: a party's name part that none carries speaks against it.
        self._listed_names: list[list[AnalysedName]] = [[] for _ in self.designations]
        for indexed in self.index.names:
            self._listed_names[indexed.designation].append(indexed.analysed)
        self._sides: list[BoundSide | None] = [None] * len(self.index.names)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        # Made again as the names are met: most are never bounded in a batch.
        state["_sides"] = [None] * len(self.index.names)
        if not isinstance(self.designations, Unpickled):
            state["designations"] = Unpickled(self.designations)  # read back as hits need them
        return state

    @property
    def name_count(self) -> int:
        """Number of list names indexed (primary names and aliases)."""
        return len(self.index.names)

    def screen(self, party: Party, threshold: float | None = None, limit: int = 10) -> list[Hit]:
        """Hits for one party at or above the threshold, best first."""
        floor = DEFAULT_THRESHOLD if threshold is None else threshold
        best: dict[int, tuple[float, NameMatch, list[Evidence]]] = {}
        # Evidence can lift a name score by at most MAX_SUPPORT unless an identifier decides; a
        # candidate whose name score cannot reach the floor with the most its evidence could add
        # is not scored at all.
        bounded = not party.identifiers
        hopeless = floor - MAX_SUPPORT if bounded else -1.0

        def needed(listed: int) -> float:
            return floor - most_support(party, self.designations[listed])

        for query_name in party.names:
            found = self._name_matches(query_name, party.schema, needed if bounded else None)
            for match, listed in found:
                if match.score < hopeless:
                    continue
                designation = self.designations[listed]
                evidence = collect_evidence(party, designation)
                for more in (
                    guessed_schema(match, party, designation),
                    name_commonness(
                        match,
                        designation,
                        self.frequency,
                        evidence,
                        query_dated=bool(party.birth_dates),
                        query_dates=party.birth_dates,
                        listed_names=self._listed_names[listed],
                    ),
                ):
                    if more is not None:
                        evidence.append(more)
                score = _combine(match, evidence)
                if score > best.get(listed, (-1.0,))[0]:
                    best[listed] = (score, match, evidence)
        hits = [self._hit(i, *found) for i, found in best.items() if found[0] >= floor]
        hits.sort(key=lambda h: h.score, reverse=True)
        return hits[:limit]

    def screen_many(
        self,
        parties: Iterable[Party],
        threshold: float | None = None,
        progress: Callable[[int], None] | None = None,
        workers: int = 1,
    ) -> Iterator[tuple[Party, list[Hit]]]:
        """Screen parties in input order; progress, if given, is called with each count done.

        With workers > 1 the parties are shared out among that many forked processes, which
        inherit the built index; results come back in input order.
        """
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            results = self._screen_forked(parties, threshold, workers)
        else:
            results = ((party, self.screen(party, threshold)) for party in parties)
        for done, result in enumerate(results, 1):
            yield result
            if progress is not None:
                progress(done)

    def _screen_forked(
        self, parties: Iterable[Party], threshold: float | None, workers: int
    ) -> Iterator[tuple[Party, list[Hit]]]:
        global _FORKED
        _FORKED = (self, threshold)

        def work(chunk: tuple[int, list[Party]]) -> str:
            first, given = chunk
            return f"screening parties {first + 1:,}-{first + len(given):,} ({given[0].id} ...)"

        try:
            pool = forked_pool(workers)
        finally:
            _FORKED = None
        try:
            chunks = _numbered_chunks(parties, FORK_CHUNK)
            for (_, given), found in in_order(pool, _screen_in_worker, chunks, 4 * workers, work):
                yield from zip(given, found, strict=True)
        finally:
            stop(pool)

    def _name_matches(
        self, name: str, schema: Schema, needed: Callable[[int], float] | None = None
    ) -> Iterator[tuple[NameMatch, int]]:
        """Each candidate's name match; with needed (the least name score a designation must
        reach to matter), none for a candidate whose score is bound to be lower."""
        query = analyse_name(name, schema)
        if not stands_alone(query):
            return
        bound = ScoreBound(query)
        for entry in self.index.candidates(query):
            indexed = self.index.names[entry]
            if needed is not None:
                side = self._sides[entry]
                if side is None:
                    side = self._sides[entry] = BoundSide(indexed.analysed)
                if bound.below(indexed.analysed, needed(indexed.designation), side):
                    continue
            match = match_names(query, indexed.analysed)
            if match.score > 0:
                if not self._alone[entry] and match.score > SUPPORT_ONLY:
                    notes = (*match.notes, "a name that does not alert on its own")
                    match = replace(match, score=SUPPORT_ONLY, notes=notes)
                yield _weighted(match, indexed), indexed.designation

    def _hit(self, listed: int, score: float, match: NameMatch, evidence: list[Evidence]) -> Hit:
        designation = self.designations[listed]
        explanation = {
            "algorithm": ALGORITHM,
            "score": round(score, 4),
            "threshold": DEFAULT_THRESHOLD,
            "name": match.explain(),
            "evidence": [e.to_dict() for e in evidence],
            "list": {
                "source": designation.source,
                "version": self.versions.get(designation.source, ""),
                "reference": designation.reference,
                "programmes": designation.programmes,
                "listed_on": designation.listed_on.isoformat() if designation.listed_on else None,
            },
        }
        return Hit(
            designation=designation,
            list_version=self.versions.get(designation.source, ""),
            score=round(score, 4),
            query_name=match.query.text,
            matched_name=match.candidate.text,
            explanation=explanation,
        )


FORK_CHUNK = 200
"""Parties sent to a worker process at a time."""
_FORKED: tuple[Screener, float | None] | None = None
"""The screener that forked workers inherit (set only while a forked batch runs)."""


def _numbered_chunks(parties: Iterable[Party], size: int) -> Iterator[tuple[int, list[Party]]]:
    """The parties size at a time, each chunk with the number of parties before it."""
    chunk: list[Party] = []
    done = 0
    for party in parties:
        chunk.append(party)
        if len(chunk) == size:
            yield done, chunk
            done, chunk = done + size, []
    if chunk:
        yield done, chunk


def _screen_in_worker(chunk: tuple[int, list[Party]]) -> list[list[Hit]]:
    assert _FORKED is not None, "screening worker started without a screener"
    screener, threshold = _FORKED
    return [screener.screen(party, threshold) for party in chunk[1]]


YOUNG_COLLECTION = 50_000
"""Allocations between collections of the youngest generation while a batch runs."""


@contextmanager
def heap_frozen() -> Iterator[None]:
    """Keep everything alive now (such as a built index) out of the collector's walks meanwhile.

    Without it every collection during a batch walks the whole index again: measured 1.7 times
    slower screening of a customer file. Within another (such as a pool forked amid an import)
    it freezes what is alive now too, and the outermost ends the freeze."""
    global _FROZEN
    gc.freeze()
    # Screening makes and drops many short-lived objects but (almost) no cycles; collecting the
    # youngest generation every 700 allocations cost 5 to 10% of a batch.
    thresholds = gc.get_threshold()
    gc.set_threshold(max(thresholds[0], YOUNG_COLLECTION), *thresholds[1:])
    _FROZEN += 1
    try:
        yield
    finally:
        _FROZEN -= 1
        gc.set_threshold(*thresholds)
        if not _FROZEN:
            gc.unfreeze()


_FROZEN = 0
"""heap_frozen's depth."""


_Read = TypeVar("_Read")


def read_frozen(read: Callable[[], _Read]) -> _Read:
    """What `read` returns (such as an index read back from the screener cache), made with the
    cyclic collector paused and frozen before it resumes; call it inside `heap_frozen`, whose end
    unfreezes it.

    Unfrozen, the millions of objects just made would all sit in the youngest generation, and the
    collector's next walks would go through them (about 0.5 s of CPU for UN + OFAC SDN)."""
    with collection_paused():
        found = read()
        gc.freeze()
    return found


@contextmanager
def collection_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while the index's many small objects are made.

    It would otherwise walk them again and again as they are created (about 3x slower build)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _indexed_names(designations: list[Designation]) -> Iterator[IndexedName]:
    for number, designation in enumerate(designations):
        for name in designation.names:
            analysed = analyse_name(name.full, designation.schema)
            if analysed.tokens:
                yield IndexedName(number, name, analysed)


def _weighted(match: NameMatch, indexed: IndexedName) -> NameMatch:
    factor = QUALITY_FACTOR[indexed.name.quality]
    if factor == 1.0:
        return match
    notes = (*match.notes, f"{indexed.name.quality.value} alias")
    return NameMatch(match.query, match.candidate, match.score * factor, match.pairs, notes)


def _combine(match: NameMatch, evidence: list[Evidence]) -> float:
    if any(e.decisive for e in evidence):
        return 1.0
    return max(0.0, min(1.0, match.score + sum(e.effect for e in evidence)))
