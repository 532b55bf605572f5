"""Evidence beyond the name: birth date, nationality, gender, kind of party, identifiers.

Each feature is a small pure function that returns an Evidence (what it saw on both sides and the
effect on the score) or None when one side says nothing. An exact identifier hit is decisive.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from rapidfuzz.distance import OSA
from rigour.names.org_types import extract_org_types

from finmon.countries import to_iso2
from finmon.model import BirthDate, Designation, Party, Schema
from finmon.names.dictionary import group_of_arabic, name_groups
from finmon.names.frequency import RARE_BITS, frequency_keys, information
from finmon.names.keys import fold
from finmon.names.parts import AnalysedName, NameToken, TokenKind, is_particle
from finmon.names.romanise import romanisation_key
from finmon.screening.namescore import MIN_SIMILARITY, aligned_similarity

if TYPE_CHECKING:
    from finmon.screening.namescore import NameMatch, TokenPair

SAME_BIRTH_DAY = 0.12
BIRTH_DATE_IN_RANGE = 0.06
BIRTH_DATE_NEAR = -0.08
BIRTH_DATE_CONFLICT = -0.2
DAY_MONTH_SWAPPED = -0.02
SAME_NATIONALITY = 0.03
OTHER_NATIONALITY = -0.05
NATIONALITY_BITS = 3.0  # a shared nationality, as evidence beside the name's bits
OTHER_GENDER = -0.12
OTHER_SCHEMA = -0.25
OTHER_NATIONAL_ID = -0.3
GUESSED_OTHER_SCHEMA = -0.15
"""OTHER_SCHEMA when the party's kind is unknown and only guessed from its name (likely_kind):
measured on the UN and OFAC names, 0.3% of persons' names look like organisations' and 11% of
organisations' names look like persons', so the guess costs less than a stated kind."""
MAX_SUPPORT = SAME_BIRTH_DAY + SAME_NATIONALITY
"""The most that evidence other than an identifier can add to a name score."""


def most_support(party: Party, listed: Designation) -> float:
    """The most that evidence other than an identifier can add to a name score for this pair:
    a feature adds only where both sides say something (see MAX_SUPPORT)."""
    found = SAME_BIRTH_DAY if party.birth_dates and listed.birth_dates else 0.0
    if party.nationalities and listed.nationalities:
        found += SAME_NATIONALITY
    return found


_APPROXIMATE_SLACK = dt.timedelta(days=366)
_ALNUM = re.compile(r"[^0-9A-Z]")
_NATIONAL_KINDS = frozenset({"iin", "bin", "national_id"})


@dataclass(slots=True, frozen=True)
class Evidence:
    """What one feature saw, and how it moved the score."""

    feature: str
    effect: float
    detail: str
    query: str | None = None
    candidate: str | None = None
    decisive: bool = False

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        data: dict[str, Any] = {
            "feature": self.feature,
            "effect": round(self.effect, 4),
            "detail": self.detail,
            "query": self.query,
            "candidate": self.candidate,
        }
        if self.decisive:
            data["decisive"] = True
        return data


def birth_date(party: Party, listed: Designation) -> Evidence | None:
    """Support when birth dates overlap; a penalty growing with the gap when they do not."""
    if not party.birth_dates or not listed.birth_dates:
        return None
    query = ", ".join(b.label() for b in party.birth_dates)
    candidate = ", ".join(b.label() for b in listed.birth_dates)
    best = max(
        (_date_effect(q, c) for q in party.birth_dates for c in listed.birth_dates),
        key=lambda pair: pair[0],
    )
    return Evidence("birth_date", best[0], best[1], query, candidate)


def _date_effect(query: BirthDate, listed: BirthDate) -> tuple[float, str]:
    if query.is_exact and listed.is_exact and query.earliest == listed.earliest:
        return SAME_BIRTH_DAY, "same birth date"
    low, high = _widened(listed)
    if query.earliest <= high and low <= query.latest:
        return BIRTH_DATE_IN_RANGE, "birth date within the listed date or range"
    if query.is_exact and listed.is_exact and _swapped(query.earliest, listed.earliest):
        return DAY_MONTH_SWAPPED, "day and month swapped"
    gap = min(abs((query.earliest - high).days), abs((low - query.latest).days))
    if gap <= 366:
        return BIRTH_DATE_NEAR, f"birth dates {gap} days apart"
    return BIRTH_DATE_CONFLICT, f"birth dates {gap // 365} years apart"


def _widened(date: BirthDate) -> tuple[dt.date, dt.date]:
    if not date.approximate:
        return date.earliest, date.latest
    return date.earliest - _APPROXIMATE_SLACK, date.latest + _APPROXIMATE_SLACK


def _swapped(a: dt.date, b: dt.date) -> bool:
    return a.year == b.year and a.month == b.day and a.day == b.month


def nationality(party: Party, listed: Designation) -> Evidence | None:
    """Small support for a shared nationality, a small penalty for none shared."""
    ours = {code for code in map(_country, party.nationalities) if code}
    if not ours or not listed.nationalities:
        return None
    query, candidate = ", ".join(sorted(ours)), ", ".join(listed.nationalities)
    if ours & set(listed.nationalities):
        return Evidence("nationality", SAME_NATIONALITY, "nationality shared", query, candidate)
    return Evidence("nationality", OTHER_NATIONALITY, "no nationality shared", query, candidate)


def _country(text: str) -> str | None:
    """A party's nationality as ISO alpha-2; short values are read as codes in any case."""
    text = text.strip()
    return to_iso2(text.upper() if len(text) in (2, 3) else text)


