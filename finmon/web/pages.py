"""The analysts' web interface: server-rendered pages under /ui over the same services as the API.

Every page names the action it needs (`finmon.workflow.access`), exactly as the API routes do, and
every form that changes something carries the session's CSRF token, checked before anything else
runs. Errors are FinmonErrors rendered as a page with their HTTP status (`error_page`); a request
without a live session is sent to the sign-in page.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import secrets
from collections.abc import Callable, Coroutine
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any
from urllib.parse import quote, urlsplit

from fastapi import APIRouter, Depends, Form, Path, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from finmon import hygiene
from finmon.common.localtime import shown, zone_named
from finmon.errors import FinmonError, Forbidden, InputError, Unauthenticated
from finmon.screening.encodings import ENCODINGS, has_encoding
from finmon.services import alerts as alerts_service
from finmon.services import audit as audit_service
from finmon.services import cases as cases_service
from finmon.services import customers as customers_service
from finmon.services import desk as desk_service
from finmon.services import fairness as fairness_service
from finmon.services import freezes as freezes_service
from finmon.services import lists as lists_service
from finmon.services import payments as payments_service
from finmon.services import readable
from finmon.services import users as users_service
from finmon.services.desk import DeskFigures
from finmon.services.users import WebUser
from finmon.settings import load_settings
from finmon.web import charts
from finmon.web.deps import CASE_STATUS, MAX_ID, RowId, database, requires
from finmon.web.highlight import case_view
from finmon.web.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    WELCOME_KK,
    accepted_language,
    enum_text,
    has_text,
    status_text,
    text,
)
from finmon.workflow import Verdict
from finmon.workflow.access import ALLOWED, Action

SESSION_COOKIE = "finmon_session"
SIGN_IN_COOKIE = "finmon_sign_in"
"""The sign-in form's own CSRF token (double-submitted: cookie and form field must agree)."""
LANG_COOKIE = "finmon_lang"
PAGE_ROWS = 500
"""Rows of a list page; the page says how many more there are."""
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}
"""On every page: no script or style but finmon's own, no framing, nothing cached."""

NAV: list[tuple[str, str, Action]] = [
    ("/ui/alerts", "alerts", Action.READ),
    ("/ui/approvals", "approvals", Action.READ),
    ("/ui/freezes", "freezes", Action.READ),
    ("/ui/clearances", "clearances", Action.READ),
    ("/ui/monitoring", "monitoring", Action.READ),
    ("/ui/cases", "cases", Action.READ),
    ("/ui/lists", "lists", Action.READ),
    ("/ui/audit", "audit", Action.AUDIT),
    ("/ui/screen", "screen", Action.SCREEN),
    ("/ui/upload", "upload", Action.IMPORT_CUSTOMERS),
    ("/ui/fairness", "fairness", Action.REVIEW_FAIRNESS),
    ("/ui/fiu/reports", "fiu_reports", Action.FIU_READ),
    ("/ui/fiu/network", "fiu_network", Action.FIU_READ),
]

