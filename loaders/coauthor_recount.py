"""COAUTHOR edges of records whose works changed hands, recounted record by record.

When authorships move between records (a name regrouped), every co-author pair of a
moved authorship may have changed. Recounting pair by pair walks one record's works per
pair, so regrouping a prolific name costs pairs x works: at 1M papers that was most of a
load's settling time. Here each changed record's co-authors are counted in one walk over
its works (works x authors), compared with its stored edges in Python, and only the edges
that differ are written or deleted. The numbers are the loaders' (`graph_writer`):
weight = shared papers with at most `maxAuthors` authors, firstYear and lastYear of those,
years and yearWorks their count per year; one edge per pair, from the lower key to the
higher.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import neo4j

from kg.core import queries
from kg.core.config import STRONG_TIES, TOPIC_COUNTS

COUNTED = """
UNWIND $keys AS key
MATCH (a:Author {key: key})
RETURN key,
  COLLECT {
    MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author)
    WHERE p.authorCount <= $maxAuthors AND b <> a AND p.year IS NOT NULL
    WITH b.key AS other, p.year AS year, count(p) AS shared
    RETURN [other, year, shared]
  } AS counted,
  COLLECT {
    MATCH (a)-[c:COAUTHOR]-(b:Author)
    RETURN [b.key, c.weight, c.firstYear, c.lastYear, c.years, c.yearWorks, elementId(c)]
  } AS stored
"""
"""Per record, its co-authors per year as its works say, and its COAUTHOR edges (with the
edge's element id, valid for the transaction: the writes below seek edges by it, since
matching an edge between two prolific records walks one of them)."""

CREATE = """
UNWIND $edges AS e
MATCH (a:Author {key: e[0]})
MATCH (b:Author {key: e[1]})
CREATE (a)-[:COAUTHOR {
  weight: e[2], firstYear: e[3], lastYear: e[4], years: e[5], yearWorks: e[6]
}]->(b)
"""

UPDATE = """
UNWIND $edges AS e
MATCH ()-[c:COAUTHOR]->() WHERE elementId(c) = e[0]
SET c.weight = e[1], c.firstYear = e[2], c.lastYear = e[3], c.years = e[4], c.yearWorks = e[5]
"""

DROP = """
UNWIND $edges AS id
MATCH ()-[c:COAUTHOR]->() WHERE elementId(c) = id
DELETE c
"""

STRONG_TIES_QUERY = queries.text("strong_ties")
TOPIC_COUNTS_QUERY = queries.text("topic_counts")

WRITE_ROWS = 5000
"""Edges per write statement: large UNWINDs, not one statement per pair."""


def recount_coauthors(
    tx: neo4j.ManagedTransaction, keys: Iterable[str], max_authors: int
) -> list[neo4j.ResultSummary]:
    """Make the COAUTHOR edges of the records `keys` (those that gained or lost works; a
    key no longer in the graph is skipped) agree with their works, and renew their topic
    counts."""
    keys = sorted(set(keys))
    create: dict[tuple[str, str], list[object]] = {}
    update: dict[str, list[object]] = {}
    drop: set[str] = set()
    touched: set[str] = set()
    for row in tx.run(COUNTED, keys=keys, maxAuthors=max_authors):
        key = row["key"]
        stored = {other: (tuple(numbers), edge) for other, *numbers, edge in row["stored"]}
        counted = _per_pair(row["counted"])
        for other, numbers in counted.items():
            if other not in stored:
                pair = (min(key, other), max(key, other))
                create[pair] = [*pair, *numbers]
            elif stored[other][0] != numbers:
                update[stored[other][1]] = [stored[other][1], *numbers]
        gone = {other: edge for other, (_, edge) in stored.items() if other not in counted}
        drop.update(gone.values())
        changed = [o for o, n in counted.items() if o not in stored or stored[o][0] != n]
        if changed or gone:
            touched.update([key, *changed, *gone])
    done = []
    for query, rows in (
        (CREATE, [create[pair] for pair in sorted(create)]),
        (UPDATE, [update[edge] for edge in sorted(update)]),
        (DROP, sorted(drop)),
    ):
        for start in range(0, len(rows), WRITE_ROWS):
            done.append(tx.run(query, edges=rows[start : start + WRITE_ROWS]).consume())
    if touched:
        done.append(refresh_strong_ties(tx, touched))
    if keys:  # their works changed, so may their topics
        done.append(refresh_topic_counts(tx, keys))
    return done


def refresh_strong_ties(tx: neo4j.ManagedTransaction, keys: Iterable[str]) -> neo4j.ResultSummary:
    """Renew the strongest-ties lists (`queries/strong_ties.cypher`) of records whose
    COAUTHOR edges changed; cheap for the many with few co-authors (a degree check)."""
    return tx.run(STRONG_TIES_QUERY, keys=sorted(set(keys)), keep=STRONG_TIES).consume()


def refresh_topic_counts(tx: neo4j.ManagedTransaction, keys: Iterable[str]) -> neo4j.ResultSummary:
    """Renew the works-per-topic lists (`queries/topic_counts.cypher`) of records whose works
    changed; cheap for the many with few works (a degree check)."""
    return tx.run(TOPIC_COUNTS_QUERY, keys=sorted(set(keys)), over=TOPIC_COUNTS).consume()


def _per_pair(rows: list[list[Any]]) -> dict[str, tuple[Any, ...]]:
    """(co-author, year, shared) rows as each co-author's edge: weight, firstYear, lastYear,
    years (ascending) and yearWorks, in the order the edge's properties are read."""
    years: dict[str, dict[int, int]] = {}
    for other, year, shared in rows:
        years.setdefault(other, {})[year] = shared
    edges = {}
    for other, by_year in years.items():
        ordered = sorted(by_year)
        counts = [by_year[y] for y in ordered]
        edges[other] = (sum(counts), ordered[0], ordered[-1], ordered, counts)
    return edges
