"""Who is central, and which groups work together: PageRank and communities of co-authors.

The COAUTHOR graph is read out of Neo4j as numeric arrays (coauthor_arrays), ranked
(scipy) and clustered (scikit-network) as a sparse matrix (ranking) and written back in
UNWIND batches (writeback): on `Author` for the whole graph, on
`(:Author)-[:TOPIC_RANK]->(:Topic)` for one topic's subgraph. About 150 bytes per COAUTHOR
edge at the peak (Louvain's working copies of the matrix), so the 1M-paper graph's 9.3M
edges fit in 1.4 GB, where networkx
(`analytics_networkx`, kept as the benchmark's baseline) needed ~6.5 GB. Authors without
a COAUTHOR edge in the graph analysed get no values: the PageRank of an isolated node says
nothing."""

from __future__ import annotations

import difflib
import resource
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import neo4j
import numpy as np

from kg.analysis import coauthor_arrays, ranking, writeback
from kg.core.errors import KgError

TOPIC_EXISTS = "MATCH (t:Topic {code: $topic}) RETURN t.code AS code"
TOPIC_CODES = """
MATCH (t:Topic)
RETURN t.code AS code ORDER BY COUNT { (t)<-[:HAS_TOPIC]-() } DESC, code
"""
"""Every topic, the largest first: to suggest one when a code is mistyped."""


class AnalyticsError(KgError):
    """A request that cannot be analysed, e.g. an unknown topic; the message says what would."""


@dataclass
class Ranked:
    """One author's result, for the summary."""

    key: str
    name: str
    pagerank: float
    community: int


@dataclass
class Report:
    """What a run found and how long each phase took."""

    topic: str | None
    nodes: int = 0
    edges: int = 0
    community_sizes: list[int] = field(default_factory=list)
    """Authors per community, largest first: community `i` has `community_sizes[i]`."""
    top: list[Ranked] = field(default_factory=list)
    cleared: int = 0
    seconds: dict[str, float] = field(default_factory=dict)
    """Wall seconds per phase: read, pagerank, communities, write."""
    peak_rss_mb: float = 0.0

    def summary(self) -> str:
        scope = f"topic {self.topic}" if self.topic else "whole graph"
        sizes = ", ".join(f"{n:,}" for n in self.community_sizes[:5])
        lines = [
            f"{scope}: {self.nodes:,} authors, {self.edges:,} COAUTHOR edges; "
            f"communities: {len(self.community_sizes):,} (largest: {sizes or '-'})",
            "top authors by PageRank:",
            *(
                f"  {i}. {r.name} ({r.key})  pagerank {r.pagerank:.6f}  community {r.community}"
                for i, r in enumerate(self.top, 1)
            ),
            "seconds: "
            + ", ".join(f"{phase} {s:.1f}" for phase, s in self.seconds.items())
            + f"; total {sum(self.seconds.values()):.1f}; peak RSS {self.peak_rss_mb:,.0f} MB",
            "Authors without a COAUTHOR edge"
            + (" to another author of the topic" if self.topic else "")
            + " get no values.",
        ]
        if self.cleared:
            lines.append(f"removed {self.cleared:,} stale values of an earlier run")
        return "\n".join(lines)


def check_topic(drv: neo4j.Driver, database: str, topic: str) -> None:
    """Fail with the likely codes when `topic` is not a topic of the graph."""
    found, _, _ = drv.execute_query(TOPIC_EXISTS, topic=topic, database_=database)
    if found:
        return
    records, _, _ = drv.execute_query(TOPIC_CODES, database_=database)
    codes = [r["code"] for r in records]
    close = difflib.get_close_matches(topic, codes, n=3, cutoff=0.5)
    hint = (
        f"did you mean {' or '.join(close)}?"
        if close
        else f"the largest are {', '.join(codes[:5])}"
        if codes
        else "the graph has no topics yet: load some papers first"
    )
    raise AnalyticsError(f"no topic {topic!r} in the graph (codes are arXiv categories); {hint}")


class Phases:
    """Wall seconds per phase into a report, one line each as it ends."""

    def __init__(self, report: Report, log: Callable[[str], None]) -> None:
        self.report, self.log, self.clock = report, log, time.perf_counter()

    def end(self, name: str, detail: str) -> None:
        now = time.perf_counter()
        self.report.seconds[name] = now - self.clock
        self.clock = now
        self.log(f"{name:<12} {detail}  ({self.report.seconds[name]:.1f}s)")


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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
    phases = Phases(report, log)

    graph = coauthor_arrays.read(drv, database, topic, progress)
    report.nodes, report.edges = graph.nodes, graph.edges
    adjacency = graph.adjacency()
    node_ids, isolated = graph.node_ids, graph.isolated
    del graph
    phases.end("read", f"{report.edges:,} COAUTHOR edges among {report.nodes:,} authors")
    # Neo4j would idle while Python computes: it reads the authors the write will change
    with writeback.warmed(drv, database, node_ids[:0] if topic else node_ids):
        ranks = ranking.pagerank(adjacency)
        phases.end("pagerank", f"{len(ranks):,} authors ranked")
        membership = ranking.communities(adjacency, seed, resolution)
        report.community_sizes = sorted(np.bincount(membership).tolist(), reverse=True)
        phases.end("communities", f"{len(report.community_sizes):,} found (Louvain, seed {seed})")
    del adjacency
    report.cleared = writeback.write(
        drv, database, node_ids, ranks, membership, topic, progress, isolated
    )
    phases.end("write", f"{len(ranks):,} authors" + (f" in {topic}" if topic else ""))
    best = np.lexsort((node_ids, -ranks))[:5]
    named = writeback.names(drv, database, node_ids[best].tolist())
    report.top = [
        Ranked(*named[int(node_ids[i])], float(ranks[i]), int(membership[i])) for i in best
    ]
    report.peak_rss_mb = peak_rss_mb()
    return report
