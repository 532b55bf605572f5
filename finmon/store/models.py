"""The database schema as typed SQLAlchemy models, in SQL that SQLite and PostgreSQL share."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, ClassVar, cast

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    LargeBinary,
    String,
    Table,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UtcDateTime(TypeDecorator[dt.datetime]):
    """A timestamp stored as UTC and always read back timezone-aware, whatever the database."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> dt.datetime | None:
        """Store naive UTC; a naive input is taken to be UTC already."""
        if value is None:
            return None
        return as_utc(value).replace(tzinfo=None)

    def process_result_value(
        self, value: dt.datetime | None, dialect: Dialect
    ) -> dt.datetime | None:
        """Attach UTC to what the database returns."""
        return None if value is None else as_utc(value)


def as_utc(value: dt.datetime) -> dt.datetime:
    """The same instant in UTC; naive datetimes are taken to be UTC."""
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def utc_now() -> dt.datetime:
    """Now, in UTC, to the microsecond."""
    return dt.datetime.now(dt.UTC)


def core_table(model: type[Base]) -> Table:
    """A model's table, for Core bulk inserts (several times faster than ORM bulk inserts)."""
    return cast(Table, model.__table__)


Person = Annotated[str, mapped_column(String(200))]
"""An account name in a column saying who did something (the actor, decided_by, approved_by...)."""


class Base(DeclarativeBase):
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        dt.datetime: UtcDateTime,
        dict[str, Any]: JSON,
        list[dict[str, str]]: JSON,
        list[str]: JSON,
    }


class Row(Base):
    """A table keyed by a plain integer id, as most are."""

    __abstract__ = True

    # First, where the migrations put it (a base class's columns would otherwise come last).
    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)


class ListVersion(Row):
    """One loaded version of one source's list; exactly one per source is current."""

    __tablename__ = "list_versions"

    source: Mapped[str] = mapped_column(String(64))
    format: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[dt.datetime | None]
    loaded_at: Mapped[dt.datetime]
    loaded_by: Mapped[Person]
    files: Mapped[list[dict[str, str]]]
    designation_count: Mapped[int]
    is_current: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (Index("ix_list_versions_source_current", "source", "is_current"),)


class DesignationRow(Row):
    """One designation of one list version; payload is Designation.to_dict()."""

    __tablename__ = "designations"

    list_version_id: Mapped[int] = mapped_column(
        ForeignKey("list_versions.id", ondelete="CASCADE"), index=True
    )
    source: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(200))
    schema: Mapped[str] = mapped_column(String(32))
    caption: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]]


class AuditEntry(Row):
    """One row of the append-only, hash-chained audit log."""

    __tablename__ = "audit_log"

    at: Mapped[dt.datetime]
    actor: Mapped[Person]
    action: Mapped[str] = mapped_column(String(100))
    object: Mapped[str] = mapped_column(String(500))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]
    reason: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    key_id: Mapped[str | None] = mapped_column(String(16))
    """Id of the HMAC key that made `hash`; None for a sha256 row written before revision 0011."""
    seq: Mapped[int | None]
    """The row's position in the chain (1 for the first row), None on sha256 rows."""


class Customer(Base):
    """A customer as last imported; `record` is Party.to_dict() plus the accounts."""

    __tablename__ = "customers"

    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    record: Mapped[dict[str, Any]]
    accounts: Mapped[list[str]]
    fingerprint: Mapped[str] = mapped_column(String(64))
    """matching_fingerprint of the party: what screening reads."""
    version: Mapped[int]
    created_at: Mapped[dt.datetime]
    updated_at: Mapped[dt.datetime]


class CustomerVersion(Row):
    """Every state a customer has had, so a decision can be read against what was known then."""

    __tablename__ = "customer_versions"

    customer_id: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int]
    record: Mapped[dict[str, Any]]
    accounts: Mapped[list[str]]
    fingerprint: Mapped[str] = mapped_column(String(64))
    valid_from: Mapped[dt.datetime]
    changed_by: Mapped[Person]
    source_file: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("customer_id", "version"),)


class NameTokenRow(Row):
    """One distinct name token of the customer base, stored once however many customers share it.

    `data` holds what finmon.screening.delta needs to compare it again without re-analysing."""

    __tablename__ = "name_tokens"

    sig: Mapped[str] = mapped_column(String(400), unique=True)
    data: Mapped[dict[str, Any]]


