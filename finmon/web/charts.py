"""Charts drawn on the server as SVG: horizontal bars, lines over days, and a money-flow graph.

No script and no outside file: each chart is an <svg> element written into the page, readable by
a screen reader through its <title> and <desc>, styled by finmon.css classes (the pages' Content
Security Policy allows no inline style). Every text is escaped; every chart scales to its box
(viewBox, width 100%), so a page stays usable from 360 px wide.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

WIDTH = 640
ROW = 22
"""Height of one bar's row."""
LABEL = 200
"""Width kept for the bars' labels on the left."""
TOP, BOTTOM = 30, 34
BOX = (172, 28)
"""An account's box in the money flow: width, height."""


@dataclass(frozen=True, slots=True)
class Edge:
    """Money from one account to another: the transfers' count and their sum as text."""

    source: str
    target: str
    amount: str
    count: int
    weight: float
    """The sum as a number (in one currency), for the line's width."""


def bars(
    chart_id: str,
    title: str,
    items: Sequence[tuple[str, float]],
    *,
    unit: str = "",
    limit: float | None = None,
    limit_label: str = "",
    empty: str = "",
) -> Markup:
    """Horizontal bars, one per (label, value), with a value axis; a bar past `limit` (drawn as
    a dashed line) is marked late."""
    if not items:
        return _empty(chart_id, title, empty)
    height = TOP + ROW * len(items) + BOTTOM
    top_value = max([value for _, value in items] + ([limit] if limit is not None else []))
    ticks = _ticks(top_value, whole=all(float(value).is_integer() for _, value in items))
    scale = (WIDTH - LABEL - 60) / (ticks[-1] or 1)
    parts = [_head(chart_id, title, height, f"{len(items)}: " + _summary(items, unit))]
    for tick in ticks:
        x = LABEL + tick * scale
        parts.append(
            f'<line class="grid" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 4}" y2="{height - BOTTOM}"/>'
            f'<text class="tick" x="{x:.1f}" y="{height - BOTTOM + 14}" text-anchor="middle">'
            f"{_number(tick)}</text>"
        )
    for row, (label, value) in enumerate(items):
        y = TOP + row * ROW
        late = limit is not None and value > limit
        parts.append(
            f'<g class="bar{" late" if late else ""}"><title>{escape(label)}: '
            f"{_number(value)} {escape(unit)}</title>"
            f'<text class="label" x="{LABEL - 6}" y="{y + ROW / 2 + 4:.1f}" text-anchor="end">'
            f"{escape(_short(label, 22))}</text>"
            f'<rect x="{LABEL}" y="{y + 3}" width="{max(value * scale, 1):.1f}" '
            f'height="{ROW - 6}"/>'
            f'<text class="value" x="{LABEL + value * scale + 4:.1f}" y="{y + ROW / 2 + 4:.1f}">'
            f"{_number(value)}</text></g>"
        )
    if limit is not None:
        x = LABEL + limit * scale
        parts.append(
            f'<line class="limit" x1="{x:.1f}" x2="{x:.1f}" y1="{TOP - 8}" '
            f'y2="{height - BOTTOM}"/><text class="limit-label" x="{x:.1f}" y="{TOP - 12}" '
            f'text-anchor="middle">{escape(limit_label)}</text>'
        )
    parts.append(
        f'<text class="axis-label" x="{WIDTH - 4}" y="{height - 4}" text-anchor="end">'
        f"{escape(unit)}</text></svg>"
    )
    return Markup("".join(parts))


