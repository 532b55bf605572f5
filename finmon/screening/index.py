"""Candidate index: find the list names worth scoring for a query, without scanning them all.

Every distinct token of the list names is indexed by its folded key, by every key one deletion
away (so one substituted, missing, extra or swapped letter still meets), by patronymic stem, and by
consonant skeleton (for Arabic script). Adjacent token pairs are indexed joined, so 'Abdul Aziz'
meets 'Abdulaziz'. A query token's neighbours are computed once and cached for the whole batch.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from finmon.model import DesignationName
from finmon.names.keys import fold, skeleton
from finmon.names.parts import AnalysedName, NameToken, TokenKind
from finmon.screening.namescore import MIN_SIMILARITY, token_similarity

MAX_CANDIDATES = 40
"""Names scored in full per query, the most promising first."""
_STRUCTURAL = (TokenKind.NAME, TokenKind.PATRONYMIC, TokenKind.NUMBER)


@dataclass(slots=True, frozen=True)
class IndexedName:
    """One name of one designation, analysed once."""

    designation: int
    name: DesignationName
    analysed: AnalysedName


def deletions(key: str) -> list[str]:
    """Every string one deletion away from key (keys of four letters or more)."""
    if len(key) < 4:
        return []
    return [key[:i] + key[i + 1 :] for i in range(len(key))]


class CandidateIndex:
    """Token-level inverted index over list names."""

    def __init__(self, names: Iterable[IndexedName]) -> None:
        self.names = list(names)
        self._tokens: list[NameToken] = []
        self._token_ids: dict[NameToken, int] = {}
        self._postings: list[list[int]] = []
        self._by_key: dict[str, list[int]] = defaultdict(list)
        self._by_skeleton: dict[str, list[int]] = defaultdict(list)
        self._neighbours: dict[NameToken, list[tuple[int, float]]] = {}
        for entry, name in enumerate(self.names):
            for token in _index_tokens(name.analysed):
                self._post(token, entry)

    def _post(self, token: NameToken, entry: int) -> None:
        token_id = self._token_ids.get(token)
        if token_id is None:
            token_id = self._token_ids[token] = len(self._tokens)
            self._tokens.append(token)
            self._postings.append([])
            for key in _lookup_keys(token):
                self._by_key[key].append(token_id)
            for key in (token.skel, *deletions(token.skel)):
                self._by_skeleton[key].append(token_id)
        postings = self._postings[token_id]
        if not postings or postings[-1] != entry:
            postings.append(entry)

    def candidates(self, query: AnalysedName, limit: int = MAX_CANDIDATES) -> list[int]:
        """Entries that share enough tokens with the query to be worth a full comparison."""
        weight: dict[int, float] = defaultdict(float)
        hits: dict[int, int] = defaultdict(int)
        for token in _index_tokens(query):
            best: dict[int, float] = {}
            for token_id, similarity in self._neighbours_of(token):
                for entry in self._postings[token_id]:
                    if similarity > best.get(entry, 0.0):
                        best[entry] = similarity
            for entry, similarity in best.items():
                weight[entry] += similarity * token.weight
                hits[entry] += 1
        need = 2 if _structural(query) >= 2 else 1
        chosen = [e for e in weight if hits[e] >= need or _structural(self.names[e].analysed) < 2]
        chosen.sort(key=lambda e: weight[e], reverse=True)
        return chosen[:limit]

    def _neighbours_of(self, token: NameToken) -> list[tuple[int, float]]:
        found = self._neighbours.get(token)
        if found is None:
            if len(self._neighbours) > 500_000:
                self._neighbours.clear()
            found = self._neighbours[token] = self._find(token)
        return found

    def _find(self, token: NameToken) -> list[tuple[int, float]]:
        ids: set[int] = set()
        for key in (token.key, *deletions(token.key), token.stem):
            ids.update(self._by_key.get(key, ()))
        skeleton_keys = (token.skel, *deletions(token.skel))
        for key in skeleton_keys:
            ids.update(i for i in self._by_skeleton.get(key, ()) if self._crosses(token, i))
        found = []
        for token_id in ids:
            similarity, _ = token_similarity(token, self._tokens[token_id])
            if similarity >= MIN_SIMILARITY:
                found.append((token_id, similarity))
        return found

    def _crosses(self, token: NameToken, token_id: int) -> bool:
        """Skeleton neighbours only count across scripts (Arabic with Latin or Cyrillic)."""
        return token.arabic != self._tokens[token_id].arabic


def _lookup_keys(token: NameToken) -> list[str]:
    keys = [token.key, *deletions(token.key)]
    if token.stem != token.key:
        keys.append(token.stem)
    return keys


def _index_tokens(name: AnalysedName) -> list[NameToken]:
    """The name's tokens plus each adjacent pair joined into one."""
    tokens = list(name.tokens)
    for a, b in zip(name.tokens, name.tokens[1:], strict=False):
        if a.kind in _STRUCTURAL and b.kind in _STRUCTURAL:
            key = fold(a.text + b.text)
            weight = max(a.weight, b.weight)
            joined = NameToken(a.text + b.text, key, skeleton(key), a.kind, weight, a.arabic, key)
            tokens.append(joined)
    return tokens


def _structural(name: AnalysedName) -> int:
    return sum(1 for t in name.tokens if t.kind in _STRUCTURAL)
