"""The canonical transaction: what every loader produces and every check reads; no I/O.

The canonical CSV columns are COLUMNS (docs/transactions.md). pacs.008 and MT103 carry more about
the originator than a name and an account (address, national ID, date and place of birth), which
FATF R.16 asks for on cross-border transfers: PartyInfo keeps it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

COLUMNS = (
    "id",
    "timestamp",
    "originator_account",
    "originator_name",
    "originator_id",
    "originator_country",
    "beneficiary_account",
    "beneficiary_name",
    "beneficiary_id",
    "beneficiary_country",
    "amount",
    "currency",
    "channel",
    "reference",
)
"""The canonical CSV/Parquet layout, in order; `id, timestamp, amount, currency` are required."""


@dataclass(slots=True)
class PartyInfo:
    """One side of a transfer as the message gives it; None (or empty) where it says nothing."""

    name: str | None = None
    account: str | None = None
    """IBAN or other account number."""
    id: str | None = None
    """National ID, IIN/BIN, customer ID or another identifier of the party."""
    country: str | None = None
    """ISO 3166 alpha-2, of residence or of the address."""
    address: str | None = None
    birth_date: dt.date | None = None
    birth_place: str | None = None
    bank: str | None = None
    """BIC or other identifier of the party's agent (DbtrAgt/CdtrAgt, MT103 52A/57A)."""


@dataclass(slots=True)
class Transaction:
    """One payment or transfer."""

    id: str
    timestamp: dt.datetime
    """Timezone-aware (UTC when the source gives no zone)."""
    amount: Decimal
    currency: str
    """ISO 4217, upper case."""
    originator: PartyInfo = field(default_factory=PartyInfo)
    beneficiary: PartyInfo = field(default_factory=PartyInfo)
    channel: str | None = None
    """wire, card, cash, internal, ... as the source names it."""
    reference: str | None = None
    """Unique transaction reference (pacs.008 UETR/EndToEndId, MT103 :20:) or remittance text."""
    purpose: str | None = None
    """Remittance information or purpose code."""
    source: str = ""
    """Where it was read: 'file:row' or 'file, message n', for messages that name it."""
