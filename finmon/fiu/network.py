"""Link analysis: the subjects, accounts and reports of the FIU's records as one graph.

Nodes are subjects (the people and organisations entity resolution found behind the mentions),
accounts and reports; edges say how two of them meet, each with the reports that show it:
a subject is *named in* a report, *holds* an account a report gives for it, *sent* money to
another subject (the report's transfers, summed per pair and direction). From it come the
questions an analyst asks (docs/fiu.md): a subject's network within N hops, the money paths
from one subject to another, the subjects that share an identifier, and the subjects reported
by several entities. The graph is a networkx MultiDiGraph; nothing here is drawn by hand but the
SVG picture, whose layout networkx computes.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any, TypeAlias
from xml.sax.saxutils import escape, quoteattr

import networkx as nx

from finmon.errors import InputError
from finmon.fiu.records import Mention, Transfer

MAX_HOPS = 4
"""Farthest a network is followed: past four hops most subjects meet everyone through banks."""
MAX_DRAWN = 400
"""Most nodes one picture draws; a larger network is cut to the nodes nearest its centre."""
MAX_PATHS = 50
"""Most money paths listed between two subjects."""
LINKING = ("account", "phone", "address", "passport", "id_card")
"""Identifiers that two different subjects may share and that say something when they do
(IIN and BIN identify a subject: resolution merges on them)."""

Node = str
"""'subject:ID', 'account:VALUE' or 'report:KEY'."""
Graph: TypeAlias = "nx.MultiDiGraph[Node]"


@dataclass(frozen=True, slots=True)
class Shared:
    """An identifier held by more than one subject."""

    kind: str
    value: str
    subjects: tuple[str, ...]


class LinkGraph:
    """Subjects, accounts and reports with the edges between them."""

    def __init__(
        self,
        mentions: Iterable[Mention],
        transfers: Iterable[Transfer],
        subject_of: Mapping[str, str],
        names: Mapping[str, str] | None = None,
    ) -> None:
        """Build the graph; `subject_of` maps every mention id to its subject's id, `names`
        a subject's id to the name shown for it."""
        self.graph: Graph = nx.MultiDiGraph()
        self._names = dict(names or {})
        self._holders: dict[tuple[str, str], set[str]] = defaultdict(set)
        self._entities: dict[str, set[str]] = defaultdict(set)
        self._reports: dict[str, set[str]] = defaultdict(set)
        for mention in mentions:
            self._add_mention(mention, subject_of)
        self._add_transfers(transfers, subject_of)

    def _add_mention(self, mention: Mention, subject_of: Mapping[str, str]) -> None:
        subject = subject_of.get(mention.id)
        if subject is None:
            raise InputError(f"mention {mention.id!r} has no subject")
        node = subject_node(subject)
        if node not in self.graph:
            label = self._names.get(subject, mention.name)
            self.graph.add_node(node, kind="subject", label=label, subject_kind=mention.kind)
        report = f"report:{mention.report}"
        self.graph.add_node(report, kind="report", label=mention.report, entity=mention.entity)
        self._link(node, report, "named_in", mention.report)
        self._entities[subject].add(mention.entity)
        self._reports[subject].add(mention.report)
        for identifier in mention.identifiers:
            self._holders[(identifier.kind, identifier.value)].add(subject)
            if identifier.kind == "account":
                account = f"account:{identifier.value}"
                self.graph.add_node(account, kind="account", label=identifier.value)
                self._link(node, account, "holds", mention.report)

    def _add_transfers(self, transfers: Iterable[Transfer], subject_of: Mapping[str, str]) -> None:
        sums: dict[tuple[str, str], list[Any]] = {}
        for transfer in transfers:
            if not transfer.source or not transfer.target:
                continue  # a report may name only one side of a transaction
            try:
                source = subject_node(subject_of[transfer.source])
                target = subject_node(subject_of[transfer.target])
            except KeyError as missing:
                message = f"transfer {transfer.number!r}: mention {missing} has no subject"
                raise InputError(message) from None
            found = sums.setdefault((source, target), [Decimal(0), 0, set()])
            found[0] += Decimal(transfer.amount)
            found[1] += 1
            found[2].add(transfer.report)
        for (source, target), (amount, count, reports) in sums.items():
            self.graph.add_edge(
                source, target, key="sent", kind="sent", amount=str(amount), count=count,
                reports=sorted(reports),
            )  # fmt: skip

    def _link(self, a: Node, b: Node, kind: str, report: str) -> None:
        if self.graph.has_edge(a, b, key=kind):
            reports = self.graph.edges[a, b, kind]["reports"]
            if report not in reports:
                reports.append(report)
        else:
            self.graph.add_edge(a, b, key=kind, kind=kind, reports=[report])

    def network(self, subject: str, hops: int = 2) -> Graph:
        """The subject's network: every node within `hops` edges of it, either direction."""
        node = self._node(subject)
        if not 1 <= hops <= MAX_HOPS:
            raise InputError(f"hops must be 1 to {MAX_HOPS}, not {hops}")
        near = nx.single_source_shortest_path_length(
            self.graph.to_undirected(as_view=True), node, hops
        )
        found: Graph = self.graph.subgraph(near).copy()
        found.graph["centre"] = node
        return found

    def money_paths(self, source: str, target: str, max_hops: int = 6) -> list[list[str]]:
        """Chains of transfers from one subject to the other (subject ids), shortest first."""
        start, end = self._node(source), self._node(target)
        money = nx.DiGraph((a, b) for a, b, kind in self.graph.edges(keys=True) if kind == "sent")
        if start not in money or end not in money:
            return []
        paths = nx.all_simple_paths(money, start, end, cutoff=max_hops)
        found = sorted(
            (path for _, path in zip(range(MAX_PATHS * 20), paths, strict=False)), key=len
        )
        return [[node.removeprefix("subject:") for node in path] for path in found[:MAX_PATHS]]

    def shared_identifiers(self) -> list[Shared]:
        """Identifiers (accounts, phones, addresses, documents) that several subjects hold."""
        shared = [
            Shared(kind, value, tuple(sorted(subjects)))
            for (kind, value), subjects in self._holders.items()
            if kind in LINKING and len(subjects) > 1
        ]
        return sorted(shared, key=lambda s: (-len(s.subjects), s.kind, s.value))

    def reported_by_several(self, entities: int = 2) -> list[tuple[str, tuple[str, ...]]]:
        """Subjects that at least `entities` reporting entities reported, most reported first."""
        found = [
            (subject, tuple(sorted(by)))
            for subject, by in self._entities.items()
            if len(by) >= entities
        ]
        return sorted(found, key=lambda item: (-len(item[1]), item[0]))

    def most_reported(self, limit: int = 100) -> list[tuple[str, int, tuple[str, ...]]]:
        """Subjects by the number of reports naming them, most first: (subject, reports,
        entities)."""
        found = [
            (subject, len(reports), tuple(sorted(self._entities[subject])))
            for subject, reports in self._reports.items()
        ]
        found.sort(key=lambda item: (-item[1], -len(item[2]), item[0]))
        return found[:limit]

    def _node(self, subject: str) -> Node:
        node = subject_node(subject)
        if node not in self.graph:
            raise InputError(f"no subject {subject!r} in the FIU's records")
        return node


