"""The co-author graph as numeric arrays: what a sparse matrix is built from.

Python objects per edge (a dict of dicts, as networkx keeps) cost ~260 bytes an edge and
most of the time; here Neo4j's internal node ids come back as lists of ints, a chunk of
authors per query and one row per chunk, and go straight into numpy arrays: 16 bytes an
edge while reading, 12 once the ids are dense int32 indices. Internal ids are stable
while the run lasts (Neo4j reuses an id only after its node is deleted), and reading and
writing by id seeks the node without an index lookup.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field

import neo4j
import numpy as np
import numpy.typing as npt
from scipy import sparse
from tqdm import tqdm

CHUNK = 20_000
"""Authors per read query: ~0.3M edges a chunk at arXiv's density, a few MB of lists."""

AHEAD = 2
"""Chunk queries in flight at once."""

AUTHOR_IDS = "MATCH (a:Author) RETURN collect(id(a)) AS ids"
"""Every author, for the whole graph."""

TOPIC_AUTHOR_IDS = """
MATCH (:Topic {code: $topic})<-[:HAS_TOPIC]-(:Paper)<-[:AUTHORED]-(a:Author)
RETURN collect(DISTINCT id(a)) AS ids
"""
"""The authors who published in a topic (any of a paper's categories counts)."""

EDGES_FROM = """
UNWIND $ids AS id
MATCH (a:Author)-[c:COAUTHOR]->(b)
WHERE id(a) = id
RETURN collect(id) AS sources, collect(id(b)) AS targets,
       collect(coalesce(c.weight, 1)) AS weights
"""
"""The COAUTHOR edges leaving a chunk of authors, as three parallel lists in one row.
Each pair has one edge (stored from the lower key), so every edge comes once."""

QUIET = neo4j.NotificationMinimumSeverity.OFF
"""No notifications for these sessions, as for the driver's (`kg.core.db`): a session that
names its own filter replaces the driver's. `id()` is deprecated in favour of `elementId()`,
whose strings would cost ~5 times the bytes, and on a graph never analysed before the
properties the write-back reads do not exist yet; either would be logged once a query."""


@dataclass
class CoauthorArrays:
    """The weighted co-author graph: `node_ids[i]` is node i's Neo4j id; edge k joins
    `sources[k]` and `targets[k]` (dense indices) with `weights[k]` shared works."""

    node_ids: npt.NDArray[np.int64]
    sources: npt.NDArray[np.int32]
    targets: npt.NDArray[np.int32]
    weights: npt.NDArray[np.float32]
    isolated: npt.NDArray[np.int64] = field(default_factory=lambda: np.zeros(0, np.int64))
    """The Neo4j ids of the authors in scope without an edge in scope: the only ones that
    can hold values of an earlier run that this one does not overwrite."""

    @property
    def nodes(self) -> int:
        return len(self.node_ids)

    @property
    def edges(self) -> int:
        return len(self.weights)

    def adjacency(self) -> sparse.csr_matrix:
        """The symmetric weighted adjacency matrix (each edge in both directions)."""
        n = self.nodes
        rows = np.concatenate([self.sources, self.targets])
        cols = np.concatenate([self.targets, self.sources])
        data = np.concatenate([self.weights, self.weights]).astype(np.float64)
        return sparse.csr_matrix((data, (rows, cols)), shape=(n, n))


def _session(drv: neo4j.Driver, database: str) -> neo4j.Session:
    return drv.session(
        database=database,
        default_access_mode=neo4j.READ_ACCESS,
        notifications_min_severity=QUIET,
    )


def author_ids(drv: neo4j.Driver, database: str, topic: str | None) -> npt.NDArray[np.int64]:
    """The authors in scope, sorted by id."""
    with _session(drv, database) as s:
        record = (s.run(TOPIC_AUTHOR_IDS, topic=topic) if topic else s.run(AUTHOR_IDS)).single(
            strict=True
        )
    return np.sort(np.array(record["ids"], dtype=np.int64))


def _fetch(
    drv: neo4j.Driver, database: str, ids: list[int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    with _session(drv, database) as s:
        record = s.run(EDGES_FROM, ids=ids).single(strict=True)
    return (
        np.array(record["sources"], dtype=np.int64),
        np.array(record["targets"], dtype=np.int64),
        np.array(record["weights"], dtype=np.float32),
    )


def _chunks(
    drv: neo4j.Driver, database: str, ids: npt.NDArray[np.int64], size: int
) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Chunks in order, two asked for at a time: Neo4j expands one while the driver
    unpacks the other."""
    starts = list(range(0, len(ids), size))
    with ThreadPoolExecutor(max_workers=AHEAD) as pool:
        pending: deque[Future[tuple[np.ndarray, np.ndarray, np.ndarray]]] = deque()
        for start in starts:
            pending.append(pool.submit(_fetch, drv, database, ids[start : start + size].tolist()))
            if len(pending) == AHEAD:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


def read(
    drv: neo4j.Driver,
    database: str,
    topic: str | None = None,
    progress: bool = True,
    chunk: int = CHUNK,
) -> CoauthorArrays:
    """The COAUTHOR edges among the authors in scope (all, or one topic's), as arrays.

    Authors without an edge in scope are left out: they get no values, as before."""
    scope = author_ids(drv, database, topic)
    sources: list[npt.NDArray[np.int32]] = []
    targets: list[npt.NDArray[np.int32]] = []
    weights: list[npt.NDArray[np.float32]] = []
    with tqdm(
        total=len(scope), unit=" authors", unit_scale=True, desc="read", disable=not progress
    ) as bar:
        for src, dst, w in _chunks(drv, database, scope, chunk):
            at = np.searchsorted(scope, dst)
            inside = at < len(scope)
            inside[inside] = scope[at[inside]] == dst[inside]
            sources.append(np.searchsorted(scope, src[inside]).astype(np.int32))
            targets.append(at[inside].astype(np.int32))
            weights.append(w[inside])
            bar.update(min(chunk, len(scope) - bar.n))
    return _compact(
        scope,
        np.concatenate(sources) if sources else np.zeros(0, np.int32),
        np.concatenate(targets) if targets else np.zeros(0, np.int32),
        np.concatenate(weights) if weights else np.zeros(0, np.float32),
    )


def _compact(
    scope: npt.NDArray[np.int64],
    sources: npt.NDArray[np.int32],
    targets: npt.NDArray[np.int32],
    weights: npt.NDArray[np.float32],
) -> CoauthorArrays:
    """Keep only the authors with an edge, renumbered densely in id order."""
    used = np.zeros(len(scope), dtype=bool)
    used[sources] = True
    used[targets] = True
    index = np.cumsum(used, dtype=np.int64) - 1
    return CoauthorArrays(
        node_ids=scope[used],
        sources=index[sources].astype(np.int32),
        targets=index[targets].astype(np.int32),
        weights=weights,
        isolated=scope[~used],
    )
