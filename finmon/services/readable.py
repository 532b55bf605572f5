"""Stored evidence as people read it, in English, Russian or Kazakh: the sentences and tables the
web pages and the CLI's readable output show, from the JSON the store keeps.

Nothing is recomputed. The screening features stored their detail as an English sentence (alerts
raised by earlier versions too), so each known sentence is read back by its pattern and said
again from the texts table; a sentence no pattern knows is shown as stored. Monitoring evidence,
audit rows and case findings are dicts of known keys, each named from the table.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from finmon.common.localtime import shown
from finmon.common.texts import enum_text, has_text, text


def _patterns(*table: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """A table of (regular expression, text key) with each expression compiled once."""
    return tuple((re.compile(pattern), key) for pattern, key in table)


_DETAILS = _patterns(
    (r"same birth date$", "detail_same_birth_date"),
    (r"birth date within the listed date or range$", "detail_birth_in_range"),
    (r"day and month swapped$", "detail_day_month_swapped"),
    (r"birth dates (\d+) days apart$", "detail_birth_days_apart"),
    (r"birth dates (\d+) years apart$", "detail_birth_years_apart"),
    (r"nationality shared$", "detail_nationality_shared"),
    (r"no nationality shared$", "detail_no_nationality_shared"),
    (r"different gender$", "detail_different_gender"),
    (r"different kind of party$", "detail_different_kind"),
    (
        r"different kind of party \(the name looks like an? (\w+)'s\)$",
        "detail_different_kind_guess",
    ),
    (r"different kind of party \(a birth date is a person's\)$", "detail_different_kind_dated"),
    (r"same (\w+) number$", "detail_same_number"),
    (r"different national ID$", "detail_different_national_id"),
    (r"common name: (\d+) bits of evidence in the parts that matched$", "detail_common_name"),
)
"""The screening features' detail sentences (finmon.screening.features) and their texts."""
_DETAIL_VALUES = {"detail_different_kind_guess": "schema", "detail_same_number": "idkind"}
"""Details whose value is itself a closed set's value, named in the reader's language."""
_NOTES = {
    "only one name part matched": "note_only_one_part",
    "patronymics differ": "note_patronymics_differ",
    "family names differ": "note_family_names_differ",
    "legal forms differ": "note_legal_forms_differ",
    "name parts differ": "note_name_parts_differ",
    "an initial disagrees": "note_initial_disagrees",
    "a number on one side only": "note_number_one_side",
}
"""The name comparison's notes (finmon.screening.namescore) and their texts."""
_MISSING = {"name", "account", "identification"}
"""What a payment can lack under FATF R.16 (finmon.transactions.wire)."""
_ORIGIN = re.compile(r"^(freeze|alerts?) ([\d, ]+) \((.*)\)$")
"""Where a listed party is known from (finmon.store.listed_parties)."""
_BASIS = _patterns(
    (r"cross-border \((\w+) -> (\w+)\)", "basis_cross_border"),
    (r"domestic \((\w+)\)", "basis_domestic"),
    (r"checked as cross-border \(the countries of both sides are not known\)", "basis_unknown"),
    (r", checked as above the threshold \(no rate for (\w+)\)", "basis_no_rate"),
    (r", rates of ([\w:.+-]+)", "basis_rates_of"),
)
"""The parts of an R.16 check's basis (finmon.transactions.wire) and their texts."""
_PROBLEMS = {
    "the name is empty": "prob_name_empty",
    "is not a kind of party finmon knows (person, company, organization ...)": "prob_not_schema",
    "is not a gender finmon knows": "prob_not_gender",
    "is not a date that can be read without guessing (write YYYY-MM-DD, DD.MM.YYYY, YYYY-MM or a "
    "year YYYY)": "prob_not_date",
    "is not a country finmon knows": "prob_not_country",
    "is not a valid IIN/BIN (12 digits ending in the right check digit)": "prob_not_iin",
    "row skipped": "pact_row_skipped",
    "kind of party left unknown": "pact_schema_unknown",
    "gender left out": "pact_gender_out",
    "birth date left out": "pact_birth_out",
    "country left out": "pact_country_out",
    "IIN/BIN left out": "pact_iin_out",
}
"""A customer file's problems and what was done (finmon.screening.rows), each a closed set."""
_PLACE = re.compile(r"^(line|row) (\d+)$")
_HIT_ROWS = ("side", "query_name", "list", "reference", "designation_name", "list_version")
"""What a payment's hit on a listed party shows as rows; its explanation is said in sentences."""
_SUMMED = {"count", "sum", "distinct_counterparties"}


@dataclass(slots=True)
class Readable:
    """A stored finding as people read it: sentences, then (label, value) rows."""

    sentences: list[str] = field(default_factory=list)
    rows: list[tuple[str, str]] = field(default_factory=list)


def feature_sentence(lang: str, detail: str) -> str:
    """A screening feature's stored detail in the reader's language (as stored if unknown)."""
    for pattern, key in _DETAILS:
        found = pattern.match(detail.strip())
        if found:
            values = [
                enum_text(lang, _DETAIL_VALUES[key], value) if key in _DETAIL_VALUES else value
                for value in found.groups()
            ]
            return text(lang, key, *values)
    return detail


