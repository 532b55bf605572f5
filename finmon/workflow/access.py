"""Who may do what: the four roles and the actions each allows, with no I/O.

`finmon.services.access.authorize` applies this table for every service, so the command line,
the API and the web are refused alike (the HTTP doors also ask `check_allowed` per route, before
a request's body is read); four-eyes is checked by the store itself (by person, not by account
name), whoever calls it.
"""

from __future__ import annotations

from enum import StrEnum

from finmon.errors import Forbidden


class Role(StrEnum):
    ANALYST = "analyst"
    """Screens, imports customer files, decides alerts, asks for releases and payments,
    works monitoring cases."""
    SUPERVISOR = "supervisor"
    """What an analyst may, plus the second approval: confirmed hits, releases, payments,
    case outcomes."""
    ADMIN = "admin"
    """Users and their keys; screens and reads, decides nothing."""
    AUDITOR = "auditor"
    """Reads everything and exports the audit trail; changes nothing."""


class Action(StrEnum):
    SCREEN = "screen parties"
    READ = "read lists, customers, alerts and freezes"
    IMPORT_CUSTOMERS = "import customers"
    DECIDE = "decide alerts"
    APPROVE = "approve as the second person"
    """The second person's approval: a confirmed hit, a release, a permitted payment, a payment
    counterparty's clearance."""
    CLEAR = "clear payment counterparties as false positives"
    """Propose that a payment counterparty is not the listed party it resembles, or revoke such
    a clearance; a second person approves the proposal (APPROVE)."""
    REQUEST = "ask for a release or a permitted payment"
    WORK_CASES = "review cases and propose their outcome"
    """Take a monitoring case for review; propose to report it or close it, or withdraw that."""
    APPROVE_CASES = "approve a case's outcome as the second person"
    """The second person's approval of a suspicious-transaction report or a case's closing."""
    MANAGE_USERS = "manage users"
    """Ask for accounts, role changes and credentials; disable accounts and revoke keys."""
    APPROVE_USERS = "approve accounts, role changes and credentials as the second person"
    LOAD_LISTS = "load list versions"
    AUDIT = "read the audit trail"
    REVIEW_FAIRNESS = "read the alert rates by the script of customers' names"
    """The supervisors' fairness page: a measurement of the screening, never a matching input."""


ALLOWED: dict[Action, frozenset[Role]] = {
    Action.SCREEN: frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ADMIN}),
    Action.READ: frozenset(Role),
    Action.IMPORT_CUSTOMERS: frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ADMIN}),
    Action.DECIDE: frozenset({Role.ANALYST, Role.SUPERVISOR}),
    Action.APPROVE: frozenset({Role.SUPERVISOR}),
    Action.CLEAR: frozenset({Role.ANALYST, Role.SUPERVISOR}),
    Action.REQUEST: frozenset({Role.ANALYST, Role.SUPERVISOR}),
    Action.WORK_CASES: frozenset({Role.ANALYST, Role.SUPERVISOR}),
    Action.APPROVE_CASES: frozenset({Role.SUPERVISOR}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.APPROVE_USERS: frozenset({Role.ADMIN, Role.SUPERVISOR}),
    Action.LOAD_LISTS: frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ADMIN}),
    Action.AUDIT: frozenset({Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}),
    Action.REVIEW_FAIRNESS: frozenset({Role.SUPERVISOR, Role.ADMIN}),
}
"""The roles allowed each action; anything not listed here is refused."""

SECOND_PERSON = frozenset({Action.APPROVE, Action.APPROVE_CASES, Action.APPROVE_USERS})
"""Actions that complete what another person began: they need accounts, never a bare name."""


def check_allowed(user: str, role: Role, action: Action) -> None:
    """Refuse (Forbidden) an action the role does not allow."""
    if role not in ALLOWED[action]:
        allowed = ", ".join(sorted(ALLOWED[action]))
        raise Forbidden(f"user {user!r} ({role}) may not {action}: that is for {allowed}")
