"""A compliance team's day in a real browser: Debian's Chromium, headless, driven by Playwright
against `finmon serve` on loopback.

An analyst signs in, uploads a customer file (one new customer is a listed person), marks the
first alert a false positive and proposes the new one as a confirmed hit; a supervisor signs in,
approves it from the approvals queue and sees the freeze in the register. The alert page is kept
as a screenshot (docs/screenshots/alert.png when FINMON_SCREENSHOTS=docs).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from finmon.store import load_list
from finmon.store.customers import import_customers
from finmon.store.freezes import list_freezes
from finmon.store.sessions import set_password
from finmon.workflow.access import Role
from tests.accounts import make_user
from tests.conftest import ROOT
from tests.store.workflow_data import CUSTOMERS, fixture_designations, un_version

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",  # the machine has no network beyond loopback
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "steppe-eagle-2026"
NEW_CUSTOMERS = (
    "id,full_name,birth_date,nationality,accounts\n"
    "B101,Орманов Жанібек Серікұлы,1991-08-21,KZ,KZ11125KZT0000000101\n"
    "B102,Сейтқали Айгерім,1995-04-02,KZ,KZ11125KZT0000000102\n"
)
"""B101 is the listed QDi.906 (ZHANIBEK SERIKULY ORMANOV) in Kazakh Cyrillic."""


def _chromium_or_skip() -> None:
    if os.path.exists(CHROMIUM):
        return
    message = f"Debian's chromium is not installed ({CHROMIUM}); .ci/run installs it"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def server() -> Iterator[str]:
    """`finmon serve` on loopback over a store with the fixture list and customers (one alert),
    an analyst and a supervisor with passwords; yields its address."""
    _chromium_or_skip()
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    assert import_customers(CUSTOMERS, actor="loader").alerts == 1
    for name, role in (("aigul", Role.ANALYST), ("bauyrzhan", Role.SUPERVISOR)):
        make_user(name, role)
        set_password(name, PASSWORD, actor=name)
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from finmon.cli import main; main()", "serve", "--port", str(port)],
        cwd=ROOT,
        env=os.environ.copy(),
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "finmon serve did not answer within 60 s"
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)


def test_an_analyst_and_a_supervisor_take_an_alert_to_a_freeze(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    upload = tmp_path / "new_customers.csv"
    upload.write_text(NEW_CUSTOMERS, encoding="utf-8")
    shots = Path(os.environ["FINMON_SCREENSHOTS"]) if os.environ.get("FINMON_SCREENSHOTS") else None
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                base_url=server, locale="en-GB", viewport={"width": 1280, "height": 900}
            )
            page = context.new_page()
            page.set_default_timeout(20_000)

            # The analyst signs in: the address asked for is where she lands.
            page.goto("/ui/alerts")
            expect(page).to_have_url(f"{server}/ui/sign-in?next=/ui/alerts")
            expect(page.locator(".welcome")).to_have_text("Қош келдіңіз!")
            page.get_by_label("User name").fill("aigul")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            expect(page).to_have_url(f"{server}/ui/alerts")
            expect(page.locator("table.queue tbody tr")).to_have_count(1)

            # She uploads a customer file; the import job's page follows it to the end.
            page.get_by_role("link", name="Upload customers").click()
            page.get_by_label("Customer file").set_input_files(str(upload))
            page.get_by_role("button", name="Upload and screen").click()
            expect(page.locator("h1 .status")).to_have_text("done", timeout=60_000)
            result = page.locator("#job-result")
            expect(result.locator("tr", has_text="New")).to_contain_text("2")
            expect(result.locator("tr", has_text="Alerts")).to_contain_text("1")

            # The queue now holds two alerts; the first is not the listed person.
            page.get_by_role("link", name="Alerts").first.click()
            rows = page.locator("table.queue tbody tr")
            expect(rows).to_have_count(2)
            rows.filter(has_text="Карагулов").get_by_role("link").click()
            page.locator("#false-positive textarea[name=reason]").fill(
                "Customer's passport shows another father's name; same birth date by chance"
            )
            page.locator("#false-positive button").click()
            expect(page.locator("h1 .status")).to_have_text("false positive")

            # The second is: side by side, matched parts highlighted, then a confirmed hit.
            page.goto("/ui/alerts")
            page.locator("table.queue tbody tr", has_text="Орманов").get_by_role("link").click()
            expect(page.locator("table.side-by-side")).to_contain_text("ZHANIBEK SERIKULY ORMANOV")
            expect(page.locator("mark.exact").first).to_be_visible()
            expect(page.locator("table.features")).to_contain_text("The same birth date.")
            alert_shot = page.screenshot(full_page=True)
            (tmp_path / "alert.png").write_bytes(alert_shot)
            if shots is not None:
                shots.mkdir(parents=True, exist_ok=True)
                (shots / "alert.png").write_bytes(alert_shot)
            assert alert_shot[:8] == b"\x89PNG\r\n\x1a\n"
            page.locator("#confirmed-hit button").click()  # not without the confirmation
            expect(page.locator("h1 .status")).to_have_text("open")
            page.locator("#confirmed-hit input[name=confirm]").check()
            page.locator("#confirmed-hit button").click()
            expect(page.locator("h1 .status")).to_have_text("awaiting approval")
            expect(page.locator("#approve")).to_have_count(0)  # analysts do not approve
            page.get_by_role("button", name="Sign out").click()
            expect(page).to_have_url(f"{server}/ui/sign-in")

            # The supervisor approves from her queue, and the freeze is in the register.
            page.get_by_label("User name").fill("bauyrzhan")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()
            page.get_by_role("link", name="Approvals").click()
            page.locator("tr", has_text="Орманов").get_by_role("link").click()
            page.get_by_role("button", name="Approve the confirmed hit and freeze").click()
            expect(page.locator("h1")).to_contain_text("Freeze #1")
            expect(page.locator("table.record")).to_contain_text("KZ11125KZT0000000101")
            page.get_by_role("link", name="Freezes").click()
            register = page.locator("#freeze-register")
            expect(register).to_contain_text("Орманов Жанібек Серікұлы")
            expect(register).to_contain_text("active")

            # The same page in Russian, then the freeze and its alert in Kazakh, kept as chosen.
            page.goto("/ui/freezes?lang=ru")
            expect(page.locator("h1")).to_have_text("Реестр заморозок")
            page.get_by_role("link", name="Қазақша").click()
            expect(page.locator("h1")).to_have_text("Бұғаттау тізілімі")
            page.goto("/ui/alerts/2")
            expect(page.locator("table.features")).to_contain_text("Туған күні бірдей.")
            expect(page.locator("#why-sentences")).to_contain_text("толық сәйкес")
            expect(page.locator("details.raw pre")).not_to_be_visible()
            page.locator("details.raw summary").click()
            expect(page.locator("details.raw pre")).to_contain_text('"evidence"')
        finally:
            browser.close()

    (freeze,) = list_freezes()
    assert (freeze["customer_id"], freeze["reference"]) == ("B101", "QDi.906")
    assert (freeze["decided_by"], freeze["approved_by"]) == ("aigul", "bauyrzhan")


def test_an_analyst_screens_a_name_and_a_file_in_the_browser(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    upload = tmp_path / "to_screen.csv"
    upload.write_text(NEW_CUSTOMERS, encoding="utf-8")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(base_url=server, locale="en-GB", accept_downloads=True)
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.goto("/ui/sign-in")
            page.get_by_label("User name").fill("aigul")
            page.get_by_label("Password").fill(PASSWORD)
            page.get_by_role("button", name="Sign in").click()

            # One name, typed in Kazakh Cyrillic, finds the listed entry and says why.
            page.get_by_role("link", name="Screen").click()
            page.get_by_label("Name", exact=True).fill("Орманов Жанібек Серікұлы")
            page.get_by_label("Birth date").fill("1991-08-21")
            page.locator("#screen-one button").click()
            hits = page.locator("#screen-hits")
            expect(hits).to_contain_text("ZHANIBEK SERIKULY ORMANOV")
            expect(hits.locator("mark.exact").first).to_be_visible()
            expect(hits.locator("table.features")).to_contain_text("The same birth date.")

            # A file, screened in the background: its page follows the batch until it is done,
            # then gives the counts and the hits file to download.
            page.get_by_label("Customer file").set_input_files(str(upload))
            page.locator("#screen-batch button").click()
            expect(page).to_have_url(re.compile(r"/ui/screen/batch/[0-9a-f]{32}$"))
            expect(page.locator("#batch-status")).to_have_text("done", timeout=20_000)
            summary = page.locator("#batch-summary")
            expect(summary.locator("tr", has_text="Rows with a hit")).to_contain_text("1")
            with page.expect_download() as waiting:
                page.locator("#hits-file").click()
            saved = tmp_path / "hits.csv"
            waiting.value.save_as(saved)
        finally:
            browser.close()
    lines = saved.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("id,query_name,score,list")
    assert [line.split(",")[0] for line in lines[1:]] == ["B101"]
