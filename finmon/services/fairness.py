"""The supervisors' fairness review: how often the installation's customers are alerted, by the
script of their name, beside benchmark figures measured elsewhere. A measurement of the
screening, never a matching input."""

from __future__ import annotations

from finmon.services.access import authorize
from finmon.store import Database
from finmon.store import fairness as store
from finmon.store.fairness import BenchmarkRow, Fairness, read_benchmark
from finmon.workflow.access import Action

__all__ = ["BenchmarkRow", "Fairness", "read_benchmark"]


def fairness_figures(actor: str, db: Database | None = None) -> Fairness:
    """Alert rates of the customers in the store, by the script of their name."""
    authorize(actor, Action.REVIEW_FAIRNESS, db)
    return store.fairness_figures(db)
