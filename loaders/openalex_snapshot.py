"""`kg load openalex --snapshot DIR`: OpenAlex's published dataset instead of its API.

OpenAlex publishes every work and author as JSON lines in gzip parts
(`data/works/updated_date=YYYY-MM-DD/part_NNN.gz`, the same objects the API returns). A
refresh of the whole graph reads those rather than making millions of calls. Lines are
streamed: a cheap byte test skips works that mention no arXiv DOI or page before any
parsing, and the graph itself says which arXiv works are papers of it, so memory holds
one batch (and, for the author files, the set of OpenAlex author ids the graph uses).

The checkpoint (`LoadCheckpoint {source: "openalex-snapshot:DIR"}`) keeps the phase and
the part file and line of the last committed batch: a killed run goes on from there.
A finished run leaves phase `done`, and the next run reads the snapshot afresh.
"""

from __future__ import annotations

import gzip
import re
import time
from array import array
from bisect import bisect_left
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import neo4j
import orjson
from tqdm import tqdm

from kg.core.config import Settings
from kg.core.errors import UsageError
from loaders import checkpoints
from loaders.openalex_pipeline import (
    finish_works,
    grouped,
    write_author_batches,
    write_work_batches,
)
from loaders.openalex_records import OpenAlexRecordError, WorkRows, author_props, work_rows
from loaders.openalex_report import OpenAlexReport
from loaders.openalex_writer import BatchResult
from loaders.pipeline import Reject

ARXIV_HINTS = (b"48550/arxiv", b"48550/arXiv", b"arxiv.org/", b"arXiv.org/")
"""A work line without any of these is no arXiv paper: skipped unparsed."""
AUTHOR_ID = re.compile(rb"openalex\.org/A(\d+)")
"""An author line's first author id is its own (the other ids in it are I, T, S...)."""

UNMATCHED = """
MATCH (p:Paper) WHERE p.openalexId IS NULL
RETURN p.arxivId AS id ORDER BY id
"""
AUTHOR_IDS = "MATCH (a:Author) WHERE a.openalexId IS NOT NULL RETURN DISTINCT a.openalexId AS id"


def parts(directory: Path, entity: str) -> list[Path]:
    """The part files of `entity` (works, authors) under a snapshot directory, in order."""
    for base in (directory / "data" / entity, directory / entity):
        if base.is_dir():
            return sorted(base.rglob("*.gz"))
    return []


def load(
    settings: Settings,
    driver: neo4j.Driver,
    directory: Path,
    progress: bool = True,
    restart: bool = False,
) -> OpenAlexReport:
    """Read a snapshot's works, then its authors, into the papers and people of the graph."""
    directory = directory.resolve()
    works = parts(directory, "works")
    if not works:
        raise UsageError(
            f"no OpenAlex works under {directory}: give the snapshot directory, the one "
            "holding data/works/updated_date=.../part_000.gz (e.g. from `aws s3 sync "
            "s3://openalex openalex-snapshot --no-sign-request`)"
        )
    authors = parts(directory, "authors")
    db = settings.neo4j_database
    source = f"openalex-snapshot:{directory}"
    saved = {} if restart else checkpoints.read(driver, db, source)
    report = OpenAlexReport()
    if saved.get("phase") in (None, "done"):
        saved = {"phase": "works"}
    else:
        at = f" {saved['file']} line {saved.get('line', 0):,}" if saved.get("file") else ""
        report.resumed_after = f"{saved['phase']}{at}"
    started = time.perf_counter()
    phase = saved["phase"]

    def save(**fields: Any) -> None:
        checkpoints.save(driver, db, source, **fields)

    def resume(at: str) -> tuple[str | None, int]:
        """(file, line) to go on after, when the checkpoint is in phase `at`."""
        if saved["phase"] != at:
            return None, 0
        return saved.get("file"), int(saved.get("line", 0))

    if phase == "works":
        skip = resume("works")
        lines = _lines(directory, works, skip, report, progress, "OpenAlex works")

        def on_batch(result: BatchResult, mark: str) -> None:
            file, line = mark.rsplit(":", 1)
            save(phase="works", file=file, line=int(line))

        groups = grouped(_works(lines, report), settings.batch_size)
        write_work_batches(settings, driver, groups, report, on_batch)
        save(phase="citations", file=None, line=0)
        phase = "citations"
    if phase in ("citations", "people"):
        finish_works(settings, driver, report, keep_ids=False)  # authors: read from the graph
        save(phase="authors", file=None, line=0)
        phase = "authors"
    if phase == "authors":
        wanted = _author_ids(driver, db)
        skip = resume("authors")
        lines = _lines(directory, authors, skip, report, progress, "OpenAlex authors")
        rows = _authors(lines, wanted, report)
        write_author_batches(
            settings,
            driver,
            rows,
            report,
            lambda mark: save(phase="authors", file=mark.rsplit(":", 1)[0], line=_line(mark)),
        )
        _unmatched(driver, db, report)
        save(phase="done", file=None, line=0)
    report.seconds = time.perf_counter() - started
    return report


