"""Candidate index: find the list names worth scoring for a query, without scanning them all.

Every distinct token of the list names is indexed by its folded key, by every key one deletion
away (so one substituted, missing, extra or swapped letter still meets), by its spelling as written
and that spelling's deletions where it differs from the key, by patronymic stem, and by
consonant skeleton across scripts (Arabic with Latin or Cyrillic). Adjacent token pairs are indexed
joined, so 'Abdul Aziz' meets 'Abdulaziz'. What a query token meets is computed once per batch.
"""

from __future__ import annotations

import io
import pickle
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from itertools import combinations, pairwise
from typing import Generic, TypeVar, overload

from finmon.model import DesignationName
from finmon.names.dictionary import given_name_group
from finmon.names.evasion import MAX_GLUED, MIN_GLUED, garbled
from finmon.names.keys import fold
from finmon.names.parts import STRUCTURAL, AnalysedName, NameToken, structural_count
from finmon.names.romanise import romanisation_index_key
from finmon.names.translit import Script
from finmon.screening.namescore import GLUED, MIN_SIMILARITY, aligned_similarity

PAIRED_TOKENS = 24
"""Query tokens up to which the entries met by two of them are found pair by pair; a longer
(hostile) name has them counted instead, in time linear in its length."""
MAX_CANDIDATES = 40
"""Names scored in full per query, the most promising first."""


@dataclass(slots=True, frozen=True)
class IndexedName:
    """One name of one designation, analysed once."""

    designation: int
    name: DesignationName
    analysed: AnalysedName


MAX_FUZZY_KEY = 32
"""Longest key given a deletion neighbourhood. The neighbourhood of a key of n letters holds n
strings of n - 1 letters, so its memory grows with the square of n (a 100,000-letter token took
more than 1 GB); the longest keys of real list names, two parts joined, have 30 letters. A longer
key is filed and looked up as it is (exact, written form, stem, skeleton) only."""


def deletions(key: str) -> list[str]:
    """Every string one deletion away from key (keys of four to MAX_FUZZY_KEY letters)."""
    if not 4 <= len(key) <= MAX_FUZZY_KEY:
        return []
    return [key[:i] + key[i + 1 :] for i in range(len(key))]


T = TypeVar("T")


class Unpickled(Sequence[T], Generic[T]):
    """Items kept pickled one by one and each unpickled the first time it is read.

    A screener read back from its cache (finmon.store.screener_cache) needs only the few list
    names and tokens a batch's queries meet; unpickling all of them (some 27,000 analysed names
    and 48,000 tokens, slotted dataclasses restored one attribute at a time) took most of the two
    to three seconds that reading the cache took.

    Given `tokens` (the index's token table, itself Unpickled) and their ids by sig, an item's
    tokens that are the table's own (every field equal) are pickled as their place in it and read
    back as the table's object: a list name's tokens were otherwise pickled, and unpickled, again
    inside each name, in each forked worker that met it (for UN + OFAC SDN the names' pickles
    took 22.5 of the cache's 68 MB, and take 11.0 of 56.7)."""

    def __init__(
        self,
        items: Iterable[T],
        tokens: Unpickled[NameToken] | None = None,
        token_ids: dict[str, int] | None = None,
    ) -> None:
        self._tokens = tokens
        if tokens is None or token_ids is None:
            self._pickled = [pickle.dumps(item, pickle.HIGHEST_PROTOCOL) for item in items]
        else:
            self._pickled = [_dumps_sharing(item, tokens, token_ids) for item in items]
        self._items: list[T | None] = [None] * len(self._pickled)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(len(self))[index]]
        item = self._items[index]
        if item is None:
            item = self._items[index] = self._load(self._pickled[index])
        return item

    def _load(self, data: bytes) -> T:
        if self._tokens is None:
            return pickle.loads(data)  # type: ignore[no-any-return]
        reader = pickle.Unpickler(io.BytesIO(data))
        reader.persistent_load = self._tokens.__getitem__  # type: ignore[method-assign]
        return reader.load()  # type: ignore[no-any-return]

    def __len__(self) -> int:
        return len(self._pickled)

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(len(self)))

    def __getstate__(self) -> tuple[list[bytes], Unpickled[NameToken] | None]:
        return self._pickled, self._tokens

    def __setstate__(self, state: tuple[list[bytes], Unpickled[NameToken] | None]) -> None:
        self._pickled, self._tokens = state
        self._items = [None] * len(self._pickled)


_TOKEN_FIELDS = tuple(field.name for field in fields(NameToken))


