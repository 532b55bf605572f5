"""The `finmon` command line, through typer's runner and as a real console script."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from finmon.cli import HIT_COLUMNS, app
from finmon.errors import ROW_PROBLEMS_EXIT
from finmon.lists import FIXTURE_DIR, parse_files
from finmon.screening import DEFAULT_THRESHOLD
from tests.conftest import CI, direct_sql, drop_audit_guards, shared_file

UN_2026 = "lists/un_consolidated_2026-02-27.xml"
UN_2020 = "lists/un_consolidated_2020-11-30.xml"
runner = CliRunner()


def _run(*args: str | Path) -> tuple[int, str, str]:
    result = runner.invoke(app, [str(a) for a in args])
    return result.exit_code, result.stdout, result.stderr


def _load_un() -> Path:
    path = shared_file(UN_2026)
    code, _, stderr = _run("lists", "load", path)
    assert code == 0, stderr
    return path


def _listed_person(path: Path) -> tuple[str, str]:
    """(reference, primary name) of a listed person with a two-word Latin name."""
    for designation in parse_files([path]).designations:
        name = designation.caption
        if designation.schema == "person" and re.fullmatch(r"[A-Z]+ [A-Z]+", name):
            return designation.reference, name
    raise AssertionError("no two-word person in the list")


def _misspelt(name: str) -> str:
    """The name with its last letter changed: a weaker, still reviewable match."""
    return name[:-1] + ("Q" if name[-1] != "Q" else "X")


def _customers(tmp_path: Path, listed_name: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "customers.csv"
    rows = [
        "id,name,birth_date,nationality",
        "c1,Жаксылыков Ерлан Серикович,1987-10-08,KZ",
        "c2,Omarova Saule,1976,KZ",
        f"c3,{' '.join(reversed(listed_name.split()))},,",
        "c4,Петрова Елена Игоревна,1990-01-01,RU",
    ]
    path.write_bytes(("\n".join(rows) + "\n").encode(encoding))
    return path


def test_load_show_and_reload() -> None:
    path = shared_file(UN_2026)
    code, stdout, _ = _run("lists", "load", path)
    assert code == 0
    assert "Loaded un list version" in stdout and "1003 designations" in stdout
    code, stdout, _ = _run("lists", "load", path)
    assert code == 0 and "already loaded" in stdout
    code, stdout, _ = _run("lists", "show")
    assert code == 0
    assert "un" in stdout and "1003" in stdout and "2026-02-27" in stdout


def test_older_list_is_refused_then_forced() -> None:
    _load_un()
    code, _, stderr = _run("lists", "load", shared_file(UN_2020))
    assert code == 3
    assert stderr.startswith("error: refused") and "Traceback" not in stderr
    code, stdout, _ = _run("lists", "load", "--force", shared_file(UN_2020))
    assert code == 0 and "replacing" in stdout


def test_damaged_list_is_refused_and_loads_nothing() -> None:
    damaged = shared_file("lists/un_consolidated_2025-08-16_encoding-damaged.xml")
    code, _, stderr = _run("lists", "load", damaged)
    assert code == 2
    assert "encoding-damaged" in stderr and len(stderr.strip().splitlines()) == 1
    assert "No list loaded" in _run("lists", "show")[1]


def test_bad_arguments_are_one_line_errors(tmp_path: Path) -> None:
    code, _, stderr = _run("lists", "load", tmp_path / "missing.xml")
    assert code == 2 and "no such file" in stderr
    code, _, stderr = _run("lists", "load", "--format", "pdf", shared_file(UN_2026))
    assert code == 2 and "unknown list format" in stderr


def test_screen_without_a_list_says_so(tmp_path: Path) -> None:
    code, _, stderr = _run("screen", _customers(tmp_path, "JOHN DOE"))
    assert code == 5
    assert "no list is loaded" in stderr


def test_screen_writes_hits_csv(tmp_path: Path) -> None:
    reference, name = _listed_person(_load_un())
    output = tmp_path / "out" / "hits.csv"
    code, _, stderr = _run("screen", _customers(tmp_path, name), "--output", output)
    assert code == 0, stderr
    assert "screened 4 rows" in stderr and "alert rate" in stderr
    with output.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        rows = list(reader)
    assert reader.fieldnames == HIT_COLUMNS
    planted = [row for row in rows if row["id"] == "c3"]
    assert reference in {row["reference"] for row in planted}
    for row in rows:
        assert float(row["score"]) >= DEFAULT_THRESHOLD
        assert row["list"] == "un" and row["list_version"]
        assert isinstance(json.loads(row["explanation"]), dict)


def test_screen_writes_jsonl_and_respects_threshold(tmp_path: Path) -> None:
    _reference, name = _listed_person(_load_un())
    customers = _customers(tmp_path, name)
    with customers.open("a", encoding="utf-8") as extra:
        extra.write(f"c5,{_misspelt(name)},1900,\n")
    scores = {}
    for threshold in ("0.0", "0.99"):
        output = tmp_path / f"hits-{threshold}.jsonl"
        code, _, _ = _run("screen", customers, "--output", output, "--threshold", threshold)
        assert code == 0
        rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
        assert all(set(row) == set(HIT_COLUMNS) for row in rows)
        assert all(isinstance(row["explanation"], dict) for row in rows)
        scores[threshold] = sorted(row["score"] for row in rows)
    assert len(scores["0.0"]) > len(scores["0.99"])
    assert scores["0.99"] == [s for s in scores["0.0"] if s >= 0.99]


def test_screen_prints_a_table_without_output(tmp_path: Path) -> None:
    reference, name = _listed_person(_load_un())
    code, stdout, _ = _run("screen", _customers(tmp_path, name))
    assert code == 0
    assert reference in stdout


def test_screen_cp1251_needs_the_encoding(tmp_path: Path) -> None:
    _load_un()
    customers = _customers(tmp_path, "JOHN DOE", encoding="cp1251")
    code, _, stderr = _run("screen", customers)
    assert code == 2
    assert "customers.csv: line 2" in stderr and "--encoding cp1251" in stderr
    code, _, stderr = _run("screen", customers, "--encoding", "cp1251")
    assert code == 0 and "screened 4 rows" in stderr


def test_bad_row_late_in_the_file_leaves_no_partial_output(tmp_path: Path) -> None:
    _reference, name = _listed_person(_load_un())
    customers = _customers(tmp_path, name)
    with customers.open("ab") as handle:
        handle.write("c9,Дана Абенова,,\n".encode("cp1251"))
    output = tmp_path / "hits.csv"
    code, _, stderr = _run("screen", customers, "--output", output)
    assert code == 2 and "line 6" in stderr
    assert not output.exists()


def test_screen_missing_name_column(tmp_path: Path) -> None:
    _load_un()
    customers = tmp_path / "customers.csv"
    customers.write_text("id,surname_only_here\n1,x\n", encoding="utf-8")
    code, _, stderr = _run("screen", customers)
    assert code == 2
    assert "no name column" in stderr and "surname_only_here" in stderr


def test_compare_two_names() -> None:
    code, stdout, _ = _run("compare", "Nursultan Nazarbayev", "Назарбаев Нурсултан")
    assert code == 0
    score = float(re.search(r"Score: ([0-9.]+)", stdout).group(1))  # type: ignore[union-attr]
    assert 0.0 <= score <= 1.0
    code, stdout, _ = _run("compare", "Nursultan Nazarbayev", "Maria Petrova")
    assert float(re.search(r"Score: ([0-9.]+)", stdout).group(1)) < score  # type: ignore[union-attr]


def test_compare_pairs_file(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "Name1,name2,note,schema\n"
        "Ерлан Жақсылықов,Yerlan Zhaksylykov,same,Person\n"
        "Ерлан Жақсылықов,Maria Petrova,different,Person\n"
        "Береке ТОО,Bereke LLP,company,Company\n",
        encoding="utf-8",
    )
    scores = tmp_path / "scores.csv"
    code, _, stderr = _run("compare", "--pairs", pairs, "--output", scores)
    assert code == 0, stderr
    with scores.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["note"] for row in rows] == ["same", "different", "company"]
    for row in rows:
        assert row["match"] == str(float(row["score"]) >= DEFAULT_THRESHOLD).lower()
    assert float(rows[0]["score"]) > float(rows[1]["score"])


def test_compare_pairs_needs_name_columns(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("a,b\nx,y\n", encoding="utf-8")
    code, _, stderr = _run("compare", "--pairs", pairs)
    assert code == 2 and "name1 and name2" in stderr


def test_actor_is_recorded() -> None:
    code, _, _ = _run("--actor", "aigerim.s", "lists", "load", shared_file(UN_2026))
    assert code == 0
    with direct_sql() as conn:
        assert conn.execute(text("SELECT actor FROM audit_log")).all() == [("aigerim.s",)]
        assert conn.execute(text("SELECT loaded_by FROM list_versions")).all() == [("aigerim.s",)]


def test_audit_verify_detects_tampering() -> None:
    _load_un()
    code, stdout, _ = _run("audit", "verify")
    assert code == 0 and "intact: 1 rows" in stdout
    with direct_sql() as conn:
        drop_audit_guards(conn)
        conn.execute(text("UPDATE audit_log SET actor = 'someone else'"))
    code, _, stderr = _run("audit", "verify")
    assert code == 1 and "BROKEN (edited)" in stderr


def _console_script() -> str:
    script = Path(sys.executable).parent / "finmon"
    found = str(script) if script.exists() else shutil.which("finmon")
    if found is None:
        message = "the finmon console script is not installed (pip install -e .)"
        if CI:
            pytest.fail(message)
        pytest.skip(message)
    return found


def test_console_script_end_to_end(tmp_path: Path) -> None:
    finmon = _console_script()
    env = {**os.environ, "COLUMNS": "200"}

    def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
        command = [finmon, *map(str, args)]
        return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)

    assert run("--help").returncode == 0
    missing = run("screen", tmp_path / "nope.csv")
    assert missing.returncode == 2
    assert missing.stderr.strip().startswith("error:") and "Traceback" not in missing.stderr
    assert run("lists", "load", shared_file(UN_2026)).returncode == 0
    _reference, name = _listed_person(shared_file(UN_2026))
    hits = tmp_path / "hits.csv"
    done = run("screen", _customers(tmp_path, name), "--output", hits)
    assert done.returncode == 0, done.stderr
    assert "hits written to" in done.stderr and hits.exists()
    assert run("audit", "verify").returncode == 0


LENIENT = (
    "id,name,birth_date,iin,nationality\n"
    "k1,Arman Bekov,1969-7-16,690716300123,KZ\n"
    "k2,Dana Omarova,1974-01-32,,KZ\n"
    "k3,Aigul Sarsenova,16.06.1969,871008300124,KZ\n"
    "k4,,1980-01-01,,KZ\n"
    'k5,Yerlan Nurlanov,1980,,"=HYPERLINK(""http://x"")"\n'
)
"""An odd date, an impossible date, a bad IIN, a row with no name, a formula for a country."""


def _load_fixture_list() -> None:
    code, _, stderr = _run("lists", "load", FIXTURE_DIR / "un_list_fixture.xml")
    assert code == 0, stderr


def _problems(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_screen_screens_every_row_it_can_and_writes_each_problem(tmp_path: Path) -> None:
    _load_fixture_list()
    customers = tmp_path / "customers.csv"
    customers.write_text(LENIENT, encoding="utf-8")
    output = tmp_path / "out" / "hits.csv"
    code, _, stderr = _run("screen", customers, "--output", output)
    assert code == ROW_PROBLEMS_EXIT, stderr
    assert "screened 4 rows" in stderr and "4 problems (1 rows skipped)" in stderr
    rows = _problems(tmp_path / "out" / "hits.problems.csv")
    assert [(r["row"], r["column"], r["value"], r["action"]) for r in rows] == [
        ("line 3", "birth_date", "1974-01-32", "birth date left out"),
        ("line 4", "iin", "871008300124", "IIN/BIN left out"),
        ("line 5", "name", "", "row skipped"),
        ("line 6", "nationality", '\'=HYPERLINK("http://x")', "country left out"),
    ]
    assert output.exists()
    assert "problem: " in stderr and "problems written to" in stderr


def test_screen_strict_refuses_the_file_with_its_first_problem(tmp_path: Path) -> None:
    _load_fixture_list()
    customers = tmp_path / "customers.csv"
    customers.write_text(LENIENT, encoding="utf-8")
    output = tmp_path / "hits.csv"
    code, _, stderr = _run("screen", customers, "--output", output, "--strict")
    assert code == 2
    assert f"{customers}: line 3, column birth_date: '1974-01-32'" in stderr
    assert not output.exists() and not (tmp_path / "hits.problems.csv").exists()


def test_screen_to_stdout_writes_problems_beside_the_input_or_where_asked(tmp_path: Path) -> None:
    _load_fixture_list()
    customers = tmp_path / "customers.csv"
    customers.write_text(LENIENT, encoding="utf-8")
    code, _, _ = _run("screen", customers)
    assert code == ROW_PROBLEMS_EXIT
    assert len(_problems(tmp_path / "customers.problems.csv")) == 4
    asked = tmp_path / "elsewhere" / "p.csv"
    code, _, _ = _run("screen", customers, "--problems", asked)
    assert code == ROW_PROBLEMS_EXIT and len(_problems(asked)) == 4
    clean = tmp_path / "clean.csv"
    clean.write_text("id,name,birth_date\n1,Arman Bekov,1969-7-16\n", encoding="utf-8")
    code, _, stderr = _run("screen", clean)
    assert code == 0 and "0 problems" in stderr
    assert not (tmp_path / "clean.problems.csv").exists()
    code, _, _ = _run("screen", clean, "--output", tmp_path / "clean-hits.csv")
    assert code == 0 and _problems(tmp_path / "clean-hits.problems.csv") == []


def test_screen_and_import_find_the_same_problems(tmp_path: Path) -> None:
    _load_fixture_list()
    customers = tmp_path / "customers.csv"
    customers.write_text(LENIENT, encoding="utf-8")
    screened, imported = tmp_path / "screened.csv", tmp_path / "imported.csv"
    assert _run("screen", customers, "--problems", screened)[0] == ROW_PROBLEMS_EXIT
    assert _run("customers", "import", customers, "--problems", imported)[0] == ROW_PROBLEMS_EXIT
    assert _problems(screened) == _problems(imported)
    code, _, stderr = _run("customers", "import", customers, "--strict")
    assert code == 2 and "line 3, column birth_date: '1974-01-32'" in stderr
