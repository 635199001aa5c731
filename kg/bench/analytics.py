"""`kg bench analytics`: `kg analytics` on the bench graph, phase by phase, with peak RSS.

Issue 13's target: the whole graph of 1M papers (~10M COAUTHOR edges) in 90 s and 3 GB.
Each run is a fresh process (spawned), so its peak RSS is that engine's own, and its
phases (read, pagerank + communities = compute, write) are the ones `kg analytics`
prints. With `--baseline` the networkx engine runs too, the two alternating round by
round on the same warm graph. Both write what a real run writes (Author properties, no
edges), so the bench graph is left as `kg analytics` would leave it.
"""

from __future__ import annotations

import multiprocessing as mp
import statistics
from dataclasses import dataclass, field
from typing import Any

from kg.analysis import analytics, analytics_networkx, coauthor_arrays
from kg.bench import BenchError
from kg.core.config import Settings
from kg.core.db import connected

ENGINES = ("sparse", "networkx")
"""`sparse` is `kg analytics` (scikit-network); `networkx` the engine it replaced."""


@dataclass
class Measured:
    """One engine's run: its report's phases and peak RSS."""

    engine: str
    round: int
    report: analytics.Report

    @property
    def compute(self) -> float:
        return self.report.seconds["pagerank"] + self.report.seconds["communities"]

    @property
    def total(self) -> float:
        return sum(self.report.seconds.values())

    def row(self) -> str:
        s = self.report.seconds
        return (
            f"{self.engine:<9} {self.round:>5} {s['read']:>7.1f} {self.compute:>8.1f} "
            f"{s['write']:>7.1f} {self.total:>7.1f} {self.report.peak_rss_mb:>8,.0f}"
        )


HEADER = (
    f"{'engine':<9} {'round':>5} {'read':>7} {'compute':>8} {'write':>7} {'total':>7} {'RSS MB':>8}"
)


@dataclass
class Results:
    """Every run of a benchmark, and what the graph held."""

    papers: int
    runs: list[Measured] = field(default_factory=list)

    def median(self, engine: str, figure: str) -> float:
        values = [
            r.report.peak_rss_mb if figure == "rss" else getattr(r, figure)
            for r in self.runs
            if r.engine == engine
        ]
        return statistics.median(values)

    def summary(self) -> str:
        first = self.runs[0].report
        lines = [
            f"whole graph of {self.papers:,} papers: {first.nodes:,} authors, "
            f"{first.edges:,} COAUTHOR edges, {len(first.community_sizes):,} communities "
            "(sparse engine)",
            HEADER,
            *(r.row() for r in self.runs),
        ]
        sparse_total = self.median("sparse", "total")
        per_million = 1e6 / max(first.edges, 1)
        lines.append(
            f"sparse: {sparse_total:.1f} s, {self.median('sparse', 'rss'):,.0f} MB peak RSS "
            f"(per million edges: {sparse_total * per_million:.1f} s, "
            f"{self.median('sparse', 'rss') * per_million:,.0f} MB)"
        )
        if any(r.engine == "networkx" for r in self.runs):
            nx_total = self.median("networkx", "total")
            lines.append(
                f"networkx / sparse (medians): time {nx_total / sparse_total:.1f}x, compute "
                f"{self.median('networkx', 'compute') / self.median('sparse', 'compute'):.1f}x, "
                f"peak RSS {self.median('networkx', 'rss') / self.median('sparse', 'rss'):.1f}x"
            )
        return "\n".join(lines)


def _one(engine: str, settings: Settings, seed: int, out: Any) -> None:
    run = analytics.run if engine == "sparse" else analytics_networkx.run
    with connected(settings) as drv:
        report = run(drv, settings.neo4j_database, seed=seed, progress=False, log=_quiet)
    out.put(report)


def _quiet(line: str) -> None:
    pass


def run_engine(engine: str, settings: Settings, seed: int) -> analytics.Report:
    """One `kg analytics` of the whole graph in a process of its own."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    proc = ctx.Process(target=_one, args=(engine, settings, seed, queue))
    proc.start()
    try:
        report: analytics.Report = queue.get()
    finally:
        proc.join()
    if proc.exitcode != 0:
        raise BenchError(f"the {engine} engine failed (exit {proc.exitcode}); its output is above")
    return report


def measure(
    settings: Settings,
    papers: int,
    baseline: bool,
    rounds: int,
    seed: int = 42,
    log: Any = print,
) -> Results:
    """Warm the page cache with one unmeasured read, then alternate the engines."""
    with connected(settings) as drv:
        warm = coauthor_arrays.read(drv, settings.neo4j_database, progress=False)
    log(f"warm-up read: {warm.edges:,} COAUTHOR edges among {warm.nodes:,} authors")
    del warm
    results = Results(papers)
    engines = ENGINES if baseline else ENGINES[:1]
    for n in range(1, rounds + 1):
        for engine in engines:
            measured = Measured(engine, n, run_engine(engine, settings, seed))
            log(measured.row())
            results.runs.append(measured)
    return results
