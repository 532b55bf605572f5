"""Benchmark helpers: FtM dates, the report table, the docs section, origin groups, gold rows."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bench.common import (
    Figure,
    Prefilter,
    confusion,
    format_table,
    ftm_dates,
    logic_v2_names,
    name_origin,
    parse_birth_date,
    replace_section,
)
from bench.perturb import gold_designations
from finmon.model import BirthDate, Designation, DesignationName, Schema


def test_birth_dates_in_the_forms_of_the_evaluation_files() -> None:
    assert parse_birth_date("1965") == [BirthDate.year(1965)]
    assert parse_birth_date("1960-06-29") == [BirthDate.exact(dt.date(1960, 6, 29))]
    assert parse_birth_date(" ") == []
    assert ftm_dates(BirthDate.exact(dt.date(1960, 6, 29))) == ["1960-06-29"]
    assert ftm_dates(BirthDate.years(1960, 1962)) == ["1960", "1961", "1962"]


def test_table_marks_targets_in_the_right_direction() -> None:
    figures = [
        Figure("pairs", "F1", 0.9, 0.79, 0.85, size="10 pairs"),
        Figure("people", "alert rate", 0.007, 0.002, 0.005),
    ]
    table = format_table(figures)
    assert "| pairs | F1 | 0.900 | 0.790 | >= 0.850 | met |" in table
    assert "| people | alert rate | 0.70% | 0.20% | <= 0.50% | missed |" in table
    assert "- pairs: 10 pairs" in table


def test_replace_section_keeps_the_other_sections(tmp_path: Path) -> None:
    path = tmp_path / "benchmarks.md"
    replace_section(path, "## Quality", "## Quality\n\nfirst\n")
    text = path.read_text(encoding="utf-8")
    assert text == "# Benchmarks\n\n## Quality\n\nfirst\n\n## Speed\n"
    path.write_text(text + "\nspeed figures\n", encoding="utf-8")
    replace_section(path, "## Quality", "## Quality\n\nsecond\n")
    assert path.read_text(encoding="utf-8") == (
        "# Benchmarks\n\n## Quality\n\nsecond\n\n## Speed\n\nspeed figures\n"
    )


def test_origin_groups_by_script_then_shape() -> None:
    assert name_origin("재호 김") == "Korean script"
    assert name_origin("Фикия Младенова") == "Cyrillic script"
    assert name_origin("Karim al-Nasser") == "Arabic-origin, Latin"
    assert name_origin("Ivana Petrova") == "Slavic, Latin"
    assert name_origin("Ingeborg Abrahamsen") == "other Latin"


def _listed(ref: str, names: list[str], year: int | None = None) -> Designation:
    dates = [BirthDate.year(year)] if year else []
    return Designation(
        "test", ref, Schema.PERSON, [DesignationName(n) for n in names], birth_dates=dates
    )


def test_gold_rows_map_by_name_then_birth_year() -> None:
    listed = [
        _listed("A", ["KARIM OMAR NASSER"], 1960),
        _listed("B", ["SAMIR HADDAD"], 1970),
        _listed("C", ["SAMIR HADDAD"], 1980),
        _listed("D", ["Leila Hamdi Yusuf"]),
    ]
    rows = [
        {"full_name": "NASSER KARIM OMAR", "date_of_birth": "1960"},
        {"full_name": "SAMIR HADDAD", "date_of_birth": "1980-02-01"},
        {"full_name": "LEILA HAMDI na", "date_of_birth": ""},
        {"full_name": "NOBODY LISTED", "date_of_birth": ""},
    ]
    assert gold_designations(rows, listed) == [{0}, {2}, {3}, set()]


def test_prefilter_ranks_the_closest_names_first_across_scripts() -> None:
    listed = [
        _listed("A", ["Ivan Petrov"]),
        _listed("B", ["Нурсултан Назарбаев"]),
        _listed("C", ["Samir Haddad"]),
    ]
    top = Prefilter(listed).top(["NAZARBAEV NURSULTAN", "Samir Hadad"], k=2)
    assert top[0][0] == 1
    assert top[1][0] == 2
    assert len(top[0]) == 2


def test_logic_v2_scores_bare_names() -> None:
    pytest.importorskip("nomenklatura")
    assert logic_v2_names("Vladimir Putin", "Vladimir Vladimirovich Putin", "Person") >= 0.7
    assert logic_v2_names("Vladimir Putin", "Samir Haddad", "Person") < 0.7


def test_confusion_counts_and_rates() -> None:
    counts = confusion([True, True, True, False, False], [True, True, False, True, False])
    assert (counts.tp, counts.fp, counts.fn, counts.tn) == (2, 1, 1, 1)
    assert counts.precision == 2 / 3
    assert counts.recall == 2 / 3
    assert abs(counts.f1 - 2 / 3) < 1e-12
    assert counts.false_rate == 0.5
