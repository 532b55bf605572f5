"""One error base for finmon; every front door maps these to its exit codes or HTTP statuses."""

from __future__ import annotations

from typing import Any


class FinmonError(Exception):
    """Base of every error finmon reports to a person. The message names the file and place."""

    exit_code = 1
    http_status = 400

    def __init_subclass__(
        cls, *, exit_code: int | None = None, http_status: int | None = None, **kwargs: Any
    ) -> None:
        """Give a subclass its own exit code and HTTP status, named in its class line."""
        super().__init_subclass__(**kwargs)
        if exit_code is not None:
            cls.exit_code = exit_code
        if http_status is not None:
            cls.http_status = http_status


class InputError(FinmonError, exit_code=2, http_status=422):
    """Bad input: malformed, hostile, wrongly encoded or incomplete file or value."""


class NotConfigured(InputError):
    """A setting this step needs is not configured; the message names it and where it is set."""


class ListRefused(FinmonError, exit_code=3, http_status=409):
    """A list version that would replace a newer or much larger one without --force."""


class StoreError(FinmonError, exit_code=4, http_status=503):
    """The database is unusable or busy."""


class StoreBusy(StoreError):
    """The database stayed locked by another writer for the whole busy timeout: try again."""

    retry_after = 5
    """Seconds a client is told to wait before it tries again (HTTP Retry-After)."""


class NotFound(FinmonError, exit_code=5, http_status=404):
    """What was asked for does not exist."""


class FetchError(FinmonError, exit_code=6, http_status=502):
    """A list could not be downloaded."""


class WorkflowRefused(FinmonError, exit_code=7, http_status=409):
    """A decision the workflow does not allow: the wrong state, or four-eyes not kept."""


class Unauthenticated(FinmonError, exit_code=8, http_status=401):
    """No credentials, or credentials finmon does not accept (unknown, revoked, disabled)."""


class Forbidden(FinmonError, exit_code=9, http_status=403):
    """The signed-in user's role does not allow this."""


class WorkerLost(FinmonError, http_status=500):
    """A worker process died (killed, out of memory) amid the work; the message names the work
    lost. What was written before stays, as after any interrupted run."""


ROW_PROBLEMS_EXIT = 10
"""Exit status of `finmon screen` and `finmon customers import` that did their work but met
problems in rows (values left out, rows skipped): distinct from success (0) and from every
FinmonError's status (1-9), so a script can tell a file to look at from a refused one."""
