"""Requests between FIUs (Egmont style), matched on keyed hashes: each step authorised first.

The subjects a request is made of, or matched against, are passed in (`ExchangeSubject`s: from
a subjects CSV at the command line). Once entity resolution keeps the FIU's subjects in the
store, `match` and `receive` can take them from there instead: that is the one seam to wire.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from finmon.fiu.exchange import (
    ExchangeSubject,
    RequestMeta,
    check_key,
    make_request,
    match_request,
    parse_request,
    parse_response,
)
from finmon.services.access import authorize
from finmon.store import Database
from finmon.store import fiu_exchange as store
from finmon.workflow.access import Action


def create_request(
    actor: str,
    meta: RequestMeta,
    subjects: Sequence[ExchangeSubject],
    key: bytes,
    db: Database | None = None,
) -> tuple[int, dict[str, Any]]:
    """Hash the subjects into a request to a partner FIU, keep it; its id and document."""
    who = authorize(actor, Action.FIU_DISSEMINATE, db)
    request, refs = make_request(meta, subjects, check_key(key, "exchange key"))
    request_id = store.record_sent(request, refs, actor=who.name, db=db)
    return request_id, request.document()


def receive_request(
    actor: str,
    document: Mapping[str, Any],
    db: Database | None = None,
    *,
    subjects: Sequence[ExchangeSubject] | None = None,
    key: bytes | None = None,
) -> tuple[int, int | None]:
    """Keep a partner's request and, given our subjects and the key, match it; its id and the
    number of matches (None when not matched yet)."""
    who = authorize(actor, Action.FIU_INTAKE, db)
    request = parse_request(document, "request")
    matches = None
    if subjects is not None and key is not None:
        # Matched before anything is kept: a wrong key stores nothing.
        matches = match_request(request, subjects, check_key(key, "exchange key"))
    request_id = store.record_received(request, actor=who.name, db=db)
    if matches is None:
        return request_id, None
    return request_id, store.record_matches(request_id, matches, actor=who.name, db=db)


def match(
    actor: str,
    request_id: int,
    subjects: Sequence[ExchangeSubject],
    key: bytes,
    db: Database | None = None,
) -> int:
    """Match a received request against our subjects; the number of matches."""
    who = authorize(actor, Action.FIU_INTAKE, db)
    stored = store.load_request(request_id, db)
    found = match_request(stored.request, subjects, check_key(key, "exchange key"))
    return store.record_matches(request_id, found, actor=who.name, db=db)


def draft_response(actor: str, request_id: int, note: str = "", db: Database | None = None) -> str:
    """Draft the answer to a matched request (the matching subjects only); its status."""
    who = authorize(actor, Action.FIU_DISSEMINATE, db)
    return store.draft_response(request_id, note, actor=who.name, db=db)


def approve_response(actor: str, request_id: int, db: Database | None = None) -> str:
    """Approve a drafted answer as the second person; its status."""
    who = authorize(actor, Action.FIU_APPROVE, db)
    return store.approve_response(request_id, actor=who.name, db=db)


def answer(actor: str, request_id: int, db: Database | None = None) -> dict[str, Any]:
    """The approved answer, to send to the requesting FIU."""
    who = authorize(actor, Action.FIU_DISSEMINATE, db)
    return store.answer(request_id, actor=who.name, db=db)


def read_response(
    actor: str, document: Mapping[str, Any], db: Database | None = None
) -> tuple[int, list[dict[str, Any]]]:
    """Read a partner's answer onto our request; the request's id and the matches, each with
    the subject of ours it is about."""
    who = authorize(actor, Action.FIU_INTAKE, db)
    checked = parse_response(document, "response")
    return store.record_response(checked, actor=who.name, db=db)


def list_requests(actor: str, db: Database | None = None) -> list[dict[str, Any]]:
    """Requests sent and received, oldest first."""
    authorize(actor, Action.FIU_READ, db)
    return store.list_requests(db)


def get_request(actor: str, request_id: int, db: Database | None = None) -> dict[str, Any]:
    """One request with its matches and answer."""
    authorize(actor, Action.FIU_READ, db)
    return store.get_request(request_id, db)