class NameTokenKey(Base):
    """The customer index: every lookup key of a token (fold, one deletion, stem, skeleton ...)."""

    __tablename__ = "name_token_keys"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    token_id: Mapped[int] = mapped_column(
        ForeignKey("name_tokens.id", ondelete="CASCADE"), primary_key=True
    )

    # On SQLite the rows are the primary key's b-tree alone (a rowid table would keep a second
    # b-tree, the key's index, with the same values): an import files some twenty keys a
    # customer, in random key order, and each went into both.
    __table_args__ = ({"sqlite_with_rowid": False},)


class CustomerToken(Base):
    """Postings of the customer index: which customer's names hold which token."""

    __tablename__ = "customer_tokens"

    token_id: Mapped[int] = mapped_column(
        ForeignKey("name_tokens.id", ondelete="CASCADE"), primary_key=True
    )
    customer_id: Mapped[str] = mapped_column(
        ForeignKey("customers.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    short: Mapped[bool] = mapped_column(default=False)
    """The customer has a name of fewer than two name parts (any one token may then match)."""
    parts: Mapped[int] = mapped_column(default=1)
    """2 when the token is two adjacent name parts joined ('abdul aziz' as one), else 1."""
    owed: Mapped[float] = mapped_column(default=0.0)
    """What the customer's name would owe with no token matched, which with the tokens that can
    match bounds how well a designation could cover this customer; 0 (no bound) for a customer
    with several names or a name repeating a part."""

    # The rows are the primary key's b-tree on SQLite (no rowid table beside it), as for
    # name_token_keys.
    __table_args__ = ({"sqlite_with_rowid": False},)


class Alert(Row):
    """A possible match of a customer with a designation, waiting for or holding a decision.

    Unique per customer, designation and the matching data of both while the listing stands: the
    same match is never raised twice, and a decided false positive stays decided until either
    side's matching data changes or the designation is delisted."""

    __tablename__ = "alerts"

    customer_id: Mapped[str] = mapped_column(String(200), index=True)
    customer_name: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(200))
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    designation_name: Mapped[str] = mapped_column(Text)
    query_name: Mapped[str] = mapped_column(Text)
    matched_name: Mapped[str] = mapped_column(Text)
    score: Mapped[float]
    explanation: Mapped[dict[str, Any]]
    customer_fingerprint: Mapped[str] = mapped_column(String(64))
    designation_fingerprint: Mapped[str] = mapped_column(String(64))
    trigger: Mapped[str] = mapped_column(String(32))
    """"customer" (a new or changed customer) or "list" (a new or amended designation)."""
    clock_start: Mapped[dt.datetime]
    """When the 24 hours to freeze began: the listing's publication, or the customer's arrival."""
    status: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[dt.datetime]
    decided_at: Mapped[dt.datetime | None]
    ended_by: Mapped[int] = mapped_column(default=0, server_default="0")
    """0 while the listing the alert was raised under stands; the id of the list version that
    delisted the designation once it has gone. An ended alert no longer stands in the way of a
    new one when the person is listed again."""

    __table_args__ = (
        UniqueConstraint(
            "customer_id",
            "source",
            "reference",
            "customer_fingerprint",
            "designation_fingerprint",
            "ended_by",
            name="uq_alerts_match",
        ),
        Index("ix_alerts_designation", "source", "reference"),
    )


class Decision(Row):
    """One person's decision on an alert: a proposal, an approval, or an escalation."""

    __tablename__ = "decisions"

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), index=True)
    decision: Mapped[str] = mapped_column(String(32))
    actor: Mapped[Person]
    reason: Mapped[str | None] = mapped_column(Text)
    at: Mapped[dt.datetime]


