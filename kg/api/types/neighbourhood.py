"""The neighbourhood a graph panel draws around a researcher (`Researcher.context`).

A graph of plain nodes and edges, not of `Researcher`s and `Work`s: a panel draws it in one
go and follows a node's `key` to query more. Its types and the checks on its arguments
depend on nothing else in the API, so they stay out of the researcher module.
"""

from __future__ import annotations

from enum import Enum

import strawberry

from kg.api.context import Row
from kg.api.errors import bad_input
from kg.core.config import STRONG_TIES

MAX_CONTEXT_LIMIT = STRONG_TIES  # a hub's ties beyond its strongest are not kept in order


@strawberry.enum
class ContextNodeKind(Enum):
    RESEARCHER = "RESEARCHER"
    WORK = "WORK"
    TOPIC = "TOPIC"
    INSTITUTION = "INSTITUTION"


@strawberry.enum
class ContextEdgeKind(Enum):
    AUTHORED = "AUTHORED"
    HAS_TOPIC = "HAS_TOPIC"
    AFFILIATED_WITH = "AFFILIATED_WITH"
    COAUTHOR = "COAUTHOR"


@strawberry.type(description="A node of the researcher-in-context graph.")
class ContextNode:
    id: strawberry.ID = strawberry.field(
        description="Unique in the graph: kind and key, e.g. `work:2401.00001`."
    )
    key: str = strawberry.field(description="The id to query it by, e.g. a researcher id.")
    kind: ContextNodeKind
    label: str
    depth: int = strawberry.field(description="0 for the researcher, 1 adjacent, 2 beyond.")


@strawberry.type(description="An edge of the researcher-in-context graph.")
class ContextEdge:
    source: strawberry.ID
    target: strawberry.ID
    kind: ContextEdgeKind
    weight: int | None = strawberry.field(
        description="Shared works for COAUTHOR, last year listed for AFFILIATED_WITH."
    )
    first_year: int | None = strawberry.field(
        description="Year of the first shared work (COAUTHOR), of the first listing "
        "(AFFILIATED_WITH), of the work (AUTHORED, HAS_TOPIC): with `lastYear`, the years "
        "the edge spans, for showing the graph as of a year."
    )
    last_year: int | None = strawberry.field(
        description="Year of the latest shared work, listing or the work (see `firstYear`)."
    )


@strawberry.type(description="The neighbourhood a graph panel draws around a researcher.")
class ResearcherContext:
    nodes: list[ContextNode]
    edges: list[ContextEdge]
    truncated: bool = strawberry.field(
        description="True when some list was cut at `limit`: there is more around them."
    )


_SOURCE_KIND = {"AUTHORED": "researcher", "AFFILIATED_WITH": "researcher", "COAUTHOR": "researcher"}
_TARGET_KIND = {
    "AUTHORED": "work",
    "HAS_TOPIC": "topic",
    "AFFILIATED_WITH": "institution",
    "COAUTHOR": "researcher",
}


_NODE_KINDS = {kind.value: kind for kind in ContextNodeKind}
_EDGE_KINDS = {kind.value: kind for kind in ContextEdgeKind}


def check_neighbourhood(depth: int, limit: int) -> None:
    """Raise a BAD_USER_INPUT error unless `depth` and `limit` are ones a caller may ask."""
    if depth not in (1, 2):
        raise bad_input("`depth` must be 1 or 2")
    if not 1 <= limit <= MAX_CONTEXT_LIMIT:
        raise bad_input(f"`limit` must be between 1 and {MAX_CONTEXT_LIMIT}")


def researcher_context(row: Row) -> ResearcherContext:
    """The graph of a `researcher_context` row, each node's id made unique by its kind."""
    nodes = [
        ContextNode(
            id=strawberry.ID(f"{n['kind'].lower()}:{n['key']}"),
            key=n["key"],
            kind=_NODE_KINDS[n["kind"]],
            label=n["label"] or n["key"],
            depth=n["depth"],
        )
        for n in row["nodes"]
    ]
    edges = [
        ContextEdge(
            source=strawberry.ID(f"{_SOURCE_KIND.get(e['kind'], 'work')}:{e['source']}"),
            target=strawberry.ID(f"{_TARGET_KIND[e['kind']]}:{e['target']}"),
            kind=_EDGE_KINDS[e["kind"]],
            weight=e["weight"],
            first_year=e["firstYear"],
            last_year=e["lastYear"],
        )
        for e in row["edges"]
    ]
    return ResearcherContext(nodes=nodes, edges=edges, truncated=row["truncated"])
