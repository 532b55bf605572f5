"""The screening page over a real app and store: one name, a customer file, roles and CSRF."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from finmon.api import create_app
from finmon.services.screening import HIT_COLUMNS, KEPT_SECONDS
from finmon.settings import load_settings
from finmon.store import load_list
from finmon.store.jobs import current_runner
from finmon.store.sessions import set_password
from finmon.web.i18n import TEXTS
from finmon.workflow.access import Role
from tests.accounts import make_user
from tests.store.workflow_data import LISTED_REF, fixture_designations, un_version

PASSWORD = "correct horse battery staple"
BATCH = (
    "id,name,birth_date,nationality\n"
    "S1,Карагулов Тимур Ахатович,1988-02-29,KZ\n"
    "S2,Сейтқали Айгерім,1995-04-02,KZ\n"
    "S3,,1990-01-01,KZ\n"
    "S4,Ахметов Ерлан,1974-01-32,KZ\n"
)
"""S1 is the listed LISTED_REF in Russian Cyrillic; S3 has no name (skipped), S4 a bad date."""


@pytest.fixture
def app() -> Iterator[Any]:
    """The app over a store with the fixture list and a user of each role with a password."""
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    for role in Role:
        make_user(role.value, role)
        set_password(role.value, PASSWORD, actor=role.value)
    application = create_app()
    with TestClient(application):
        yield application


def _signed_in(app: Any, name: str) -> tuple[TestClient, str]:
    browser = TestClient(app, base_url="http://testserver", follow_redirects=False)
    token = _csrf(browser.get("/ui/sign-in").text)
    answer = browser.post(
        "/ui/sign-in", data={"name": name, "password": PASSWORD, "csrf": token, "next": "/ui/"}
    )
    assert answer.status_code == 303, answer.text
    return browser, _csrf(browser.get("/ui/").text)


def _screened(browser: TestClient, csrf: str, name: str, content: bytes, lang: str = "") -> str:
    """Upload a file to screen and follow its batch's page until it is no longer running."""
    answer = browser.post(
        f"/ui/screen/batch{lang}", data={"csrf": csrf}, files={"file": (name, content)}
    )
    assert answer.status_code == 303, answer.text
    page = answer.headers["location"]
    assert re.fullmatch(r"/ui/screen/batch/[0-9a-f]{32}", page)
    deadline = time.monotonic() + 20
    while True:
        shown = browser.get(page + lang)
        assert shown.status_code == 200, shown.text
        if 'id="batch-progress"' not in shown.text or time.monotonic() > deadline:
            return shown.text
        assert '<meta http-equiv="refresh"' in shown.text  # the page follows the batch
        time.sleep(0.05)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, html
    return found.group(1)


def test_one_name_shows_its_hit_with_the_matched_parts_and_each_contribution(app: Any) -> None:
    browser, csrf = _signed_in(app, "analyst")
    answer = browser.post(
        "/ui/screen",
        data={
            "csrf": csrf,
            "name": "Карагулов Тимур Ахатович",
            "birth_date": "1988-02-29",
            "country": "KZ",
            "kind": "person",
        },
    )
    assert answer.status_code == 200, answer.text
    page = answer.text
    assert LISTED_REF in page and "TIMUR AKHATOVICH KARAGULOV" in page
    assert "2026-01-15" in page  # the list version screened against
    marked = re.findall(r'<mark class="(exact|near|miss)"[^>]*>([^<]+)</mark>', page)
    assert {css for css, _ in marked} & {"exact", "near"}
    assert re.search(r'class="plus"><td>birth date', page)  # the birth date lifts the score
    assert 'value="Карагулов Тимур Ахатович"' in page  # the form keeps what was typed
    other = browser.post("/ui/screen", data={"csrf": csrf, "name": "Сейтқали Айгерім"}).text
    assert 'id="no-hits"' in other and LISTED_REF not in other
    # Another birth date counts against the same name.
    older = browser.post(
        "/ui/screen",
        data={"csrf": csrf, "name": "Карагулов Тимур Ахатович", "birth_date": "1950-01-01"},
    ).text
    assert re.search(r'class="minus"><td>birth date', older)
    assert not re.search(r'class="plus"><td>birth date', older)


def test_bad_values_are_refused_naming_the_field(app: Any) -> None:
    browser, csrf = _signed_in(app, "analyst")
    for field, value, words in (
        ("birth_date", "1988-02-30", "birth_date: '1988-02-30' is not a date"),
        ("country", "Atlantis", "country: 'Atlantis' is not a country"),
    ):
        answer = browser.post("/ui/screen", data={"csrf": csrf, "name": "Timur", field: value})
        assert answer.status_code == 422 and str(escape(words)) in answer.text
    blank = browser.post("/ui/screen", data={"csrf": csrf, "name": "   "})
    assert blank.status_code == 422 and "name: give the name" in blank.text


