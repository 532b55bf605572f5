"""The fairness benchmark: who counts as alerted, the script-group spread, the report."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from bench import fairness
from bench.fairness import Finmon, Run, Tally, pooled_scripts, screen, spread, tables
from finmon.model import BirthDate, Designation, DesignationName, Schema
from finmon.store.fairness import read_benchmark


def row(name: str, script: str, origin: str, born: str = "1980-05-01") -> dict[str, str]:
    return {
        "full_name": name, "first_name": "", "middle_name": "", "last_name": "",
        "gender": "", "date_of_birth": born, "nationality": "", "script": script,
        "origin": origin, "source": "test",
    }  # fmt: skip


def listed(reference: str, name: str, born: dt.date) -> Designation:
    return Designation(
        source="un",
        reference=reference,
        schema=Schema.PERSON,
        names=[DesignationName(name)],
        birth_dates=[BirthDate.exact(born)],
    )


def test_screening_counts_people_with_a_hit_with_and_without_birth_dates() -> None:
    matcher = Finmon([listed("QDi.1", "Yerzhigit Ormanbekov", dt.date(1960, 1, 1))], workers=1)
    rows = [
        row("Yerzhigit Ormanbekov", "Latin", "Kazakh", born="1960-01-01"),
        row("Yerzhigit Ormanbekov", "Latin", "Kazakh", born="1999-12-31"),
        row("Мария Иванова", "Cyrillic", "Russian"),
    ]
    alerts: list[dict[str, object]] = []
    with_dates = screen(matcher, "toy", 1, rows, True, alerts)
    without = screen(matcher, "toy", 1, rows, False, alerts)
    assert with_dates.total.people == 3
    assert with_dates.total.alerted in (1, 2)  # whether a namesake's other birth date clears it
    assert without.total.alerted == 2
    assert without.scripts["Latin"].alerted == 2
    assert with_dates.scripts["Cyrillic"].alerted == 0
    assert with_dates.origins["Kazakh"].alerted == with_dates.total.alerted
    assert {a["designation"] for a in alerts} == {"QDi.1"}
    assert len(alerts) == with_dates.total.alerted + without.total.alerted
    assert {a["birth_date_used"] for a in alerts} == {"yes", "no"}


def test_spread_compares_the_four_main_script_groups() -> None:
    groups = {
        "Arabic/Persian": Tally(1000, 4),
        "East Asian": Tally(1000, 2),
        "Cyrillic": Tally(1000, 2),
        "Latin": Tally(2000, 4),
        "other": Tally(10, 5),  # not among the four
    }
    assert spread(groups) == 2.0
    groups["Latin"] = Tally(2000, 0)
    assert spread(groups) is None  # a zero lowest rate has no ratio
    del groups["Latin"]
    assert spread(groups) is None


def test_tables_show_both_seeds_and_the_verdicts() -> None:
    runs = []
    for seed in (1, 2):
        for dates in (True, False):
            run = Run("finmon", "toy", seed, dates)
            for i in range(1000):
                script = ("Arabic", "Han", "Cyrillic", "Latin")[i % 4]
                run.add(
                    row(f"p{i}", script, "Somewhere/XX"), alerted=(i == 0) or (not dates and i < 40)
                )
            runs.append(run)
    pooled = pooled_scripts(runs, 1, True)
    assert pooled["Arabic/Persian"].rate == 1 / 250
    text = tables(runs, [1, 2])
    assert "| toy | 1 | 1,000 | 0.10% | 4.00% | - | <= 0.1% | met |" in text
    assert "| Arabic/Persian | 250 | 0.40% | 4.00% | 0.40% | 4.00% | - | <= 0.2% | missed |" in text
    assert "| toy | Somewhere | 1,000 |" in text
    data = fairness.figures(runs, [1, 2])
    assert data["script_groups"][0]["groups"]["Latin"]["alerted"] == 0
    assert tables(fairness.runs_from_json(data), [1, 2]) == text


def test_tables_without_the_undated_runs_show_a_dash_for_them() -> None:
    run = Run("finmon", "toy", 1, True)
    for i in range(1000):
        run.add(row(f"p{i}", ("Arabic", "Han", "Cyrillic", "Latin")[i % 4], "X/XX"), i < 2)
    text = tables([run], [1])
    assert "| toy | 1 | 1,000 | 0.20% | - | - | <= 0.1% | missed |" in text
    assert "| Arabic/Persian | 250 | 0.40% | - | - | <= 0.2% | missed |" in text


def test_page_rows_are_what_the_supervisors_page_reads(tmp_path: Path) -> None:
    matcher = Finmon([listed("QDi.1", "Yerzhigit Ormanbekov", dt.date(1960, 1, 1))], workers=1)
    rows = [row("Yerzhigit Ormanbekov", "Latin", "Kazakh", born="1960-01-01")]
    runs = [screen(matcher, "toy", 1, rows, dates, []) for dates in (True, False)]
    path = tmp_path / "page.json"
    path.write_text(json.dumps(fairness.page_rows(fairness.figures(runs, [1]))), encoding="utf-8")
    read = read_benchmark(path)
    assert {(r.population, r.script, r.alerted) for r in read} == {
        ("toy, seed 1, with birth dates", "Latin", 1),
        ("toy, seed 1, without birth dates", "Latin", 1),
    }