def lines(
    chart_id: str,
    title: str,
    days: Sequence[str],
    series: Sequence[tuple[str, Sequence[float]]],
    *,
    empty: str = "",
) -> Markup:
    """A line per (name, values), one value per day, with both axes and a legend."""
    if not days:
        return _empty(chart_id, title, empty)
    height, left, right = 240, 44, 12
    bottom = height - BOTTOM
    ticks = _ticks(
        max((max(values, default=0) for _, values in series), default=0),
        whole=all(float(v).is_integer() for _, values in series for v in values),
    )
    y_scale = (bottom - TOP) / (ticks[-1] or 1)
    step = (WIDTH - left - right) / max(len(days) - 1, 1)
    totals = "; ".join(f"{name} {_number(sum(values))}" for name, values in series)
    desc = f"{days[0]} .. {days[-1]}: {totals}"
    parts = [_head(chart_id, title, height, desc)]
    for tick in ticks:
        y = bottom - tick * y_scale
        parts.append(
            f'<line class="grid" x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}"/>'
            f'<text class="tick" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">'
            f"{_number(tick)}</text>"
        )
    every = max(1, math.ceil(len(days) / 6))
    for index, day in enumerate(days):
        if index % every == 0 or index == len(days) - 1:
            x = left + index * step
            parts.append(
                f'<text class="tick" x="{x:.1f}" y="{bottom + 14}" text-anchor="middle">'
                f"{escape(day[5:])}</text>"
            )
    parts.append(
        f'<line class="axis" x1="{left}" x2="{WIDTH - right}" y1="{bottom}" y2="{bottom}"/>'
    )
    for number, (name, values) in enumerate(series):
        points = [(left + i * step, bottom - v * y_scale) for i, v in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<g class="series s{number}"><polyline points="{path}"/>')
        for (x, y), day, value in zip(points, days, values, strict=True):
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{escape(day)}: '
                f"{escape(name)} {_number(value)}</title></circle>"
            )
        legend_x = left + 8 + number * 150
        parts.append(
            f'<rect x="{legend_x}" y="8" width="12" height="12"/>'
            f'<text class="label" x="{legend_x + 16}" y="18">{escape(name)}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def flow(chart_id: str, title: str, centre: str, edges: Sequence[Edge], empty: str = "") -> Markup:
    """Accounts as boxes and the money between them as arrows labelled with the sums: who paid
    the centre account on the left, whom it paid on the right, further hops beyond."""
    if not edges:
        return _empty(chart_id, title, empty)
    place, height = _placed(_columns(centre, edges))
    box_w, box_h = BOX
    heaviest = max(edge.weight for edge in edges) or 1
    degree: dict[str, int] = {}
    for edge in edges:
        for node in (edge.source, edge.target):
            degree[node] = degree.get(node, 0) + 1
    parts = [
        _head(chart_id, title, height, f"{len(place)} / {len(edges)}: {_edges_text(edges)}"),
        f'<defs><marker id="{chart_id}-arrow" viewBox="0 0 10 10" refX="9" refY="5" '
        'markerUnits="userSpaceOnUse" markerWidth="10" markerHeight="10" '
        'orient="auto-start-reverse">'
        '<path class="arrow" d="M0,0 L10,5 L0,10 z"/></marker></defs>',
    ]
    for edge in edges:
        (x1, y1), (x2, y2) = place[edge.source], place[edge.target]
        forward = x2 >= x1
        sx, tx = (x1 + box_w, x2) if forward else (x1, x2 + box_w)
        sy, ty = y1 + box_h / 2, y2 + box_h / 2
        bend = (tx - sx) / 2 or 40
        width = 1 + 5 * math.sqrt(edge.weight / heaviest)
        # The sum is written by the end with fewer arrows, where the labels do not crowd.
        near_source = degree[edge.source] <= degree[edge.target]
        lx = sx + (6 if forward else -6) if near_source else tx + (-12 if forward else 12)
        ly = (sy if near_source else ty) - 5
        anchor = "start" if forward == near_source else "end"
        parts.append(
            f'<g class="edge"><title>{escape(edge.source)} → {escape(edge.target)}: '
            f"{escape(edge.amount)} ({edge.count})</title>"
            f'<path d="M{sx:.1f},{sy:.1f} C{sx + bend:.1f},{sy:.1f} {tx - bend:.1f},{ty:.1f} '
            f'{tx:.1f},{ty:.1f}" stroke-width="{width:.1f}" '
            f'marker-end="url(#{chart_id}-arrow)"/>'
            f'<text class="edge-label" x="{lx:.1f}" y="{ly:.1f}" text-anchor="{anchor}">'
            f"{escape(edge.amount)}</text></g>"
        )
    for node, (x, y) in place.items():
        parts.append(
            f'<g class="node{" centre" if node == centre else ""}"><title>{escape(node)}</title>'
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{box_w}" height="{box_h}" rx="3"/>'
            f'<text class="label" x="{x + box_w / 2:.1f}" y="{y + box_h / 2 + 4:.1f}" '
            f'text-anchor="middle">{escape(_short(node, 24))}</text></g>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def _placed(columns: dict[str, int]) -> tuple[dict[str, tuple[float, float]], float]:
    """Each account's box's top left corner, its column's boxes centred; and the height."""
    by_column: dict[int, list[str]] = {}
    for node, column in sorted(columns.items(), key=lambda item: (item[1], item[0])):
        by_column.setdefault(column, []).append(node)
    first, last = min(by_column), max(by_column)
    (box_w, box_h), gap = BOX, 14
    tallest = max(len(nodes) for nodes in by_column.values())
    span = max(last - first, 1)
    place: dict[str, tuple[float, float]] = {}
    for column, nodes in by_column.items():
        x = 8 + (column - first) * (WIDTH - 16 - box_w) / span
        offset = TOP + (tallest - len(nodes)) * (box_h + gap) / 2
        for row, node in enumerate(nodes):
            place[node] = (x, offset + row * (box_h + gap))
    return place, TOP + tallest * (box_h + gap) + 10


def _columns(centre: str, edges: Sequence[Edge]) -> dict[str, int]:
    """Each account's column: the centre 0, who paid it -1, whom it paid +1, and so on."""
    columns = {centre: 0}
    for _ in range(len(edges) + 1):
        changed = False
        for edge in edges:
            if edge.source in columns and edge.target not in columns:
                columns[edge.target] = columns[edge.source] + 1
                changed = True
            elif edge.target in columns and edge.source not in columns:
                columns[edge.source] = columns[edge.target] - 1
                changed = True
        if not changed:
            break
    for edge in edges:  # transfers not linked to the centre: a column of their own beyond
        for node in (edge.source, edge.target):
            columns.setdefault(node, max(columns.values()) + 1)
    return columns


def _head(chart_id: str, title: str, height: float, desc: str) -> str:
    return (
        f'<svg class="chart" id="{chart_id}" viewBox="0 0 {WIDTH} {height:.0f}" width="100%" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )


def _empty(chart_id: str, title: str, message: str) -> Markup:
    return Markup(
        f"{_head(chart_id, title, 40, message)}"
        f'<text class="label" x="8" y="24">{escape(message)}</text></svg>'
    )


def _ticks(top: float, *, whole: bool = False) -> list[float]:
    """Round axis values from 0 past top: 0, 5, 10, ... (a step of 1, 2 or 5 times a power
    of ten, about five steps; whole numbers only for counts)."""
    if top <= 0:
        return [0, 1]
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if whole:
        step = max(step, 1)
    count = math.ceil(top / step)
    return [i * step for i in range(count + 1)]


def _number(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", "\u202f")
    return f"{value:,.1f}".replace(",", "\u202f")


def _short(text: str, length: int) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _summary(items: Sequence[tuple[str, float]], unit: str) -> str:
    return "; ".join(f"{label} {_number(value)} {unit}".strip() for label, value in items[:20])


def _edges_text(edges: Sequence[Edge]) -> str:
    return "; ".join(f"{e.source} → {e.target} {e.amount}" for e in edges[:20])
