"""The networkx engine `kg analytics` had before: the benchmark's baseline.

networkx computes both in memory, so the collaboration graph is streamed out of Neo4j an
author at a time into a `nx.Graph` (about 0.26 GB per million COAUTHOR edges; 0.65 GB at
the peak, when PageRank's sparse matrix or Louvain's working copy sits beside it), and
the results go back by key. It writes the same properties and edges as `analytics.run`
(its Louvain may group a few authors differently, and its PageRank stops at a looser
tolerance); `kg bench analytics --baseline` runs both on the same graph.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from itertools import islice
from typing import Any

import neo4j
import networkx as nx
from tqdm import tqdm

from kg.analysis.analytics import Phases, Ranked, Report, check_topic, peak_rss_mb
from kg.analysis.writeback import CLEAR_AUTHORS, CLEAR_TOPIC

BATCH = 5000
"""Authors per write transaction: small enough for a 1g heap, large enough to be quick."""

COUNT_EDGES = "MATCH ()-[c:COAUTHOR]->() RETURN count(c) AS edges"
"""From Neo4j's count store: instant, for the progress bar."""

EDGES = """
MATCH (a:Author) WHERE a.key IS NOT NULL
WITH a ORDER BY a.key
CALL (a) {
  MATCH (a)-[c:COAUTHOR]->(b:Author)
  WITH b, c ORDER BY b.key
  RETURN collect(b.key) AS others, collect(coalesce(c.weight, 1)) AS weights
}
WITH a, others, weights WHERE others <> []
RETURN a.key AS key, others, weights
"""
"""Every co-author pair once (the edge is stored from the lower key), with shared works.
One row per author: a row per edge costs the driver 7 times as long (17 s against 2.4 s
for a million edges). In key order, so the graph networkx sees, and with it Louvain's
result for a seed, depends only on the data (the index gives the order for free)."""

TOPIC_EDGES = """
MATCH (:Topic {code: $topic})<-[:HAS_TOPIC]-(:Paper)<-[:AUTHORED]-(a:Author)
WITH collect(DISTINCT a) AS authors
UNWIND authors AS a
WITH a, authors ORDER BY a.key
CALL (a, authors) {
  MATCH (a)-[c:COAUTHOR]->(b:Author)
  WHERE b IN authors
  WITH b, c ORDER BY b.key
  RETURN collect(b.key) AS others, collect(coalesce(c.weight, 1)) AS weights
}
WITH a, others, weights WHERE others <> []
RETURN a.key AS key, others, weights
"""
"""COAUTHOR edges between two authors who both published in the topic (any of a paper's
categories counts); the weight is all their shared works, not only the topic's. One row
per author, in key order, as in EDGES. `b IN authors` is checked against a set Cypher
builds once: 8 times faster than asking each co-author for a paper in the topic."""

WRITE_AUTHORS = """
UNWIND $rows AS row
MATCH (a:Author {key: row.key})
SET a.pagerank = row.pagerank, a.community = row.community, a.analyticsAt = $at
"""


WRITE_TOPIC = """
MATCH (t:Topic {code: $topic})
UNWIND $rows AS row
MATCH (a:Author {key: row.key})
MERGE (a)-[r:TOPIC_RANK]->(t)
SET r.pagerank = row.pagerank, r.community = row.community, r.at = $at
"""


NAMES = "UNWIND $keys AS key MATCH (a:Author {key: key}) RETURN a.key AS key, a.name AS name"


def read_graph(
    drv: neo4j.Driver, database: str, topic: str | None = None, progress: bool = True
) -> nx.Graph:
    """The weighted co-author graph (of one topic's authors), streamed an author at a time."""
    with drv.session(
        database=database, default_access_mode=neo4j.READ_ACCESS, fetch_size=10_000
    ) as s:
        total = None if topic else s.run(COUNT_EDGES).single(strict=True)["edges"]
        result = s.run(TOPIC_EDGES, topic=topic) if topic else s.run(EDGES)
        with tqdm(
            total=total, unit=" edges", unit_scale=True, desc="read", disable=not progress
        ) as bar:
            return _build(result, bar)