def gender(party: Party, listed: Designation) -> Evidence | None:
    """A penalty when both sides state different genders."""
    if party.gender is None or listed.gender is None or party.gender is listed.gender:
        return None
    return Evidence("gender", OTHER_GENDER, "different gender", party.gender, listed.gender)


def stated_kind(party: Party) -> Schema:
    """The party's kind as stated, or as its data states it: only a person has a birth date (a
    customer file's registration date is not read as one), so a party of unknown kind with a
    birth date is a person, as surely as one with an IIN."""
    if party.schema is Schema.UNKNOWN and party.birth_dates:
        return Schema.PERSON
    return party.schema


def schema(party: Party, listed: Designation) -> Evidence | None:
    """A penalty when a person is compared with an organisation, vessel or aircraft."""
    kind = stated_kind(party)
    if Schema.UNKNOWN in (kind, listed.schema) or kind is listed.schema:
        return None
    detail = "different kind of party"
    if kind is not party.schema:
        detail += " (a birth date is a person's)"
    return Evidence("schema", OTHER_SCHEMA, detail, kind, listed.schema)


_ORG_KINDS = frozenset({TokenKind.LEGAL, TokenKind.GENERIC, TokenKind.NUMBER})
_PERSON_KINDS = frozenset({TokenKind.PATRONYMIC})
_ORG_MARKS = frozenset('«»"&')
# Not '@': it stands for an 'a' in names written to slip past screening (UM@R, @LISHER).
PERSON_NAME_PARTS = (2, 5)
"""How many name parts a name read as a person's has (fewest, most)."""


def likely_kind(name: AnalysedName) -> Schema:
    """The kind of party a name of unknown kind looks like, from its shape alone: a legal form,
    a generic word ('Trading'), a number or quotes say organisation; a patronymic, or two to
    five parts most of which are known given names or surnames (finmon.names.frequency) say
    person. UNKNOWN when it says neither."""
    kinds = {t.kind for t in name.tokens}
    if kinds & _ORG_KINDS or _ORG_MARKS & set(name.text) or _legal_form(name.latin):
        return Schema.ORGANIZATION
    if kinds & _PERSON_KINDS:
        return Schema.PERSON
    parts = [t for t in name.tokens if t.kind is TokenKind.NAME]
    fewest, most = PERSON_NAME_PARTS
    known = sum(1 for t in parts if information(t.key) < RARE_BITS)
    if fewest <= len(parts) <= most and 2 * known >= len(parts):
        return Schema.PERSON
    return Schema.UNKNOWN


