"""The one mapping of errors to HTTP answers, for the API and the web pages it serves: a
FinmonError gets its own status (JSON under the API, a page under /ui, where a missing session
sends the browser to the sign-in page instead), and a request that does not fit its route 422."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from finmon.errors import FinmonError, InputError, StoreBusy, Unauthenticated
from finmon.web import error_page


def install(app: FastAPI) -> None:
    """Answer FinmonErrors and invalid requests through this module."""
    app.add_exception_handler(FinmonError, finmon_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, invalid_request)  # type: ignore[arg-type]


def _is_web(request: Request) -> bool:
    return str(request.scope.get("path", "")).startswith("/ui/")


async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
    """A request that does not fit its route: JSON for the API, a page for the web interface."""
    if _is_web(request):
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()
        )
        return error_page(request, InputError(problems or "the request is not valid"))
    return await request_validation_exception_handler(request, exc)


def finmon_error(request: Request, exc: FinmonError) -> Response:
    """A FinmonError as its HTTP status, with the headers its kind asks for."""
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