def _dumps_sharing(item: object, tokens: Sequence[NameToken], token_ids: dict[str, int]) -> bytes:
    """The item pickled with each token that is the same in every field as the table's token of
    its sig written as that token's place in the table (Unpickled._load reads it back)."""

    def shared(obj: object) -> int | None:
        if type(obj) is not NameToken:
            return None
        place = token_ids.get(obj.sig)
        if place is None:
            return None
        known = tokens[place]
        same = all(getattr(obj, name) == getattr(known, name) for name in _TOKEN_FIELDS)
        return place if same else None

    out = io.BytesIO()
    writer = pickle.Pickler(out, pickle.HIGHEST_PROTOCOL)
    writer.persistent_id = shared  # type: ignore[method-assign]
    writer.dump(item)
    return out.getvalue()


class CandidateIndex:
    """Token-level inverted index over list names."""

    def __init__(self, names: Iterable[IndexedName]) -> None:
        self.names: Sequence[IndexedName] = list(names)
        self._tokens: Sequence[NameToken] = []
        self._token_ids: dict[str, int] = {}
        self._postings: list[list[int]] = []
        self._by_key: dict[str, list[int]] = defaultdict(list)
        # Skeletons of Latin/Cyrillic tokens [False] and of Arabic-script tokens [True].
        self._by_skeleton: dict[bool, dict[str, list[int]]] = {
            False: defaultdict(list),
            True: defaultdict(list),
        }
        self._met: dict[str, dict[int, float]] = {}
        self._short: set[int] = set()
        self._glued: dict[str, list[int]] = defaultdict(list)
        for entry, name in enumerate(self.names):
            if is_short(name.analysed):
                self._short.add(entry)
            for token in _index_tokens(name.analysed):
                self._post(token, entry)
            for key in glued_keys(name.analysed):
                self._glued[key].append(entry)

    def __getstate__(self) -> dict[str, object]:
        state = dict(self.__dict__)
        # The set of short entries is made again as it was first made, in ascending order: a
        # set's order follows the order its members came in, and candidates of equal weight keep
        # the order of such sets.
        state["_short"] = sorted(self._short)
        state["_met"] = {}
        tokens = state["_tokens"]
        if not isinstance(tokens, Unpickled):
            state["_tokens"] = tokens = Unpickled(self._tokens)
        if not isinstance(state["names"], Unpickled):
            state["names"] = Unpickled(self.names, tokens, self._token_ids)
        return state

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._short = set(state["_short"])  # type: ignore[call-overload]

    def _post(self, token: NameToken, entry: int) -> None:
        token_id = self._token_ids.get(token.sig)
        if token_id is None:
            token_id = self._token_ids[token.sig] = len(self._tokens)
            self._tokens.append(token)  # type: ignore[attr-defined]  # a list while it is built
            self._postings.append([])
            for key in _lookup_keys(token):
                self._by_key[key].append(token_id)
            if (romanised := romanisation_index_key(token.text)) is not None:
                self._by_key[romanised].append(token_id)  # where Han and Hangul queries look
            skeletons = self._by_skeleton[token.arabic]
            for key in (token.cross, *deletions(token.cross)):
                skeletons[key].append(token_id)
        postings = self._postings[token_id]
        if not postings or postings[-1] != entry:
            postings.append(entry)

    def candidates(self, query: AnalysedName, limit: int = MAX_CANDIDATES) -> list[int]:
        """Entries that share enough tokens with the query (unless garbled) or with its readings
        (spaced letters joined, digits read as letters: finmon.names.evasion), to be worth a full
        comparison."""
        weights: dict[int, float] = {}
        # A garbled name (spaced out, words cut by symbols) is looked up by its readings alone: as
        # written it is a row of initials or pieces of words (ELL@ $MITH: ell, mith), which meet
        # names that the name it stands for does not.
        fair = not query.readings or not garbled(query.text)
        for read in ((query,) if fair else ()) + query.readings:
            for entry, weight in self._chosen(read).items():
                if weight > weights.get(entry, -1.0):
                    weights[entry] = weight
        return sorted(weights, key=weights.__getitem__, reverse=True)[:limit]

    def _chosen(self, query: AnalysedName) -> dict[int, float]:
        """The entries one reading of the query meets enough, with their weights."""
        tokens = _index_tokens(query)
        met = [self._entries_met(t) for t in tokens]
        # A word that is several words of a listed name run together meets that name whole. Not
        # in Arabic script, whose transliteration runs the article into the word by itself.
        glued: set[int] = set()
        for word in query.words if query.script is not Script.ARABIC else ():
            if len(word) >= MIN_GLUED:
                glued.update(self._glued.get(word, ()), self._glued.get(fold(word), ()))
        if is_short(query) or len(met) > PAIRED_TOKENS:
            return self._counted(query, tokens, met, glued)
        # An entry met by two of the query's tokens, or a short entry met by one; made pair by
        # pair so that entries of equal weight keep the order they have always had.
        chosen: set[int] = set()
        for a, b in combinations(met, 2):
            chosen.update(a.keys() & b.keys())
        for entries in met:
            chosen.update(entries.keys() & self._short)
        chosen.update(glued)
        # Ties are left in the order of a set of entries, as they always were. Only the chosen
        # are weighed (a common token meets thousands), summed in the order _counted sums them.
        weighed = [(token.weight, entries) for token, entries in zip(tokens, met, strict=True)]
        found: dict[int, float] = {}
        for entry in chosen:
            weight = 0.0
            for token_weight, entries in weighed:
                similarity = entries.get(entry)
                if similarity is not None:
                    weight += token_weight * similarity
            found[entry] = weight + 1.0 if entry in glued else weight
        return found

    def _counted(
        self,
        query: AnalysedName,
        tokens: list[NameToken],
        met: list[dict[int, float]],
        glued: set[int],
    ) -> dict[int, float]:
        """_chosen for a short query (any entry met) or a long one (entries met twice), counted
        in one pass."""
        weights: dict[int, float] = defaultdict(float)
        meetings: dict[int, int] = defaultdict(int)
        for token, entries in zip(tokens, met, strict=True):
            for entry, similarity in entries.items():
                weights[entry] += token.weight * similarity
                meetings[entry] += 1
        for entry in glued:
            weights[entry] += 1.0
            meetings[entry] += 2
        if is_short(query):
            chosen = set(meetings)
        else:
            # The work grows with the name's length and not with its square (a name of 3,000
            # words would otherwise compare 4.5 million pairs).
            chosen = {e for e, n in meetings.items() if n >= 2 or e in self._short}
        return {e: weights[e] for e in chosen}

    def _entries_met(self, token: NameToken) -> dict[int, float]:
        """Every entry holding a token similar to this one, with the best similarity."""
        found = self._met.get(token.sig)
        if found is None:
            if len(self._met) > 200_000:
                self._met.clear()
            found = self._met[token.sig] = self._find(token)
        return found

    def _find(self, token: NameToken) -> dict[int, float]:
        ids: set[int] = set()
        for key in _lookup_keys(token):
            ids.update(self._by_key.get(key, ()))
        if token.romanised and (romanised := romanisation_index_key(token.text)) is not None:
            ids.update(self._by_key.get(romanised, ()))
        if token.arabic:
            # Only Arabic-script queries need the cross-script keys: a Latin or Cyrillic query
            # meets a designation through the Latin names the lists give next to the Arabic one.
            latin_tokens = self._by_skeleton[False]
            for key in (token.cross, *deletions(token.cross)):
                ids.update(latin_tokens.get(key, ()))
        best: dict[int, float] = {}
        for token_id in ids:
            similarity = aligned_similarity(token, self._tokens[token_id])
            if similarity < MIN_SIMILARITY:
                continue
            for entry in self._postings[token_id]:
                if similarity > best.get(entry, 0.0):
                    best[entry] = similarity
        return best