_templates = Environment(
    loader=PackageLoader("finmon.web", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


class SignInNeeded(Unauthenticated):
    """No live session: the browser is sent to the sign-in page."""


def _lang(request: Request, user: WebUser | None) -> str:
    """The language just chosen (?lang=), else the user's stored choice, else the browser's
    cookie (before sign-in), else the first the browser's Accept-Language prefers; English."""
    for chosen in (
        request.query_params.get("lang"),
        user.language if user is not None else None,
        request.cookies.get(LANG_COOKIE),
        accepted_language(request.headers.get("accept-language", "")),
    ):
        if chosen in LANGUAGES:
            return chosen
    return "en"


async def _web_user(request: Request) -> WebUser:
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        raise SignInNeeded("sign in first")
    try:
        user = users_service.session_user(token, database(request))
    except Unauthenticated as exc:
        raise SignInNeeded(str(exc)) from None
    request.state.web_user = user
    return user


SignedIn = Annotated[WebUser, Depends(_web_user)]
"""Any signed-in user, whatever their role allows (the home page shows them what it does)."""
Read = Annotated[WebUser, Depends(requires(Action.READ, _web_user))]
Import = Annotated[WebUser, Depends(requires(Action.IMPORT_CUSTOMERS, _web_user))]
Audit = Annotated[WebUser, Depends(requires(Action.AUDIT, _web_user))]
ReviewFairness = Annotated[WebUser, Depends(requires(Action.REVIEW_FAIRNESS, _web_user))]
Screen = Annotated[WebUser, Depends(requires(Action.SCREEN, _web_user))]
Csrf = Annotated[str, Form(max_length=200)]
Reason = Annotated[str, Form(max_length=4000)]


def _check_csrf(user: WebUser, token: str) -> None:
    if not hmac.compare_digest(token.encode(), user.csrf_token.encode()):
        raise Forbidden("the form's security token is missing or out of date: reload the page")


def posted(action: Action) -> Callable[..., Coroutine[Any, Any, WebUser]]:
    """A form's dependency: the signed-in user whose role allows `action`, once the form's CSRF
    token is their session's, before any other field of the form is looked at."""
    allowed = Depends(requires(action, _web_user))

    async def check(csrf: Csrf, user: WebUser = allowed) -> WebUser:
        _check_csrf(user, csrf)
        return user

    return check


# What each form that changes something needs: the role, then the session's CSRF token.
SignOut = Annotated[WebUser, Depends(posted(Action.READ))]
ImportPost = Annotated[WebUser, Depends(posted(Action.IMPORT_CUSTOMERS))]
ScreenPost = Annotated[WebUser, Depends(posted(Action.SCREEN))]
Decide = Annotated[WebUser, Depends(posted(Action.DECIDE))]
Approve = Annotated[WebUser, Depends(posted(Action.APPROVE))]
Ask = Annotated[WebUser, Depends(posted(Action.REQUEST))]
WorkCases = Annotated[WebUser, Depends(posted(Action.WORK_CASES))]
ApproveCases = Annotated[WebUser, Depends(posted(Action.APPROVE_CASES))]


def render(
    request: Request,
    template: str,
    user: WebUser | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """A page in the reader's language, with the security headers every page carries."""
    lang = _lang(request, user)
    try:
        zone: dt.tzinfo = zone_named(load_settings().time_zone)
    except InputError:
        if template != "error.html":
            raise
        zone = dt.UTC  # the error page that names the bad setting still shows
    html = _templates.get_template(template).render(
        zone=zone,
        t=lambda key: text(lang, key),
        st=lambda status: status_text(lang, status),
        en=lambda group, value: enum_text(lang, group, value),
        said=_Said(lang),
        lang=lang,
        languages=[(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
        welcome_kk=WELCOME_KK,
        user=user,
        nav=[
            (href, key)
            for href, key, action in NAV
            if user is not None and user.role in ALLOWED[action]
        ],
        may=lambda action: user is not None and user.role in ALLOWED[Action[action]],
        path=request.url.path,
        **context,
    )
    response = HTMLResponse(html, status_code=status_code, headers=HEADERS)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 86400, httponly=True, samesite="strict"
        )
        if user is not None and user.language != lang:
            users_service.set_language(user.name, lang, database(request))
    return response


class _Said:
    """Stored findings as a page says them in its language (finmon.services.readable)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def alert(self, score: float, explanation: dict[str, Any]) -> readable.Readable:
        return readable.alert_explanation(self.lang, score, explanation)

    def evidence(self, evidence: dict[str, Any]) -> readable.Readable:
        return readable.monitoring_evidence(self.lang, evidence)

    def action(self, action: str) -> str:
        return readable.action_text(self.lang, action)

    def changes(
        self, before: dict[str, Any] | None, after: dict[str, Any] | None
    ) -> list[tuple[str, str, str]]:
        return readable.audit_changes(self.lang, before, after)

    def typology(self, typology: str) -> str:
        return readable.typology_text(self.lang, typology)

    def typologies(self, typologies: list[str]) -> str:
        return "; ".join(readable.typology_text(self.lang, t) for t in typologies)

    def raw(self, value: Any) -> str:
        return readable.raw(value)

    def problem(self, problem: str) -> str:
        return readable.problem_text(self.lang, problem)

    def place(self, place: str) -> str:
        return readable.place_text(self.lang, place)


def error_page(request: Request, exc: FinmonError) -> Response:
    """A FinmonError raised under /ui: the sign-in page for no session, else an error page."""
    if isinstance(exc, SignInNeeded):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/ui/sign-in?next={quote(target)}", status_code=303)
    user = getattr(request.state, "web_user", None)
    kind = next(
        (f"error_{cls.__name__}" for cls in type(exc).__mro__ if has_text(f"error_{cls.__name__}")),
        "error_other",
    )
    return render(
        request, "error.html", user, status_code=exc.http_status, message=str(exc), kind=kind
    )


def _back(path: str) -> RedirectResponse:
    """After a form: back to a page (303, so that reloading does not post again)."""
    return RedirectResponse(path, status_code=303)


def _safe_next(target: str | None) -> str:
    """Only a path of this interface: never another site (an open redirect)."""
    if not target:
        return "/ui/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/ui/") or "\\" in target:
        return "/ui/"
    return target


router = APIRouter(prefix="/ui", include_in_schema=False)


@router.get("/sign-in")
def sign_in_page(request: Request, next: str | None = None) -> HTMLResponse:
    token = secrets.token_urlsafe(32)
    response = render(
        request, "sign_in.html", None, csrf=token, next=_safe_next(next), message=None
    )
    _sign_in_cookie(request, response, token)
    return response


@router.post("/sign-in")
def sign_in(
    request: Request,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Csrf,
    next: Annotated[str, Form(max_length=2000)] = "/ui/",
) -> Response:
    cookie = request.cookies.get(SIGN_IN_COOKIE, "")
    if not cookie or not hmac.compare_digest(cookie.encode(), csrf.encode()):
        raise Forbidden("the sign-in form is out of date: reload the page and sign in again")
    try:
        token, _user = users_service.sign_in(name, password, database(request))
    except Unauthenticated:
        fresh = secrets.token_urlsafe(32)
        page = render(
            request,
            "sign_in.html",
            None,
            status_code=401,
            csrf=fresh,
            next=_safe_next(next),
            message=text(_lang(request, None), "sign_in_refused"),
        )
        _sign_in_cookie(request, page, fresh)
        return page
    response = _back(_safe_next(next))
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/ui",
        max_age=int(users_service.LIFETIME.total_seconds()),
    )
    response.delete_cookie(SIGN_IN_COOKIE, path="/ui")
    return response


@router.post("/sign-out")
def sign_out(request: Request, user: SignOut) -> Response:
    users_service.sign_out(request.cookies.get(SESSION_COOKIE, ""), database(request))
    response = _back("/ui/sign-in")
    response.delete_cookie(SESSION_COOKIE, path="/ui")
    return response


@router.get("/")
def home(request: Request, user: SignedIn) -> HTMLResponse:
    if user.role not in ALLOWED[Action.READ]:
        # An FIU or agency account: none of the reporting entity's work is theirs to see.
        return render(request, "home.html", user, entity=False)
    db = database(request)
    open_alerts = alerts_service.list_alerts(user.name, "open", db)
    sla = freezes_service.sla(user.name, db)
    return render(
        request,
        "home.html",
        user,
        entity=True,
        charts=_home_charts(_lang(request, user), desk_service.desk_figures(user.name, db)),
        open_count=len(open_alerts),
        pending_count=sum(a.status == "pending_approval" for a in open_alerts),
        urgent=sla[:5],
        lists=lists_service.list_versions(user.name, db),
    )


def _home_charts(lang: str, figures: DeskFigures) -> list[tuple[str, Markup]]:
    """The home page's charts, titled in the reader's language: (title, chart)."""
    t = functools.partial(text, lang)
    drawn = [
        charts.lines(
            "chart-alerts",
            t("chart_alerts_per_day"),
            figures.days,
            [(t("chart_opened"), figures.opened), (t("chart_decided"), figures.decided)],
            empty=t("nothing"),
        ),
        charts.bars(
            "chart-freezes",
            t("chart_hours_to_freeze"),
            figures.freezes,
            unit=t("chart_hours"),
            limit=24,
            limit_label=t("chart_24_hours"),
            empty=t("nothing"),
        ),
        charts.bars(
            "chart-typologies",
            t("chart_typologies"),
            [(readable.typology_text(lang, name), n) for name, n in figures.typologies.items()],
            unit=t("alerts").lower(),
            empty=t("nothing"),
        ),
        charts.bars(
            "chart-rules",
            t("chart_rules"),
            list(figures.rules.items()),
            unit=t("alerts").lower(),
            empty=t("nothing"),
        ),
    ]
    keys = ("chart_alerts_per_day", "chart_hours_to_freeze", "chart_typologies", "chart_rules")
    return [(t(key), chart) for key, chart in zip(keys, drawn, strict=True)]


@router.get("/alerts")
def alerts(
    request: Request,
    user: Read,
    status: Annotated[str, Query(pattern="^(open|decided|all)$")] = "open",
    source: Annotated[str, Query(alias="list", max_length=64)] = "",
    q: Annotated[str, Query(max_length=200)] = "",
    min_score: Annotated[float, Query(ge=0.0, le=1.0)] = 0.0,
) -> HTMLResponse:
    rows = alerts_service.list_alerts(user.name, status, database(request))
    sources = sorted({row.list for row in rows})
    needle = q.casefold().strip()
    chosen = [
        row
        for row in rows
        if (not source or row.list == source)
        and row.score >= min_score
        and (
            not needle
            or needle in row.customer_name.casefold()
            or needle in row.designation_name.casefold()
            or needle == row.customer_id.casefold()
        )
    ]
    return render(
        request,
        "alerts.html",
        user,
        rows=chosen[:PAGE_ROWS],
        more=max(0, len(chosen) - PAGE_ROWS),
        sources=sources,
        status=status,
        source=source,
        q=q,
        min_score=min_score,
    )


@router.get("/alerts/{alert_id}")
def alert(request: Request, alert_id: RowId, user: Read) -> HTMLResponse:
    case = alerts_service.alert_case(user.name, alert_id, database(request))
    return render(
        request,
        "alert.html",
        user,
        case=case,
        view=case_view(case, _lang(request, user)),
        csrf=user.csrf_token,
        proposer=next(
            (d["actor"] for d in reversed(case.decisions) if d["decision"] == "confirmed_hit"),
            None,
        ),
    )


@router.post("/alerts/{alert_id}/decision")
def decide(
    request: Request,
    alert_id: RowId,
    user: Decide,
    decision: Annotated[Verdict, Form()],
    reason: Reason = "",
    confirm: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    if decision is Verdict.CONFIRMED_HIT and confirm != "yes":
        raise InputError(
            "a confirmed hit starts a freeze: tick the box that confirms it is the listed person"
        )
    alerts_service.decide(user.name, alert_id, decision, _text(reason) or None, database(request))
    return _back(f"/ui/alerts/{alert_id}")


@router.post("/alerts/{alert_id}/withdraw")
def withdraw(request: Request, alert_id: RowId, user: Decide, reason: Reason = "") -> Response:
    alerts_service.withdraw(user.name, alert_id, _text(reason) or None, database(request))
    return _back(f"/ui/alerts/{alert_id}")


@router.post("/alerts/{alert_id}/approve")
def approve(request: Request, alert_id: RowId, user: Approve) -> Response:
    freeze_id = alerts_service.approve(user.name, alert_id, database(request))
    return _back(f"/ui/freezes/{freeze_id}")


@router.get("/approvals")
def approvals(request: Request, user: Read) -> HTMLResponse:
    db = database(request)
    return render(
        request,
        "approvals.html",
        user,
        alerts=[
            row
            for row in alerts_service.list_alerts(user.name, "open", db)
            if row.status == "pending_approval"
        ],
        releases=[
            f
            for f in freezes_service.list_freezes(user.name, db)
            if f["status"] == "release_pending"
        ],
        payments=freezes_service.pending_payments(user.name, db),
        csrf=user.csrf_token,
    )


@router.get("/freezes")
def freezes(request: Request, user: Read) -> HTMLResponse:
    db = database(request)
    return render(
        request,
        "freezes.html",
        user,
        sla=freezes_service.sla(user.name, db),
        freezes=list(reversed(freezes_service.list_freezes(user.name, db))),
        now=dt.datetime.now(dt.UTC),
    )


@router.get("/clearances")
def clearances(request: Request, user: Read) -> HTMLResponse:
    return render(
        request,
        "clearances.html",
        user,
        clearances=list(
            reversed(payments_service.list_clearances(user.name, "all", database(request)))
        ),
    )


@router.get("/freezes/{freeze_id}")
def freeze(request: Request, freeze_id: RowId, user: Read) -> HTMLResponse:
    record = freezes_service.get_freeze(user.name, freeze_id, database(request))
    return render(request, "freeze.html", user, freeze=record, csrf=user.csrf_token)


@router.post("/freezes/{freeze_id}/release-request")
def release_request(request: Request, freeze_id: RowId, user: Ask, reason: Reason = "") -> Response:
    freezes_service.ask_release(user.name, freeze_id, _text(reason), database(request))
    return _back(f"/ui/freezes/{freeze_id}")


@router.post("/freezes/{freeze_id}/release")
def release(request: Request, freeze_id: RowId, user: Approve) -> Response:
    freezes_service.release(user.name, freeze_id, database(request))
    return _back(f"/ui/freezes/{freeze_id}")


@router.post("/freezes/{freeze_id}/payments")
def payment(
    request: Request,
    freeze_id: RowId,
    user: Ask,
    amount: Annotated[str, Form(max_length=40)],
    currency: Annotated[str, Form(min_length=3, max_length=3)],
    purpose: Annotated[str, Form(max_length=4000)],
    payee: Annotated[str, Form(max_length=400)] = "",
) -> Response:
    if not purpose.strip():
        raise InputError("a permitted payment needs its purpose")
    freezes_service.request_payment(
        user.name,
        freeze_id,
        amount=_text(amount),
        currency=_text(currency).upper(),
        purpose=_text(purpose),
        payee=_text(payee) or None,
        db=database(request),
    )
    return _back(f"/ui/freezes/{freeze_id}")


@router.post("/payments/{payment_id}/approve")
def payment_approve(request: Request, payment_id: RowId, user: Approve) -> Response:
    freezes_service.approve_payment(user.name, payment_id, database(request))
    return _back("/ui/approvals")


@router.get("/monitoring")
def monitoring(
    request: Request,
    user: Read,
    status: Annotated[str, Query(pattern="^(open|in_case|all)$")] = "all",
    rule: Annotated[str, Query(max_length=64)] = "",
) -> HTMLResponse:
    """Monitoring alerts: rules that fired on accounts (R.16, listed parties, typologies), each
    with the case it is in: the rows the cases page is made of, counted alike."""
    every = cases_service.monitoring_alerts(user.name, "all", database(request))
    rules = sorted({row["rule"] for row in every})
    chosen = [
        row
        for row in every
        if (status == "all" or row["status"] == status) and (not rule or row["rule"] == rule)
    ]
    return render(
        request,
        "monitoring.html",
        user,
        rows=list(reversed(chosen))[:PAGE_ROWS],
        more=max(0, len(chosen) - PAGE_ROWS),
        rules=rules,
        rule=rule,
        status=status,
        total=len(every),
        in_cases=sum(row["case_id"] is not None for row in every),
        cases=len({row["case_id"] for row in every if row["case_id"] is not None}),
    )


@router.get("/cases")
def cases(
    request: Request,
    user: Read,
    status: Annotated[str, Query(pattern=CASE_STATUS)] = "working",
) -> HTMLResponse:
    """Monitoring cases: an account's alerts grouped, its typology score, where it stands."""
    chosen = cases_service.list_cases(
        user.name, None if status == "all" else status, database(request)
    )
    summary = cases_service.summarise(chosen)
    chosen.sort(key=lambda row: (-row["score"], row["case_id"]))
    return render(
        request,
        "cases.html",
        user,
        summary=summary,
        rows=chosen[:PAGE_ROWS],
        more=max(0, len(chosen) - PAGE_ROWS),
        status=status,
        csrf=user.csrf_token,
    )


@router.post("/cases/open")
def cases_open(request: Request, user: WorkCases) -> Response:
    """Group the monitoring alerts in no case yet into their accounts' cases."""
    cases_service.open_cases(user.name, database(request))
    return _back("/ui/cases")


@router.get("/cases/{case_id}")
def case_page(request: Request, case_id: RowId, user: Read) -> HTMLResponse:
    found = cases_service.get_case(user.name, case_id, database(request))
    pending = next((d for d in found["decisions"] if d["status"] == "proposed"), None)
    flow = charts.flow(
        "chart-flow",
        text(_lang(request, user), "chart_money_flow"),
        found["account"],
        flow_edges(found["transactions"]),
        empty=text(_lang(request, user), "transactions_not_loaded"),
    )
    return render(
        request,
        "case.html",
        user,
        case=found,
        pending=pending,
        csrf=user.csrf_token,
        flow=flow,
    )


def flow_edges(records: list[dict[str, Any]]) -> list[charts.Edge]:
    """A case's transfers summed per payer, payee and currency, the largest first."""
    sums: dict[tuple[str, str, str], tuple[Decimal, int]] = {}
    for record in records:
        payer = _account_of(record.get("originator"))
        payee = _account_of(record.get("beneficiary"))
        key = (payer, payee, str(record.get("currency") or ""))
        total, count = sums.get(key, (Decimal(0), 0))
        sums[key] = (total + Decimal(str(record.get("amount") or 0)), count + 1)
    ordered = sorted(sums.items(), key=lambda item: -item[1][0])
    return [
        charts.Edge(payer, payee, f"{money(total)} {currency}", count, float(total))
        for (payer, payee, currency), (total, count) in ordered
    ]


def _account_of(side: Any) -> str:
    """A side of a transfer as the graph names it: its account, else its name."""
    side = side if isinstance(side, dict) else {}
    return str(side.get("account") or side.get("name") or "?")


@router.post("/cases/{case_id}/review")
def case_review(request: Request, case_id: RowId, user: WorkCases) -> Response:
    cases_service.review(user.name, case_id, database(request))
    return _back(f"/ui/cases/{case_id}")


@router.post("/cases/{case_id}/propose")
def case_propose(
    request: Request,
    case_id: RowId,
    user: WorkCases,
    action: Annotated[str, Form(pattern="^(report|close)$")],
    reason: Reason = "",
) -> Response:
    cases_service.propose(user.name, case_id, action, _text(reason), database(request))
    return _back(f"/ui/cases/{case_id}")


@router.post("/cases/{case_id}/withdraw")
def case_withdraw(
    request: Request,
    case_id: RowId,
    user: WorkCases,
    reason: Reason = "",
) -> Response:
    cases_service.withdraw(user.name, case_id, _text(reason) or None, database(request))
    return _back(f"/ui/cases/{case_id}")


@router.post("/cases/{case_id}/approve")
def case_approve(request: Request, case_id: RowId, user: ApproveCases) -> Response:
    cases_service.approve(user.name, case_id, database(request))
    return _back(f"/ui/cases/{case_id}")


@router.get("/lists")
def lists(request: Request, user: Read) -> HTMLResponse:
    versions = lists_service.list_versions(user.name, database(request), all_versions=True)
    return render(request, "lists.html", user, versions=list(reversed(versions)))


@router.get("/lists/{source}/diff")
def list_diff(
    request: Request,
    source: Annotated[str, Path(max_length=64)],
    user: Read,
    version: Annotated[str | None, Query(max_length=200)] = None,
) -> HTMLResponse:
    db = database(request)
    newer, older, diff = lists_service.version_diff(user.name, source, version=version, db=db)
    return render(
        request, "diff.html", user, source=source, newer=newer, older=older, diff=diff.to_dict()
    )


@router.get("/audit")
def audit(
    request: Request,
    user: Audit,
    before_id: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> HTMLResponse:
    """The audit timeline, newest first, a page at a time, with the chain's verdict."""
    db = database(request)
    report = audit_service.verify_audit(user.name, db)
    last = before_id - 1 if before_id else report.rows
    first = max(1, last - 99)
    rows = audit_service.audit_rows(user.name, after_id=first - 1, limit=last - first + 1, db=db)
    return render(
        request,
        "audit.html",
        user,
        report=report,
        rows=list(reversed(rows)),
        older=first if first > 1 else None,
        newer=last + 101 if last < report.rows else None,
    )


Encoding = Annotated[str, Form(max_length=20)]


@router.get("/upload")
def upload_page(request: Request, user: Import) -> HTMLResponse:
    return render(request, "upload.html", user, csrf=user.csrf_token, encodings=ENCODINGS)


@router.post("/upload")
def upload(
    request: Request,
    user: ImportPost,
    file: UploadFile,
    strict: Annotated[bool, Form()] = False,
    encoding: Encoding = "",
) -> Response:
    job_id = customers_service.start_import(
        user.name,
        file.filename or "",
        file.file,
        strict=strict,
        encoding=encoding or None,
        db=database(request),
    )
    return _back(f"/ui/jobs/{job_id}")


@router.get("/jobs/{job_id}")
def job(request: Request, job_id: RowId, user: Read) -> HTMLResponse:
    record = customers_service.get_job(user.name, job_id, database(request))
    return render(
        request,
        "job.html",
        user,
        job=record,
        encodings=ENCODINGS if has_encoding(record["file"]) else {},
        csrf=user.csrf_token,
    )


@router.post("/jobs/{job_id}/encoding")
def job_encoding(request: Request, job_id: RowId, user: ImportPost, encoding: Encoding) -> Response:
    """The upload of an ended job imported again, read in the encoding the person chose."""
    again = customers_service.reimport(user.name, job_id, encoding, db=database(request))
    return _back(f"/ui/jobs/{again}")


@router.get("/jobs/{job_id}/problems")
def job_problems(request: Request, job_id: RowId, user: Read) -> FileResponse:
    """The import's problems file, to download."""
    path = customers_service.job_problems(user.name, job_id, database(request))
    return FileResponse(path, media_type="text/csv", filename=path.name, headers=HEADERS)


@router.get("/fairness")
def fairness(request: Request, user: ReviewFairness) -> HTMLResponse:
    """Alert rates of the installation's customers by the script of their name, and the
    benchmark's if one is configured."""
    benchmark, benchmark_error = [], None
    path = load_settings().fairness_file
    if path is not None:
        try:
            benchmark = fairness_service.read_benchmark(path)
        except InputError as exc:  # the page still shows the installation's own figures
            benchmark_error = str(exc)
    return render(
        request,
        "fairness.html",
        user,
        figures=fairness_service.fairness_figures(user.name, database(request)),
        benchmark=benchmark,
        benchmark_error=benchmark_error,
    )


def _text(value: str) -> str:
    """Form text that is stored, trimmed (hygiene.refuse_nul: no NUL character)."""
    return hygiene.refuse_nul(value).strip()


def _sign_in_cookie(request: Request, response: Response, token: str) -> None:
    response.set_cookie(
        SIGN_IN_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path="/ui",
        max_age=3600,
    )


def hours(value: float) -> str:
    """Hours left as h:mm, negative once past."""
    sign = "-" if value < 0 else ""
    minutes = round(abs(value) * 60)
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"


@pass_context
def when(context: Context, value: dt.datetime | str | None) -> str:
    """A stored (UTC) timestamp as people read it, in the entity's time zone (the page's)."""
    zone: dt.tzinfo = context["zone"]
    return shown(value, zone)


def money(value: object) -> str:
    """An amount with its thousands apart (a thin space) and two decimals: 1 234 567.00."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return f"{number:,.2f}".replace(",", "\u202f")


_templates.filters["hours"] = hours
_templates.filters["money"] = money
_templates.filters["when"] = when
