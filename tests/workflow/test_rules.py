"""The workflow's pure rules: which transitions an alert or a freeze may take, and four-eyes."""

from __future__ import annotations

import pytest

from finmon.errors import WorkflowRefused
from finmon.workflow import (
    AWAITING,
    DECIDED,
    FREEZE_HOURS,
    AlertStatus,
    FreezeStatus,
    Verdict,
    approve_alert,
    approve_release,
    check_second_person,
    decide,
    request_release,
)


@pytest.fixture
def server_database() -> None:
    """These rules touch no database, so none is made for them even on a test server."""
    return None


NEXT = {
    Verdict.CONFIRMED_HIT: AlertStatus.PENDING_APPROVAL,
    Verdict.FALSE_POSITIVE: AlertStatus.FALSE_POSITIVE,
    Verdict.ESCALATE: AlertStatus.ESCALATED,
}


def test_every_alert_status_is_awaiting_or_decided() -> None:
    assert AWAITING.isdisjoint(DECIDED)
    assert set(AlertStatus) == AWAITING | DECIDED
    assert FREEZE_HOURS == 24


@pytest.mark.parametrize("status", sorted(AWAITING - {AlertStatus.PENDING_APPROVAL}))
@pytest.mark.parametrize("verdict", list(Verdict))
def test_an_awaiting_alert_takes_any_verdict(status: AlertStatus, verdict: Verdict) -> None:
    assert decide(status, verdict, "reason given") is NEXT[verdict]


@pytest.mark.parametrize("verdict", list(Verdict))
def test_a_proposal_awaiting_approval_is_locked(verdict: Verdict) -> None:
    with pytest.raises(WorkflowRefused, match="only the person who proposed it can withdraw"):
        decide(AlertStatus.PENDING_APPROVAL, verdict, "changed my mind")


def test_a_confirmed_hit_needs_no_reason_but_awaits_approval() -> None:
    assert decide(AlertStatus.OPEN, Verdict.CONFIRMED_HIT, None) is AlertStatus.PENDING_APPROVAL


@pytest.mark.parametrize("verdict", [Verdict.FALSE_POSITIVE, Verdict.ESCALATE])
@pytest.mark.parametrize("reason", [None, "", " \t\n"])
def test_other_verdicts_need_a_reason(verdict: Verdict, reason: str | None) -> None:
    with pytest.raises(WorkflowRefused, match=f"a decision of {verdict} needs a reason"):
        decide(AlertStatus.OPEN, verdict, reason)


@pytest.mark.parametrize("status", sorted(DECIDED))
@pytest.mark.parametrize("verdict", list(Verdict))
def test_a_decided_alert_is_not_decided_again(status: AlertStatus, verdict: Verdict) -> None:
    with pytest.raises(WorkflowRefused, match="already decided"):
        decide(status, verdict, "reason given")


def test_only_a_pending_confirmed_hit_is_approved() -> None:
    assert approve_alert(AlertStatus.PENDING_APPROVAL) is AlertStatus.CONFIRMED_HIT
    for status in set(AlertStatus) - {AlertStatus.PENDING_APPROVAL}:
        with pytest.raises(WorkflowRefused, match=f"this one is {status}"):
            approve_alert(status)


@pytest.mark.parametrize(
    ("first", "second"),
    [("anna", "anna"), ("anna", "ANNA"), ("Anna", " anna "), ("ağa", "AĞA"), ("straße", "STRASSE")],
)
def test_four_eyes_refuses_the_same_person_however_written(first: str, second: str) -> None:
    with pytest.raises(WorkflowRefused, match="four-eyes"):
        check_second_person(first, second, "the confirmed hit on alert 1")


def test_four_eyes_lets_a_different_person_approve() -> None:
    check_second_person("anna", "bolat", "the confirmed hit on alert 1")
    check_second_person("anna", "anna.k", "the confirmed hit on alert 1")


@pytest.mark.parametrize("status", [FreezeStatus.ACTIVE, FreezeStatus.RELEASE_REVIEW])
def test_an_active_or_reviewed_freeze_may_be_asked_to_be_released(status: FreezeStatus) -> None:
    assert request_release(status) is FreezeStatus.RELEASE_PENDING


@pytest.mark.parametrize("status", [FreezeStatus.RELEASE_PENDING, FreezeStatus.RELEASED])
def test_a_pending_or_released_freeze_is_not_asked_again(status: FreezeStatus) -> None:
    with pytest.raises(WorkflowRefused, match=f"a freeze that is {status}"):
        request_release(status)


def test_only_a_requested_release_is_approved() -> None:
    assert approve_release(FreezeStatus.RELEASE_PENDING) is FreezeStatus.RELEASED
    for status in set(FreezeStatus) - {FreezeStatus.RELEASE_PENDING}:
        with pytest.raises(WorkflowRefused, match=f"this freeze is {status}"):
            approve_release(status)


def test_refusals_exit_with_code_seven() -> None:
    assert WorkflowRefused.exit_code == 7