GLUED_RUNS = (2, 8)
"""Runs of this many consecutive words (at least, at most) of a listed name, and the whole name,
are filed run together (USAMABINLADEN, MUHAMMADJAMALABDU, ABDULLAHANSHORI)."""
GLUED_WORDS = 12
"""Names of more words than this have no runs filed (long organisation names)."""


def glued_keys(name: AnalysedName) -> set[str]:
    """The keys under which a listed name's runs of words are filed run together: as written and
    folded, particles included (the words of the transliteration)."""
    words = name.words
    if len(words) > GLUED_WORDS:
        return set()
    keys: set[str] = set()
    shortest, longest = GLUED_RUNS
    sizes = {*range(shortest, min(longest, len(words)) + 1), len(words)} - {0, 1}
    for size in sorted(sizes):
        for start in range(len(words) - size + 1):
            run = "".join(words[start : start + size])
            if len(run) <= MAX_GLUED:
                keys.update((run, fold(run)))
    return keys


def _unglued(key: str) -> list[str]:
    """A token's key without a particle run into its front (ALKHAZALI: khazali), so that the
    list's al-Khazali and a passport's ALKHAZALI meet in the index, either way round."""
    return [key[n:] for n in (2, 3) if key[:n] in GLUED and len(key) - n >= 3]


def index_tokens(name: AnalysedName) -> list[NameToken]:
    """The tokens under which a name is indexed: its own plus joined adjacent name parts."""
    return _index_tokens(name)


def is_short(name: AnalysedName) -> bool:
    """Fewer than two name parts: any one token shared may then make it a candidate."""
    return structural_count(name.tokens) < 2


BLOCKED = 10
"""Keys of this many letters or more (up to MAX_FUZZY_KEY) are filed in the stored customer index
under BLOCKS block keys instead of their one-letter deletions."""
BLOCKS = 3
"""Contiguous blocks a long key is cut into; a block key is the key without one of them."""
BLOCK_MARK = "^"
"""What begins a block key (no folded key or written name part does)."""


