"""Every page in Kazakh and in Russian, over a store with data in it, holds no English word
outside names, codes and the lists' own data; times in the entity's zone; the language chosen.

The walk signs in as each role, fills the store the way people do (a customer file, a decision and
its approval into a freeze, a payment and a release asked for, transactions with monitoring alerts,
a case opened and proposed), then reads every page the roles reach and a page of each error.

What a Latin word on a kk or ru page may be, and why (the allow-list, kept narrow):
- a code: a word with a digit, an underscore or a dot (QDi.905, r16_information, alert.decide),
  or in capitals (IBAN, KZT, XML): identifiers, currencies, formats and rule ids;
- a word of the data put in the store: the customers', parties' and listed names, the users'
  names (the account "analyst" is a name, not a label), a payment's channel and reference as the
  bank wrote them, read from the very files loaded (DATA_COLUMNS: not their enums);
- product and file format names: finmon, goAML, Parquet, csv, xlsx, xml ...
- text the page itself marks as another language (lang="en": the language switch's "English",
  the English detail under a translated error message), the stored JSON under <details
  class="raw">, <code> and <pre> (identifiers, commands, JSON), and the listing's remarks (the
  list's own English text).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from lxml import html as lxml_html
from sqlalchemy import text

from finmon.api import create_app
from finmon.common.localtime import shown, zone_named
from finmon.store import load_list
from finmon.store.customers import import_customers
from finmon.store.freezes import sla
from finmon.store.sessions import set_password
from finmon.store.transactions import load_transactions, store_monitoring_alerts
from finmon.web.i18n import TEXTS
from finmon.workflow.access import Role
from tests.accounts import FOUNDER, make_user
from tests.conftest import direct_sql
from tests.store.workflow_data import CUSTOMERS, fixture_designations, un_version
from tests.web.test_web import _sign_in

PASSWORD = "correct horse battery staple"
PRODUCT_WORDS = {
    "finmon",
    "goAML",
    "Parquet",
    "parquet",
    "jsonl",
    "csv",
    "xlsx",
    "xls",
    "xml",
    "txt",
    "tsv",
    "ndjson",
}
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.'-]*")
BAD_ROWS = "K098,Қате Жол,1988-02-30,Q9,123,7,9,\nK099,,,,,,,\n"
"""Rows with a problem in each checked column, and one with no name (values that are codes)."""
PAGES: dict[str, list[str]] = {
    "supervisor": [
        "/ui/",
        "/ui/alerts",
        "/ui/alerts?status=all",
        "/ui/alerts/1",
        "/ui/approvals",
        "/ui/freezes",
        "/ui/freezes/1",
        "/ui/clearances",
        "/ui/monitoring?status=all",
        "/ui/cases?status=all",
        "/ui/cases/1",
        "/ui/lists",
        "/ui/lists/un/diff",
        "/ui/upload",
        "/ui/jobs/1",
        "/ui/screen",
        "/ui/fairness",
        "/ui/alerts/999",  # an error page: not found
    ],
    "auditor": ["/ui/audit", "/ui/", "/ui/upload"],  # the last: not allowed to the auditor
    "fiu_analyst": ["/ui/", "/ui/fiu/reports", "/ui/fiu/network"],
}


DATA_COLUMNS = ("full_name", "originator_name", "beneficiary_name", "channel", "reference")
"""The columns of the files loaded whose words a page may show as written: names, and a payment's
channel and reference as the bank's file has them (not the files' enums such as gender)."""


def _words_of(path: Path) -> set[str]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        word
        for row in rows
        for column in DATA_COLUMNS
        for word in LATIN_WORD.findall(row.get(column) or "")
    }


@pytest.fixture
def filled(tmp_path: Path) -> Iterator[tuple[Any, set[str]]]:
    """A store with an alert decided into a freeze, a payment and a release asked for, monitoring
    alerts and a case proposed; the app over it; and the Latin words of the data loaded."""
    from finmon.monitoring.engine import numbered, run_batch
    from finmon.monitoring.events import Context
    from finmon.monitoring.rules import load_pack
    from finmon.transactions.reader import read_transactions
    from tests.reports.test_from_cases import _funnel
    from tests.store.test_transactions import ROWS, _write

    designations = fixture_designations()
    assert load_list(un_version("2026-01-15", designations), actor="loader").loaded
    assert import_customers(CUSTOMERS, actor="loader").alerts == 1
    for role in Role:
        make_user(role.value, role)
        set_password(role.value, PASSWORD, actor=role.value)
    make_user("supervisor2", Role.SUPERVISOR)
    set_password("supervisor2", PASSWORD, actor="supervisor2")
    payments = _write(tmp_path / "payments.csv", ROWS)
    load_transactions(payments, actor="ops")
    funnel = _funnel(tmp_path / "funnel.csv")
    load_transactions(funnel, actor="ops")
    pack = load_pack()
    rows = numbered(run_batch(pack.rules, read_transactions(funnel), Context.of(pack)))
    store_monitoring_alerts(rows, actor="ops", source=funnel.name)
    data = _words_of(CUSTOMERS) | _words_of(payments) | _words_of(funnel)
    for d in designations:
        for name in d.names:
            data |= set(LATIN_WORD.findall(name.full))
        for programme in d.programmes:
            data |= set(LATIN_WORD.findall(programme))
    actors = {"supervisor2", "loader", "ops", FOUNDER, "installer"}  # tests.accounts' too
    data |= {role.value for role in Role} | actors | {"un"}
    data = {word.lower() for word in data}
    app = create_app()
    with TestClient(app):
        yield app, data


def _work(app: Any) -> None:
    """What people do through the pages: an import, a decision approved into a freeze, a payment
    and a release asked for, cases opened and one proposed."""
    analyst, csrf = _sign_in(app, "analyst")
    upload = analyst.post(
        "/ui/upload",
        data={"csrf": csrf},
        files={"file": ("more.csv", CUSTOMERS.read_bytes() + BAD_ROWS.encode())},
    )
    assert upload.status_code == 303
    deadline = time.monotonic() + 60
    while "refresh" in analyst.get(upload.headers["location"]).text:  # the import runs on
        assert time.monotonic() < deadline
        time.sleep(0.1)
    decided = analyst.post(
        "/ui/alerts/1/decision",
        data={"csrf": csrf, "decision": "confirmed_hit", "confirm": "yes", "reason": "Тот же"},
    )
    assert decided.status_code == 303
    supervisor, supervisor_csrf = _sign_in(app, "supervisor")
    assert (
        supervisor.post("/ui/alerts/1/approve", data={"csrf": supervisor_csrf}).status_code == 303
    )
    payment = {"csrf": csrf, "amount": "50000", "currency": "KZT", "purpose": "Коммуналдық"}
    assert analyst.post("/ui/freezes/1/payments", data=payment).status_code == 303
    release = {"csrf": csrf, "reason": "Шешім бойынша"}
    assert analyst.post("/ui/freezes/1/release-request", data=release).status_code == 303
    assert analyst.post("/ui/cases/open", data={"csrf": csrf}).status_code == 303
    assert analyst.post("/ui/cases/1/review", data={"csrf": csrf}).status_code == 303
    proposal = {"csrf": csrf, "action": "report", "reason": "Он жіберуші"}
    assert analyst.post("/ui/cases/1/propose", data=proposal).status_code == 303


def english_words(page: str, lang: str, data: set[str]) -> set[str]:
    """The Latin words of a page's text and labels that the allow-list does not explain."""
    tree = lxml_html.fromstring(page)
    assert tree.get("lang") == lang
    for element in tree.xpath(
        "//script | //style | //code | //pre | //details[@class='raw'] | //*[@class='remarks']"
        f" | //*[@lang and @lang!='{lang}']"
    ):
        element.drop_tree()
    texts = [" ".join(tree.itertext())]
    texts += tree.xpath(
        "//@placeholder | //@aria-label | //@title | //input[@type='submit']/@value"
    )
    found = set()
    for word in LATIN_WORD.findall(" ".join(texts)):
        word = word.strip(".'-")
        code = any(c.isdigit() or c in "_." for c in word) or word.isupper()
        known = word.lower() in data or word in PRODUCT_WORDS
        if not code and not known and len(word) > 1:
            found.add(word)
    return found


