"""`kg bench hubs`: what the most prolific researchers cost, against the median researcher.

Issue 13's targets for a hub-heavy graph: a windowed close-collaborator count, the
researcher in context at depth 2 and the profile page should cost a hub (1,000 works or
more) about what they cost anyone; issue 14's: `connection` from a hub (to the next hub
measured; a median researcher's to the next median researcher's) within 100 ms p50.
Each request runs through the GraphQL schema in this process (resolvers, loaders and the
one Cypher query each makes; no HTTP), one at a time, hubs and median researchers
alternating, on the bench Neo4j's graph as it is.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kg.api.context import Context
from kg.api.gateway import Gateway
from kg.api.root import schema
from kg.bench import BenchError
from kg.bench.api import PROFILE_PAGE
from kg.core.config import Settings
from kg.core.db import async_driver, connected

BY_WORKS = """
MATCH (a:Author)
WITH a, COUNT { (a)-[:AUTHORED]->() } AS works
RETURN a.key AS key, works ORDER BY works DESC, key
"""

LATEST_YEAR = "MATCH (p:Paper) RETURN max(p.year) AS year"

WINDOWED = """
query Windowed($id: ID!, $from: Int!) {
  researcher(id: $id) { closeCollaboratorCount(minSharedWorks: 2, fromYear: $from) }
}
"""

CONTEXT = """
query Context($id: ID!) {
  researcher(id: $id) {
    context(depth: 2, limit: 25) { truncated nodes { kind key } edges { source target } }
  }
}
"""

EXPLORER = """
query Explorer($id: ID!) {
  researcher(id: $id) {
    id name
    context(depth: 1, limit: 25) {
      truncated
      nodes { id key kind label depth }
      edges { source target kind weight firstYear lastYear }
    }
  }
}
"""  # what /explore/{id} asks first; its year slider works on this answer alone

CONNECTION = """
query Connection($from: ID!, $to: ID!) {
  connection(from: $from, to: $to) {
    hops
    chains {
      researchers { id name }
      links { evidence(first: 5) { totalCount nodes { arxivId title published } } }
    }
  }
}
"""


@dataclass
class Figure:
    """One request kind: p50 over the hubs and over median researchers, in ms."""

    name: str
    hubs_ms: float
    median_ms: float

    def row(self) -> str:
        ratio = self.hubs_ms / self.median_ms if self.median_ms else float("nan")
        return f"{self.name:<34} {self.hubs_ms:>9.1f} {self.median_ms:>11.1f} {ratio:>8.1f}x"


@dataclass
class Measured:
    hubs: int
    hub_works: tuple[int, int]
    """Fewest and most works among the hubs measured."""
    median_works: int
    from_year: int
    figures: list[Figure]

    def summary(self) -> str:
        low, high = self.hub_works
        lines = [
            f"{self.hubs} hubs ({low:,}-{high:,} works) against researchers with the median "
            f"{self.median_works:,} works; windows from {self.from_year}",
            f"{'request (p50)':<34} {'hubs ms':>9} {'median ms':>11} {'ratio':>9}",
        ]
        return "\n".join(lines + [f.row() for f in self.figures])


def pick(
    settings: Settings, min_works: int, hubs: int
) -> tuple[list[tuple[str, int]], int, list[str], int]:
    """Hubs (at least `min_works` works, else the `hubs` most prolific), the median work
    count and as many researchers with it, and the graph's latest year."""
    with connected(settings) as drv:
        ranked = [
            (r["key"], r["works"])
            for r in drv.execute_query(BY_WORKS, database_=settings.neo4j_database).records
        ]
        latest = drv.execute_query(LATEST_YEAR, database_=settings.neo4j_database).records
    if not ranked:
        raise BenchError("the bench graph has no researchers; load one first (kg bench api)")
    chosen = [(k, n) for k, n in ranked if n >= min_works][:hubs] or ranked[:hubs]
    median = ranked[len(ranked) // 2][1]
    usual = [k for k, n in ranked if n == median][: len(chosen)]
    return chosen, median, usual, int(latest[0]["year"])


def measure(settings: Settings, min_works: int = 1000, hubs: int = 20, rounds: int = 3) -> Measured:
    """p50 of each request over `rounds` passes of hubs and median researchers, warm."""
    chosen, median, usual, latest = pick(settings, min_works, hubs)
    from_year = latest - 2
    # a hub's connection to the next hub, a median researcher's to the next one's
    next_of = _ring([k for k, _ in chosen]) | _ring(usual)
    requests: list[tuple[str, str, Callable[[str], dict[str, Any]]]] = [
        ("closeCollaboratorCount, windowed", WINDOWED, lambda k: {"id": k, "from": from_year}),
        ("context(depth: 2, limit: 25)", CONTEXT, lambda k: {"id": k}),
        ("profile page (kg bench api's)", PROFILE_PAGE, lambda k: {"id": k}),
        ("explorer's graph with edge years", EXPLORER, lambda k: {"id": k}),
        ("connection to the next one", CONNECTION, lambda k: {"from": k, "to": next_of[k]}),
    ]

    async def run() -> list[Figure]:
        driver = async_driver(settings)
        try:
            figures = []
            for name, query, variables in requests:
                times: dict[str, list[float]] = {"hubs": [], "usual": []}
                for round_ in range(rounds + 1):  # the first round warms caches and plans
                    for hub, other in zip([k for k, _ in chosen], usual, strict=False):
                        for group, key in (("hubs", hub), ("usual", other)):
                            took = await _once(driver, settings, query, variables(key))
                            if round_:
                                times[group].append(took)
                figures.append(
                    Figure(
                        name, statistics.median(times["hubs"]), statistics.median(times["usual"])
                    )
                )
            return figures
        finally:
            await driver.close()

    figures = asyncio.run(run())
    works = [n for _, n in chosen]
    return Measured(len(chosen), (min(works), max(works)), median, from_year, figures)


def _ring(keys: list[str]) -> dict[str, str]:
    """Each key's successor, the last one's the first."""
    return {k: keys[(i + 1) % len(keys)] for i, k in enumerate(keys)}


async def _once(driver: Any, settings: Settings, query: str, variables: dict[str, Any]) -> float:
    """Milliseconds for one request through the schema, with a fresh per-request context."""
    context = Context(gateway=Gateway(driver, database=settings.neo4j_database), settings=settings)
    began = time.perf_counter()
    result = await schema.execute(query, variable_values=variables, context_value=context)
    took = (time.perf_counter() - began) * 1000
    if result.errors:
        raise BenchError(f"{query.split('(')[0].strip()}: {result.errors[0]}")
    return took
