"""The `finmon` command line: a thin front door, one module per command group.

`common` holds what the groups share (the app, its error mapping, the acting user, options);
each group module registers its commands on that app when it is imported. `app` taken from here
has every group registered; `main` (the `finmon` command) imports only the module of the command
it runs, since importing them all (the FIU's graphs, goAML reports, ...) takes longer than many
commands do.
"""

from __future__ import annotations

import sys
import threading
from importlib import import_module
from typing import TYPE_CHECKING, Any

from finmon.cli.output import err, out

if TYPE_CHECKING:
    import typer

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

COMMANDS = {
    **{group: group for group in GROUPS},
    "check-payment": "payments",
}
"""The module that registers each command (or command group) of `finmon`."""

GLOBAL_VALUES = frozenset({"--actor"})
"""The global options that take a value, which comes before the command's name."""

__all__ = ["COMMANDS", "GROUPS", "HIT_COLUMNS", "app", "err", "main", "out"]


def registered(groups: tuple[str, ...] = GROUPS) -> typer.Typer:
    """The app with the commands of these modules registered (importing a module registers
    its commands; a module already imported is not imported again)."""
    for group in groups:
        import_module(f"finmon.cli.{group}")
    from finmon.cli.common import app

    return app


def command_named(args: list[str]) -> str | None:
    """The name of the command the arguments run: the first that is neither `--actor` nor its
    value; None when there is none, or when another option (`--help`, `--version`) comes first."""
    values = False
    for arg in args:
        if values:
            values = False
        elif arg in GLOBAL_VALUES:
            values = True
        elif not arg.startswith("-"):
            return arg
        elif arg.partition("=")[0] not in GLOBAL_VALUES:
            return None
    return None


def __getattr__(name: str) -> Any:
    if name == "app":
        return registered()
    if name == "HIT_COLUMNS":
        from finmon.services.screening import HIT_COLUMNS

        return HIT_COLUMNS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main() -> None:
    """Console-script entry point. A name that is no command (or none, or `--help`) loads them
    all, so that the help and the errors list every command as before."""
    module = COMMANDS.get(command_named(sys.argv[1:]) or "")
    app = registered((module,) if module is not None else GROUPS)
    from finmon.cli.common import ENDING

    ENDING.armed = True
    try:
        app(prog_name="finmon")
    except SystemExit as stop:
        code = stop.code
        if (code is None or isinstance(code, int)) and threading.active_count() == 1:
            ENDING.end(code or 0)
        raise
