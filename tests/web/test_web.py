"""The web interface over a real store: sign-in, sessions, CSRF, roles and the alert workflow."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from finmon.api import create_app
from finmon.errors import NotFound
from finmon.store import load_list
from finmon.store.alerts import get_alert
from finmon.store.audit import audit_rows
from finmon.store.customers import customer_history, import_customers
from finmon.store.freezes import list_freezes
from finmon.store.jobs import get_job
from finmon.store.sessions import FREE_ATTEMPTS, set_password
from finmon.store.transactions import load_transactions
from finmon.store.users import disable_user
from finmon.web import router as web_router
from finmon.web.i18n import TEXTS, WELCOME_KK
from finmon.workflow.access import ALLOWED, Action, Role
from tests.accounts import make_user
from tests.store.workflow_data import (
    CUSTOMERS,
    LISTED_ID,
    LISTED_REF,
    fixture_designations,
    un_version,
)

PASSWORD = "correct horse battery staple"
WEB_ROUTES: list[tuple[str, str, Action | None, dict[str, Any] | None]] = [
    ("GET", "/ui/", None, None),
    ("POST", "/ui/sign-out", None, {}),
    ("GET", "/ui/alerts", Action.READ, None),
    ("GET", "/ui/alerts/{alert_id}", Action.READ, None),
    ("POST", "/ui/alerts/{alert_id}/decision", Action.DECIDE, {"decision": "escalate"}),
    ("POST", "/ui/alerts/{alert_id}/approve", Action.APPROVE, {}),
    ("GET", "/ui/approvals", Action.READ, None),
    ("GET", "/ui/freezes", Action.READ, None),
    ("GET", "/ui/clearances", Action.READ, None),
    ("GET", "/ui/freezes/{freeze_id}", Action.READ, None),
    ("POST", "/ui/freezes/{freeze_id}/release-request", Action.REQUEST, {"reason": "x"}),
    ("POST", "/ui/freezes/{freeze_id}/release", Action.APPROVE, {}),
    (
        "POST",
        "/ui/freezes/{freeze_id}/payments",
        Action.REQUEST,
        {"amount": "100", "currency": "KZT", "purpose": "rent"},
    ),
    ("POST", "/ui/payments/{payment_id}/approve", Action.APPROVE, {}),
    ("GET", "/ui/monitoring", Action.READ, None),
    ("GET", "/ui/cases", Action.READ, None),
    ("POST", "/ui/cases/open", Action.WORK_CASES, {}),
    ("GET", "/ui/cases/{case_id}", Action.READ, None),
    ("POST", "/ui/cases/{case_id}/review", Action.WORK_CASES, {}),
    ("POST", "/ui/cases/{case_id}/propose", Action.WORK_CASES, {"action": "close", "reason": "x"}),
    ("POST", "/ui/cases/{case_id}/withdraw", Action.WORK_CASES, {}),
    ("POST", "/ui/alerts/{alert_id}/withdraw", Action.DECIDE, {}),
    ("POST", "/ui/cases/{case_id}/approve", Action.APPROVE_CASES, {}),
    ("GET", "/ui/lists", Action.READ, None),
    ("GET", "/ui/lists/{source}/diff", Action.READ, None),
    ("GET", "/ui/audit", Action.AUDIT, None),
    ("GET", "/ui/upload", Action.IMPORT_CUSTOMERS, None),
    ("POST", "/ui/upload", Action.IMPORT_CUSTOMERS, {"file": ("c.csv", b"id,name\n")}),
    ("GET", "/ui/jobs/{job_id}", Action.READ, None),
    ("GET", "/ui/jobs/{job_id}/problems", Action.READ, None),
    ("POST", "/ui/jobs/{job_id}/encoding", Action.IMPORT_CUSTOMERS, {"encoding": "cp1251"}),
    ("GET", "/ui/fairness", Action.REVIEW_FAIRNESS, None),
    # FIU part 1: reporting entities and intake
    ("GET", "/ui/fiu/reports", Action.FIU_READ, None),
    ("GET", "/ui/fiu/network", Action.FIU_READ, None),
    ("POST", "/ui/fiu/reports", Action.FIU_INTAKE, {"file": ("r.xml", b"<report/>")}),
    ("GET", "/ui/screen", Action.SCREEN, None),
    ("POST", "/ui/screen", Action.SCREEN, {"name": "Timur Karagulov"}),
    ("POST", "/ui/screen/batch", Action.SCREEN, {"file": ("c.csv", b"id,name\nS1,Timur\n")}),
    ("GET", "/ui/screen/batch/{token}", Action.SCREEN, None),
    ("GET", "/ui/screen/batch/{token}/hits.csv", Action.SCREEN, None),
]
"""Every page and form that needs a signed-in user, and the action it needs."""
"""Each page with the action it needs; None: any signed-in user (the home page shows each role
what it may do, the FIU's roles none of the reporting entity's work)."""
OPEN_WEB_ROUTES = {("GET", "/ui/sign-in"), ("POST", "/ui/sign-in")}
VALUES = {
    "alert_id": "1",
    "freeze_id": "1",
    "payment_id": "1",
    "job_id": "1",
    "source": "un",
    "case_id": "1",
    "token": "0" * 32,
}


@pytest.fixture
def store() -> None:
    """The fixture list and customers (one alert on LISTED_ID), and a user of each role with a
    password; two supervisors, for four-eyes."""
    assert load_list(un_version("2026-01-15", fixture_designations()), actor="loader").loaded
    assert import_customers(CUSTOMERS, actor="loader").alerts == 1
    for name, role in {r.value: r for r in Role}.items() | {("supervisor2", Role.SUPERVISOR)}:
        make_user(name, role)
        set_password(name, PASSWORD, actor=name)


@pytest.fixture
def app() -> Iterator[Any]:
    application = create_app()
    with TestClient(application):
        yield application


def _browser(app: Any) -> TestClient:
    """A client of its own, like a browser: its own cookies."""
    return TestClient(app, base_url="http://testserver", follow_redirects=False)


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, html
    return found.group(1)


def _sign_in(app: Any, name: str, password: str = PASSWORD) -> tuple[TestClient, str]:
    """A browser signed in as that user, and the CSRF token of its session."""
    browser = _browser(app)
    page = browser.get("/ui/sign-in")
    answer = browser.post(
        "/ui/sign-in",
        data={"name": name, "password": password, "csrf": _csrf(page.text), "next": "/ui/"},
    )
    assert answer.status_code == 303, answer.text
    home = browser.get("/ui/")
    assert home.status_code == 200
    return browser, _csrf(home.text)


def _send(
    browser: TestClient, method: str, path: str, body: dict[str, Any] | None, csrf: str | None
) -> Any:
    url = path.format(**VALUES)
    if method == "GET":
        return browser.get(url)
    data = dict(body or {})
    files = {"file": data.pop("file")} if "file" in data else None
    if csrf is not None:
        data["csrf"] = csrf
    return browser.post(url, data=data, files=files)


def test_the_web_route_table_covers_every_page_of_the_app(app: Any) -> None:
    served = {
        (method, route.path)
        for route in web_router.routes
        for method in getattr(route, "methods", ()) or ()
        if method != "HEAD"
    }
    assert served == {(m, p) for m, p, _, _ in WEB_ROUTES} | OPEN_WEB_ROUTES
    assert all(path.startswith("/ui/") for _, path in served)
    assert _browser(app).get("/ui/sign-in").status_code == 200  # the app serves them


def test_without_a_session_every_page_sends_the_browser_to_sign_in(store: None, app: Any) -> None:
    browser = _browser(app)
    browser.cookies.set("finmon_session", "not-a-session", domain="testserver.local")
    for method, path, _action, body in WEB_ROUTES:
        answer = _send(browser, method, path, body, "x")
        assert answer.status_code == 303, (method, path, answer.status_code)
        assert answer.headers["location"].startswith("/ui/sign-in?next=/ui/")
    assert get_alert(1)[0].status == "open"


@pytest.mark.parametrize("role", list(Role))
def test_every_role_is_refused_what_it_may_not_do_and_nothing_else(
    store: None, app: Any, role: Role
) -> None:
    refused, wrong = 0, []
    browser, csrf = _sign_in(app, role.value)
    for method, path, action, body in WEB_ROUTES:
        if path == "/ui/sign-out":
            continue
        answer = _send(browser, method, path, body, csrf)
        if action is not None and role not in ALLOWED[action]:
            refused += 1
            if answer.status_code != 403 or f"({role.value}) may not" not in answer.text:
                wrong.append((method, path, "must be refused", answer.status_code))
        elif answer.status_code in (401, 403) or answer.status_code >= 500:
            wrong.append((method, path, "must not be refused", answer.status_code))
    _wait_for_jobs()
    assert wrong == []
    assert refused > 0  # every role is refused something (a supervisor: the FIU's pages)


def _wait_for_jobs() -> None:
    """Let the uploads' background imports end before the test's store goes away."""
    deadline = time.monotonic() + 60
    for job_id in range(1, 100):
        try:
            while get_job(job_id)["status"] in ("queued", "running"):
                assert time.monotonic() < deadline, f"job {job_id} did not end"
                time.sleep(0.05)
        except NotFound:
            return


def test_the_session_cookie_is_http_only_and_same_site_and_pages_forbid_framing(
    store: None, app: Any
) -> None:
    browser = _browser(app)
    page = browser.get("/ui/sign-in")
    answer = browser.post(
        "/ui/sign-in",
        data={"name": "analyst", "password": PASSWORD, "csrf": _csrf(page.text)},
    )
    cookie = next(c for c in answer.headers.get_list("set-cookie") if "finmon_session=" in c)
    assert "HttpOnly" in cookie
    assert "samesite=strict" in cookie.lower()
    headers = browser.get("/ui/alerts").headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "script-src" not in headers["content-security-policy"]  # default-src 'self' only
    assert headers["cache-control"] == "no-store"


def test_a_form_without_the_sessions_csrf_token_changes_nothing(store: None, app: Any) -> None:
    browser, csrf = _sign_in(app, "analyst")
    for token in (None, "", csrf[:-1] + ("A" if csrf[-1] != "A" else "B")):
        answer = _send(
            browser,
            "POST",
            "/ui/alerts/1/decision",
            {"decision": "false_positive", "reason": "not him"},
            token,
        )
        assert answer.status_code in (403, 422), answer.status_code
    assert get_alert(1)[0].status == "open"
    other, other_csrf = _sign_in(app, "supervisor")
    answer = _send(browser, "POST", "/ui/alerts/1/decision", {"decision": "escalate"}, other_csrf)
    assert answer.status_code == 403  # another session's token is not this session's
    assert get_alert(1)[0].status == "open"
    assert other.get("/ui/").status_code == 200


def test_the_sign_in_form_needs_its_own_token_and_never_redirects_off_site(
    store: None, app: Any
) -> None:
    browser = _browser(app)
    refused = browser.post(
        "/ui/sign-in", data={"name": "analyst", "password": PASSWORD, "csrf": "forged"}
    )
    assert refused.status_code == 403
    for target in ("https://evil.example/ui/", "//evil.example/ui/", "/ui/\\evil", "/elsewhere"):
        page = browser.get("/ui/sign-in")
        answer = browser.post(
            "/ui/sign-in",
            data={
                "name": "analyst",
                "password": PASSWORD,
                "csrf": _csrf(page.text),
                "next": target,
            },
        )
        assert answer.status_code == 303
        assert answer.headers["location"] == "/ui/", target


def test_failed_sign_ins_back_off_and_say_the_same_for_unknown_users(store: None, app: Any) -> None:
    browser = _browser(app)

    def attempt(name: str, password: str) -> Any:
        page = browser.get("/ui/sign-in")
        return browser.post(
            "/ui/sign-in", data={"name": name, "password": password, "csrf": _csrf(page.text)}
        )

    unknown = attempt("nobody", PASSWORD)
    wrong = attempt("analyst", "not the password")
    assert unknown.status_code == wrong.status_code == 401
    message = re.compile(r'role="alert">([^<]+)<')
    assert message.findall(unknown.text) == message.findall(wrong.text)
    for _ in range(FREE_ATTEMPTS):
        attempt("analyst", "not the password")
    locked = attempt("analyst", PASSWORD)  # the right password, but too soon
    assert locked.status_code == 401
    assert message.findall(locked.text) == message.findall(unknown.text)
    assert "finmon_session=" not in locked.headers.get("set-cookie", "")
    time.sleep(2.2)  # the first lock lasts 2 s
    assert attempt("analyst", PASSWORD).status_code == 303


def test_signing_out_or_disabling_the_user_ends_the_session(store: None, app: Any) -> None:
    browser, csrf = _sign_in(app, "analyst")
    assert browser.post("/ui/sign-out", data={"csrf": csrf}).status_code == 303
    assert browser.get("/ui/alerts").status_code == 303
    browser, _ = _sign_in(app, "analyst")
    disable_user("analyst", actor="admin")
    assert browser.get("/ui/alerts").status_code == 303


def test_the_alert_page_shows_both_sides_the_matched_parts_and_each_contribution(
    store: None, app: Any
) -> None:
    browser, _ = _sign_in(app, "analyst")
    queue = browser.get("/ui/alerts").text
    assert 'href="/ui/alerts/1"' in queue
    assert "Карагулов Тимур Ахатович" in queue
    page = browser.get("/ui/alerts/1").text
    row, explanation = get_alert(1)
    assert row.customer_id == LISTED_ID
    assert LISTED_REF in page
    assert row.list_version in page
    assert "TIMUR AKHATOVICH KARAGULOV" in page  # the listed entry's names
    marked = re.findall(r'<mark class="(exact|near|miss)"[^>]*>([^<]+)</mark>', page)
    pairs = explanation["name"]["pairs"]
    assert {word for css, word in marked if css != "miss"} >= {p["query"] for p in pairs}
    for evidence in explanation["evidence"]:
        assert f"{evidence['effect']:+.2f}" in page
    assert "1988-02-29" in page  # the birth date on both sides
    assert "KZ75125KZT2069100100" in page  # the accounts a freeze would hold


def test_a_false_positive_needs_a_reason_and_a_confirmed_hit_needs_its_confirmation(
    store: None, app: Any
) -> None:
    browser, csrf = _sign_in(app, "analyst")
    no_reason = _send(
        browser, "POST", "/ui/alerts/1/decision", {"decision": "false_positive"}, csrf
    )
    assert no_reason.status_code == 409
    assert "reason" in no_reason.text
    unconfirmed = _send(
        browser, "POST", "/ui/alerts/1/decision", {"decision": "confirmed_hit"}, csrf
    )
    assert unconfirmed.status_code == 422
    assert get_alert(1)[0].status == "open"
    decided = _send(
        browser,
        "POST",
        "/ui/alerts/1/decision",
        {"decision": "false_positive", "reason": "born in another year"},
        csrf,
    )
    assert (decided.status_code, decided.headers["location"]) == (303, "/ui/alerts/1")
    assert get_alert(1)[0].status == "false_positive"
    assert "born in another year" in browser.get("/ui/alerts/1").text


def test_four_eyes_in_the_browser_and_the_audit_names_the_signed_in_users(
    store: None, app: Any
) -> None:
    first, first_csrf = _sign_in(app, "supervisor")
    proposed = _send(
        first,
        "POST",
        "/ui/alerts/1/decision",
        {"decision": "confirmed_hit", "confirm": "yes"},
        first_csrf,
    )
    assert proposed.status_code == 303
    own = _send(first, "POST", "/ui/alerts/1/approve", {}, first_csrf)
    assert own.status_code == 409
    assert "four-eyes" in own.text
    assert list_freezes() == []
    second, second_csrf = _sign_in(app, "supervisor2")
    assert 'href="/ui/alerts/1"' in second.get("/ui/approvals").text
    approved = _send(second, "POST", "/ui/alerts/1/approve", {}, second_csrf)
    assert approved.status_code == 303
    (freeze,) = list_freezes()
    assert approved.headers["location"] == f"/ui/freezes/{freeze['freeze_id']}"
    register = second.get("/ui/freezes").text
    assert f"/ui/freezes/{freeze['freeze_id']}" in register
    assert "KZ75125KZT2069100100" in register
    acts = {(row["action"], row["actor"]) for row in audit_rows(limit=1000)}
    assert {("alert.decide", "supervisor"), ("alert.approve", "supervisor2")} <= acts
    assert ("user.sign_in", "supervisor2") in acts


def test_pages_speak_russian_when_asked_and_welcome_in_kazakh(store: None, app: Any) -> None:
    browser = _browser(app)
    assert WELCOME_KK in browser.get("/ui/sign-in").text
    russian = browser.get("/ui/sign-in?lang=ru")
    assert TEXTS["sign_in"][1] in russian.text
    assert 'lang="ru"' in russian.text
    browser, _ = _sign_in(app, "supervisor")
    for path in ("/ui/", "/ui/alerts", "/ui/alerts/1", "/ui/freezes", "/ui/audit"):
        english = browser.get(path + "?lang=en")
        assert english.status_code == 200
        assert TEXTS["alerts"][0] in english.text, path
        russian = browser.get(path + "?lang=ru")
        assert russian.status_code == 200
        assert TEXTS["alerts"][1] in russian.text
        assert TEXTS["alerts"][0] + "<" not in russian.text
    assert TEXTS["alerts"][1] in browser.get("/ui/").text  # the choice is kept


def test_text_from_the_data_is_escaped(store: None, app: Any) -> None:
    browser = _browser(app)
    hostile = '/ui/"><script>alert(1)</script>'
    page = browser.get("/ui/sign-in", params={"next": hostile})
    assert "<script>" not in page.text
    assert "&lt;script&gt;" in page.text or "%3Cscript%3E" in page.text


def test_a_customer_file_uploaded_in_the_browser_is_imported_and_shown(
    store: None, app: Any
) -> None:
    browser, csrf = _sign_in(app, "analyst")
    assert 'enctype="multipart/form-data"' in browser.get("/ui/upload").text
    content = (
        "id,name,birth_date\nW1,Ахметов Ерлан,1990-05-01\nW2,,1990-05-01\n"
        "W3,Омарова Дана,1974-01-32\n"
    ).encode()
    answer = browser.post(
        "/ui/upload", data={"csrf": csrf}, files={"file": ("клиенты.csv", content)}
    )
    assert answer.status_code == 303
    job_page = answer.headers["location"]
    page = _job_page(browser, job_page)
    result = re.findall(r'<th>([^<]+)</th><td class="num">(?:<a[^>]*>)?(\d+)', page)
    counts = dict(result)
    assert counts["New"] == "2"
    assert counts["Rows refused"] == "1"
    assert counts["Problems in rows"] == "2"
    assert "клиенты.csv" in page and "1974-01-32" in page and "birth date left out" in page
    download = browser.get(f"{job_page}/problems")
    assert download.status_code == 200 and download.headers["content-type"].startswith("text/csv")
    lines = download.text.splitlines()
    assert lines[0] == "row,column,value,problem,action" and len(lines) == 3
    assert lines[1].startswith("line 3,name,,") and lines[2].startswith("line 4,birth_date,")
    strict = browser.post(
        "/ui/upload",
        data={"csrf": csrf, "strict": "true"},
        files={"file": ("strict.csv", content)},
    )
    page = _job_page(browser, strict.headers["location"])
    assert "strict.csv: line 3, column name: the name is empty" in page
    assert TEXTS["strict"][1] in browser.get("/ui/upload?lang=ru").text


KAZAKH_CUSTOMERS = (
    "id,name,birth_date\nK1,Әлібек Ғабитұлы Қоңыратбаев,1980-01-01\n"
    "K2,Өмірзақ Ұлықбекұлы Үсенов,1975-02-03\nK3,Һәкім Іңкәр,1990-05-06\n"
)
RUSSIAN_CUSTOMERS = (
    "id,name,birth_date\nR1,Ёлкин Юрий Щербакович,1980-01-01\nR2,Иванова Жанна,1975-02-03\n"
)


@pytest.mark.parametrize(
    ("text", "encoding", "label"),
    [
        (RUSSIAN_CUSTOMERS, "cp1251", "Windows-1251"),
        (KAZAKH_CUSTOMERS, "kz1048", "KZ-1048"),
        (KAZAKH_CUSTOMERS, "utf-8-sig", "UTF-8 (BOM)"),
    ],
)
def test_an_office_encoded_customer_file_is_read_and_the_page_names_its_encoding(
    store: None, app: Any, text: str, encoding: str, label: str
) -> None:
    browser, csrf = _sign_in(app, "analyst")
    content = text.encode(encoding)
    answer = browser.post(
        "/ui/upload", data={"csrf": csrf}, files={"file": ("клиенты.csv", content)}
    )
    page = _job_page(browser, answer.headers["location"])
    assert re.search(rf'id="job-encoding">{re.escape(label)} \(detected\)', page), page
    rows = [line.split(",") for line in text.splitlines()[1:]]
    assert [_name(customer_id) for customer_id, _, _ in rows] == [name for _, name, _ in rows]
    (row,) = [
        r
        for r in audit_rows(limit=1000)
        if r["action"] == "customers.import" and "клиенты" in r["object"]
    ]
    assert row["after"]["encoding"] == encoding


def test_a_person_chooses_another_encoding_and_the_file_is_read_again(
    store: None, app: Any
) -> None:
    browser, csrf = _sign_in(app, "analyst")
    content = KAZAKH_CUSTOMERS.encode("kz1048")
    answer = browser.post(
        "/ui/upload",
        data={"csrf": csrf, "encoding": "cp1251"},
        files={"file": ("клиенты.csv", content)},
    )
    page = _job_page(browser, answer.headers["location"])
    assert 'id="job-encoding">Windows-1251 (chosen)' in page
    assert _name("K1") != "Әлібек Ғабитұлы Қоңыратбаев"
    assert 'id="job-encoding-form"' in page and '<option value="cp1251" selected>' in page
    again = browser.post(
        f"{answer.headers['location']}/encoding", data={"csrf": csrf, "encoding": "kz1048"}
    )
    assert again.status_code == 303 and again.headers["location"] != answer.headers["location"]
    page = _job_page(browser, again.headers["location"])
    assert 'id="job-encoding">KZ-1048 (chosen)' in page
    assert _name("K1") == "Әлібек Ғабитұлы Қоңыратбаев"
    assert customer_history("K1")["version"] == 2
    wrong = browser.post(
        f"{again.headers['location']}/encoding", data={"csrf": csrf, "encoding": "latin-1"}
    )
    assert wrong.status_code == 422 and "not one of" in wrong.text
    utf8 = browser.post(
        f"{again.headers['location']}/encoding", data={"csrf": csrf, "encoding": "utf-8"}
    )
    page = _job_page(browser, utf8.headers["location"])
    assert "is not valid UTF-8; choose the file&#39;s encoding below" in page
    assert "--encoding" not in page and "(read as UTF-8)" in page


def _name(customer_id: str) -> str:
    return str(customer_history(customer_id)["record"]["names"][0])


def _job_page(browser: TestClient, job_page: str) -> str:
    deadline = time.monotonic() + 60
    while "refresh" in (page := browser.get(job_page).text):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return page


def test_the_monitoring_page_shows_what_each_alert_found(
    store: None, app: Any, tmp_path: Path
) -> None:
    from tests.store.test_transactions import ROWS, _write

    load_transactions(_write(tmp_path / "payments.csv", ROWS), actor="ops")
    browser, _ = _sign_in(app, "auditor")
    page = browser.get("/ui/monitoring")
    assert page.status_code == 200
    assert "r16_information" in page.text and "listed_party" in page.text
    assert "Originator: no address, national ID, customer ID" in page.text
    assert "QDi.905" in page.text
    only = browser.get("/ui/monitoring", params={"rule": "listed_party"}).text
    assert "QDi.905" in only and "no address, national ID" not in only
    assert TEXTS["monitoring_alerts"][1] in browser.get("/ui/monitoring?lang=ru").text


def test_the_clearances_page_lists_who_cleared_whom_and_the_payments_not_held(
    store: None, app: Any
) -> None:
    from finmon.store.clearances import StoreClearances, approve, counterparty, propose_clearance
    from finmon.store.screener import build_screener
    from finmon.transactions.payments import check_payment
    from tests.store.test_clearances import _pay

    who = counterparty("Карагулов Тимур", "iban", "KZ86125KZT5004100100")
    number = propose_clearance(who, "un", "QDi.905", reason="<b>born 1961</b>", actor="analyst")
    approve(number, actor="supervisor")
    assert check_payment(_pay(), build_screener(), clearances=StoreClearances("ops")).suppressed
    browser, _ = _sign_in(app, "auditor")
    page = browser.get("/ui/clearances").text
    assert "Карагулов Тимур" in page and "KZ86125KZT5004100100" in page and "QDi.905" in page
    assert "&lt;b&gt;born 1961&lt;/b&gt;" in page and "<b>born" not in page
    assert re.search(r'<td class="num">1 <span', page)
    russian = browser.get("/ui/clearances?lang=ru").text
    assert TEXTS["clearances_intro"][1] in russian and TEXTS["status_active"][1] in russian


def test_a_monitoring_case_is_opened_reviewed_proposed_and_approved_by_two_people(
    store: None, app: Any, tmp_path: Path
) -> None:
    from finmon.monitoring.engine import numbered, run_batch
    from finmon.monitoring.events import Context
    from finmon.monitoring.rules import load_pack
    from finmon.store.cases import get_case
    from finmon.store.transactions import store_monitoring_alerts
    from finmon.transactions.reader import read_transactions
    from tests.reports.test_from_cases import COLLECTOR, _funnel

    source = _funnel(tmp_path / "funnel.csv")
    load_transactions(source, actor="ops")
    pack = load_pack()
    rows = numbered(run_batch(pack.rules, read_transactions(source), Context.of(pack)))
    assert store_monitoring_alerts(rows, actor="ops", source=source.name) == 2  # in, then on

    analyst, csrf = _sign_in(app, "analyst")
    assert TEXTS["nothing"][0] in analyst.get("/ui/cases").text
    assert analyst.post("/ui/cases/open", data={"csrf": csrf}).status_code == 303
    listing = analyst.get("/ui/cases").text
    assert 'href="/ui/cases/1"' in listing and COLLECTOR in listing
    assert "funnel account" in listing
    assert analyst.post("/ui/cases/1/review", data={"csrf": csrf}).status_code == 303
    page = analyst.get("/ui/cases/1").text
    assert 'id="case-propose"' in page and "<td>F-0</td>" in page  # the transfers named
    refused = analyst.post("/ui/cases/1/propose", data={"csrf": csrf, "action": "report"})
    assert refused.status_code == 409 and get_case(1)["status"] == "under_review"  # no reason
    proposal = {"csrf": csrf, "action": "report", "reason": "Ten senders, then abroad"}
    assert analyst.post("/ui/cases/1/propose", data=proposal).status_code == 303
    assert analyst.post("/ui/cases/1/approve", data={"csrf": csrf}).status_code == 403  # role

    supervisor, supervisor_csrf = _sign_in(app, "supervisor")
    pending = supervisor.get("/ui/cases/1?lang=ru").text
    assert TEXTS["case"][1] in pending and 'id="case-approve"' in pending
    assert supervisor.post("/ui/cases/1/approve", data={"csrf": supervisor_csrf}).status_code == 303
    done = get_case(1)
    assert done["status"] == "reported"
    assert [(d["proposed_by"], d["approved_by"]) for d in done["decisions"]] == [
        ("analyst", "supervisor")
    ]
    assert "finmon cases report 1" in supervisor.get("/ui/cases/1?lang=en").text
    acts = {(row["action"], row["actor"]) for row in audit_rows(limit=1000)}
    assert {("case.open", "analyst"), ("case.approve", "supervisor")} <= acts


def test_a_case_outcome_is_never_approved_by_its_proposer(
    store: None, app: Any, tmp_path: Path
) -> None:
    from finmon.monitoring.engine import numbered, run_batch
    from finmon.monitoring.events import Context
    from finmon.monitoring.rules import load_pack
    from finmon.store.cases import get_case
    from finmon.store.transactions import store_monitoring_alerts
    from finmon.transactions.reader import read_transactions
    from tests.reports.test_from_cases import _funnel

    source = _funnel(tmp_path / "funnel.csv")
    pack = load_pack()
    rows = numbered(run_batch(pack.rules, read_transactions(source), Context.of(pack)))
    store_monitoring_alerts(rows, actor="ops", source=source.name)
    supervisor, csrf = _sign_in(app, "supervisor")
    supervisor.post("/ui/cases/open", data={"csrf": csrf})
    supervisor.post("/ui/cases/1/review", data={"csrf": csrf})
    close = {"csrf": csrf, "action": "close", "reason": "Donations to a family in need"}
    assert supervisor.post("/ui/cases/1/propose", data=close).status_code == 303
    refused = supervisor.post("/ui/cases/1/approve", data={"csrf": csrf})
    assert refused.status_code == 409 and "four-eyes" in refused.text
    assert get_case(1)["status"] == "proposed"
    other, other_csrf = _sign_in(app, "supervisor2")
    assert other.post("/ui/cases/1/approve", data={"csrf": other_csrf}).status_code == 303
    assert get_case(1)["status"] == "closed"
