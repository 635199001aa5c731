"""Per-request state: the caller, the graph, and loaders that batch lookups by arguments.

A field asked for on many researchers (a list of collaborators, each with `worksCount`)
becomes one query for all of them: a loader collects the keys during one tick of the
event loop and runs one named query. Loaders are per request, so nothing is cached
across callers.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from kg.api.auth import Caller
from kg.api.data import Graph
from kg.config import Settings

Row = dict[str, Any]
Fetch = Callable[[list[str]], Awaitable[dict[str, Row]]]


@dataclass
class Context:
    graph: Graph
    settings: Settings
    caller: Caller = field(default_factory=lambda: Caller(None))
    _loaders: dict[Hashable, DataLoader[str, Row | None]] = field(default_factory=dict)

    def _loader(self, name: Hashable, fetch: Fetch) -> DataLoader[str, Row | None]:
        loader = self._loaders.get(name)
        if loader is None:

            async def batch(keys: Sequence[str]) -> list[Row | None]:
                rows = await fetch(list(dict.fromkeys(keys)))
                return [rows.get(k) for k in keys]

            loader = self._loaders[name] = DataLoader(load_fn=batch)
        return loader

    async def profile(self, key: str) -> Row | None:
        return await self._loader("profile", self.graph.profiles).load(key)

    def forget_profile(self, key: str) -> None:
        """After a write: the next read of this profile must see it."""
        self._loader("profile", self.graph.profiles).clear_all()

    async def works(self, key: str, order: str, skip: int, limit: int) -> Row | None:
        async def fetch(keys: list[str]) -> dict[str, Row]:
            return await self.graph.works(keys, order=order, skip=skip, limit=limit)

        return await self._loader(("works", order, skip, limit), fetch).load(key)

    async def collaborators(
        self,
        key: str,
        *,
        min_shared: int,
        from_year: int | None,
        to_year: int | None,
        order: str = "SHARED_WORKS",
        skip: int = 0,
        limit: int = 0,
    ) -> Row | None:
        args = (min_shared, from_year, to_year, order, skip, limit)

        async def fetch(keys: list[str]) -> dict[str, Row]:
            return await self.graph.collaborators(
                keys,
                min_shared=min_shared,
                from_year=from_year,
                to_year=to_year,
                order=order,
                skip=skip,
                limit=limit,
            )

        return await self._loader(("collaborators", *args), fetch).load(key)

    async def context(self, key: str, depth: int, limit: int) -> Row | None:
        async def fetch(keys: list[str]) -> dict[str, Row]:
            return await self.graph.context(keys, depth=depth, limit=limit)

        return await self._loader(("context", depth, limit), fetch).load(key)
