"""Subjects across reports: group the mentions of all reports into the persons and organisations
behind them (entity resolution), each link explained.

Candidates come from blocks (equal identifiers; pairs of name-part keys) so the work grows with
the mentions, not their square. Each candidate pair is scored by finmon's name matcher
(`match_names`) plus identifier and birth-date evidence; pairs at or above `LINK_THRESHOLD` are
joined by union-find, strongest first, under a guard against chaining: a subject never holds two
different valid IINs (or BINs), nor birth dates years apart, nor two mentions an analyst judged
different. A bare name that fits namesakes kept apart joins the one far likelier to be the one
named (the more often reported, the likelier to show the mention's account), else none; a
name left alone at the end joins the one subject with identifiers that it nearly fits (`NEAR`). An
analyst's `same` is joined first whatever the scores (a must-link), `not_same` is a
cannot-link, `unsure` changes nothing (as nomenklatura's resolver keeps judgements).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from finmon.fiu.records import Identifier, Mention, MentionKind
from finmon.lists.identifiers import iin_birth_date, is_valid_iin_bin
from finmon.model import Schema
from finmon.names.parts import AnalysedName, TokenKind, analyse_name
from finmon.screening.namescore import NameMatch, match_names

Verdict = Literal["same", "not_same", "unsure"]
ALGORITHM = "finmon-resolve-1"
LINK_THRESHOLD = 0.9
"""Least pair score that joins two mentions (tuned on bench/fiu.py seed 1)."""
NAME_FLOOR = 0.35
"""Least name score at which an equal valid IIN/BIN is decisive: below it the number was more
likely typed against the wrong party than the two names are one subject's."""
EVIDENCE = {
    "passport": 0.3,
    "id_card": 0.3,
    "account": 0.12,
    "phone": 0.12,
    "address": 0.05,
}
"""What an equal identifier of each kind adds to the name score. Accounts are shared (family,
nominees, money mules), so they support a name and never stand alone."""
SAME_BIRTH_DATE = 0.12
BIRTH_DATE_NEAR = 0.0
"""Birth dates a slip apart (day and month swapped, one digit, the same year)."""
BIRTH_DATE_CONFLICT = -0.5
DATE_GUARD_DAYS = 400
"""Two birth dates further apart than this are two people: the chaining guard's limit."""
AMBIGUITY_MARGIN = 0.02
"""A name-only mention that fits two subjects kept apart within this score of each other joins
neither (tuned on bench/fiu.py seed 1)."""
SUPPORT_ALLOWANCE = 0.25
"""How far below the threshold a link backed by an equal identifier or birth date may score: a
name typed with slips (Асхаов for Askatov) still joins what the identifier ties it to. On
bench/fiu.py seeds 1 and 2 no backed pair of two subjects scored 0.6 or more; siblings sharing an
account (Сейтказы Жанар, Сейтказы Жандос: 0.45 + 0.12) stay under 0.65."""
SETTLED = 0.9
"""Least share of the odds at which a bare name that fits several namesakes kept apart is given
to the likeliest of them, else to none (chosen on bench/fiu.py seed 1: at 0.8 precision fell
under 0.98)."""
NEAR = 0.85
"""Least name score at which a mention known by its name alone, left alone when every link is
done, joins the one subject with identifiers or a birth date that its name nearly fits."""
BLOCK_LIMIT = 400
"""Largest name block compared pair by pair; a larger one is split by birth year."""
_DECISIVE = ("iin", "bin")
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[0-9A-Z]{11,30}")
_NAME_KINDS = frozenset({TokenKind.NAME, TokenKind.NUMBER, TokenKind.NISBA})


@dataclass(frozen=True, slots=True, kw_only=True)
class Judgement:
    """An analyst's word on two mentions: the same subject, not the same, or unsure."""

    a: str
    b: str
    verdict: Verdict


@dataclass(frozen=True, slots=True, kw_only=True)
class Link:
    """A scored pair of mentions and why; `joined` False when the guard kept them apart."""

    a: str
    b: str
    score: float
    reasons: tuple[str, ...]
    supported: bool = False
    """Backed by more than the names: an identifier or the birth date."""
    joined: bool = True


@dataclass(frozen=True, slots=True, kw_only=True)
class Subject:
    """One person or organisation across reports."""

    subject_id: str
    kind: MentionKind
    name: str
    """The name most mentions give."""
    names: tuple[str, ...]
    identifiers: tuple[Identifier, ...]
    reports: tuple[str, ...]
    entities: tuple[str, ...]
    mentions: tuple[str, ...]
    first_seen: dt.datetime | None
    last_seen: dt.datetime | None


