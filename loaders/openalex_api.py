"""OpenAlex's REST API, asked for the works of arXiv papers and for their authors.

A work is found by the DOI arXiv gives every paper (`10.48550/arxiv.<id>`, which OpenAlex
stores lowercased); up to `OR_LIMIT` DOIs or author ids go into one `filter=...:A|B|...`
request, read with cursor paging (`cursor=*`, then `meta.next_cursor` until it is null).
Ids OpenAlex does not know are simply absent from the answers. Refusals (429), server
errors and dropped connections are retried with growing waits, honouring `Retry-After`;
a wait longer than `MAX_WAIT` (the daily budget is spent until midnight UTC) fails at once.

Hand-written on `requests` rather than `pyalex`: pyalex keeps its API key, retry policy and
email in one process-global `config` dict, builds every URL on the fixed host
api.openalex.org (its `openalex_url` setting is not used for lists, so no local replay
server), mounts its retries only for https:// and neither counts nor paces requests. A
library inside a service needs per-instance settings, a configurable base URL for tests,
counters for the load report and errors that say how to fix them; ~200 lines of requests
code give all of that with no new dependency.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from urllib.parse import urlencode, urlparse

import requests

from kg.core.config import Settings
from kg.core.errors import ConfigError, KgError, SourceUnavailable
from loaders.openalex_records import short_id

OR_LIMIT = 100
"""Values OpenAlex accepts OR-ed in one filter (more is HTTP 400 "Maximum number of values
exceeded"); one chunk of ids a request."""

PER_PAGE = 100
"""Results a page: the documented maximum (developers.openalex.org/guides/page-through-results),
so a chunk of `OR_LIMIT` ids usually comes back in one page."""

TIMEOUT = 60.0
"""Seconds to wait for one answer."""

MAX_WAIT = 300.0
"""Longest `Retry-After` worth waiting for; OpenAlex answers a spent daily budget with the
seconds until midnight UTC, which is better reported than slept through."""

MAX_BACKOFF = 60.0
"""Cap on one exponential backoff wait when OpenAlex gives no `Retry-After`."""

ARXIV_DOI = "https://doi.org/10.48550/arxiv."
_USER_AGENT = "kg (OpenAlex loader; https://openalex.org)"
_RETRIED = frozenset({429, 500, 502, 503, 504})


class OpenAlexUnavailable(SourceUnavailable):
    """OpenAlex kept refusing or failing after every retry; rerunning the load is safe."""


class OpenAlexRefused(KgError):
    """OpenAlex rejected a request as malformed (HTTP 400/404); retrying will not help."""


def arxiv_doi(arxiv_id: str) -> str:
    """The DOI URL arXiv registered for a paper, lowercased as OpenAlex stores it."""
    return ARXIV_DOI + arxiv_id.strip().lower()


def _chunks(values: Sequence[str], size: int) -> Iterator[list[str]]:
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), size):
        yield unique[start : start + size]


def _is_public_api(url: str) -> bool:
    host = (urlparse(url).hostname or "").lower()
    return host == "openalex.org" or host.endswith(".openalex.org")


def _message(response: requests.Response) -> str:
    """OpenAlex's own words for an error: its JSON `error` and `message`, else the body."""
    try:
        body = response.json()
    except ValueError:
        return response.text.strip()[:300] or response.reason
    if not isinstance(body, dict):
        return str(body)[:300]
    parts = [str(body[k]) for k in ("error", "message") if body.get(k)]
    return ": ".join(parts) or str(body)[:300]


def _retry_after(response: requests.Response) -> float | None:
    raw = response.headers.get("Retry-After", "").strip()
    try:
        return max(0.0, float(raw)) if raw else None
    except ValueError:
        return None  # an HTTP date: fall back to our own backoff