def note_sentence(lang: str, note: str) -> str:
    """A name comparison's note in the reader's language (as stored if unknown)."""
    key = _NOTES.get(note.strip())
    return text(lang, key) if key else note


def feature_name(lang: str, feature: str) -> str:
    """A screening feature (birth_date, nationality ...) named in the reader's language."""
    return enum_text(lang, "feature", feature)


def evidence_value(lang: str, feature: str, value: str) -> str:
    """One side's value of a feature: a kind of party or a gender named, others as stored."""
    if feature == "schema":
        return enum_text(lang, "schema", value)
    if feature == "gender":
        return enum_text(lang, "gender", value)
    return value


def name_explanation(lang: str, explanation: Mapping[str, Any]) -> list[str]:
    """The name comparison of an alert's explanation as sentences: each pair of parts with how
    it matched, each part left over, each note."""
    name = explanation.get("name", {})
    sentences = [
        text(
            lang,
            "pair_sentence",
            pair.get("query", ""),
            pair.get("candidate", ""),
            enum_text(lang, "method", pair.get("method", "")),
            f"{float(pair.get('similarity', 0.0)):.2f}",
        )
        for pair in name.get("pairs", [])
    ]
    for word in [*name.get("unmatched_query", []), *name.get("unmatched_candidate", [])]:
        sentences.append(text(lang, "unmatched_sentence", word))
    sentences += [note_sentence(lang, str(note)) for note in name.get("notes", [])]
    return sentences


def alert_explanation(lang: str, score: float, explanation: Mapping[str, Any]) -> Readable:
    """A screening alert's whole explanation: the score, the name's sentences, then each other
    feature as a row (the feature, its sentence and its effect on the score)."""
    found = Readable([text(lang, "score_sentence", f"{score:.2f}")])
    found.sentences += name_explanation(lang, explanation)
    for item in explanation.get("evidence", []):
        feature = str(item.get("feature", ""))
        effect = float(item.get("effect", 0.0))
        found.rows.append(
            (
                feature_name(lang, feature),
                f"{feature_sentence(lang, str(item.get('detail', '')))} ({effect:+.2f})",
            )
        )
    return found


def monitoring_evidence(lang: str, evidence: Mapping[str, Any]) -> Readable:
    """A monitoring alert's evidence: a sentence of its count, sum and counterparties, then a
    row per other key (missing payment data said per side, listed parties with their origin, a
    payment's hit on a listed party with its name comparison in sentences)."""
    found = Readable()
    if evidence.keys() >= _SUMMED:
        found.sentences.append(
            text(
                lang,
                "ev_summary",
                evidence["count"],
                evidence["sum"],
                evidence["distinct_counterparties"],
            )
        )
    if isinstance(evidence.get("explanation"), Mapping) and "reference" in evidence:
        hit = alert_explanation(lang, float(evidence.get("score", 0.0)), evidence["explanation"])
        found.sentences += hit.sentences
        found.rows += [(label, value) for label, value in hit.rows]
        shown = [(key, evidence[key]) for key in _HIT_ROWS if key in evidence]
    else:
        shown = [(k, v) for k, v in evidence.items() if not (k in _SUMMED and found.sentences)]
    for key, value in shown:
        if key == "missing" and isinstance(value, list):
            for gap in value:
                found.rows.append((text(lang, "ev_missing"), _missing(lang, gap)))
        elif key == "listed" and isinstance(value, Mapping):
            for party, origins in value.items():
                where = "; ".join(origin_text(lang, str(o)) for o in origins)
                found.rows.append((text(lang, "ev_listed"), f"{party}: {where}"))
        elif key == "role":
            found.rows.append((text(lang, "ev_role"), enum_text(lang, "evrole", value)))
        elif key == "side":
            found.rows.append((text(lang, "ev_side"), enum_text(lang, "side", value)))
        elif key == "basis":
            found.rows.append((text(lang, "ev_basis"), basis_text(lang, str(value))))
        else:
            label = text(lang, f"ev_{key}") if has_text(f"ev_{key}") else key
            found.rows.append((label, plain(value)))
    return found


def basis_text(lang: str, basis: str) -> str:
    """An R.16 check's basis ('cross-border (KZ -> RU), 300.00 USD = ...') in the reader's
    language: each known part said again, amounts and codes as they are."""
    for pattern, key in _BASIS:
        basis = pattern.sub(functools.partial(_basis_part, lang, key), basis)
    return basis.replace(">=", "≥")


def _basis_part(lang: str, key: str, found: re.Match[str]) -> str:
    said = text(lang, key, *found.groups())
    return f", {said}" if found.group(0).startswith(",") else said


def _missing(lang: str, gap: Any) -> str:
    if not isinstance(gap, Mapping):
        return plain(gap)
    what = str(gap.get("what", ""))
    said = text(lang, f"missing_{what}") if what in _MISSING else str(gap.get("detail", ""))
    return f"{enum_text(lang, 'side', gap.get('side', ''))}: {said}"


