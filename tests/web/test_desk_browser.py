"""The desk in Chromium at 360 px wide, as on a phone: no page runs off the side, the charts are
drawn; the home page, an alert, a freeze and a case are kept as screenshots at 1280 px, and the
home page at 360 px (desk-*.png under FINMON_SCREENSHOTS, e.g. docs/screenshots)."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from finmon.cli import app as cli
from finmon.services import alerts as alerts_service
from finmon.store.cases import list_cases
from finmon.workflow import Verdict
from tests.reports.test_from_cases import _funnel
from tests.web.test_browser import CHROMIUM, CHROMIUM_ARGS, PASSWORD, server

__all__ = ["server"]  # the fixture: `finmon serve` over the fixture list and customers
LANG = "kk"
"""The pages' language in the screenshots (Kazakh once its catalogue is complete)."""
PAGES = ["/ui/", "/ui/alerts", "/ui/monitoring", "/ui/cases", "/ui/freezes", "/ui/upload"]
"""Pages checked for overflow beside the four photographed."""


def _desk(tmp_path: Path) -> dict[str, str]:
    """A freeze (the fixture's alert confirmed and approved) and a monitoring case with its
    transfers; the pages to photograph by name."""
    alerts_service.decide("aigul", 1, Verdict.CONFIRMED_HIT, "the passport matches")
    freeze_id = alerts_service.approve("bauyrzhan", 1)
    source = _funnel(tmp_path / "funnel.csv")
    for command in (["monitor", str(source), "--store"], ["cases", "open"]):
        result = CliRunner().invoke(cli, ["--actor", "aigul", *command])
        assert result.exit_code == 0, result.output
    (case,) = [c for c in list_cases() if c["summary"]["transactions_loaded"]]
    return {
        "home": "/ui/",
        "alert": "/ui/alerts/1",
        "freeze": f"/ui/freezes/{freeze_id}",
        "case": f"/ui/cases/{case['case_id']}",
    }


def test_the_desk_reads_at_360_px_and_is_photographed(server: str, tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    shown = _desk(tmp_path)
    shots = Path(os.environ["FINMON_SCREENSHOTS"]) if os.environ.get("FINMON_SCREENSHOTS") else None
    overflow: dict[str, int] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            context = browser.new_context(
                base_url=server,
                locale="ru-RU",
                viewport={"width": 360, "height": 780},
            )
            page = context.new_page()
            page.set_default_timeout(20_000)
            page.goto(f"/ui/sign-in?lang={LANG}")
            page.locator("input[name=name]").fill("aigul")
            page.locator("input[name=password]").fill(PASSWORD)
            page.locator("form button[type=submit]").click()
            expect(page.locator(".welcome")).to_be_visible()
            for name, path in [*shown.items(), *((p, p) for p in PAGES)]:
                page.goto(path)
                expect(page.locator("main")).to_be_visible()
                wider = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if wider > 0:
                    overflow[path] = wider
                if name == "home":
                    _keep(page.screenshot(full_page=True), "desk-home-360.png", tmp_path, shots)
            page.set_viewport_size({"width": 1280, "height": 900})
            for name, path in shown.items():
                page.goto(path)
                _keep(page.screenshot(full_page=True), f"desk-{name}.png", tmp_path, shots)
            page.goto(shown["home"])
            for chart in ("chart-alerts", "chart-freezes", "chart-typologies", "chart-rules"):
                expect(page.locator(f"svg#{chart}")).to_be_visible()
            expect(page.locator("svg#chart-freezes .limit")).to_have_count(1)
            page.goto(shown["case"])
            # ten senders to the collector, and the collector to the account abroad
            expect(page.locator("svg#chart-flow .edge")).to_have_count(11)
        finally:
            browser.close()
    assert overflow == {}, f"pages wider than 360 px (by px): {overflow}"


def _keep(shot: bytes, name: str, folder: Path, shots: Path | None) -> None:
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    (folder / name).write_bytes(shot)
    if shots is not None:
        shots.mkdir(parents=True, exist_ok=True)
        (shots / name).write_bytes(shot)
