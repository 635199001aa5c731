"""`kg bench load`: time both load paths on a snapshot file, against a Neo4j of its own.

The benchmark instance (`KG_BENCH_NEO4J_HOME`, ports 7688/7475 or `KG_BENCH_BOLT_PORT` and
`KG_BENCH_HTTP_PORT`) is separate from the dev and test instances, because each run empties it.
Each load runs in a fresh process so its peak RSS is the loader's own (the Java importer of
the bulk path is not counted in it). The bulk path's figures also count its record-pass
workers (sampled, summed with the loader), and split its time: the record pass, people and
pairs (with the hubs' strongest ties), the import, the start, schema and indexes; its ratio
is the whole load over the part only Neo4j can do (import + start + schema and indexes).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.bench import BenchError
from kg.core import neo4j_local
from kg.core.config import Settings
from kg.core.db import connected
from loaders import bulk_import, native, snapshot
from loaders.bulk_csv import Log
from loaders.bulk_pass import SnapshotPass
from loaders.pipeline import RejectLog

COUNTS = """
RETURN COUNT { (:Paper) } AS papers,
       COUNT { (n) WHERE NOT n:SchemaMigration AND NOT n:LoadCheckpoint } AS nodes,
       COUNT { ()-[]->() } AS relationships,
       COUNT { ()-[:COAUTHOR]->() } AS coauthor
"""


@dataclass
class Figures:
    path: str
    seconds: float
    papers: int
    nodes: int
    relationships: int
    coauthor: int
    peak_rss_mb: float
    rejected: int
    split: dict[str, float] = field(default_factory=dict)
    """Bulk path: seconds per phase (`PHASES`)."""
    workers_rss_mb: float = 0.0
    """Bulk path: peak of the loader and its record-pass workers together (sampled)."""
    steps: dict[str, float] = field(default_factory=dict)
    """Bulk path: "people and pairs" by step (`CsvStats.aggregate_steps`)."""
    engine: str = ""
    """Bulk path: what ran the record pass and the steps (`loaders.native.engine`)."""

    def row(self) -> str:
        return (
            f"{self.path:<14} {self.papers:>10,} {self.seconds:>9.1f} "
            f"{self.papers / self.seconds:>10,.0f} {self.relationships:>13,} "
            f"{self.relationships / self.seconds:>10,.0f} {self.peak_rss_mb:>9.0f}"
        )

    def phases(self) -> str:
        """The bulk load's time by phase, and the whole over what only Neo4j can do."""
        if not self.split:
            return ""
        neo4j_part = sum(self.split[p] for p in NEO4J_PHASES)
        total = sum(self.split.values())
        parts = ", ".join(f"{name} {self.split[name]:.1f}s" for name in PHASES)
        steps = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in self.steps.items())
        return (
            f"  {self.path}: {parts}; total {total:.1f}s = {total / neo4j_part:.2f}x "
            f"(import + start + schema {neo4j_part:.1f}s); peak RSS with workers "
            f"{self.workers_rss_mb:.0f} MB\n"
            f"  {self.path} in {self.engine}; people and pairs by step: {steps}"
        )


PHASES = ("record pass", "people and pairs", "import", "start", "schema")
NEO4J_PHASES = ("import", "start", "schema")


HEADER = (
    f"{'path':<14} {'papers':>10} {'seconds':>9} {'papers/s':>10} {'relationships':>13} "
    f"{'rels/s':>10} {'RSS MB':>9}"
)


def bench_settings(base: Settings) -> Settings:
    home = os.environ.get("KG_BENCH_NEO4J_HOME") or str(base.neo4j_home) + "-bench"
    bolt = int(os.environ.get("KG_BENCH_BOLT_PORT", "7688"))
    return base.with_(
        neo4j_home=Path(home),
        bolt_port=bolt,
        http_port=int(os.environ.get("KG_BENCH_HTTP_PORT", "7475")),
        neo4j_uri=f"bolt://127.0.0.1:{bolt}",
        neo4j_password_env=None,
        neo4j_heap=os.environ.get("KG_BENCH_HEAP", "4g"),
        neo4j_pagecache=os.environ.get("KG_BENCH_PAGECACHE", "4g"),
    )


