"""The case workflow's rules, without a store: which step each state allows."""

from __future__ import annotations

import pytest

from finmon.errors import WorkflowRefused
from finmon.workflow.cases import (
    WORKED_ON,
    CaseStatus,
    check_pending,
    check_proposable,
    check_reportable,
    take_for_review,
)


@pytest.mark.parametrize("status", list(CaseStatus))
def test_only_an_open_case_or_one_under_review_is_taken(status: CaseStatus) -> None:
    if status in (CaseStatus.OPEN, CaseStatus.UNDER_REVIEW):
        assert take_for_review(7, status) is CaseStatus.UNDER_REVIEW
    else:
        with pytest.raises(WorkflowRefused, match=f"case 7 is {status}"):
            take_for_review(7, status)


@pytest.mark.parametrize("status", list(CaseStatus))
def test_only_a_case_under_review_takes_a_proposal(status: CaseStatus) -> None:
    if status is CaseStatus.UNDER_REVIEW:
        check_proposable(3, status, "structured deposits")
        with pytest.raises(WorkflowRefused, match="needs a reason"):
            check_proposable(3, status, "  ")
        return
    with pytest.raises(WorkflowRefused, match="case 3"):
        check_proposable(3, status, "structured deposits")


def test_a_decided_case_is_never_worked_on_again() -> None:
    assert CaseStatus.REPORTED not in WORKED_ON and CaseStatus.CLOSED not in WORKED_ON
    with pytest.raises(WorkflowRefused, match="cannot be reopened"):
        check_proposable(5, CaseStatus.CLOSED, "new facts")


@pytest.mark.parametrize("status", list(CaseStatus))
def test_approval_needs_a_pending_proposal_and_a_report_an_approved_one(
    status: CaseStatus,
) -> None:
    for check, allowed in (
        (check_pending, CaseStatus.PROPOSED),
        (check_reportable, CaseStatus.REPORTED),
    ):
        if status is allowed:
            check(9, status)
        else:
            with pytest.raises(WorkflowRefused, match="case 9"):
                check(9, status)
