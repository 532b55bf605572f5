"""Payments and transfers: the canonical record, the loaders of each format, and the checks made
on each transfer (FATF R.16 wire-transfer information, screening of its parties)."""

from finmon.transactions.model import PartyInfo, Transaction

__all__ = ["PartyInfo", "Transaction"]