class Freeze(Row):
    """A freeze order on a customer's accounts under one designation, with every timestamp."""

    __tablename__ = "freezes"

    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id"), unique=True)
    customer_id: Mapped[str] = mapped_column(String(200), index=True)
    customer_name: Mapped[str] = mapped_column(Text)
    accounts: Mapped[list[str]]
    source: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(200))
    designation_name: Mapped[str] = mapped_column(Text)
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    listing_published_at: Mapped[dt.datetime | None]
    list_loaded_at: Mapped[dt.datetime]
    alert_at: Mapped[dt.datetime]
    decided_at: Mapped[dt.datetime]
    decided_by: Mapped[Person]
    frozen_at: Mapped[dt.datetime]
    approved_by: Mapped[Person]
    clock_start: Mapped[dt.datetime]
    status: Mapped[str] = mapped_column(String(32), index=True)
    review_reason: Mapped[str | None] = mapped_column(Text)
    """Why a release review is open (a delisting, a false positive found later)."""
    release_requested_by: Mapped[Person | None]
    release_requested_at: Mapped[dt.datetime | None]
    release_reason: Mapped[str | None] = mapped_column(Text)
    released_by: Mapped[Person | None]
    released_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_freezes_designation", "source", "reference"),)


class PermittedPayment(Row):
    """A payment from frozen funds for basic expenses (Article 12 section 8), with its approval."""

    __tablename__ = "permitted_payments"

    freeze_id: Mapped[int] = mapped_column(ForeignKey("freezes.id"), index=True)
    amount: Mapped[str] = mapped_column(String(40))
    """A decimal amount as written (no binary floating point for money)."""
    currency: Mapped[str] = mapped_column(String(3))
    purpose: Mapped[str] = mapped_column(Text)
    payee: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[Person]
    requested_at: Mapped[dt.datetime]
    approved_by: Mapped[Person | None]
    approved_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(32))


class User(Row):
    """Someone who signs in to the API or the web interface, with one role."""

    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime]
    created_by: Mapped[Person]
    disabled_at: Mapped[dt.datetime | None]
    password_hash: Mapped[str | None] = mapped_column(String(300))
    """scrypt, with its parameters and salt (finmon.store.sessions); None: no web sign-in."""
    person: Mapped[str] = mapped_column(String(64))
    """The person behind the account (staff number or national ID, normalised): one person holds
    at most one enabled account, and four-eyes compares persons, not account names."""
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    """The name's confusable skeleton (finmon.workflow.accounts.name_key): a name that looks like
    another's cannot be taken."""
    approved_by: Mapped[Person | None]
    approved_at: Mapped[dt.datetime | None]
    """None while the account awaits a second person's approval: it can do nothing until then."""
    pending_role: Mapped[str | None] = mapped_column(String(32))
    """A role change asked for and not yet approved."""
    pending_by: Mapped[Person | None]
    """Who asked for what awaits approval on this account (creation, role, key or password)."""
    password_pending: Mapped[bool] = mapped_column(default=False, server_default=text("false"))
    """A password set by someone else, not usable until a second person approves it."""
    language: Mapped[str | None] = mapped_column(String(8))
    """The web pages' language the user chose (kk, ru, en); None: the browser's Accept-Language."""

    __table_args__ = (
        Index(
            "ix_users_enabled_person",
            "person",
            unique=True,
            sqlite_where=text("disabled_at IS NULL"),
            postgresql_where=text("disabled_at IS NULL"),
        ),
    )


class SignInAttempt(Base):
    """The web sign-in back-off of one name tried, whether a user has it or not, so that an
    unknown name is counted and locked just like a known one (finmon.store.sessions)."""

    __tablename__ = "sign_in_attempts"

    name: Mapped[str] = mapped_column(String(200), primary_key=True)
    """The name as tried, normalised (NFKC, case folded, trimmed)."""
    failures: Mapped[int]
    """Attempts in a row not followed by a success, each counted before its password is checked."""
    locked_until: Mapped[dt.datetime | None]
    """No password is checked before this time (the back-off after failed sign-ins)."""
    last_attempt_at: Mapped[dt.datetime] = mapped_column(index=True)


class WebSession(Row):
    """A signed-in browser: the cookie's sha256, its CSRF token and its two clocks.

    A session ends when signed out, after `IDLE` without a request, or `LIFETIME` after sign-in,
    whichever comes first (finmon.store.sessions)."""

    __tablename__ = "web_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    last_seen_at: Mapped[dt.datetime]
    ended_at: Mapped[dt.datetime | None]