def origin_text(lang: str, origin: str) -> str:
    """Where a listed party is known from ('freeze 3 (un QDi.905)') in the reader's language."""
    found = _ORIGIN.match(origin)
    if not found:
        return origin
    kind, numbers, designation = found.groups()
    label = text(lang, "freeze") if kind == "freeze" else text(lang, "alerts")
    return f"{label} #{numbers} ({designation})"


def problem_text(lang: str, problem: str) -> str:
    """A customer file's problem, or what was done about it, in the reader's language (as
    stored when finmon has no text for it: a name refused by its limits says why itself)."""
    key = _PROBLEMS.get(problem.strip())
    return text(lang, key) if key else problem


def place_text(lang: str, place: str) -> str:
    """A problem's place in its file ('line 7', 'row 7') in the reader's language."""
    found = _PLACE.match(place.strip())
    return text(lang, f"place_{found.group(1)}", found.group(2)) if found else place


def action_text(lang: str, action: str) -> str:
    """An audit row's action said in the reader's language (the code itself if unknown)."""
    key = f"act_{action}"
    return text(lang, key) if has_text(key) else action


def field_name(lang: str, name: str) -> str:
    """A field of an audit row's before/after named in the reader's language (else as stored)."""
    key = f"field_{name}"
    return text(lang, key) if has_text(key) else name


def audit_changes(
    lang: str, before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> list[tuple[str, str, str]]:
    """An audit row's change as (field, before, after) rows, fields in the order first seen."""
    before, after = before or {}, after or {}
    names = list(dict.fromkeys([*before, *after]))

    def value(name: str, found: Mapping[str, Any]) -> str:
        if name not in found:
            return ""
        if name in ("status", "decision") and isinstance(found[name], str):
            return enum_text(lang, "status", found[name])
        if name == "action" and found[name] in ("report", "close"):
            return text(lang, f"case_{found[name]}")  # a case's proposed outcome
        return plain(found[name])

    return [(field_name(lang, name), value(name, before), value(name, after)) for name in names]


def typology_text(lang: str, typology: str) -> str:
    """A shipped rule pack's typology in the reader's language (a pack's own as it wrote it)."""
    key = "typ_" + re.sub(r"[^a-z0-9]+", "_", typology.lower()).strip("_")
    return text(lang, key) if has_text(key) else typology


def plain(value: Any) -> str:
    """A stored value as text: lists joined, mappings as key: value, numbers as written."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list | tuple):
        return ", ".join(plain(v) for v in value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {plain(v)}" for k, v in value.items())
    return str(value)


def raw(value: Any) -> str:
    """The stored JSON itself, indented, for the one click away from the readable form."""
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True, default=str)


def alert_lines(lang: str, case: Mapping[str, Any], zone: dt.tzinfo) -> list[str]:
    """An alert as `finmon alerts show` prints it: the alert, both sides, why it matched, its
    decisions (times in the zone)."""
    alert = case["alert"]
    lines = [
        f"{text(lang, 'alert')} #{alert['alert_id']} · "
        f"{enum_text(lang, 'status', alert['status'])} · {text(lang, 'score')} "
        f"{float(alert['score']):.2f}",
        f"{text(lang, 'customer')}: {alert['customer_name']} ({alert['customer_id']})",
        f"{text(lang, 'designation')}: {alert.get('designation_name', '')} "
        f"({alert['list']} {alert['reference']}, {text(lang, 'list_version')} "
        f"{alert['list_version']})",
        f"{text(lang, 'created')}: {shown(alert['created_at'], zone)} · "
        f"{text(lang, 'trigger')}: {enum_text(lang, 'trigger', alert['trigger'])}",
        "",
        f"{text(lang, 'why')}:",
    ]
    explained = alert_explanation(lang, float(alert["score"]), case.get("explanation") or {})
    lines += [f"  {sentence}" for sentence in explained.sentences]
    lines += [f"  {label}: {value}" for label, value in explained.rows]
    decisions: Sequence[Mapping[str, Any]] = case.get("decisions") or []
    if decisions:
        lines += ["", f"{text(lang, 'decisions')}:"]
        for d in decisions:
            verdict = enum_text(lang, "status", d["decision"])
            if d["decision"] == "escalate":
                verdict = text(lang, "escalate")
            reason = f" · {d['reason']}" if d.get("reason") else ""
            lines.append(f"  {shown(d['at'], zone)} · {d['actor']} · {verdict}{reason}")
    if case.get("freeze_id"):
        lines += ["", f"{text(lang, 'freeze')} #{case['freeze_id']}"]
    return lines


def compare_lines(lang: str, name1: str, name2: str, document: Mapping[str, Any]) -> list[str]:
    """`finmon compare NAME1 NAME2` as sentences: the score, whether it reaches the threshold,
    then each pair of parts, each part left over and each note."""
    score = float(document.get("score", 0.0))
    verdict = text(lang, "compare_match" if document.get("match") else "compare_no_match")
    lines = [f"{name1} ↔ {name2}", f"{text(lang, 'score')}: {score:.4f} ({verdict})"]
    explanation = document.get("explanation") or {}
    lines += [f"  {s}" for s in name_explanation(lang, {"name": explanation})]
    return lines
