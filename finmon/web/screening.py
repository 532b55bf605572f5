"""The screening page: one name typed into a form, or a customer file screened as `finmon screen`
screens it, against every loaded list: the same actions as the API's /screen and /match. A file
is screened in the background, as an uploaded customer import is; its page refreshes until done.

Its routes join the pages' router (`finmon.web` imports this module), sharing their session, CSRF
check and rendering. The indexes are the app's (`app.state.screeners`, built once and kept
current by `finmon.services.screeners`), so a page screens as fast as the API does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Path, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse

from finmon.screening import DEFAULT_THRESHOLD
from finmon.services import screening as screening_service
from finmon.services.screeners import Screeners
from finmon.web.highlight import CaseView, hit_view
from finmon.web.pages import HEADERS, Screen, ScreenPost, _back, _lang, render, router

SHOWN_HITS = 20
"""Hits of one name shown, best first."""
KINDS = ("unknown", "person", "company")

Threshold = Annotated[float, Form(ge=0.0, le=1.0)]
Token = Annotated[str, Path(pattern="^[0-9a-f]{32}$")]


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
    user: ScreenPost,
    name: Annotated[str, Form(max_length=2000)],
    threshold: Threshold = DEFAULT_THRESHOLD,
    birth_date: Annotated[str, Form(max_length=40)] = "",
    country: Annotated[str, Form(max_length=100)] = "",
    kind: Annotated[str, Form(pattern="^(unknown|person|company)$")] = "unknown",
) -> HTMLResponse:
    """One name's hits with the explanation of each, best first."""
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
        hits=[(hit, hit_view(hit, _lang(request, user))) for hit in shown],
        lists=screener.versions,
    )


@router.post("/screen/batch")
def screen_batch(
    request: Request,
    user: ScreenPost,
    file: UploadFile,
    threshold: Threshold = DEFAULT_THRESHOLD,
) -> RedirectResponse:
    """Screen a customer file in the background; the batch's page follows it."""
    token = screening_service.start_batch(
        user.name,
        file.filename or "",
        file.file,
        _screeners(request).get("default"),
        threshold=threshold,
    )
    return _back(f"/ui/screen/batch/{token}")


@router.get("/screen/batch/{token}")
def screen_batch_page(request: Request, user: Screen, token: Token) -> HTMLResponse:
    """A batch of this user's: refreshed while it is screened, then its counts, first problems
    and the hits file to download."""
    batch = screening_service.get_batch(user.name, token)
    return _page(request, user, batch=batch, lists=batch.lists)


@router.get("/screen/batch/{token}/hits.csv")
def screen_batch_hits(request: Request, user: Screen, token: Token) -> FileResponse:
    """A batch's hits file (HIT_COLUMNS), for the user who screened it."""
    path = screening_service.batch_hits(user.name, token)
    return FileResponse(path, media_type="text/csv", filename="hits.csv", headers=HEADERS)
