"""The R.16 rates table the API serves from, kept on the app (`app.state`); the screening
indexes beside it are `finmon.services.screeners`, shared with the web pages."""

from __future__ import annotations

import pathlib

from finmon.services.screeners import ALL_LISTS, Screeners
from finmon.transactions.wire import Rates

__all__ = ["ALL_LISTS", "RatesTable", "Screeners"]


class RatesTable:
    """The R.16 rates table of the settings, read on first use (None when none is set)."""

    def __init__(self, path: pathlib.Path | None) -> None:
        self.path = path
        self._table: Rates | None = None

    def get(self) -> Rates | None:
        """The table, read once."""
        if self.path is not None and self._table is None:
            self._table = Rates.read(self.path)
        return self._table
