"""`kg load openalex`: citations, institutions and author ids for the graph's arXiv papers,
asked of the OpenAlex API.

Papers are taken in arXiv-id order, `batch_size` at a time: their works are fetched by
arXiv DOI (several per request, see `openalex_api`), written in one transaction, and the
checkpoint (`LoadCheckpoint {source: "openalex-api:<scope>"}`) moves past the batch. A
killed run goes on after the last committed batch; a finished run leaves phase `done`, and
the next run of the scope asks again from the start (rewriting changes nothing that did
not change). A paper OpenAlex does not know is reported, never an error.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import neo4j
from tqdm import tqdm

from kg.core.config import Settings
from loaders import checkpoints
from loaders.openalex_api import OpenAlexClient
from loaders.openalex_pipeline import finish_works, write_author_batches, write_work_batches
from loaders.openalex_records import WorkRows, author_props, work_rows
from loaders.openalex_report import OpenAlexReport
from loaders.openalex_writer import BatchResult
from loaders.pipeline import Reject

SELECT = """
MATCH (p:Paper)
WHERE p.arxivId > $after
  AND ($ids IS NULL OR p.arxivId IN $ids)
  AND ($category IS NULL OR $category IN p.categories
       OR any(c IN p.categories WHERE c STARTS WITH $category + '.'))
  AND ($since IS NULL OR p.published >= $since
       OR (p.updated IS NOT NULL AND date(p.updated) >= $since))
  AND (NOT $missing OR p.openalexId IS NULL)
"""

PAGE = SELECT + "RETURN p.arxivId AS id ORDER BY id LIMIT $limit"
"""The next papers of the scope, in arXiv-id order (served by the key index): asked page by
page, as no transaction may stay open while OpenAlex answers."""

COUNT = SELECT + "RETURN count(p) AS n"


@dataclass(frozen=True)
class Scope:
    """Which papers of the graph to look up: all, by category, recently updated, or given."""

    category: str | None = None
    since: date | None = None
    ids: tuple[str, ...] = ()
    missing: bool = False
    """Only papers with no OpenAlex data yet."""

    def source(self) -> str:
        parts = {
            "category": self.category,
            "since": self.since.isoformat() if self.since else None,
            "ids": sorted(self.ids) or None,
            "missing": self.missing or None,
        }
        return "openalex-api:" + json.dumps({k: v for k, v in parts.items() if v}, sort_keys=True)

    def params(self, after: str, limit: int = 0) -> dict[str, Any]:
        return {
            "after": after,
            "limit": limit,
            "ids": list(self.ids) or None,
            "category": self.category,
            "since": self.since,
            "missing": self.missing,
        }


def load(
    settings: Settings,
    driver: neo4j.Driver,
    scope: Scope,
    progress: bool = True,
    restart: bool = False,
    client: OpenAlexClient | None = None,
) -> OpenAlexReport:
    """Fetch and write the works of the scope's papers, then their authors' records."""
    client = client or OpenAlexClient(settings)
    db = settings.neo4j_database
    source = scope.source()
    saved = {} if restart else checkpoints.read(driver, db, source)
    report = OpenAlexReport()
    started = time.perf_counter()
    phase, after = saved.get("phase"), str(saved.get("after") or "")
    if phase in (None, "done"):
        phase, after = "works", ""
    else:
        report.resumed_after = f"{phase} {after}".strip()
    if phase == "works":
        with driver.session(database=db) as session:
            total = session.run(COUNT, scope.params(after)).single(strict=True)["n"]
        with tqdm(
            total=total, unit=" papers", desc="OpenAlex", disable=not progress, dynamic_ncols=True
        ) as bar:

            def on_batch(result: BatchResult, mark: str) -> None:
                checkpoints.save(driver, db, source, phase="works", after=mark)

            works = _fetch(settings, driver, client, scope, after, report, bar)
            write_work_batches(settings, driver, works, report, on_batch)
        checkpoints.save(driver, db, source, phase="people", after="")
        phase = "people"
    if phase == "people":
        ids = finish_works(settings, driver, report)
        checkpoints.save(driver, db, source, phase="authors", after="", authors=ids)
        phase = "authors"
        saved["authors"] = ids
    if phase == "authors":
        ids = list(saved.get("authors") or [])
        rows = ((a["id"], a) for a in _authors(client, ids, report))
        write_author_batches(settings, driver, rows, report)
        _unmatched(driver, db, scope, report)
        checkpoints.save(driver, db, source, phase="done", after="", authors=[])
    report.requests, report.retries = client.requests, client.retried
    report.seconds = time.perf_counter() - started
    return report


def _fetch(
    settings: Settings,
    driver: neo4j.Driver,
    client: OpenAlexClient,
    scope: Scope,
    after: str,
    report: OpenAlexReport,
    bar: tqdm,
) -> Iterator[tuple[str, list[WorkRows]]]:
    """(last arXiv id of the group, its works) for the scope's papers, `batch_size` at a
    time (the papers OpenAlex has no work for are listed at the end, `_unmatched`)."""
    while group := _page(driver, settings.neo4j_database, scope, after, settings.batch_size):
        after = group[-1]
        report.papers_asked += len(group)
        asked = set(group)
        found: dict[str, WorkRows] = {}
        for work in client.works_by_arxiv_ids(group):
            report.works_read += 1
            rows = work_rows(work)
            if rows is not None and rows.arxiv_id in asked:
                found[rows.arxiv_id] = rows
        bar.update(len(group))
        yield after, list(found.values())


def _page(driver: neo4j.Driver, database: str, scope: Scope, after: str, size: int) -> list[str]:
    records = driver.execute_query(
        PAGE, scope.params(after, size), database_=database, routing_=neo4j.RoutingControl.READ
    ).records
    return [r["id"] for r in records]


def _authors(
    client: OpenAlexClient, ids: list[str], report: OpenAlexReport
) -> Iterator[dict[str, Any]]:
    for author in client.authors_by_ids(ids):
        report.authors_read += 1
        row = author_props(author)
        if row is not None:
            yield row


def _unmatched(driver: neo4j.Driver, database: str, scope: Scope, report: OpenAlexReport) -> None:
    """Every paper of the scope still without OpenAlex data is a reject, also those of an
    earlier, killed run of the scope (whose rejects file was never written)."""
    missing = Scope(scope.category, scope.since, scope.ids, missing=True)
    after = ""
    while page := _page(driver, database, missing, after, 10_000):
        after = page[-1]
        for arxiv_id in page:
            reason = f"OpenAlex has no work with DOI 10.48550/arXiv.{arxiv_id}"
            report.rejects.append(Reject(where=arxiv_id, reason=reason))
