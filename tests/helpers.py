"""Small query helpers for assertions against the real graph."""

from __future__ import annotations

from typing import Any

import neo4j


def rows(drv: neo4j.Driver, cypher: str, **params: Any) -> list[dict[str, Any]]:
    return [r.data() for r in drv.execute_query(cypher, params).records]


def value(drv: neo4j.Driver, cypher: str, **params: Any) -> Any:
    records = drv.execute_query(cypher, params).records
    assert len(records) == 1, f"expected one row from {cypher!r}, got {len(records)}"
    return records[0][0]


SNAPSHOT = """
MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:LoadCheckpoint
RETURN elementId(n) AS id, labels(n) AS what, properties(n) AS props
UNION ALL
MATCH (a)-[r]->(b)
RETURN elementId(r) AS id, [type(r), elementId(a), elementId(b)] AS what, properties(r) AS props
"""


def snapshot(graph: neo4j.Driver) -> list[dict[str, Any]]:
    """Every node and edge with its identity and properties, in a stable order."""
    return sorted(rows(graph, SNAPSHOT), key=repr)
