"""Every Cypher query the API runs goes through `Gateway`: named files, parameters, one count.

The GraphQL layer never builds Cypher. Each method runs one named query from `queries/`
for any number of researchers at once, so the per-request loaders can batch; `queries`
counts the round trips, which is how the tests prove a page costs a bounded number.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import neo4j
from graphql import GraphQLError

from kg.api.errors import REQUEST_TIMEOUT, coded
from kg.api.requests import CollaboratorRequest, WorksRequest
from kg.core import queries
from kg.core.config import Settings

MAX_AUTHORS_LISTED = 100
"""Authors returned per work, in order; `authorCount` always has the full number."""

CONNECTION_CANDIDATES = 50
"""Shortest chains `connection` finds before it keeps the strongest (see its query)."""

PAGE_PARTS = {
    "graphStats": ("graphCitations", "graphHIndex", "graphI10Index"),
    "worksByYear": ("worksByYear",),
    "topicsByYear": ("topicsByYear",),
    "topics": ("topics",),
    "institutions": ("institutions",),
    "trust": ("trust",),
}
"""Parts of a profile page that walk the researcher's works or affiliations, by the row keys
(and GraphQL fields) that read them: a page computes only the parts its request selects."""


def _part_flags(wanted: AbstractSet[str]) -> dict[str, bool]:
    """`$parts` of the profile queries: which `PAGE_PARTS` to compute."""
    return {part: part in wanted for part in PAGE_PARTS}


def _without_others(row: dict[str, Any], wanted: AbstractSet[str]) -> dict[str, Any]:
    """A profile row without the columns of the parts not computed (they hold 0 or []): a
    reader missing one asks for it (`Researcher._full`) instead of showing a wrong 0."""
    for part in PAGE_PARTS.keys() - wanted:
        for name in PAGE_PARTS[part]:
            del row[name]
    return row


def iso_date(value: str | None) -> date | None:
    """A date the query sent as text (`toString(p.published)`): the driver's temporal types
    cost more to decode than the rest of a page of works, `fromisoformat` next to nothing."""
    return None if value is None else date.fromisoformat(value)


def iso_datetime(value: str | None) -> datetime | None:
    """A datetime the query sent as text (`toString(p.updated)`), as `iso_date`; a zone
    name after the offset (`+01:00[Europe/London]`) is dropped, the offset kept."""
    if value is None:
        return None
    return datetime.fromisoformat(value.split("[", 1)[0])


@dataclass
class Gateway:
    """The graph as the API reads and writes it, for one request (or one benchmark client)."""

    driver: neo4j.AsyncDriver
    database: str = "neo4j"
    timeout: float | None = None
    """Seconds Neo4j may spend on one query before it aborts it (KG_QUERY_TIMEOUT)."""
    max_authors: int = 100
    """The loader's COAUTHOR cap, so close-collaborator counts agree with the edges."""
    queries: int = 0
    deadline: float | None = None
    """`time.monotonic()` by which the whole request must be done (KG_REQUEST_TIMEOUT): each
    query gets what is left, Neo4j ends its transaction then, and none starts after it."""
    budget: float | None = None
    """The request's time budget in seconds, for the error message."""

    @classmethod
    def for_request(
        cls,
        driver: neo4j.AsyncDriver,
        settings: Settings,
    ) -> Gateway:
        """A gateway with the settings' query timeout, COAUTHOR cap and request budget."""
        return cls(
            driver,
            database=settings.neo4j_database,
            timeout=settings.query_timeout,
            max_authors=settings.coauthor_max_authors,
            deadline=time.monotonic() + settings.request_timeout,
            budget=settings.request_timeout,
        )

    async def run(self, name: str, write: bool = False, **params: Any) -> list[dict[str, Any]]:
        """Rows of `queries/NAME.cypher`; reads go to a read session, writes to a write one."""
        left = self._time_left()
        self.queries += 1
        timeout = self.timeout if left is None else min(left, self.timeout or left)
        # one statement is one auto-commit transaction: atomic, and never retried for
        # seconds behind the caller's back when Neo4j is down (a UI wants the error now)
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        try:
            async with (
                asyncio.timeout(left),
                self.driver.session(database=self.database, default_access_mode=mode) as s,
            ):
                result = await s.run(neo4j.Query(queries.text(name), timeout=timeout), params)
                keys = result.keys()
                # rows are maps and scalars (never nodes), so skip the driver's .data() walk
                return [dict(zip(keys, record, strict=True)) async for record in result]
        except TimeoutError:  # the budget ran out while Neo4j worked: it ends that too
            raise self._spent() from None

    def _time_left(self) -> float | None:
        if self.deadline is None:
            return None
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise self._spent()
        return left

    def _spent(self) -> GraphQLError:
        return coded(
            f"The request used up its time budget ({self.budget or 0:g} s, KG_REQUEST_TIMEOUT) "
            "before it was done; ask for less in one request, e.g. smaller pages.",
            REQUEST_TIMEOUT,
        )

    async def existing(self, keys: list[str]) -> dict[str, str]:
        """{id: its record's id now} for the ids in the graph (a merged-away id gives the
        record it redirects to); an index lookup or two each, no more."""
        rows = await self.run("researcher_exists", keys=keys)
        return {row["id"]: row["current"] for row in rows}

    async def profiles(
        self, keys: list[str], parts: AbstractSet[str] | None = None
    ) -> dict[str, dict[str, Any]]:
        """Profiles by the id asked for; a merged-away id gets its record's, with `movedFrom`.

        Of the `PAGE_PARTS`, only `parts` (all when None) are computed; the rows leave out
        the keys of the others."""
        wanted = PAGE_PARTS.keys() if parts is None else parts
        rows = await self.run("researcher_profile", keys=keys, parts=_part_flags(wanted))
        return {row["movedFrom"] or row["id"]: _without_others(row, wanted) for row in rows}

    async def owner(self, key: str) -> dict[str, Any] | None:
        """{id, owner}: who holds the verified claim on a record; None if it does not exist."""
        rows = await self.run("researcher_owner", key=key)
        return rows[0] if rows else None

    async def works(self, keys: list[str], request: WorksRequest) -> dict[str, dict[str, Any]]:
        rows = await self.run(
            "researcher_works",
            keys=keys,
            maxAuthorsListed=MAX_AUTHORS_LISTED,
            **request.params(),
        )
        return {row["key"]: row for row in rows}

    async def collaborators(
        self, keys: list[str], request: CollaboratorRequest
    ) -> dict[str, dict[str, Any]]:
        rows = await self.run(
            "close_collaborators", keys=keys, maxAuthors=self.max_authors, **request.params()
        )
        return {row["key"]: row for row in rows}

    async def page(
        self,
        key: str,
        works: WorksRequest | None,
        collaborators: Sequence[CollaboratorRequest],
        parts: AbstractSet[str] | None = None,
    ) -> dict[str, Any] | None:
        """Profile, a works page and collaborator pages/counts of one researcher, one query.

        Of the `PAGE_PARTS`, only `parts` (all when None) are computed; the row leaves out
        the keys of the others."""
        wanted = PAGE_PARTS.keys() if parts is None else parts
        rows = await self.run(
            "researcher_page",
            key=key,
            works=works.params() if works else None,
            maxAuthorsListed=MAX_AUTHORS_LISTED,
            collaborators=[r.params() for r in collaborators],
            maxAuthors=self.max_authors,
            parts=_part_flags(wanted),
        )
        return _without_others(rows[0], wanted) if rows else None

    async def neighbourhood(
        self, keys: list[str], *, depth: int, limit: int, spans: bool = True
    ) -> dict[str, dict[str, Any]]:
        rows = await self.run(
            "researcher_context", keys=keys, depth=depth, limit=limit, spans=spans
        )
        return {row["key"]: row for row in rows}

    async def connection(
        self, source: str, target: str, *, max_hops: int, first: int, evidence: int | None
    ) -> dict[str, Any] | None:
        """Shortest co-author chains between two ids, with up to `evidence` shared works per
        link (None: none read); None when either id is unknown."""
        ends: dict[str, Any] = {"from": source, "to": target}  # Python keywords
        rows = await self.run(
            "researcher_connection",
            **ends,
            maxHops=max_hops,
            candidates=CONNECTION_CANDIDATES,
            first=first,
            evidence=evidence,
            maxAuthors=self.max_authors,
            maxAuthorsListed=MAX_AUTHORS_LISTED,
        )
        return rows[0] if rows else None

    async def viewers(self, keys: list[str], user: str) -> dict[str, dict[str, Any]]:
        rows = await self.run("researcher_viewer", keys=keys, user=user)
        return {row["key"]: row for row in rows}

    async def search_researchers(self, lucene: str, first: int) -> list[dict[str, Any]]:
        return await self.run("search_researchers", query=lucene, first=first)

    async def search_works(self, lucene: str, first: int) -> list[dict[str, Any]]:
        return await self.run(
            "search_works", query=lucene, first=first, maxAuthorsListed=MAX_AUTHORS_LISTED
        )

    async def write(self, name: str, user: str, key: str) -> dict[str, Any] | None:
        """Run a follow/unfollow/claim query as `user`; None if the researcher is unknown."""
        rows = await self.run(name, write=True, user=user, key=key)
        return rows[0] if rows else None
