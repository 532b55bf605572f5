"""Requests between FIUs: a partner's request received, and the approved answer taken back
(finmon.services.fiu_exchange). The caller is the partner's gateway, holding an FIU account's
API key; the request is kept as received and matched against this FIU's resolved subjects at
once when the exchange key is configured (FINMON_FIU_EXCHANGE_KEY_FILE), else by an analyst
(`finmon fiu request match`); it is answered by two people."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from finmon.api.deps import RowId, Store, caller
from finmon.services import fiu_exchange
from finmon.services.users import Principal
from finmon.web.deps import requires
from finmon.workflow.access import Action

router = APIRouter()

FiuIntake = Annotated[Principal, Depends(requires(Action.FIU_INTAKE, caller))]
FiuDisseminate = Annotated[Principal, Depends(requires(Action.FIU_DISSEMINATE, caller))]


class Received(BaseModel):
    """A request kept: its id here, for asking for the answer later."""

    request_id: int
    status: str = Field(
        description="received: to be matched against this FIU's subjects; matched: matched at "
        "once (how many is not said: only an approved answer tells)"
    )


class Answer(BaseModel):
    """An approved answer: the matching subjects' details, nothing of any other."""

    format: str
    requesting_fiu: str
    responding_fiu: str
    reference: str
    approved_at: str
    note: str
    matches: list[dict[str, Any]] = Field(
        description="Per matching subject: the request's ref, what matched, its details"
    )


@router.post("/fiu/requests", tags=["fiu"])
def receive(body: dict[str, Any], who: FiuIntake, store: Store) -> Received:
    """Receive a partner FIU's request (finmon-fiu-request/1: keyed digests, no names); with
    the exchange key configured, match it against this FIU's subjects at once."""
    key = fiu_exchange.configured_key()
    request_id, matches = fiu_exchange.receive_request(who.name, body, store, key=key)
    # The count stays here: the partner learns what matched from the approved answer only.
    return Received(request_id=request_id, status="received" if matches is None else "matched")


@router.get("/fiu/requests/{request_id}/response", tags=["fiu"])
def response(request_id: RowId, who: FiuDisseminate, store: Store) -> Answer:
    """The approved answer to a request (refused until a second person approved it)."""
    return Answer.model_validate(fiu_exchange.answer(who.name, request_id, store))
