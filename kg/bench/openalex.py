"""`kg bench openalex`: papers matched per second through the OpenAlex snapshot route, and the
loader's peak RSS, on the synthetic arXiv corpus and a synthetic OpenAlex snapshot made to
match it (`openalex_corpus`).

The load runs in a fresh process, as `kg bench load`'s do, so the peak RSS is the loader's
own: the snapshot route is meant to stream, and a flat figure from 100k to 1M papers says so.
"""

from __future__ import annotations

import gzip
import json
import multiprocessing as mp
import queue as queue_module
import resource
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.bench import BenchError, synthetic
from kg.bench import load as bench_load
from kg.bench.openalex_corpus import write_openalex_snapshot
from kg.core import migrations, neo4j_local
from kg.core.config import Settings
from kg.core.db import connected
from loaders import openalex_snapshot
from loaders.bulk_import import await_indexes

Log = Callable[[str], None]

HOLDS = """
UNWIND $ids AS id
OPTIONAL MATCH (p:Paper {arxivId: id})
RETURN id, p.title AS title, p.openalexId IS NOT NULL AS enriched,
       COUNT { (:Paper) } AS papers
"""
"""Whether the graph holds the corpus: every paper, and the first ones with the same titles
(ids depend on the corpus size only, titles on the seed too)."""

AFTER = """
RETURN COUNT { (p:Paper) WHERE p.citations IS NOT NULL } AS papers_with_citations,
       COUNT { ()-[:CITES]->() } AS cites,
       COUNT { (a:Author) WHERE a.openalexHIndex IS NOT NULL } AS authors_with_h_index
"""
PROBE = 200
"""Papers of the corpus compared with the graph before deciding to reuse it."""


@dataclass
class LoadFigures:
    """One snapshot-route load: what the loader reported, its time and memory, the graph after."""

    works_read: int
    works_matched: int
    authors_read: int
    authors_matched: int
    unmatched: int
    seconds: float
    peak_rss_mb: float
    papers_with_citations: int = 0
    cites: int = 0
    authors_with_h_index: int = 0
    phases: dict[str, float] = field(default_factory=dict)
    """Seconds per phase of the load (works, citations, people, authors)."""

    @property
    def papers_per_second(self) -> float:
        return self.works_matched / self.seconds if self.seconds else 0.0

    def summary(self) -> str:
        return "\n".join(
            [
                f"  works read            {self.works_read:>12,}",
                f"  works matched         {self.works_matched:>12,}   "
                f"({self.unmatched:,} papers of the graph not found)",
                f"  papers matched/s      {self.papers_per_second:>12,.0f}",
                f"  authors read          {self.authors_read:>12,}",
                f"  authors matched       {self.authors_matched:>12,}",
                f"  wall seconds          {self.seconds:>12,.1f}",
                f"  peak RSS of the load  {self.peak_rss_mb:>12,.0f} MB",
                "  phases                "
                + ", ".join(f"{name} {secs:.1f}s" for name, secs in self.phases.items()),
                "graph after:",
                f"  papers with citations {self.papers_with_citations:>12,}",
                f"  CITES edges           {self.cites:>12,}",
                f"  authors with h-index  {self.authors_with_h_index:>12,}",
            ]
        )


def _load(settings: Settings, directory: Path, progress: bool, out: Any) -> None:
    """The child process: one snapshot-route load, then its figures and peak RSS."""
    with connected(settings) as drv:
        report = openalex_snapshot.load(settings, drv, directory, progress=progress, restart=True)
    out.put(
        (
            report.works_read,
            report.works_matched,
            report.authors_read,
            report.authors_matched,
            report.unmatched,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            dict(report.phases),
        )
    )


