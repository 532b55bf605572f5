"""Who may act: the one place that decides, for every service and so for every front door.

`authorize` is called first by each service function with the acting name: the CLI's `--actor`,
the API key's user, the web session's user. Once the store has any account, the name must be an
active account whose role allows the action (`finmon.workflow.access.ALLOWED`). A store with no
account is a personal installation: anyone acts, but nothing that needs a second person can be
done. Four-eyes itself (two persons, not two names) is checked by the store whoever calls it.
"""

from __future__ import annotations

from dataclasses import dataclass

from finmon.errors import Forbidden, Unauthenticated
from finmon.store import Database
from finmon.store.engine import default_database
from finmon.store.users import active_principal, has_accounts
from finmon.workflow.access import SECOND_PERSON, Action, Role, check_allowed


@dataclass(frozen=True, slots=True)
class Authorized:
    """Who acts, as `authorize` found them: the name the audit log records, and the role of
    their account (None in a store with no account, where no role applies)."""

    name: str
    role: Role | None


def authorize(actor: str, action: Action, db: Database | None = None) -> Authorized:
    """The actor, allowed the action; Unauthenticated when the store has accounts and `actor`
    names no active one, Forbidden when the role does not allow it (or, with no account at all,
    when the action needs a second person)."""
    db = db or default_database()
    try:
        who = active_principal(actor, db)
    except Unauthenticated:
        if has_accounts(db):
            raise
        if action in SECOND_PERSON:
            raise Forbidden(
                f"to {action} takes accounts for both people, and this store has none: "
                "finmon users create NAME --role admin --person STAFF-NUMBER first"
            ) from None
        return Authorized(actor, None)
    check_allowed(who.name, who.role, action)
    return Authorized(who.name, who.role)
