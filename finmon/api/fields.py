"""Field types and small models several routers share: stored text, money, a reason, an
answer naming a record and its status."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from finmon import hygiene
from finmon.countries import to_currency


def _no_nul(value: str) -> str:
    # A ValueError: pydantic answers it as the field's validation error (422, naming the field).
    return hygiene.refuse_nul(value, error=ValueError)


Text = Annotated[str, AfterValidator(_no_nul)]
"""Text that is stored: PostgreSQL refuses NUL characters, so both stores are spared them."""


def _iso_currency(value: str) -> str:
    code = to_currency(value)
    if code is None:
        raise ValueError(f"{value!r} is not an ISO 4217 currency code")
    return code


Currency = Annotated[
    str, Field(min_length=3, max_length=3, examples=["KZT"]), AfterValidator(_iso_currency)
]
"""An ISO 4217 currency code, answered in capitals."""
Amount = Annotated[
    Decimal,
    Field(
        gt=0,
        max_digits=hygiene.AMOUNT_DIGITS,
        decimal_places=hygiene.AMOUNT_DECIMALS,
        allow_inf_nan=False,
        examples=["150000.00"],
    ),
]
"""A money amount: finite, positive, bounded in digits (as `finmon.hygiene.parse_amount`)."""


class ReasonIn(BaseModel):
    reason: Text = Field(min_length=1, max_length=4000)


EXPLANATION = "How the score was reached: name pairs, evidence, the list entry (docs/matching.md)"


class ScreeningHit(BaseModel):
    """One designation a party matched: the names that met, the score and why."""

    model_config = ConfigDict(populate_by_name=True)

    query_name: str = Field(description="The party's name that matched")
    score: float
    list_: str = Field(alias="list", description="The list's source name")
    list_version: str
    reference: str = Field(description="The designation's reference on its list")
    designation_name: str
    matched_name: str = Field(description="The designation's name that matched")
    explanation: dict[str, Any] = Field(description=EXPLANATION)


class AlertParties(BaseModel):
    """Who an alert is about: its customer and the designation the customer matched."""

    model_config = ConfigDict(populate_by_name=True)

    alert_id: int
    customer_id: str
    customer_name: str
    list_: str = Field(alias="list")
    reference: str
    designation_name: str
