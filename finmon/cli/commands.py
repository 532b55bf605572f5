"""The kinds of command that recur in every group, written once: one that lists rows
(`--output`, `--format`), one that shows one document as JSON (`--output`), and the steps of a
workflow that take an id and say what became of it (a table of `Step`s).

A listing or showing command's function finds what to print; the decorator adds the options and
prints it as they ask. A function that must know where its result goes (to say so) declares a
keyword parameter of the option's name, and is given its value too."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from finmon.cli.common import actor_name
from finmon.cli.options import FormatOption, JsonOutputOption, OutputOption, ResultFormat
from finmon.cli.output import emit_document, emit_rows, err, out

Rows = list[dict[str, Any]]
"""One dict a row."""

Listing = Rows | tuple[Rows, str]
"""What a listing command's function returns: the rows, or the rows and a note that is said on
stderr once they went out (how many, where)."""

Document = tuple[str, Any]
"""What a showing command's function returns: what it is (`case 7`) and the JSON document."""


_POSITIONAL = inspect.Parameter.POSITIONAL_OR_KEYWORD


def _option(name: str, annotation: Any, default: Any) -> inspect.Parameter:
    return inspect.Parameter(
        name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default
    )


def _register(
    group: typer.Typer,
    name: str,
    function: Callable[..., Any],
    emit: Callable[..., None],
    added: list[inspect.Parameter],
) -> None:
    """The command NAME in GROUP: the function's parameters and the added ones (which stand
    for the function's own of the same name); `emit` gets every value and what the function
    returned."""
    own = inspect.signature(function, eval_str=True)
    taken = {p.name for p in added}

    @functools.wraps(function)
    def command(**given: Any) -> None:
        emit(function(**{k: v for k, v in given.items() if k in own.parameters}), **given)

    # Typer reads the parameters from the signature: the function's, then the options added.
    kept = [p for p in own.parameters.values() if p.name not in taken]
    command.__signature__ = own.replace(  # type: ignore[attr-defined]
        parameters=[*kept, *added], return_annotation=None
    )
    group.command(name)(command)


def rows_command(
    group: typer.Typer, name: str, columns: Sequence[str], table: Callable[[Rows], Table]
) -> Callable[[Callable[..., Listing]], Callable[..., Listing]]:
    """A listing command: its function returns the rows (and maybe a note); they go to --output
    (.csv or .json), or on stdout as --format asks (the table `table` draws, JSON, or CSV in
    `columns`)."""

    def emit(found: Listing, *, output: Path | None, format: ResultFormat, **_: Any) -> None:
        rows, note = found if isinstance(found, tuple) else (found, "")
        emit_rows(rows, list(columns), output=output, format=format, table=table)
        if note:
            err.print(note, markup=False)

    def register(function: Callable[..., Listing]) -> Callable[..., Listing]:
        added = [
            _option("output", OutputOption, None),
            _option("format", FormatOption, ResultFormat.TABLE),
        ]
        _register(group, name, function, emit, added)
        return function

    return register


def document_command(
    group: typer.Typer, name: str
) -> Callable[[Callable[..., Document]], Callable[..., Document]]:
    """A showing command: its function returns what it shows and the document; the document
    goes to --output (.json, saying so on stderr) or on stdout."""

    def emit(found: Document, *, output: Path | None, **_: Any) -> None:
        what, document = found
        emit_document(document, output, what)

    def register(function: Callable[..., Document]) -> Callable[..., Document]:
        _register(group, name, function, emit, [_option("output", JsonOutputOption, None)])
        return function

    return register


@dataclass(frozen=True)
class Step:
    """A command that takes one id, does one step of a workflow as the actor, and says what
    became of it."""

    name: str
    help: str
    act: Callable[..., Any]
    """The service: act(actor, id), or act(actor, id, reason) when the step takes a reason."""
    said: str
    """The line printed: `{id}`, `{actor}` and `{result}` (what act returned) filled in."""
    reason: str | None = None
    """The help of the step's optional --reason; None when it takes none."""


def step_commands(group: typer.Typer, id_name: str, argument: Any, *steps: Step) -> None:
    """Each step as the command `STEP ID` of the group; `argument` is the id's Typer type."""
    for step in steps:
        command = _step_command(step, id_name)
        parameters = [
            inspect.Parameter("ctx", _POSITIONAL, annotation=typer.Context),
            inspect.Parameter(id_name, _POSITIONAL, annotation=argument),
        ]
        if step.reason is not None:
            reason = Annotated[str | None, typer.Option(help=step.reason)]
            parameters.append(_option("reason", reason, None))
        command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        command.__doc__ = step.help
        group.command(step.name)(command)


def _step_command(step: Step, id_name: str) -> Callable[..., None]:
    def command(ctx: typer.Context, **given: Any) -> None:
        actor, ident = actor_name(ctx), given[id_name]
        reason = (given["reason"],) if step.reason is not None else ()
        result = step.act(actor, ident, *reason)
        out.print(step.said.format(id=ident, actor=actor, result=result), markup=False)

    return command