@dataclass(slots=True)
class Resolution:
    """Subjects, the links that made them, and what the run noticed."""

    subjects: list[Subject]
    links: list[Link]
    subject_of: dict[str, str]
    """Mention id -> subject id."""
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Prepared:
    mention: Mention
    name: AnalysedName
    decisive: dict[str, str]
    """Kind (iin, bin) -> the valid number."""
    others: frozenset[tuple[str, str]]
    birth: dt.date | None


def resolve(
    mentions: Iterable[Mention],
    judgements: Sequence[Judgement] = (),
    threshold: float = LINK_THRESHOLD,
) -> Resolution:
    """Group mentions into subjects, respecting the analysts' judgements."""
    prepared = {m.id: _prepare(m) for m in sorted(mentions, key=lambda m: m.id)}
    notes: list[str] = []
    pairs = candidate_pairs(prepared, notes)
    scorer = _Scorer()
    scored = [link for a, b in pairs if (link := scorer.score(prepared[a], prepared[b], threshold))]
    scored.sort(key=lambda link: (-link.score, link.a, link.b))
    links = [link for link in scored if link.supported or link.score >= threshold]
    clusters = _Clusters(prepared)
    notes += clusters.apply_judgements(judgements)
    joined = [clusters.join(link) for link in links if link.supported]
    ambiguous, settled = clusters.ambiguous([link for link in links if not link.supported])
    for link in links:
        if not link.supported:
            if link.a in ambiguous or link.b in ambiguous:
                joined.append(_refused(link, AMBIGUOUS))
            elif clusters.unsettling(link, settled):
                joined.append(_refused(link, LESS_LIKELY))
            else:
                joined.append(clusters.join(link))
    near = [link for link in scored if not (link.supported or link.score >= threshold)]
    joined += clusters.lone_fits(near, ambiguous)
    subjects = [_subject(prepared, ids) for ids in clusters.groups()]
    subject_of = {m: s.subject_id for s in subjects for m in s.mentions}
    return Resolution(sorted(subjects, key=lambda s: s.subject_id), joined, subject_of, notes)


AMBIGUOUS = "not joined: the name alone fits more than one subject"
LONE_FIT = "joined: the one subject with identifiers its name nearly fits"
LESS_LIKELY = "not joined: the name fits a namesake far likelier to be the one named"


def _refused(link: Link, why: str) -> Link:
    return replace(link, reasons=(*link.reasons, why), joined=False)


def subject_id(mention_ids: Iterable[str]) -> str:
    """A subject's id: a digest of its smallest mention id, stable while that mention stays."""
    return "S-" + hashlib.sha256(min(mention_ids).encode()).hexdigest()[:16]


def _prepare(mention: Mention) -> _Prepared:
    schema = Schema.PERSON if mention.kind == "person" else Schema.ORGANIZATION
    decisive: dict[str, str] = {}
    others: set[tuple[str, str]] = set()
    birth = mention.birth_date
    for identifier in mention.identifiers:
        if identifier.kind in _DECISIVE:
            if is_valid_iin_bin(identifier.value):
                decisive[identifier.kind] = identifier.value
                if identifier.kind == "iin" and birth is None:
                    birth = iin_birth_date(identifier.value)
        elif identifier.value:
            others.add((identifier.kind, identifier.value))
    return _Prepared(
        mention, analyse_name(mention.name, schema), decisive, frozenset(others), birth
    )


# --- blocking ----------------------------------------------------------------------------------


def candidate_pairs(prepared: dict[str, _Prepared], notes: list[str]) -> set[tuple[str, str]]:
    """Pairs of mention ids worth scoring: sharing an identifier or a pair of name-part keys."""
    blocks: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for mention_id, item in prepared.items():
        for key in _block_keys(item):
            blocks[key].append(mention_id)
    pairs: set[tuple[str, str]] = set()
    split = 0
    for members in blocks.values():
        groups = [members]
        if len(members) > BLOCK_LIMIT:
            split += 1
            by_year: dict[int, list[str]] = defaultdict(list)
            for mention_id in members:
                by_year[_year(prepared[mention_id])].append(mention_id)
            groups = [group[:BLOCK_LIMIT] for group in by_year.values()]
        for group in groups:
            pairs.update(_pairs_of(group))
    if split:
        notes.append(f"{split} blocks over {BLOCK_LIMIT} mentions compared within birth years")
    return pairs


