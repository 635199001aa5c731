"""Validated records in, batched writes out, and a report of what happened to every record."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import neo4j

from kg.core.config import Settings
from kg.core.errors import KgError
from loaders.graph_writer import WriteStats, write_batch
from loaders.name_counts import NameCounts
from loaders.records import PaperRecord
from loaders.settle import settle


@dataclass
class Reject:
    """A record that did not load, and why; every one is reported, none is dropped silently."""

    where: str
    reason: str


class RejectLog:
    """Every reject, spooled to a temporary file; only the first `keep` stay in memory.

    A snapshot of millions of bad lines must not grow the loader: memory stays flat, and
    `write_to` copies the full list out at the end.
    """

    def __init__(self, keep: int = 1000) -> None:
        self._kept: list[Reject] = []
        self._keep = keep
        self._total = 0
        self._spool: IO[str] | None = None

    def append(self, reject: Reject) -> None:
        self._total += 1
        if len(self._kept) < self._keep:
            self._kept.append(reject)
        if self._spool is None:
            self._spool = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._spool.write(json.dumps({"where": reject.where, "reason": reject.reason}) + "\n")

    def extend(self, rejects: Iterable[Reject]) -> None:
        for reject in rejects:
            self.append(reject)

    def __len__(self) -> int:
        return self._total

    def __iter__(self) -> Iterator[Reject]:
        return iter(self._kept)

    def __getitem__(self, index: int) -> Reject:
        return self._kept[index]

    def first(self, n: int) -> list[Reject]:
        return self._kept[:n]

    def write_to(self, path: Path) -> None:
        with path.open("w", encoding="utf-8") as out:
            if self._spool is not None:
                self._spool.seek(0)
                shutil.copyfileobj(self._spool, out)
                self._spool.seek(0, 2)


@dataclass
class LoadReport:
    fetched: int = 0
    loaded: int = 0
    rejects: RejectLog = field(default_factory=RejectLog)
    stats: WriteStats = field(default_factory=WriteStats)
    resumed_from_line: int = 0
    unreadable: list[Reject] = field(default_factory=list)
    """Parts of the source that could not be read at all (also among the rejects): while
    there are any, the load is incomplete and a refresh keeps its checkpoint."""

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
            f"people: {self.stats.people_new} new records; new evidence moved "
            f"{self.stats.authorships_moved} earlier authorships and retired "
            f"{self.stats.records_retired} records (their ids redirect)",
        ]
        lines += [f"  rejected {r.where}: {r.reason}" for r in self.rejects.first(20)]
        if self.unreadable:
            lines.append(
                f"incomplete: {len(self.unreadable)} part(s) of the source could not be read "
                "(" + "; ".join(r.where for r in self.unreadable[:5]) + "); rerun to fetch them"
            )
        if len(self.rejects) > 20:
            lines.append(f"  ... and {len(self.rejects) - 20} more in the rejects file")
        return "\n".join(lines)

    def write_rejects(self, path: Path) -> None:
        self.rejects.write_to(path)


DEFAULT_MAX_REJECTS = 0.05
"""A bulk load refuses to replace a graph when more than this share of its records failed."""


class LoadRejected(KgError):
    """A load failed as a whole: nothing to write, or too many of its records rejected."""


def verdict(
    written: int,
    valid: int,
    rejects: RejectLog,
    max_share: float | None,
    empty: str = "the input holds no records",
) -> str | None:
    """Why a load as a whole failed, or None when it did not.

    `written` papers were (or would be) written out of `valid` records that passed
    validation, filters or not. Nothing written is a failure, whatever the cause (every
    record rejected, none matching the filters, `empty`); so is a share of rejects among all
    records read above `max_share`. The message ends with the first reasons.
    """
    rejected = len(rejects)
    read = valid + rejected
    if written == 0 and read == 0:
        problem = empty
    elif written == 0 and valid == 0:
        problem = f"every record read ({rejected:,}) was rejected"
    elif written == 0:
        problem = f"none of the {valid:,} valid records matched the filters"
        problem += f", and {rejected:,} were rejected" if rejected else ""
    elif max_share is not None and rejected > max_share * read:
        problem = (
            f"{rejected:,} of the {read:,} records read ({rejected / read:.1%}) were rejected, "
            f"more than --max-rejects allows ({max_share:.1%})"
        )
    else:
        return None
    reasons = [f"\n  rejected {r.where}: {r.reason}" for r in rejects.first(5)]
    return problem + ("; first reasons:" + "".join(reasons) if reasons else "")


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
    with driver.session(database=settings.neo4j_database) as session:
        counts = NameCounts.read(session)  # kept up to date batch by batch
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
            write_batch,
            driver,
            batch,
            settings.coauthor_max_authors,
            settings.neo4j_database,
            counts,
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
    report.stats.merge(
        settle(driver, settings.coauthor_max_authors, settings.neo4j_database, counts)
    )
    return report