def _legal_form(latin: str) -> bool:
    """A legal form written out or with its dots (S.A., Ltda, S. de R.L.): bare two-letter ones
    (AG, SA) are also name parts (Maria ag Ahmed)."""
    return any("." in found or len(found) >= 3 for found, _ in extract_org_types(latin))


def guessed_schema(match: NameMatch, party: Party, listed: Designation) -> Evidence | None:
    """For a party of unknown kind, GUESSED_OTHER_SCHEMA when its name looks like a person's and
    the listed party is not a person, or the reverse: a person's name is not matched against a
    company's on weaker evidence than against a person's."""
    if stated_kind(party) is not Schema.UNKNOWN or listed.schema is Schema.UNKNOWN:
        return None
    guess = likely_kind(match.query)
    if guess is Schema.UNKNOWN or (guess is Schema.PERSON) is (listed.schema is Schema.PERSON):
        return None
    detail = f"different kind of party (the name looks like a {guess.value}'s)"
    return Evidence("schema", GUESSED_OTHER_SCHEMA, detail, guess, listed.schema)


def identifier(party: Party, listed: Designation) -> Evidence | None:
    """Decisive when a document or registry number is the same; a penalty when IINs differ."""
    listed_numbers = {
        _number(i.number): i for i in listed.identifiers if len(_number(i.number)) >= 5
    }
    for ident in party.identifiers:
        number = _number(ident.number)
        if number in listed_numbers:
            hit = listed_numbers[number]
            detail = f"same {hit.kind} number"
            return Evidence("identifier", 1.0, detail, ident.number, hit.number, decisive=True)
    return _national_id_conflict(party, listed)


def _national_id_conflict(party: Party, listed: Designation) -> Evidence | None:
    ours = {(i.kind, _number(i.number)) for i in party.identifiers if i.kind in _NATIONAL_KINDS}
    theirs = {(i.kind, _number(i.number)) for i in listed.identifiers if i.kind in _NATIONAL_KINDS}
    kinds = {k for k, _ in ours} & {k for k, _ in theirs}
    if not kinds:
        return None
    query = ", ".join(n for _, n in sorted(ours))
    candidate = ", ".join(n for _, n in sorted(theirs))
    return Evidence("identifier", OTHER_NATIONAL_ID, "different national ID", query, candidate)


def _number(text: str) -> str:
    return _ALNUM.sub("", text.upper())


COMMON_NAME = -0.3
"""Effect of a match on a name that many people share (Ivanov Viktor, Muhammad Ali): the
name alone then cannot alert, a birth date that agrees still can, and one that disagrees
sinks it."""
COMMON_BITS = 10.0
"""Information (bits) of the matched name parts at or below which COMMON_NAME applies whole."""
DISTINCT_BITS = 28.0
"""Information at or above which a matched name is distinct enough to cost nothing; between
the two the effect shrinks linearly."""
LIST_NAMES_FLOOR = 20_000
"""Least number of list names a share among them is taken of: a part shared by two names of a
short list is not common for it."""
_PART_BITS = {TokenKind.INITIAL: 2.0, TokenKind.NUMBER: 3.0}
"""Bits of evidence of parts that are not names (legal forms and generic words give none)."""


class NameFrequency:
    """How common each name part is among the list names loaded, besides in the population."""

    def __init__(self, names: Iterable[AnalysedName]) -> None:
        counts: Counter[str] = Counter()
        total = 0
        for name in names:
            total += 1
            counts.update({t.key for t in name.tokens})
        self._counts = counts
        self._total = max(total, LIST_NAMES_FLOOR)

    def bits(self, token: NameToken) -> float:
        """Evidence that sharing this part gives: the lesser of its information in the
        population (finmon.names.frequency) and among the list names."""
        if token.kind is TokenKind.PATRONYMIC:
            return 0.7 * information(token.stem)
        if token.kind not in (TokenKind.NAME, TokenKind.NISBA):
            return _PART_BITS.get(token.kind, 0.0)
        listed = -math.log2(max(self._counts[token.key], 1) / self._total)
        return min(spelling_information(token), listed)