class ApiKey(Row):
    """A key a program sends as `Authorization: Bearer KEY`; only its sha256 is kept.

    The key holds 256 random bits, so a fast hash is enough (a slow one is for passwords, which
    people choose); `key_id`, the key's public part, finds the row without scanning."""

    __tablename__ = "api_keys"

    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]
    revoked_at: Mapped[dt.datetime | None]
    revoked_by: Mapped[Person | None]
    approved_at: Mapped[dt.datetime | None]
    """None for a key issued for someone else that awaits a second person's approval."""


class StoreState(Base):
    """What built the store's derived data, by name: `customer_index` holds the scheme the stored
    customer index was built under (finmon.store.customer_index.INDEX_SCHEME)."""

    __tablename__ = "store_state"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime]


class Job(Row):
    """A long task started over the API (a customer file import), and how it ended."""

    __tablename__ = "jobs"

    kind: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), index=True)
    created_by: Mapped[Person]
    created_at: Mapped[dt.datetime]
    runner: Mapped[str | None] = mapped_column(String(200))
    """host:pid of the process running it, to tell a job in progress from one cut short."""
    finished_at: Mapped[dt.datetime | None]
    result: Mapped[dict[str, Any] | None]
    error: Mapped[str | None] = mapped_column(Text)


class TransactionRow(Row):
    """One loaded payment or transfer (finmon.transactions.Transaction), kept as read.

    `transaction_id` is the source's own id and is unique: loading it again with the same content
    changes nothing, with other content is refused. The amount is kept as its exact decimal text."""

    __tablename__ = "transactions"

    transaction_id: Mapped[str] = mapped_column(String(200), unique=True)
    timestamp: Mapped[dt.datetime] = mapped_column(index=True)
    amount: Mapped[str] = mapped_column(String(40))
    currency: Mapped[str] = mapped_column(String(3))
    originator_account: Mapped[str | None] = mapped_column(String(100), index=True)
    originator_name: Mapped[str | None] = mapped_column(Text)
    beneficiary_account: Mapped[str | None] = mapped_column(String(100), index=True)
    beneficiary_name: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(String(40))
    reference: Mapped[str | None] = mapped_column(Text)
    record: Mapped[dict[str, Any]]
    """Everything the source said (both sides in full), as finmon.transactions.to_record."""
    fingerprint: Mapped[str] = mapped_column(String(64))
    source_file: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[dt.datetime]
    loaded_by: Mapped[Person]


class MonitoringAlert(Row):
    """A transaction-monitoring alert: a rule that fired on an account over a window.

    `key` is what the rule says makes two firings the same (for R.16, the transfer), so loading
    a file again raises nothing twice."""

    __tablename__ = "monitoring_alerts"

    key: Mapped[str] = mapped_column(String(400), unique=True)
    account: Mapped[str] = mapped_column(String(100), index=True)
    rule: Mapped[str] = mapped_column(String(64))
    typology: Mapped[str] = mapped_column(String(200))
    score: Mapped[float]
    window_start: Mapped[dt.datetime]
    window_end: Mapped[dt.datetime]
    transaction_ids: Mapped[list[str]]
    evidence: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[dt.datetime]
    created_by: Mapped[Person]


class Case(Row):
    """The monitoring alerts of one account, grouped for one decision (finmon.store.cases).

    `score` is the noisy-or of the case's rules (each rule counted once, at its best score);
    `summary` holds what the list of cases shows: the rules and their scores, the typologies, the
    transactions and their amounts per currency."""

    __tablename__ = "cases"

    account: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(32), index=True)
    opened_at: Mapped[dt.datetime]
    opened_by: Mapped[Person]
    assigned_to: Mapped[str | None] = mapped_column(String(200))
    """Who took the case for review."""
    updated_at: Mapped[dt.datetime]
    score: Mapped[float]
    summary: Mapped[dict[str, Any]]


class CaseAlert(Row):
    """A monitoring alert in a case; an alert is in at most one case."""

    __tablename__ = "case_alerts"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    monitoring_alert_id: Mapped[int] = mapped_column(
        ForeignKey("monitoring_alerts.id"), unique=True
    )
    added_at: Mapped[dt.datetime]


