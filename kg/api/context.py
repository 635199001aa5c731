"""Per-request state: the caller, the gateway, and loaders that batch lookups by arguments.

A field asked for on many researchers (a list of collaborators, each with `worksCount`)
becomes one query for all of them: a loader collects the keys during one tick of the
event loop and runs one named query. Loaders are per request, so nothing is cached
across callers.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from strawberry.dataloader import DataLoader

from kg.api.auth import Caller
from kg.api.curator import Curator
from kg.api.gateway import PAGE_PARTS, Gateway
from kg.api.requests import CollaboratorRequest, WorksRequest
from kg.core.config import Settings

Row = dict[str, Any]


Fetch = Callable[[list[str]], Awaitable[dict[str, Row]]]


@dataclass
class Context:
    gateway: Gateway
    settings: Settings
    caller: Caller = field(default_factory=lambda: Caller(None))
    curator: Curator | None = None
    """Identity edits (splitWorks); the web app provides them, the API only calls them."""
    costly_lane: asyncio.Semaphore | None = None
    """Shared by the app's requests: those priced above `cost.COSTLY` run one at a time, so
    a few abusive clients queue behind each other instead of crowding out everyone else."""
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
        return await self._loader("profile", self.gateway.profiles).load(key)

    def forget_profile(self, key: str) -> None:
        """After a write: the next read of this profile must see it."""
        self._loader("profile", self.gateway.profiles).clear_all()

    def _works(self, request: WorksRequest) -> DataLoader[str, Row | None]:
        async def fetch(keys: list[str]) -> dict[str, Row]:
            return await self.gateway.works(keys, request)

        return self._loader(request, fetch)

    async def works(self, key: str, request: WorksRequest) -> Row | None:
        return await self._works(request).load(key)

    def _collaborators(self, request: CollaboratorRequest) -> DataLoader[str, Row | None]:
        async def fetch(keys: list[str]) -> dict[str, Row]:
            return await self.gateway.collaborators(keys, request)

        return self._loader(request, fetch)

    async def collaborators(self, key: str, request: CollaboratorRequest) -> Row | None:
        return await self._collaborators(request).load(key)

    async def page(
        self,
        key: str,
        works: WorksRequest | None,
        collaborators: Sequence[CollaboratorRequest],
        parts: AbstractSet[str],
    ) -> Row | None:
        """The profile of `key`, fetching in the same query the lists its fields will ask
        for; the loaders are primed with them, so those fields cost no further query.
        Of the costly `parts` of a profile (`gateway.PAGE_PARTS`), only those named are read."""
        row = await self.gateway.page(key, works, collaborators, parts)
        if row is None:
            return None
        if set(PAGE_PARTS) <= parts:  # a whole profile: other fields asking for it can have it
            self._loader("profile", self.gateway.profiles).prime(key, row)
        current = row["id"]  # the fields ask by the record's id, also when `key` redirects
        if works:
            self._works(works).prime(current, {"total": row["worksCount"], "works": row["works"]})
        for request, found in zip(collaborators, row["collaborators"], strict=True):
            self._collaborators(request).prime(current, found)
        return row

    async def viewer(self, key: str, user: str) -> Row | None:
        """The caller's follow and claim on a record (`Researcher.viewer`), batched."""

        async def fetch(keys: list[str]) -> dict[str, Row]:
            return await self.gateway.viewers(keys, user)

        return await self._loader(("viewer", user), fetch).load(key)

    async def neighbourhood(
        self, key: str, depth: int, limit: int, spans: bool = True
    ) -> Row | None:
        """The researcher in context: what `Researcher.context` draws around them; `spans`:
        with the years each edge spans."""

        async def fetch(keys: list[str]) -> dict[str, Row]:
            return await self.gateway.neighbourhood(keys, depth=depth, limit=limit, spans=spans)

        return await self._loader(("neighbourhood", depth, limit, spans), fetch).load(key)
