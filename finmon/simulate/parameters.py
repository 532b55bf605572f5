"""What a simulation draws from: its settings, and the ranges of every behaviour and typology.

The ranges are kept here, as data, so that docs/simulate.md and an analyst can read them in one
place. Amounts are in tenge: plausible for Kazakhstan in 2026, not taken from any statistic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

TYPOLOGIES = (
    "structured_cash",
    "funnel",
    "pass_through",
    "high_risk_jurisdiction",
    "npo_misuse",
    "crowdfunding_spike",
    "listed_link",
    "cycle",
    "scatter_gather",
)
"""The planted terrorist-financing typologies (REFERENCE.md section 9), as labelled."""
CHANNELS = ("transfer", "card", "cash", "wire", "internal")
KINDS = ("person", "business", "npo", "merchant", "utility", "bank")
BACKGROUNDS = ("standard", "randomised")
"""The ordinary activities a simulation can draw (Settings.background)."""
DEFAULT_PLANTED = 20
"""Planted instances of each typology by default."""


@dataclass(slots=True)
class Settings:
    """What to simulate. Businesses, merchants and NPOs come in proportion to the customers."""

    seed: int = 1
    customers: int = 5000
    """Private persons holding accounts (migrant workers, pensioners and students among them)."""
    months: int = 3
    start: dt.date = dt.date(2026, 1, 1)
    currency: str = "KZT"
    """The currency code written; amounts are drawn in tenge whatever it says."""
    business_share: float = 0.04
    """Businesses (employers, suppliers, public bodies) per customer."""
    merchant_share: float = 0.02
    """Shops, chains and market traders taking payments, per customer."""
    npo_share: float = 0.005
    """NPOs per customer; never fewer than 3 per planted npo_misuse instance, so that most
    NPOs stay ordinary."""
    listed: int = 5
    """Accounts held by listed persons (listed_link plants transfers with them)."""
    planted: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(TYPOLOGIES, DEFAULT_PLANTED)
    )
    """Planted instances per typology; each has one principal suspect account, and the
    multi-account typologies label more (docs/simulate.md)."""
    background: str = "standard"
    """The ordinary activity: "standard" (persons.py, organisations.py) or "randomised"
    (randomised.py: other behaviours, their parameters and the segment shares drawn per seed)."""


@dataclass(frozen=True, slots=True)
class Amounts:
    """Amounts in tenge drawn log-normally around a median, kept in [low, high], rounded to step."""

    low: float
    median: float
    high: float
    step: float = 1.0


# Background: people.
SALARY = Amounts(200_000, 350_000, 900_000)
MIGRANT_SALARY = Amounts(200_000, 260_000, 450_000)
PENSION = Amounts(90_000, 140_000, 250_000)
CARD = Amounts(500, 4_000, 60_000)
CARD_ABROAD = Amounts(1_000, 12_000, 150_000)
BILL = Amounts(3_000, 9_000, 40_000)
LOAN = Amounts(15_000, 45_000, 200_000)
FAMILY = Amounts(2_000, 20_000, 300_000, 1_000)
TO_TRADER = Amounts(500, 3_000, 30_000, 10)
CASH_DEPOSIT = Amounts(5_000, 50_000, 500_000, 1_000)
CASH_WITHDRAWAL = Amounts(5_000, 30_000, 300_000, 1_000)
SAVINGS = Amounts(5_000, 50_000, 1_000_000, 1_000)
REMITTANCE = Amounts(30_000, 100_000, 300_000, 1_000)
FROM_ABROAD = Amounts(30_000, 80_000, 300_000, 1_000)
DONATION = Amounts(500, 2_000, 20_000, 100)

EMPLOYED = 0.75
"""Share of working-age people with an employer (the rest: self-employed, students, at home)."""
ADVANCE_PAYERS = 0.4
"""Share of employers paying an advance (40% of the salary) mid-month, as is common."""
REMITTERS = {"uz": 0.8, "kg": 0.8, "tj": 0.8, "ru": 0.1}
"""Share of people of each origin sending money home monthly (to UZ, KG, TJ, RU)."""
REMITTED_SHARE = (0.2, 0.6)
"""Share of the wage a remitter sends home each month."""
CARD_PER_MONTH = 14.0
"""Median card purchases a month (per person: log-normal, up to 60)."""
BILL_PAYERS, LOAN_PAYERS, FAMILY_SENDERS = 0.75, 0.30, 0.55
TRADER_PAYERS, CASH_DEPOSITORS, CASH_USERS, SAVERS = 0.45, 0.25, 0.45, 0.20
FROM_ABROAD_RECEIVERS = 0.03
HOLIDAY_PER_MONTH = 0.03
"""Chance a person starts a trip abroad (TR, AE, GE) in a month; card purchases there."""
DONORS = 0.35
"""Share of people giving small sums to charities, 1.3 times a month on average."""
FUNDRAISERS_PER_PERSON = 0.001
"""Private appeals (medical treatment): 20-150 donations in days, paid on to a clinic at home."""

# Background: organisations.
SUPPLIER = Amounts(20_000, 350_000, 20_000_000)
FOREIGN_SUPPLIER = Amounts(300_000, 1_500_000, 15_000_000, 100)
FOREIGN_CUSTOMER = Amounts(500_000, 3_000_000, 30_000_000, 100)
TRADER_TAKINGS = Amounts(30_000, 250_000, 3_000_000, 1_000)
BUSINESS_BILL = Amounts(20_000, 150_000, 1_500_000)
BUSINESS_CASH = Amounts(100_000, 400_000, 2_000_000, 1_000)
GRANT = Amounts(1_000_000, 5_000_000, 20_000_000, 1_000)
AID = Amounts(10_000, 50_000, 150_000, 1_000)
PETTY_CASH = Amounts(20_000, 60_000, 200_000, 1_000)
NPO_SPENT = (0.6, 1.0)
"""Share of an NPO's monthly income it spends at home (suppliers, aid, utilities)."""
NPO_DIVERTED_SPENT = (0.2, 0.5)
"""The same for an NPO misused (npo_misuse): the rest leaves abroad or as cash."""

# Planted typologies.
REPORTING_AMOUNTS = (1_000_000, 2_000_000, 3_000_000, 5_000_000)
"""structured_cash: the reporting amount each instance stays under (one per instance)."""
HIGH_RISK = ("SY", "IQ", "AF", "YE", "SO", "IR", "KP", "LY", "ML")
TRANSIT = ("TR",)
"""high_risk_jurisdiction: conflict-adjacent or FATF-listed places, and transit hubs."""
ABROAD = ("TR", "AE", "RU", "UZ", "KG", "TJ", "GE", "SY", "IQ", "AF", "PK", "SO")
"""Where planted money is sent when the typology says only 'abroad'."""
SMALL_GIFT = Amounts(500, 3_000, 20_000, 100)
FUNNEL_PAYMENT = Amounts(1_000, 15_000, 60_000, 100)
PASS_THROUGH = Amounts(300_000, 1_200_000, 5_000_000, 1_000)
HIGH_RISK_TRANSFER = Amounts(50_000, 200_000, 800_000, 1_000)
LISTED_TRANSFER = Amounts(20_000, 150_000, 1_000_000, 1_000)
CYCLE = Amounts(200_000, 1_000_000, 5_000_000, 1_000)
SCATTER = Amounts(500_000, 2_500_000, 10_000_000, 1_000)
MISUSE_SHARE = (0.3, 0.7)
"""npo_misuse: share of the NPO's donations sent abroad to individuals or taken as cash."""