class OpenAlexClient:
    """Lists of OpenAlex works and authors, paced, retried and counted."""

    def __init__(
        self,
        settings: Settings,
        backoff: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.url = settings.openalex_url.rstrip("/")
        """API base: https://api.openalex.org, or a local server replaying recorded answers."""
        self.api_key = settings.openalex_api_key
        self.delay = settings.openalex_delay
        """Seconds between requests (KG_OPENALEX_DELAY)."""
        self.retries = settings.openalex_retries
        """Retries of one request after a 429, a 5xx or a dropped connection."""
        self.backoff = backoff
        """First wait in seconds when OpenAlex gives no Retry-After; doubles each retry."""
        self.requests = 0
        """HTTP requests sent so far, retries included."""
        self.retried = 0
        """Requests that had to be sent again."""
        self.waited = 0.0
        """Seconds spent waiting before retries (not the courtesy delay)."""
        if not self.api_key and _is_public_api(self.url):
            raise ConfigError(
                f"OpenAlex at {self.url} needs an API key: set KG_OPENALEX_API_KEY (free at "
                "https://openalex.org/settings/api after making an account), or point "
                "KG_OPENALEX_URL at a local copy"
            )
        self._sleep = sleep
        self._session = requests.Session()
        self._session.headers["User-Agent"] = _USER_AGENT
        self._last = 0.0

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> OpenAlexClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def works_by_arxiv_ids(self, arxiv_ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        """The OpenAlex works of these arXiv papers, as OpenAlex returns them, in its order."""
        dois = [arxiv_doi(i) for i in arxiv_ids]
        for chunk in _chunks(dois, OR_LIMIT):
            yield from self.pages("works", "doi:" + "|".join(chunk))

    def authors_by_ids(self, ids: Sequence[str]) -> Iterator[dict[str, Any]]:
        """The OpenAlex author records of these ids (short 'A50...' or full URLs)."""
        for chunk in _chunks([s for s in map(short_id, ids) if s], OR_LIMIT):
            yield from self.pages("authors", "openalex:" + "|".join(chunk))

    def pages(self, entity: str, filter_: str) -> Iterator[dict[str, Any]]:
        """Every result of `/{entity}?filter=...`, following `meta.next_cursor` to the end."""
        cursor: str | None = "*"
        while cursor:
            params = {"filter": filter_, "per_page": str(PER_PAGE), "cursor": cursor}
            answer = self.get(entity, params)
            results = answer.get("results") or []
            yield from results
            meta = answer.get("meta") or {}
            cursor = meta.get("next_cursor") if results else None

    def get(self, path: str, params: dict[str, str]) -> dict[str, Any]:
        """One JSON answer from `{url}/{path}`, retried as the module docstring says."""
        query = dict(params)
        if self.api_key:
            query["api_key"] = self.api_key
        url = f"{self.url}/{path.lstrip('/')}?{urlencode(query, safe=':/*,')}"
        shown = self._redact(url)
        problem = ""
        for attempt in range(self.retries + 1):
            if attempt:
                self.retried += 1
            response, problem = self._send(url)
            if response is not None:
                if response.status_code == requests.codes.ok:
                    try:
                        body = response.json()
                    except ValueError:
                        problem = "an answer that is not JSON"
                    else:
                        if isinstance(body, dict):
                            return body
                        problem = "a JSON answer that is not an object"
                elif response.status_code in _RETRIED:
                    problem = f"HTTP {response.status_code} ({_message(response)})"
                else:
                    raise self._refusal(response, shown)
            if attempt == self.retries:
                break
            wait = self._wait(attempt, response)
            if wait > MAX_WAIT:
                raise OpenAlexUnavailable(
                    f"OpenAlex refused {shown}: {problem}; it asks to wait {wait:.0f} s "
                    "(its daily budget resets at midnight UTC). Rerun the load then "
                    "(it resumes), or use a key with a larger budget in KG_OPENALEX_API_KEY"
                )
            self.waited += wait
            self._sleep(wait)
        raise OpenAlexUnavailable(
            f"OpenAlex did not answer {shown} after {self.retries + 1} tries: {problem}. "
            "Check the network, KG_OPENALEX_URL and OpenAlex's status; rerunning the load "
            "is safe (raise KG_OPENALEX_RETRIES or KG_OPENALEX_DELAY if it keeps refusing)"
        )

    def _send(self, url: str) -> tuple[requests.Response | None, str]:
        """One request, at least `delay` seconds after the previous one."""
        wait = self._last + self.delay - time.monotonic()
        if wait > 0:
            self._sleep(wait)
        self.requests += 1
        try:
            return self._session.get(url, timeout=TIMEOUT), ""
        except requests.RequestException as err:
            return None, f"no answer ({type(err).__name__}: {err})"
        finally:
            self._last = time.monotonic()

    def _wait(self, attempt: int, response: requests.Response | None) -> float:
        given = _retry_after(response) if response is not None else None
        if given is not None:
            return given
        return min(self.backoff * 2**attempt, MAX_BACKOFF)

    def _refusal(self, response: requests.Response, shown: str) -> KgError:
        said = _message(response)
        if response.status_code in (401, 403):  # a bad key, or a filter its plan lacks
            return ConfigError(
                f"OpenAlex refused {shown} (HTTP {response.status_code}: {said}). "
                "Check KG_OPENALEX_API_KEY against https://openalex.org/settings/api"
            )
        return OpenAlexRefused(
            f"OpenAlex rejected {shown} (HTTP {response.status_code}: {said}). "
            "This is a bug in the request kg built, or OpenAlex changed its API; "
            "retrying will not help"
        )

    def _redact(self, url: str) -> str:
        """The URL as shown in messages: no API key, long filters shortened."""
        url = re.sub(r"api_key=[^&]*", "api_key=***", url)
        return url if len(url) <= 200 else url[:160] + "..." + url[-30:]
