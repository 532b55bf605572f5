"""finmon's HTTP API: screening in the payment path, and the alert, freeze and audit workflow.

A thin front door: every route checks the caller's role (`finmon.workflow.access`), calls one
store or screening service with the caller as the actor, and returns what it returned. Errors are
FinmonErrors mapped to their HTTP status in one place (`_finmon_error`). Programs authenticate
with `Authorization: Bearer KEY` (keys from `finmon users create`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import gc
import json
import pathlib
import sys
import threading
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from decimal import Decimal
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Path, Query, Request, UploadFile
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, RedirectResponse, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import AfterValidator, BaseModel, Field

import finmon
from finmon import hygiene
from finmon.api.limits import BodyLimit, off_loop
from finmon.api.match import MatchRequest, echo, query_party, result
from finmon.countries import to_currency, to_iso2
from finmon.errors import FinmonError, InputError, NotFound, StoreBusy, Unauthenticated
from finmon.lists.identifiers import is_valid_iin_bin, kz_number_kind
from finmon.model import Gender, Identifier, Party, Schema
from finmon.names.limits import NameLimits
from finmon.screening import DEFAULT_THRESHOLD, Screener
from finmon.screening.inputs import parse_birth_date
from finmon.screening.namescore import ALGORITHM
from finmon.settings import load_settings
from finmon.store import Database, default_database
from finmon.store import alerts as alerts_store
from finmon.store import audit as audit_store
from finmon.store import clearances as clearances_store
from finmon.store import customers as customers_store
from finmon.store import freezes as freezes_store
from finmon.store import jobs as jobs_store
from finmon.store import lists as lists_store
from finmon.store import users as users_store
from finmon.store.clearances import StoreClearances
from finmon.store.lists import current_designations, current_version_ids, current_versions
from finmon.store.screener import build_screener
from finmon.store.users import Principal, authenticate_key
from finmon.transactions import PartyInfo, Transaction
from finmon.transactions.payments import check_payment
from finmon.transactions.wire import Rates
from finmon.travel.mrz import read_mrz
from finmon.travel.paxlst import parse_manifests
from finmon.travel.screening import screen_mrz, screen_travellers
from finmon.web import error_page
from finmon.web import router as web_router
from finmon.workflow import Verdict
from finmon.workflow.access import Action, Role, check_allowed

ALL_LISTS = ("default", "sanctions", "all")
"""Dataset names that mean every loaded list (yente clients send "default" or "sanctions")."""
MAX_PARTIES = 1000
"""Parties in one /screen request."""
MAX_ID = 2**31 - 1
"""The largest row id both databases store (INTEGER); a larger one is bad input, not looked up."""
SWITCH_INTERVAL = 0.0005
"""Seconds a thread may hold the interpreter before another that waits gets it: short, so that
the event loop (and /healthz) is not kept waiting behind threads screening long queries."""
RowId = Annotated[int, Path(ge=1, le=MAX_ID)]

_bearer = HTTPBearer(auto_error=False, description="An API key from `finmon users create`.")


async def _caller(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The user whose API key came with the request; Unauthenticated without a live key.

    The dependencies are coroutines: their work is short, so they run on the event loop rather
    than hopping to a thread for each step (measured in bench/). Routes that screen are plain
    functions, run in the threadpool: one long query must not stall every other request."""
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("send an API key as 'Authorization: Bearer KEY'")
    db: Database = request.app.state.db
    return authenticate_key(credentials.credentials, db)


Caller = Annotated[Principal, Depends(_caller)]


async def _plain_request(request: Request) -> None:
    """Refuse a NUL character in the path or the query, the same on every store."""
    if "\x00" in request.scope["path"] or any("\x00" in v for v in request.query_params.values()):
        raise InputError(f"{request.method} {request.url.path!r}: a NUL character is not text")


