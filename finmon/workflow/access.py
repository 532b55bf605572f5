"""Who may do what: the roles and the actions each allows, with no I/O.

The reporting entity's four roles (analyst, supervisor, admin, auditor) and the FIU's three
(fiu_analyst, fiu_supervisor, agency_reader) share no action but account management: what an FIU
holds (reports from every entity, subjects across them, requests from partner FIUs) is never
readable by a reporting entity's role, nor the reverse.

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
    FIU_ANALYST = "fiu_analyst"
    """At the FIU: receives and reads the entities' reports, resolves subjects, drafts
    disseminations and requests to partner FIUs."""
    FIU_SUPERVISOR = "fiu_supervisor"
    """At the FIU: what an FIU analyst may, plus the second approval (disseminations, answers to
    partner FIUs) and publishing the national list."""
    AGENCY_READER = "agency_reader"
    """Another agency: reads the data bank of banned organisations, nothing else."""


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
    FIU_INTAKE = "receive reports from reporting entities"
    FIU_READ = "read the FIU's reports, subjects and networks"
    FIU_RESOLVE = "judge whether records are one subject"
    FIU_ENTITIES = "register reporting entities"
    FIU_DISSEMINATE = "draft disseminations and requests to partner FIUs"
    FIU_APPROVE = "approve as the FIU's second person"
    """A dissemination to law enforcement, an answer to a partner FIU."""
    PUBLISH_LISTS = "publish the national list to reporting entities"
    READ_BANNED = "read the data bank of banned organisations"
    MANAGE_BANNED = "record court bans of organisations"


ENTITY_ROLES = frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ADMIN, Role.AUDITOR})
"""The reporting entity's roles."""
FIU_ROLES = frozenset({Role.FIU_ANALYST, Role.FIU_SUPERVISOR})
"""The FIU's own staff."""

ALLOWED: dict[Action, frozenset[Role]] = {
    Action.SCREEN: frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ADMIN}),
    Action.READ: ENTITY_ROLES,
    Action.IMPORT_CUSTOMERS: frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ADMIN}),
    Action.DECIDE: frozenset({Role.ANALYST, Role.SUPERVISOR}),
    Action.APPROVE: frozenset({Role.SUPERVISOR}),
    Action.CLEAR: frozenset({Role.ANALYST, Role.SUPERVISOR}),
    Action.REQUEST: frozenset({Role.ANALYST, Role.SUPERVISOR}),
    Action.WORK_CASES: frozenset({Role.ANALYST, Role.SUPERVISOR}),
    Action.APPROVE_CASES: frozenset({Role.SUPERVISOR}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.APPROVE_USERS: frozenset({Role.ADMIN, Role.SUPERVISOR, Role.FIU_SUPERVISOR}),
    Action.LOAD_LISTS: frozenset({Role.ANALYST, Role.SUPERVISOR, Role.ADMIN}),
    Action.AUDIT: frozenset({Role.AUDITOR, Role.SUPERVISOR, Role.ADMIN}),
    Action.REVIEW_FAIRNESS: frozenset({Role.SUPERVISOR, Role.ADMIN}),
    Action.FIU_INTAKE: FIU_ROLES,
    Action.FIU_READ: FIU_ROLES,
    Action.FIU_RESOLVE: FIU_ROLES,
    Action.FIU_ENTITIES: frozenset({Role.FIU_SUPERVISOR, Role.ADMIN}),
    Action.FIU_DISSEMINATE: FIU_ROLES,
    Action.FIU_APPROVE: frozenset({Role.FIU_SUPERVISOR}),
    Action.PUBLISH_LISTS: frozenset({Role.FIU_SUPERVISOR}),
    Action.READ_BANNED: frozenset({*FIU_ROLES, Role.AGENCY_READER}),
    Action.MANAGE_BANNED: FIU_ROLES,
}
"""The roles allowed each action; anything not listed here is refused."""

SECOND_PERSON = frozenset(
    {Action.APPROVE, Action.APPROVE_CASES, Action.APPROVE_USERS, Action.FIU_APPROVE}
)
"""Actions that complete what another person began: they need accounts, never a bare name."""


def check_allowed(user: str, role: Role, action: Action) -> None:
    """Refuse (Forbidden) an action the role does not allow."""
    if role not in ALLOWED[action]:
        allowed = ", ".join(sorted(ALLOWED[action]))
        raise Forbidden(f"user {user!r} ({role}) may not {action}: that is for {allowed}")
