"""Freeze orders: made when a confirmed hit is approved, released only by two people.

Every freeze keeps the timestamps a supervisor asks for: the listing's publication (the list's own
date), its load, the alert, the decision and the freeze, so time-to-freeze is a subtraction. The
24 hours run from the listing's publication for an alert raised by a list change, and from the
alert itself for a customer who arrives already listed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from finmon.countries import to_currency
from finmon.errors import InputError, NotFound
from finmon.exports import SafeDictWriter
from finmon.hygiene import parse_amount, printable
from finmon.model import Designation
from finmon.store.alert_views import AlertHead
from finmon.store.audit import append_step, audit_object
from finmon.store.engine import Database, default_database, get_row
from finmon.store.models import (
    Alert,
    Customer,
    Freeze,
    ListVersion,
    PermittedPayment,
    utc_now,
)
from finmon.store.users import check_two_persons
from finmon.workflow import (
    AWAITING,
    FREEZE_HOURS,
    FreezeStatus,
    PaymentStatus,
    approve_release,
    request_release,
)

NOTIFICATION_FIELDS = (
    "freeze_id",
    "status",
    "customer_id",
    "customer_name",
    "accounts",
    "list",
    "reference",
    "designation_name",
    "list_version",
    "listing_published_at",
    "list_loaded_at",
    "alert_at",
    "decided_at",
    "decided_by",
    "frozen_at",
    "approved_by",
    "hours_to_freeze",
    "within_24_hours",
)
"""The fields of a freeze notification to the FIU, in order (JSON keys and CSV columns)."""


@dataclass(slots=True, frozen=True)
class SlaItem(AlertHead):
    """An alert nobody has finished deciding, with what is left of its 24 hours."""

    status: str
    clock_start: dt.datetime
    deadline: dt.datetime
    hours_left: float
    """Negative once the deadline has passed."""


def open_freeze(
    session: Session,
    alert: Alert,
    decided_by: str,
    decided_at: dt.datetime,
    approved_by: str,
    now: dt.datetime,
) -> Freeze:
    """Freeze the alerted customer's accounts; called by the approval of a confirmed hit."""
    customer = session.get(Customer, alert.customer_id)
    version = session.get(ListVersion, alert.list_version_id)
    assert version is not None, f"alert {alert.id} names a list version that does not exist"
    freeze = Freeze(
        alert_id=alert.id,
        customer_id=alert.customer_id,
        customer_name=alert.customer_name,
        accounts=list(customer.accounts) if customer is not None else [],
        source=alert.source,
        reference=alert.reference,
        designation_name=alert.designation_name,
        list_version_id=version.id,
        listing_published_at=version.published_at,
        list_loaded_at=version.loaded_at,
        alert_at=alert.created_at,
        decided_at=decided_at,
        decided_by=decided_by,
        frozen_at=now,
        approved_by=approved_by,
        clock_start=alert.clock_start,
        status=FreezeStatus.ACTIVE.value,
    )
    session.add(freeze)
    session.flush()
    audit_object(
        session,
        "freeze.create",
        freeze.id,
        actor=approved_by,
        after=notification(freeze, version.version),
    )
    return freeze


def open_release_reviews(
    session: Session, removed: Iterable[Designation], version: ListVersion, actor: str
) -> int:
    """Delisted designations: every active freeze under one of them gets a release review."""
    count = 0
    for designation in removed:
        query = select(Freeze).where(
            Freeze.source == designation.source,
            Freeze.reference == designation.reference,
            Freeze.status == FreezeStatus.ACTIVE.value,
        )
        for freeze in session.scalars(query):
            freeze.status = FreezeStatus.RELEASE_REVIEW.value
            freeze.review_reason = (
                f"{designation.reference} was removed from the {version.source} list in "
                f"version {version.version}"
            )
            append_step(
                session,
                "freeze.review",
                freeze.id,
                actor=actor,
                before=FreezeStatus.ACTIVE.value,
                after={"status": freeze.status, "review_reason": freeze.review_reason},
            )
            count += 1
    return count


def list_freezes(db: Database | None = None) -> list[dict[str, Any]]:
    """Every freeze order as its FIU notification record, oldest first."""
    db = db or default_database()
    query = (
        select(Freeze, ListVersion.version)
        .join(ListVersion, Freeze.list_version_id == ListVersion.id)
        .order_by(Freeze.id)
    )
    with db.read() as session:
        return [notification(freeze, version) for freeze, version in session.execute(query)]


