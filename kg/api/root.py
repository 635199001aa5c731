"""The GraphQL roots: public reads, authenticated writes, limits that keep the server safe.

`Query` and `Mutation` are where every request starts, and `schema` is the strawberry
schema built from them. Its SDL is checked in at `schema/schema.graphql` (`kg schema
graphql` rewrites it, `kg schema graphql --check` fails when it is stale, and a test runs
that check), so the published contract cannot drift from the code.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

import strawberry
from graphql import GraphQLError
from strawberry.extensions import (
    AddValidationRules,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    ValidationCache,
)
from strawberry.types import Info

from kg.api.context import Context
from kg.api.cost import CostLimit
from kg.api.errors import CONFLICT, FORBIDDEN, NOT_FOUND, UNAUTHENTICATED, bad_input, coded
from kg.api.executor import FastLeafExecutor
from kg.api.gateway import PAGE_PARTS
from kg.api.lookahead import SelectionMemo, child_names, nested_args
from kg.api.requests import CollaboratorRequest, WorksRequest, prefetch
from kg.api.types.connection import (
    MAX_CHAINS,
    MAX_HOPS,
    CoauthorChains,
    check_connection,
    check_evidence,
    coauthor_chains,
)
from kg.api.types.pagination import check_first
from kg.api.types.researcher import ClaimStatus, Researcher
from kg.api.types.search import SearchResults
from kg.core.errors import KgError
from kg.core.names import author_key

MAX_SPLIT_WORKS = 500

MAX_DEPTH = 10
MAX_TOKENS = 2000
MAX_ALIASES = 30
MAX_SEARCH = 50
MAX_SEARCH_TERMS = 12
_TERM = re.compile(r"\w+", re.UNICODE)


def lucene_query(text: str) -> str:
    """A search box's text as a safe Lucene query: every word, each also as a prefix.

    Only word characters reach Lucene, so no input can inject query syntax.
    """
    terms = [t.lower() for t in _TERM.findall(text)][:MAX_SEARCH_TERMS]
    if not terms:
        raise bad_input("`text` must contain at least one letter or digit")
    return " AND ".join(f"({t} OR {t}*)" for t in terms)


PagePlan = tuple[WorksRequest | None, tuple[CollaboratorRequest, ...], frozenset[str]]


def _page_plan(info: Info[Context, None]) -> PagePlan:
    """What a `researcher` field's selection needs fetched with the profile: the lists its
    fields will ask for, and the costly parts (`PAGE_PARTS`) they read."""
    works, collaborators = prefetch(info)
    selected = child_names(info)
    parts = frozenset(part for part, fields in PAGE_PARTS.items() if selected & set(fields))
    return works, tuple(collaborators), parts


_PAGE_PLANS: SelectionMemo[PagePlan] = SelectionMemo()
"""A page's plan, worked out once per document (a UI sends the same one every time)."""

_ALL_PARTS = frozenset(PAGE_PARTS)


@strawberry.type
class Query:
    @strawberry.field(
        description="A researcher by `id` or by full `name` (any spelling: case, accents and "
        "`Last, First` do not matter; initials never match a full name). Null if unknown."
    )
    async def researcher(
        self,
        info: Info[Context, None],
        id: strawberry.ID | None = None,
        name: str | None = None,
    ) -> Researcher | None:
        if (id is None) == (name is None):
            raise bad_input("give exactly one of `id` or `name`")
        key = str(id) if id is not None else author_key(name or "")
        if not key:
            return None
        works, collaborators, parts = _PAGE_PLANS.get(info, lambda: _page_plan(info))
        if works or collaborators or parts != _ALL_PARTS:
            # one query for the page, computing only the costly parts the request selects
            # (a researcher in context needs none of them)
            row = await info.context.page(key, works, collaborators, parts)
        else:
            row = await info.context.profile(key, _ALL_PARTS)
        return Researcher.of(row) if row else None

    @strawberry.field(
        description="How two researchers are connected: the shortest chains of co-authors "
        f"from one to the other (at most `maxHops` links, 1 to {MAX_HOPS}), each link with "
        "the works both wrote. Chains follow shared works of at most the COAUTHOR cap of "
        "authors (KG_COAUTHOR_MAX_AUTHORS). `first` chains at most (1 to "
        f"{MAX_CHAINS}), those whose weakest link has the most shared works first. Merged "
        "ids answer with their record (`movedFrom`); null if either id is unknown."
    )
    async def connection(
        self,
        info: Info[Context, None],
        source: Annotated[strawberry.ID, strawberry.argument(name="from")],
        target: Annotated[strawberry.ID, strawberry.argument(name="to")],
        max_hops: int = 4,
        first: int = 3,
    ) -> CoauthorChains | None:
        check_connection(max_hops, first)
        # one query: it reads as much evidence as the largest `evidence(first:)` below asks
        asked = [a["first"] for a in nested_args(info, ("chains", "links", "evidence"))]
        for size in asked:
            check_evidence(size)
        row = await info.context.gateway.connection(
            str(source),
            str(target),
            max_hops=max_hops,
            first=first,
            evidence=max(asked) if asked else None,
        )
        return coauthor_chains(row) if row else None

    @strawberry.field(
        description="Researchers by name and works by title or abstract (Neo4j full-text "
        "indexes), best match first. Every word must match; each also matches as a prefix."
    )
    async def search(self, info: Info[Context, None], text: str, first: int = 10) -> SearchResults:
        check_first(first, MAX_SEARCH)
        return SearchResults(_lucene=lucene_query(text), _first=first)