def test_a_file_is_screened_with_its_counts_problems_and_hits_file(app: Any) -> None:
    browser, csrf = _signed_in(app, "analyst")
    page = _screened(browser, csrf, "клиенты.csv", BATCH.encode())
    assert 'id="batch-status">done<' in page and "http-equiv" not in page
    counts = dict(re.findall(r'<tr><th>([^<]+)</th><td class="num">(\d+)', page))
    assert counts == {"Rows": "3", "Hits": "1", "Rows with a hit": "1", "Problems in rows": "2"}
    assert "клиенты.csv" in page and "1974-01-32" in page
    link = re.search(r'href="(/ui/screen/batch/[0-9a-f]{32}/hits\.csv)"', page)
    assert link is not None
    download = browser.get(link.group(1))
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(download.text)))
    assert list(rows[0]) == HIT_COLUMNS
    assert [(r["id"], r["reference"]) for r in rows] == [("S1", LISTED_REF)]
    # Another user, even a supervisor, cannot fetch someone else's batch.
    other, _ = _signed_in(app, "supervisor")
    assert other.get(link.group(1)).status_code == 404
    assert other.get(link.group(1).removesuffix("/hits.csv")).status_code == 404
    # The page shows what the CLI refuses too: a file it cannot read.
    bad = browser.post("/ui/screen/batch", data={"csrf": csrf}, files={"file": ("c.pdf", b"%PDF")})
    assert bad.status_code == 422 and "send a .csv" in bad.text


def test_screening_needs_the_screen_role_and_the_forms_token(app: Any) -> None:
    auditor, _ = _signed_in(app, "auditor")
    refused = auditor.get("/ui/screen")
    assert refused.status_code == 403 and "(auditor) may not" in refused.text
    browser, _ = _signed_in(app, "analyst")
    forged = browser.post("/ui/screen", data={"csrf": "forged", "name": "Timur"})
    assert forged.status_code == 403
    assert 'href="/ui/screen"' in browser.get("/ui/").text  # in the navigation
    assert 'href="/ui/screen"' not in auditor.get("/ui/").text


def test_the_page_speaks_russian(app: Any) -> None:
    browser, csrf = _signed_in(app, "analyst")
    page = browser.get("/ui/screen?lang=ru").text
    for key in ("screen_one", "screen_file", "birth_date", "kind_person", "threshold"):
        assert TEXTS[key][1] in page, key
    result = _screened(browser, csrf, "c.csv", BATCH.encode(), lang="?lang=ru")
    assert TEXTS["rows_alerted"][1] in result and TEXTS["download_hits"][1] in result


def test_a_file_over_the_upload_limit_is_refused_and_old_batches_are_removed(
    app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser, csrf = _signed_in(app, "analyst")
    first = _screened(browser, csrf, "c.csv", BATCH.encode())
    link = re.search(r'href="(/ui/screen/batch/[0-9a-f]{32}/hits\.csv)"', first)
    assert link is not None and browser.get(link.group(1)).status_code == 200
    folder = load_settings().home / "screenings" / link.group(1).split("/")[4]
    day_ago = time.time() - KEPT_SECONDS - 60
    os.utime(folder, (day_ago, day_ago))
    monkeypatch.setenv("FINMON_MAX_UPLOAD_BYTES", "100")
    big = browser.post(
        "/ui/screen/batch", data={"csrf": csrf}, files={"file": ("c.csv", BATCH.encode() * 2)}
    )
    assert big.status_code == 422 and "larger than 100 bytes" in big.text
    assert not folder.exists()  # the day-old batch went with the next upload
    assert browser.get(link.group(1)).status_code == 404
    assert list(folder.parent.iterdir()) == []  # and the refused one left nothing


def test_a_batch_page_follows_the_screening_and_says_when_its_process_is_gone(app: Any) -> None:
    browser, csrf = _signed_in(app, "analyst")
    page = _screened(browser, csrf, "c.csv", BATCH.encode())
    link = re.search(r'href="(/ui/screen/batch/([0-9a-f]{32})/hits\.csv)"', page)
    assert link is not None
    status = load_settings().home / "screenings" / link.group(2) / "batch.json"
    done = json.loads(status.read_text(encoding="utf-8"))
    # As the page is while the batch is screened in this process: refreshed, no hits file yet.
    running = {**done, "status": "running", "done": 2, "runner": current_runner()}
    status.write_text(json.dumps(running), encoding="utf-8")
    shown = browser.get(link.group(1).removesuffix("/hits.csv")).text
    assert '<meta http-equiv="refresh"' in shown and 'id="hits-file"' not in shown
    assert re.search(r'id="batch-progress">[^<]+<span class="num">2<', shown)
    refused = browser.get(link.group(1))
    assert refused.status_code == 409 and "the batch is running" in refused.text
    # A batch left running by a process that is gone failed; the page says so and stops.
    host = current_runner().rpartition(":")[0]
    status.write_text(json.dumps({**running, "runner": f"{host}:{2**22 + 1}"}), encoding="utf-8")
    shown = browser.get(link.group(1).removesuffix("/hits.csv")).text
    assert 'id="batch-status">failed<' in shown and "interrupted" in shown
    assert "http-equiv" not in shown
    assert json.loads(status.read_text(encoding="utf-8"))["status"] == "failed"


def test_a_file_that_cannot_be_read_is_refused_at_once_without_the_servers_paths(
    app: Any,
) -> None:
    browser, csrf = _signed_in(app, "analyst")
    answer = browser.post(
        "/ui/screen/batch", data={"csrf": csrf}, files={"file": ("c.xlsx", b"not a workbook")}
    )
    assert answer.status_code == 422, answer.text
    assert "c.xlsx" in answer.text and str(load_settings().home) not in answer.text
    assert list((load_settings().home / "screenings").iterdir()) == []
