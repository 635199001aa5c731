"""The GraphQL API: types a profile page needs, resolvers that only translate and shape.

A `researcher` request becomes one Cypher query (`queries/researcher_profile.cypher`): the
root resolver reads the arguments of the nested fields it was asked for (thresholds,
list sizes) and fetches everything at once, so nested fields never query again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import neo4j
import strawberry
from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLObjectType,
    InlineFragmentNode,
    SelectionSetNode,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired
from strawberry.types import Info

from kg.config import Settings
from kg.names import author_key
from kg.profiles import fetch_profile

DEFAULT_MIN_SHARED = 2
DEFAULT_WORKS = 20
MAX_WORKS = 100


@dataclass
class Context:
    driver: neo4j.AsyncDriver
    settings: Settings


def bad_input(message: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": "BAD_USER_INPUT"})


@strawberry.type(description="An arXiv category, e.g. code `cs.LG`, shown as `LG`.")
class Topic:
    code: str
    label: str = strawberry.field(description="Short label a UI shows: `LG` for `cs.LG`.")
    name: str
    works_count: int = strawberry.field(description="This researcher's works in the topic.")


@strawberry.type(description="An author as listed on a work.")
class AuthorRef:
    id: strawberry.ID
    name: str


@strawberry.type(description="A paper on arXiv.")
class Work:
    arxiv_id: str = strawberry.field(description="arXiv identifier without version.")
    title: str
    abstract: str
    published: date
    updated: datetime | None
    category: str = strawberry.field(description="Primary arXiv category, e.g. `cs.LG`.")
    category_label: str = strawberry.field(description="Short label of the primary category.")
    categories: list[str]
    url: str = strawberry.field(description="The arXiv abstract page.")
    pdf_url: str | None
    doi: str | None
    journal_ref: str | None
    comment: str | None
    author_count: int
    authors: list[AuthorRef] = strawberry.field(description="Authors in the order listed.")


@strawberry.type(description="A researcher: an author identified by their full name as written.")
class Researcher:
    id: strawberry.ID = strawberry.field(description="Stable key from the normalised full name.")
    name: str
    name_variants: list[str] = strawberry.field(
        description="Every spelling seen in the sources, e.g. `Liu, Zihang`."
    )
    works_count: int
    topics: list[Topic] = strawberry.field(description="Topics of their works, most used first.")
    _close_counts: strawberry.Private[dict[int, int]]
    _works: strawberry.Private[list[Work]]

    @strawberry.field(
        description="Number of distinct co-authors with at least `minSharedWorks` works in "
        "common. Papers with more authors than the loader's COAUTHOR cap (default 100) do not "
        "count towards shared works."
    )
    def close_collaborator_count(self, min_shared_works: int = DEFAULT_MIN_SHARED) -> int:
        return self._close_counts[min_shared_works]

    @strawberry.field(description="Their works, newest first.")
    def works(self, first: int = DEFAULT_WORKS) -> list[Work]:
        return self._works[:first]


def _nested_args(info: Info[Context, None], field: str) -> list[dict[str, Any]]:
    """Coerced arguments (variables, defaults applied) of each GraphQL `field` under this one.

    Lets the root resolver fetch what nested fields will need in one query; follows
    aliases and fragments, so `a: works(first: 5) b: works(first: 9)` yields both.
    """
    raw = info._raw_info
    parent = get_named_type(raw.return_type)
    assert isinstance(parent, GraphQLObjectType)
    definition = parent.fields[field]
    found: list[dict[str, Any]] = []
    # graphql-core hands resolvers the coerced variables only; that is all coercion reads
    coerced = raw.variable_values
    variables = coerced if isinstance(coerced, VariableValues) else VariableValues({}, coerced)

    def walk(selection_set: SelectionSetNode | None) -> None:
        for node in selection_set.selections if selection_set else ():
            if isinstance(node, FieldNode):
                if node.name.value == field:
                    found.append(get_argument_values(definition, node, variables))
            elif isinstance(node, InlineFragmentNode):
                walk(node.selection_set)
            elif isinstance(node, FragmentSpreadNode):
                walk(raw.fragments[node.name.value].selection_set)

    for field_node in raw.field_nodes:
        walk(field_node.selection_set)
    return found


def _work(row: dict[str, Any]) -> Work:
    return Work(
        arxiv_id=row["arxivId"],
        title=row["title"],
        abstract=row.get("abstract") or "",
        published=row["published"],
        updated=row.get("updated"),
        category=row["primaryCategory"],
        category_label=row["primaryCategory"].split(".", 1)[-1],
        categories=row.get("categories") or [],
        url=row["absUrl"],
        pdf_url=row.get("pdfUrl"),
        doi=row.get("doi"),
        journal_ref=row.get("journalRef"),
        comment=row.get("comment"),
        author_count=row.get("authorCount") or len(row["authors"]),
        authors=[AuthorRef(id=strawberry.ID(a["key"]), name=a["name"]) for a in row["authors"]],
    )


def _researcher(row: dict[str, Any]) -> Researcher:
    return Researcher(
        id=strawberry.ID(row["id"]),
        name=row["name"],
        name_variants=row["nameVariants"],
        works_count=row["worksCount"],
        topics=[
            Topic(code=t["code"], label=t["label"], name=t["name"], works_count=t["works"])
            for t in row["topics"]
        ],
        _close_counts={c["minShared"]: c["count"] for c in row["closeCollaboratorCounts"]},
        _works=[_work(w) for w in row["works"]],
    )


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
        thresholds = [a["minSharedWorks"] for a in _nested_args(info, "closeCollaboratorCount")]
        if any(t < 1 for t in thresholds):
            raise bad_input("`minSharedWorks` must be at least 1")
        firsts = [a["first"] for a in _nested_args(info, "works")]
        if any(not 0 <= f <= MAX_WORKS for f in firsts):
            raise bad_input(f"`first` must be between 0 and {MAX_WORKS}")
        ctx = info.context
        try:
            row = await fetch_profile(
                ctx.driver,
                key,
                min_shared=thresholds or [DEFAULT_MIN_SHARED],
                works_limit=max(firsts, default=0),
                database=ctx.settings.neo4j_database,
                timeout=ctx.settings.query_timeout,
            )
        except (ServiceUnavailable, SessionExpired, AuthError, OSError) as err:
            raise GraphQLError(
                "The graph database is unavailable; try again shortly.",
                extensions={"code": "SERVICE_UNAVAILABLE"},
            ) from err
        return _researcher(row) if row else None


schema = strawberry.Schema(query=Query)