def test_every_page_speaks_kazakh_and_russian_with_no_english_left(
    filled: tuple[Any, set[str]],
) -> None:
    app, data = filled
    _work(app)
    leaks: dict[tuple[str, str], set[str]] = {}
    walked = 0
    for role, paths in PAGES.items():
        browser, _ = _sign_in(app, role)
        for lang in ("kk", "ru"):
            browser.get(f"/ui/?lang={lang}")
            for path in paths:
                page = browser.get(path)
                assert page.status_code in (200, 403, 404), (path, page.status_code)
                found = english_words(page.text, lang, data)
                walked += 1
                if found:
                    leaks[(lang, path)] = found
    assert walked == 2 * sum(len(p) for p in PAGES.values())
    supervisor, _ = _sign_in(app, "supervisor")
    job = lxml_html.fromstring(supervisor.get("/ui/jobs/1?lang=kk").text)
    problems = " ".join(job.xpath("//section[@id='job-problems']//td//text()"))
    assert TEXTS["prob_not_date"][2] in problems and TEXTS["pact_row_skipped"][2] in problems
    stranger = TestClient(app, base_url="http://testserver", follow_redirects=False)
    for lang in ("kk", "ru"):  # before signing in, the browser's language
        sign_in = stranger.get("/ui/sign-in", headers={"accept-language": lang})
        if found := english_words(sign_in.text, lang, data):
            leaks[(lang, "/ui/sign-in")] = found
    analyst, csrf = _sign_in(app, "analyst")
    for lang in ("kk", "ru"):  # the screening page's answer: hits with their explanation
        form = {"csrf": csrf, "name": "Карагулов Тимур Ахатович", "birth_date": "1950-01-01"}
        answer = analyst.post(f"/ui/screen?lang={lang}", data=form)
        assert answer.status_code == 200 and answer.text.count('class="hit"') >= 1
        if found := english_words(answer.text, lang, data):
            leaks[(lang, "POST /ui/screen")] = found
    assert leaks == {}, "\n".join(f"{k}: {sorted(v)}" for k, v in sorted(leaks.items()))