async def _sound_body(request: Request) -> None:
    """Refuse a JSON body holding an unpaired surrogate or a number that is not finite (NaN,
    Infinity, 1e400), naming the field, before any route or validation error echoes it."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind and not (kind == "application/json" or kind.endswith("+json")):
        return
    body = await request.body()
    if not body:
        return
    try:
        value = json.loads(body)
    except (ValueError, RecursionError):
        return  # not JSON: the route's own validation says so
    hygiene.check_json(value, "request body")


def _allowed(action: Action) -> Callable[[Principal], Coroutine[Any, Any, Principal]]:
    async def check(who: Caller) -> Principal:
        check_allowed(who.name, who.role, action)
        return who

    return check


Screen = Annotated[Principal, Depends(_allowed(Action.SCREEN))]
Read = Annotated[Principal, Depends(_allowed(Action.READ))]
Import = Annotated[Principal, Depends(_allowed(Action.IMPORT_CUSTOMERS))]
Decide = Annotated[Principal, Depends(_allowed(Action.DECIDE))]
Approve = Annotated[Principal, Depends(_allowed(Action.APPROVE))]
Ask = Annotated[Principal, Depends(_allowed(Action.REQUEST))]
Clear = Annotated[Principal, Depends(_allowed(Action.CLEAR))]
Audit = Annotated[Principal, Depends(_allowed(Action.AUDIT))]
Admin = Annotated[Principal, Depends(_allowed(Action.MANAGE_USERS))]
ApproveUsers = Annotated[Principal, Depends(_allowed(Action.APPROVE_USERS))]


class Screeners:
    """The Screener of each dataset over the current list versions, rebuilt when a list load
    changes them (checked on every request: one small query)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._lock = threading.Lock()
        self._built: dict[str, tuple[tuple[int, ...], Screener]] = {}

    def get(self, dataset: str) -> Screener:
        """The Screener for "default" (every list) or one list source; NotFound otherwise."""
        stamp = tuple(current_version_ids(self.db))
        found = self._built.get(dataset)
        if found is not None and found[0] == stamp:
            return found[1]
        with self._lock:
            found = self._built.get(dataset)
            if found is None or found[0] != stamp:
                found = self._built[dataset] = (stamp, self._build(dataset))
                _freeze_heap()
            return found[1]

    def _build(self, dataset: str) -> Screener:
        versions = current_versions(self.db)
        if not versions:
            raise NotFound("no list is loaded: an administrator must load one first")
        if dataset in ALL_LISTS:
            return build_screener(self.db, versions)
        if dataset not in versions:
            known = ", ".join([*ALL_LISTS, *sorted(versions)])
            raise NotFound(f"no dataset {dataset!r}; use one of {known}")
        chosen = [d for d in current_designations(self.db) if d.source == dataset]
        return Screener(chosen, versions={dataset: versions[dataset]})


def _freeze_heap() -> None:
    """Keep the indexes just built out of the cyclic collector's walks for the life of the
    server: without it a full collection walks them during some request, which then waits
    hundreds of milliseconds (bench/api_load.py: p99 550 ms). What an older index leaves behind
    is collected once here, as it is replaced."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()


class PartyIn(BaseModel):
    """One party to screen, in finmon's own terms."""

    id: str = Field(min_length=1, max_length=200)
    names: list[str] = Field(min_length=1, max_length=50)
    schema_: str = Field("unknown", alias="schema", description="person, organization ...")
    birth_dates: list[str] = Field(default_factory=list, description="YYYY-MM-DD, DD.MM.YYYY, YYYY")
    nationalities: list[str] = Field(default_factory=list, description="ISO codes or names")
    iin: str | None = Field(None, description="Kazakh IIN or BIN (12 digits, check digit)")
    gender: str | None = None


class ScreenRequest(BaseModel):
    parties: list[PartyIn] = Field(min_length=1, max_length=MAX_PARTIES)
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)


def _no_nul(value: str) -> str:
    if "\x00" in value:
        raise ValueError("a NUL character is not text")
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
"""Text that is stored: PostgreSQL refuses NUL characters, so both stores are spared them."""


def _iso_currency(value: str) -> str:
    code = to_currency(value)
    if code is None:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return code


