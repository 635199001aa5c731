"""Load papers from the arXiv API (or a server speaking its Atom format) via `arxiv`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import arxiv
import neo4j
from tqdm import tqdm

from kg.core.config import Settings
from kg.core.errors import UsageError
from loaders import arxiv_pages
from loaders.pipeline import LoadReport, Reject, write_batches
from loaders.records import PaperRecord, RejectedRecord, make_record


def build_search(
    *,
    author: str | None = None,
    query: str | None = None,
    category: str | None = None,
    ids: list[str] | None = None,
    max_results: int | None = None,
) -> arxiv.Search:
    """An arXiv search from CLI-style filters; several filters are ANDed."""
    terms = []
    if author:
        terms.append(f'au:"{author.replace(chr(34), "")}"')
    if category:
        terms.append(f"cat:{category}")
    if query:
        terms.append(f"({query})" if terms else query)
    if not terms and not ids:
        raise UsageError("give at least one of --author, --query, --category or --id")
    return arxiv.Search(
        query=" AND ".join(terms),
        id_list=list(ids or []),
        max_results=max_results,
        sort_by=arxiv.SortCriterion.SubmittedDate,
    )


def to_record(result: arxiv.Result) -> PaperRecord:
    return make_record(
        raw_id=result.entry_id,
        title=result.title,
        abstract=result.summary,
        published=result.published.date() if result.published else None,
        updated=result.updated,
        primary_category=result.primary_category,
        categories=result.categories,
        authors=[(a.name, list(a.affiliation or [])) for a in result.authors],
        doi=result.doi,
        journal_ref=result.journal_ref,
        comment=result.comment,
        pdf_url=result.pdf_url,
    )


def load(
    settings: Settings,
    driver: neo4j.Driver,
    search: arxiv.Search,
    progress: bool = True,
) -> LoadReport:
    """Fetch (page by page, see `arxiv_pages`), validate and upsert in batches of
    `settings.batch_size` papers; what cannot be read is reported."""
    report = LoadReport()
    found = arxiv_pages.fetch(settings, search, report.rejects, report.unreadable)
    return load_results(settings, driver, found, report, search.max_results, progress)


def load_results(
    settings: Settings,
    driver: neo4j.Driver,
    results: Iterable[arxiv.Result],
    report: LoadReport,
    total: int | None = None,
    progress: bool = True,
) -> LoadReport:
    """Validate `arxiv` results as they come and write them; a bad one becomes a reject."""
    bar = tqdm(total=total, unit=" papers", desc="arXiv", disable=not progress, dynamic_ncols=True)

    def records() -> Iterator[PaperRecord]:
        for result in results:
            report.fetched += 1
            bar.update(1)
            try:
                yield to_record(result)
            except RejectedRecord as err:
                report.rejects.append(Reject(where=result.entry_id, reason=str(err)))

    with bar:
        return write_batches(settings, driver, records(), report)
