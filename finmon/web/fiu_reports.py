"""The FIU's reports page: a goAML report uploaded and acknowledged, as `finmon fiu intake` and
POST /fiu/reports do, and the reports received, newest first.

Its routes join the pages' router (`finmon.web` imports this module), sharing their session, CSRF
check and rendering.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request, UploadFile
from fastapi.responses import HTMLResponse

from finmon.errors import InputError
from finmon.fiu.intake import Acknowledgement
from finmon.services import fiu_intake
from finmon.services.users import WebUser
from finmon.settings import load_settings
from finmon.web.deps import database, requires
from finmon.web.pages import PAGE_ROWS, _web_user, posted, render, router
from finmon.workflow.access import Action

FiuRead = Annotated[WebUser, Depends(requires(Action.FIU_READ, _web_user))]
FiuIntake = Annotated[WebUser, Depends(posted(Action.FIU_INTAKE))]


def _page(
    request: Request, user: WebUser, ack: Acknowledgement | None = None, status_code: int = 200
) -> HTMLResponse:
    reports = fiu_intake.list_reports(user.name, "all", database(request))
    return render(
        request,
        "fiu_reports.html",
        user,
        status_code=status_code,
        csrf=user.csrf_token,
        ack=ack,
        reports=reports[:PAGE_ROWS],
        more=max(0, len(reports) - PAGE_ROWS),
    )


@router.get("/fiu/reports")
def fiu_reports_page(request: Request, user: FiuRead) -> HTMLResponse:
    """The upload form and the reports received."""
    return _page(request, user)


@router.post("/fiu/reports")
def fiu_report_upload(request: Request, user: FiuIntake, file: UploadFile) -> HTMLResponse:
    """One goAML report received; the page shows its acknowledgement (422 when rejected)."""
    limit = load_settings().max_report_bytes
    data = file.file.read(limit + 1)
    if len(data) > limit:
        raise InputError(f"{file.filename}: larger than {limit:,} bytes (FINMON_MAX_REPORT_BYTES)")
    name = (file.filename or "report.xml")[:400]
    (ack,) = fiu_intake.intake(user.name, [fiu_intake.ReportFile(name, data)], db=database(request))
    return _page(request, user, ack, 200 if ack.status == "accepted" else 422)
