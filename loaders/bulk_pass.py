"""The bulk path's record pass over a snapshot file, spread over worker processes.

Parsing a line, validating it and formatting its rows (`bulk_text`) needs nothing but the
line, and is most of the bulk path's Python time. So the loader's process only cuts the
(decompressed) file into blocks of whole lines and hands them out; workers parse them
with orjson, validate, filter, and send back the chunk's CSV text and scratch lines, its
rejects (each with its line number) and tallies; the loader appends the chunks in file
order. At most `IN_FLIGHT` blocks per worker are out at a time, so memory stays flat
however big the file. With one worker everything runs in the loader's process, with
the same numbering, so any worker count gives the same files.

With the compiled module (`loaders.native`), `kg_native.format_block` does a block's work
without the GIL, so the workers are threads; a block it declines (a reject, or an input
form it does not reproduce) goes through `parse_block` as before, whose output it matches
byte for byte.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.pool import AsyncResult, Pool, ThreadPool
from pathlib import Path

from loaders.bulk_text import SCRATCH, TABLES, ChunkText, TableText, format_chunk
from loaders.native import module
from loaders.pipeline import Reject, RejectLog
from loaders.records import comment_withdrawn, name_and_key
from loaders.rows import institution, topic
from loaders.snapshot import Filters, open_snapshot, parse_line

BLOCK_BYTES = 4 << 20
"""Bytes of the decompressed file a block starts from (~3,000 arXiv records), cut at a
line end: large enough that a worker's answer outweighs the cost of sending it."""

IN_FLIGHT = 2
"""Blocks handed to each worker ahead of the one the loader is appending."""

START = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
"""Workers fork where the platform can (no re-import); elsewhere they start afresh."""


def default_workers() -> int:
    """One worker a core: the loader's own process mostly waits on them."""
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class Block:
    """Whole lines of the file, from line `first_line` on, without the last line end."""

    chunk: int
    first_line: int
    data: bytes


@dataclass(frozen=True)
class _Job:
    """What a worker needs for one block (small, besides the block)."""

    name: str
    block: Block
    filters: Filters
    max_authors: int
    cap: int | None = None
    """Stop after this many records kept: the last block of a `--limit` load."""


@dataclass
class ChunkResult:
    """A block's records as import text, its rejects, and what the filters saw."""

    text: ChunkText
    rejects: list[Reject] = field(default_factory=list)
    seen: int = 0
    """Valid records read (kept by the filters or not): the base of the reject share."""


def blocks(path: Path, on_progress: Callable[[int], None] | None = None) -> Iterator[Block]:
    """The file (gunzipped if need be) as blocks of whole lines, numbered from 1.

    A block ends at a line end, so no record is ever split between two blocks; a line
    longer than `BLOCK_BYTES` makes a bigger block. `on_progress` gets the bytes of the
    (compressed) file read so far.
    """
    lines, raw = open_snapshot(path)
    chunk, first, carry = 0, 1, b""
    with lines, raw:
        while True:
            read = lines.read(BLOCK_BYTES)
            if on_progress is not None:
                on_progress(raw.tell())
            data = carry + read if carry else read
            if not read:
                if data:
                    yield Block(chunk, first, data)
                return
            cut = data.rfind(b"\n")
            if cut < 0:
                carry = data
                continue
            carry = data[cut + 1 :]
            whole = data[:cut]
            yield Block(chunk, first, whole)
            chunk += 1
            first += whole.count(b"\n") + 1


def parse_block(job: _Job) -> ChunkResult:
    """Parse, validate, filter and format one block (in a worker, or in the loader)."""
    block = job.block
    kept = []
    rejects: list[Reject] = []
    seen = 0
    for number, line in enumerate(block.data.split(b"\n"), start=block.first_line):
        if not line.strip():
            continue
        parsed = parse_line(line, f"{job.name}:{number}")
        if isinstance(parsed, Reject):
            rejects.append(parsed)
            continue
        record, update_date = parsed
        seen += 1
        if job.filters.keep(record, update_date):
            kept.append(record)
            if job.cap is not None and len(kept) >= job.cap:
                break
    return ChunkResult(format_chunk(kept, block.chunk, job.max_authors), rejects, seen)