Currency = Annotated[
    str, Field(min_length=3, max_length=3, examples=["KZT"]), AfterValidator(_iso_currency)
]
"""An ISO 4217 currency code, answered in capitals."""
Amount = Annotated[
    Decimal,
    Field(
        gt=0,
        max_digits=hygiene.AMOUNT_DIGITS,
        decimal_places=hygiene.AMOUNT_DECIMALS,
        allow_inf_nan=False,
        examples=["150000.00"],
    ),
]
"""A money amount: finite, positive, bounded in digits (as `finmon.hygiene.parse_amount`)."""


class DecisionIn(BaseModel):
    decision: Verdict
    reason: Text | None = Field(None, max_length=4000)


class ReasonIn(BaseModel):
    reason: Text = Field(min_length=1, max_length=4000)


class PaymentIn(BaseModel):
    amount: Amount
    currency: Currency
    purpose: Text = Field(min_length=1, max_length=4000)
    payee: Text | None = Field(None, max_length=400)


class PaymentPartyIn(BaseModel):
    """One side of a payment, as much as the message gives."""

    name: Text | None = Field(None, max_length=400)
    account: Text | None = Field(None, max_length=100, description="IBAN or account number")
    id: Text | None = Field(None, max_length=100, description="national ID, IIN/BIN, customer ID")
    country: Text | None = Field(None, max_length=60, description="ISO code or name")
    address: Text | None = Field(None, max_length=1000)
    birth_date: dt.date | None = None
    birth_place: Text | None = Field(None, max_length=200)
    bank: Text | None = Field(None, max_length=100, description="BIC of the party's bank")


class PaymentCheckIn(BaseModel):
    """A payment in finmon's canonical terms (docs/transactions.md)."""

    id: Text = Field(min_length=1, max_length=200)
    timestamp: dt.datetime | None = None
    amount: Amount
    currency: Currency
    originator: PaymentPartyIn = Field(default_factory=lambda: PaymentPartyIn.model_validate({}))
    beneficiary: PaymentPartyIn = Field(default_factory=lambda: PaymentPartyIn.model_validate({}))
    channel: Text | None = Field(None, max_length=40)
    reference: Text | None = Field(None, max_length=200)
    purpose: Text | None = Field(None, max_length=1000)
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)


class ClearanceIn(BaseModel):
    """A payment counterparty to clear as a false positive against one designation: its name and
    one of account, iban, card (or iin/bin, which may also come beside an account or a card)."""

    name: Text = Field(min_length=1, max_length=400)
    account: Text | None = Field(None, max_length=100)
    iban: Text | None = Field(None, max_length=100)
    card: Text | None = Field(None, max_length=40, description="kept only as a keyed digest")
    iin: Text | None = Field(None, max_length=40)
    bin: Text | None = Field(None, max_length=40)
    birth_date: dt.date | None = None
    list: Text = Field(min_length=1, max_length=64, description="the designation's list")
    reference: Text = Field(min_length=1, max_length=200)
    reason: Text = Field(min_length=1, max_length=4000)


class ManifestIn(BaseModel):
    """A UN/EDIFACT PAXLST interchange as text."""

    manifest: str = Field(min_length=1, max_length=20_000_000)
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)
    strict: bool = False
    """Refuse the manifest at its first fault (422) instead of screening every traveller that
    can be read and listing each fault by segment."""


class MrzIn(BaseModel):
    """A machine-readable zone: TD3 passport or MRV-A visa (2 lines of 44), TD2 card or MRV-B
    visa (2 lines of 36), TD1 identity card (3 lines of 30)."""

    mrz: str = Field(min_length=1, max_length=1_000)
    threshold: float = Field(DEFAULT_THRESHOLD, ge=0.0, le=1.0)


class UserIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    role: Role
    person: Text = Field(
        min_length=1, max_length=64, description="The holder's staff number or national ID"
    )


class RoleIn(BaseModel):
    role: Role


