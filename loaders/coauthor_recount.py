"""COAUTHOR edges of records whose works changed hands, recounted record by record.

When authorships move between records (a name regrouped), every co-author pair of a
moved authorship may have changed. Recounting pair by pair walks one record's works per
pair, so regrouping a prolific name costs pairs x works: at 1M papers that was most of a
load's settling time. Here each changed record's co-authors are counted in one walk over
its works (works x authors), compared with its stored edges in Python, and only the edges
that differ are written or deleted. The numbers are the loaders' (`graph_writer`):
weight = shared papers with at most `maxAuthors` authors, firstYear and lastYear of those,
one edge per pair, from the lower key to the higher.
"""

from __future__ import annotations

from collections.abc import Iterable

import neo4j

COUNTED = """
UNWIND $keys AS key
MATCH (a:Author {key: key})
RETURN key,
  COLLECT {
    MATCH (a)-[:AUTHORED]->(p:Paper)<-[:AUTHORED]-(b:Author)
    WHERE p.authorCount <= $maxAuthors AND b <> a
    WITH b.key AS other, count(p) AS shared, min(p.year) AS firstYear, max(p.year) AS lastYear
    RETURN [other, shared, firstYear, lastYear]
  } AS counted,
  COLLECT {
    MATCH (a)-[c:COAUTHOR]-(b:Author)
    RETURN [b.key, c.weight, c.firstYear, c.lastYear]
  } AS stored
"""
"""Per record, its co-authors as its works say and as its COAUTHOR edges say."""

UPSERT = """
UNWIND $edges AS e
MATCH (a:Author {key: e[0]})
MATCH (b:Author {key: e[1]})
MERGE (a)-[c:COAUTHOR]->(b)
SET c.weight = e[2], c.firstYear = e[3], c.lastYear = e[4]
"""

DROP = """
UNWIND $pairs AS pair
MATCH (:Author {key: pair[0]})-[c:COAUTHOR]-(:Author {key: pair[1]})
DELETE c
"""

WRITE_ROWS = 5000
"""Edges per write statement: large UNWINDs, not one statement per pair."""


def recount_coauthors(
    tx: neo4j.ManagedTransaction, keys: Iterable[str], max_authors: int
) -> list[neo4j.ResultSummary]:
    """Make the COAUTHOR edges of the records `keys` (those that gained or lost works; a
    key no longer in the graph is skipped) agree with their works."""
    upsert: dict[tuple[str, str], list[object]] = {}
    drop: set[tuple[str, str]] = set()
    rows = tx.run(COUNTED, keys=sorted(set(keys)), maxAuthors=max_authors)
    for row in rows:
        key = row["key"]
        counted = {other: (shared, first, last) for other, shared, first, last in row["counted"]}
        stored = {other: (w, first, last) for other, w, first, last in row["stored"]}
        for other, numbers in counted.items():
            if stored.get(other) != numbers:
                pair = (min(key, other), max(key, other))
                upsert[pair] = [*pair, *numbers]
        drop.update((min(key, o), max(key, o)) for o in stored.keys() - counted.keys())
    done = []
    edges = [upsert[pair] for pair in sorted(upsert)]
    for start in range(0, len(edges), WRITE_ROWS):
        done.append(tx.run(UPSERT, edges=edges[start : start + WRITE_ROWS]).consume())
    gone = sorted(drop)
    for start in range(0, len(gone), WRITE_ROWS):
        done.append(tx.run(DROP, pairs=gone[start : start + WRITE_ROWS]).consume())
    return done
