"""A local stand-in for export.arxiv.org/api/query that replays recorded Atom feeds.

The recorded pages in a directory are read in name order as one result list; requests are
answered like the real API: `start`/`max_results` slice it; `id_list`, `au:"Name"`,
`cat:code` and `lastUpdatedDate:[from TO to]` filter it; the opensearch header carries
the total. The tests point the loaders at it: the real API is not reachable from CI, and
a recorded feed answers the same every time. `fail()` makes it misbehave the way the real
API sometimes does (errors, blank, empty or truncated pages), for a given page.
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from lxml import etree

ATOM = "http://www.w3.org/2005/Atom"
NS = {
    "atom": ATOM,
    "arxiv": "http://arxiv.org/schemas/atom",
    "opensearch": "http://a9.com/-/spec/opensearch/1.1/",
}
SAMPLE_DIR = Path(__file__).resolve().parent.parent / "loaders" / "sample"


def _entries(directory: Path) -> list[etree._Element]:
    entries: list[etree._Element] = []
    for page in sorted(directory.glob("*.xml")):
        root = etree.parse(str(page)).getroot()
        entries.extend(root.iterfind("atom:entry", NS))
    return entries


def _entry_id(entry: etree._Element) -> str:
    raw = entry.findtext("atom:id", default="", namespaces=NS)
    return re.sub(r"v\d+$", "", raw.rsplit("/abs/", 1)[-1])


def _matches(entry: etree._Element, query: str, ids: list[str]) -> bool:
    if ids and _entry_id(entry) not in ids:
        return False
    for name in re.findall(r'au:"([^"]+)"', query):
        names = [n.lower() for n in entry.xpath("atom:author/atom:name/text()", namespaces=NS)]
        if name.lower() not in names:
            return False
    cats = re.findall(r"cat:([\w.\-]+)", query)
    if cats and not set(cats) & set(entry.xpath("atom:category/@term", namespaces=NS)):
        return False  # categories are ORed, as `kg refresh` asks
    for low, high in re.findall(r"lastUpdatedDate:\[(\d{12}) TO (\d{12})\]", query):
        updated = re.sub(r"\D", "", entry.findtext("atom:updated", "", NS))[:12]
        if not low <= updated <= high:
            return False
    return True


def render_page(
    entries: list[etree._Element], query: str, ids: list[str], start: int, size: int
) -> bytes:
    chosen = [e for e in entries if _matches(e, query, ids)]
    nsmap: dict[str | None, str] = {
        None: ATOM,
        "arxiv": NS["arxiv"],
        "opensearch": NS["opensearch"],
    }
    feed = etree.Element(f"{{{ATOM}}}feed", nsmap=nsmap)
    etree.SubElement(feed, f"{{{ATOM}}}id").text = "https://arxiv.org/api/recorded"
    etree.SubElement(feed, f"{{{ATOM}}}title").text = f"arXiv Query: {query}"
    etree.SubElement(feed, f"{{{ATOM}}}updated").text = "2026-11-23T00:00:00-05:00"
    for tag, value in (
        ("totalResults", len(chosen)),
        ("startIndex", start),
        ("itemsPerPage", size),
    ):
        etree.SubElement(feed, f"{{{NS['opensearch']}}}{tag}").text = str(value)
    for entry in chosen[start : start + size]:
        feed.append(entry.__copy__())
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)


FAULTS = ("http-503", "blank", "empty", "truncate", "broken-entry")
"""How `fail()` can spoil a page: an HTTP 503; a 200 with no body; a whole feed whose
entries are missing; the body cut off inside the page's last entry, in its author list; the
page's second entry with broken XML (an unclosed tag)."""


def spoil(body: bytes, fault: str) -> bytes:
    """The page `body` as it arrives with `fault`."""
    if fault == "blank":
        return b""
    if fault == "empty":
        feed = etree.fromstring(body)
        for entry in feed.findall("atom:entry", NS):
            feed.remove(entry)
        return etree.tostring(feed, xml_declaration=True, encoding="UTF-8")
    if fault == "truncate":
        last = body.rfind(b"<entry")
        return body[: body.index(b"</name>", last) + len(b"</name>")]
    if fault == "broken-entry":
        second = body.index(b"<entry", body.index(b"<entry") + 1)
        title = body.index(b"</title>", second)
        return body[:title] + body[title + len(b"</title>") :]
    raise ValueError(f"unknown fault {fault!r}, not one of {FAULTS}")


class FeedServer:
    """Serve one directory of recorded feeds on 127.0.0.1 from a background thread."""

    def __init__(self, directory: Path = SAMPLE_DIR, port: int = 0) -> None:
        entries = _entries(directory)
        self.requests: list[str] = []
        self.faults: list[tuple[int, str, str]] = []
        requests_seen, faults = self.requests, self.faults

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                url = urlparse(self.path)
                args = parse_qs(url.query)
                requests_seen.append(self.path)
                ids = [i for i in args.get("id_list", [""])[0].split(",") if i]
                query = args.get("search_query", [""])[0]
                start = int(args.get("start", ["0"])[0])
                body = render_page(
                    entries, query, ids, start, int(args.get("max_results", ["10"])[0])
                )
                fault = next((f for f in faults if f[0] == start and f[1] in query), None)
                if fault:
                    faults.remove(fault)
                    if fault[2] == "http-503":
                        self.send_error(503, "Service Unavailable")
                        return
                    body = spoil(body, fault[2])
                self.send_response(200)
                self.send_header("Content-Type", "application/atom+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def fail(self, start: int, fault: str, times: int = 1, query: str = "") -> None:
        """Spoil the next `times` answers for the page at `start` (of a search_query
        containing `query`) with `fault`, one of `FAULTS`."""
        assert fault in FAULTS, fault
        self.faults.extend([(start, query, fault)] * times)

    def starts(self) -> list[int]:
        """The `start` of every request so far, in order."""
        return [int(parse_qs(urlparse(u).query)["start"][0]) for u in self.requests]

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}/api/query"

    def __enter__(self) -> FeedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