def _year(item: _Prepared) -> int:
    return item.birth.year if item.birth else 0


def _pairs_of(members: list[str]) -> Iterable[tuple[str, str]]:
    return itertools.combinations(sorted(members), 2)


def _block_keys(item: _Prepared) -> set[tuple[str, ...]]:
    kind = item.mention.kind
    keys: set[tuple[str, ...]] = {(kind, k, v) for k, v in item.decisive.items()}
    keys.update((kind, k, v) for k, v in item.others)
    signatures = [
        {token.cross, token.key[:3]}
        for token in item.name.tokens
        if token.kind in _NAME_KINDS or token.kind is TokenKind.PATRONYMIC
    ]
    for one, two in itertools.combinations(signatures, 2):
        keys.update((kind, "name", *sorted((x, y))) for x in one for y in two if x and y)
    if len(signatures) == 1:
        keys.update((kind, "name1", x) for x in signatures[0] if x)
    return keys


# --- scoring -----------------------------------------------------------------------------------


class _Scorer:
    """Scores pairs, remembering name comparisons: the same spellings recur across reports."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, str, str], NameMatch] = {}

    def name(self, a: _Prepared, b: _Prepared) -> NameMatch:
        """The names' match, computed once per pair of spellings (in a fixed order)."""
        if b.mention.name < a.mention.name:
            a, b = b, a
        key = (a.mention.name, b.mention.name, a.mention.kind)
        found = self._names.get(key)
        if found is None:
            found = match_names(a.name, b.name)
            self._names[key] = found
        return found

    def score(self, a: _Prepared, b: _Prepared, threshold: float) -> Link | None:
        """The pair's link when it scores at or above the threshold."""
        if a.mention.kind != b.mention.kind:
            return None
        for kind in _DECISIVE:
            x, y = a.decisive.get(kind), b.decisive.get(kind)
            if x and y and conflicting(x, y):
                return None
        match = self.name(a, b)
        shared = [
            k for k in _DECISIVE if a.decisive.get(k) and a.decisive.get(k) == b.decisive.get(k)
        ]
        if shared and match.score >= NAME_FLOOR:
            kind = shared[0]
            reasons = [f"same valid {kind.upper()} {a.decisive[kind]} (decisive)", _named(match)]
            return Link(
                a=a.mention.id, b=b.mention.id, score=2.0, reasons=tuple(reasons), supported=True
            )
        total = match.score
        evidence = []
        for kind, value in sorted(a.others & b.others):
            total += EVIDENCE[kind]
            evidence.append(f"same {kind} {value} (+{EVIDENCE[kind]})")
        slips = [
            (x, y)
            for k, x in a.others - b.others
            if k == "account"
            for j, y in b.others - a.others
            if j == "account" and _alike(x, y)
        ]
        for x, y in slips[:1]:
            total += EVIDENCE["account"]
            evidence.append(f"account {x} one character from {y} (+{EVIDENCE['account']})")
        if a.birth and b.birth:
            effect, detail = _birth_effect(a.birth, b.birth)
            total += effect
            evidence.append(f"{detail} ({effect:+.2f})")
        if total < (threshold - SUPPORT_ALLOWANCE if total > match.score else NEAR):
            return None
        return Link(
            a=a.mention.id,
            b=b.mention.id,
            score=round(total, 4),
            reasons=(_named(match), *evidence),
            supported=total > match.score,
        )


def _named(match: NameMatch) -> str:
    return f"name {match.score:.2f}: {_aligned(match)}"


def conflicting(a: str, b: str) -> bool:
    """Two valid IINs (or BINs) of two subjects: they differ in more than one digit. One digit
    apart is a slip (a one-digit change that keeps the check digit valid is the last serial
    digit's, whose weight is 11), so it decides neither way."""
    return sum(x != y for x, y in zip(a, b, strict=False)) > 1 or len(a) != len(b)


def _aligned(match: NameMatch) -> str:
    q, c = match.query.tokens, match.candidate.tokens
    parts = []
    for pair in match.pairs:
        left = " ".join(q[i].text for i in pair.query)
        right = " ".join(c[j].text for j in pair.candidate)
        parts.append(f"{left}~{right} ({pair.method} {pair.similarity:.2f})")
    return "; ".join(parts) or "nothing aligned"


