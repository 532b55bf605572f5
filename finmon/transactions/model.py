"""The canonical transaction: what every loader produces and every check reads; no I/O.

The canonical CSV columns are COLUMNS (docs/transactions.md). pacs.008 and MT103 carry more about
the originator than a name and an account (address, national ID, date and place of birth), which
FATF R.16 asks for on cross-border transfers: PartyInfo keeps it.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

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

CHANNEL_KINDS = {
    "cash": (
        "cash atm cash_deposit cash_withdrawal cash_in cash_out cashin cashout deposit_cash "
        "withdrawal_cash atm_withdrawal atm_deposit наличные наличными қолма_қол"
    ),
    "card": (
        "card pos card_payment card_purchase debit_card credit_card ecom e_commerce ecommerce "
        "card_not_present cnp карта карточка"
    ),
    "internal": "internal own_account own_accounts book_transfer",
}
"""What channels a file may name are, as the checks and rules read them: cash, card payments,
transfers within the institution (compared in lower case, with spaces and hyphens as '_')."""
_CHANNEL_KIND = {word: kind for kind, words in CHANNEL_KINDS.items() for word in words.split()}
_SEPARATORS = re.compile(r"[\s\-]+")
_CHANNEL_STEMS = (
    # Cash first: "Снятие наличных в банкомате", "Взнос наличных", "Пополнение наличными",
    # "Қолма-қол ақша алу", "Cash withdrawal at ATM" are cash whatever else they say.
    ("cash", "налич банкомат қолма cash$ atm$"),
    ("internal", "между_своими өз_шоттар own_account"),
    # A transfer is one, by card or not: "Перевод с карты на карту", "Card to card transfer".
    ("", "перевод аударым transfer p2p$"),
    # "Оплата картой", "Покупка", "POS-терминал", "Card payment": card payments.
    ("card", "карт покупк терминал эквайринг card$ pos$ purchase"),
)
"""Word beginnings of the channel descriptions banks' exports write in full, tried in order
where a channel is not one of CHANNEL_KINDS' names: the first group with a word beginning so
decides ("" leaves the channel as written); a beginning ending in $ is a whole word (POS, not
position)."""
_CHANNEL_WORDS = tuple(
    (kind, re.compile("(?:^|_)(?:" + "|".join(stems.split()).replace("$", "(?:_|$)") + ")"))
    for kind, stems in _CHANNEL_STEMS
)


@functools.lru_cache(maxsize=1024)
def channel_kind(channel: str | None) -> str:
    """A channel as the checks and rules compare it: cash, card or internal where it is one of
    CHANNEL_KINDS' names for them (ATM, POS, "cash deposit" ...) or a description with their
    words (_CHANNEL_STEMS: "Снятие наличных в банкомате", "Оплата картой"), else the channel in
    lower case with spaces and hyphens as '_' ('' for none)."""
    plain = _SEPARATORS.sub("_", (channel or "").strip().lower())
    known = _CHANNEL_KIND.get(plain)
    if known is not None:
        return known
    for kind, words in _CHANNEL_WORDS:
        if words.search(plain):
            return kind or plain
    return plain


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
class MessageInfo:
    """The message a payment came in, as its headers say: kept with the payment for the analyst."""

    format: str
    """The message definition: pacs.008.001.08, pacs.009.001.08, MT103, MT202COV, ..."""
    wrapper: str = "none"
    """What it was wrapped in: the element path from the root to the Document (message,
    Envelope, DataPDU/Body, ...) with +AppHdr when a business application header came with it;
    for MT: FIN, RJE or DOS-PCC."""
    header: str | None = None
    """head.001.001.NN of the business application header, or the MT blocks read (1,2,3,5)."""
    sender: str | None = None
    receiver: str | None = None
    message_id: str | None = None
    created: str | None = None
    checked: str = ""
    """How the message was checked: against which schema, or by structural checks only."""
    instructed_amount: str | None = None
    """The amount the originator instructed, before charges and conversion: `EUR 1500.50`
    (pacs.008 InstdAmt, MT 33B)."""
    charges: str | None = None
    """Who bears the charges: pacs.008 ChrgBr (DEBT, CRED, SHAR, SLEV), MT 71A (OUR, BEN, SHA)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, as it appears in the decision and the stored record."""
        return {
            "format": self.format,
            "wrapper": self.wrapper,
            "header": self.header,
            "sender": self.sender,
            "receiver": self.receiver,
            "message_id": self.message_id,
            "created": self.created,
            "checked": self.checked,
            "instructed_amount": self.instructed_amount,
            "charges": self.charges,
        }


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
    message: MessageInfo | None = None
    """The message it came in (pacs.008/009, MT103/202 COV); None for tabular files."""


@dataclass(slots=True)
class Skip:
    """Something a reader could not read, where and why: every skip is reported."""

    place: str
    """The file and message, transfer or segment; empty when the reason names them."""
    reason: str

    def __str__(self) -> str:
        return f"{self.place}: {self.reason}" if self.place else self.reason


@dataclass(slots=True)
class Reading:
    """What a reader read from a file, what it skipped and why, and how it checked it."""

    transactions: list[Transaction] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What the reader says of the file as a whole (versions, wrappers, schemas used)."""

    def summary(self) -> str:
        """One line: how many payments were read and how many messages or transfers skipped."""
        text = f"{len(self.transactions)} payments read, {len(self.skipped)} skipped"
        return text + "".join(f"; {note}" for note in self.notes)


def to_record(transaction: Transaction) -> dict[str, Any]:
    """A transaction as JSON-ready data: everything it holds, amounts as exact decimal text."""

    def side(info: PartyInfo) -> dict[str, Any]:
        return {
            "name": info.name,
            "account": info.account,
            "id": info.id,
            "country": info.country,
            "address": info.address,
            "birth_date": info.birth_date.isoformat() if info.birth_date else None,
            "birth_place": info.birth_place,
            "bank": info.bank,
        }

    record: dict[str, Any] = {
        "id": transaction.id,
        "timestamp": transaction.timestamp.isoformat(),
        "amount": str(transaction.amount),
        "currency": transaction.currency,
        "originator": side(transaction.originator),
        "beneficiary": side(transaction.beneficiary),
        "channel": transaction.channel,
        "reference": transaction.reference,
        "purpose": transaction.purpose,
    }
    if transaction.message is not None:
        record["message"] = transaction.message.to_dict()
    return record


def fingerprint(transaction: Transaction, record: dict[str, Any] | None = None) -> str:
    """sha256 of what a transaction says (not where it was read): the same transfer loaded again
    from another file has the same fingerprint. record, when given, is to_record's already made."""
    record = dict(record) if record is not None else to_record(transaction)
    # The envelope and header say how the transfer travelled, not what it is.
    record.pop("message", None)
    return _digest(_canonical(record))


def stored_form(transaction: Transaction) -> tuple[str, str]:
    """(to_record's JSON text, as the store keeps it, and the fingerprint). A transfer with no
    message is kept as the fingerprint's own canonical text, serialised once for both."""
    record = to_record(transaction)
    if "message" in record:
        return json.dumps(record, ensure_ascii=False), fingerprint(transaction, record)
    canonical = _canonical(record)
    return canonical, _digest(canonical)


def _canonical(record: dict[str, Any]) -> str:
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def _digest(canonical: str) -> str:
    return hashlib.sha256(canonical.encode()).hexdigest()
