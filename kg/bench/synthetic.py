"""Synthetic arXiv metadata in the bulk snapshot's format, for load and query benchmarks.

Real format, made-up papers: one JSON object per line with the fields of Kaggle's
`arxiv-metadata-oai-snapshot.json`, shaped like arXiv so that a load behaves as it would on
the real thing: a few authors write hundreds of papers and most write one or two, most
papers have 1-6 authors but a collaboration paper now and then has thousands, categories
are skewed towards cs.LG, and volume grows year on year.

Everything streams: authors are indices into an implicit pool (a name is a pure function of
its index), so memory stays flat at any size; only a one-bit-per-author map is kept, to
count distinct authors. Abstracts are drawn from a stock of sentences built at the start
(writing them word by word would dominate the run time). Blocks of papers are made in
parallel processes, each from its own seeded random stream, so the file does not depend
on the number of processes: the same seed always gives the same file.
"""

from __future__ import annotations

import calendar
import gzip
import json
import os
import random
import time
from array import array
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from kg.bench.synthetic_papers import PaperGenerator, pool_size
from kg.bench.synthetic_vocab import MAX_PER_MONTH, monthly_counts
from kg.core.errors import UsageError


@dataclass
class GenStats:
    papers: int = 0
    authorships: int = 0
    """Author entries over all papers (collaboration names included)."""
    authors: int = 0
    """Distinct author names, i.e. the Author nodes a load should create."""
    max_authors: int = 0
    bytes: int = 0
    """Size of the written file."""
    seconds: float = 0.0

    def summary(self, out: Path) -> str:
        return (
            f"wrote {out}: {self.papers:,} papers, {self.authorships:,} authorships, "
            f"{self.authors:,} distinct authors, max {self.max_authors:,} on one paper; "
            f"{self.bytes / 1e6:,.1f} MB in {self.seconds:.1f}s"
        )


BLOCK = 2000
"""Papers per block: a block is generated, and compressed, in one worker process."""


@dataclass(frozen=True)
class _Spec:
    number: int
    year: int
    month: int
    first: int
    """Sequence number (from 0) of the block's first paper within its month."""
    count: int
    month_count: int


@dataclass
class _Block:
    count: int
    data: bytes
    authorships: int
    max_authors: int
    used: array[int]
    collabs: set[str]


def _specs(months: list[tuple[int, int, int]]) -> Iterator[_Spec]:
    number = 0
    for year, month, month_count in months:
        for first in range(0, month_count, BLOCK):
            yield _Spec(number, year, month, first, min(BLOCK, month_count - first), month_count)
            number += 1


def _make_block(gen: PaperGenerator, spec: _Spec, gz: bool) -> _Block:
    """One block of JSON lines. Its random stream is seeded by (seed, block number) alone,
    so the file is the same whichever process makes which block."""
    gen.rng = random.Random(f"{gen.seed}:{spec.number}")
    gen.random = gen.rng.random
    gen.used, gen.collabs_used, gen.authorships, gen.max_authors = set(), set(), 0, 0
    year, month = spec.year, spec.month
    start = calendar.timegm((year, month, 1, 0, 0, 0))
    span = calendar.monthrange(year, month)[1] * 86400
    # Ids before 2015 have four digits, as on arXiv, unless a month needs more.
    width = 4 if year < 2015 and spec.month_count <= 9999 else 5
    prefix = f"{year % 100:02d}{month:02d}."
    lines = []
    for seq in range(spec.first, spec.first + spec.count):
        # Submission times rise with the sequence number, as arXiv's do.
        stamp = start + int((seq + gen.random()) * span / spec.month_count)
        lines.append(_encode(gen.paper(f"{prefix}{seq + 1:0{width}d}", stamp, year)))
    data = ("\n".join(lines) + "\n").encode()
    if gz:
        # One gzip member per block; gzip readers take the concatenation as one stream.
        # Level 1: a quarter larger than level 6 and three times faster.
        data = gzip.compress(data, compresslevel=1, mtime=0)
    used = array("I", gen.used)
    return _Block(spec.count, data, gen.authorships, gen.max_authors, used, gen.collabs_used)


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_worker: PaperGenerator | None = None


def _start_worker(papers: int, seed: int, authors: int | None) -> None:
    global _worker
    _worker = PaperGenerator(papers, seed, authors)


def _worker_block(spec: _Spec, gz: bool) -> _Block:
    assert _worker is not None
    return _make_block(_worker, spec, gz)


def _in_order(
    pool: ProcessPoolExecutor, specs: Iterator[_Spec], gz: bool, ahead: int
) -> Iterator[_Block]:
    """Blocks in file order, with at most `ahead` in flight, so memory stays flat."""
    pending: deque[Future[_Block]] = deque()
    for spec in specs:
        pending.append(pool.submit(_worker_block, spec, gz))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def generate(
    out: Path,
    papers: int,
    seed: int = 0,
    *,
    authors: int | None = None,
    progress: bool = False,
    workers: int | None = None,
) -> GenStats:
    """Write `papers` synthetic records to `out` (gzip if it ends in `.gz`), in id order.

    Blocks of papers are made in `workers` processes (default: one per CPU); the output
    does not depend on how many. Writes to `out` + `.part` and renames at the end, so a
    half-written file never has the final name. Same seed, same lines, and same bytes for
    a given zlib. `authors` sizes the author pool (default one slot per paper): fewer
    authors over the same papers make the hub-heavy corpus of `kg bench hubs --authors`.
    """
    if papers < 1:
        raise UsageError("--papers must be at least 1")
    months = monthly_counts(papers)
    busiest = max(n for _, _, n in months)
    if busiest > MAX_PER_MONTH:
        raise UsageError(
            f"{papers:,} papers would put {busiest:,} in one month; ids allow {MAX_PER_MONTH:,}"
        )
    started = time.perf_counter()
    gz = out.name.endswith(".gz")
    workers = max(1, workers or os.cpu_count() or 1)
    stats = GenStats(papers=papers)
    seen = bytearray(pool_size(papers, authors) // 8 + 1)
    collabs: set[str] = set()
    part = out.with_name(out.name + ".part")
    out.parent.mkdir(parents=True, exist_ok=True)
    bar = tqdm(total=papers, unit="paper", unit_scale=True, disable=not progress, desc=out.name)
    try:
        with part.open("wb") as sink, bar, ExitStack() as stack:
            blocks: Iterator[_Block]
            if workers == 1:
                gen = PaperGenerator(papers, seed, authors)
                blocks = (_make_block(gen, spec, gz) for spec in _specs(months))
            else:
                pool = stack.enter_context(
                    ProcessPoolExecutor(
                        workers, initializer=_start_worker, initargs=(papers, seed, authors)
                    )
                )
                stack.callback(pool.shutdown, cancel_futures=True)
                blocks = _in_order(pool, _specs(months), gz, ahead=2 * workers)
            for block in blocks:
                sink.write(block.data)
                stats.authorships += block.authorships
                stats.max_authors = max(stats.max_authors, block.max_authors)
                for i in block.used:
                    seen[i >> 3] |= 1 << (i & 7)
                collabs |= block.collabs
                bar.update(block.count)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    os.replace(part, out)
    stats.authors = int.from_bytes(seen, "little").bit_count() + len(collabs)
    stats.bytes = out.stat().st_size
    stats.seconds = time.perf_counter() - started
    return stats