def create_app(db: Database | None = None) -> FastAPI:
    """The API over one store (the default database unless given)."""
    store = db or default_database()
    screeners = Screeners(store)
    settings = load_settings()
    rates = _Rates(settings.rates)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        sys.setswitchinterval(SWITCH_INTERVAL)
        jobs_store.fail_interrupted_jobs(store)
        # Build the index before serving, so that no request waits for it.
        with contextlib.suppress(NotFound):
            screeners.get("default")
        yield

    app = FastAPI(
        lifespan=lifespan,
        title="finmon",
        version=finmon.__version__,
        description="Screening against the UN and national lists, alerts with four-eyes "
        "decisions, freezes within 24 hours, and a verifiable audit trail.",
        dependencies=[Depends(_plain_request), Depends(_sound_body)],
    )
    app.state.db = store
    app.add_middleware(BodyLimit, settings=settings)
    app.add_exception_handler(FinmonError, _finmon_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _invalid_request)  # type: ignore[arg-type]
    app.include_router(web_router)
    app.mount("/ui/static", StaticFiles(packages=[("finmon.web", "static")]), name="static")

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        """People who open the server's address get the web interface."""
        return RedirectResponse("/ui/", status_code=303)

    @app.get("/healthz", tags=["service"])
    def healthz() -> dict[str, Any]:
        """Liveness and the list versions in use (no key needed)."""
        return {"status": "ok", "lists": current_versions(store)}

    @app.get("/me", tags=["service"])
    def me(who: Caller) -> dict[str, str]:
        """Who the key belongs to and their role."""
        return {"name": who.name, "role": who.role.value}

    @app.post("/match/{dataset}", tags=["screening"], response_model=None)
    @off_loop
    def match(
        dataset: str,
        body: MatchRequest,
        _who: Screen,
        limit: Annotated[int, Query(ge=1, le=100)] = 5,
        threshold: Annotated[float, Query(ge=0.0, le=1.0)] = DEFAULT_THRESHOLD,
        cutoff: Annotated[float, Query(ge=0.0, le=1.0)] = 0.5,
    ) -> JSONResponse:
        """yente's /match: score each query entity against a dataset ("default": every list).

        Results at or above `cutoff` are returned, best first, `match` set at or above
        `threshold`. A query finmon cannot read gets its own status 400 beside the others."""
        screener = screeners.get(dataset)
        floor = min(cutoff, threshold)
        responses: dict[str, Any] = {}
        for key, example in body.queries.items():
            try:
                party = query_party(key, example)
            except InputError as exc:
                responses[key] = {"status": 400, "error": str(exc), "query": echo(example)}
                continue
            hits = screener.screen(party, threshold=floor, limit=limit)
            results = [result(hit, threshold) for hit in hits]
            responses[key] = {
                "status": 200,
                "results": results,
                "total": {"value": len(results), "relation": "eq"},
                "query": echo(example),
            }
        return JSONResponse(
            {
                "responses": responses,
                "matcher": {"name": "finmon", "algorithm": ALGORITHM, "threshold": threshold},
                "limit": limit,
            }
        )

    @app.post("/payments/check", tags=["screening"])
    @off_loop
    def payment_check(body: PaymentCheckIn, who: Screen) -> dict[str, Any]:
        """Allow or hold one payment: both parties screened against every loaded list, and the
        originator and beneficiary information checked as FATF R.16 asks (a hold says why). A
        hit on a counterparty cleared against that designation holds nothing while neither
        side's matching data changed: it is listed under "suppressed", and audited."""
        screener = screeners.get("default")
        decision = check_payment(
            _transaction(body),
            screener,
            rates.get(),
            body.threshold,
            clearances=StoreClearances(who.name, store),
        )
        return decision.to_dict()

    @app.get("/payments/clearances", tags=["payments"])
    def clearances(
        _who: Read, status: Annotated[str, Query(max_length=20)] = "all"
    ) -> list[dict[str, Any]]:
        """Counterparty clearances (pending, active, revoked or all), with who and when, and the
        hits each kept from holding a payment."""
        return clearances_store.list_clearances(status, store)

    @app.post("/payments/clearances", tags=["payments"], status_code=201)
    def clearance_propose(body: ClearanceIn, who: Clear) -> dict[str, Any]:
        """Propose clearing a payment counterparty as a false positive; a second person
        approves it before it covers any payment."""
        given = {"account": body.account, "iban": body.iban, "card": body.card}
        chosen = [(kind, value) for kind, value in given.items() if value]
        national = [
            (kind, value) for kind, value in (("iin", body.iin), ("bin", body.bin)) if value
        ]
        if len(chosen) > 1 or len(national) > 1 or not (chosen or national):
            raise InputError("give one of account, iban or card, or iin/bin, or one of each")
        kind, value = chosen[0] if chosen else national[0]
        counterparty = clearances_store.counterparty(
            body.name,
            kind,
            value,
            birth_date=body.birth_date,
            national_id=national[0][1] if chosen and national else None,
        )
        clearance_id = clearances_store.propose_clearance(
            counterparty, body.list, body.reference, reason=body.reason, actor=who.name, db=store
        )
        return {"clearance_id": clearance_id, "status": "pending_approval"}

    @app.post("/payments/clearances/{clearance_id}/approve", tags=["payments"])
    def clearance_approve(clearance_id: RowId, who: Approve) -> dict[str, Any]:
        """Approve a proposed clearance as the second person."""
        status = clearances_store.approve(clearance_id, actor=who.name, db=store)
        return {"clearance_id": clearance_id, "status": status}

    @app.post("/payments/clearances/{clearance_id}/revoke", tags=["payments"])
    def clearance_revoke(clearance_id: RowId, body: ReasonIn, who: Clear) -> dict[str, Any]:
        """Revoke a clearance, or withdraw a proposal: its counterparty is held again."""
        status = clearances_store.revoke(clearance_id, actor=who.name, reason=body.reason, db=store)
        return {"clearance_id": clearance_id, "status": status}

    @app.post("/travel/screen", tags=["screening"])
    @off_loop
    def travel_screen(body: ManifestIn, _who: Screen) -> dict[str, Any]:
        """Screen every traveller of a PAXLST manifest (names, birth date, nationality,
        documents): one row per hit, as `finmon travel screen` writes them."""
        reading = parse_manifests(body.manifest, pathlib.Path("manifest"))
        if body.strict and reading.first is not None:
            raise reading.first
        rows, travellers = screen_travellers(
            reading.manifests, screeners.get("default"), body.threshold
        )
        return {"travellers": travellers, "hits": rows, **reading.to_dict()}

    @app.post("/travel/mrz", tags=["screening"])
    @off_loop
    def travel_mrz(body: MrzIn, _who: Screen) -> dict[str, Any]:
        """Read a machine-readable zone (every check digit verified; a wrong one is a 422 naming
        the line and column) and screen its holder: what the document says, one row per hit."""
        return screen_mrz(read_mrz(body.mrz), screeners.get("default"), body.threshold)

    @app.post("/screen", tags=["screening"])
    @off_loop
    def screen(body: ScreenRequest, _who: Screen) -> dict[str, Any]:
        """Screen parties in finmon's format against every loaded list."""
        screener = screeners.get("default")
        parties = [_party(i, p) for i, p in enumerate(body.parties)]
        return {
            "lists": screener.versions,
            "threshold": body.threshold,
            "results": [
                {"id": party.id, "hits": [hit.to_dict() for hit in hits]}
                for party, hits in screener.screen_many(parties, threshold=body.threshold)
            ],
        }

    @app.get("/lists", tags=["lists"])
    def lists(_who: Read, all_versions: bool = False) -> list[dict[str, Any]]:
        """The current version of each list (or every version loaded)."""
        rows = lists_store.list_versions(store, all_versions=all_versions)
        return [dataclasses.asdict(row) for row in rows]

    @app.get("/lists/{source}/diff", tags=["lists"])
    def list_diff(source: str, _who: Read, version: str | None = None) -> dict[str, Any]:
        """What a version of a list added, removed and amended against the one before it."""
        newer, older, diff = lists_store.version_diff(source, version=version, db=store)
        return {
            "source": source,
            "from": older.version if older is not None else None,
            "to": newer.version,
            **diff.to_dict(),
        }

    @app.post("/customers/import", tags=["customers"], status_code=202)
    def customers_import(file: UploadFile, who: Import, strict: bool = False) -> dict[str, Any]:
        """Upload a customer file (.csv, .xlsx, .jsonl, .parquet) to import and screen in the
        background, as `finmon customers import` does; ask /jobs/{job_id} how it went. A row's
        unreadable values are left out (a row with no name or id skipped) and reported as the
        job's problems; strict=true fails the job at the first problem instead."""
        job_id = jobs_store.start_customer_import(
            file.filename or "", file.file, actor=who.name, db=store, strict=strict
        )
        return {"job_id": job_id, "status": "queued"}

    @app.get("/jobs/{job_id}", tags=["customers"])
    def job(job_id: RowId, _who: Read) -> dict[str, Any]:
        """A background import: queued, running, done (with its counts, its problems counted and
        the first few listed) or failed (why)."""
        return jobs_store.get_job(job_id, store)

    @app.get("/jobs/{job_id}/problems", tags=["customers"])
    def job_problems(job_id: RowId, _who: Read) -> FileResponse:
        """Every problem of an import's rows as CSV: row, column, value, problem, action."""
        path = jobs_store.job_problems(job_id, store)
        return FileResponse(path, media_type="text/csv", filename=path.name)

    @app.get("/customers/{customer_id}", tags=["customers"])
    def customer(customer_id: str, _who: Read) -> dict[str, Any]:
        """A customer's current record and every earlier version."""
        return customers_store.customer_history(customer_id, store)

    @app.get("/alerts", tags=["alerts"])
    def alerts(
        _who: Read, status: Annotated[str, Query(pattern="^(open|decided|all)$")] = "open"
    ) -> list[dict[str, Any]]:
        """Alerts, oldest first: open (awaiting a decision), decided, or all."""
        return [row.to_dict() for row in alerts_store.list_alerts(status, store)]

    @app.get("/alerts/{alert_id}", tags=["alerts"])
    def alert(alert_id: RowId, _who: Read) -> dict[str, Any]:
        """One alert with its full explanation."""
        row, explanation = alerts_store.get_alert(alert_id, store)
        return {**row.to_dict(), "explanation": explanation}

    @app.post("/alerts/{alert_id}/decision", tags=["alerts"])
    def decide(alert_id: RowId, body: DecisionIn, who: Decide) -> dict[str, Any]:
        """A first decision; a confirmed hit then awaits a supervisor's approval."""
        status = alerts_store.decide_alert(
            alert_id, body.decision, actor=who.name, reason=body.reason, db=store
        )
        return {"alert_id": alert_id, "status": status}

    @app.post("/alerts/{alert_id}/withdraw", tags=["alerts"])
    def withdraw(alert_id: RowId, body: ReasonIn, who: Decide) -> dict[str, Any]:
        """The author of a confirmed hit awaiting approval takes it back (nobody else can)."""
        status = alerts_store.withdraw_proposal(
            alert_id, actor=who.name, reason=body.reason, db=store
        )
        return {"alert_id": alert_id, "status": status}

    @app.post("/alerts/{alert_id}/approve", tags=["alerts"])
    def approve(alert_id: RowId, who: Approve) -> dict[str, Any]:
        """A second person approves a confirmed hit: the freeze order is made."""
        freeze_id = alerts_store.approve(alert_id, actor=who.name, db=store)
        return {"alert_id": alert_id, "status": "confirmed_hit", "freeze_id": freeze_id}

    @app.get("/freezes", tags=["freezes"])
    def freezes(_who: Read) -> list[dict[str, Any]]:
        """Every freeze order as its notification record, oldest first."""
        return freezes_store.list_freezes(store)

    @app.get("/freezes/sla", tags=["freezes"])
    def freezes_sla(_who: Read) -> list[dict[str, Any]]:
        """Every alert not yet acted on, most urgent first, with the hours left of the 24."""
        return [dataclasses.asdict(item) for item in freezes_store.sla(store)]

    @app.get("/freezes/{freeze_id}", tags=["freezes"])
    def freeze(freeze_id: RowId, _who: Read) -> dict[str, Any]:
        """One freeze order with its release and permitted payments."""
        return freezes_store.get_freeze(freeze_id, store)

    @app.post("/freezes/{freeze_id}/release-request", tags=["freezes"])
    def release_request(freeze_id: RowId, body: ReasonIn, who: Ask) -> dict[str, Any]:
        """Ask for a release (after a delisting or a false positive); a second person approves."""
        status = freezes_store.ask_release(freeze_id, actor=who.name, reason=body.reason, db=store)
        return {"freeze_id": freeze_id, "status": status}

    @app.post("/freezes/{freeze_id}/release", tags=["freezes"])
    def release(freeze_id: RowId, who: Approve) -> dict[str, Any]:
        """Approve a requested release as the second person."""
        status = freezes_store.release(freeze_id, actor=who.name, db=store)
        return {"freeze_id": freeze_id, "status": status}

    @app.post("/freezes/{freeze_id}/payments", tags=["freezes"])
    def payment(freeze_id: RowId, body: PaymentIn, who: Ask) -> dict[str, Any]:
        """Record a permitted payment for basic expenses (Article 12 section 8) for approval."""
        payment_id = freezes_store.request_payment(
            freeze_id,
            actor=who.name,
            amount=str(body.amount),
            currency=body.currency,
            purpose=body.purpose,
            payee=body.payee,
            db=store,
        )
        return {"payment_id": payment_id, "status": "pending_approval"}

    @app.post("/payments/{payment_id}/approve", tags=["freezes"])
    def payment_approve(payment_id: RowId, who: Approve) -> dict[str, Any]:
        """Approve a permitted payment as the second person."""
        freezes_store.approve_payment(payment_id, actor=who.name, db=store)
        return {"payment_id": payment_id, "status": "approved"}

    @app.get("/audit", tags=["audit"])
    def audit(
        _who: Audit,
        after_id: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        """A page of the audit trail in order: the rows after `after_id`."""
        return audit_store.audit_rows(after_id=after_id, limit=limit, db=store)

    @app.get("/audit/verify", tags=["audit"])
    def audit_verify(_who: Audit) -> dict[str, Any]:
        """Check the chain, its key and its checkpoints; `problems` names everything wrong."""
        return audit_store.verify_audit(store).to_dict()

    @app.get("/users", tags=["users"])
    def users(_who: Admin) -> list[dict[str, Any]]:
        """Every user, their role and how many live keys they hold."""
        return users_store.list_users(store)

    @app.post("/users", tags=["users"], status_code=201)
    def user_create(body: UserIn, who: Admin) -> dict[str, Any]:
        """Add a user; the answer holds their API key, which is shown this once."""
        key = users_store.create_user(
            body.name, body.role, actor=who.name, person=body.person, db=store
        )
        return {"name": body.name, "role": body.role.value, "api_key": key}

    @app.post("/users/{name}/approve", tags=["users"])
    def user_approve(name: str, who: ApproveUsers) -> dict[str, Any]:
        """Approve, as the second person, what awaits approval on an account."""
        approved = users_store.approve_user(name, actor=who.name, db=store)
        return {"name": name, "approved": approved}

    @app.post("/users/{name}/role", tags=["users"])
    def user_role(name: str, body: RoleIn, who: Admin) -> dict[str, Any]:
        """Ask for an account's role to change; it changes when a second person approves."""
        users_store.change_role(name, body.role, actor=who.name, db=store)
        return {"name": name, "pending_role": body.role.value}

    @app.post("/users/{name}/revoke-keys", tags=["users"])
    def user_revoke(name: str, who: Admin) -> dict[str, Any]:
        """Revoke every live key of a user."""
        return {"name": name, "revoked": users_store.revoke_keys(name, actor=who.name, db=store)}

    return app


class _Rates:
    """The R.16 rates table of the settings, read on first use (None when none is set)."""

    def __init__(self, path: pathlib.Path | None) -> None:
        self.path = path
        self._table: Rates | None = None

    def get(self) -> Rates | None:
        if self.path is not None and self._table is None:
            self._table = Rates.read(self.path)
        return self._table


def _transaction(body: PaymentCheckIn) -> Transaction:
    """A /payments/check body as a Transaction; countries as ISO codes (InputError if unknown)."""

    limits = NameLimits.from_settings()

    def side(name: str, given: PaymentPartyIn) -> PartyInfo:
        if given.name:
            limits.check(given.name, f"{name}.name")
        country = None
        if given.country:
            country = to_iso2(given.country.upper() if len(given.country) <= 3 else given.country)
            if country is None:
                raise InputError(f"{name}.country: {given.country!r} is not a country finmon knows")
        return PartyInfo(
            name=given.name,
            account=given.account,
            id=given.id,
            country=country,
            address=given.address,
            birth_date=given.birth_date,
            birth_place=given.birth_place,
            bank=given.bank,
        )

    when = body.timestamp or dt.datetime.now(dt.UTC)
    return Transaction(
        id=body.id,
        timestamp=when if when.tzinfo else when.replace(tzinfo=dt.UTC),
        amount=body.amount,
        currency=body.currency.upper(),
        originator=side("originator", body.originator),
        beneficiary=side("beneficiary", body.beneficiary),
        channel=body.channel,
        reference=body.reference,
        purpose=body.purpose,
        source="POST /payments/check",
    )


def _party(position: int, given: PartyIn) -> Party:
    """A /screen party as a Party; InputError naming the party and field for a bad value."""
    where = f"parties[{position}] (id {given.id!r})"
    birth_dates = []
    for value in given.birth_dates:
        born = parse_birth_date(value)
        if born is None:
            raise InputError(f"{where}.birth_dates: {value!r} is not a date (YYYY-MM-DD or YYYY)")
        birth_dates.append(born)
    nationalities = []
    for value in given.nationalities:
        code = to_iso2(value.upper() if len(value) <= 3 else value)
        if code is None:
            raise InputError(f"{where}.nationalities: {value!r} is not a country finmon knows")
        nationalities.append(code)
    identifiers = []
    if given.iin:
        number = "".join(given.iin.split())
        if not is_valid_iin_bin(number):
            raise InputError(f"{where}.iin: {given.iin!r} is not a valid IIN or BIN")
        identifiers.append(Identifier(kz_number_kind(number) or "iin", number, "KZ"))
    limits = NameLimits.from_settings()
    for place, name in enumerate(given.names):
        limits.check(name, f"{where}.names[{place}]")
    names = [" ".join(name.split()) for name in given.names if name.strip()]
    if not names:
        raise InputError(f"{where}.names: every name is empty")
    return Party(
        id=given.id,
        names=names,
        schema=Schema.parse(given.schema_),
        birth_dates=birth_dates,
        nationalities=nationalities,
        identifiers=identifiers,
        gender=Gender.parse(given.gender),
    )


def _is_web(request: Request) -> bool:
    return str(request.scope.get("path", "")).startswith("/ui/")


async def _invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """A request that does not fit its route: JSON for the API, a page for the web interface."""
    if _is_web(request):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
        )
        return error_page(request, InputError(problems or "the request is not valid"))
    return await request_validation_exception_handler(request, exc)


def _finmon_error(request: Request, exc: FinmonError) -> Response:
    response = (
        error_page(request, exc)
        if _is_web(request)
        else JSONResponse({"detail": str(exc)}, status_code=exc.http_status)
    )
    if isinstance(exc, Unauthenticated) and not _is_web(request):
        response.headers["WWW-Authenticate"] = "Bearer"
    if isinstance(exc, StoreBusy):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response
