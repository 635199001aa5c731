"""A researcher and what their profile lists: topics, institutions, works, collaborators.

`Researcher` is the hub of the schema, so this module sits above the other type modules:
it builds `Work`s (whose authors are `Researcher`s again) and collaborator pages from rows,
which the modules defining those types cannot do without importing this one. Resolvers
only translate: arguments become requests in `kg.api.requests`, rows come from the
per-request loaders in `kg.api.context`, so every list costs one query however long it is.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

import strawberry
from strawberry.types import Info

from kg.api.context import Context, Row
from kg.api.errors import NOT_FOUND, coded
from kg.api.gateway import PAGE_PARTS, iso_date, iso_datetime
from kg.api.lookahead import SelectionMemo, nested_args
from kg.api.requests import CollaboratorRequest, WorksRequest, work_fields
from kg.api.trust import assess
from kg.api.types.collaborators import (
    CollaboratorConnection,
    CollaboratorEdge,
    CollaboratorOrder,
)
from kg.api.types.counts import TopicYearCount, YearCount, topic_year_counts, year_counts
from kg.api.types.institution import Institution, institution
from kg.api.types.neighbourhood import (
    MAX_CONTEXT_LIMIT,
    ResearcherContext,
    check_neighbourhood,
    researcher_context,
)
from kg.api.types.pagination import cursor, page_info
from kg.api.types.trust import Trust, trust
from kg.api.types.works import Work, WorkConnection, WorkEdge, WorkOrder, code_url

_OPENALEX = (
    "This is OpenAlex's figure for its author record, which may count works not in this "
    "graph (`graphCitations`, `graphHIndex`, `graphI10Index` count only this graph's); null "
    "until `kg load openalex` has run."
)
_GRAPH = (
    "Computed from the works in this graph and their per-work citations (OpenAlex's "
    "counts); 0 without citation data."
)
_COAUTHOR_CAP = (
    "Shared works never include papers with more authors than the loader's COAUTHOR cap "
    "(KG_COAUTHOR_MAX_AUTHORS, default 100)."
)


_PARTS_OF = {name: frozenset({part}) for part, names in PAGE_PARTS.items() for name in names}
"""The costly part of a profile (`PAGE_PARTS`) a row key belongs to."""


_WORK_FIELDS: SelectionMemo[frozenset[str]] = SelectionMemo()
"""The `Work` fields a `works` field selects, worked out once per document."""


@strawberry.enum(description="Where a researcher record stands with its owner.")
class ClaimStatus(Enum):
    UNCLAIMED = "UNCLAIMED"
    PENDING = strawberry.enum_value("PENDING", description="Claimed, not yet verified.")
    VERIFIED = strawberry.enum_value("VERIFIED", description="Claim verified by an operator.")
    REJECTED = strawberry.enum_value(
        "REJECTED", description="This caller's claim was rejected (never a record's status)."
    )


@strawberry.type(description="An arXiv category, e.g. code `cs.LG`, shown as `LG`.")
class Topic:
    code: str
    label: str = strawberry.field(description="Short label a UI shows: `LG` for `cs.LG`.")
    name: str
    works_count: int = strawberry.field(description="This researcher's works in the topic.")


@strawberry.type(description="What the caller has to do with a researcher record.")
class Viewer:
    following: bool = strawberry.field(description="The caller follows the record.")
    claim: ClaimStatus | None = strawberry.field(
        description="The caller's own claim on the record (PENDING, VERIFIED or REJECTED); "
        "null if they made none."
    )


@strawberry.type(description="A researcher: one person, with the works assigned to them.")
class Researcher:
    id: strawberry.ID = strawberry.field(
        description="Stable id of the record: the normalised name (`zihang-liu`), or for a "
        "namesake the name and the paper that founded the record (`wei-zhang--2101.00001`)."
    )
    name: str
    moved_from: strawberry.ID | None = strawberry.field(
        description="The id asked for, when that record was merged into this one (the old "
        "id keeps working); null otherwise."
    )
    _row: strawberry.Private[Row]

    @classmethod
    def of(cls, row: Row) -> Researcher:
        """From a row with at least `id` and `name`; other fields load on demand, batched."""
        moved = row.get("movedFrom")
        return cls(
            id=strawberry.ID(row["id"]),
            name=row["name"],
            moved_from=strawberry.ID(moved) if moved else None,
            _row=row,
        )

    async def _full(self, info: Info[Context, None], need: str = "worksCount") -> Row:
        """The row with `need` in it: a profile page leaves out the parts nobody selected
        (see `PAGE_PARTS`), and a listed researcher has only `id` and `name`."""
        if need not in self._row:
            row = await info.context.profile(str(self.id), _PARTS_OF.get(need, frozenset()))
            if row is None:  # listed a moment ago, removed since (a load changed the graph)
                raise coded(
                    f"Researcher {str(self.id)!r} is no longer in the graph (a load changed it "
                    "while this request ran); ask again.",
                    NOT_FOUND,
                )
            self._row = {**self._row, **row}  # keeps the parts read before
        return self._row

    @strawberry.field(description="Every spelling seen in the sources, e.g. `Liu, Zihang`.")
    async def name_variants(self, info: Info[Context, None]) -> list[str]:
        return (await self._full(info))["nameVariants"]  # type: ignore[no-any-return]

    @strawberry.field(
        description="What the caller (their API key) has to do with this record: follow, "
        "claim. Null without an API key, so a page can show its buttons in the right state."
    )
    async def viewer(self, info: Info[Context, None]) -> Viewer | None:
        user = info.context.caller.user
        if user is None:
            return None
        row = await info.context.viewer(str(self.id), user)
        if row is None:
            return None
        claim = row["claim"]
        return Viewer(following=row["following"], claim=ClaimStatus(claim) if claim else None)

    @strawberry.field(description="Works on arXiv listing them as an author.")
    async def works_count(self, info: Info[Context, None]) -> int:
        return (await self._full(info))["worksCount"]  # type: ignore[no-any-return]

    @strawberry.field(description="Users following this researcher.")
    async def followers_count(self, info: Info[Context, None]) -> int:
        return (await self._full(info))["followersCount"]  # type: ignore[no-any-return]

    @strawberry.field(description="Whether someone claimed this record, and if it was verified.")
    async def claim_status(self, info: Info[Context, None]) -> ClaimStatus:
        return ClaimStatus((await self._full(info))["claimStatus"])

    @strawberry.field(
        description="PageRank in the weighted co-author graph (sums to 1 over all ranked "
        "researchers): how central they are among collaborators. Null until `kg analytics` "
        "has run, and for researchers without a COAUTHOR edge."
    )
    async def pagerank(self, info: Info[Context, None]) -> float | None:
        return (await self._full(info))["pagerank"]  # type: ignore[no-any-return]

    @strawberry.field(
        description="Their co-author community (Louvain), numbered by size: 0 is the largest. "
        "Null until `kg analytics` has run, and for researchers without a COAUTHOR edge."
    )
    async def community(self, info: Info[Context, None]) -> int | None:
        return (await self._full(info))["community"]  # type: ignore[no-any-return]

    @strawberry.field(description="Topics of their works, most used first.")
    async def topics(self, info: Info[Context, None]) -> list[Topic]:
        return [Topic(**_snake(t)) for t in (await self._full(info, "topics"))["topics"]]

    @strawberry.field(description="Institutions from their affiliations, most recent first.")
    async def institutions(self, info: Info[Context, None]) -> list[Institution]:
        return [institution(i) for i in (await self._full(info, "institutions"))["institutions"]]

    @strawberry.field(
        description="Their ORCID iD, bare (`0000-0002-1825-0097`), as OpenAlex links it; null if "
        "unknown."
    )
    async def orcid(self, info: Info[Context, None]) -> str | None:
        return (await self._full(info))["orcid"]  # type: ignore[no-any-return]

    @strawberry.field(
        description="The OpenAlex author id most of their works carry, e.g. `A5023888391`; "
        "null until `kg load openalex` has run."
    )
    async def openalex_id(self, info: Info[Context, None]) -> str | None:
        return (await self._full(info))["openalexId"]  # type: ignore[no-any-return]

    @strawberry.field(description="Total citations as OpenAlex reports them. " + _OPENALEX)
    async def citations(self, info: Info[Context, None]) -> int | None:
        return (await self._full(info))["citations"]  # type: ignore[no-any-return]

    @strawberry.field(description="h-index as OpenAlex reports it. " + _OPENALEX)
    async def h_index(self, info: Info[Context, None]) -> int | None:
        return (await self._full(info))["hIndex"]  # type: ignore[no-any-return]

    @strawberry.field(
        description="i10-index (works cited at least 10 times) as OpenAlex reports it. " + _OPENALEX
    )
    async def i10_index(self, info: Info[Context, None]) -> int | None:
        return (await self._full(info))["i10Index"]  # type: ignore[no-any-return]

    @strawberry.field(
        description="2-year mean citedness as OpenAlex reports it: citations received in a "
        "year by their works of the two years before, per work. " + _OPENALEX
    )
    async def two_year_mean_citedness(self, info: Info[Context, None]) -> float | None:
        return (await self._full(info))["twoYearMeanCitedness"]  # type: ignore[no-any-return]

    @strawberry.field(description="Citations of their works in this graph. " + _GRAPH)
    async def graph_citations(self, info: Info[Context, None]) -> int:
        return (await self._full(info, "graphCitations"))["graphCitations"]  # type: ignore[no-any-return]

    @strawberry.field(
        description="h-index over their works in this graph: the largest h such that h of "
        "them are cited at least h times each. " + _GRAPH
    )
    async def graph_h_index(self, info: Info[Context, None]) -> int:
        return (await self._full(info, "graphHIndex"))["graphHIndex"]  # type: ignore[no-any-return]

    @strawberry.field(
        description="i10-index over their works in this graph: how many are cited at least "
        "10 times. " + _GRAPH
    )
    async def graph_i10_index(self, info: Info[Context, None]) -> int:
        return (await self._full(info, "graphI10Index"))["graphI10Index"]  # type: ignore[no-any-return]

    @strawberry.field(
        description="Citations per year as OpenAlex reports them for the person (its recent "
        "years only, counting works not in this graph too), oldest first; empty until "
        "`kg load openalex` has run."
    )
    async def citations_by_year(self, info: Info[Context, None]) -> list[YearCount]:
        return year_counts((await self._full(info))["citationsByYear"])

    @strawberry.field(
        description="Their works in this graph per year of first version, oldest first "
        "(always available)."
    )
    async def works_by_year(self, info: Info[Context, None]) -> list[YearCount]:
        return year_counts((await self._full(info, "worksByYear"))["worksByYear"])

    @strawberry.field(
        description="Their works per year and topic (arXiv category), oldest year first, "
        "then the topic with most works: a work listing several categories counts in each."
    )
    async def topics_by_year(self, info: Info[Context, None]) -> list[TopicYearCount]:
        return topic_year_counts((await self._full(info, "topicsByYear"))["topicsByYear"])

    @strawberry.field(
        description="Where OpenAlex groups their works differently from a human decision "
        "(a curator's, or the owner's), in words; the human decision is what this graph "
        "keeps. Empty when none."
    )
    async def identity_notes(self, info: Info[Context, None]) -> list[str]:
        return (await self._full(info))["identityNotes"]  # type: ignore[no-any-return]

    @strawberry.field(
        description="How far to trust that this record is one real person's: a score, a "
        'level and every reason behind them (README, "How far to trust a record").'
    )
    async def trust(self, info: Info[Context, None]) -> Trust:
        return trust(assess(await self._full(info, "trust")))

    @strawberry.field(
        description="Their works: a page at a time (`first`, then `after: endCursor`)."
    )
    async def works(
        self,
        info: Info[Context, None],
        first: int = 20,
        after: str | None = None,
        order_by: WorkOrder = WorkOrder.NEWEST,
    ) -> WorkConnection:
        selected = _WORK_FIELDS.get(info, lambda: work_fields(info, info._raw_info.field_nodes))
        request = WorksRequest.from_args(
            first=first, after=after, order_by=order_by, selected=selected
        )
        row = await info.context.works(str(self.id), request)
        total, rows = (row["total"], row["works"]) if row else (0, [])
        offset = request.skip
        edges = [WorkEdge(cursor=cursor(offset + i), node=work(w)) for i, w in enumerate(rows)]
        return WorkConnection(
            total_count=total, page_info=page_info(total, offset, len(edges)), edges=edges
        )

    @strawberry.field(
        description="Co-authors with at least `minSharedWorks` works in common (counting only "
        "works from `fromYear` to `toYear` when given), a page at a time. Close collaborators "
        "are those with `minSharedWorks: 2`. " + _COAUTHOR_CAP
    )
    async def collaborators(
        self,
        info: Info[Context, None],
        first: int = 10,
        after: str | None = None,
        order_by: CollaboratorOrder = CollaboratorOrder.SHARED_WORKS,
        min_shared_works: int = 1,
        from_year: int | None = None,
        to_year: int | None = None,
    ) -> CollaboratorConnection:
        request = CollaboratorRequest.from_args(
            min_shared_works=min_shared_works,
            from_year=from_year,
            to_year=to_year,
            first=first,
            after=after,
            order_by=order_by,
        )
        row = await info.context.collaborators(str(self.id), request)
        total, rows = (row["total"], row["page"]) if row else (0, [])
        offset = request.skip
        edges = [
            CollaboratorEdge(
                cursor=cursor(offset + i),
                node=Researcher.of(c),
                shared_works=c["sharedWorks"],
                first_year=c["firstYear"],
                last_year=c["lastYear"],
            )
            for i, c in enumerate(rows)
        ]
        return CollaboratorConnection(
            total_count=total, page_info=page_info(total, offset, len(edges)), edges=edges
        )

    @strawberry.field(
        description="Number of distinct co-authors with at least `minSharedWorks` works in "
        "common, counting only works from `fromYear` to `toYear` when given. " + _COAUTHOR_CAP
    )
    async def close_collaborator_count(
        self,
        info: Info[Context, None],
        min_shared_works: int = 2,
        from_year: int | None = None,
        to_year: int | None = None,
    ) -> int:
        request = CollaboratorRequest.from_args(
            min_shared_works=min_shared_works, from_year=from_year, to_year=to_year
        )
        row = await info.context.collaborators(str(self.id), request)
        return row["total"] if row else 0

    @strawberry.field(
        description="The researcher in context: their newest works, topics, institutions and "
        "strongest collaborators (`depth: 2` adds the collaborators' strongest collaborators), "
        f"each list capped at `limit` (at most {MAX_CONTEXT_LIMIT}), with the edges among them."
    )
    async def context(
        self, info: Info[Context, None], depth: int = 1, limit: int = 25
    ) -> ResearcherContext:
        check_neighbourhood(depth, limit)
        # the years edges span cost a fifth more on a hub: read only when asked for
        spans = any(nested_args(info, ("edges", year)) for year in ("firstYear", "lastYear"))
        row = await info.context.neighbourhood(str(self.id), depth, limit, spans)
        return researcher_context(row or {"nodes": [], "edges": [], "truncated": False})


def work(row: Row) -> Work:
    """A `researcher_works` or `search_works` row as a `Work`, its authors as `Researcher`s."""
    return Work(
        arxiv_id=row["arxivId"],
        title=row["title"],
        abstract=row.get("abstract") or "",
        published=iso_date(row["published"]),  # type: ignore[arg-type]  # never null
        updated=iso_datetime(row.get("updated")),
        category=row["primaryCategory"],
        category_label=row["primaryCategory"].split(".", 1)[-1],
        categories=row.get("categories") or [],
        url=row["absUrl"],
        pdf_url=row.get("pdfUrl"),
        doi=row.get("doi"),
        journal_ref=row.get("journalRef"),
        comment=row.get("comment"),
        code_url=code_url(row.get("comment"), row.get("journalRef")),
        withdrawn=bool(row.get("withdrawn")),
        author_count=row.get("authorCount") or len(row["authors"]),
        authors=[Researcher.of(a) for a in row["authors"]],
        citations=row.get("citations"),
        openalex_id=row.get("openalexId"),
        citations_by_year=year_counts(row.get("citationsByYear")),
    )


def _snake(row: Row) -> dict[str, Any]:
    return {
        "code": row["code"],
        "label": row["label"],
        "name": row["name"],
        "works_count": row["worksCount"],
    }
