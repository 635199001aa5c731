"""Incremental refresh from the arXiv API: what changed since the last successful run.

Each scope (all of arXiv, or a set of categories) has a `(:LoadCheckpoint)` whose `until`
is the end of the last window that loaded completely. A run asks the API for papers with
`lastUpdatedDate` in [until - overlap, now], loads them, and only then moves `until`.
A crash leaves the checkpoint where it was, so the rerun repeats the window: loads are
idempotent, so the repeat costs time but never duplicates, and nothing falls in a gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import arxiv
import neo4j

from kg.core.config import Settings
from loaders import arxiv_api, checkpoints
from loaders.pipeline import LoadReport

OVERLAP = timedelta(days=1)
"""arXiv stamps updates in batches around its daily announcement; overlap windows a little."""

FIRST_RUN = timedelta(days=7)


@dataclass
class RefreshResult:
    source: str
    window_from: datetime
    window_to: datetime
    report: LoadReport


def scope(categories: list[str]) -> str:
    return "arxiv-api:" + (",".join(sorted(categories)) if categories else "all")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M")


def window_query(start: datetime, end: datetime, categories: list[str]) -> str:
    """An arXiv API search_query for papers updated in [start, end], in the given categories."""
    query = f"lastUpdatedDate:[{_stamp(start)} TO {_stamp(end)}]"
    if categories:
        query += " AND (" + " OR ".join(f"cat:{c}" for c in categories) + ")"
    return query


def refresh(
    settings: Settings,
    driver: neo4j.Driver,
    categories: list[str] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    progress: bool = True,
) -> RefreshResult:
    """Load the window since the checkpoint (or `since`), then advance the checkpoint."""
    cats = sorted(categories or [])
    source = scope(cats)
    db = settings.neo4j_database
    end = until or datetime.now(UTC)
    if since is None:
        until_before = checkpoints.read(driver, db, source).get("until")
        last = until_before.to_native() if until_before else None
        since = last - OVERLAP if last else end - FIRST_RUN
    search = arxiv.Search(
        query=window_query(since, end, cats),
        max_results=None,
        sort_by=arxiv.SortCriterion.LastUpdatedDate,
        sort_order=arxiv.SortOrder.Ascending,
    )
    report = arxiv_api.load(settings, driver, search, progress=progress)
    checkpoints.save(
        driver,
        db,
        source,
        until=end,
        complete=True,
        lastWindowFrom=since,
        lastLoaded=report.loaded,
        lastRejected=len(report.rejects),
    )
    return RefreshResult(source, since, end, report)