@lru_cache(maxsize=128)
def _blocks(size: int) -> tuple[tuple[int, int], ...]:
    """The BLOCKS near-equal contiguous blocks [start, end) of a key of size letters (sizes are
    bounded by MAX_FUZZY_KEY: made once each)."""
    edges = [size * b // BLOCKS for b in range(BLOCKS + 1)]
    return tuple(pairwise(edges))


def block_keys(key: str) -> list[str]:
    """The keys under which a long key stands for its one-letter deletions in the stored index.

    A deletion of the key lies inside one block, and the key without that block is the deletion
    without the block's one letter shorter remains (block_probes): a key of n letters is filed
    under BLOCKS keys instead of n deletions (nearly every customer brings its own joined pairs
    of name parts of 12 to 25 letters). A block key meets more than the deletions do; what it
    meets is checked against the deletions themselves (reach_keys)."""
    size = len(key)
    if not BLOCKED <= size <= MAX_FUZZY_KEY:
        return []
    return [f"{BLOCK_MARK}{size}.{j}:{key[:a]}{key[b:]}" for j, (a, b) in enumerate(_blocks(size))]


def block_probes(probe: str) -> list[str]:
    """The block keys of every key, long enough to be filed by block keys, of which probe is a
    one-letter deletion (those keys' own block keys, made from the probe)."""
    size = len(probe) + 1
    if not BLOCKED <= size <= MAX_FUZZY_KEY:
        return []
    return [
        f"{BLOCK_MARK}{size}.{j}:{probe[:a]}{probe[b - 1 :]}"
        for j, (a, b) in enumerate(_blocks(size))
    ]


def _filed_deletions(key: str) -> list[str]:
    return block_keys(key) if len(key) >= BLOCKED else deletions(key)


def filing_keys(token: NameToken) -> list[str]:
    """Keys under which a customer's token is filed in the stored customer index: reach_keys,
    with the deletions of long keys given by their block keys."""
    return _reach(token, _filed_deletions)


def reach_keys(token: NameToken) -> list[str]:
    """The keys a customer's token is found by in the stored customer index.

    The mirror of CandidateIndex: an Arabic-script customer token is also found by its
    cross-script keys, where the Latin tokens of a designation look for it."""
    return _reach(token, deletions)


def _reach(token: NameToken, spread: Callable[[str], list[str]]) -> list[str]:
    keys = _lookup_keys(token, spread)
    if token.arabic:
        keys.extend(f"x:{key}" for key in (token.cross, *spread(token.cross)))
    if token.romanised and (romanised := romanisation_index_key(token.text)) is not None:
        keys.append(romanised)
    return keys


def probing_keys(token: NameToken) -> list[str]:
    """Keys a designation's token looks up in the stored customer index (see reach_keys); the
    block keys of these (block_probes) are looked up as well (probing_blocks)."""
    keys = _lookup_keys(token)
    if not token.arabic:
        keys.extend(f"x:{key}" for key in (token.cross, *deletions(token.cross)))
    if (romanised := romanisation_index_key(token.text)) is not None:
        keys.append(romanised)
    return keys


def probing_blocks(key: str) -> list[str]:
    """The block keys (block_probes) a probing key also looks up, cross-script ones included."""
    found = block_probes(key)
    if key.startswith("x:"):
        found.extend(f"x:{block}" for block in block_probes(key[2:]))
    return found


def _lookup_keys(token: NameToken, spread: Callable[[str], list[str]] | None = None) -> list[str]:
    """Every key under which a token is filed, and looked up (spread: the deletions of a key)."""
    spread = spread or deletions
    keys = [token.key, *spread(token.key)]
    if token.text != token.key and " " not in token.text:
        keys.extend((token.text, *spread(token.text)))  # as written: Maaxim, Maalim
    if token.stem != token.key:
        keys.append(token.stem)
    if len(token.skel) >= 3:
        keys.append(f"~{token.skel}")  # vowel-only variants: Mahmoud, Mahmud
    group = given_name_group(token.key)
    if group is not None:
        keys.append(f"#{group}")  # spellings of one given name: Muhammad, Mohammed
    keys.extend(_unglued(token.key))  # ALKHAZALI also under khazali, where al-Khazali is
    return keys


def _index_tokens(name: AnalysedName) -> list[NameToken]:
    """The name's tokens plus each adjacent pair of name parts joined into one."""
    tokens = list(name.tokens)
    for a, b, joined in zip(name.tokens, name.tokens[1:], name.joined, strict=False):
        if a.kind in STRUCTURAL and b.kind in STRUCTURAL:
            tokens.append(joined)
    return tokens
