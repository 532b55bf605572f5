"""Plain records of the FIU's side, shared by intake, entity resolution and link analysis."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

MentionKind = Literal["person", "organisation"]
SUBJECT_COLUMNS = (
    "subject_id",
    "kind",
    "name",
    "names",
    "identifiers",
    "reports",
    "entities",
    "first_seen",
    "last_seen",
)
"""A subject as a row: `finmon fiu subjects --output` and a dissemination's subjects.csv (a
contract other tools rely on)."""
IdentifierKind = Literal["iin", "bin", "passport", "id_card", "account", "phone", "address"]
"""Identifiers that can tie two mentions to one subject: Kazakhstan's IIN and BIN, identity
documents, accounts (IBAN or number at a bank), phone numbers and normalised addresses."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Identifier:
    kind: IdentifierKind
    value: str
    """Normalised: no spaces or punctuation, upper case (an account as `BANKCODE:NUMBER` when it
    is not an IBAN)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Mention:
    """One person or organisation as one report names it: what entity resolution groups."""

    id: str
    """Unique in the FIU: the report's key and the party's place in it."""
    report: str
    """The FIU's key of the report that names it."""
    entity: str
    """BIN of the reporting entity that filed the report."""
    kind: MentionKind
    name: str
    birth_date: dt.date | None = None
    nationality: str | None = None
    """ISO 3166-1 alpha-2."""
    identifiers: tuple[Identifier, ...] = ()
    seen: dt.datetime | None = None
    """When the report says the party acted (the transaction's date), else when it was filed."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Transfer:
    """A transaction of a report, between two mentions (money from one to the other)."""

    report: str
    number: str
    date: dt.datetime
    amount: str
    """Decimal amount in the local currency, as text (no float rounding)."""
    source: str
    """Mention id of the payer."""
    target: str
    """Mention id of the payee."""
