"""Customers: a file imported and screened (at once, or as a background job), the stored index
rebuilt, and one customer's history read, each step authorised first."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from finmon.screening.rows import Report
from finmon.services.access import authorize
from finmon.store import Database, jobs
from finmon.store import customers as store
from finmon.store.customers import ImportResult
from finmon.workflow.access import Action

__all__ = ["ImportResult", "fail_interrupted_jobs"]

fail_interrupted_jobs = jobs.fail_interrupted_jobs
"""Mark failed the jobs a process that is gone left running (the server does it as it starts)."""


def import_customers(
    actor: str,
    path: Path,
    *,
    encoding: str | None = None,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    problems: Report | None = None,
    strict: bool = False,
    db: Database | None = None,
) -> ImportResult:
    """Upsert a customer file by id, keep history, and screen new and changed customers."""
    who = authorize(actor, Action.IMPORT_CUSTOMERS, db)
    return store.import_customers(
        path,
        actor=who.name,
        encoding=encoding,
        db=db,
        workers=workers,
        progress=progress,
        problems=problems,
        strict=strict,
    )


def start_import(
    actor: str,
    name: str,
    content: BinaryIO,
    *,
    strict: bool = False,
    encoding: str | None = None,
    db: Database | None = None,
) -> int:
    """Keep an uploaded customer file and import it in the background, a text file read in the
    encoding given or else the one detected; returns the job id."""
    who = authorize(actor, Action.IMPORT_CUSTOMERS, db)
    return jobs.start_customer_import(
        name, content, actor=who.name, db=db, strict=strict, encoding=encoding
    )


def reimport(
    actor: str, job_id: int, encoding: str, *, strict: bool = False, db: Database | None = None
) -> int:
    """Import an earlier upload again in the encoding a person chose; returns the new job id."""
    who = authorize(actor, Action.IMPORT_CUSTOMERS, db)
    return jobs.reimport_customers(job_id, encoding, actor=who.name, db=db, strict=strict)


def reindex_customers(actor: str, *, workers: int = 1, db: Database | None = None) -> int:
    """Bring the stored customer index to this finmon's scheme; returns the customers done."""
    who = authorize(actor, Action.IMPORT_CUSTOMERS, db)
    return store.reindex_customers(actor=who.name, db=db, workers=workers)


def customer_history(actor: str, customer_id: str, db: Database | None = None) -> dict[str, Any]:
    """A customer's current record and every version it has had, oldest first."""
    authorize(actor, Action.READ, db)
    return store.customer_history(customer_id, db)


def get_job(actor: str, job_id: int, db: Database | None = None) -> dict[str, Any]:
    """A background import's status, and its counts or error once it has ended."""
    authorize(actor, Action.READ, db)
    return jobs.get_job(job_id, db)


def job_problems(actor: str, job_id: int, db: Database | None = None) -> Path:
    """The problems file of an import job; NotFound when the job had none."""
    authorize(actor, Action.READ, db)
    return jobs.job_problems(job_id, db)
