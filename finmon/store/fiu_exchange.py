"""Requests between FIUs: sent and received, their digests, matches and answers, all audited.

A received request is matched against this FIU's subjects (finmon.fiu.exchange.match_request);
its answer is drafted by one person and approved by another (four-eyes by person), and only then
can it be sent. A sent request keeps which of our subjects each of its references stands for, so
the partner's answer is read back onto them. Each step is one transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finmon.errors import InputError, NotFound, WorkflowRefused
from finmon.fiu.exchange import (
    ExchangeRequest,
    Match,
    RequestMeta,
    parse_request,
    response_document,
)
from finmon.store.audit import audit_object
from finmon.store.engine import Database, default_database
from finmon.store.models import (
    FiuExchangeDigest,
    FiuExchangeMatch,
    FiuExchangeRequest,
    FiuExchangeResponse,
    utc_now,
)
from finmon.store.users import approve_draft

SENT, RECEIVED = "sent", "received"


@dataclass(frozen=True, slots=True)
class StoredRequest:
    """A request as the store holds it, with where it stands."""

    id: int
    direction: str
    status: str
    request: ExchangeRequest
    created_by: str
    created_at: dt.datetime


def record_sent(
    request: ExchangeRequest, refs: Mapping[str, str], *, actor: str, db: Database | None = None
) -> int:
    """Keep a request this FIU sends, and which subject each reference stands for; its id."""
    db = db or default_database()
    with db.write() as session:
        row = _add(session, request, SENT, "sent", actor)
        _add_digests(session, row.id, request, refs)
        audit_object(session, "fiu_request.create", row.id, actor=actor, after=_summary(row))
        return row.id


def record_received(request: ExchangeRequest, *, actor: str, db: Database | None = None) -> int:
    """Keep a request received from a partner FIU; its id. The same reference twice is
    refused."""
    db = db or default_database()
    with db.write() as session:
        row = _add(session, request, RECEIVED, "received", actor)
        _add_digests(session, row.id, request, {})
        audit_object(session, "fiu_request.receive", row.id, actor=actor, after=_summary(row))
        return row.id


def load_request(request_id: int, db: Database | None = None) -> StoredRequest:
    """A request kept in the store."""
    db = db or default_database()
    with db.read() as session:
        row = _load(session, request_id)
        return _stored(row)


def record_matches(
    request_id: int, matches: Sequence[Match], *, actor: str, db: Database | None = None
) -> int:
    """Keep the matches of a received request (replacing any earlier ones); their number."""
    db = db or default_database()
    with db.write() as session:
        row = _load(session, request_id, RECEIVED)
        if row.status not in ("received", "matched"):
            raise WorkflowRefused(f"request {request_id} is {row.status}: matched already")
        for old in session.scalars(
            select(FiuExchangeMatch).where(FiuExchangeMatch.request_id == row.id)
        ):
            session.delete(old)
        now = utc_now()
        for found in matches:
            session.add(
                FiuExchangeMatch(
                    request_id=row.id,
                    subject_ref=found.ref,
                    subject_id=found.subject.id,
                    basis=list(found.basis),
                    subject=found.subject.details(),
                    found_at=now,
                )
            )
        row.status, row.matched_by, row.matched_at = "matched", actor, now
        audit_object(
            session,
            "fiu_request.match",
            row.id,
            actor=actor,
            after={
                "matches": len(matches),
                "subjects": sorted({m.subject.id for m in matches}),
                "refs": sorted({m.ref for m in matches}),
            },
        )
        return len(matches)


def draft_response(request_id: int, note: str, *, actor: str, db: Database | None = None) -> str:
    """Draft (or redraft, before approval) the answer to a matched request; its status."""
    db = db or default_database()
    with db.write() as session:
        row = _load(session, request_id, RECEIVED)
        if row.status not in ("matched", "drafted"):
            raise WorkflowRefused(
                f"request {request_id} is {row.status}: only a matched request is answered "
                "(finmon fiu request receive ... --subjects, or match)"
            )
        response = _response(session, row.id)
        if response is None:
            response = FiuExchangeResponse(request_id=row.id)
            session.add(response)
        response.status, response.note = "drafted", note
        response.drafted_by, response.drafted_at = actor, utc_now()
        row.status = "drafted"
        audit_object(
            session,
            "fiu_request.draft",
            row.id,
            actor=actor,
            after={"status": "drafted", "matches": len(_matches(session, row.id))},
            reason=note or None,
        )
        return row.status


def approve_response(request_id: int, *, actor: str, db: Database | None = None) -> str:
    """A second person approves the drafted answer: it is fixed and may be sent; its status."""
    db = db or default_database()
    with db.write() as session:
        row = _load(session, request_id, RECEIVED)
        response = _response(session, row.id)
        if row.status != "drafted" or response is None:
            raise WorkflowRefused(f"request {request_id} is {row.status}: no draft to approve")
        found = _matches(session, row.id)
        subjects = {"subjects": sorted(m.subject_id for m in found)}
        what = f"the answer to FIU request {request_id}"
        now = approve_draft(
            session, response, "fiu_request.approve", row.id, actor=actor, what=what, after=subjects
        )
        matches = [{"ref": m.subject_ref, "basis": m.basis, "subject": m.subject} for m in found]
        meta = parse_request(row.document, f"request {row.id}").meta
        response.document = response_document(
            meta, matches, response.note, now.isoformat(timespec="seconds")
        )
        row.status = "approved"
        return row.status


def answer(request_id: int, *, actor: str, db: Database | None = None) -> dict[str, Any]:
    """The approved answer, to send; every time it is taken is audited."""
    db = db or default_database()
    with db.write() as session:
        row = _load(session, request_id, RECEIVED)
        response = _response(session, row.id)
        if response is None or response.document is None:
            raise WorkflowRefused(
                f"request {request_id} is {row.status}: its answer needs a draft and a second "
                "person's approval first"
            )
        row.status = response.status = "answered"
        response.answered_by, response.answered_at = actor, utc_now()
        audit_object(
            session,
            "fiu_request.answer",
            row.id,
            actor=actor,
            after={"to": row.requesting_fiu, "subjects": len(response.document["matches"])},
        )
        return dict(response.document)


def record_response(
    document: Mapping[str, Any], *, actor: str, db: Database | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """Read a partner's answer onto the request we sent: its id, and each match with our own
    subject it is about."""
    db = db or default_database()
    with db.write() as session:
        row = session.scalars(
            select(FiuExchangeRequest).where(
                FiuExchangeRequest.direction == SENT,
                FiuExchangeRequest.requesting_fiu == document["requesting_fiu"],
                FiuExchangeRequest.receiving_fiu == document["responding_fiu"],
                FiuExchangeRequest.reference == document["reference"],
            )
        ).first()
        if row is None:
            raise NotFound(
                f"no request {document['reference']!r} sent by {document['requesting_fiu']!r} "
                f"to {document['responding_fiu']!r}"
            )
        if _response(session, row.id) is not None:
            raise WorkflowRefused(f"request {row.id}: its answer was read already")
        ours = _refs(session, row.id)
        found = []
        now = utc_now()
        for i, match in enumerate(document["matches"]):
            if match["ref"] not in ours:
                raise InputError(f"response: matches[{i}].ref is no subject of request {row.id}")
            basis = [str(b) for b in match.get("basis") or []]
            found.append({"subject_id": ours[match["ref"]], "basis": basis, **match})
            session.add(
                FiuExchangeMatch(
                    request_id=row.id,
                    subject_ref=match["ref"],
                    subject_id=ours[match["ref"]],
                    basis=basis,
                    subject=match["subject"],
                    found_at=now,
                )
            )
        session.add(
            FiuExchangeResponse(
                request_id=row.id,
                status="received",
                note=str(document.get("note") or ""),
                drafted_by=document["responding_fiu"],
                drafted_at=now,
                document=dict(document),
            )
        )
        row.status = "answered"
        audit_object(
            session,
            "fiu_request.read_response",
            row.id,
            actor=actor,
            after={"from": row.receiving_fiu, "subjects": sorted(f["subject_id"] for f in found)},
        )
        return row.id, found


def list_requests(db: Database | None = None) -> list[dict[str, Any]]:
    """Every request, sent and received, oldest first, with its counts and status."""
    db = db or default_database()
    with db.read() as session:
        rows = session.scalars(select(FiuExchangeRequest).order_by(FiuExchangeRequest.id))
        return [_listed(session, row) for row in rows]


def get_request(request_id: int, db: Database | None = None) -> dict[str, Any]:
    """One request with its matches and its answer (who drafted and approved it)."""
    db = db or default_database()
    with db.read() as session:
        row = _load(session, request_id)
        response = _response(session, row.id)
        return {
            **_listed(session, row),
            "purpose": row.purpose,
            "legal_basis": row.legal_basis,
            "matches": [
                {
                    "ref": m.subject_ref,
                    "subject_id": m.subject_id,
                    "basis": m.basis,
                    "subject": m.subject,
                }
                for m in _matches(session, row.id)
            ],
            "response": None
            if response is None
            else {
                "status": response.status,
                "note": response.note,
                "drafted_by": response.drafted_by,
                "drafted_at": _at(response.drafted_at),
                "approved_by": response.approved_by,
                "approved_at": _at(response.approved_at),
                "answered_by": response.answered_by,
                "answered_at": _at(response.answered_at),
            },
        }


def _add(
    session: Session, request: ExchangeRequest, direction: str, status: str, actor: str
) -> FiuExchangeRequest:
    meta: RequestMeta = request.meta
    same = session.scalars(
        select(FiuExchangeRequest.id).where(
            FiuExchangeRequest.direction == direction,
            FiuExchangeRequest.requesting_fiu == meta.requesting_fiu,
            FiuExchangeRequest.reference == meta.reference,
        )
    ).first()
    if same is not None:
        raise WorkflowRefused(
            f"request {meta.reference!r} of {meta.requesting_fiu!r} is {direction} already "
            f"(request {same})"
        )
    row = FiuExchangeRequest(
        **asdict(meta),
        direction=direction,
        key_check=request.key_check,
        document=request.document(),
        status=status,
        subject_count=len(request.subjects),
        digest_count=sum(len(s.digests) for s in request.subjects),
        created_by=actor,
        created_at=utc_now(),
    )
    session.add(row)
    session.flush()
    return row


def _add_digests(
    session: Session, request_id: int, request: ExchangeRequest, refs: Mapping[str, str]
) -> None:
    for subject in request.subjects:
        for digest in subject.digests:
            session.add(
                FiuExchangeDigest(
                    request_id=request_id,
                    subject_ref=subject.ref,
                    digest=digest,
                    subject_id=refs.get(subject.ref),
                )
            )


def _load(session: Session, request_id: int, direction: str | None = None) -> FiuExchangeRequest:
    row = session.get(FiuExchangeRequest, request_id)
    if row is None or (direction is not None and row.direction != direction):
        raise NotFound(f"no {direction + ' ' if direction else ''}FIU request {request_id}")
    return row


def _response(session: Session, request_id: int) -> FiuExchangeResponse | None:
    return session.scalars(
        select(FiuExchangeResponse).where(FiuExchangeResponse.request_id == request_id)
    ).first()


def _matches(session: Session, request_id: int) -> list[FiuExchangeMatch]:
    return list(
        session.scalars(
            select(FiuExchangeMatch)
            .where(FiuExchangeMatch.request_id == request_id)
            .order_by(FiuExchangeMatch.id)
        )
    )


def _refs(session: Session, request_id: int) -> dict[str, str]:
    found = session.execute(
        select(FiuExchangeDigest.subject_ref, FiuExchangeDigest.subject_id)
        .where(FiuExchangeDigest.request_id == request_id)
        .distinct()
    )
    return {ref: subject for ref, subject in found if subject is not None}


def _stored(row: FiuExchangeRequest) -> StoredRequest:
    request = parse_request(row.document, f"request {row.id}")
    return StoredRequest(row.id, row.direction, row.status, request, row.created_by, row.created_at)


def _summary(row: FiuExchangeRequest) -> dict[str, Any]:
    return {
        "direction": row.direction,
        "requesting_fiu": row.requesting_fiu,
        "receiving_fiu": row.receiving_fiu,
        "reference": row.reference,
        "purpose": row.purpose,
        "legal_basis": row.legal_basis,
        "urgency": row.urgency,
        "subjects": row.subject_count,
        "digests": row.digest_count,
    }


def _listed(session: Session, row: FiuExchangeRequest) -> dict[str, Any]:
    return {
        "request_id": row.id,
        "direction": row.direction,
        "status": row.status,
        "requesting_fiu": row.requesting_fiu,
        "receiving_fiu": row.receiving_fiu,
        "reference": row.reference,
        "urgency": row.urgency,
        "subjects": row.subject_count,
        "matches": len(_matches(session, row.id)),
        "created_by": row.created_by,
        "created_at": _at(row.created_at),
    }


def _at(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value is not None else None