def subject_node(subject: str) -> Node:
    """The graph's node of a subject id."""
    return f"subject:{subject}"


def to_json(graph: Graph) -> str:
    """Nodes and edges as JSON (networkx's node-link layout), every edge with its reports."""
    data = nx.node_link_data(graph, edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def to_graphml(graph: Graph) -> bytes:
    """GraphML for Gephi, yEd or i2-style tools (lists of reports joined by spaces)."""
    flat: Graph = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _flat(v) for k, v in data.items()})
    for a, b, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(a, b, key=key, **{k: _flat(v) for k, v in data.items()})
    out = BytesIO()
    nx.write_graphml(flat, out)
    return out.getvalue()


def _flat(value: Any) -> str | int:
    if isinstance(value, list | tuple):
        return " ".join(map(str, value))
    return value if isinstance(value, int) else str(value)


COLOURS = {"subject": "#1f5f8b", "account": "#8b5a1f", "report": "#6b6b6b"}
WIDTH, HEIGHT, MARGIN = 960, 720, 40


def to_svg(graph: Graph, title: str = "") -> str:
    """The network drawn as a standalone SVG: subjects blue, accounts brown, reports grey; money
    as arrows; each edge's tooltip lists the reports behind it."""
    drawn = _cut(graph)
    positions = _layout(drawn)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label={quoteattr(title or "network")}>',
        "<defs><marker id='arrow' viewBox='0 0 10 10' refX='10' refY='5' markerWidth='6' "
        "markerHeight='6' orient='auto-start-reverse'><path d='M 0 0 L 10 5 L 0 10 z' "
        "fill='#b03030'/></marker></defs>",
        f"<title>{escape(title)}</title>" if title else "",
    ]
    for a, b, data in drawn.edges(data=True):
        parts.append(_edge(positions[a], positions[b], data))
    centre = drawn.graph.get("centre")
    for node, data in drawn.nodes(data=True):
        parts.append(_node_svg(node, data, positions[node], node == centre))
    if drawn.number_of_nodes() < graph.number_of_nodes():
        cut = graph.number_of_nodes() - drawn.number_of_nodes()
        parts.append(f'<text x="{MARGIN}" y="{HEIGHT - 10}">{cut} more nodes not drawn</text>')
    parts.append("</svg>")
    return "\n".join(part for part in parts if part)


