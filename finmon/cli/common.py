"""What every `finmon` command shares: the app, its error mapping, the acting user and the
command groups. Options shared by commands are in `finmon.cli.options`, where results go in
`finmon.cli.output`."""

from __future__ import annotations

import atexit
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from finmon.cli.output import err, out
from finmon.errors import FinmonError, InputError
from finmon.hygiene import is_text, printable
from finmon.settings import load_settings
from finmon.workflow.access import Action


class FinmonGroup(TyperGroup):
    """Maps every FinmonError (and OS-level file errors) to one line on stderr and its exit code."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        """Note the first argument that is not text (a name of bytes that are not UTF-8, read
        with surrogates): it is refused in `invoke`, before any command sees it."""
        for position, arg in enumerate(args, start=1):
            if not is_text(arg):
                ctx.meta["finmon.not_text"] = InputError(
                    f"argument {position} ('{printable(arg)}') is not UTF-8 text"
                )
                break
        return list(super().parse_args(ctx, args))

    def invoke(self, ctx: Any) -> Any:
        """Run the command; report finmon's errors without a traceback."""
        try:
            if "finmon.not_text" in ctx.meta:
                raise ctx.meta["finmon.not_text"]
            return super().invoke(ctx)
        except FinmonError as exc:
            err.print(f"error: {exc}", markup=False)
            raise typer.Exit(exc.exit_code) from None
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            err.print(f"error: {exc.strerror or exc}{where}", markup=False)
            raise typer.Exit(1) from None


app = typer.Typer(
    cls=FinmonGroup,
    help="Countering the financing of terrorism: list screening, audit and more.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,
)


def _print_version(value: bool) -> None:
    if value:
        from finmon import __version__

        out.print(f"finmon {__version__}", markup=False)
        raise typer.Exit()


@app.callback()
def _global(
    ctx: typer.Context,
    actor: Annotated[
        str | None, typer.Option(help="Who is acting, for the audit log (default: FINMON_ACTOR).")
    ] = None,
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    ctx.obj = {"actor": actor or load_settings().actor}


def command_group(name: str, help: str, parent: typer.Typer | None = None) -> typer.Typer:
    """The command group `finmon NAME` (or under parent); called bare, it shows its help."""
    group = typer.Typer(help=help, no_args_is_help=True)
    (parent or app).add_typer(group, name=name)
    return group


def actor_name(ctx: typer.Context) -> str:
    root = ctx.find_root()
    return str((root.obj or {}).get("actor") or load_settings().actor)


def acting(ctx: typer.Context, action: Action) -> str:
    """The actor, allowed the action by `finmon.services.access.authorize` (the same check as
    the API's and the web's): once the store has accounts, `--actor` names an active account
    whose role allows it; a store with no account is a personal installation where anyone acts
    but nobody approves as a second person."""
    from finmon.services.access import authorize

    return authorize(actor_name(ctx), action).name


def require_files(paths: Iterable[Path]) -> None:
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file")


@dataclass
class ProcessEnd:
    """How the `finmon` process ends. `main` arms it; a command that leaves a large heap behind
    (a screener's index: millions of small objects) hands it to `keep`, and the process then
    ends with os._exit once its streams are flushed, its exit handlers run and its databases
    closed, instead of freeing those objects one by one (about 0.3 s for UN + OFAC SDN) and
    tearing the interpreter down (as long again). Run in process (tests), nothing is kept."""

    armed: bool = False
    kept: list[object] = field(default_factory=list)

    def keep(self, *objects: object) -> None:
        if self.armed:
            self.kept.extend(objects)

    def end(self, code: int) -> None:
        """End the process now with this exit code when something was kept; return (for the
        usual exit) when nothing was, or when the standard streams cannot be flushed."""
        if not self.kept:
            return
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            return  # the usual exit reports it
        from finmon.services import close_databases

        atexit._run_exitfuncs()
        close_databases()
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):
            code = 120  # what the interpreter exits with when it cannot flush them
        os._exit(code)


ENDING = ProcessEnd()
"""The `finmon` process's end."""
