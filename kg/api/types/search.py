"""Search results: researchers by name and works by title or abstract, best match first.

`Query.search` only checks its arguments; each list here runs its full-text query when,
and only if, a caller asks for it. Hits wrap the `Researcher` and `Work` types, which is
why this module comes after both.
"""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from kg.api.context import Context
from kg.api.types.researcher import Researcher, work
from kg.api.types.works import Work


@strawberry.type
class ResearcherHit:
    score: float
    researcher: Researcher


@strawberry.type
class WorkHit:
    score: float
    work: Work


@strawberry.type(description="Search results, each list best match first.")
class SearchResults:
    """Each list is one full-text query, run only if asked for (both at once if both are)."""

    _lucene: strawberry.Private[str]
    _first: strawberry.Private[int]

    @strawberry.field(description="Researchers whose name matches.")
    async def researchers(self, info: Info[Context, None]) -> list[ResearcherHit]:
        if not self._first:
            return []
        rows = await info.context.gateway.search_researchers(self._lucene, self._first)
        return [ResearcherHit(score=r["score"], researcher=Researcher.of(r)) for r in rows]

    @strawberry.field(description="Works whose title or abstract matches.")
    async def works(self, info: Info[Context, None]) -> list[WorkHit]:
        if not self._first:
            return []
        rows = await info.context.gateway.search_works(self._lucene, self._first)
        return [WorkHit(score=w["score"], work=work(w["work"])) for w in rows]
