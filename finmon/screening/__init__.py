"""Screening: candidate index, explained scoring, single and batch screening."""

from finmon.screening.namescore import NameComparison, compare_names
from finmon.screening.screener import DEFAULT_THRESHOLD, Hit, Screener

__all__ = ["DEFAULT_THRESHOLD", "Hit", "NameComparison", "Screener", "compare_names"]
