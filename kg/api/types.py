"""GraphQL types: a researcher, their works, topics, institutions, collaborators, context.

Resolvers only translate: arguments are checked here, rows come from the per-request
loaders in `kg.api.context`, so every list costs one query however long it is.
"""

from __future__ import annotations

import base64
import re
from contextlib import suppress
from datetime import date, datetime
from enum import Enum
from typing import Any

import strawberry
from graphql import GraphQLError
from strawberry.types import Info

from kg.api.context import Context, Row
from kg.api.data import CollaboratorRequest, WorksRequest, native
from kg.api.errors import bad_input
from kg.api.lookahead import child_args

MAX_PAGE = 100
MAX_CONTEXT_LIMIT = 100
_CODE_HOSTS = re.compile(
    r"https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|codeberg\.org|"
    r"huggingface\.co|sourceforge\.net)/[^\s,;)\]}>\"']+",
    re.IGNORECASE,
)
_COAUTHOR_CAP = (
    "Shared works never include papers with more authors than the loader's COAUTHOR cap "
    "(KG_COAUTHOR_MAX_AUTHORS, default 100)."
)


def code_url(*texts: str | None) -> str | None:
    """The first code-hosting link (GitHub, GitLab, ...) in a paper's comment or links."""
    for text in texts:
        match = _CODE_HOSTS.search(text or "")
        if match:
            return match.group(0).rstrip(".")
    return None


def cursor(offset: int) -> str:
    return base64.b64encode(f"offset:{offset}".encode()).decode()


def offset_after(after: str | None) -> int:
    """Position after the cursor `after` (0 without one); opaque cursors from `endCursor`."""
    if after is None:
        return 0
    try:
        kind, _, number = base64.b64decode(after, validate=True).decode().partition(":")
        offset = int(number)
    except ValueError:
        raise bad_input(f"`after` {after!r} is not a cursor this API gave out") from None
    if kind != "offset" or offset < 0:
        raise bad_input(f"`after` {after!r} is not a cursor this API gave out")
    return offset + 1


def check_first(first: int, most: int = MAX_PAGE) -> int:
    if not 0 <= first <= most:
        raise bad_input(f"`first` must be between 0 and {most}")
    return first


def check_window(min_shared: int, from_year: int | None, to_year: int | None) -> None:
    if min_shared < 1:
        raise bad_input("`minSharedWorks` must be at least 1")
    if from_year is not None and to_year is not None and from_year > to_year:
        raise bad_input("`fromYear` must not be after `toYear`")


@strawberry.enum(description="Where a researcher record stands with its owner.")
class ClaimStatus(Enum):
    UNCLAIMED = "UNCLAIMED"
    PENDING = strawberry.enum_value("PENDING", description="Claimed, not yet verified.")
    VERIFIED = strawberry.enum_value("VERIFIED", description="Claim verified by an operator.")
    REJECTED = strawberry.enum_value(
        "REJECTED", description="This caller's claim was rejected (never a record's status)."
    )


@strawberry.enum(description="Orders for a list of works.")
class WorkOrder(Enum):
    NEWEST = strawberry.enum_value("NEWEST", description="First-version date, newest first.")
    OLDEST = strawberry.enum_value("OLDEST", description="First-version date, oldest first.")
    TITLE = strawberry.enum_value("TITLE", description="Title, A to Z (case-insensitive).")


@strawberry.enum(description="Orders for a list of collaborators.")
class CollaboratorOrder(Enum):
    SHARED_WORKS = strawberry.enum_value("SHARED_WORKS", description="Most shared works first.")
    LAST_YEAR = strawberry.enum_value("LAST_YEAR", description="Most recent year together first.")
    NAME = strawberry.enum_value("NAME", description="Name, A to Z.")


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page.")


@strawberry.type(description="An arXiv category, e.g. code `cs.LG`, shown as `LG`.")
class Topic:
    code: str
    label: str = strawberry.field(description="Short label a UI shows: `LG` for `cs.LG`.")
    name: str
    works_count: int = strawberry.field(description="This researcher's works in the topic.")


@strawberry.type(description="An institution named in author affiliations.")
class Institution:
    id: strawberry.ID
    name: str
    last_year: int | None = strawberry.field(
        description="Last year the researcher was listed there."
    )


@strawberry.type(description="A paper on arXiv.")
class Work:
    arxiv_id: str = strawberry.field(description="arXiv identifier without version.")
    title: str
    abstract: str
    published: date = strawberry.field(description="Date of the first version.")
    updated: datetime | None = strawberry.field(description="Date of the latest version.")
    category: str = strawberry.field(description="Primary arXiv category, e.g. `cs.LG`.")
    category_label: str = strawberry.field(description="Short label of the primary category.")
    categories: list[str]
    url: str = strawberry.field(description="The arXiv abstract page.")
    pdf_url: str | None
    doi: str | None
    journal_ref: str | None
    comment: str | None
    code_url: str | None = strawberry.field(
        description="Link to the code (GitHub, GitLab, Hugging Face, ...) if the paper's "
        "comment carries one."
    )
    withdrawn: bool = strawberry.field(description="Withdrawn by its authors; kept, marked.")
    author_count: int = strawberry.field(description="How many authors the paper lists.")
    authors: list[Researcher] = strawberry.field(
        description="Authors in the order listed; the first 100 for hyper-authored papers "
        "(`authorCount` has the total)."
    )