def _build(records: Iterable[neo4j.Record], bar: tqdm) -> nx.Graph:
    graph = nx.Graph()
    same: dict[str, str] = {}  # one string object per key, not one per edge
    for key, others, weights in records:
        a = same.setdefault(key, key)
        graph.add_weighted_edges_from(
            (a, same.setdefault(b, b), w) for b, w in zip(others, weights, strict=True)
        )
        bar.update(len(others))
    return graph


def communities(graph: nx.Graph, seed: int, resolution: float) -> dict[str, int]:
    """Louvain communities numbered by size, largest 0 (ties: by first key), so the
    numbers mean something and stay put when the graph does."""
    found = nx.community.louvain_communities(
        graph, weight="weight", resolution=resolution, seed=seed
    )
    ordered = sorted(found, key=lambda c: (-len(c), min(c)))
    return {key: number for number, members in enumerate(ordered) for key in members}


def _batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    while batch := list(islice(rows, size)):
        yield batch


def write(
    drv: neo4j.Driver,
    database: str,
    ranks: dict[str, float],
    membership: dict[str, int],
    topic: str | None,
    progress: bool = True,
) -> int:
    """Write this run's values in batches, then drop what earlier runs left elsewhere.

    Writing first and clearing after means readers never see an empty ranking. Returns how
    many stale values were removed."""
    at = datetime.now(UTC)
    rows = ({"key": k, "pagerank": p, "community": membership[k]} for k, p in ranks.items())
    statement = WRITE_TOPIC if topic else WRITE_AUTHORS

    def put(tx: neo4j.ManagedTransaction, batch: list[dict[str, Any]]) -> None:
        tx.run(statement, rows=batch, at=at, topic=topic).consume()

    with (
        drv.session(database=database) as s,
        tqdm(total=len(ranks), unit=" authors", desc="write", disable=not progress) as bar,
    ):
        for batch in _batches(rows, BATCH):
            s.execute_write(put, batch)
            bar.update(len(batch))
        cleared = s.run(CLEAR_TOPIC if topic else CLEAR_AUTHORS, topic=topic, at=at).single()
    return int(cleared["cleared"]) if cleared else 0


def run(
    drv: neo4j.Driver,
    database: str,
    topic: str | None = None,
    seed: int = 42,
    resolution: float = 1.0,
    progress: bool = True,
    log: Callable[[str], None] = print,
) -> Report:
    """Read, rank, find communities, write back; one phase line each as it ends."""
    if topic:
        check_topic(drv, database, topic)
    report = Report(topic=topic)
    phase = Phases(report, log).end

    graph = read_graph(drv, database, topic, progress)
    report.nodes, report.edges = graph.number_of_nodes(), graph.number_of_edges()
    phase("read", f"{report.edges:,} COAUTHOR edges among {report.nodes:,} authors")
    ranks: dict[str, float] = nx.pagerank(graph, weight="weight") if report.edges else {}
    phase("pagerank", f"{len(ranks):,} authors ranked")
    membership = communities(graph, seed, resolution) if report.edges else {}
    report.community_sizes = sorted(Counter(membership.values()).values(), reverse=True)
    phase("communities", f"{len(report.community_sizes):,} found (Louvain, seed {seed})")
    del graph
    report.cleared = write(drv, database, ranks, membership, topic, progress)
    phase("write", f"{len(ranks):,} authors" + (f" in {topic}" if topic else ""))
    report.top = _top(drv, database, ranks, membership)
    report.peak_rss_mb = peak_rss_mb()
    return report


def _top(
    drv: neo4j.Driver,
    database: str,
    ranks: dict[str, float],
    membership: dict[str, int],
    n: int = 5,
) -> list[Ranked]:
    best = sorted(ranks, key=lambda k: (-ranks[k], k))[:n]
    found, _, _ = drv.execute_query(NAMES, keys=best, database_=database)
    names = {r["key"]: r["name"] for r in found}
    return [Ranked(k, names.get(k) or k, ranks[k], membership[k]) for k in best]
