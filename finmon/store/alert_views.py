"""What every view of an alert begins with: whom it is about and under which listing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

from finmon.store.engine import record_of
from finmon.store.models import Alert


@dataclass(slots=True, frozen=True)
class AlertHead:
    """The columns every alert view shows first (AlertRow, SlaItem)."""

    alert_id: int
    customer_id: str
    customer_name: str
    list: str
    reference: str
    designation_name: str

    @classmethod
    def of(cls, alert: Alert, **given: Any) -> Self:
        """This view of `alert`: alert_id and list are its id and source, the view's other fields
        its columns of the same names, but for those given."""
        return record_of(cls, alert, alert_id=alert.id, list=alert.source, **given)