def work(row: Row) -> Work:
    return Work(
        arxiv_id=row["arxivId"],
        title=row["title"],
        abstract=row.get("abstract") or "",
        published=native(row["published"]),
        updated=native(row.get("updated")),
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
    )


@strawberry.type
class WorkEdge:
    cursor: str
    node: Work


@strawberry.type(description="A page of works.")
class WorkConnection:
    total_count: int
    page_info: PageInfo
    edges: list[WorkEdge]

    @strawberry.field(description="The works of `edges`, without cursors.")
    def nodes(self) -> list[Work]:
        return [e.node for e in self.edges]


@strawberry.type(description="A co-author, with what they share with the researcher.")
class CollaboratorEdge:
    cursor: str
    node: Researcher
    shared_works: int = strawberry.field(description="Works in common (in the time window).")
    first_year: int | None = strawberry.field(description="First year they published together.")
    last_year: int | None = strawberry.field(description="Last year they published together.")


@strawberry.type(description="A page of collaborators.")
class CollaboratorConnection:
    total_count: int = strawberry.field(description="Collaborators matching the arguments.")
    page_info: PageInfo
    edges: list[CollaboratorEdge]


@strawberry.enum
class ContextNodeKind(Enum):
    RESEARCHER = "RESEARCHER"
    WORK = "WORK"
    TOPIC = "TOPIC"
    INSTITUTION = "INSTITUTION"


@strawberry.enum
class ContextEdgeKind(Enum):
    AUTHORED = "AUTHORED"
    HAS_TOPIC = "HAS_TOPIC"
    AFFILIATED_WITH = "AFFILIATED_WITH"
    COAUTHOR = "COAUTHOR"


@strawberry.type(description="A node of the researcher-in-context graph.")
class ContextNode:
    id: strawberry.ID = strawberry.field(
        description="Unique in the graph: kind and key, e.g. `work:2401.00001`."
    )
    key: str = strawberry.field(description="The id to query it by, e.g. a researcher id.")
    kind: ContextNodeKind
    label: str
    depth: int = strawberry.field(description="0 for the researcher, 1 adjacent, 2 beyond.")


@strawberry.type(description="An edge of the researcher-in-context graph.")
class ContextEdge:
    source: strawberry.ID
    target: strawberry.ID
    kind: ContextEdgeKind
    weight: int | None = strawberry.field(
        description="Shared works for COAUTHOR, last year listed for AFFILIATED_WITH."
    )


@strawberry.type(description="The neighbourhood a graph panel draws around a researcher.")
class ResearcherContext:
    nodes: list[ContextNode]
    edges: list[ContextEdge]
    truncated: bool = strawberry.field(
        description="True when some list was cut at `limit`: there is more around them."
    )


_SOURCE_KIND = {"AUTHORED": "researcher", "AFFILIATED_WITH": "researcher", "COAUTHOR": "researcher"}
_TARGET_KIND = {
    "AUTHORED": "work",
    "HAS_TOPIC": "topic",
    "AFFILIATED_WITH": "institution",
    "COAUTHOR": "researcher",
}


def researcher_context(row: Row) -> ResearcherContext:
    nodes = [
        ContextNode(
            id=strawberry.ID(f"{n['kind'].lower()}:{n['key']}"),
            key=n["key"],
            kind=ContextNodeKind(n["kind"]),
            label=n["label"] or n["key"],
            depth=n["depth"],
        )
        for n in row["nodes"]
    ]
    edges = [
        ContextEdge(
            source=strawberry.ID(f"{_SOURCE_KIND.get(e['kind'], 'work')}:{e['source']}"),
            target=strawberry.ID(f"{_TARGET_KIND[e['kind']]}:{e['target']}"),
            kind=ContextEdgeKind(e["kind"]),
            weight=e["weight"],
        )
        for e in row["edges"]
    ]
    return ResearcherContext(nodes=nodes, edges=edges, truncated=row["truncated"])


def _page(total: int, offset: int, count: int) -> PageInfo:
    last = offset + count - 1
    return PageInfo(
        has_next_page=offset + count < total, end_cursor=cursor(last) if count else None
    )


