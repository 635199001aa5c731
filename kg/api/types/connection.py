"""How two researchers are connected (`Query.connection`): co-authorship chains and the
works each link rests on.

The chains come from the graph's COAUTHOR edges, the evidence of each link from the works
both researchers authored, in one Cypher query (`researcher_connection`). The arguments'
bounds live here, beside the types, so the cost model prices the lists with the same
numbers the resolver enforces.
"""

from __future__ import annotations

from typing import Any

import strawberry

from kg.api.context import Row
from kg.api.errors import bad_input
from kg.api.types.researcher import Researcher, work
from kg.api.types.works import Work

MAX_HOPS = 6
"""The longest chain looked for: beyond six links nearly everyone is connected to everyone,
and each extra link widens the search around hubs."""

MAX_CHAINS = 10
"""Chains returned at most (`first`)."""

MAX_EVIDENCE = 20
"""Shared works listed per link at most (`evidence(first:)`)."""


def check_connection(max_hops: int, first: int) -> None:
    """Raise a BAD_USER_INPUT error unless `maxHops` and `first` are ones a caller may ask."""
    if not 1 <= max_hops <= MAX_HOPS:
        raise bad_input(
            f"`maxHops` must be between 1 and {MAX_HOPS}, e.g. `maxHops: 4`; beyond "
            f"{MAX_HOPS} links nearly everyone is connected"
        )
    if not 1 <= first <= MAX_CHAINS:
        raise bad_input(f"`first` must be between 1 and {MAX_CHAINS} chains")


def check_evidence(first: int) -> None:
    if not 0 <= first <= MAX_EVIDENCE:
        raise bad_input(f"`evidence(first:)` must be between 0 and {MAX_EVIDENCE} works")


@strawberry.type(description="Works two researchers wrote together.")
class SharedWorks:
    total_count: int = strawberry.field(
        description="All their shared works with at most the COAUTHOR cap of authors "
        "(KG_COAUTHOR_MAX_AUTHORS), the same count as their collaborators' `sharedWorks`."
    )
    nodes: list[Work] = strawberry.field(description="The newest of them, `first` at most.")


@strawberry.type(description="One link of a chain: two researchers who wrote together.")
class CoauthorLink:
    source: Researcher = strawberry.field(name="from")
    target: Researcher = strawberry.field(name="to")
    _evidence: strawberry.Private[Row]

    @strawberry.field(
        description=f"The works that make them co-authors, newest first (at most {MAX_EVIDENCE})."
    )
    def evidence(self, first: int = 5) -> SharedWorks:
        check_evidence(first)
        rows = self._evidence["works"][:first]
        return SharedWorks(total_count=self._evidence["total"], nodes=[work(w) for w in rows])


@strawberry.type(description="A chain of co-authors from one researcher to another.")
class CoauthorChain:
    hops: int = strawberry.field(description="Links in the chain: 1 for co-authors.")
    researchers: list[Researcher] = strawberry.field(
        description="From the first researcher to the second, in order."
    )
    links: list[CoauthorLink] = strawberry.field(description="One per hop, in order.")


@strawberry.type(description="How two researchers are connected through co-authorship.")
class CoauthorChains:
    source: Researcher = strawberry.field(name="from")
    target: Researcher = strawberry.field(name="to")
    hops: int | None = strawberry.field(
        description="Links in the shortest chain; null when none has at most `maxHops`."
    )
    chains: list[CoauthorChain] = strawberry.field(
        description="Shortest chains, those whose weakest link has the most shared works "
        "first; empty when none has at most `maxHops` links."
    )


def coauthor_chains(row: Row) -> CoauthorChains:
    """A `researcher_connection` row as the GraphQL answer."""
    chains = [_chain(c) for c in row["chains"]]
    return CoauthorChains(
        source=Researcher.of(row["from"]),
        target=Researcher.of(row["to"]),
        hops=chains[0].hops if chains else None,
        chains=chains,
    )


def _chain(row: dict[str, Any]) -> CoauthorChain:
    people = [Researcher.of(r) for r in row["researchers"]]
    links = [
        CoauthorLink(source=people[i], target=people[i + 1], _evidence=link)
        for i, link in enumerate(row["links"])
    ]
    return CoauthorChain(hops=len(links), researchers=people, links=links)
