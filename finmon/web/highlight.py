"""What the alert page shows: both sides' facts in rows, and the names with their matched parts.

Built from the alert's stored explanation (finmon.screening: the name pairs the matcher chose,
their similarity, method and weight, the unmatched parts and the other evidence) and the two
records; nothing is recomputed, so the page shows exactly why the alert was raised then.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from finmon.common.texts import enum_text
from finmon.services import readable
from finmon.services.alerts import AlertCase

Fact = tuple[str, list[str], list[str]]
"""One row of the side-by-side table: what is compared, the customer's values, the listing's."""


@dataclass(frozen=True, slots=True)
class Part:
    """One word of a name as compared: matched (with its pair's similarity) or not."""

    word: str
    similarity: float | None
    method: str | None = None
    partner: str | None = None

    @property
    def css(self) -> str:
        if self.similarity is None:
            return "miss"
        return "exact" if self.similarity >= 0.999 else "near"


@dataclass(frozen=True, slots=True)
class Contribution:
    """One feature's part in the score: a name pair, an unmatched part or other evidence."""

    feature: str
    query: str
    candidate: str
    value: float
    """Similarity of a name pair (0-1), or the effect on the score of other evidence (+/-)."""
    weight: float | None
    detail: str


@dataclass(slots=True)
class CaseView:
    """The alert page's content besides the alert's own fields."""

    facts: list[Fact] = field(default_factory=list)
    """(label key, customer's values, listed entry's values), one row per kind of fact."""
    query_parts: list[Part] = field(default_factory=list)
    candidate_parts: list[Part] = field(default_factory=list)
    query_name: str = ""
    candidate_name: str = ""
    pairs: list[Contribution] = field(default_factory=list)
    evidence: list[Contribution] = field(default_factory=list)
    unmatched_query: list[str] = field(default_factory=list)
    unmatched_candidate: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    programmes: list[str] = field(default_factory=list)
    listed_on: str | None = None
    remarks: str | None = None


def case_view(case: AlertCase, lang: str = "en") -> CaseView:
    """The side-by-side rows and the highlighted names of an alert, said in `lang`."""
    view = CaseView()
    listed = case.designation or {}
    view.facts = _facts(case, listed, lang)
    view.programmes = list(listed.get("programmes", []))
    view.listed_on = listed.get("listed_on")
    view.remarks = listed.get("remarks")

    _explained(view, case.explanation, case.alert.customer_name, case.alert.matched_name, lang)
    return view


def hit_view(hit: dict[str, Any], lang: str = "en") -> CaseView:
    """The names with their matched parts and the score's contributions of one screening hit
    (`Hit.to_dict()`), as the alert page shows them."""
    view = CaseView()
    _explained(view, hit["explanation"], hit["query_name"], hit["matched_name"], lang)
    return view


def _explained(
    view: CaseView, explanation: dict[str, Any], query: str, matched: str, lang: str
) -> None:
    _explained_name(view, explanation, query, matched, lang)
    view.evidence = []
    for e in explanation.get("evidence", []):
        feature = str(e.get("feature", ""))
        view.evidence.append(
            Contribution(
                feature=readable.feature_name(lang, feature),
                query=readable.evidence_value(lang, feature, _plain(e.get("query"))),
                candidate=readable.evidence_value(lang, feature, _plain(e.get("candidate"))),
                value=float(e.get("effect", 0.0)),
                weight=None,
                detail=readable.feature_sentence(lang, str(e.get("detail", ""))),
            )
        )


def _facts(case: AlertCase, listed: dict[str, Any], lang: str) -> list[Fact]:
    """The customer's facts beside the designation's: names, birth dates, ... accounts."""
    record = case.customer["record"] if case.customer else {}

    def gender(value: Any) -> list[str]:
        return [enum_text(lang, "gender", value)] if value else []

    def identifier(value: dict[str, Any]) -> str:
        return _identifier(value, lang)

    def both(key: str, shown: Callable[[Any], str]) -> Fact:
        return key, [shown(v) for v in record.get(key, [])], [shown(v) for v in listed.get(key, [])]

    return [
        (
            "names",
            list(record.get("names", [])),
            [_listed_name(n, lang) for n in listed.get("names", [])],
        ),
        both("birth_dates", _birth),
        both("nationalities", str),
        both("identifiers", identifier),
        ("gender", gender(record.get("gender")), gender(listed.get("gender"))),
        ("accounts", [str(a) for a in (case.customer or {}).get("accounts", [])], []),
    ]


def _explained_name(
    view: CaseView, explanation: dict[str, Any], query: str, matched: str, lang: str
) -> None:
    """The name comparison of the explanation: the names' parts, their pairs, what was left."""
    name = explanation.get("name", {})
    pairs = name.get("pairs", [])
    view.query_name = name.get("query", query)
    view.candidate_name = name.get("candidate", matched)
    compared = name.get("transliterated") or [view.query_name, view.candidate_name]
    by_query = {p["query"]: p for p in pairs}
    by_candidate = {p["candidate"]: p for p in pairs}
    view.query_parts = _parts(compared[0], by_query, "candidate", lang)
    view.candidate_parts = _parts(compared[1], by_candidate, "query", lang)
    view.pairs = [
        Contribution(
            feature="name",
            query=p["query"],
            candidate=p["candidate"],
            value=float(p["similarity"]),
            weight=float(p["weight"]) if p.get("weight") is not None else None,
            detail=enum_text(lang, "method", p.get("method", "")),
        )
        for p in pairs
    ]
    view.unmatched_query = list(name.get("unmatched_query", []))
    view.unmatched_candidate = list(name.get("unmatched_candidate", []))
    view.notes = [readable.note_sentence(lang, str(n)) for n in name.get("notes", [])]


def _parts(text: str, pairs: dict[str, dict[str, Any]], other: str, lang: str) -> list[Part]:
    parts = []
    for word in text.split():
        pair = pairs.get(word)
        if pair is None:
            parts.append(Part(word, None))
        else:
            parts.append(
                Part(
                    word,
                    float(pair["similarity"]),
                    enum_text(lang, "method", pair.get("method", "")),
                    pair[other],
                )
            )
    return parts


def _listed_name(name: dict[str, Any], lang: str) -> str:
    quality = name.get("quality")
    shown = enum_text(lang, "quality", quality)
    suffix = f" ({shown})" if quality and quality not in ("primary", "strong") else ""
    return f"{name.get('full', '')}{suffix}"


def _birth(value: dict[str, Any]) -> str:
    earliest, latest = value.get("earliest", ""), value.get("latest", "")
    text = earliest if earliest == latest else f"{earliest} .. {latest}"
    return f"~{text}" if value.get("approximate") else text


def _identifier(value: dict[str, Any], lang: str) -> str:
    country = f" ({value['country']})" if value.get("country") else ""
    kind = enum_text(lang, "idkind", value.get("kind", "")) if value.get("kind") else ""
    return f"{kind} {value.get('number', '')}{country}".strip()


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)