def spelling_information(token: NameToken) -> float:
    """Information of a name part, the same in every script: for a part read from Han or
    Hangul, the least of its own and that of its spelling in another romanisation system
    (reading_information); for a known given name written in Arabic script
    (finmon.names.dictionary), that of its commonest spelling. The table carries fewer people
    under عثمان than under Usman (14 bits against 7) and under 김 (gim) than under Kim (11
    against 3), which says how names-dataset was written, not how rare the name is."""
    own = information(token.key)
    if token.romanised:
        return min(own, reading_information(token))
    if not token.arabic:
        return own
    group = group_of_arabic(token.key, token.cross)
    return own if group is None else min(own, _commonest_spelling().get(group, own))


def reading_information(token: NameToken) -> float:
    """The information of the commonest spelling in the frequency table of a part read from
    Han or Hangul, in any romanisation system (Kim for 김 gim, Pak for 박 bag; see
    finmon.names.romanise); RARE_BITS when there is none."""
    key = romanisation_key(token.key)
    return RARE_BITS if key is None else _by_romanisation().get(key, RARE_BITS)


@cache
def _by_romanisation() -> dict[str, float]:
    """Least information of the table's keys by their romanisation key (finmon.names.romanise)."""
    least: dict[str, float] = {}
    for key in frequency_keys():
        neutral = romanisation_key(key)
        if neutral is not None:
            least[neutral] = min(least.get(neutral, RARE_BITS), information(key))
    return least


@cache
def _commonest_spelling() -> dict[int, float]:
    """Least information of any spelling of each given-name group."""
    least: dict[int, float] = {}
    for key, group in name_groups()[0].items():
        least[group] = min(least.get(group, RARE_BITS), information(key))
    return least


BIRTH_SPAN_DAYS = 60 * 365
"""Days a party's birth date may fall on (about sixty years): the chance that a clean party's
birth date falls within a listed range is about the range's width over this."""


def date_bits(query: Sequence[BirthDate], listed: Sequence[BirthDate]) -> float:
    """Evidence (bits) that a birth date within the listed range gives: -log2 of the chance that
    a party's date falls within one of the listed ranges by chance. A listed day or month tells
    a lot, a listed year about 6 bits, several listed years or an approximate one less."""
    listed_days = sum(_days(_widened(date)) for date in listed)
    # A party's year against a listed day or month: the year is what agrees.
    query_days = min((_days((q.earliest, q.latest)) for q in query), default=1)
    return max(0.0, math.log2(BIRTH_SPAN_DAYS / max(listed_days, query_days, 1)))


def _days(span: tuple[dt.date, dt.date]) -> int:
    return (span[1] - span[0]).days + 1


