"""Subjects across the FIU's reports: resolved on demand from the stored mentions and the
analysts' judgements, which are kept, audited and reversible (docs/fiu.md).

Every function takes the acting name and asks `authorize` first: reading subjects is FIU_READ,
judging and reversing a judgement FIU_RESOLVE.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from finmon.errors import NotFound
from finmon.fiu.network import Graph, LinkGraph
from finmon.fiu.records import SUBJECT_COLUMNS, Mention
from finmon.fiu.resolve import Judgement, Link, Resolution, Subject, resolve
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
    mentions = store.mentions(db)
    return _graph(mentions, _resolve(db, mentions), db)


@dataclass(frozen=True, slots=True)
class SubjectNetwork:
    """A subject's network within some hops, and the money paths to another subject if asked."""

    subject: Subject
    network: Graph
    paths: list[list[str]]


def subject_network(
    actor: str,
    subject_id: str,
    hops: int = 2,
    to: str | None = None,
    db: Database | None = None,
) -> SubjectNetwork:
    """One subject's network (by its id, or one of its mentions'), resolved once with the graph
    it is drawn from; the reading is audited."""
    who = authorize(actor, Action.FIU_READ, db)
    mentions = store.mentions(db)
    resolution = _resolve(db, mentions)
    found = _find(resolution, subject_id)
    target = _find(resolution, to).subject_id if to is not None else None
    record_view(who.name, "fiu.network_viewed", f"fiu_subject:{found.subject_id}", db, hops=hops)
    graph = _graph(mentions, resolution, db)
    paths = graph.money_paths(found.subject_id, target) if target is not None else []
    return SubjectNetwork(found, graph.network(found.subject_id, hops), paths)


def _graph(mentions: list[Mention], resolution: Resolution, db: Database | None) -> LinkGraph:
    names = {found.subject_id: found.name for found in resolution.subjects}
    transfers = fiu_reports.current_transfers(db)
    return LinkGraph(mentions, transfers, resolution.subject_of, names)


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


def _resolve(db: Database | None, mentions: list[Mention] | None = None) -> Resolution:
    rows = store.judgements(in_force=True, db=db)
    found = store.mentions(db) if mentions is None else mentions
    return _LAST.resolve(found, [row.judgement() for row in rows])


class _LastResolution:
    """The last resolution and what it was made from: the pages and commands of one process ask
    for the same subjects again and again while the reports stay as they are, and resolving
    27,000 mentions takes half a minute. Keyed by the mentions and judgements themselves, so a
    new report, a replaced one or a judgement resolves afresh; one caller resolves while others
    asking for the same wait for its result instead of resolving again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._key: tuple[tuple[Mention, ...], tuple[Judgement, ...]] | None = None
        self._value: Resolution | None = None

    def resolve(self, mentions: list[Mention], judgements: list[Judgement]) -> Resolution:
        key = (tuple(mentions), tuple(judgements))
        with self._lock:
            if self._value is None or self._key != key:
                self._value = resolve(mentions, judgements)
                self._key = key
            return self._value


_LAST = _LastResolution()


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