def _transactional(settings: Settings, path: Path, out: Any, workers: int | None = None) -> None:
    with connected(settings) as drv:
        report = snapshot.load(settings, drv, path, restart=True, progress=False)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out.put((len(report.rejects), rss, {}, rss, {}, ""))


CORPUS_MARKER = "bench-corpus"
"""File in the bench Neo4j's home naming the author pool of the corpus its graph was made
from (`kg bench api`/`hubs` write it); any other load removes it."""


def bulk_from_snapshot(
    settings: Settings, path: Path, log: Log = print, workers: int | None = None
) -> int:
    """Replace the stopped bench instance's graph with a snapshot file; returns the rejects.

    Shared by `bench load` and `bench api`, so both measure a graph built the same way.
    """
    return len(_bulk_stats(settings, path, log, workers)[0])


def _bulk_stats(
    settings: Settings, path: Path, log: Log, workers: int | None
) -> tuple[RejectLog, bulk_import.BulkStats]:
    (settings.neo4j_home / CORPUS_MARKER).unlink(missing_ok=True)
    rejects = RejectLog()
    work = path.parent / f".kg-bench-{path.name}"
    source = SnapshotPass(path, rejects, workers=workers)
    stats = bulk_import.bulk_load(settings, source, work, log=log, force=True)
    return rejects, stats


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _python_tree(pid: int) -> list[int]:
    """`pid` and its Python descendants (record-pass and people workers), not the tools it
    runs (GNU sort, neo4j-admin's Java)."""
    found = [pid]
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as children:
                kids = [int(k) for k in children.read().split()]
        except OSError:
            continue
        for kid in kids:
            try:
                with open(f"/proc/{kid}/comm", encoding="ascii") as comm:
                    name = comm.read().strip()
            except OSError:
                continue
            if name.startswith(("python", "kg")):
                found += _python_tree(kid)
    return found


class _PeakSampler:
    """The peak summed RSS of this process and its Python workers, sampled 5 times a second
    (Linux `/proc`; elsewhere it stays 0)."""

    def __init__(self) -> None:
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, sum(_rss_mb(pid) for pid in _python_tree(me)))

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak


def _bulk(settings: Settings, path: Path, out: Any, workers: int | None = None) -> None:
    sampler = _PeakSampler()
    rejects, stats = _bulk_stats(settings, path, lambda _: None, workers)
    split = {
        "record pass": stats.csv.pass_seconds,
        "people and pairs": stats.csv.aggregate_seconds,
        "import": stats.import_seconds,
        "start": stats.start_seconds,
        "schema": stats.schema_seconds,
    }
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    steps = stats.csv.aggregate_steps
    out.put((len(rejects), rss, split, sampler.stop(), steps, native.engine()))


def _run(kind: str, settings: Settings, path: Path, workers: int | None) -> Figures:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    target = _transactional if kind == "transactional" else _bulk
    started = time.perf_counter()
    proc = ctx.Process(target=target, args=(settings, path, queue, workers))
    proc.start()
    rejected, rss, split, tree_rss, steps, engine = queue.get()
    proc.join()
    seconds = time.perf_counter() - started
    if proc.exitcode != 0:
        raise BenchError(f"the {kind} load failed (exit {proc.exitcode}); its output is above")
    with connected(settings) as drv:
        counts = drv.execute_query(COUNTS, database_=settings.neo4j_database).records[0]
    return Figures(
        kind,
        seconds,
        counts["papers"],
        counts["nodes"],
        counts["relationships"],
        counts["coauthor"],
        rss,
        rejected,
        split,
        tree_rss,
        steps,
        engine,
    )


def empty_store(settings: Settings, scratch: Path) -> None:
    """Replace the stopped bench instance's graph with an empty one, schema applied and
    running: where a transactional load starts."""
    bulk_import.bulk_load(settings, iter(()), scratch, log=lambda _: None, force=True)


def load_benchmark(
    base: Settings, path: Path, paths: list[str], batch_size: int, workers: int | None = None
) -> list[Figures]:
    """Each path in turn, each in a fresh process; `workers` for the bulk record pass."""
    settings = bench_settings(base).with_(batch_size=batch_size)
    results = []
    for kind in paths:
        neo4j_local.stop(settings, log=lambda _: None)
        if kind == "transactional":
            empty_store(settings, path.parent / ".kg-bench-empty")
        results.append(_run(kind, settings, path, workers))
    return results
