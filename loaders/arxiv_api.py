"""Load papers from the arXiv API (or a server speaking its Atom format) via `arxiv`."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import arxiv
import neo4j
import requests
from tqdm import tqdm

from kg.core.config import Settings
from kg.core.errors import SourceUnavailable, UsageError
from loaders.pipeline import LoadReport, Reject, RejectLog, write_batches
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


def client(settings: Settings) -> arxiv.Client:
    c = arxiv.Client(
        page_size=settings.arxiv_page_size, delay_seconds=settings.arxiv_delay, num_retries=3
    )
    c.query_url_format = settings.arxiv_url + "?{}"
    return c


class _SkippedEntries(logging.Handler):
    """The `arxiv` parser logs and drops entries it cannot read; collect them as rejects."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.rejects: list[Reject] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Skipping entry"):
            args = record.args if isinstance(record.args, tuple) else ()
            where = str(args[0]) if args and "missing" in message else "entry"
            self.rejects.append(Reject(where=where, reason=message))
        elif "Malformed feed" in message:
            self.rejects.append(Reject(where="feed page", reason=message))


@contextmanager
def capture_skipped() -> Iterator[_SkippedEntries]:
    handler = _SkippedEntries()
    log = logging.getLogger("arxiv")
    log.addHandler(handler)
    try:
        yield handler
    finally:
        log.removeHandler(handler)


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


def fetch(settings: Settings, search: arxiv.Search, rejects: RejectLog) -> Iterator[arxiv.Result]:
    """Results page by page; a page that fails to parse is reported and skipped, not fatal.

    When the parser drops an entry, `arxiv` starts its next page that many results early,
    so a few entries arrive twice; they are passed on once.
    """
    api = client(settings)
    offset = 0
    seen: set[str] = set()
    with capture_skipped() as skipped:
        while True:
            try:
                for result in api.results(search, offset=offset):
                    offset += 1
                    rejects.extend(skipped.rejects)
                    skipped.rejects.clear()
                    if result.entry_id not in seen:
                        seen.add(result.entry_id)
                        yield result
                break
            except (arxiv.HTTPError, requests.RequestException) as err:
                raise SourceUnavailable(
                    f"arXiv API at {settings.arxiv_url} failed after retries: {err}. "
                    "Check the network or KG_ARXIV_URL; rerunning the load is safe."
                ) from err
            except (ValueError, arxiv.ArxivError) as err:
                end = offset + api.page_size
                rejects.append(
                    Reject(
                        where=f"results {offset}-{end - 1} of the search",
                        reason=f"unreadable page: {err}",
                    )
                )
                offset = end
                if search.max_results is not None and offset >= search.max_results:
                    break
        rejects.extend(skipped.rejects)


def load(
    settings: Settings,
    driver: neo4j.Driver,
    search: arxiv.Search,
    progress: bool = True,
) -> LoadReport:
    """Fetch, validate and upsert in batches of `settings.batch_size` papers."""
    report = LoadReport()
    found = fetch(settings, search, report.rejects)
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
