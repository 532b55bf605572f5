"""Customers: a file imported and screened in the background, and one customer's history."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, Field

from finmon.api.deps import Import, Read, RowId, Store
from finmon.services import customers as customers_service

router = APIRouter(tags=["customers"])

RECORD = "The customer as screened: id, names, schema, birth dates, nationalities, identifiers"


class JobStarted(BaseModel):
    job_id: int
    status: str = "queued"


class Job(BaseModel):
    """A background import and, once it has ended, its counts or why it failed."""

    job_id: int
    kind: str
    file: str
    status: str = Field(description="queued, running, done or failed")
    created_by: str
    created_at: str
    finished_at: str | None
    result: dict[str, Any] | None = Field(
        description="Counts (inserted, updated, unchanged, rejected, screened, alerts), the "
        "problems counted and the first few listed, and a text file's encoding (encoding, "
        "encoding_label, encoding_detected: false when chosen)"
    )
    error: str | None


class CustomerVersion(BaseModel):
    version: int
    valid_from: str
    changed_by: str
    source_file: str | None
    record: dict[str, Any] = Field(description=RECORD)
    accounts: list[str]


class Customer(BaseModel):
    """A customer's current record and every version it has had, oldest first."""

    id: str
    version: int
    record: dict[str, Any] = Field(description=RECORD)
    accounts: list[str]
    created_at: str
    updated_at: str
    history: list[CustomerVersion]


@router.post("/customers/import", status_code=202)
def customers_import(
    file: UploadFile,
    who: Import,
    store: Store,
    strict: bool = False,
    encoding: Annotated[
        str | None,
        Query(
            max_length=20,
            description="A text file's encoding: utf-8, utf-8-sig, cp1251, kz1048 or utf-16; "
            "detected when not given. The job's result names the one used.",
        ),
    ] = None,
) -> JobStarted:
    """Upload a customer file (.csv, .xlsx, .xls, .jsonl, .parquet) to import and screen in the
    background, as `finmon customers import` does; ask /jobs/{job_id} how it went. A row's
    unreadable values are left out (a row with no name or id skipped) and reported as the
    job's problems; strict=true fails the job at the first problem instead."""
    job_id = customers_service.start_import(
        who.name, file.filename or "", file.file, strict=strict, encoding=encoding, db=store
    )
    return JobStarted(job_id=job_id)


@router.get("/jobs/{job_id}")
def job(job_id: RowId, who: Read, store: Store) -> Job:
    """A background import: queued, running, done (with its counts, its problems counted and
    the first few listed) or failed (why)."""
    return Job.model_validate(customers_service.get_job(who.name, job_id, store))


@router.get(
    "/jobs/{job_id}/problems",
    response_class=FileResponse,
    responses={200: {"content": {"text/csv": {"schema": {"type": "string"}}}}},
)
def job_problems(job_id: RowId, who: Read, store: Store) -> FileResponse:
    """Every problem of an import's rows as CSV: row, column, value, problem, action."""
    path = customers_service.job_problems(who.name, job_id, store)
    return FileResponse(path, media_type="text/csv", filename=path.name)


@router.get("/customers/{customer_id}")
def customer(customer_id: str, who: Read, store: Store) -> Customer:
    """A customer's current record and every earlier version."""
    return Customer.model_validate(customers_service.customer_history(who.name, customer_id, store))