def measure_snapshot_load(
    settings: Settings, directory: Path, *, progress: bool = False
) -> LoadFigures:
    """Load the OpenAlex snapshot `directory` into the graph of `settings` (running, holding the
    matching arXiv corpus) in a fresh process; its figures and the graph's counts after.

    Takes any graph, so a test can call it on the test Neo4j with a small corpus.
    """
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    started = time.perf_counter()
    proc = ctx.Process(target=_load, args=(settings, directory, progress, queue))
    proc.start()
    result = None
    while result is None and (proc.is_alive() or not queue.empty()):
        with suppress(queue_module.Empty):
            result = queue.get(timeout=0.5)
    proc.join()
    seconds = time.perf_counter() - started
    if proc.exitcode != 0 or result is None:
        raise BenchError(f"the OpenAlex snapshot load failed (exit {proc.exitcode}); see above")
    works_read, works_matched, authors_read, authors_matched, unmatched, rss, phases = result
    figures = LoadFigures(
        works_read, works_matched, authors_read, authors_matched, unmatched, seconds, rss
    )
    figures.phases = phases
    with connected(settings) as drv:
        after = drv.execute_query(AFTER, database_=settings.neo4j_database).records[0]
    figures.papers_with_citations = after["papers_with_citations"]
    figures.cites = after["cites"]
    figures.authors_with_h_index = after["authors_with_h_index"]
    return figures


def prepare(
    work_dir: Path, papers: int, seed: int, noise_share: float, log: Log = print
) -> tuple[Path, Path]:
    """(arXiv corpus, OpenAlex snapshot directory) for `papers` and `seed`, made once and kept
    in `work_dir` (the corpus is the one `kg bench api` makes and loads)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    corpus = work_dir / f"synthetic-{papers}-seed{seed}.jsonl.gz"
    if not corpus.is_file():
        log(synthetic.generate(corpus, papers, seed, progress=True).summary(corpus))
    snapshot = work_dir / f"openalex-{papers}-seed{seed}-noise{noise_share:g}"
    if not (snapshot / "synthetic.json").is_file():
        stats = write_openalex_snapshot(
            corpus, snapshot, seed=seed, noise_share=noise_share, progress=True
        )
        log(stats.summary(snapshot))
    return corpus, snapshot


def _first_papers(corpus: Path, n: int) -> dict[str, str]:
    titles = {}
    with gzip.open(corpus, "rt", encoding="utf-8") as f:
        for line, _ in zip(f, range(n), strict=False):
            paper = json.loads(line)
            titles[paper["id"]] = " ".join(paper["title"].split())
    return titles


def _why_reload(settings: Settings, corpus: Path, papers: int, keep: bool) -> str | None:
    """Why the bench graph must be loaded again from `corpus`, or None to reuse it."""
    expected = _first_papers(corpus, PROBE)
    with connected(settings) as drv:
        rows = drv.execute_query(
            HOLDS, ids=list(expected), database_=settings.neo4j_database
        ).records
    held = rows[0]["papers"] if rows else 0
    if held != papers:
        return f"the bench graph holds {held:,} papers, not {papers:,}"
    if any(" ".join((r["title"] or "").split()) != expected[r["id"]] for r in rows):
        return "the bench graph holds another corpus of that size (another seed)"
    if not keep and any(r["enriched"] for r in rows):
        return "the bench graph already has OpenAlex data (pass --keep to measure a rerun)"
    return None


def run(
    base: Settings,
    papers: int,
    seed: int,
    work_dir: Path,
    *,
    noise_share: float = 0.2,
    keep: bool = False,
    progress: bool = True,
    log: Log = print,
) -> LoadFigures:
    """The whole bench on the bench Neo4j: corpus and snapshot made or reused, the graph
    (re)loaded with the corpus by the bulk path when it does not hold it, then the load
    measured."""
    _, snapshot = prepare(work_dir, papers, seed, noise_share, log)
    corpus = work_dir / f"synthetic-{papers}-seed{seed}.jsonl.gz"
    settings = bench_load.bench_settings(base)
    neo4j_local.start(settings, log=log)
    why = _why_reload(settings, corpus, papers, keep)
    if why:
        log(f"{why}: loading {corpus} by the bulk path")
        neo4j_local.stop(settings, log=log)
        bench_load.bulk_from_snapshot(settings, corpus, log=log)
    with connected(settings) as drv:
        migrations.apply(drv, settings.neo4j_database)
        # polled: one db.awaitIndexes call is one transaction, ended at 60 s on a busy machine
        await_indexes(drv, settings.neo4j_database, 600)
    return measure_snapshot_load(settings, snapshot, progress=progress)
