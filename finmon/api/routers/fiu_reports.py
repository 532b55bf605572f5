"""The FIU's intake: reporting entities registered, goAML reports received and read back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from finmon.api.deps import Store, caller
from finmon.services import fiu_intake
from finmon.services.users import Principal
from finmon.web.deps import requires
from finmon.workflow.access import Action

router = APIRouter(tags=["fiu"])

FiuRead = Annotated[Principal, Depends(requires(Action.FIU_READ, caller))]
FiuIntake = Annotated[Principal, Depends(requires(Action.FIU_INTAKE, caller))]
FiuEntities = Annotated[Principal, Depends(requires(Action.FIU_ENTITIES, caller))]


class EntityIn(BaseModel):
    """A reporting entity to register."""

    bin: str = Field(max_length=40, description="Its BIN: 12 digits with a valid check digit")
    goaml_id: int = Field(description="The rentity_id the FIU assigned it; its reports carry it")
    name: str = Field(max_length=1000)
    kind: str = Field(max_length=16, description="bank, mfo, pawnshop, mto, notary, npo or other")
    contact: str = Field("", max_length=1000)
    feed_public_key: str | None = Field(
        None,
        max_length=4000,
        description="The Ed25519 public key (PEM) its finmon signs list-feed receipts with",
    )


class Entity(BaseModel):
    """A registered reporting entity."""

    bin: str
    goaml_id: int
    name: str
    kind: str
    contact: str
    feed_key: str | None = Field(description="The key id of its registered feed key, if any")
    active: bool
    registered_at: str
    registered_by: str


class ReportHead(BaseModel):
    """What both an acknowledgement and a stored report say of the report: who sent which."""

    entity_bin: str | None
    rentity_id: int | None
    entity_reference: str | None = Field(description="The entity's own report id")
    report_code: str | None
    version: int | None = Field(description="1, then 2, 3 ... for each resubmission")
    replaces: str | None = Field(description="Key of the earlier version it replaces")


class Acknowledgement(ReportHead):
    """The FIU's answer to one report: accepted, or rejected with every reason."""

    file: str
    status: str = Field(description="accepted or rejected")
    report: str | None = Field(description="The FIU's key of the stored report")
    reasons: list[str] = Field(description="Each as 'line N: element path: message'")


class Report(ReportHead):
    """A received report, without its XML."""

    id: int
    key: str
    status: str
    replaced_by: str | None
    submission_date: str | None
    received_at: str
    received_by: str
    file_name: str
    sha256: str
    size: int
    reasons: list[str]


class IdentifierOut(BaseModel):
    kind: str = Field(description="iin, bin, passport, id_card, account, phone or address")
    value: str


class MentionOut(BaseModel):
    """A person or organisation as the report names it."""

    id: str
    report: str
    entity: str
    kind: str = Field(description="person or organisation")
    name: str
    birth_date: str | None
    nationality: str | None
    identifiers: list[IdentifierOut]
    seen: str | None


class TransferOut(BaseModel):
    """A transaction of the report, from one mention to another."""

    report: str
    number: str
    date: str
    amount: str
    source: str
    target: str


class ReportDetail(Report):
    """A received report with its records."""

    reason: str
    action: str
    indicators: list[str]
    mentions: list[MentionOut]
    transfers: list[TransferOut]


@router.post(
    "/fiu/reports",
    status_code=201,
    response_model=Acknowledgement,
    responses={422: {"model": Acknowledgement, "description": "The report is rejected"}},
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/xml": {"schema": {"type": "string"}}},
        }
    },
)
async def receive_report(
    request: Request, who: FiuIntake, store: Store, name: str = "report.xml"
) -> JSONResponse:
    """Receive one goAML report (the body, as XML, at most FINMON_MAX_REPORT_BYTES): 201 with
    the acknowledgement when accepted, 422 with every reason when rejected; stored either way."""
    body = await request.body()
    file = fiu_intake.ReportFile(name[:400], body)
    acks = await run_in_threadpool(fiu_intake.intake, who.name, [file], db=store)
    answer = Acknowledgement.model_validate(acks[0].to_dict())
    status = 201 if answer.status == "accepted" else 422
    return JSONResponse(answer.model_dump(), status_code=status)


@router.get("/fiu/reports")
def reports(who: FiuRead, store: Store, status: str = "all") -> list[Report]:
    """Reports received, newest first: all, current (accepted, not replaced), accepted or
    rejected."""
    rows = fiu_intake.list_reports(who.name, status, store)
    return [Report.model_validate(row.to_dict()) for row in rows]


@router.get("/fiu/reports/{key}")
def report(key: str, who: FiuRead, store: Store) -> ReportDetail:
    """One received report, by its key or id, with its mentions, transfers and indicators."""
    detail = fiu_intake.get_report(who.name, key, store)
    return ReportDetail.model_validate(fiu_intake.report_document(detail))


@router.get("/fiu/entities")
def entities(who: FiuRead, store: Store) -> list[Entity]:
    """Every registered reporting entity."""
    return [Entity.model_validate(e.to_dict()) for e in fiu_intake.list_entities(who.name, store)]


@router.post("/fiu/entities", status_code=201)
def register_entity(body: EntityIn, who: FiuEntities, store: Store) -> Entity:
    """Register a reporting entity: only registered entities' reports are accepted."""
    values: dict[str, Any] = body.model_dump()
    pem = values.pop("feed_public_key")
    feed_key = None if pem is None else pem.encode("utf-8")
    entity = fiu_intake.register_entity(who.name, **values, feed_public_key=feed_key, db=store)
    return Entity.model_validate(entity.to_dict())