def _birth_effect(a: dt.date, b: dt.date) -> tuple[float, str]:
    if a == b:
        return SAME_BIRTH_DATE, f"same birth date {a}"
    swapped = a.year == b.year and a.month == b.day and a.day == b.month
    if swapped or a.year == b.year or _one_digit(a, b):
        return BIRTH_DATE_NEAR, f"birth dates {a} and {b} a slip apart"
    return BIRTH_DATE_CONFLICT, f"birth dates {a} and {b} differ"


def _one_digit(a: dt.date, b: dt.date) -> bool:
    return sum(x != y for x, y in zip(a.isoformat(), b.isoformat(), strict=True)) == 1


# --- clustering --------------------------------------------------------------------------------


class _Clusters:
    """Union-find over mentions with what each cluster holds, for the chaining guard."""

    def __init__(self, prepared: dict[str, _Prepared]) -> None:
        self._parent = {m: m for m in prepared}
        self._members = {m: [m] for m in prepared}
        self._decisive = {m: {(k, v) for k, v in p.decisive.items()} for m, p in prepared.items()}
        self._births = {m: {p.birth} if p.birth else set() for m, p in prepared.items()}
        self._accounts = {
            m: Counter(v for k, v in p.others if k == "account") for m, p in prepared.items()
        }
        self._cannot: dict[str, set[str]] = defaultdict(set)

    def find(self, m: str) -> str:
        root = m
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[m] != root:
            self._parent[m], m = root, self._parent[m]
        return root

    def apply_judgements(self, judgements: Sequence[Judgement]) -> list[str]:
        """Join every `same` pair, remember every `not_same`; returns notes on what was skipped."""
        notes = []
        known = [j for j in judgements if j.a in self._parent and j.b in self._parent]
        if len(known) < len(judgements):
            notes.append(f"{len(judgements) - len(known)} judgements name mentions not present")
        for j in known:
            if j.verdict == "not_same":
                self._cannot[j.a].add(j.b)
                self._cannot[j.b].add(j.a)
        for j in known:
            if j.verdict == "same":
                if self._forbidden(self.find(j.a), self.find(j.b)):
                    notes.append(f"same {j.a} {j.b} contradicts a not_same judgement: not joined")
                else:
                    self._union(self.find(j.a), self.find(j.b))
        return notes

    def join(self, link: Link) -> Link:
        """Join the link's clusters unless the guard refuses; the link says which."""
        ra, rb = self.find(link.a), self.find(link.b)
        if ra == rb:
            return link
        refusal = self._guard(ra, rb)
        if refusal:
            return _refused(link, refusal)
        self._union(ra, rb)
        return link

    def ambiguous(self, links: Sequence[Link]) -> tuple[set[str], dict[str, str]]:
        """Mentions whose name-only links fit two subjects the guard keeps apart about equally
        well (within AMBIGUITY_MARGIN). Each such namesake is as likely to be the one named as
        it is often reported, times the chance that it shows the mention's account (1 when
        already seen with it; else the Good-Turing chance of a new account: the share of its
        accounts seen once). A namesake holding SETTLED of the odds settles the mention;
        otherwise which one it names is anyone's guess and it joins none. Returns the mentions
        left unjoined and those settled, with their subject."""
        reach: dict[str, dict[str, float]] = defaultdict(dict)
        for link in links:
            for here, there in ((link.a, link.b), (link.b, link.a)):
                root = self.find(there)
                best = reach[here]
                best[root] = max(best.get(root, 0.0), link.score)
        found = set()
        settled: dict[str, str] = {}
        for mention, best in reach.items():
            best[self.find(mention)] = 2.0
            anchored = sorted(
                (r for r in best if self._decisive[r] or self._births[r]), key=lambda r: -best[r]
            )
            if len(anchored) < 2:
                continue
            top = anchored[0]
            close = [r for r in anchored[1:] if best[r] >= best[top] - AMBIGUITY_MARGIN]
            if not any(self._guard(top, r) for r in close):
                continue
            odds = {r: self._odds(mention, r) for r in (top, *close)}
            likeliest = max(odds, key=lambda r: (odds[r], r))
            if odds[likeliest] >= SETTLED * sum(odds.values()):
                settled[mention] = likeliest
            else:
                found.add(mention)
        return found, settled

    def lone_fits(self, near: Sequence[Link], ambiguous: set[str]) -> list[Link]:
        """Join each subject known by names alone to the one subject with identifiers or a
        birth date that its names nearly fit (NEAR up to the threshold), when there is only one
        such subject and the guard allows."""
        targets: dict[str, dict[str, Link]] = defaultdict(dict)
        for link in near:
            if link.a in ambiguous or link.b in ambiguous:
                continue
            ra, rb = self.find(link.a), self.find(link.b)
            for lone, other in ((ra, rb), (rb, ra)):
                if self._anchored(lone) or not self._anchored(other) or lone == other:
                    continue
                targets[lone].setdefault(other, link)
        done = []
        for found in targets.values():
            if len(found) == 1:
                ((other, link),) = found.items()
                done.append(self.join(replace(link, reasons=(*link.reasons, LONE_FIT))))
        return done

    def _anchored(self, root: str) -> bool:
        return bool(self._decisive[root] or self._births[root])

    def unsettling(self, link: Link, settled: dict[str, str]) -> bool:
        """The link joins a settled mention to another subject than the one it was given."""
        for here, there in ((link.a, link.b), (link.b, link.a)):
            if here in settled and self.find(there) != self.find(settled[here]):
                return True
        return False

    def _odds(self, mention: str, root: str) -> float:
        """How likely the namesake `root` is the one a bare-name mention names, up to a factor."""
        odds = float(len(self._members[root]))
        mine = self._accounts[self.find(mention)]
        seen = self._accounts[root]
        if mine and seen and not any(_alike(x, y) for x in mine for y in seen):
            once = sum(1 for n in seen.values() if n == 1)
            odds *= (once + 1) / (sum(seen.values()) + 1)
        return odds

    def groups(self) -> list[list[str]]:
        """The clusters' mention ids."""
        return [sorted(self._members[r]) for r in self._parent if self.find(r) == r]

    def _guard(self, ra: str, rb: str) -> str | None:
        if self._forbidden(ra, rb):
            return "not joined: an analyst judged them not the same"
        da, db = self._decisive[ra], self._decisive[rb]
        for kind in _DECISIVE:
            va = {v for k, v in da if k == kind}
            vb = {v for k, v in db if k == kind}
            if va and vb and all(conflicting(x, y) for x in va for y in vb):
                return f"not joined: the subject would hold two {kind.upper()}s"
        ba, bb = self._births[ra], self._births[rb]
        if ba and bb and all(abs((x - y).days) > DATE_GUARD_DAYS for x in ba for y in bb):
            return "not joined: the subject would hold birth dates years apart"
        return None

    def _forbidden(self, ra: str, rb: str) -> bool:
        small, other = (ra, rb) if len(self._members[ra]) <= len(self._members[rb]) else (rb, ra)
        return any(
            self.find(x) == other for m in self._members[small] for x in self._cannot.get(m, ())
        )

    def _union(self, ra: str, rb: str) -> None:
        if ra == rb:
            return
        if len(self._members[ra]) < len(self._members[rb]):
            ra, rb = rb, ra
        self._parent[rb] = ra
        self._members[ra] += self._members.pop(rb)
        self._decisive[ra] |= self._decisive.pop(rb)
        self._births[ra] |= self._births.pop(rb)
        self._accounts[ra] += self._accounts.pop(rb)