def name_commonness(
    match: NameMatch,
    listed: Designation,
    frequency: NameFrequency,
    seen: Sequence[Evidence],
    *,
    query_dated: bool = True,
    query_dates: Sequence[BirthDate] = (),
    listed_names: Sequence[AnalysedName] = (),
) -> Evidence | None:
    """A penalty when the parts of a listed person's name that matched are common together and
    no birth date confirms them: none when the birth day is the same (or neither side gives a
    birth date); when the party's birth date is within the listed range, that agreement counts
    as the bits of evidence it carries (date_bits), beside the name's, and so does a shared
    nationality (NATIONALITY_BITS). A common name alone
    (ИВАНОВ ВИКТОР on a payment) then does not alert against a listed person whose birth date
    would tell, nor a dated customer against a listing whose birth date is unknown, nor one
    born in a listed year, which one person in sixty is; a birth date that agrees still
    alerts. A part of the party's name that no name of the listed party carries (listed_names,
    by default the matched one) takes its bits away (unmatched_bits)."""
    if listed.schema is not Schema.PERSON or not match.pairs:
        return None
    if not listed.birth_dates and not query_dated:
        # Neither side gives a birth date: nothing could confirm the name or tell a namesake
        # apart on either side, so the name is all the evidence there is.
        return None
    agreeing = max((e.effect for e in seen if e.feature == "birth_date"), default=0.0)
    if agreeing >= SAME_BIRTH_DAY:
        return None
    tokens = match.candidate.tokens
    bits = sum(_pair_bits(pair, match, frequency) for pair in match.pairs)
    bits -= unmatched_bits(match, listed_names or (match.candidate,), frequency)
    if agreeing > 0:
        # A birth date within the listed range is evidence, weaker than the same day and weaker
        # the wider the range. A listing without one gets none: the party's birth date can
        # neither confirm nor clear it, so the name is weighed alone, as when the party gives
        # no birth date against a dated listing.
        bits += date_bits(query_dates, listed.birth_dates)
    if any(e.feature == "nationality" and e.effect > 0 for e in seen):
        # A shared nationality is one more identifier that agrees: about one person in eight
        # of a mixed customer base shares a given listing's nationality.
        bits += NATIONALITY_BITS
    short = min(1.0, max(0.0, (DISTINCT_BITS - bits) / (DISTINCT_BITS - COMMON_BITS)))
    if short == 0.0:
        return None
    matched = " ".join(tokens[j].text for pair in match.pairs for j in pair.candidate)
    detail = f"common name: {bits:.0f} bits of evidence in the parts that matched"
    return Evidence("name_frequency", COMMON_NAME * short, detail, match.query.text, matched)


_OWN_PARTS = frozenset({TokenKind.NAME, TokenKind.NISBA})
"""Kinds of a party's name part that a listing of the same person would carry: a patronymic
or an initial is often left out, a given name or surname seldom."""


def unmatched_bits(
    match: NameMatch, listed_names: Sequence[AnalysedName], frequency: NameFrequency
) -> float:
    """Evidence against: the bits of the party's name parts that found no partner and that no
    name of the listed party carries (Abdul Baqi Azimi against a listing known as Abdul Baqi
    Bari, Abdul Baki ...: none says Azimi), each counted as it would be had it matched. The same
    in every script: the parts are compared as the alignment compares them."""
    paired = {i for pair in match.pairs for i in pair.query}
    found = 0.0
    words: set[str] | None = None
    for i, token in enumerate(match.query.tokens):
        if i in paired or token.kind not in _OWN_PARTS or is_particle(token.key):
            continue  # a particle left as a word (BILAL BIN, الإبن: Jr.) names no one
        if any(
            aligned_similarity(token, theirs) >= MIN_SIMILARITY
            for name in listed_names
            for theirs in name.tokens
        ):
            continue
        if words is None:
            # The listed names' words as written, particles and compounds too: a slip in the
            # party's Abdul (ABZDUL) or a particle left at the end (BILAL BIN) is carried.
            words = {fold(word) for name in listed_names for word in name.words}
        if any(OSA.normalized_similarity(token.key, word) >= MIN_SIMILARITY for word in words):
            continue
        found += frequency.bits(token)
    return found


def _pair_bits(pair: TokenPair, match: NameMatch, frequency: NameFrequency) -> float:
    """Evidence of one aligned pair: the lesser of what the party's parts and the listed parts
    tell, times their similarity. A common name spelled like a rare one (Ahmed, HEMED) is
    still a common name: as many people carry it, as many pair with the rare one."""
    query, listed = match.query.tokens, match.candidate.tokens
    ours = sum(frequency.bits(query[i]) for i in pair.query)
    theirs = sum(frequency.bits(listed[j]) for j in pair.candidate)
    return pair.similarity * min(ours, theirs)


FEATURES: Sequence[Callable[[Party, Designation], Evidence | None]] = (
    identifier,
    birth_date,
    nationality,
    gender,
    schema,
)


def collect_evidence(party: Party, listed: Designation) -> list[Evidence]:
    """Every feature that has something to say about this pair."""
    return [e for e in (feature(party, listed) for feature in FEATURES) if e is not None]