@strawberry.type(description="A researcher: an author identified by their full name as written.")
class Researcher:
    id: strawberry.ID = strawberry.field(description="Stable key from the normalised full name.")
    name: str
    _row: strawberry.Private[Row]

    @classmethod
    def of(cls, row: Row) -> Researcher:
        """From a row with at least `id` and `name`; other fields load on demand, batched."""
        return cls(id=strawberry.ID(row["id"]), name=row["name"], _row=row)

    async def _full(self, info: Info[Context, None]) -> Row:
        if "worksCount" not in self._row:
            self._row = await info.context.profile(str(self.id)) or {
                **self._row,
                **_GONE,
            }
        return self._row

    @strawberry.field(description="Every spelling seen in the sources, e.g. `Liu, Zihang`.")
    async def name_variants(self, info: Info[Context, None]) -> list[str]:
        return (await self._full(info))["nameVariants"]  # type: ignore[no-any-return]

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
        return [Topic(**_snake(t)) for t in (await self._full(info))["topics"]]

    @strawberry.field(description="Institutions from their affiliations, most recent first.")
    async def institutions(self, info: Info[Context, None]) -> list[Institution]:
        rows = (await self._full(info))["institutions"]
        return [Institution(id=i["id"], name=i["name"], last_year=i["lastYear"]) for i in rows]

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
        check_first(first)
        offset = offset_after(after)
        row = await info.context.works(str(self.id), WorksRequest(order_by.name, offset, first))
        total, rows = (row["total"], row["works"]) if row else (0, [])
        edges = [WorkEdge(cursor=cursor(offset + i), node=work(w)) for i, w in enumerate(rows)]
        return WorkConnection(
            total_count=total, page_info=_page(total, offset, len(edges)), edges=edges
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
        check_first(first)
        check_window(min_shared_works, from_year, to_year)
        offset = offset_after(after)
        request = CollaboratorRequest(
            min_shared_works, from_year, to_year, order_by.name, offset, first
        )
        row = await info.context.collaborators(str(self.id), request)
        total, rows = (row["total"], row["page"]) if row else (0, [])
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
            total_count=total, page_info=_page(total, offset, len(edges)), edges=edges
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
        check_window(min_shared_works, from_year, to_year)
        request = CollaboratorRequest(min_shared_works, from_year, to_year)
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
        if depth not in (1, 2):
            raise bad_input("`depth` must be 1 or 2")
        if not 1 <= limit <= MAX_CONTEXT_LIMIT:
            raise bad_input(f"`limit` must be between 1 and {MAX_CONTEXT_LIMIT}")
        row = await info.context.context(str(self.id), depth, limit)
        return researcher_context(row or {"nodes": [], "edges": [], "truncated": False})


def prefetch(
    info: Info[Context, None],
) -> tuple[WorksRequest | None, list[CollaboratorRequest]]:
    """The works page and collaborator requests this researcher's fields will make.

    The `researcher` field fetches them with the profile, in one query. Arguments that
    fail their checks are left out: the field itself then reports them.
    """
    works = None
    for args in child_args(info, "works")[:1]:  # a second works list loads on its own
        with suppress(GraphQLError):
            first = check_first(args["first"])
            works = WorksRequest(args["orderBy"].name, offset_after(args["after"]), first)
    requests: list[CollaboratorRequest] = []
    for args in child_args(info, "collaborators"):
        with suppress(GraphQLError):
            first = check_first(args["first"])
            check_window(args["minSharedWorks"], args["fromYear"], args["toYear"])
            requests.append(
                CollaboratorRequest(
                    args["minSharedWorks"],
                    args["fromYear"],
                    args["toYear"],
                    args["orderBy"].name,
                    offset_after(args["after"]),
                    first,
                )
            )
    for args in child_args(info, "closeCollaboratorCount"):
        with suppress(GraphQLError):
            check_window(args["minSharedWorks"], args["fromYear"], args["toYear"])
            requests.append(
                CollaboratorRequest(args["minSharedWorks"], args["fromYear"], args["toYear"])
            )
    return works, list(dict.fromkeys(requests))


_GONE: dict[str, Any] = {
    "nameVariants": [],
    "worksCount": 0,
    "followersCount": 0,
    "claimStatus": "UNCLAIMED",
    "pagerank": None,
    "community": None,
    "topics": [],
    "institutions": [],
}
"""A researcher listed somewhere but gone by the time their profile loads (a refresh
removed them in between): shown empty rather than failing the whole page."""


def _snake(row: Row) -> dict[str, Any]:
    return {
        "code": row["code"],
        "label": row["label"],
        "name": row["name"],
        "works_count": row["worksCount"],
    }


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
        rows = await info.context.graph.search_researchers(self._lucene, self._first)
        return [ResearcherHit(score=r["score"], researcher=Researcher.of(r)) for r in rows]

    @strawberry.field(description="Works whose title or abstract matches.")
    async def works(self, info: Info[Context, None]) -> list[WorkHit]:
        if not self._first:
            return []
        rows = await info.context.graph.search_works(self._lucene, self._first)
        return [WorkHit(score=w["score"], work=work(w["work"])) for w in rows]