def _cut(graph: Graph) -> Graph:
    """At most MAX_DRAWN nodes: those nearest the centre (or the best connected)."""
    if graph.number_of_nodes() <= MAX_DRAWN:
        return graph
    centre = graph.graph.get("centre")
    if centre is not None:
        near = nx.single_source_shortest_path_length(graph.to_undirected(as_view=True), centre)
        keep = sorted(near, key=near.__getitem__)[:MAX_DRAWN]
    else:
        keep = sorted(graph, key=graph.degree, reverse=True)[:MAX_DRAWN]
    cut: Graph = graph.subgraph(keep).copy()
    cut.graph.update(graph.graph)
    return cut


def _layout(graph: Graph) -> dict[Node, tuple[float, float]]:
    if graph.number_of_nodes() == 0:
        return {}
    raw: dict[Node, Any] = nx.spring_layout(
        nx.Graph(graph), seed=1, k=1.5 / math.sqrt(graph.number_of_nodes())
    )
    xs = [x for x, _ in raw.values()]
    ys = [y for _, y in raw.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {
        node: (
            MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN),
            MARGIN + (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN),
        )
        for node, (x, y) in raw.items()
    }


def _edge(a: tuple[float, float], b: tuple[float, float], data: Mapping[str, Any]) -> str:
    reports = ", ".join(data.get("reports", ()))
    if data["kind"] == "sent":
        tip = f"sent {data['amount']} in {data['count']} transfers; reports {reports}"
        style = "stroke='#b03030' stroke-width='2' marker-end='url(#arrow)'"
    else:
        tip = f"{data['kind'].replace('_', ' ')}; reports {reports}"
        style = "stroke='#999' stroke-width='1'"
    return (
        f"<line x1='{a[0]:.1f}' y1='{a[1]:.1f}' x2='{b[0]:.1f}' y2='{b[1]:.1f}' {style}>"
        f"<title>{escape(tip)}</title></line>"
    )


def _node_svg(node: Node, data: Mapping[str, Any], at: tuple[float, float], centre: bool) -> str:
    kind = data.get("kind", "subject")
    radius = 11 if centre else 8 if kind == "subject" else 6
    label = escape(str(data.get("label", node))[:40])
    ring = " stroke='#000' stroke-width='3'" if centre else ""
    fill = COLOURS.get(kind, "#444")
    return (
        f"<g><title>{escape(node)}</title>"
        f"<circle cx='{at[0]:.1f}' cy='{at[1]:.1f}' r='{radius}' fill='{fill}'{ring}/>"
        f"<text x='{at[0] + radius + 2:.1f}' y='{at[1] + 4:.1f}' font-size='11'>{label}</text></g>"
    )
