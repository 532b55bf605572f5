"""Subjects across the FIU's reports: resolved on demand from the stored mentions and the
analysts' judgements, which are kept, audited and reversible (docs/fiu.md).

Every function takes the acting name and asks `authorize` first: reading subjects is FIU_READ,
judging and reversing a judgement FIU_RESOLVE.
"""

from __future__ import annotations

from dataclasses import dataclass

from finmon.errors import NotFound
from finmon.fiu.network import LinkGraph
from finmon.fiu.records import SUBJECT_COLUMNS
from finmon.fiu.resolve import Link, Resolution, Subject, resolve
from finmon.services.access import authorize
from finmon.store import Database, fiu_reports
from finmon.store import fiu_subjects as store
from finmon.store.audit import record_view
from finmon.store.fiu_subjects import VERDICTS, JudgementRow
from finmon.workflow.access import Action

__all__ = ["SUBJECT_COLUMNS", "VERDICTS", "JudgementRow", "SubjectView"]


@dataclass(frozen=True, slots=True)
class SubjectView:
    """One subject with the links that hold it together and the judgements on its mentions."""

    subject: Subject
    links: list[Link]
    judgements: list[JudgementRow]


def subjects(actor: str, db: Database | None = None) -> Resolution:
    """Every subject, resolved now from the stored mentions and the judgements in force."""
    authorize(actor, Action.FIU_READ, db)
    return _resolve(db)


def subject(actor: str, subject_id: str, db: Database | None = None) -> SubjectView:
    """One subject (by its id, or the id of one of its mentions) with its links and judgements;
    the reading is audited."""
    who = authorize(actor, Action.FIU_READ, db)
    resolution = _resolve(db)
    found = _find(resolution, subject_id)
    record_view(who.name, "fiu.subject_viewed", f"fiu_subject:{found.subject_id}", db)
    mine = set(found.mentions)
    links = [link for link in resolution.links if link.a in mine or link.b in mine]
    judged = [
        row
        for row in store.judgements(in_force=False, db=db)
        if row.a_mention in mine or row.b_mention in mine
    ]
    return SubjectView(found, links, judged)


def link_graph(actor: str, db: Database | None = None) -> LinkGraph:
    """The subjects, their accounts and reports and the money between them, as one graph
    (finmon.fiu.network) over the current reports."""
    authorize(actor, Action.FIU_READ, db)
    resolution = _resolve(db)
    names = {found.subject_id: found.name for found in resolution.subjects}
    return LinkGraph(
        fiu_reports.current_mentions(db),
        fiu_reports.current_transfers(db),
        resolution.subject_of,
        names,
    )


def subject_rows(resolution: Resolution) -> list[dict[str, object]]:
    """The subjects as rows in SUBJECT_COLUMNS (lists joined by the writers)."""
    return [
        {
            "subject_id": s.subject_id,
            "kind": s.kind,
            "name": s.name,
            "names": list(s.names),
            "identifiers": [f"{i.kind}:{i.value}" for i in s.identifiers],
            "reports": list(s.reports),
            "entities": list(s.entities),
            "first_seen": s.first_seen.isoformat() if s.first_seen else "",
            "last_seen": s.last_seen.isoformat() if s.last_seen else "",
        }
        for s in resolution.subjects
    ]


def judge(
    actor: str, a: str, b: str, verdict: str, reason: str, db: Database | None = None
) -> JudgementRow:
    """Judge two mentions or subjects the same, not the same, or unsure; a subject is judged
    through its smallest mention, which the judgement records beside the id given."""
    who = authorize(actor, Action.FIU_RESOLVE, db)
    pair = (_mention_of(a, db), _mention_of(b, db))
    return store.record_judgement(a, b, pair, verdict, reason=reason, actor=who.name, db=db)


def unjudge(actor: str, judgement_id: int, reason: str, db: Database | None = None) -> JudgementRow:
    """Reverse a judgement; later resolutions no longer follow it."""
    who = authorize(actor, Action.FIU_RESOLVE, db)
    return store.reverse_judgement(judgement_id, reason=reason, actor=who.name, db=db)


def judgements(actor: str, every: bool = False, db: Database | None = None) -> list[JudgementRow]:
    """Judgements in force (every: reversed ones too), oldest first."""
    authorize(actor, Action.FIU_READ, db)
    return store.judgements(in_force=not every, db=db)


def _resolve(db: Database | None) -> Resolution:
    rows = store.judgements(in_force=True, db=db)
    return resolve(store.mentions(db), [row.judgement() for row in rows])


def _find(resolution: Resolution, wanted: str) -> Subject:
    subject_id = resolution.subject_of.get(wanted, wanted)
    for found in resolution.subjects:
        if found.subject_id == subject_id:
            return found
    raise NotFound(f"subject {wanted!r}: no such subject or mention")


def _mention_of(wanted: str, db: Database | None) -> str:
    if store.has_mention(wanted, db):
        return wanted
    if wanted.startswith("S-"):
        return _find(_resolve(db), wanted).mentions[0]
    raise NotFound(f"{wanted!r}: no such mention or subject")
