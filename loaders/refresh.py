"""Incremental refresh from the arXiv API: what changed since the last successful run.

Each scope (all of arXiv, or a set of categories) has a `(:LoadCheckpoint)` whose `until`
is the end of the last window that loaded completely. A run asks the API for papers with
`lastUpdatedDate` in [until - overlap, now], loads them, and only then moves `until`.
A crash, or a page of the API that could not be read even after retries, leaves the
checkpoint where it was, so the rerun repeats the window: loads are idempotent, so the
repeat costs time but never duplicates, and nothing falls in a gap.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import arxiv
import neo4j

from kg.core.config import Settings
from kg.core.errors import SourceUnavailable
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


class RefreshIncomplete(SourceUnavailable):
    """Part of a window could not be read; its checkpoint stays, so the next run repeats it."""

    def __init__(self, message: str, result: RefreshResult | None = None) -> None:
        super().__init__(message)
        self.result = result
        """What the window loaded before and after the failure, when it got that far."""


def scope(categories: list[str]) -> str:
    return "arxiv-api:" + (",".join(sorted(categories)) if categories else "all")


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M")


def _when(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M")


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
    until_before = checkpoints.read(driver, db, source).get("until")
    last: datetime | None = until_before.to_native() if until_before else None
    if since is None:
        since = last - OVERLAP if last else end - FIRST_RUN
    search = arxiv.Search(
        query=window_query(since, end, cats),
        max_results=None,
        sort_by=arxiv.SortCriterion.LastUpdatedDate,
        sort_order=arxiv.SortOrder.Ascending,
    )
    window = f"window {_when(since)} to {_when(end)} UTC of {source}"
    kept = f"the checkpoint stays at {_when(last)} UTC" if last else "no checkpoint is saved"
    try:
        report = arxiv_api.load(settings, driver, search, progress=progress)
    except SourceUnavailable as err:
        raise RefreshIncomplete(
            f"{window} not loaded: {err} Nothing moved: {kept}; rerun the same command "
            "when the API answers."
        ) from err
    if report.unreadable:
        gaps = "; ".join(f"{r.where}: {r.reason}" for r in report.unreadable[:5])
        raise RefreshIncomplete(
            f"{window} is incomplete: {len(report.unreadable)} page(s) of the arXiv API could "
            f"not be read ({gaps}). The {report.loaded} papers that could be read are loaded; "
            f"{kept}, so nothing is skipped: rerun the same command when the API answers "
            "(safe: loads are idempotent).",
            RefreshResult(source, since, end, report),
        )
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
