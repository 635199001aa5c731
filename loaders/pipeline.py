"""Validated records in, batched writes out, and a report of what happened to every record."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import neo4j

from kg.config import Settings
from loaders.graph_writer import WriteStats, write_batch
from loaders.records import PaperRecord


@dataclass
class Reject:
    """A record that did not load, and why; every one is reported, none is dropped silently."""

    where: str
    reason: str


@dataclass
class LoadReport:
    fetched: int = 0
    loaded: int = 0
    rejects: list[Reject] = field(default_factory=list)
    stats: WriteStats = field(default_factory=WriteStats)
    resumed_from_line: int = 0

    def summary(self) -> str:
        c = self.stats.counters
        lines = [
            f"{self.loaded} papers loaded ({self.stats.papers_new} new, "
            f"{self.stats.papers_updated} refreshed) from {self.fetched} fetched; "
            f"{len(self.rejects)} rejected"
            + (f"; resumed after line {self.resumed_from_line}" if self.resumed_from_line else ""),
            f"graph: {c.get('nodes_created', 0)} nodes and "
            f"{c.get('relationships_created', 0)} relationships created, "
            f"{c.get('relationships_deleted', 0)} relationships removed",
        ]
        lines += [f"  rejected {r.where}: {r.reason}" for r in self.rejects[:20]]
        if len(self.rejects) > 20:
            lines.append(f"  ... and {len(self.rejects) - 20} more in the rejects file")
        return "\n".join(lines)

    def write_rejects(self, path: Path) -> None:
        with path.open("w") as out:
            for r in self.rejects:
                out.write(json.dumps({"where": r.where, "reason": r.reason}) + "\n")


def write_batches(
    settings: Settings,
    driver: neo4j.Driver,
    records: Iterable[PaperRecord],
    report: LoadReport,
    on_batch: Callable[[LoadReport, int], None] | None = None,
    position: Callable[[], int] = lambda: 0,
) -> LoadReport:
    """Upsert in batches of `settings.batch_size`, one transaction each.

    After each batch commits, `on_batch(report, mark)` gets the `position()` read when that
    batch was complete (e.g. the snapshot line of its last record), never a later one.

    Batch k is written on a worker thread while batch k+1 is read and validated, so the
    parser and Neo4j use both cores. Batches still commit strictly in order, and a crash
    loses at most the batches in flight; rerunning rewrites them identically.
    """
    pending: Future[WriteStats] | None = None
    pending_ids = 0
    pending_mark = 0

    def finish() -> None:
        nonlocal pending
        if pending is not None:
            report.stats.merge(pending.result())
            report.loaded += pending_ids
            pending = None
            if on_batch:
                on_batch(report, pending_mark)

    def submit(pool: ThreadPoolExecutor, batch: list[PaperRecord]) -> None:
        nonlocal pending, pending_ids, pending_mark
        finish()
        pending_ids = len({r.arxiv_id for r in batch})
        pending_mark = position()
        pending = pool.submit(
            write_batch, driver, batch, settings.coauthor_max_authors, settings.neo4j_database
        )

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-writer") as pool:
        batch: list[PaperRecord] = []
        try:
            for record in records:
                batch.append(record)
                if len(batch) >= settings.batch_size:
                    submit(pool, batch)
                    batch = []
            if batch:
                submit(pool, batch)
        finally:
            finish()
    return report
