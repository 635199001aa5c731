"""The bulk path's record pass over a snapshot file, spread over worker processes.

Parsing a line, validating it and formatting its rows (`bulk_text`) needs nothing but the
line, and is most of the bulk path's Python time. So the loader's process only cuts the
(decompressed) file into blocks of whole lines and hands them out; workers parse them
with orjson, validate, filter, and send back the chunk's CSV text and scratch lines, its
rejects (each with its line number) and tallies; the loader appends the chunks in file
order. At most `IN_FLIGHT` blocks per worker are out at a time, so memory stays flat
however big the file. With one worker everything runs in the loader's process, with
the same numbering, so any worker count gives the same files.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.pool import AsyncResult
from pathlib import Path

from loaders.bulk_text import ChunkText, format_chunk
from loaders.pipeline import Reject, RejectLog
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
                result = parse_block(replace(job, cap=self.limit - self.papers))
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
                yield job, parse_block(job)
            return
        with multiprocessing.get_context(START).Pool(self.workers) as pool:
            pending: deque[tuple[_Job, AsyncResult[ChunkResult]]] = deque()
            for job in jobs:
                pending.append((job, pool.apply_async(parse_block, (job,))))
                if len(pending) > self.workers * IN_FLIGHT:
                    done, result = pending.popleft()
                    yield done, result.get()
            while pending:
                done, result = pending.popleft()
                yield done, result.get()
