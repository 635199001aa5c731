"""`kg bench load`: time both load paths on a snapshot file, against a Neo4j of its own.

The benchmark instance (`KG_BENCH_NEO4J_HOME`, ports 7688/7475 or `KG_BENCH_BOLT_PORT` and
`KG_BENCH_HTTP_PORT`) is separate from the dev and test instances, because each run empties it.
Each load runs in a fresh process so its peak RSS is the loader's own (the Java importer of
the bulk path is not counted in it).
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kg.bench import BenchError
from kg.core import neo4j_local
from kg.core.config import Settings
from kg.core.db import connected
from loaders import bulk_import, snapshot
from loaders.bulk_csv import Log
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

    def row(self) -> str:
        return (
            f"{self.path:<14} {self.papers:>10,} {self.seconds:>9.1f} "
            f"{self.papers / self.seconds:>10,.0f} {self.relationships:>13,} "
            f"{self.relationships / self.seconds:>10,.0f} {self.peak_rss_mb:>9.0f}"
        )


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


def _transactional(settings: Settings, path: Path, out: Any) -> None:
    with connected(settings) as drv:
        report = snapshot.load(settings, drv, path, restart=True, progress=False)
    out.put((len(report.rejects), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


CORPUS_MARKER = "bench-corpus"
"""File in the bench Neo4j's home naming the author pool of the corpus its graph was made
from (`kg bench api`/`hubs` write it); any other load removes it."""


def bulk_from_snapshot(settings: Settings, path: Path, log: Log = print) -> int:
    """Replace the stopped bench instance's graph with a snapshot file; returns the rejects.

    Shared by `bench load` and `bench api`, so both measure a graph built the same way.
    """
    (settings.neo4j_home / CORPUS_MARKER).unlink(missing_ok=True)
    rejects = RejectLog()
    records = (record for _, record in snapshot.read(path, rejects))
    work = path.parent / f".kg-bench-{path.name}"
    bulk_import.bulk_load(settings, records, work, log=log, force=True)
    return len(rejects)


def _bulk(settings: Settings, path: Path, out: Any) -> None:
    rejected = bulk_from_snapshot(settings, path, log=lambda _: None)
    out.put((rejected, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def _run(kind: str, settings: Settings, path: Path) -> Figures:
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    target = _transactional if kind == "transactional" else _bulk
    started = time.perf_counter()
    proc = ctx.Process(target=target, args=(settings, path, queue))
    proc.start()
    rejected, rss = queue.get()
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
    )


def empty_store(settings: Settings, scratch: Path) -> None:
    """Replace the stopped bench instance's graph with an empty one, schema applied and
    running: where a transactional load starts."""
    bulk_import.bulk_load(settings, iter(()), scratch, log=lambda _: None, force=True)


def load_benchmark(base: Settings, path: Path, paths: list[str], batch_size: int) -> list[Figures]:
    settings = bench_settings(base).with_(batch_size=batch_size)
    results = []
    for kind in paths:
        neo4j_local.stop(settings, log=lambda _: None)
        if kind == "transactional":
            empty_store(settings, path.parent / ".kg-bench-empty")
        results.append(_run(kind, settings, path))
    return results