class CaseDecision(Row):
    """A proposed outcome of a case (report or close) and its approval by a second person."""

    __tablename__ = "case_decisions"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    action: Mapped[str] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text)
    proposed_by: Mapped[Person]
    proposed_at: Mapped[dt.datetime]
    approved_by: Mapped[Person | None]
    approved_at: Mapped[dt.datetime | None]
    status: Mapped[str] = mapped_column(String(32))
    """proposed (awaiting approval), approved, or superseded (withdrawn or replaced)."""


class CounterpartyClearance(Row):
    """A payment counterparty cleared as a false positive against one designation.

    The counterparty is its normalised name and one identifier (an account or IBAN, a card kept
    only as a keyed digest and its last four digits, or an IIN/BIN). The clearance covers a hit
    only while both sides' matching data are what they were when it was proposed: a payment
    bringing other data about the counterparty, or a list amending the designation, is held
    again. Proposed by one person with a reason, in force once a second person approves."""

    __tablename__ = "counterparty_clearances"

    name: Mapped[str] = mapped_column(Text)
    """The name as the person clearing it gave it."""
    name_key: Mapped[str] = mapped_column(String(400))
    """The name as payments are compared with it (finmon.store.clearances.name_key)."""
    identifier_kind: Mapped[str] = mapped_column(String(16))
    """account, iban, card, iin or bin."""
    identifier_key: Mapped[str] = mapped_column(String(100), index=True)
    """What a payment's identifier is compared by: the account or IIN/BIN as normalised, a card
    number's keyed digest (never the number)."""
    identifier_shown: Mapped[str] = mapped_column(String(100))
    """The identifier as lists show it (a card masked to its last four digits)."""
    matching_data: Mapped[dict[str, Any]]
    """The counterparty's matching data at clearing time (Party.to_dict(), without a card)."""
    counterparty_fingerprint: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = mapped_column(String(64))
    reference: Mapped[str] = mapped_column(String(200))
    designation_name: Mapped[str] = mapped_column(Text)
    designation_fingerprint: Mapped[str] = mapped_column(String(64))
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    """The list version in force when it was proposed."""
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(32), index=True)
    """pending_approval, active or revoked (finmon.workflow.ClearanceStatus)."""
    proposed_by: Mapped[Person]
    proposed_at: Mapped[dt.datetime]
    approved_by: Mapped[Person | None]
    approved_at: Mapped[dt.datetime | None]
    revoked_by: Mapped[Person | None]
    revoked_at: Mapped[dt.datetime | None]
    revoke_reason: Mapped[str | None] = mapped_column(Text)
    suppressions: Mapped[int] = mapped_column(default=0, server_default="0")
    """Hits it has kept from holding a payment, each one also in the audit log."""
    last_suppressed_at: Mapped[dt.datetime | None]

    __table_args__ = (Index("ix_counterparty_clearances_designation", "source", "reference"),)


# --- FIU exchange (issue 20, item 6): requests between FIUs matched on keyed hashes ----------


class FiuExchangeRequest(Row):
    """A request between FIUs, sent by this FIU or received from a partner (finmon.fiu.exchange):
    its metadata and the request document as it travelled (digests only, no names)."""

    __tablename__ = "fiu_exchange_requests"

    direction: Mapped[str] = mapped_column(String(8))
    """sent or received."""
    requesting_fiu: Mapped[str] = mapped_column(String(200))
    receiving_fiu: Mapped[str] = mapped_column(String(200))
    reference: Mapped[str] = mapped_column(String(200))
    purpose: Mapped[str] = mapped_column(Text)
    legal_basis: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(20))
    key_check: Mapped[str] = mapped_column(String(16))
    document: Mapped[dict[str, Any]]
    status: Mapped[str] = mapped_column(String(32), index=True)
    """sent, answered (a response read) | received, matched, drafted, approved, answered."""
    subject_count: Mapped[int]
    digest_count: Mapped[int]
    created_by: Mapped[Person]
    created_at: Mapped[dt.datetime]
    matched_by: Mapped[Person | None]
    matched_at: Mapped[dt.datetime | None]

    __table_args__ = (
        UniqueConstraint("direction", "requesting_fiu", "reference", name="uq_fiu_exchange_ref"),
    )


