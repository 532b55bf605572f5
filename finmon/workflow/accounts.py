"""The rules of user accounts, with no I/O: names that cannot pass for one another, a person
behind every account, and the founding pair.

No one person may act as two. So every account names the person who holds it (a staff number or
a national ID), and one person holds at most one enabled account; four-eyes compares persons, not
account names. A name is refused when it looks like another's: names are compared by their
confusable skeleton, the idea of Unicode's UTS #39 (each character replaced by the prototype of
its class in Unicode's confusables data, as the confusable-homoglyphs package ships it), folded
for case, so 'ѕup1' (Cyrillic ѕ, digit one) is taken to be 'supl' and 'sup1'.

An installation starts with a founding pair: the first account is an administrator, the second an
administrator or a supervisor held by another person; both are active at once, because there is
nobody yet to approve them. Every later account, role change, and key or password set for someone
else waits until a second person (an administrator or a supervisor, neither the one who asked nor
the account's holder) approves it.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib.resources import files

from finmon.errors import InputError, WorkflowRefused
from finmon.workflow.access import ALLOWED, Action, Role

FOUNDERS = 2
"""Accounts made before approvals start: an administrator and a second approver."""
APPROVERS = ALLOWED[Action.APPROVE_USERS]
"""Roles whose holders approve accounts, role changes and credentials made by someone else."""
NAME = re.compile(r"[\w.@-]{1,200}")
PERSON = re.compile(r"[\w./-]{1,64}")
_DIRECTION_MARKS = str.maketrans("", "", "\u200e\u200f")


def normal_name(name: str) -> str:
    """A user name as stored: NFKC, checked for its characters; InputError otherwise."""
    normal = unicodedata.normalize("NFKC", name.strip())
    if not NAME.fullmatch(normal):
        raise InputError(
            f"user name {name!r}: use 1-200 letters, digits, '.', '_', '-' or '@' (no spaces)"
        )
    return normal


def normal_person(person: str) -> str:
    """A staff number or national ID as compared: NFKC, folded, no spaces; InputError if empty."""
    normal = "".join(unicodedata.normalize("NFKC", person).casefold().split())
    if not PERSON.fullmatch(normal):
        raise InputError(
            f"person {person!r}: give the holder's staff number or national ID (1-64 letters, "
            "digits, '.', '/', '-')"
        )
    return normal


def name_key(name: str) -> str:
    """The confusable skeleton of a name, folded for case: equal for names that look alike."""
    table = _prototypes()
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", name))
    mapped = "".join(table.get(char, char) for char in decomposed)
    return unicodedata.normalize("NFD", mapped).casefold()


def check_founding(accounts: int, role: Role, founder_person: str | None, person: str) -> None:
    """Refuse a founding account that does not make the founding pair."""
    if accounts == 0 and role is not Role.ADMIN:
        raise WorkflowRefused("the first account must be an administrator (--role admin)")
    if accounts == 1 and role not in APPROVERS:
        raise WorkflowRefused(
            "the second account must be an administrator or a supervisor held by another person: "
            "it approves every account after it"
        )
    if founder_person is not None and founder_person == person:
        raise WorkflowRefused("the founding accounts must be held by two different persons")


def check_approver(
    requester_person: str, approver_person: str, holder_person: str, account: str
) -> None:
    """Four-eyes on accounts: the approver is neither the one who asked nor the holder."""
    if approver_person == requester_person:
        raise WorkflowRefused(
            f"four-eyes: what awaits approval on account {account!r} was asked for by the same "
            "person; someone else must approve it"
        )
    if approver_person == holder_person:
        raise WorkflowRefused(
            f"four-eyes: nobody approves what concerns their own account ({account!r})"
        )


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character's prototype, from Unicode's confusables data."""
    data = json.loads(
        files("confusable_homoglyphs").joinpath("confusables.json").read_text(encoding="utf-8")
    )
    table: dict[str, str] = {}
    for char, homoglyphs in data.items():
        if len(homoglyphs) == 1:
            # A character with one homoglyph points at its class's prototype; a prototype lists
            # every member of its class.
            table[char] = homoglyphs[0]["c"].translate(_DIRECTION_MARKS)
    return table
