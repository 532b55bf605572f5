"""Requests between FIUs matched on keyed hashes, as FIU.net's Ma3tch does (docs/fiu.md).

A requesting FIU turns each subject it asks about into HMAC-SHA256 digests, under a key the two
FIUs agreed for the exchange, of:

- normalised name keys with the birth year (a person) or alone (an organisation, or a person
  whose birth date neither side knows): the sorted folded keys of the name's structural tokens
  (finmon.names), their sorted consonant skeletons (which survive most spelling differences:
  Latin against Cyrillic, Y/I, KH/H, Trade/Treid) and, for a person, the sorted keys without the
  patronymic, which many documents leave out (compared only with a name that has none, so two
  different patronymics still keep two people apart). Order-independent, so Askhat Ermekov is
  Ermekov Askhat;
- each identifier on its own: IIN/BIN, passport, identity card, account or IBAN.

The request carries only these digests, grouped under references that mean something only to
the requester, and its metadata. The receiving FIU computes the same digests over its own
subjects and finds the matches; nothing is learnt about a subject that does not match, on
either side. Why keyed: names and birth years are few enough to hash every plausible pair (a
census of surnames times a century of years), so a plain sha256 of them is a dictionary away
from the names themselves; without the key, the digests are random strings.

What does leak, and is accepted: the number of subjects asked about and the number of digests
each carries (padded with random digests to a multiple of PAD_TO, so only a rough size shows),
and, to the receiver, which of its subjects matched which reference (that is the point). The
receiver answers, after a four-eyes decision, with the details of the matching subjects only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from finmon.errors import InputError
from finmon.fiu.records import Identifier, IdentifierKind, MentionKind
from finmon.model import Schema
from finmon.names import NameToken, TokenKind, analyse_name
from finmon.names.keys import skeleton
from finmon.names.parts import STRUCTURAL

REQUEST_FORMAT = "finmon-fiu-request/1"
RESPONSE_FORMAT = "finmon-fiu-response/1"
MIN_KEY_BYTES = 32
"""An exchange key shorter than 256 bits is refused: the digests are only as strong as it."""
PAD_TO = 8
"""Each subject's digests are padded with random ones to a multiple of this."""
MAX_SUBJECTS = 10_000
MAX_DIGESTS = 64
"""Per subject, padding included."""
MAX_NAMES = 20
"""Names of one subject hashed (the first ones given)."""
MAX_TEXT = 2_000
URGENCY = ("normal", "urgent", "very_urgent")
HASHED_IDENTIFIERS: frozenset[IdentifierKind] = frozenset(
    {"iin", "bin", "passport", "id_card", "account"}
)
"""Phone numbers and addresses are left out: shared by many, they would match strangers."""
MatchBasis = Literal["name_year", "name", "identifier"]
Side = Literal["ask", "hold"]

_LABEL = "finmon fiu exchange 1\n"
_KEY_CHECK = "key check"
_DIGEST = re.compile(r"^[0-9a-f]{64}$")
_REF = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_ORG_KINDS = STRUCTURAL | {TokenKind.GENERIC, TokenKind.PLACE}
# IIN and BIN are one 12-digit number space: a party's number is compared whatever it was called.
_ID_SPACE = {"iin": "kz", "bin": "kz", "passport": "passport", "id_card": "id_card"}


