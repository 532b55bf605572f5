"""What every view of an alert begins with: whom it is about and under which listing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Self

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
    def of(cls, alert: Alert, **rest: Any) -> Self:
        """This view of `alert`: its head from the row, the view's own fields as given."""
        head = (alert.id, alert.customer_id, alert.customer_name, alert.source, alert.reference)
        return cls(*head, alert.designation_name, **rest)
