"""A local stand-in for api.openalex.org that replays recorded work and author objects.

`/works?filter=doi:A|B` and `/authors?filter=openalex:A1|A2` (also `ids.openalex:`,
`openalex_id:`) are answered like the real API: DOIs match with or without the
https://doi.org/ prefix and in any case, short or full OpenAlex ids match, unknown values
are simply absent, more than `OR_LIMIT` values is a 400. Cursor paging works as OpenAlex's
does: `cursor=*` starts, `meta.next_cursor` is an opaque base64 string while a page comes
back full, and null once a page is short (so a full last page is followed by an empty one).
`api_key` is checked when the server has one (401 with OpenAlex's body otherwise), and
`fail()` makes the next requests fail with a 429 (with `Retry-After`) or a 5xx.
"""

from __future__ import annotations

import base64
import json
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "openalex"
OR_LIMIT = 100
MAX_PER_PAGE = 200
"""What the real API's code accepts (its docs say 100); more is a 400."""


def _doi_key(value: str) -> str:
    value = value.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "doi.org/", "doi:"):
        if value.startswith(prefix):
            return value[len(prefix) :]
    return value


def _id_key(value: str) -> str:
    return value.strip().rstrip("/").rsplit("/", 1)[-1].upper()


def _cursor(offset: int) -> str:
    return base64.b64encode(json.dumps(str([offset])).encode()).decode()


def _offset(cursor: str) -> int:
    return int(json.loads(base64.b64decode(cursor).decode()).strip("[]"))


@dataclass
class Answer:
    status: int
    body: dict[str, Any]
    headers: dict[str, str]


class OpenAlexServer:
    """Serve recorded `works.json` and `authors.json` on 127.0.0.1 from a background thread."""

    def __init__(
        self,
        directory: Path = FIXTURES,
        api_key: str | None = None,
        per_page_cap: int = MAX_PER_PAGE,
        port: int = 0,
    ) -> None:
        self.works: list[dict[str, Any]] = json.loads((directory / "works.json").read_text())
        self.authors: list[dict[str, Any]] = json.loads((directory / "authors.json").read_text())
        self.api_key = api_key
        """The key requests must carry (`api_key=`), or None to accept any or none."""
        self.per_page_cap = per_page_cap
        """Results a page at most, whatever `per_page` asks: lower it to force paging."""
        self.requests: list[str] = []
        """Path and query of every request, in order."""
        self._faults: list[tuple[int, str | None]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                answer = server.answer(self.path)
                data = json.dumps(answer.body).encode()
                self.send_response(answer.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        """Base URL for KG_OPENALEX_URL, like https://api.openalex.org."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail(self, times: int = 1, status: int = 429, retry_after: float | None = None) -> None:
        """Answer the next `times` requests with `status` (and `Retry-After`, if given)."""
        header = None if retry_after is None else f"{retry_after:g}"
        with self._lock:
            self._faults.extend([(status, header)] * times)

    def filters(self) -> list[str]:
        """The `filter` parameter of every request so far."""
        return [self.params(r).get("filter", "") for r in self.requests]

    @staticmethod
    def params(request: str) -> dict[str, str]:
        """One recorded request's query parameters (the last value of each)."""
        return {k: v[-1] for k, v in parse_qs(urlparse(request).query).items()}

    def answer(self, raw_path: str) -> Answer:
        with self._lock:
            self.requests.append(raw_path)
            fault = self._faults.pop(0) if self._faults else None
        if fault:
            return self._fault(*fault)
        url = urlparse(raw_path)
        args = self.params(raw_path)
        if self.api_key is not None and args.get("api_key") != self.api_key:
            body = {"error": "Invalid or missing API key", "message": "API key not found"}
            return Answer(401, body, {})
        entity = url.path.strip("/")
        if entity not in ("works", "authors"):
            return Answer(404, {"error": "Not found", "message": f"no endpoint {url.path}"}, {})
        try:
            chosen = self._select(entity, args.get("filter", ""))
            per_page = int(args.get("per_page") or args.get("per-page") or 25)
            if not 1 <= per_page <= MAX_PER_PAGE:
                raise ValueError(f"per-page parameter must be between 1 and {MAX_PER_PAGE}.")
            cursor = args.get("cursor")
            start = _offset(cursor) if cursor and cursor != "*" else 0
        except ValueError as err:
            body = {"error": "Invalid query parameters error.", "message": str(err)}
            return Answer(400, body, {})
        size = min(per_page, self.per_page_cap)
        page = chosen[start : start + size]
        meta: dict[str, Any] = {
            "count": len(chosen),
            "db_response_time_ms": 12,
            "page": None if cursor else 1,
            "per_page": per_page,
            "groups_count": None,
        }
        if cursor:
            meta["next_cursor"] = _cursor(start + size) if len(page) == size else None
        return Answer(200, {"meta": meta, "results": page, "group_by": []}, _RATE_HEADERS)

    def _select(self, entity: str, filter_: str) -> list[dict[str, Any]]:
        records = self.works if entity == "works" else self.authors
        if not filter_:
            return records
        field, _, value = filter_.partition(":")
        values = [v for v in value.split("|") if v]
        if len(values) > OR_LIMIT:
            raise ValueError(
                f"Maximum number of values exceeded for {field}. "
                f"Decrease values to {OR_LIMIT} or below"
            )
        if entity == "works" and field == "doi":
            wanted = {_doi_key(v) for v in values}
            return [w for w in records if w.get("doi") and _doi_key(w["doi"]) in wanted]
        if field in ("openalex", "ids.openalex", "openalex_id", "id"):
            ids = {_id_key(v) for v in values}
            return [r for r in records if _id_key(r["id"]) in ids]
        raise ValueError(f"{field} is not a valid field for {entity} in this replay server")

    def _fault(self, status: int, retry_after: str | None) -> Answer:
        headers = {} if retry_after is None else {"Retry-After": retry_after}
        if status == 429:
            message = "Rate limit exceeded: 100 requests per second. Please slow down."
            body: dict[str, Any] = {"error": "Rate limit exceeded", "message": message}
            if retry_after is not None:
                body["retryAfter"] = float(retry_after)
            return Answer(429, body, {**_RATE_HEADERS, **headers})
        return Answer(status, {"error": "Server error", "message": "Temporary issue"}, headers)

    def __enter__(self) -> OpenAlexServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()


_RATE_HEADERS = {
    "X-RateLimit-Limit": "10000",
    "X-RateLimit-Remaining": "9990",
    "X-RateLimit-Credits-Used": "1",
    "X-RateLimit-Reset": "43200",
}
"""Headers OpenAlex sends with every answer (credits; reset in seconds to midnight UTC)."""