class FiuExchangeDigest(Row):
    """One digest of one subject of a request; a sent request's also name our own subject."""

    __tablename__ = "fiu_exchange_digests"

    request_id: Mapped[int] = mapped_column(ForeignKey("fiu_exchange_requests.id"), index=True)
    subject_ref: Mapped[str] = mapped_column(String(64))
    digest: Mapped[str] = mapped_column(String(64), index=True)
    subject_id: Mapped[str | None] = mapped_column(String(200))
    """Sent requests only: which of our subjects the reference stands for (never sent)."""


class FiuExchangeMatch(Row):
    """A subject matching a reference of a request: ours (received) or the partner's (sent)."""

    __tablename__ = "fiu_exchange_matches"

    request_id: Mapped[int] = mapped_column(ForeignKey("fiu_exchange_requests.id"), index=True)
    subject_ref: Mapped[str] = mapped_column(String(64))
    subject_id: Mapped[str] = mapped_column(String(200))
    """Received: our subject; sent: our subject the partner's answer is about."""
    basis: Mapped[list[str]]
    """What matched: name_year, name, identifier."""
    subject: Mapped[dict[str, Any]]
    """The matching subject's details (ours to reveal, or as the partner revealed them)."""
    found_at: Mapped[dt.datetime]


class FiuExchangeResponse(Row):
    """The answer to a request: drafted by one person, approved by another, then sent (received
    requests); or the partner's answer as read (sent requests)."""

    __tablename__ = "fiu_exchange_responses"

    request_id: Mapped[int] = mapped_column(ForeignKey("fiu_exchange_requests.id"), unique=True)
    status: Mapped[str] = mapped_column(String(32))
    """drafted, approved, answered | received."""
    note: Mapped[str] = mapped_column(Text)
    drafted_by: Mapped[Person]
    drafted_at: Mapped[dt.datetime]
    approved_by: Mapped[Person | None]
    approved_at: Mapped[dt.datetime | None]
    answered_by: Mapped[Person | None]
    answered_at: Mapped[dt.datetime | None]
    document: Mapped[dict[str, Any] | None]
    """The response as approved (or as received): only the matching subjects' details."""


# --- Banned organisations (issue 20, item 7): the data bank other agencies read -------------


class BannedOrganisation(Row):
    """An organisation a court banned as terrorist or extremist (finmon.fiu.banned.Ban), with
    where the record came from; those in force are the `kz-banned` list source too."""

    __tablename__ = "banned_organisations"

    reference: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    """in_force or lifted."""
    record: Mapped[dict[str, Any]]
    """The ban: names, court, decision date and number, legal basis, category, status."""
    source_file: Mapped[str] = mapped_column(Text)
    """The data bank file it was last recorded from (or the lifting that changed it)."""
    source_sha256: Mapped[str] = mapped_column(String(64))
    list_version_id: Mapped[int | None] = mapped_column(ForeignKey("list_versions.id"))
    """The `kz-banned` list version made with it."""
    recorded_by: Mapped[Person]
    recorded_at: Mapped[dt.datetime]
    updated_by: Mapped[Person]
    updated_at: Mapped[dt.datetime]


# Issue 20, part 5 (the national list out): signed list feeds the FIU publishes, the reporting
# entities' public keys and their receipts (FIU side), and the feeds an entity applied.


class ListFeed(Row):
    """A signed feed the FIU published: one version of one source's list, as it is served."""

    __tablename__ = "list_feeds"

    source: Mapped[str] = mapped_column(String(64))
    version: Mapped[int]
    """Increasing per source, from 1."""
    published_at: Mapped[dt.datetime]
    published_by: Mapped[Person]
    list_version: Mapped[str] = mapped_column(String(200))
    """The list's own version label (its date, or its digest)."""
    designation_count: Mapped[int]
    payload_sha256: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    document: Mapped[str] = mapped_column(Text)
    """The signed feed document, served as it is (finmon.lists.feed)."""

    __table_args__ = (UniqueConstraint("source", "version", name="uq_list_feeds_version"),)


class FeedReceipt(Row):
    """An entity's signed receipt for a feed version: the first one counts for the clock."""

    __tablename__ = "feed_receipts"

    feed_id: Mapped[int] = mapped_column(ForeignKey("list_feeds.id"), index=True)
    entity_bin: Mapped[str] = mapped_column(String(12), index=True)
    applied_at: Mapped[dt.datetime]
    """When the entity says it applied the feed (its signed statement)."""
    received_at: Mapped[dt.datetime]
    outcome: Mapped[str] = mapped_column(String(32))
    alerts: Mapped[int]
    document: Mapped[str] = mapped_column(Text)
    """The signed receipt as received."""

    __table_args__ = (UniqueConstraint("feed_id", "entity_bin", name="uq_feed_receipts_entity"),)


