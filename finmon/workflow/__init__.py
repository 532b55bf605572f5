"""The rules of the alert and freeze workflows, with no I/O: states, transitions, four-eyes.

An alert is decided by one person and, when the decision would freeze or release money, approved
by a second, different person. The store applies these rules; nothing else decides what may happen.
"""

from __future__ import annotations

from enum import StrEnum

from finmon.errors import WorkflowRefused


class AlertStatus(StrEnum):
    OPEN = "open"
    ESCALATED = "escalated"
    PENDING_APPROVAL = "pending_approval"
    """A first person decided "confirmed hit"; a second must approve before the freeze."""
    CONFIRMED_HIT = "confirmed_hit"
    FALSE_POSITIVE = "false_positive"
    WITHDRAWN = "withdrawn"
    """The designation was delisted before anyone finished deciding: there is nothing to freeze."""


class Verdict(StrEnum):
    """What `finmon alerts decide` accepts."""

    CONFIRMED_HIT = "confirmed_hit"
    FALSE_POSITIVE = "false_positive"
    ESCALATE = "escalate"


class FreezeStatus(StrEnum):
    ACTIVE = "active"
    RELEASE_REVIEW = "release_review"
    """Opened by a delisting: someone must look and, if right, request the release."""
    RELEASE_PENDING = "release_pending"
    """A first person requested the release; a second must approve it."""
    RELEASED = "released"


class ClearanceStatus(StrEnum):
    """A payment counterparty cleared as a false positive (finmon.store.clearances)."""

    PENDING_APPROVAL = "pending_approval"
    """Proposed with a reason; a second person must approve before it covers any payment."""
    ACTIVE = "active"
    REVOKED = "revoked"
    """Taken back (or withdrawn before approval): the counterparty is held again."""


class PaymentStatus(StrEnum):
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"


AWAITING = frozenset({AlertStatus.OPEN, AlertStatus.ESCALATED, AlertStatus.PENDING_APPROVAL})
"""Alerts that nobody has finished deciding: they count against the 24 hours."""
DECIDED = frozenset({AlertStatus.CONFIRMED_HIT, AlertStatus.FALSE_POSITIVE, AlertStatus.WITHDRAWN})
"""Alerts that are closed: decided, or withdrawn by a delisting."""

FREEZE_HOURS = 24
"""Article 13 section 1-1: freeze within 24 hours of the listing being posted."""


def decide(status: AlertStatus, verdict: Verdict, reason: str | None) -> AlertStatus:
    """The alert's next status after a first decision; refuses what the workflow does not allow."""
    if status is AlertStatus.PENDING_APPROVAL:
        raise WorkflowRefused(
            "the alert awaits a second person's approval of a confirmed hit: nobody can decide "
            "it again; only the person who proposed it can withdraw the proposal"
        )
    if status not in AWAITING:
        raise WorkflowRefused(
            f"the alert is already decided ({status}); it cannot be decided again"
        )
    if verdict is not Verdict.CONFIRMED_HIT and not (reason and reason.strip()):
        raise WorkflowRefused(f"a decision of {verdict} needs a reason (--reason)")
    return {
        Verdict.CONFIRMED_HIT: AlertStatus.PENDING_APPROVAL,
        Verdict.FALSE_POSITIVE: AlertStatus.FALSE_POSITIVE,
        Verdict.ESCALATE: AlertStatus.ESCALATED,
    }[verdict]


def check_second_person(first: str, second: str, what: str) -> None:
    """Four-eyes: the person approving must not be the person who proposed."""
    if first.strip().casefold() == second.strip().casefold():
        raise WorkflowRefused(
            f"four-eyes: {what} was proposed by {first!r} and must be approved by someone else"
        )


def withdraw_alert(status: AlertStatus, proposer: str, by_author: bool) -> None:
    """Refuse a withdrawal of anything but a pending confirmed hit, by anyone but its author."""
    if status is not AlertStatus.PENDING_APPROVAL:
        raise WorkflowRefused(
            f"only a proposal awaiting approval can be withdrawn; this alert is {status}"
        )
    if not by_author:
        raise WorkflowRefused(
            f"only {proposer!r}, who proposed the confirmed hit, can withdraw the proposal"
        )


def approve_alert(status: AlertStatus) -> AlertStatus:
    """The status after a second person approves a confirmed hit."""
    if status is not AlertStatus.PENDING_APPROVAL:
        raise WorkflowRefused(
            f"only an alert decided confirmed_hit and awaiting approval can be approved; "
            f"this one is {status}"
        )
    return AlertStatus.CONFIRMED_HIT


def request_release(status: FreezeStatus) -> FreezeStatus:
    """The status after a first person asks to release a freeze."""
    if status not in (FreezeStatus.ACTIVE, FreezeStatus.RELEASE_REVIEW):
        raise WorkflowRefused(f"a freeze that is {status} cannot be asked to be released")
    return FreezeStatus.RELEASE_PENDING


def approve_release(status: FreezeStatus) -> FreezeStatus:
    """The status after a second person approves the release."""
    if status is not FreezeStatus.RELEASE_PENDING:
        raise WorkflowRefused(f"only a requested release can be approved; this freeze is {status}")
    return FreezeStatus.RELEASED


def approve_clearance(status: ClearanceStatus) -> ClearanceStatus:
    """The status after a second person approves a counterparty's clearance."""
    if status is not ClearanceStatus.PENDING_APPROVAL:
        raise WorkflowRefused(f"only a proposed clearance can be approved; this one is {status}")
    return ClearanceStatus.ACTIVE


def revoke_clearance(status: ClearanceStatus, reason: str | None) -> ClearanceStatus:
    """The status after a clearance is revoked (or a proposal withdrawn); needs a reason."""
    if status is ClearanceStatus.REVOKED:
        raise WorkflowRefused("the clearance is already revoked")
    if not (reason and reason.strip()):
        raise WorkflowRefused("revoking a clearance needs a reason (--reason)")
    return ClearanceStatus.REVOKED