def test_the_walk_would_find_english(filled: tuple[Any, set[str]]) -> None:
    """The check is only as good as its reach: the English page is full of words it reports."""
    app, data = filled
    browser, _ = _sign_in(app, "supervisor")
    english = browser.get("/ui/alerts/1?lang=en").text
    assert {"Alert", "Score", "Why", "matched"} <= english_words(english, "en", data)
    kazakh = browser.get("/ui/alerts/1?lang=kk").text
    assert english_words(kazakh.replace("</h1>", " Decision</h1>"), "kk", data) == {"Decision"}


def test_the_language_is_the_users_choice_then_the_browsers(filled: tuple[Any, set[str]]) -> None:
    app, _ = filled
    browser, _ = _sign_in(app, "analyst")
    asked = browser.get("/ui/alerts", headers={"accept-language": "kk-KZ,ru;q=0.8"})
    assert 'lang="kk"' in asked.text and TEXTS["alerts"][2] in asked.text
    assert 'lang="ru"' in browser.get("/ui/alerts", headers={"accept-language": "ru"}).text
    browser.get("/ui/alerts?lang=kk")  # chosen: kept with the user, in the store
    again, _ = _sign_in(app, "analyst")  # another browser, without the cookie, an English one
    assert "finmon_lang" not in again.cookies
    page = again.get("/ui/alerts", headers={"accept-language": "en-US"})
    assert 'lang="kk"' in page.text
    switch = lxml_html.fromstring(page.text).xpath("//span[@class='languages']/a/@hreflang")
    assert switch == ["kk", "ru", "en"]