def _caller(info: Info[Context, None]) -> str:
    caller = info.context.caller
    if caller.user is None:
        why = caller.problem or "no API key was sent"
        raise coded(
            f"This needs an authenticated caller: {why}. Send `Authorization: Bearer <API key>` "
            "with a key configured in KG_API_KEYS.",
            UNAUTHENTICATED,
        )
    return caller.user


@strawberry.type
class FollowPayload:
    researcher: Researcher
    following: bool = strawberry.field(description="Whether the caller now follows them.")


@strawberry.type
class SplitWorksPayload:
    researcher: Researcher = strawberry.field(description="The new record the works went to.")
    split_from: Researcher = strawberry.field(description="The record they were split off.")


@strawberry.type
class ClaimPayload:
    researcher: Researcher
    status: ClaimStatus = strawberry.field(description="The caller's claim on the record.")


async def _write(info: Info[Context, None], name: str, id: strawberry.ID) -> dict[str, Any]:
    user = _caller(info)
    row = await info.context.gateway.write(name, user, str(id))
    if row is None:
        raise coded(f"No researcher has id {str(id)!r}.", NOT_FOUND)
    return row


def _researcher(info: Info[Context, None], row: dict[str, Any]) -> Researcher:
    """The researcher just written to: fields beyond id and name load fresh, if asked."""
    info.context.forget_profile(row["id"])
    return Researcher.of(row)


@strawberry.type
class Mutation:
    @strawberry.mutation(description="Follow a researcher (again is a no-op). Needs an API key.")
    async def follow_researcher(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> FollowPayload:
        row = await _write(info, "follow_researcher", id)
        return FollowPayload(researcher=_researcher(info, row), following=True)

    @strawberry.mutation(description="Stop following a researcher. Needs an API key.")
    async def unfollow_researcher(
        self, info: Info[Context, None], id: strawberry.ID
    ) -> FollowPayload:
        row = await _write(info, "unfollow_researcher", id)
        return FollowPayload(researcher=_researcher(info, row), following=False)

    @strawberry.mutation(
        description="Claim a researcher record as yours: creates a PENDING claim for an "
        "operator to verify. Fails with CONFLICT if someone else's claim is verified. "
        "Needs an API key."
    )
    async def claim_researcher(self, info: Info[Context, None], id: strawberry.ID) -> ClaimPayload:
        row = await _write(info, "claim_researcher", id)
        if row["conflict"]:
            raise coded(
                "This record was already claimed and verified by someone else; contact the "
                "operators if it is yours.",
                CONFLICT,
            )
        return ClaimPayload(researcher=_researcher(info, row), status=ClaimStatus(row["status"]))

    @strawberry.mutation(
        description="Split works off your own record: they are another person's. Only the "
        "caller whose claim on the record is verified may (else FORBIDDEN). The works (arXiv "
        "ids) go to a new record, marked as a different person so loads never merge them "
        "back; an operator can undo it (`kg identity undo`). Needs an API key."
    )
    async def split_works(
        self,
        info: Info[Context, None],
        researcher: strawberry.ID,
        works: list[strawberry.ID],
        reason: str,
    ) -> SplitWorksPayload:
        user = _caller(info)
        if not reason.strip():
            raise bad_input('say why in `reason`, e.g. "these are my namesake\'s papers"')
        if not works or len(works) > MAX_SPLIT_WORKS:
            raise bad_input(f"give between 1 and {MAX_SPLIT_WORKS} works (arXiv ids)")
        key = str(researcher)
        row = await info.context.gateway.owner(key)
        if row is None:
            raise coded(f"No researcher has id {key!r}.", NOT_FOUND)
        if row["owner"] != user:
            raise coded(
                f"Only the researcher whose claim on {key!r} is verified may split works off "
                "it; claim it first (claimResearcher), or ask the operators.",
                FORBIDDEN,
            )
        curator = info.context.curator
        if curator is None:
            raise coded("This server does not take identity edits.", FORBIDDEN)
        try:
            new = await curator.split_works(key, [str(w) for w in works], user, reason)
        except KgError as err:
            raise bad_input(str(err)) from None
        info.context.forget_profile(key)
        source, created = await info.context.profile(key), await info.context.profile(new)
        if source is None or created is None:  # a load changed the graph meanwhile
            raise coded("The records changed while this ran; ask for them again.", NOT_FOUND)
        return SplitWorksPayload(
            researcher=Researcher.of(created), split_from=Researcher.of(source)
        )


_RULES = [  # built once: the validation cache keys on the rule classes
    *QueryDepthLimiter(max_depth=MAX_DEPTH).validation_rules,
    *MaxAliasesLimiter(max_alias_count=MAX_ALIASES).validation_rules,
]

EXTENSIONS: list[Any] = [  # a fresh extension per request; rules and caches are shared
    lambda: AddValidationRules(_RULES),
    lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
    lambda: ParserCache(maxsize=512),
    lambda: ValidationCache(maxsize=512),
    CostLimit,  # after validation: prices only valid documents
]


class Schema(strawberry.Schema):
    def process_errors(self, errors: list[GraphQLError], execution_context: Any = None) -> None:
        """`errors.with_code` logs what the operator must see; callers' mistakes are not."""


schema = Schema(
    query=Query,
    mutation=Mutation,
    extensions=EXTENSIONS,
    execution_context_class=FastLeafExecutor,
)