def get_freeze(freeze_id: int, db: Database | None = None) -> dict[str, Any]:
    """One freeze order as its FIU notification record, with its release and payments."""
    db = db or default_database()
    with db.read() as session:
        freeze = get_row(session, Freeze, freeze_id, "freeze")
        version = session.get(ListVersion, freeze.list_version_id)
        record = notification(freeze, version.version if version else "")
        record["alert_id"] = freeze.alert_id
        record["review_reason"] = freeze.review_reason
        record["release"] = {
            "requested_by": freeze.release_requested_by,
            "requested_at": _iso(freeze.release_requested_at),
            "reason": freeze.release_reason,
            "released_by": freeze.released_by,
            "released_at": _iso(freeze.released_at),
        }
        payments = session.scalars(
            select(PermittedPayment)
            .where(PermittedPayment.freeze_id == freeze.id)
            .order_by(PermittedPayment.id)
        )
        record["permitted_payments"] = [_payment(p) for p in payments]
        return record


def pending_payments(db: Database | None = None) -> list[dict[str, Any]]:
    """Permitted payments awaiting a second person's approval, oldest first."""
    db = db or default_database()
    query = (
        select(PermittedPayment)
        .where(PermittedPayment.status == PaymentStatus.PENDING_APPROVAL.value)
        .order_by(PermittedPayment.id)
    )
    with db.read() as session:
        return [_payment(payment) for payment in session.scalars(query)]


def sla(db: Database | None = None, now: dt.datetime | None = None) -> list[SlaItem]:
    """Every alert not yet acted on, the most urgent first, with the hours left of the 24."""
    db = db or default_database()
    now = now or utc_now()
    query = select(Alert).where(Alert.status.in_(sorted(AWAITING))).order_by(Alert.clock_start)
    with db.read() as session:
        return [_sla_item(alert, now) for alert in session.scalars(query)]


def ask_release(freeze_id: int, *, actor: str, reason: str, db: Database | None = None) -> str:
    """A first person asks to release a freeze (delisting, or a false positive found later)."""
    if not reason.strip():
        raise InputError("a release needs a reason (--reason)")
    db = db or default_database()
    with db.write() as session:
        freeze = get_row(session, Freeze, freeze_id, "freeze")
        before = freeze.status
        freeze.status = request_release(FreezeStatus(before)).value
        freeze.release_requested_by = actor
        freeze.release_requested_at = utc_now()
        freeze.release_reason = reason
        append_step(
            session,
            "freeze.release_request",
            freeze.id,
            actor=actor,
            before=before,
            after={"status": freeze.status},
            reason=reason,
        )
        return freeze.status


def release(freeze_id: int, *, actor: str, db: Database | None = None) -> str:
    """A second person approves the release: the accounts are free again."""
    db = db or default_database()
    with db.write() as session:
        freeze = get_row(session, Freeze, freeze_id, "freeze")
        before = freeze.status
        status = approve_release(FreezeStatus(before))
        check_two_persons(
            session, freeze.release_requested_by or "", actor, f"the release of freeze {freeze.id}"
        )
        freeze.status = status.value
        freeze.released_by = actor
        freeze.released_at = utc_now()
        append_step(
            session,
            "freeze.release",
            freeze.id,
            actor=actor,
            before=before,
            after={"status": status.value, "requested_by": freeze.release_requested_by},
            reason=freeze.release_reason,
        )
        return status.value


@dataclass(slots=True, frozen=True)
class PaymentRequest:
    """A permitted payment from frozen funds as asked for, its amount and currency as written."""

    amount: str
    currency: str
    purpose: str
    payee: str | None = None


