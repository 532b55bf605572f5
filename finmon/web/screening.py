"""The screening page: one name typed into a form, or a customer file screened as `finmon screen`
screens it, against every loaded list: the same actions as the API's /screen and /match.

Its routes join the pages' router (`finmon.web` imports this module), sharing their session, CSRF
check and rendering. The indexes are the app's (`app.state.screeners`, built once and kept
current by `finmon.services.screeners`), so a page screens as fast as the API does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Path, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse

from finmon.screening import DEFAULT_THRESHOLD
from finmon.services import screening as screening_service
from finmon.services.screeners import Screeners
from finmon.web.highlight import CaseView, hit_view
from finmon.web.pages import HEADERS, Csrf, Screen, _check_csrf, render, router

SHOWN_HITS = 20
"""Hits of one name shown, best first."""
KINDS = ("unknown", "person", "company")

Threshold = Annotated[float, Form(ge=0.0, le=1.0)]


def _screeners(request: Request) -> Screeners:
    found: Screeners = request.app.state.screeners
    return found


def _page(
    request: Request,
    user: Screen,
    *,
    form: dict[str, str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    hits: list[tuple[dict[str, Any], CaseView]] | None = None,
    lists: dict[str, str] | None = None,
    batch: screening_service.Batch | None = None,
) -> HTMLResponse:
    return render(
        request,
        "screen.html",
        user,
        csrf=user.csrf_token,
        kinds=KINDS,
        form=form or {"name": "", "birth_date": "", "country": "", "kind": "unknown"},
        threshold=threshold,
        hits=hits,
        lists=lists,
        batch=batch,
    )


@router.get("/screen")
def screen_page(request: Request, user: Screen) -> HTMLResponse:
    """The forms: one name, or a customer file."""
    return _page(request, user)


@router.post("/screen")
def screen_name(
    request: Request,
    user: Screen,
    csrf: Csrf,
    name: Annotated[str, Form(max_length=2000)],
    threshold: Threshold = DEFAULT_THRESHOLD,
    birth_date: Annotated[str, Form(max_length=40)] = "",
    country: Annotated[str, Form(max_length=100)] = "",
    kind: Annotated[str, Form(pattern="^(unknown|person|company)$")] = "unknown",
) -> HTMLResponse:
    """One name's hits with the explanation of each, best first."""
    _check_csrf(user, csrf)
    party = screening_service.name_party(name, birth_date=birth_date, country=country, kind=kind)
    screener = _screeners(request).get("default")
    hits = screening_service.screen_name(
        user.name, party, screener, threshold=threshold, limit=SHOWN_HITS
    )
    shown = [hit.to_dict() for hit in hits]
    return _page(
        request,
        user,
        form={"name": name, "birth_date": birth_date, "country": country, "kind": kind},
        threshold=threshold,
        hits=[(hit, hit_view(hit)) for hit in shown],
        lists=screener.versions,
    )


@router.post("/screen/batch")
def screen_batch(
    request: Request,
    user: Screen,
    csrf: Csrf,
    file: UploadFile,
    threshold: Threshold = DEFAULT_THRESHOLD,
) -> HTMLResponse:
    """Screen a customer file; the page gives the counts and the hits file to download."""
    _check_csrf(user, csrf)
    screener = _screeners(request).get("default")
    batch = screening_service.screen_upload(
        user.name, file.filename or "", file.file, screener, threshold=threshold
    )
    return _page(request, user, threshold=threshold, batch=batch, lists=screener.versions)


@router.get("/screen/batch/{token}/hits.csv")
def screen_batch_hits(
    request: Request,
    user: Screen,
    token: Annotated[str, Path(pattern="^[0-9a-f]{32}$")],
) -> FileResponse:
    """A batch's hits file (HIT_COLUMNS), for the user who screened it."""
    path = screening_service.batch_hits(user.name, token)
    return FileResponse(path, media_type="text/csv", filename="hits.csv", headers=HEADERS)
