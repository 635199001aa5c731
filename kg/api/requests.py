"""What a list field asks the graph for, built from its GraphQL arguments in one place.

A works page or a collaborators list is asked for twice: by its field's resolver, and ahead
of it by `prefetch`, which reads the same arguments so the `researcher` field can fetch
everything in one query. Both build the request with its `from_args`, so they check the
arguments alike and build equal requests: a request is the identity of a per-request
loader, and the resolver finds what `prefetch` primed only if the two are equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from contextlib import suppress
from dataclasses import dataclass
from functools import cache
from typing import Any

from graphql import FieldNode, GraphQLError
from strawberry.types import Info
from strawberry.utils.str_converters import to_snake_case

from kg.api.errors import bad_input
from kg.api.lookahead import child_args, names_below, nested_fields
from kg.api.types.collaborators import CollaboratorOrder
from kg.api.types.pagination import check_first, offset_after
from kg.api.types.works import WorkOrder

WORK_PATHS = (("nodes",), ("edges", "node"))
"""Where a works page's `Work`s are selected, below its `works` field."""


@dataclass(frozen=True)
class WorksRequest:
    """One page of a researcher's works: what `researcher_works` takes (a loader's identity)."""

    order: str = "NEWEST"
    skip: int = 0
    limit: int = 20
    abstract: bool = True
    """Read the abstracts: the largest values of a page, sent only when selected."""
    authors: bool = True
    """Read each work's authors: the costliest part of a page in Neo4j."""

    @classmethod
    def from_args(
        cls,
        *,
        first: int,
        after: str | None,
        order_by: WorkOrder,
        selected: AbstractSet[str] = frozenset({"abstract", "authors"}),
    ) -> WorksRequest:
        """From the arguments of `Researcher.works` and the `Work` fields it selects (see
        `work_fields`); bad arguments raise a BAD_USER_INPUT error."""
        check_first(first)
        return cls(
            order_by.name, offset_after(after), first, "abstract" in selected, "authors" in selected
        )

    def params(self) -> dict[str, Any]:
        return {
            "order": self.order,
            "skip": self.skip,
            "limit": self.limit,
            "abstract": self.abstract,
            "authors": self.authors,
        }


def work_fields(info: Info[Any, None], nodes: Sequence[FieldNode]) -> frozenset[str]:
    """The `Work` fields selected below `works` field nodes (of this request)."""
    return frozenset().union(*(names_below(info, nodes, path) for path in WORK_PATHS))


@dataclass(frozen=True)
class CollaboratorRequest:
    """One collaborators list, or a count (limit 0): what `close_collaborators` takes."""

    min_shared: int
    from_year: int | None = None
    to_year: int | None = None
    order: str = "SHARED_WORKS"
    skip: int = 0
    limit: int = 0

    @classmethod
    def from_args(
        cls,
        *,
        min_shared_works: int,
        from_year: int | None,
        to_year: int | None,
        first: int = 0,
        after: str | None = None,
        order_by: CollaboratorOrder | None = None,
    ) -> CollaboratorRequest:
        """From the arguments of `Researcher.collaborators`, or of `closeCollaboratorCount`
        (no page arguments: a count); bad ones raise a BAD_USER_INPUT error."""
        check_first(first)
        if min_shared_works < 1:
            raise bad_input("`minSharedWorks` must be at least 1")
        if from_year is not None and to_year is not None and from_year > to_year:
            raise bad_input("`fromYear` must not be after `toYear`")
        order = order_by.name if order_by else cls.order
        return cls(min_shared_works, from_year, to_year, order, offset_after(after), first)

    def params(self) -> dict[str, Any]:
        return {
            "minShared": self.min_shared,
            "fromYear": self.from_year,
            "toYear": self.to_year,
            "order": self.order,
            "skip": self.skip,
            "limit": self.limit,
        }


def prefetch(info: Info[Any, None]) -> tuple[WorksRequest | None, list[CollaboratorRequest]]:
    """The works page and collaborator requests this researcher's fields will make.

    The `researcher` field fetches them with the profile, in one query. Arguments that
    fail their checks are left out: the field itself then reports them.
    """
    works = None
    for args, node in nested_fields(info, ("works",))[:1]:  # a second list loads on its own
        with suppress(GraphQLError):
            works = WorksRequest.from_args(
                **_python_names(args), selected=work_fields(info, [node])
            )
    requests: list[CollaboratorRequest] = []
    for field in ("collaborators", "closeCollaboratorCount"):
        for args in child_args(info, field):
            with suppress(GraphQLError):
                requests.append(CollaboratorRequest.from_args(**_python_names(args)))
    return works, list(dict.fromkeys(requests))


def _python_names(args: dict[str, Any]) -> dict[str, Any]:
    """GraphQL arguments (`orderBy`) under the names the resolver receives them by."""
    return {_snake(name): value for name, value in args.items()}


_snake = cache(to_snake_case)
"""Argument names are the schema's few: each converted once (a regex substitution)."""
