"""Link analysis over a small FIU record set whose network is known by construction."""

from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import pytest
from lxml import etree

from finmon.errors import InputError
from finmon.fiu.network import MAX_HOPS, LinkGraph, to_graphml, to_json, to_svg
from finmon.fiu.records import Identifier, Mention, Transfer

DAY = dt.datetime(2026, 3, 1, 12, 0)


def mention(mid: str, report: str, entity: str, name: str, *ids: tuple[str, str]) -> Mention:
    found = tuple(Identifier(kind=k, value=v) for k, v in ids)  # type: ignore[arg-type]
    return Mention(
        id=mid, report=report, entity=entity, kind="person", name=name, identifiers=found
    )


# A chain of money A -> B -> C -> D reported by three entities; E shares B's phone; F stands apart.
MENTIONS = [
    mention("r1/1", "r1", "BANK1", "Aidar Seitkali", ("account", "KZ01")),
    mention("r1/2", "r1", "BANK1", "Bolat Nurlanov", ("account", "KZ02"), ("phone", "77011234567")),
    mention("r2/1", "r2", "MTO1", "Болат Нурланов", ("account", "KZ02")),
    mention("r2/2", "r2", "MTO1", "Chingiz Omarov"),
    mention("r3/1", "r3", "MFO1", "Chingiz Omarov"),
    mention("r3/2", "r3", "MFO1", "Daniyar Akhmetov"),
    mention("r4/1", "r4", "BANK1", "Erlan Ibrayev", ("phone", "77011234567")),
    mention("r5/1", "r5", "BANK2", "Farida Sultan"),
]
SUBJECT_OF = {
    "r1/1": "A", "r1/2": "B", "r2/1": "B", "r2/2": "C", "r3/1": "C", "r3/2": "D", "r4/1": "E",
    "r5/1": "F",
}  # fmt: skip
TRANSFERS = [
    Transfer(report="r1", number="t1", date=DAY, amount="1000.00", source="r1/1", target="r1/2"),
    Transfer(report="r1", number="t2", date=DAY, amount="500.50", source="r1/1", target="r1/2"),
    Transfer(report="r2", number="t3", date=DAY, amount="1400.00", source="r2/1", target="r2/2"),
    Transfer(report="r3", number="t4", date=DAY, amount="1300.00", source="r3/1", target="r3/2"),
]


@pytest.fixture
def graph() -> LinkGraph:
    return LinkGraph(MENTIONS, TRANSFERS, SUBJECT_OF, {"B": "BOLAT NURLANOV"})


def subjects(found: nx.MultiDiGraph) -> set[str]:
    return {n.removeprefix("subject:") for n, d in found.nodes(data=True) if d["kind"] == "subject"}


def test_the_network_grows_with_the_hops(graph: LinkGraph) -> None:
    # B -> report r1 -> A is two hops; C is one (money); D is two (money C -> D).
    assert subjects(graph.network("B", hops=1)) == {"B", "A", "C"}
    assert subjects(graph.network("B", hops=2)) == {"A", "B", "C", "D"}
    with pytest.raises(InputError, match="hops"):
        graph.network("B", hops=MAX_HOPS + 1)
    with pytest.raises(InputError, match="no subject 'Z'"):
        graph.network("Z")


def test_money_is_summed_per_pair_with_its_reports(graph: LinkGraph) -> None:
    sent = graph.graph.edges["subject:A", "subject:B", "sent"]
    assert (sent["amount"], sent["count"], sent["reports"]) == ("1500.50", 2, ["r1"])
    assert not graph.graph.has_edge("subject:B", "subject:A", "sent")


def test_money_paths_follow_the_direction_of_the_money(graph: LinkGraph) -> None:
    assert graph.money_paths("A", "D") == [["A", "B", "C", "D"]]
    assert graph.money_paths("D", "A") == []
    assert graph.money_paths("A", "D", max_hops=2) == []
    assert graph.money_paths("A", "F") == []


def test_shared_identifiers_and_subjects_reported_by_several_entities(graph: LinkGraph) -> None:
    shared = graph.shared_identifiers()
    assert [(s.kind, s.value, s.subjects) for s in shared] == [("phone", "77011234567", ("B", "E"))]
    # B's account is named by two entities but held by B alone: not a link between subjects.
    assert graph.reported_by_several() == [("B", ("BANK1", "MTO1")), ("C", ("MFO1", "MTO1"))]
    assert graph.most_reported(3) == [
        ("B", 2, ("BANK1", "MTO1")),
        ("C", 2, ("MFO1", "MTO1")),
        ("A", 1, ("BANK1",)),
    ]


def test_exports_carry_the_reports_behind_each_edge(graph: LinkGraph) -> None:
    found = graph.network("B", hops=2)
    data = json.loads(to_json(found))
    edges = {(e["source"], e["target"], e["key"]): e for e in data["edges"]}
    assert edges[("subject:B", "subject:C", "sent")]["reports"] == ["r2"]
    assert edges[("subject:B", "account:KZ02", "holds")]["reports"] == ["r1", "r2"]
    back = nx.read_graphml(__import__("io").BytesIO(to_graphml(found)))
    assert set(back.nodes) == set(found.nodes)
    svg = to_svg(found, title="Bolat <B>")
    root = etree.fromstring(svg.encode())
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert "Bolat &lt;B&gt;" in svg and "reports r2" in svg
    assert svg.count("<circle") == found.number_of_nodes()


def test_a_mention_without_a_subject_is_refused() -> None:
    with pytest.raises(InputError, match="r5/1"):
        LinkGraph(MENTIONS, TRANSFERS, {k: v for k, v in SUBJECT_OF.items() if k != "r5/1"})
