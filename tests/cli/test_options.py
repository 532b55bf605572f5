"""The shared options (finmon.cli.options) check what they are given while the command line is
read: a wrong file ending or a format a document cannot take is refused before any work."""

from __future__ import annotations

from pathlib import Path

import typer
from typer.testing import CliRunner

from finmon.cli.common import FinmonGroup
from finmon.cli.options import DocumentFormatOption, JsonFileOption, ResultFormat

runner = CliRunner()


def test_a_document_refuses_csv_and_a_file_for_someone_else_must_be_json(tmp_path: Path) -> None:
    app = typer.Typer(cls=FinmonGroup)
    done: list[tuple[Path, ResultFormat]] = []

    @app.command("hand")
    def hand(output: JsonFileOption, format: DocumentFormatOption = ResultFormat.JSON) -> None:
        done.append((output, format))

    @app.command("other")
    def other() -> None:
        """A second command, so that `hand` is a subcommand as in finmon."""

    given = tmp_path / "answer.json"
    assert runner.invoke(app, ["hand", "--output", str(given), "--format", "table"]).exit_code == 0
    assert done == [(given, ResultFormat.TABLE)]
    refused = runner.invoke(app, ["hand", "--output", str(given), "--format", "csv"])
    assert refused.exit_code == 2 and "this result is one document" in refused.stderr
    refused = runner.invoke(app, ["hand", "--output", str(tmp_path / "answer.csv")])
    assert refused.exit_code == 2 and "answer.csv: the output must end in .json" in refused.stderr
    assert runner.invoke(app, ["hand"]).exit_code == 2  # the file is required
    assert len(done) == 1