def request_payment(
    freeze_id: int, asked: PaymentRequest, *, actor: str, db: Database | None = None
) -> int:
    """Record a permitted payment for basic expenses (Article 12 section 8), awaiting approval."""
    value = parse_amount(asked.amount)
    code = to_currency(asked.currency)
    if code is None:
        raise InputError(f"currency '{printable(asked.currency)}' is not an ISO 4217 currency code")
    if not asked.purpose.strip():
        raise InputError("a permitted payment needs its purpose (--purpose)")
    db = db or default_database()
    with db.write() as session:
        freeze = get_row(session, Freeze, freeze_id, "freeze")
        if freeze.status == FreezeStatus.RELEASED.value:
            raise InputError(f"freeze {freeze.id} is released: there is nothing to pay out of")
        payment = PermittedPayment(
            freeze_id=freeze.id,
            amount=format(value, "f"),  # 1e3 is kept as 1000
            currency=code,
            purpose=asked.purpose,
            payee=asked.payee,
            requested_by=actor,
            requested_at=utc_now(),
            status=PaymentStatus.PENDING_APPROVAL.value,
        )
        session.add(payment)
        session.flush()
        audit_object(
            session,
            "payment.request",
            payment.id,
            actor=actor,
            after=_payment(payment),
            reason=asked.purpose,
        )
        return payment.id


def approve_payment(payment_id: int, *, actor: str, db: Database | None = None) -> None:
    """A second person approves a permitted payment."""
    db = db or default_database()
    with db.write() as session:
        payment = session.get(PermittedPayment, payment_id)
        if payment is None:
            raise NotFound(f"no permitted payment {payment_id}")
        if payment.status != PaymentStatus.PENDING_APPROVAL.value:
            raise InputError(f"permitted payment {payment_id} is already {payment.status}")
        check_two_persons(session, payment.requested_by, actor, f"permitted payment {payment_id}")
        payment.status = PaymentStatus.APPROVED.value
        payment.approved_by = actor
        payment.approved_at = utc_now()
        audit_object(
            session,
            "payment.approve",
            payment.id,
            actor=actor,
            before={"status": PaymentStatus.PENDING_APPROVAL.value},
            after=_payment(payment),
        )


def notification(freeze: Freeze, version: str) -> dict[str, Any]:
    """The FIU notification record of one freeze (NOTIFICATION_FIELDS, JSON-ready)."""
    hours = (freeze.frozen_at - freeze.clock_start).total_seconds() / 3600
    return {
        "freeze_id": freeze.id,
        "status": freeze.status,
        "customer_id": freeze.customer_id,
        "customer_name": freeze.customer_name,
        "accounts": list(freeze.accounts),
        "list": freeze.source,
        "reference": freeze.reference,
        "designation_name": freeze.designation_name,
        "list_version": version,
        "listing_published_at": _iso(freeze.listing_published_at),
        "list_loaded_at": _iso(freeze.list_loaded_at),
        "alert_at": _iso(freeze.alert_at),
        "decided_at": _iso(freeze.decided_at),
        "decided_by": freeze.decided_by,
        "frozen_at": _iso(freeze.frozen_at),
        "approved_by": freeze.approved_by,
        "hours_to_freeze": round(hours, 2),
        "within_24_hours": hours <= FREEZE_HOURS,
    }


def notifications_csv(records: list[dict[str, Any]]) -> str:
    """FIU notifications as CSV text (accounts joined with ';')."""
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=NOTIFICATION_FIELDS, extrasaction="ignore")
    writer.writeheader()
    for record in records:
        writer.writerow({**record, "accounts": ";".join(record["accounts"])})
    return buffer.getvalue()


def notifications_json(records: list[dict[str, Any]]) -> str:
    """FIU notifications as a JSON document."""
    return json.dumps({"freeze_notifications": records}, ensure_ascii=False, indent=2)


def _sla_item(alert: Alert, now: dt.datetime) -> SlaItem:
    deadline = alert.clock_start + dt.timedelta(hours=FREEZE_HOURS)
    hours_left = round((deadline - now).total_seconds() / 3600, 2)
    return SlaItem.of(alert, deadline=deadline, hours_left=hours_left)


def _payment(payment: PermittedPayment) -> dict[str, Any]:
    return {
        "payment_id": payment.id,
        "freeze_id": payment.freeze_id,
        "amount": payment.amount,
        "currency": payment.currency,
        "purpose": payment.purpose,
        "payee": payment.payee,
        "requested_by": payment.requested_by,
        "requested_at": _iso(payment.requested_at),
        "approved_by": payment.approved_by,
        "approved_at": _iso(payment.approved_at),
        "status": payment.status,
    }


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None
