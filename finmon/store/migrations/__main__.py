"""Writes the next revision: `python -m finmon.store.migrations revision -m "customers"`."""

from __future__ import annotations

import argparse

from finmon.store.migrations.revisions import new_revision


def main(argv: list[str] | None = None) -> None:
    """Read the command line and write the revision it asks for; prints the new file's path."""
    parser = argparse.ArgumentParser(prog="python -m finmon.store.migrations")
    commands = parser.add_subparsers(dest="command", required=True)
    revision = commands.add_parser("revision", help="write the next revision from models.py")
    revision.add_argument("-m", "--message", required=True, help="what the revision changes")
    print(new_revision(parser.parse_args(argv).message))


if __name__ == "__main__":
    main()