class AppliedFeed(Row):
    """At a reporting entity: a feed it verified and applied, and the receipt it signed."""

    __tablename__ = "applied_feeds"

    source: Mapped[str] = mapped_column(String(64), index=True)
    feed_version: Mapped[int]
    published_at: Mapped[dt.datetime]
    payload_sha256: Mapped[str] = mapped_column(String(64))
    key_id: Mapped[str] = mapped_column(String(16))
    """The publisher's key that signed it."""
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    applied_at: Mapped[dt.datetime]
    applied_by: Mapped[Person]
    receipt: Mapped[str] = mapped_column(Text)
    receipt_sent_at: Mapped[dt.datetime | None]
    receipt_sent_to: Mapped[str | None] = mapped_column(Text)


# --- FIU part 1: reporting entities and the reports received from them (finmon.store.fiu_intake)


class FiuEntity(Row):
    """A reporting entity registered with the FIU: only registered, active ones may file."""

    __tablename__ = "fiu_entities"

    bin: Mapped[str] = mapped_column(String(12), unique=True)
    """Its BIN (12 digits with a valid check digit)."""
    goaml_id: Mapped[int] = mapped_column(unique=True)
    """The rentity_id the FIU assigned it, which its goAML reports carry."""
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))
    """bank, mfo, pawnshop, mto, notary, npo or other."""
    contact: Mapped[str] = mapped_column(Text, default="")
    feed_key: Mapped[str | None] = mapped_column(String(128))
    """The key id (finmon.lists.feed.key_id) of the key its finmon signs national-list feed
    receipts with (part 5)."""
    feed_public_key: Mapped[str | None] = mapped_column(Text)
    """That key, PEM (SubjectPublicKeyInfo): receipts are verified against it."""
    feed_key_at: Mapped[dt.datetime | None]
    feed_key_by: Mapped[Person | None]
    active: Mapped[bool] = mapped_column(default=True)
    registered_at: Mapped[dt.datetime]
    registered_by: Mapped[Person]


class FiuReport(Row):
    """One submitted file: accepted (with its records) or rejected (with every reason).

    A resubmission of the same entity report id (goAML entity_reference) replaces the current
    version; both are kept, linked both ways, and only the current one has replaced_by_id NULL."""

    __tablename__ = "fiu_reports"

    key: Mapped[str] = mapped_column(String(40), unique=True)
    """The FIU's key of the report; every Mention.report and Transfer.report names it."""
    entity_bin: Mapped[str | None] = mapped_column(String(12), index=True)
    rentity_id: Mapped[int | None]
    entity_reference: Mapped[str | None] = mapped_column(String(255))
    report_code: Mapped[str | None] = mapped_column(String(32))
    """STR, a threshold report's code, ... as the report names its kind."""
    version: Mapped[int | None]
    """1 for the first accepted submission of an entity_reference, then 2, 3 ...; NULL when
    rejected."""
    status: Mapped[str] = mapped_column(String(16), index=True)
    """accepted or rejected."""
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("fiu_reports.id"))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("fiu_reports.id"))
    submission_date: Mapped[dt.datetime | None]
    schema_version: Mapped[str | None] = mapped_column(String(32))
    reason: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text, default="")
    file_name: Mapped[str] = mapped_column(String(400))
    received_at: Mapped[dt.datetime]
    received_by: Mapped[Person]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int]
    xml: Mapped[bytes] = mapped_column(LargeBinary)
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """Every reason a rejected report was refused: {line, element, message}."""

    __table_args__ = (
        Index("ix_fiu_reports_reference", "entity_bin", "entity_reference"),
        UniqueConstraint("entity_bin", "entity_reference", "version"),
    )


