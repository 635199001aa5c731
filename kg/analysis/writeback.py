"""Results back into the graph: parallel arrays in UNWIND batches, addressed by node id.

Lists of ints and floats pack several times faster than a map per row, and an id finds
its node without an index lookup. Values go on `Author` for the whole graph and on
`(:Author)-[:TOPIC_RANK]->(:Topic)` for one topic; this run's values are written first
and stale ones removed after, so readers never see an empty ranking.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime

import neo4j
import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from kg.analysis.coauthor_arrays import QUIET

BATCH = 10_000
"""Authors per write transaction: ~1 MB of parameters, well within a 1g heap."""

WRITERS = 2
"""Write transactions at once on the whole graph: Neo4j applies one batch while the driver
packs the next (disjoint authors, so they never wait on each other's locks)."""

WARM_CHUNK = 50_000
"""Authors per warm-up query: a second or two, so stopping it waits little."""

WARM_AUTHORS = """
UNWIND $ids AS id
MATCH (a:Author) WHERE id(a) = id
RETURN count(a.pagerank) + count(a.community) + count(a.analyticsAt) AS held
"""
"""Reads what WRITE_AUTHORS looks up on each author (its property chain), so those pages
are in Neo4j's page cache when the write comes: reading the COAUTHOR edges evicts them
when the store is larger than the cache."""

WRITE_AUTHORS = """
UNWIND range(0, size($ids) - 1) AS i
MATCH (a:Author) WHERE id(a) = $ids[i]
SET a.pagerank = $pageranks[i], a.community = $communities[i], a.analyticsAt = $at
"""

CLEAR_AUTHORS = """
MATCH (a:Author) WHERE a.analyticsAt IS NOT NULL AND a.analyticsAt <> $at
CALL (a) {
  REMOVE a.pagerank, a.community, a.analyticsAt
} IN TRANSACTIONS OF 10000 ROWS
RETURN count(*) AS cleared
"""
"""Values of an earlier run on authors that no longer have a COAUTHOR edge: every author's
properties read (the networkx engine's way; `write` is given those authors' ids instead)."""

CLEAR_ISOLATED = """
UNWIND $ids AS id
MATCH (a:Author) WHERE id(a) = id AND a.analyticsAt IS NOT NULL
REMOVE a.pagerank, a.community, a.analyticsAt
RETURN count(*) AS cleared
"""
"""The same for the authors the read found without an edge, by id: the only authors whose
values this run does not overwrite, so the only ones that can hold stale values."""

WRITE_TOPIC = """
MATCH (t:Topic {code: $topic})
UNWIND range(0, size($ids) - 1) AS i
MATCH (a:Author) WHERE id(a) = $ids[i]
MERGE (a)-[r:TOPIC_RANK]->(t)
SET r.pagerank = $pageranks[i], r.community = $communities[i], r.at = $at
"""

CLEAR_TOPIC = """
MATCH (:Author)-[r:TOPIC_RANK]->(:Topic {code: $topic}) WHERE r.at <> $at
CALL (r) {
  DELETE r
} IN TRANSACTIONS OF 10000 ROWS
RETURN count(*) AS cleared
"""
"""TOPIC_RANK edges of an earlier run for this topic that this run did not write."""


@contextmanager
def warmed(drv: neo4j.Driver, database: str, node_ids: npt.NDArray[np.int64]) -> Iterator[None]:
    """While the block runs (the compute, which leaves Neo4j idle), have Neo4j read the
    authors about to be written, in write order; stop at the end of the block, after the
    query under way. Read-only, so nothing is seen early; errors only cost the warm-up."""
    stop = threading.Event()

    def warm() -> None:
        try:
            with drv.session(
                database=database,
                default_access_mode=neo4j.READ_ACCESS,
                notifications_min_severity=QUIET,
            ) as s:
                for start in range(0, len(node_ids), WARM_CHUNK):
                    if stop.is_set():
                        return
                    s.run(WARM_AUTHORS, ids=node_ids[start : start + WARM_CHUNK].tolist()).consume()
        except (neo4j.exceptions.Neo4jError, neo4j.exceptions.DriverError):
            return

    thread = threading.Thread(target=warm, name="kg-analytics-warm", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def write(
    drv: neo4j.Driver,
    database: str,
    node_ids: npt.NDArray[np.int64],
    pageranks: npt.NDArray[np.float64],
    communities: npt.NDArray[np.int32],
    topic: str | None,
    progress: bool = True,
    isolated: npt.NDArray[np.int64] | None = None,
) -> int:
    """Write this run's values in batches, then drop what earlier runs left elsewhere:
    on the whole graph, on the `isolated` authors (all the others are overwritten; every
    author is scanned when they are not given); for a topic, its edges this run did not write.

    Returns how many stale values were removed."""
    at = datetime.now(UTC)
    statement = WRITE_TOPIC if topic else WRITE_AUTHORS

    def put(tx: neo4j.ManagedTransaction, start: int) -> None:
        end = start + BATCH
        tx.run(
            statement,
            ids=node_ids[start:end].tolist(),
            pageranks=pageranks[start:end].tolist(),
            communities=communities[start:end].tolist(),
            at=at,
            topic=topic,
        ).consume()

    def batch(start: int) -> int:
        with drv.session(database=database, notifications_min_severity=QUIET) as s:
            s.execute_write(put, start)
        return min(BATCH, len(node_ids) - start)

    # a topic's batches all MERGE onto one Topic node: in parallel they would only wait
    workers = 1 if topic else WRITERS
    with (
        ThreadPoolExecutor(max_workers=workers) as pool,
        tqdm(total=len(node_ids), unit=" authors", desc="write", disable=not progress) as bar,
    ):
        for written in pool.map(batch, range(0, len(node_ids), BATCH)):
            bar.update(written)
    if topic or isolated is None:
        with drv.session(database=database) as s:
            cleared = s.run(CLEAR_TOPIC if topic else CLEAR_AUTHORS, topic=topic, at=at).single()
        return int(cleared["cleared"]) if cleared else 0
    return _clear(drv, database, isolated)


def _clear(drv: neo4j.Driver, database: str, isolated: npt.NDArray[np.int64]) -> int:
    def clear(tx: neo4j.ManagedTransaction, start: int) -> int:
        ids = isolated[start : start + BATCH].tolist()
        return int(tx.run(CLEAR_ISOLATED, ids=ids).single(strict=True)["cleared"])

    with drv.session(database=database, notifications_min_severity=QUIET) as s:
        return sum(s.execute_write(clear, start) for start in range(0, len(isolated), BATCH))


NAMES = """
UNWIND $ids AS id
MATCH (a:Author) WHERE id(a) = id
RETURN id(a) AS id, a.key AS key, a.name AS name
"""


def names(drv: neo4j.Driver, database: str, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Key and name of a few authors by node id, for the summary."""
    with drv.session(
        database=database,
        default_access_mode=neo4j.READ_ACCESS,
        notifications_min_severity=QUIET,
    ) as s:
        found = list(s.run(NAMES, ids=ids))
    return {r["id"]: (r["key"], r["name"] or r["key"]) for r in found}