@dataclass(frozen=True, slots=True, kw_only=True)
class ExchangeSubject:
    """A subject of one FIU as the exchange hashes and, on a match, reveals it."""

    id: str
    kind: MentionKind
    name: str
    names: tuple[str, ...] = ()
    """Other names it is known by."""
    birth_date: dt.date | None = None
    identifiers: tuple[Identifier, ...] = ()

    def details(self) -> dict[str, Any]:
        """What an approved response reveals about it."""
        return {
            "id": self.id,
            "kind": self.kind,
            "name": self.name,
            "names": list(self.names),
            "birth_date": self.birth_date.isoformat() if self.birth_date else None,
            "identifiers": [{"kind": i.kind, "value": i.value} for i in self.identifiers],
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestMeta:
    """Who asks whom, under which reference, for what and on which legal basis."""

    requesting_fiu: str
    receiving_fiu: str
    reference: str
    purpose: str
    legal_basis: str
    urgency: str = "normal"


@dataclass(frozen=True, slots=True)
class HashedSubject:
    """One subject of a request: the requester's opaque reference and its digests."""

    ref: str
    digests: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class ExchangeRequest:
    """A request as it travels: metadata, the key's check value, hashed subjects only."""

    meta: RequestMeta
    key_check: str
    subjects: tuple[HashedSubject, ...]
    created_at: str = ""

    def document(self) -> dict[str, Any]:
        """The request as JSON."""
        m = self.meta
        return {
            "format": REQUEST_FORMAT,
            "requesting_fiu": m.requesting_fiu,
            "receiving_fiu": m.receiving_fiu,
            "reference": m.reference,
            "purpose": m.purpose,
            "legal_basis": m.legal_basis,
            "urgency": m.urgency,
            "created_at": self.created_at,
            "key_check": self.key_check,
            "subjects": [{"ref": s.ref, "digests": list(s.digests)} for s in self.subjects],
        }


@dataclass(frozen=True, slots=True)
class Match:
    """A subject of the receiver that shares digests with one reference of a request."""

    ref: str
    subject: ExchangeSubject
    basis: tuple[MatchBasis, ...]


def check_key(key: bytes, where: str) -> bytes:
    """The exchange key, refused (naming where it came from) when too short to protect names."""
    if len(key) < MIN_KEY_BYTES:
        raise InputError(
            f"{where}: an exchange key needs at least {MIN_KEY_BYTES} bytes ({len(key)} given); "
            "agree a random one with the partner FIU"
        )
    return key


def key_check(key: bytes) -> str:
    """A value both FIUs compute from the key to see they hold the same one (not the key)."""
    return _mac(key, _KEY_CHECK)[:16]


def subject_digests(
    subject: ExchangeSubject, key: bytes, side: Side = "ask"
) -> dict[str, MatchBasis]:
    """The digests of one subject, each with what it stands for: as a request carries them
    (side "ask") or as the receiver compares its own subjects with them (side "hold")."""
    found: dict[str, MatchBasis] = {}
    year = subject.birth_date.year if subject.birth_date else None
    dated = subject.kind == "person" and year is not None
    basis: MatchBasis = "name_year" if dated else "name"
    for name in (subject.name, *subject.names)[:MAX_NAMES]:
        for family, variant in _name_variants(name, subject.kind, side):
            found[_mac(key, f"{basis}\n{year if dated else ''}\n{family}\n{variant}")] = basis
    for identifier in subject.identifiers:
        space = _ID_SPACE.get(identifier.kind, identifier.kind)
        if identifier.kind in HASHED_IDENTIFIERS and identifier.value:
            value = normalise_identifier(identifier.value)
            found[_mac(key, f"id\n{space}\n{value}")] = "identifier"
    return found


def _name_variants(name: str, kind: MentionKind, side: Side) -> set[tuple[str, str]]:
    # A patronymic one document gives and another leaves out must not keep the two apart, but
    # two different patronymics must: so only one side drops it against the other's plain
    # name. The request sends its dropped keys under "d"; the receiver offers its plain keys
    # under "d" (no patronymic of its own) or its dropped keys as full ones (one of its own).
    full, dropped = name_keys(name, kind)
    found = {("f", k) for k in full}
    if side == "ask":
        found |= {("d", k) for k in dropped}
    elif dropped:
        found |= {("f", k) for k in dropped}
    elif kind == "person":
        found |= {("d", k) for k in full}
    return found


def name_keys(name: str, kind: MentionKind) -> tuple[set[str], set[str]]:
    """Order-independent keys of a name (folded keys and consonant skeletons), and of a
    person's name without its patronymic (empty when it has none); empty when the name has no
    part that says who it is."""
    tokens = tokens_of(name, kind)
    plain = [t for t in tokens if t.kind is not TokenKind.PATRONYMIC]
    dropped = _keys(plain) if kind == "person" and 2 <= len(plain) < len(tokens) else set()
    return _keys(tokens), dropped


def _keys(tokens: Sequence[NameToken]) -> set[str]:
    if not tokens:
        return set()
    return {"k:" + _joined(map(_key, tokens)), "s:" + _joined(map(_skeleton, tokens))}


def _key(token: NameToken) -> str:
    # A patronymic by the father's name it is made of: Nurlanovich, Nurlanuly and Nurlankyzy
    # are one father's (Russian and Kazakh forms), marked apart from a given name Nurlan.
    return "=" + token.stem if token.kind is TokenKind.PATRONYMIC else token.key


def _skeleton(token: NameToken) -> str:
    return "=" + skeleton(token.stem) if token.kind is TokenKind.PATRONYMIC else token.skel


def normalise_identifier(value: str) -> str:
    """An identifier as both sides hash it: NFKC, letters and digits only, upper case."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", value) if ch.isalnum()).upper()


def make_request(
    meta: RequestMeta, subjects: Sequence[ExchangeSubject], key: bytes
) -> tuple[ExchangeRequest, dict[str, str]]:
    """The request about these subjects, and each reference's subject id (kept at home)."""
    _check_meta(meta)
    if not subjects:
        raise InputError("a request names at least one subject")
    if len(subjects) > MAX_SUBJECTS:
        raise InputError(f"a request names at most {MAX_SUBJECTS} subjects ({len(subjects)})")
    hashed, refs = [], {}
    for subject in subjects:
        digests = sorted(subject_digests(subject, key))
        if not digests:
            raise InputError(f"subject {subject.id!r}: no name part nor identifier to match by")
        ref = secrets.token_hex(8)
        refs[ref] = subject.id
        hashed.append(HashedSubject(ref, _padded(digests)))
    hashed.sort(key=lambda s: s.ref)  # the file's order says nothing of the requester's
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return ExchangeRequest(
        meta=meta, key_check=key_check(key), subjects=tuple(hashed), created_at=now
    ), refs


def match_request(
    request: ExchangeRequest, subjects: Iterable[ExchangeSubject], key: bytes
) -> list[Match]:
    """The receiver's subjects that share a digest with a subject of the request."""
    if not hmac.compare_digest(request.key_check, key_check(key)):
        raise InputError(
            f"request {request.meta.reference!r}: made under another key than this one "
            "(its key check differs); use the key agreed with "
            f"{request.meta.requesting_fiu!r} for this exchange"
        )
    wanted: dict[str, list[str]] = {}
    for hashed in request.subjects:
        for digest in hashed.digests:
            wanted.setdefault(digest, []).append(hashed.ref)
    matches = []
    for subject in subjects:
        bases: dict[str, set[MatchBasis]] = {}
        for digest, basis in subject_digests(subject, key, "hold").items():
            for ref in wanted.get(digest, ()):
                bases.setdefault(ref, set()).add(basis)
        for ref, found in sorted(bases.items()):
            matches.append(Match(ref, subject, tuple(sorted(found))))
    return matches


def parse_request(document: Mapping[str, Any], where: str) -> ExchangeRequest:
    """A request read from JSON, every field checked; InputError naming the field."""
    if document.get("format") != REQUEST_FORMAT:
        raise InputError(f"{where}: format is not {REQUEST_FORMAT!r}")
    meta = RequestMeta(
        requesting_fiu=_text(document, "requesting_fiu", where, 200),
        receiving_fiu=_text(document, "receiving_fiu", where, 200),
        reference=_text(document, "reference", where, 200),
        purpose=_text(document, "purpose", where, MAX_TEXT),
        legal_basis=_text(document, "legal_basis", where, MAX_TEXT),
        urgency=_text(document, "urgency", where, 20),
    )
    _check_meta(meta, where)
    check = _text(document, "key_check", where, 16)
    subjects = document.get("subjects")
    if not isinstance(subjects, list) or not 0 < len(subjects) <= MAX_SUBJECTS:
        raise InputError(f"{where}: subjects must be a list of 1 to {MAX_SUBJECTS}")
    parsed = tuple(_hashed(s, f"{where}: subjects[{i}]") for i, s in enumerate(subjects))
    if len({s.ref for s in parsed}) != len(parsed):
        raise InputError(f"{where}: subjects: a ref is used twice")
    created = document.get("created_at", "")
    return ExchangeRequest(
        meta=meta,
        key_check=check,
        subjects=parsed,
        created_at=created if isinstance(created, str) else "",
    )


def response_document(
    meta: RequestMeta, matches: Sequence[Mapping[str, Any]], note: str, approved_at: str
) -> dict[str, Any]:
    """The answer to a request: the matching subjects' details, nothing of any other."""
    return {
        "format": RESPONSE_FORMAT,
        "requesting_fiu": meta.requesting_fiu,
        "responding_fiu": meta.receiving_fiu,
        "reference": meta.reference,
        "approved_at": approved_at,
        "note": note,
        "matches": [
            {"ref": m["ref"], "basis": list(m["basis"]), "subject": m["subject"]} for m in matches
        ],
    }


def parse_response(document: Mapping[str, Any], where: str) -> dict[str, Any]:
    """A response read from JSON, its fields checked; InputError naming the field."""
    if document.get("format") != RESPONSE_FORMAT:
        raise InputError(f"{where}: format is not {RESPONSE_FORMAT!r}")
    for name in ("requesting_fiu", "responding_fiu", "reference"):
        _text(document, name, where, 200)
    matches = document.get("matches")
    if not isinstance(matches, list) or len(matches) > MAX_SUBJECTS * 4:
        raise InputError(f"{where}: matches must be a list")
    for i, found in enumerate(matches):
        if not (isinstance(found, dict) and isinstance(found.get("subject"), dict)):
            raise InputError(f"{where}: matches[{i}] needs a subject")
        if not isinstance(found.get("ref"), str) or not _REF.match(found["ref"]):
            raise InputError(f"{where}: matches[{i}].ref is not a request reference")
    return dict(document)


def _mac(key: bytes, message: str) -> str:
    return hmac.new(key, (_LABEL + message).encode(), hashlib.sha256).hexdigest()


def _joined(keys: Iterable[str]) -> str:
    return " ".join(sorted(keys))


def _padded(digests: list[str]) -> tuple[str, ...]:
    size = min(MAX_DIGESTS, -(-len(digests) // PAD_TO) * PAD_TO)
    padding = [secrets.token_hex(32) for _ in range(size - len(digests))]
    return tuple(sorted(digests[:MAX_DIGESTS] + padding))


def _check_meta(meta: RequestMeta, where: str = "request") -> None:
    if meta.urgency not in URGENCY:
        raise InputError(f"{where}: urgency {meta.urgency!r}: use one of {', '.join(URGENCY)}")
    for name in ("requesting_fiu", "receiving_fiu", "reference", "purpose", "legal_basis"):
        value = getattr(meta, name)
        if not value.strip() or "\x00" in value:
            raise InputError(f"{where}: {name} is empty or not text")


def _text(document: Mapping[str, Any], name: str, where: str, limit: int) -> str:
    value = document.get(name)
    if not isinstance(value, str) or not value.strip() or len(value) > limit or "\x00" in value:
        raise InputError(f"{where}: {name} must be text of 1 to {limit} characters")
    return value


def _hashed(value: Any, where: str) -> HashedSubject:
    if not isinstance(value, dict):
        raise InputError(f"{where}: not an object")
    ref, digests = value.get("ref"), value.get("digests")
    if not isinstance(ref, str) or not _REF.match(ref):
        raise InputError(f"{where}.ref: 1 to 64 letters, digits, - or _")
    if not isinstance(digests, list) or not 0 < len(digests) <= MAX_DIGESTS:
        raise InputError(f"{where}.digests: a list of 1 to {MAX_DIGESTS}")
    for digest in digests:
        if not isinstance(digest, str) or not _DIGEST.match(digest):
            raise InputError(f"{where}.digests: {str(digest)[:80]!r} is not a sha256 hex digest")
    return HashedSubject(ref, tuple(digests))


def tokens_of(name: str, kind: MentionKind) -> tuple[NameToken, ...]:
    """The tokens of a name that its exchange keys are made of (for explaining a match)."""
    schema = Schema.PERSON if kind == "person" else Schema.ORGANIZATION
    wanted = STRUCTURAL if kind == "person" else _ORG_KINDS
    return tuple(t for t in analyse_name(name, schema).tokens if t.kind in wanted)
