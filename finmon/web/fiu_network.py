"""The FIU's network page: a subject's network within N hops drawn on the server as SVG (no
script, nothing fetched from elsewhere), with the reports behind every link in a table beside it;
without a subject, the subjects that several reporting entities reported, to start from.

Its routes join the pages' router (`finmon.web` imports this module).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse

from finmon.fiu.network import MAX_HOPS, subject_node, to_svg
from finmon.services import fiu_subjects
from finmon.services.users import WebUser
from finmon.web.deps import database, requires
from finmon.web.pages import PAGE_ROWS, _web_user, render, router
from finmon.workflow.access import Action

FiuRead = Annotated[WebUser, Depends(requires(Action.FIU_READ, _web_user))]


@router.get("/fiu/network")
def fiu_network_page(
    request: Request,
    user: FiuRead,
    subject: Annotated[str, Query(max_length=200)] = "",
    hops: Annotated[int, Query(ge=1, le=MAX_HOPS)] = 2,
) -> HTMLResponse:
    """A subject's network, or the subjects to start from."""
    db = database(request)
    context: dict[str, Any] = {"subject": subject, "hops": hops, "max_hops": MAX_HOPS}
    if not subject:
        graph = fiu_subjects.link_graph(user.name, db)
        labels = {node: data["label"] for node, data in graph.graph.nodes(data=True)}
        context["starts"] = [
            (found, labels.get(subject_node(found), found), reports, entities)
            for found, reports, entities in graph.most_reported(PAGE_ROWS)
        ]
        return render(request, "fiu_network.html", user, **context)
    found = fiu_subjects.subject_network(user.name, subject, hops, db=db)
    network = found.network
    title = f"{found.subject.name} ({found.subject.subject_id})"
    context["svg"] = to_svg(network, title=title)
    context["edges"] = [
        (network.nodes[a]["label"], network.nodes[b]["label"], data)
        for a, b, data in sorted(network.edges(data=True), key=lambda e: (e[2]["kind"], e[0]))
    ]
    return render(request, "fiu_network.html", user, **context)
