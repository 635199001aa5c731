"""The steps both OpenAlex routes share: works in batches, then what needs all of them
(citations, people), then the author records.

Each batch commits in its own transaction on a writer thread while the next one is read,
and `on_batch(mark)` hears of it only once it committed, with the position of its last
work: a checkpoint never gets ahead of the graph.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import neo4j

from kg.core.config import Settings
from loaders.openalex_citations import link_citations
from loaders.openalex_people import settle_people
from loaders.openalex_records import WorkRows
from loaders.openalex_report import OpenAlexReport
from loaders.openalex_writer import BatchResult, write_authors, write_works

T = TypeVar("T")
R = TypeVar("R")


def _batched(
    items: Iterable[tuple[str, T]],
    size: int,
    write: Callable[[list[T]], R],
    done: Callable[[R, str], None],
) -> None:
    """Write `items` (position, item) in batches of `size`, one batch in flight at a time."""
    pending: tuple[Future[R], str] | None = None

    def finish() -> None:
        nonlocal pending
        if pending is not None:
            future, mark = pending
            pending = None
            done(future.result(), mark)

    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-openalex") as pool:
        batch: list[T] = []
        mark = ""
        try:
            for mark, item in items:
                batch.append(item)
                if len(batch) >= size:
                    finish()
                    pending = pool.submit(write, batch), mark
                    batch = []
            if batch:
                finish()
                pending = pool.submit(write, batch), mark
        finally:
            finish()


def grouped(items: Iterable[tuple[str, T]], size: int) -> Iterator[tuple[str, list[T]]]:
    """(position of the last item, items) in groups of `size`."""
    group: list[T] = []
    mark = ""
    for mark, item in items:
        group.append(item)
        if len(group) >= size:
            yield mark, group
            group = []
    if group:
        yield mark, group


def write_work_batches(
    settings: Settings,
    driver: neo4j.Driver,
    groups: Iterable[tuple[str, list[WorkRows]]],
    report: OpenAlexReport,
    on_batch: Callable[[BatchResult, str], None] = lambda result, mark: None,
) -> None:
    """Write (position, works) groups, one transaction each, in order."""
    started = time.perf_counter()

    def done(result: BatchResult, mark: str) -> None:
        report.works_matched += len(result.matched)
        report.authorships_matched += result.authorships_matched
        report.authorships_unmatched += result.authorships_unmatched
        on_batch(result, mark)

    def write(batch: list[list[WorkRows]]) -> BatchResult:
        return write_works(driver, settings.neo4j_database, batch[0])

    _batched(groups, 1, write, done)
    _phase(report, "works", started)


def finish_works(
    settings: Settings, driver: neo4j.Driver, report: OpenAlexReport, keep_ids: bool = True
) -> list[str]:
    """Citations between the papers written, then the people (see `openalex_people`);
    returns the OpenAlex author ids of the records touched (with `keep_ids`)."""
    started = time.perf_counter()
    report.citations_linked += link_citations(driver, settings.neo4j_database)
    started = _phase(report, "citations", started)
    checked, regrouped, noted, ids = settle_people(
        driver, settings.neo4j_database, settings.coauthor_max_authors, keep_ids
    )
    report.people_checked += checked
    report.people_regrouped += regrouped
    report.identity_notes += noted
    _phase(report, "people", started)
    return ids


def write_author_batches(
    settings: Settings,
    driver: neo4j.Driver,
    authors: Iterable[tuple[str, dict[str, Any]]],
    report: OpenAlexReport,
    on_batch: Callable[[str], None] = lambda mark: None,
) -> None:
    """Write (position, `author_props` row) pairs in batches."""
    started = time.perf_counter()

    def done(matched: int, mark: str) -> None:
        report.authors_matched += matched
        on_batch(mark)

    def write(batch: list[dict[str, Any]]) -> int:
        return write_authors(driver, settings.neo4j_database, batch)

    _batched(authors, settings.batch_size, write, done)
    _phase(report, "authors", started)


def _phase(report: OpenAlexReport, name: str, started: float) -> float:
    now = time.perf_counter()
    report.phases[name] = report.phases.get(name, 0.0) + now - started
    return now