def test_times_are_shown_in_the_entitys_zone_and_the_clock_counts_real_hours(
    filled: tuple[Any, set[str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An alert whose clock starts just before Berlin's change to summer time (2026-03-29, 01:00
    UTC) is due 24 real hours later, which Berlin's wall clock shows as 25 hours later."""
    app, _ = filled
    start = dt.datetime(2026, 3, 28, 22, 0)  # stored as UTC, without its offset
    with direct_sql() as conn:
        conn.execute(text("UPDATE alerts SET clock_start = :start"), {"start": start})
    (item,) = sla(now=dt.datetime(2026, 3, 29, 21, 0, tzinfo=dt.UTC))
    assert item.deadline == dt.datetime(2026, 3, 29, 22, 0, tzinfo=dt.UTC)
    assert item.hours_left == 1.0
    monkeypatch.setenv("FINMON_TIME_ZONE", "Europe/Berlin")
    browser, _ = _sign_in(app, "supervisor")
    clocks = lxml_html.fromstring(browser.get("/ui/freezes?lang=en").text)
    (deadline,) = clocks.xpath("//table[@class='clocks']//td[5]/text()")
    assert deadline == "2026-03-30 00:00 +02:00"  # 23:00 +01:00 the day before, plus 24 hours
    assert "Europe/Berlin" in clocks.text_content()
    monkeypatch.setenv("FINMON_TIME_ZONE", "Asia/Almaty")
    clocks = lxml_html.fromstring(browser.get("/ui/freezes").text)
    assert clocks.xpath("//table[@class='clocks']//td[5]/text()") == ["2026-03-30 03:00 +05:00"]
    assert shown(start, zone_named("Asia/Almaty")) == "2026-03-29 03:00 +05:00"
    monkeypatch.setenv("FINMON_TIME_ZONE", "Mars/Olympus")
    refused = browser.get("/ui/alerts/1")
    assert refused.status_code == 422 and "FINMON_TIME_ZONE" in refused.text


def test_the_audit_page_says_each_row_and_keeps_its_json_one_click_away(
    filled: tuple[Any, set[str]],
) -> None:
    app, _ = filled
    _work(app)
    browser, _ = _sign_in(app, "auditor")
    page = lxml_html.fromstring(browser.get("/ui/audit?lang=ru").text)
    said = " ".join(li.text_content() for li in page.xpath("//ol[@class='timeline']/li"))
    assert TEXTS["act_freeze.create"][1] in said and TEXTS["act_alert.decide"][1] in said
    raw = page.xpath("//ol[@class='timeline']//details[@class='raw']/pre/text()")
    assert any('"alert.decide"' in block for block in raw)
    changes = page.xpath("//table[@class='change']//th/text()")
    assert TEXTS["field_status"][1] in changes and TEXTS["field_frozen_at"][1] in changes
    values = page.xpath("//table[@class='change']//td//text()")
    assert TEXTS["status_release_pending"][1] in values  # a status said, not its code


def test_the_case_evidence_is_said_not_dumped(filled: tuple[Any, set[str]]) -> None:
    app, _ = filled
    _work(app)
    browser, _ = _sign_in(app, "supervisor")
    page = lxml_html.fromstring(browser.get("/ui/cases/1?lang=kk").text)
    findings = page.get_element_by_id("case-findings").text_content()
    typologies = [kk for key, (_, _, kk) in TEXTS.items() if key.startswith("typ_")]
    assert findings.startswith("Осы шот бойынша") and any(t in findings for t in typologies)
    cells = page.xpath("//table[@id='case-alerts']//td[@class='change']")
    assert cells and all(c.xpath(".//details[@class='raw']") for c in cells)
    said = " ".join(cells[0].xpath(".//table[@class='evidence']//text()"))
    assert TEXTS["ev_missing"][2] in said and TEXTS["missing_identification"][2] in said
    assert "{" not in said and '"what"' in cells[0].xpath(".//details/pre/text()")[0]
