"""The FIU's reports page: a goAML report uploaded and acknowledged, rejected ones with every
reason, and the reports listed."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from finmon.api import create_app
from finmon.reports.goaml import load_config, to_xml
from finmon.services import fiu_intake
from finmon.store.sessions import set_password
from finmon.workflow.access import Role
from tests.accounts import make_users
from tests.conftest import shared_spec
from tests.reports.test_goaml import STR, UAE_XSD
from tests.web.test_web import PASSWORD, _sign_in


def test_a_report_uploaded_is_acknowledged_and_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINMON_FIU_SCHEMA", str(shared_spec(UAE_XSD)))
    make_users({"officer": Role.FIU_ANALYST, "chief": Role.FIU_SUPERVISOR})
    set_password("officer", PASSWORD, actor="officer")
    fiu_intake.register_entity("chief", bin="040140000006", goaml_id=1, name="B", kind="bank")
    browser, csrf = _sign_in(create_app(), "officer")
    xml = to_xml(STR, load_config())
    page = browser.post("/ui/fiu/reports", data={"csrf": csrf}, files={"file": ("str-42.xml", xml)})
    assert page.status_code == 200 and "str-42.xml: accepted" in page.text
    bad = xml.replace(b"<report_code>STR", b"<report_code>XXX")
    page = browser.post("/ui/fiu/reports", data={"csrf": csrf}, files={"file": ("bad.xml", bad)})
    text = html.unescape(page.text)
    assert page.status_code == 422 and "bad.xml: rejected" in text
    assert "line 6: /report/report_code: Element 'report_code'" in text
    listed = html.unescape(browser.get("/ui/fiu/reports").text)
    assert listed.count("STR-2026-0042") == 2 and "rejected" in listed


def test_the_network_page_draws_a_subject_with_the_reports_behind_each_link(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FINMON_FIU_SCHEMA", str(shared_spec(UAE_XSD)))
    make_users({"officer": Role.FIU_ANALYST, "chief": Role.FIU_SUPERVISOR})
    set_password("officer", PASSWORD, actor="officer")
    fiu_intake.register_entity("chief", bin="040140000006", goaml_id=1, name="B", kind="bank")
    second = dataclasses.replace(STR, entity_reference="STR-2")
    files = [
        fiu_intake.ReportFile(f"{n}.xml", to_xml(r, load_config()))
        for n, r in enumerate((STR, second))
    ]
    acks = fiu_intake.intake("officer", files)
    assert [a.status for a in acks] == ["accepted", "accepted"]
    browser, _ = _sign_in(create_app(), "officer")
    start = html.unescape(browser.get("/ui/fiu/network").text)
    found = re.search(r'href="/ui/fiu/network\?subject=([^"]+)"', start)
    assert found is not None, start
    page = browser.get(f"/ui/fiu/network?subject={found.group(1)}&hops=2")
    text = html.unescape(page.text)
    assert page.status_code == 200 and "<svg" in text and "<script" not in text
    assert "sent money to" in text
    keys = [str(a.report) for a in acks]
    assert all(key in text for key in keys)
    assert browser.get("/ui/fiu/network?subject=S-none").status_code == 404
    assert browser.get(f"/ui/fiu/network?subject={found.group(1)}&hops=9").status_code == 422
