"""A researcher's collaborators: a page of co-authors, each with what they share.

The types of the `Researcher.collaborators` list and its orders, apart from `Researcher`
itself so `kg.api.requests` can name the orders without importing the resolvers. Each
edge's node is a `Researcher`, named lazily; the edges are built from rows in
`kg.api.types.researcher`.
"""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from kg.api.types.pagination import PageInfo

if TYPE_CHECKING:
    from kg.api.types.researcher import Researcher


@strawberry.enum(description="Orders for a list of collaborators.")
class CollaboratorOrder(Enum):
    SHARED_WORKS = strawberry.enum_value("SHARED_WORKS", description="Most shared works first.")
    LAST_YEAR = strawberry.enum_value("LAST_YEAR", description="Most recent year together first.")
    NAME = strawberry.enum_value("NAME", description="Name, A to Z.")


@strawberry.type(description="A co-author, with what they share with the researcher.")
class CollaboratorEdge:
    cursor: str
    node: Annotated[Researcher, strawberry.lazy("kg.api.types.researcher")]
    shared_works: int = strawberry.field(description="Works in common (in the time window).")
    first_year: int | None = strawberry.field(description="First year they published together.")
    last_year: int | None = strawberry.field(description="Last year they published together.")


@strawberry.type(description="A page of collaborators.")
class CollaboratorConnection:
    total_count: int = strawberry.field(description="Collaborators matching the arguments.")
    page_info: PageInfo
    edges: list[CollaboratorEdge]
