"""Requests between FIUs (Egmont style), matched on keyed hashes: each step authorised first.

The subjects a request is made of are passed in (`ExchangeSubject`s: from a subjects CSV at the
command line). A received request is matched against subjects passed in the same way or, when
none are, against the FIU's own subjects as entity resolution finds them in the stored reports
(`own_subjects`). The exchange key comes from the caller or from FINMON_FIU_EXCHANGE_KEY_FILE.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from finmon.errors import InputError
from finmon.fiu.exchange import (
    ExchangeSubject,
    RequestMeta,
    check_key,
    make_request,
    match_request,
    parse_request,
    parse_response,
)
from finmon.fiu.resolve import resolve
from finmon.services.access import authorize
from finmon.settings import load_settings
from finmon.store import Database, fiu_subjects
from finmon.store import fiu_exchange as store
from finmon.store.audit import record_view
from finmon.workflow.access import Action

MAX_KEY_FILE = 4096


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
    """Keep a partner's request and, given the key, match it against the subjects given or
    (none given) the FIU's own; its id and the number of matches (None when not matched)."""
    who = authorize(actor, Action.FIU_INTAKE, db)
    request = parse_request(document, "request")
    matches = None
    if subjects is not None and key is None:
        raise InputError("matching needs the exchange key as well as the subjects")
    if key is not None:
        checked = check_key(key, "exchange key")
        held = own_subjects(db) if subjects is None else subjects
        # Matched before anything is kept: a wrong key stores nothing.
        matches = match_request(request, held, checked)
    request_id = store.record_received(request, actor=who.name, db=db)
    if matches is None:
        return request_id, None
    return request_id, store.record_matches(request_id, matches, actor=who.name, db=db)


def match(
    actor: str,
    request_id: int,
    subjects: Sequence[ExchangeSubject] | None,
    key: bytes,
    db: Database | None = None,
) -> int:
    """Match a received request against the subjects given or (None) the FIU's own resolved
    subjects; the number of matches."""
    who = authorize(actor, Action.FIU_INTAKE, db)
    stored = store.load_request(request_id, db)
    checked = check_key(key, "exchange key")
    held = own_subjects(db) if subjects is None else subjects
    found = match_request(stored.request, held, checked)
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
    """One request with its matches and answer; the reading is audited."""
    who = authorize(actor, Action.FIU_READ, db)
    found = store.get_request(request_id, db)
    record_view(who.name, "fiu_request.viewed", f"fiu_request:{request_id}", db)
    return found


def own_subjects(db: Database | None = None) -> list[ExchangeSubject]:
    """The FIU's subjects as resolution finds them in the current reports (the judgements in
    force followed), each person with the birth date most of its mentions give."""
    mentions = fiu_subjects.mentions(db)
    judged = [row.judgement() for row in fiu_subjects.judgements(in_force=True, db=db)]
    resolution = resolve(mentions, judged)
    born: dict[str, Counter[dt.date]] = defaultdict(Counter)
    for mention in mentions:
        if mention.birth_date is not None:
            born[resolution.subject_of[mention.id]][mention.birth_date] += 1
    return [
        ExchangeSubject(
            id=found.subject_id,
            kind=found.kind,
            name=found.name,
            names=tuple(name for name in found.names if name != found.name),
            birth_date=_most_given(born.get(found.subject_id)),
            identifiers=found.identifiers,
        )
        for found in resolution.subjects
    ]


def configured_key() -> bytes | None:
    """The exchange key from FINMON_FIU_EXCHANGE_KEY_FILE, or None when it is not set."""
    path = load_settings().fiu_exchange_key_file
    return None if path is None else read_key(path)


def read_key(path: Path) -> bytes:
    """An exchange key file's key (surrounding white space dropped), bounded in size."""
    try:
        if path.stat().st_size > MAX_KEY_FILE:
            raise InputError(f"{path}: an exchange key file holds at most {MAX_KEY_FILE} bytes")
        return path.read_bytes().strip()
    except OSError as error:
        raise InputError(f"{path}: the exchange key file cannot be read ({error})") from None


def _most_given(dates: Counter[dt.date] | None) -> dt.date | None:
    """The date most mentions give; of equally many, the earliest."""
    if not dates:
        return None
    return min(dates, key=lambda date: (-dates[date], date))