def _line(mark: str) -> int:
    return int(mark.rsplit(":", 1)[1])


def _lines(
    directory: Path,
    files: list[Path],
    skip: tuple[str | None, int],
    report: OpenAlexReport,
    progress: bool,
    desc: str,
) -> Iterator[tuple[str, bytes]]:
    """("file:line", line) of every part file, after the checkpoint's (file, line)."""
    names = [str(f.relative_to(directory)) for f in files]
    start = names.index(skip[0]) if skip[0] in names else 0
    total = sum(f.stat().st_size for f in files[start:])
    with tqdm(
        total=total, unit="B", unit_scale=True, desc=desc, disable=not progress, dynamic_ncols=True
    ) as bar:
        for file, name in zip(files[start:], names[start:], strict=True):
            first = skip[1] if name == skip[0] else 0
            with file.open("rb") as raw, gzip.open(raw) as lines:
                done = 0
                for number, line in enumerate(lines, 1):
                    if number > first:
                        yield f"{name}:{number}", line
                    if number % 1000 == 0:
                        done = _advance(bar, raw.tell(), done)
                _advance(bar, raw.tell(), done)


def _advance(bar: tqdm, position: int, done: int) -> int:
    bar.update(position - done)
    return position


def _works(
    lines: Iterator[tuple[str, bytes]], report: OpenAlexReport
) -> Iterator[tuple[str, WorkRows]]:
    for where, line in lines:
        report.works_read += 1
        if not any(hint in line for hint in ARXIV_HINTS):
            continue
        rows = _parse(where, line, work_rows, report)
        if rows is not None:
            yield where, rows


def _authors(
    lines: Iterator[tuple[str, bytes]], wanted: array[int], report: OpenAlexReport
) -> Iterator[tuple[str, dict[str, Any]]]:
    for where, line in lines:
        report.authors_read += 1
        found = AUTHOR_ID.search(line)
        if found is None or not _holds(wanted, int(found.group(1))):
            continue
        row = _parse(where, line, author_props, report)
        if row is not None:
            yield where, row


def _parse(
    where: str, line: bytes, shape: Callable[[Any], Any], report: OpenAlexReport
) -> Any | None:
    if not line.strip():
        return None
    try:
        return shape(orjson.loads(line))
    except (orjson.JSONDecodeError, OpenAlexRecordError, TypeError, ValueError) as err:
        report.rejects.append(Reject(where=where, reason=f"unreadable OpenAlex line: {err}"))
        return None


def _author_ids(driver: neo4j.Driver, database: str) -> array[int]:
    """The OpenAlex author ids the graph's records carry, as sorted 64-bit numbers: 8 bytes
    an id (a set of ints takes ~10 times that: ~70 MB for a 1M-paper graph's authors)."""
    with driver.session(database=database) as session:
        ids = sorted(int(r["id"][1:]) for r in session.run(AUTHOR_IDS) if r["id"][1:].isdigit())
    return array("q", ids)


def _holds(ids: array[int], wanted: int) -> bool:
    at = bisect_left(ids, wanted)
    return at < len(ids) and ids[at] == wanted


def _unmatched(driver: neo4j.Driver, database: str, report: OpenAlexReport) -> None:
    """Every paper still without OpenAlex data is reported (streamed to the rejects spool)."""
    with driver.session(database=database) as session:
        for r in session.run(UNMATCHED):
            report.rejects.append(
                Reject(where=r["id"], reason="no work in the OpenAlex snapshot has its arXiv DOI")
            )
