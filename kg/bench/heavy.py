"""Does the service stay there for everyone while a few clients send the costliest requests
it allows? `kg bench api --heavy N` measures one client's profile pages while N others ask,
back to back, for `HEAVY_PAGE` on the most prolific researchers."""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import Awaitable, Callable

from kg.core.config import Settings
from kg.core.db import connected

try:
    import httpx2
except ImportError:  # a dev dependency; `kg bench api` says so before anything runs
    httpx2 = None  # type: ignore[assignment]

HEAVY_PAGE = """
query Heavy($id: ID!) {
  researcher(id: $id) {
    collaborators(first: 100) { edges { node { works(first: 100) { nodes { title } } } } }
    works(first: 60) { nodes { authors { works(first: 3) { nodes { title } } } } }
  }
}
"""
"""About 40,000 objects by the API's price, under the default budget of 50,000; on the
most prolific researchers of a 100k-paper graph, seconds of work each."""

HUBS = """
MATCH (a:Author)
WITH a, COUNT { (a)-[:AUTHORED]->() } AS works ORDER BY works DESC, a.key LIMIT $n
RETURN a.key AS key
"""


def hub_keys(settings: Settings, n: int = 50) -> list[str]:
    """The `n` researchers with the most works: where a fan-out costs the most."""
    with connected(settings) as drv:
        records = drv.execute_query(HUBS, n=n, database_=settings.neo4j_database).records
    return [r["key"] for r in records]


async def send_heavy(
    client: httpx2.AsyncClient, keys: list[str], until: float, seed: str, outcomes: Counter[str]
) -> None:
    """Ask for HEAVY_PAGE back to back until `until`; count how each answer ended."""
    rng = random.Random(seed)
    while time.perf_counter() < until:
        body = {"query": HEAVY_PAGE, "variables": {"id": rng.choice(keys)}}
        try:
            answer = (await client.post("/graphql", json=body)).json()
        except httpx2.HTTPError as err:
            outcomes[err.__class__.__name__] += 1
            continue
        errors = answer.get("errors") or []
        outcomes[errors[0]["extensions"]["code"] if errors else "answered"] += 1


async def under_load(
    url: str,
    keys: list[str],
    heavy: int,
    measure: Callable[[], Awaitable[object]],
    seconds: float,
) -> Counter[str]:
    """Run `measure()` while `heavy` clients send HEAVY_PAGE; their outcomes by code."""
    outcomes: Counter[str] = Counter()
    until = time.perf_counter() + seconds
    limits = httpx2.Limits(max_connections=heavy, max_keepalive_connections=heavy)
    async with httpx2.AsyncClient(
        base_url=url, limits=limits, timeout=120, trust_env=False
    ) as client:
        senders = [
            asyncio.create_task(send_heavy(client, keys, until, f"heavy/{n}", outcomes))
            for n in range(heavy)
        ]
        await measure()
        for task in senders:
            task.cancel()
        await asyncio.gather(*senders, return_exceptions=True)
    return outcomes