def _alike(a: str, b: str) -> bool:
    """Equal, or IBANs one character apart: one is the other mistyped, since two valid IBANs
    never differ in one character (a changed digit changes the check digits too)."""
    if a == b:
        return True
    return (
        len(a) == len(b)
        and _IBAN.fullmatch(a) is not None
        and _IBAN.fullmatch(b) is not None
        and sum(x != y for x, y in zip(a, b, strict=True)) == 1
    )


def _subject(prepared: dict[str, _Prepared], ids: list[str]) -> Subject:
    mentions = [prepared[m].mention for m in ids]
    counts = Counter(m.name for m in mentions)
    name = min(counts, key=lambda n: (-counts[n], n))
    seen = sorted(m.seen for m in mentions if m.seen is not None)
    identifiers = {i for m in mentions for i in m.identifiers}
    return Subject(
        subject_id=subject_id(ids),
        kind=mentions[0].kind,
        name=name,
        names=tuple(sorted(counts)),
        identifiers=tuple(sorted(identifiers, key=lambda i: (i.kind, i.value))),
        reports=tuple(sorted({m.report for m in mentions})),
        entities=tuple(sorted({m.entity for m in mentions})),
        mentions=tuple(ids),
        first_seen=seen[0] if seen else None,
        last_seen=seen[-1] if seen else None,
    )
