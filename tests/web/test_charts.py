"""Charts as SVG: well-formed, escaped, titled for screen readers, drawn to scale."""

from __future__ import annotations

from typing import Any

from lxml import etree

from finmon.web.charts import Edge, bars, flow, lines
from finmon.web.pages import flow_edges

SVG = "{http://www.w3.org/2000/svg}"


def _parsed(markup: str) -> Any:
    return etree.fromstring(markup.encode())


def test_bars_are_to_scale_escaped_and_late_past_the_limit() -> None:
    svg = _parsed(bars("c", "Hours <to> freeze", [("#1 <b>A</b>", 6.0), ("#2 B", 30.0)], limit=24))
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c-title c-desc"
    assert svg.findtext(f"{SVG}title") == "Hours <to> freeze"  # text, not markup
    rects = svg.findall(f".//{SVG}g[@class='bar']/{SVG}rect")
    late = svg.findall(f".//{SVG}g[@class='bar late']/{SVG}rect")
    assert len(rects) == 1 and len(late) == 1
    assert float(late[0].get("width")) == 5 * float(rects[0].get("width"))
    assert len(svg.findall(f".//{SVG}line[@class='limit']")) == 1
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "label"]
    assert labels[:2] == ["#1 <b>A</b>", "#2 B"]


def test_counts_get_whole_ticks_and_no_data_says_so() -> None:
    svg = _parsed(bars("c", "Rules", [("funnel", 1), ("smurfing", 3)]))
    ticks = [t.text for t in svg.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert ticks == ["0", "1", "2", "3"]
    empty = _parsed(bars("e", "Rules", [], empty="Nothing here"))
    assert "Nothing here" in "".join(empty.itertext())


def test_lines_draw_a_point_per_day_per_series() -> None:
    days = ["2026-12-01", "2026-12-02", "2026-12-03"]
    svg = _parsed(lines("l", "Alerts", days, [("raised", [1, 4, 2]), ("decided", [0, 2, 5])]))
    assert len(svg.findall(f".//{SVG}circle")) == 6
    highest = min(float(c.get("cy")) for c in svg.iter(f"{SVG}circle"))
    (five,) = [c for c in svg.iter(f"{SVG}circle") if c.findtext(f"{SVG}title").endswith(" 5")]
    assert float(five.get("cy")) == highest
    assert "raised 7; decided 7" in svg.findtext(f"{SVG}desc")


def test_the_money_flow_puts_payers_left_and_payees_right_of_the_account() -> None:
    records = [
        {"originator": {"account": "A"}, "beneficiary": {"account": "C"}, "amount": "10",
         "currency": "KZT"},
        {"originator": {"account": "A"}, "beneficiary": {"account": "C"}, "amount": "5",
         "currency": "KZT"},
        {"originator": {"account": "B"}, "beneficiary": {"account": "C"}, "amount": "1",
         "currency": "KZT"},
        {"originator": {"account": "C"}, "beneficiary": {"name": "Far <x>"}, "amount": "16",
         "currency": "USD"},
    ]  # fmt: skip
    edges = flow_edges(records)
    assert [(e.source, e.target, e.count) for e in edges] == [
        ("C", "Far <x>", 1),
        ("A", "C", 2),
        ("B", "C", 1),
    ]
    assert edges[1].amount == "15.00 KZT"
    svg = _parsed(flow("f", "Money flow", "C", edges))
    x = {
        node.findtext(f"{SVG}title"): float(node.find(f"{SVG}rect").get("x"))
        for node in svg.iter(f"{SVG}g")
        if (node.get("class") or "").startswith("node")
    }
    assert x["A"] == x["B"] < x["C"] < x["Far <x>"]
    assert len(svg.findall(f".//{SVG}g[@class='edge']")) == 3


def test_an_unlinked_transfer_is_drawn_beyond_the_others() -> None:
    edges = [Edge("A", "C", "1 KZT", 1, 1.0), Edge("X", "Y", "2 KZT", 1, 2.0)]
    svg = _parsed(flow("f", "Money flow", "C", edges))
    assert len(svg.findall(f".//{SVG}g[@class='node']")) == 3
