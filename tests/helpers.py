"""Small query helpers for assertions against the real graph."""

from __future__ import annotations

import socket
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import neo4j

from kg.core.config import Settings
from loaders import openalex_writer
from loaders.records import PaperRecord, make_record

if TYPE_CHECKING:
    from pytest import MonkeyPatch
    from starlette.testclient import TestClient


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


def snapshot(db: neo4j.Driver) -> list[dict[str, Any]]:
    """Every node and edge with its identity and properties, in a stable order."""
    return sorted(rows(db, SNAPSHOT), key=repr)


CONTENT = """
MATCH (n) WHERE NOT n:SchemaMigration AND NOT n:LoadCheckpoint
RETURN labels(n) AS what, properties(n) AS props
UNION ALL
MATCH (a)-[r]->(b)
RETURN [type(r), coalesce(a.key, a.arxivId), coalesce(b.key, b.arxivId, b.code)] AS what,
  properties(r) AS props
"""


def content(db: neo4j.Driver) -> list[str]:
    """Every node and edge by what it is, not by its internal id (a reload renumbers)."""
    return sorted(repr(r) for r in rows(db, CONTENT))


def free_port() -> int:
    """A port nothing listens on now, so concurrent test runs never collide on one."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def throwaway_instance(settings: Settings, home: Path) -> Settings:
    """A small Neo4j instance of a test's own, on free ports, sharing the jar cache."""
    bolt_port, http_port = free_port(), free_port()
    return settings.with_(
        neo4j_home=home,
        bolt_port=bolt_port,
        http_port=http_port,
        neo4j_uri=f"bolt://127.0.0.1:{bolt_port}",
        neo4j_password_env=None,
        neo4j_heap="256m",
        neo4j_pagecache="64m",
    )


def use(instance: Settings, monkeypatch: MonkeyPatch) -> None:
    """Point `kg` commands run in-process at `instance`."""
    for name, setting in (
        ("KG_NEO4J_HOME", str(instance.neo4j_home)),
        ("KG_BOLT_PORT", str(instance.bolt_port)),
        ("KG_HTTP_PORT", str(instance.http_port)),
        ("KG_NEO4J_URI", instance.neo4j_uri),
        ("KG_NEO4J_HEAP", instance.neo4j_heap),
        ("KG_NEO4J_PAGECACHE", instance.neo4j_pagecache),
    ):
        monkeypatch.setenv(name, setting)
    monkeypatch.delenv("KG_NEO4J_PASSWORD", raising=False)


def local_api(url: str) -> list[str]:
    """CLI flags that point a load at a local feed server, with no courtesy delay."""
    return ["--arxiv-url", url, "--arxiv-delay", "0", "--quiet"]


def gql(
    client: TestClient, query: str, headers: dict[str, str] | None = None, **variables: Any
) -> dict[str, Any]:
    """POST a GraphQL request; the transport must succeed whatever the GraphQL outcome."""
    response = client.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def codes(body: dict[str, Any]) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors") or []]


def coauthors(db: neo4j.Driver, key: str) -> dict[str, int]:
    """A record's COAUTHOR partners and their weights."""
    found = rows(
        db,
        "MATCH (:Author {key: $key})-[c:COAUTHOR]-(b) RETURN b.key AS b, c.weight AS w",
        key=key,
    )
    return {r["b"]: r["w"] for r in found}


def paper(number: int, names: list[str], category: str = "cs.LG", year: int = 2020) -> PaperRecord:
    """A made-up paper `2001.<number>` by `names`, for identity and OpenAlex tests."""
    return make_record(
        raw_id=f"2001.{number:05d}",
        title=f"Paper {number}",
        abstract="",
        published=date(year, 1, 1 + number % 28),
        updated=None,
        primary_category=category,
        categories=[category],
        authors=[(n, []) for n in names],
    )


def dies_on_batch(monkeypatch: MonkeyPatch, n: int) -> Callable[[], None]:
    """Make the OpenAlex loader's `n`th batch write raise `RuntimeError("killed")`, as a
    killed load would stop there; returns the function that puts the real writer back."""
    real, calls = openalex_writer.write_works, []

    def write(driver: neo4j.Driver, database: str, batch: list[Any]) -> Any:
        calls.append(batch)
        if len(calls) == n:
            raise RuntimeError("killed")
        return real(driver, database, batch)

    monkeypatch.setattr("loaders.openalex_pipeline.write_works", write)
    return lambda: monkeypatch.setattr("loaders.openalex_pipeline.write_works", real)


YEAR_ERRORS = """
MATCH (a:Author)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author)
WHERE a.key < b.key AND p.authorCount <= $maxAuthors
WITH a, b, p.year AS year, count(DISTINCT p) AS n ORDER BY year
WITH a, b, collect(year) AS years, collect(n) AS counts
OPTIONAL MATCH (a)-[c:COAUTHOR]-(b)
WITH a, b, years, counts, collect(c) AS edges
WHERE size(edges) <> 1 OR edges[0].years <> years OR edges[0].yearWorks <> counts
   OR edges[0].weight <> reduce(s = 0, n IN counts | s + n)
   OR edges[0].firstYear <> years[0] OR edges[0].lastYear <> years[-1]
   OR edges[0].years IS NULL
RETURN [a.key, b.key, size(edges), years, counts, [e IN edges | properties(e)]] AS error
UNION ALL
MATCH (a:Author)-[c:COAUTHOR]-(b:Author) WHERE a.key < b.key
  AND NOT EXISTS {
    MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b) WHERE p.authorCount <= $maxAuthors
  }
RETURN [a.key, b.key, 'an edge without shared works'] AS error
"""


def coauthor_year_errors(db: neo4j.Driver, max_authors: int = 100) -> list[str]:
    """Every co-author pair whose COAUTHOR edge disagrees with its shared works: one edge per
    pair, weight, first and last year, and the per-year counts (`years`, `yearWorks`)."""
    return sorted(repr(r["error"]) for r in rows(db, YEAR_ERRORS, maxAuthors=max_authors))
