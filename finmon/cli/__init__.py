"""The `finmon` command line: a thin front door, one module per command group.

`common` holds what the groups share (the app, its error mapping, the acting user, options);
each group module registers its commands on that app when it is imported, here.
"""

from __future__ import annotations

from importlib import import_module

from finmon.cli.common import app
from finmon.cli.output import err, out

GROUPS = (
    "lists",
    "audit",
    "screen",
    "compare",
    "demo",
    "users",
    "serve",
    "cases",
    "simulate",
    "payments",
    "transactions",
    "monitor",
    "triage",
    "travel",
    "customers",
    "alerts",
    "freezes",
    "fiu",
)
"""The command modules, in the order `finmon --help` lists what they register."""

for _group in GROUPS:
    import_module(f"finmon.cli.{_group}")

from finmon.services.screening import HIT_COLUMNS  # noqa: E402

__all__ = ["GROUPS", "HIT_COLUMNS", "app", "err", "main", "out"]


def main() -> None:
    """Console-script entry point."""
    app(prog_name="finmon")