def native_block(job: _Job) -> ChunkResult | None:
    """`parse_block` by the compiled record pass, or None when it is not installed or leaves
    the block to Python; it asks Python about non-ASCII names, affiliations and comments."""
    native = module()
    if native is None:
        return None
    since = job.filters.since
    got = native.format_block(
        job.block.data,
        job.block.chunk,
        job.max_authors,
        since.isoformat() if since else None,
        job.filters.category,
        job.cap,
        name_and_key,
        institution,
        comment_withdrawn,
    )
    if got is None:
        return None
    papers, seen, sightings, tables, scratch, codes = got
    text = ChunkText(
        papers,
        sightings,
        {name: TableText(*table) for name, table in zip(TABLES, tables, strict=True)},
        dict(zip(SCRATCH, scratch, strict=True)),
        {code: topic(code) for code in codes},
    )
    return ChunkResult(text, [], seen)


def run_block(job: _Job) -> ChunkResult:
    """A block by the compiled pass where it can, else by `parse_block`."""
    result = native_block(job)
    return result if result is not None else parse_block(job)


class SnapshotPass:
    """A snapshot file's records as import text, chunk by chunk, for `bulk_load`.

    `rejects` receives every line that cannot load, in file order; `seen` counts the valid
    records read once the pass has run. `limit` keeps the first records the filters pass.
    """

    def __init__(
        self,
        path: Path,
        rejects: RejectLog,
        filters: Filters | None = None,
        *,
        limit: int | None = None,
        workers: int | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> None:
        self.path = path
        self.rejects = rejects
        self.filters = Filters(filters.since, filters.category) if filters else Filters()
        self.limit = limit
        self.workers = workers or default_workers()
        self.on_progress = on_progress
        self.seen = 0
        self.papers = 0

    def chunks(self, max_authors: int) -> Iterator[ChunkText]:
        """Every block's text in file order, parsed by `workers` processes."""
        if self.limit is not None and self.limit <= 0:
            return
        for job, result in self._results(max_authors):
            if self.limit is not None and self.papers + result.text.papers > self.limit:
                result = run_block(replace(job, cap=self.limit - self.papers))
            self.rejects.extend(result.rejects)
            self.seen += result.seen
            self.papers += result.text.papers
            yield result.text
            if self.limit is not None and self.papers >= self.limit:
                return

    def _results(self, max_authors: int) -> Iterator[tuple[_Job, ChunkResult]]:
        jobs = (
            _Job(self.path.name, block, self.filters, max_authors)
            for block in blocks(self.path, self.on_progress)
        )
        if self.workers == 1:
            for job in jobs:
                yield job, run_block(job)
            return
        with self._pool() as pool:
            pending: deque[tuple[_Job, AsyncResult[ChunkResult]]] = deque()
            try:
                for job in jobs:
                    pending.append((job, pool.apply_async(run_block, (job,))))
                    if len(pending) > self.workers * IN_FLIGHT:
                        done, result = pending.popleft()
                        yield done, result.get()
                while pending:
                    done, result = pending.popleft()
                    yield done, result.get()
            finally:
                # A `limit` stops early: terminating the pool while a worker process is
                # still sending its block's text back can hang for ever (in CPython's
                # `Pool._terminate_pool`), so let the blocks in flight finish first.
                for _, result in pending:
                    result.wait()

    def _pool(self) -> Pool:
        """Threads for the compiled pass, which works without the GIL (measured at 1M papers
        on 2 cores: 14 s against 28 s in processes, which pickle the chunk's text back);
        else processes."""
        if module() is not None:
            return ThreadPool(self.workers)
        return multiprocessing.get_context(START).Pool(self.workers)
