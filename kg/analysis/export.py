"""A researcher's neighbourhood as a file that Gephi, Cytoscape or a notebook opens.

The graph is the one the GraphQL `context` field returns (queries/researcher_context.cypher),
so a file and the web panel always show the same people, works, topics and institutions.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any, BinaryIO

import neo4j
import networkx as nx

from kg.core import queries
from kg.core.errors import KgError
from kg.core.names import author_key

FORMATS = {"graphml": "graphml", "gexf": "gexf", "json": "json"}
"""Format name to file extension."""

MAX_LIMIT = 1000


class ExportError(KgError):
    """Nothing to export (unknown researcher, bad limit); the message says what to try."""


def ego_graph(
    drv: neo4j.Driver, database: str, researcher: str, depth: int = 1, limit: int = 25
) -> tuple[str, nx.Graph]:
    """The researcher's key and neighbourhood. `researcher` is an id (`ann-lee`) or a full
    name in any spelling (`Lee, Ann`), resolved like GraphQL `researcher(name:)`."""
    if depth not in (1, 2):
        raise ExportError("--depth must be 1 or 2")
    if not 1 <= limit <= MAX_LIMIT:
        raise ExportError(f"--limit must be between 1 and {MAX_LIMIT}")
    keys = list(dict.fromkeys([researcher, author_key(researcher)]))
    records, _, _ = drv.execute_query(
        queries.text("researcher_context"),
        keys=keys,
        depth=depth,
        limit=limit,
        spans=True,
        database_=database,
        routing_=neo4j.RoutingControl.READ,
    )
    rows = {r["key"]: r for r in records}
    key = next((k for k in keys if k in rows), None)
    if key is None:
        raise ExportError(
            f"no researcher with id or name {researcher!r}; find ids with "
            f"`kg query search_researchers --param query={_word(researcher)}*` "
            'or GraphQL `{ search(text: "...") { researchers { researcher { id name } } } }`'
        )
    return key, build(rows[key], key)


def _word(name: str) -> str:
    """A surname-like word to search for: the last of the name's key (`lee` for Ann Lee)."""
    return author_key(name).rsplit("-", 1)[-1] or "liu"


def node_id(kind: str, key: str) -> str:
    """Same ids as GraphQL `ContextNode.id`: kind and key, e.g. `work:2401.00001`."""
    return f"{kind.lower()}:{key}"


_ENDS = {
    "AUTHORED": ("RESEARCHER", "WORK"),
    "HAS_TOPIC": ("WORK", "TOPIC"),
    "AFFILIATED_WITH": ("RESEARCHER", "INSTITUTION"),
    "COAUTHOR": ("RESEARCHER", "RESEARCHER"),
}


def build(row: Mapping[str, Any], key: str) -> nx.Graph:
    """Nodes carry kind, key, label and depth; edges carry kind, `weight` (shared works) on
    COAUTHOR, and `firstYear` and `lastYear` (the years the edge spans: shared works,
    affiliation, the work's year). No attribute is ever None: GraphML and GEXF cannot
    store it."""
    graph = nx.Graph(researcher=key, truncated=bool(row["truncated"]))
    for n in row["nodes"]:
        graph.add_node(
            node_id(n["kind"], n["key"]),
            kind=n["kind"],
            key=n["key"],
            label=n["label"] or n["key"],
            depth=n["depth"],
        )
    for e in row["edges"]:
        source, target = _ENDS[e["kind"]]
        attrs: dict[str, Any] = {"kind": e["kind"]}
        if e["weight"] is not None and e["kind"] != "AFFILIATED_WITH":  # its weight: lastYear
            attrs["weight"] = e["weight"]
        for name in ("firstYear", "lastYear"):
            if e.get(name) is not None:
                attrs[name] = e[name]
        graph.add_edge(node_id(source, e["source"]), node_id(target, e["target"]), **attrs)
    return graph


def write(graph: nx.Graph, fmt: str, out: Path | BinaryIO) -> None:
    """GraphML, GEXF or node-link JSON to a path, or to a binary stream such as stdout."""
    if fmt == "graphml":
        nx.write_graphml(graph, out)
    elif fmt == "gexf":
        nx.write_gexf(graph, out)
    elif fmt == "json":
        text = json.dumps(nx.node_link_data(graph, edges="edges"), ensure_ascii=False, indent=1)
        data = (text + "\n").encode()
        if isinstance(out, Path):
            out.write_bytes(data)
        else:
            out.write(data)
    else:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def export_ego(
    drv: neo4j.Driver,
    database: str,
    researcher: str,
    fmt: str = "graphml",
    depth: int = 1,
    limit: int = 25,
    out: str | None = None,
) -> tuple[str, nx.Graph]:
    """Write the file (default `<id>-ego.<ext>` here; `-` is stdout) and say where."""
    key, graph = ego_graph(drv, database, researcher, depth, limit)
    if out == "-":
        write(graph, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
        return "-", graph
    path = Path(out or f"{key}-ego.{FORMATS[fmt]}")
    write(graph, fmt, path)
    return str(path), graph
