"""One error base for finmon; every front door maps these to its exit codes or HTTP statuses."""

from __future__ import annotations


class FinmonError(Exception):
    """Base of every error finmon reports to a person. The message names the file and place."""

    exit_code = 1
    http_status = 400


class InputError(FinmonError):
    """Bad input: malformed, hostile, wrongly encoded or incomplete file or value."""

    exit_code = 2
    http_status = 422


class ListRefused(FinmonError):
    """A list version that would replace a newer or much larger one without --force."""

    exit_code = 3
    http_status = 409


class StoreError(FinmonError):
    """The database is unusable or busy."""

    exit_code = 4
    http_status = 503


class StoreBusy(StoreError):
    """The database stayed locked by another writer for the whole busy timeout: try again."""

    retry_after = 5
    """Seconds a client is told to wait before it tries again (HTTP Retry-After)."""


class NotFound(FinmonError):
    exit_code = 5
    http_status = 404


class FetchError(FinmonError):
    """A list could not be downloaded."""

    exit_code = 6
    http_status = 502


class WorkflowRefused(FinmonError):
    """A decision the workflow does not allow: the wrong state, or four-eyes not kept."""

    exit_code = 7
    http_status = 409


class Unauthenticated(FinmonError):
    """No credentials, or credentials finmon does not accept (unknown, revoked, disabled)."""

    exit_code = 8
    http_status = 401


class Forbidden(FinmonError):
    """The signed-in user's role does not allow this."""

    exit_code = 9
    http_status = 403


ROW_PROBLEMS_EXIT = 10
"""Exit status of `finmon screen` and `finmon customers import` that did their work but met
problems in rows (values left out, rows skipped): distinct from success (0) and from every
FinmonError's status (1-9), so a script can tell a file to look at from a refused one."""
