"""The FIU's mentions and the analysts' judgements on subjects: persistence only.

`mentions` is what entity resolution reads (the mentions intake stored with each report,
finmon.store.fiu_reports); `record_judgement` and
`reverse_judgement` keep every judgement with who, when and why, audited in the same transaction,
and a reversed judgement stays in the table with who reversed it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, cast, get_args

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from finmon.errors import InputError, NotFound, WorkflowRefused
from finmon.fiu.records import Mention
from finmon.fiu.resolve import Judgement, Verdict
from finmon.store.audit import append_audit
from finmon.store.engine import Database, default_database
from finmon.store.fiu_reports import current_mentions
from finmon.store.models import FiuJudgement, FiuMention, utc_now

VERDICTS: tuple[str, ...] = get_args(Verdict)
MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class JudgementRow:
    """One stored judgement, in force or reversed."""

    id: int
    a: str
    b: str
    a_mention: str
    b_mention: str
    verdict: str
    reason: str
    judged_by: str
    judged_at: dt.datetime
    reversed_by: str | None
    reversed_at: dt.datetime | None
    reverse_reason: str | None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return asdict(self)

    def judgement(self) -> Judgement:
        """The judgement as resolution reads it (on mentions)."""
        return Judgement(a=self.a_mention, b=self.b_mention, verdict=cast(Verdict, self.verdict))


def mentions(db: Database | None = None) -> list[Mention]:
    """Every mention of the current version of each accepted report (intake stores them)."""
    return current_mentions(db)


def has_mention(mention_id: str, db: Database | None = None) -> bool:
    """True when a mention with this id is stored."""
    db = db or default_database()
    with db.read() as session:
        return _stored(session, mention_id)


def _stored(session: Session, mention_id: str) -> bool:
    found = session.scalar(select(FiuMention.id).where(FiuMention.mention_id == mention_id))
    return found is not None


def judgements(in_force: bool = True, db: Database | None = None) -> list[JudgementRow]:
    """Judgements oldest first: those in force, or (in_force False) all, reversed ones too."""
    db = db or default_database()
    query = select(FiuJudgement).order_by(FiuJudgement.id)
    if in_force:
        query = query.where(FiuJudgement.reversed_at.is_(None))
    with db.read() as session:
        return [_judgement(row) for row in session.scalars(query)]


def record_judgement(
    a: str,
    b: str,
    mentions_judged: tuple[str, str],
    verdict: str,
    *,
    reason: str,
    actor: str,
    db: Database | None = None,
) -> JudgementRow:
    """Keep a judgement on two mentions (named as `a` and `b`); one in force on the same pair is
    reversed by it. Audited in the same transaction."""
    if verdict not in VERDICTS:
        raise InputError(f"judgement {verdict!r}: use one of {', '.join(VERDICTS)}")
    reason = _reason(reason)
    first, second = mentions_judged
    if first == second:
        raise InputError(f"judgement: {a} and {b} are one mention ({first}); nothing to judge")
    db = db or default_database()
    with db.write() as session:
        for mention_id in (first, second):
            if not _stored(session, mention_id):
                raise NotFound(f"mention {mention_id!r}: no such mention")
        now = utc_now()
        for earlier in _in_force_on(session, first, second):
            earlier.reversed_by, earlier.reversed_at = actor, now
            earlier.reverse_reason = "replaced by a later judgement"
        row = FiuJudgement(
            a=a, b=b, a_mention=first, b_mention=second, verdict=verdict, reason=reason,
            judged_by=actor, judged_at=now,
        )  # fmt: skip
        session.add(row)
        session.flush()
        after = _judgement(row).to_dict()
        append_audit(
            session, actor=actor, action="fiu.judge", object=f"fiu_judgement:{row.id}",
            after=after, reason=reason,
        )  # fmt: skip
        return _judgement(row)


def reverse_judgement(
    judgement_id: int, *, reason: str, actor: str, db: Database | None = None
) -> JudgementRow:
    """Reverse a judgement in force (it stays, marked reversed); audited."""
    reason = _reason(reason)
    db = db or default_database()
    with db.write() as session:
        row = session.get(FiuJudgement, judgement_id)
        if row is None:
            raise NotFound(f"judgement {judgement_id}: no such judgement")
        if row.reversed_at is not None:
            raise WorkflowRefused(
                f"judgement {judgement_id}: already reversed by {row.reversed_by} "
                f"at {row.reversed_at:%Y-%m-%d %H:%M} UTC"
            )
        before = _judgement(row).to_dict()
        row.reversed_by, row.reversed_at, row.reverse_reason = actor, utc_now(), reason
        append_audit(
            session, actor=actor, action="fiu.unjudge", object=f"fiu_judgement:{row.id}",
            before=before, after=_judgement(row).to_dict(), reason=reason,
        )  # fmt: skip
        return _judgement(row)


def _in_force_on(session: Session, first: str, second: str) -> list[FiuJudgement]:
    pair = or_(
        (FiuJudgement.a_mention == first) & (FiuJudgement.b_mention == second),
        (FiuJudgement.a_mention == second) & (FiuJudgement.b_mention == first),
    )
    query = select(FiuJudgement).where(pair, FiuJudgement.reversed_at.is_(None))
    return list(session.scalars(query))


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise InputError("judgement: --reason is required (why the analyst decided so)")
    if len(reason) > MAX_REASON:
        raise InputError(f"judgement: reason longer than {MAX_REASON} characters")
    return reason


def _judgement(row: FiuJudgement) -> JudgementRow:
    return JudgementRow(
        id=row.id, a=row.a, b=row.b, a_mention=row.a_mention, b_mention=row.b_mention,
        verdict=row.verdict, reason=row.reason, judged_by=row.judged_by, judged_at=row.judged_at,
        reversed_by=row.reversed_by, reversed_at=row.reversed_at,
        reverse_reason=row.reverse_reason,
    )  # fmt: skip
