"""The rules of the case workflow, with no I/O: a case's states and which step each allows.

A case groups an account's monitoring alerts for one decision. Someone takes it for review and
proposes an outcome with a reason (report: file a suspicious-transaction report; close: no
suspicion); a second person approves it. Until then the proposal may be withdrawn by its author.
The store applies these rules (finmon.store.cases) and keeps the audit trail.
"""

from __future__ import annotations

from enum import StrEnum

from finmon.errors import WorkflowRefused


class CaseStatus(StrEnum):
    OPEN = "open"
    """Alerts grouped; nobody has taken the case yet."""
    UNDER_REVIEW = "under_review"
    PROPOSED = "proposed"
    """An outcome is proposed; a second person must approve it."""
    REPORTED = "reported"
    """Approved: a suspicious-transaction report is to be filed (case_report_data)."""
    CLOSED = "closed"
    """Approved: no suspicion."""


class CaseAction(StrEnum):
    """What a proposal on a case asks for."""

    REPORT = "report"
    CLOSE = "close"


class DecisionStatus(StrEnum):
    PROPOSED = "proposed"
    APPROVED = "approved"
    SUPERSEDED = "superseded"
    """Withdrawn, replaced by a newer proposal, or outdated by alerts that joined the case."""


WORKED_ON = frozenset({CaseStatus.OPEN, CaseStatus.UNDER_REVIEW, CaseStatus.PROPOSED})
"""Cases not decided yet: an account's new alerts join its case while it is in one of these."""
OUTCOME = {CaseAction.REPORT: CaseStatus.REPORTED, CaseAction.CLOSE: CaseStatus.CLOSED}
"""The status an approved proposal gives its case."""


def take_for_review(case_id: int, status: str) -> CaseStatus:
    """The status of a case taken for review; only an open case or one under review can be."""
    if status not in (CaseStatus.OPEN, CaseStatus.UNDER_REVIEW):
        raise WorkflowRefused(
            f"case {case_id} is {status}; only an open case or one under review can be "
            "taken for review"
        )
    return CaseStatus.UNDER_REVIEW


def check_proposable(case_id: int, status: str, reason: str | None) -> None:
    """Refuse a proposal on a case that is not under review, or one without a reason."""
    if status == CaseStatus.PROPOSED:
        raise WorkflowRefused(
            f"case {case_id} has a proposal awaiting approval: nobody can replace it; only its "
            f"author can withdraw it (finmon cases withdraw {case_id})"
        )
    if status == CaseStatus.OPEN:
        raise WorkflowRefused(
            f"case {case_id} is open: take it for review first (finmon cases review {case_id})"
        )
    if CaseStatus(status) not in WORKED_ON:
        raise WorkflowRefused(f"case {case_id} is already {status}; it cannot be reopened")
    if not (reason and reason.strip()):
        raise WorkflowRefused("a proposal on a case needs a reason (--reason)")


def check_pending(case_id: int, status: str) -> None:
    """Refuse to approve or withdraw on a case that has no proposal awaiting approval."""
    if status != CaseStatus.PROPOSED:
        raise WorkflowRefused(f"case {case_id} has no proposal awaiting approval (it is {status})")


def check_reportable(case_id: int, status: str) -> None:
    """Refuse a report on a case that a second person has not approved for reporting."""
    if status != CaseStatus.REPORTED:
        raise WorkflowRefused(
            f"case {case_id} is {status}, not approved for reporting: a report needs a "
            "proposal to report the case, approved by a second person"
        )