class FiuMention(Row):
    """A person or organisation as one accepted report names it (finmon.fiu.records.Mention)."""

    __tablename__ = "fiu_mentions"

    mention_id: Mapped[str] = mapped_column(String(64), unique=True)
    """Mention.id: the report's key and the party's place in it (KEY:pN)."""
    report_id: Mapped[int] = mapped_column(ForeignKey("fiu_reports.id"), index=True)
    entity_bin: Mapped[str] = mapped_column(String(12))
    kind: Mapped[str] = mapped_column(String(16))
    """person or organisation."""
    name: Mapped[str] = mapped_column(Text)
    birth_date: Mapped[dt.date | None] = mapped_column(Date)
    nationality: Mapped[str | None] = mapped_column(String(8))
    identifiers: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    """[{kind, value}] as Mention.identifiers; each also a fiu_mention_identifiers row."""
    seen: Mapped[dt.datetime | None]


class FiuMentionIdentifier(Row):
    """One identifier of a mention, indexed so that mentions sharing one are found at once."""

    __tablename__ = "fiu_mention_identifiers"

    mention_id: Mapped[str] = mapped_column(ForeignKey("fiu_mentions.mention_id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(200))

    __table_args__ = (Index("ix_fiu_mention_identifiers_value", "kind", "value"),)


class FiuTransfer(Row):
    """A transaction of an accepted report (finmon.fiu.records.Transfer)."""

    __tablename__ = "fiu_transfers"

    report_id: Mapped[int] = mapped_column(ForeignKey("fiu_reports.id"), index=True)
    number: Mapped[str] = mapped_column(String(200))
    date: Mapped[dt.datetime]
    amount: Mapped[str] = mapped_column(String(40))
    source: Mapped[str] = mapped_column(String(64), index=True)
    """Mention id of the payer ('' when the report names none)."""
    target: Mapped[str] = mapped_column(String(64), index=True)


class FiuIndicator(Row):
    """A report indicator code an accepted report gives."""

    __tablename__ = "fiu_report_indicators"

    report_id: Mapped[int] = mapped_column(ForeignKey("fiu_reports.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), index=True)


# --- issue 20, subjects across reports (entity resolution) ---------------------------------------


class FiuJudgement(Row):
    """An analyst's judgement that two mentions or subjects are the same, not the same, or
    unsure; kept when reversed (reversed_by/at), so every resolution can be explained later."""

    __tablename__ = "fiu_judgements"

    a: Mapped[str] = mapped_column(String(200))
    """As the analyst named it: a mention id or a subject id (S-...)."""
    b: Mapped[str] = mapped_column(String(200))
    a_mention: Mapped[str] = mapped_column(String(200), index=True)
    """The mention that stands for `a` (a subject's smallest mention when judged)."""
    b_mention: Mapped[str] = mapped_column(String(200), index=True)
    verdict: Mapped[str] = mapped_column(String(16))
    """same, not_same or unsure (finmon.fiu.resolve.Verdict)."""
    reason: Mapped[str] = mapped_column(Text)
    judged_by: Mapped[Person]
    judged_at: Mapped[dt.datetime]
    reversed_by: Mapped[Person | None]
    reversed_at: Mapped[dt.datetime | None]
    reverse_reason: Mapped[str | None] = mapped_column(Text)


# --- FIU dissemination cases (issue 20, item 4) ---------------------------------------------


class FiuDissemination(Row):
    """A dissemination to law enforcement: subjects and reports chosen, drafted by one person,
    approved by another, then exported as a package whose sha256 is kept (finmon.fiu.package)."""

    __tablename__ = "fiu_disseminations"

    reference: Mapped[str] = mapped_column(String(100), unique=True)
    recipient: Mapped[str] = mapped_column(String(400))
    """The law-enforcement body it goes to."""
    subjects: Mapped[list[str]] = mapped_column(JSON)
    """The chosen subjects' ids (S-...), as resolved when drafted."""
    reports: Mapped[list[str]] = mapped_column(JSON)
    """The chosen reports' FIU keys."""
    reasoning: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    """drafted, approved or exported."""
    drafted_by: Mapped[Person]
    drafted_at: Mapped[dt.datetime]
    approved_by: Mapped[Person | None]
    approved_at: Mapped[dt.datetime | None]
    exported_by: Mapped[Person | None]
    """Who exported it last; every export is an audit row with its package's sha256."""
    exported_at: Mapped[dt.datetime | None]
    package_sha256: Mapped[str | None] = mapped_column(String(64))
