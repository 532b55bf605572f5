"""Docs as tests: every command Typer registers has help text and is documented, with each of
its options, in docs/cli.md (and README.md names none that does not exist)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from finmon.cli import app
from tests.conftest import ROOT

runner = CliRunner()
DOCS = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands(command: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command that runs (not the groups), with its words after `finmon`."""
    for name, sub in getattr(command, "commands", {}).items():
        if getattr(sub, "commands", None):
            yield from _commands(sub, (*path, name))
        else:
            yield (*path, name), sub


COMMANDS = dict(_commands(get_command(app)))


def _line(path: tuple[str, ...]) -> str:
    """The docs/cli.md table row of a command."""
    pattern = re.compile(
        rf"^\| `finmon {re.escape(' '.join(path))}(?: [A-Z0-9_\[\].]+)*` \|.*$", re.M
    )
    found = pattern.findall(DOCS)
    assert len(found) == 1, f"finmon {' '.join(path)}: {len(found)} rows in docs/cli.md"
    return str(found[0])


def test_the_walk_finds_every_command() -> None:
    # The guard is only as good as its walk: the groups' commands are there, not just the top.
    assert len(COMMANDS) >= 52
    assert {("screen",), ("lists", "fetch", "un"), ("freezes", "approve-payment")} <= set(COMMANDS)


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=" ".join)
def test_every_command_has_help_and_a_documented_line(path: tuple[str, ...]) -> None:
    command = COMMANDS[path]
    assert (command.help or "").strip(), f"finmon {' '.join(path)} has no help text"
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0 and "Usage" in result.stdout
    line = _line(path)
    for param in command.params:
        for option in param.opts if type(param).__name__ == "TyperOption" else []:
            if option.startswith("--"):
                assert f"`{option}`" in line or any(f"`{other}`" in line for other in param.opts), (
                    f"finmon {' '.join(path)}: {option} is not in docs/cli.md"
                )


def test_the_docs_and_readme_name_only_commands_that_exist() -> None:
    words = {word for path in COMMANDS for word in path}
    named = re.findall(r"`finmon ((?:[a-z][a-z-]* ?)+)", DOCS + README)
    for text in named:
        path = tuple(word for word in text.split() if word in words)
        assert path in COMMANDS or any(p[: len(path)] == path for p in COMMANDS), text


def test_the_readme_points_to_the_command_reference() -> None:
    assert "docs/cli.md" in README


def test_bracketed_words_of_the_help_are_printed() -> None:
    # Typer reads help as rich markup, where "[spark]" is a style tag that vanishes: "pip install
    # 'finmon[spark]'" was printed as "pip install 'finmon'". A literal bracket is written "\[".
    lost = []
    for path, command in COMMANDS.items():
        texts = [command.help or "", *(getattr(p, "help", None) or "" for p in command.params)]
        words = {w for text in texts for w in re.findall(r"\[[^\]]+\]", text)}
        if not words:
            continue
        shown = re.sub(r"[\s│╭╮╰╯─]", "", runner.invoke(app, [*path, "--help"]).stdout)
        for word in words:
            if re.sub(r"\s", "", word.replace("\\[", "[")) not in shown:
                lost.append((" ".join(path), word))
    assert not lost
