"""The arXiv API's result list, read one page at a time so that no entry is lost unseen.

`arxiv.Client` reads pages leniently: lxml's recovering parser turns a truncated page into
the entries before the cut plus a half entry (loaded with the authors it got to), a
blank first page ends the search as if it had no results, and one entry with a bad date
fails its whole page. Here each page is fetched with the client's courtesy delay and
parsed strictly; a page that is not a whole feed (HTTP error, no answer, blank, truncated
or malformed XML, no entries where the header promised some) is asked for again, up to
`TRIES` times. If it never comes whole, every entry that is complete on it is kept and
the list goes on from the first entry that was not; only what could not be read at all
makes the page unreadable, and the load then reports it as incomplete.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlencode

import arxiv
import requests
from arxiv import _feed  # the parser behind arxiv.Client (arxiv is pinned below 5)
from lxml import etree

from kg.core.config import Settings
from kg.core.errors import SourceUnavailable
from loaders.pipeline import Reject, RejectLog

TRIES = 4
"""Requests for one page before it counts as unreadable (the first and three retries)."""

GIVE_UP_AFTER = 3
"""Unreadable pages in a row after which the API is taken to be down for this run."""

TIMEOUT = 120.0
"""Seconds to wait for one page; arXiv can take a while on large pages."""

ATOM = "http://www.w3.org/2005/Atom"
_NS = {"atom": ATOM, "opensearch": "http://a9.com/-/spec/opensearch/1.1/"}
_WRAP = (
    f'<feed xmlns="{ATOM}" xmlns:arxiv="http://arxiv.org/schemas/atom" '
    'xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/">'
).encode()
_ENTRY = re.compile(rb"<entry[\s>].*?</entry>", re.S)
_ENTRY_ID = re.compile(rb"<id>\s*([^<]+?)\s*</id>")
_TOTAL = re.compile(rb"<opensearch:totalResults[^>]*>\s*(\d+)\s*<")
_USER_AGENT = "kg (arxiv.py " + getattr(arxiv, "__version__", "4") + ")"


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
    """Entries the `arxiv` parser skips while this is open, as rejects."""
    handler = _SkippedEntries()
    log = logging.getLogger("arxiv")
    log.addHandler(handler)
    try:
        yield handler
    finally:
        log.removeHandler(handler)


@dataclass
class Page:
    """What one page of the result list gave, after every try."""

    start: int
    results: list[arxiv.Result] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    read: int = 0
    """Entries read from the top of the page, good or rejected: where the next page starts."""
    total: int | None = None
    """The result count the API announced (opensearch:totalResults), if it said."""
    problem: str | None = None
    """Why the page never came whole; None when it did."""
    lost: bool = False
    """True when some of the page could not be read at all (not just cut short)."""


def _entries(elements: list[etree._Element], page: Page) -> None:
    """Turn entries into results; one unreadable entry costs only itself."""
    with capture_skipped() as skipped:
        for element in elements:
            try:
                result = _feed._build_result(element)
            except ValueError as err:  # a date fromisoformat cannot read
                where = element.findtext("atom:id", default="entry", namespaces=_NS)
                page.rejects.append(Reject(where=where.strip(), reason=f"unreadable entry: {err}"))
                continue
            if result is not None:
                page.results.append(result)
    page.rejects.extend(skipped.rejects)
    page.read = len(elements)


def _strict(content: bytes, page: Page) -> str | None:
    """Read a whole page into `page`; or say why it is not a whole page."""
    if not content.strip():
        return "blank page"
    try:
        root = etree.fromstring(content, _parser(recover=False))
    except etree.XMLSyntaxError as err:
        return f"malformed XML ({err})"
    total = root.findtext("opensearch:totalResults", namespaces=_NS)
    if total is None or not total.strip().isdigit():
        return "no opensearch:totalResults in the feed"
    page.total = int(total)
    elements = root.findall("atom:entry", _NS)
    if not elements and page.start < page.total:
        return f"no entries, though the API counts {page.total} results"
    _entries(elements, page)
    return None


def _salvage(content: bytes, page: Page) -> None:
    """Keep the complete entries of a page that never came whole, in order."""
    total = _TOTAL.search(content)
    page.total = int(total.group(1)) if total else page.total
    elements = []
    chunks = _ENTRY.findall(content)
    for chunk in chunks:
        try:
            elements.append(etree.fromstring(_WRAP + chunk + b"</feed>", _parser(False))[0])
        except etree.XMLSyntaxError as err:
            found = _ENTRY_ID.search(chunk)
            where = found.group(1).decode("utf-8", "replace") if found else "entry"
            page.rejects.append(Reject(where=where, reason=f"unreadable entry XML: {err}"))
            page.lost = True
    _entries(elements, page)
    page.read = len(chunks)


def _parser(recover: bool) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, recover=recover)


class Pages:
    """Pages of one search from the API (or a server speaking its Atom format)."""

    def __init__(self, settings: Settings, search: arxiv.Search) -> None:
        self.url = settings.arxiv_url
        self.size = settings.arxiv_page_size
        self.delay = settings.arxiv_delay
        self.search = search
        self._session = requests.Session()
        self._last = 0.0

    def url_for(self, start: int, size: int) -> str:
        args = {**self.search._url_args(), "start": str(start), "max_results": str(size)}
        return f"{self.url}?{urlencode(args)}"

    def _get(self, url: str) -> tuple[bytes, str | None]:
        """One request, at least `delay` seconds after the last (arXiv asks for 3)."""
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            time.sleep(wait)
        try:
            response = self._session.get(url, headers={"user-agent": _USER_AGENT}, timeout=TIMEOUT)
        except requests.RequestException as err:
            return b"", f"no answer ({err})"
        finally:
            self._last = time.monotonic()
        if response.status_code != requests.codes.ok:
            return response.content, f"HTTP {response.status_code}"
        return response.content, None

    def read(self, start: int, size: int) -> Page:
        """The page at `start`, asked for up to `TRIES` times until it comes whole."""
        url = self.url_for(start, size)
        best = b""  # the answer with the most whole entries, if none came whole
        problem: str | None = None
        for _ in range(TRIES):
            content, problem = self._get(url)
            if problem is None:
                page = Page(start)
                problem = _strict(content, page)
                if problem is None:
                    return page
                if len(_ENTRY.findall(content)) >= len(_ENTRY.findall(best)):
                    best = content  # error answers (HTTP 4xx/5xx) are never salvaged
        page = Page(start, problem=problem)
        _salvage(best, page)
        page.lost = page.lost or page.read == 0
        return page


def fetch(
    settings: Settings, search: arxiv.Search, rejects: RejectLog, unreadable: list[Reject]
) -> Iterator[arxiv.Result]:
    """Every result of `search` that can be read, each once, in the API's order.

    Entries that cannot be read go to `rejects`; stretches of the list that could not be
    read at all go to `rejects` and `unreadable` (the list is then incomplete: read it
    again). Raises `SourceUnavailable` when not even the first page can be read.
    """
    pages = Pages(settings, search)
    limit = search.max_results
    offset, total, failed_in_a_row = 0, 0, 0
    seen: set[str] = set()
    while limit is None or offset < limit:
        size = pages.size if limit is None else min(pages.size, limit - offset)
        page = pages.read(offset, size)
        if page.total is None and offset == 0:
            raise SourceUnavailable(
                f"arXiv API at {settings.arxiv_url} failed after retries ({TRIES} tries): "
                f"{page.problem}. "
                "Check the network or KG_ARXIV_URL; rerunning the load is safe."
            )
        total = total if page.total is None else page.total
        rejects.extend(page.rejects)
        for result in page.results:
            if result.entry_id not in seen:
                seen.add(result.entry_id)
                yield result
        failed_in_a_row = failed_in_a_row + 1 if page.lost else 0
        if page.lost:
            end = offset + (page.read or size)
            gap = Reject(
                f"results {offset}-{end - 1} of the search",
                f"unreadable page after {TRIES} tries: {page.problem}",
            )
            rejects.append(gap)
            unreadable.append(gap)
        elif page.read == 0:
            break  # a whole page with no entries: the list has ended
        offset += page.read or size
        if offset >= total:
            break
        if failed_in_a_row >= GIVE_UP_AFTER:
            rest = Reject(
                f"results {offset}-{total - 1} of the search",
                f"not read: {GIVE_UP_AFTER} unreadable pages in a row, so the API seems down",
            )
            rejects.append(rest)
            unreadable.append(rest)
            break
