"""The supervisors' fairness page: alert rates of the store's customers by the script of their
name, measured on a real store (SQLite, or PostgreSQL when FINMON_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from finmon.api import create_app
from finmon.names.script_groups import ScriptGroup
from finmon.store import load_list
from finmon.store.alerts import decide_alert, list_alerts
from finmon.store.customers import import_customers
from finmon.store.fairness import Fairness, GroupFigures, fairness_figures
from finmon.store.sessions import set_password
from finmon.web.i18n import TEXTS
from finmon.workflow import Verdict
from finmon.workflow.access import Role
from tests.accounts import make_user
from tests.store.workflow_data import fixture_designations, un_version

PASSWORD = "correct horse battery staple"
CUSTOMERS = (
    "id,name,birth_date\n"
    "A1,أبو سالم حمد الفريقي,1979-04-12\n"
    "A2,خالد يوسف المزروقي,1968\n"
    "A3,سارة منصور,1990-01-01\n"
    "A4,ليلى حسن,1991-02-02\n"
    "C1,Карагулов Тимур Ахатович,1988-02-29\n"
    "C2,Петрова Елена Игоревна,1976-03-15\n"
    "C3,Смирнова Анна Сергеевна,1985-05-05\n"
    "C4,Жақсылықов Ерлан Серікұлы,1987-10-08\n"
    "L1,Pyon Chang-thaek,1969-10-10\n"
    "L2,Saule Omarova,1990-01-01\n"
    "L3,Aibek Tulegenov,1995\n"
    "L4,Margaret Thompson,1960-06-06\n"
    "E1,陈海燕,1992-03-03\n"
    "E2,김민준,1993-04-04\n"
)
"""Two listed people in Arabic script, one in Cyrillic, one in Latin; the rest on no list."""


@pytest.fixture
def store(tmp_path: Path) -> None:
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    path = tmp_path / "customers.csv"
    path.write_text(CUSTOMERS, encoding="utf-8")
    import_customers(path, actor="loader")
    first = next(a for a in list_alerts("all") if a.customer_id == "A2")
    decide_alert(first.alert_id, Verdict.FALSE_POSITIVE, actor="analyst.a", reason="born 1990")
    for name, role in (("boss", Role.SUPERVISOR), ("it", Role.ADMIN), ("ana", Role.ANALYST)):
        make_user(name, role)
        set_password(name, PASSWORD, actor=name)


@pytest.fixture
def app() -> Iterator[Any]:
    application = create_app()
    with TestClient(application):
        yield application


def _signed_in(app: Any, name: str) -> TestClient:
    browser = TestClient(app, base_url="http://testserver", follow_redirects=False)
    page = browser.get("/ui/sign-in")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    answer = browser.post(
        "/ui/sign-in",
        data={"name": name, "password": PASSWORD, "csrf": csrf.group(1), "next": "/ui/"},
    )
    assert answer.status_code == 303, answer.text
    return browser


def _row(page: str, group: str) -> list[str]:
    found = re.search(rf'<tr id="script-{group}">(.*?)</tr>', page, re.S)
    assert found is not None, group
    return re.findall(r'<td class="num">([^<]*)</td>', found.group(1))


def test_the_store_counts_customers_and_alerts_by_script(store: None) -> None:
    figures = {g.group: g for g in fairness_figures().groups}
    alerted = {a.customer_id for a in list_alerts("all")}
    assert {"A1", "A2", "C1", "L1"} <= alerted
    for group, prefix in [
        (ScriptGroup.ARABIC, "A"),
        (ScriptGroup.CYRILLIC, "C"),
        (ScriptGroup.LATIN, "L"),
        (ScriptGroup.EAST_ASIAN, "E"),
    ]:
        assert figures[group].customers == (2 if prefix == "E" else 4)
        assert figures[group].alerted == sum(1 for c in alerted if c.startswith(prefix))
    assert figures[ScriptGroup.ARABIC].false_positives == 1
    assert figures[ScriptGroup.OTHER].customers == 0


def test_supervisors_see_the_rates_and_the_chart_in_both_languages(
    store: None, app: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    figures = {g.group: g for g in fairness_figures().groups}
    browser = _signed_in(app, "boss")
    page = browser.get("/ui/fairness")
    assert page.status_code == 200
    arabic = figures[ScriptGroup.ARABIC]
    assert _row(page.text, "arabic") == [
        "4",
        str(arabic.alerted),
        f"{100 * arabic.alert_rate:.2f}%",
        "1",
        "25.00%",
    ]
    assert _row(page.text, "east_asian")[:3] == ["2", "0", "0.00%"]
    assert page.text.count("<svg") == 5 and "<script" not in page.text
    assert TEXTS["no_ratio"][0] in page.text  # the East Asian customers have no alert
    assert TEXTS["no_benchmark"][0] in page.text
    assert 'href="/ui/fairness"' in page.text
    russian = browser.get("/ui/fairness?lang=ru").text
    assert TEXTS["fairness_title"][1] in russian and TEXTS["script_arabic"][1] in russian

    bench = tmp_path / "fairness.json"
    rows = [
        {"population": "multicultural", "script": "Arabic/Persian", "people": 3183,
         "alerted": 3, "rate": 0.00094},
        {"population": "kazakhstan", "script": "Cyrillic", "people": 40000,
         "alerted": 12, "rate": 0.0003},
    ]  # fmt: skip
    bench.write_text(json.dumps(rows), encoding="utf-8")
    monkeypatch.setenv("FINMON_FAIRNESS_FILE", str(bench))
    shown = browser.get("/ui/fairness").text
    table = re.search(r'<table id="fairness-benchmark">(.*?)</table>', shown, re.S)
    assert table is not None
    assert "multicultural" in table.group(1) and "3183" in table.group(1)
    assert "0.09%" in table.group(1) and "kazakhstan" in table.group(1)

    bench.write_text(json.dumps([{"population": "x", "script": "Latin", "people": -1}]))
    broken = browser.get("/ui/fairness")
    assert broken.status_code == 200 and "fairness.json: 0.people" in broken.text
    assert 'id="fairness"' in broken.text  # the store's own figures are still shown


def test_only_supervisors_and_admins_may_see_it(store: None, app: Any) -> None:
    assert _signed_in(app, "it").get("/ui/fairness").status_code == 200
    analyst = _signed_in(app, "ana")
    assert analyst.get("/ui/fairness").status_code == 403
    assert 'href="/ui/fairness"' not in analyst.get("/ui/").text


def test_the_ratio_is_the_highest_rate_over_the_lowest() -> None:
    groups = [
        GroupFigures(ScriptGroup.ARABIC, customers=1000, alerted=4),
        GroupFigures(ScriptGroup.LATIN, customers=2000, alerted=2),
        GroupFigures(ScriptGroup.OTHER),
    ]
    figures = Fairness(groups)
    assert figures.highest is groups[0] and figures.lowest is groups[1]
    assert figures.ratio == pytest.approx(4.0)
    assert Fairness(groups[:1]).ratio is None
    assert Fairness([groups[0], GroupFigures(ScriptGroup.CYRILLIC, 10, 0)]).ratio is None
