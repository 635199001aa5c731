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
from kg.api.gateway import Gateway
from kg.api.requests import CollaboratorRequest, WorksRequest
from kg.core.config import Settings

Row = dict[str, Any]


Fetch = Callable[[list[str]], Awaitable[dict[str, Row]]]

ProfileKey = tuple[str, frozenset[str]]
"""A profile asked for: the key, and the costly parts (`PAGE_PARTS`) the asker needs."""


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
    _profile_loader: DataLoader[ProfileKey, Row | None] | None = None

    def _loader(self, name: Hashable, fetch: Fetch) -> DataLoader[str, Row | None]:
        loader = self._loaders.get(name)
        if loader is None:

            async def batch(keys: Sequence[str]) -> list[Row | None]:
                rows = await fetch(list(dict.fromkeys(keys)))
                return [rows.get(k) for k in keys]

            loader = self._loaders[name] = DataLoader(load_fn=batch)
        return loader

    def _profiles(self) -> DataLoader[ProfileKey, Row | None]:
        loader = self._profile_loader
        if loader is None:
            gateway = self.gateway

            async def batch(asked: Sequence[ProfileKey]) -> list[Row | None]:
                # one query for the tick: every key, with every part any of them asked for
                keys = list(dict.fromkeys(key for key, _ in asked))
                rows = await gateway.profiles(keys, frozenset().union(*(p for _, p in asked)))
                return [rows.get(key) for key, _ in asked]

            loader = self._profile_loader = DataLoader(load_fn=batch)
        return loader

    async def profile(self, key: str, parts: AbstractSet[str] = frozenset()) -> Row | None:
        """A researcher's profile row with the costly `parts` (`gateway.PAGE_PARTS`) asked
        for, batched with the other profiles asked for in the same tick (and their parts)."""
        return await self._profiles().load((key, frozenset(parts)))

    def forget_profile(self, key: str) -> None:
        """After a write: the next read of this profile must see it."""
        self._profiles().clear_all()

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
        current = row["id"]  # the fields ask by the record's id, also when `key` redirects
        # the same researcher listed elsewhere in the request can have this row
        for held in (frozenset(), frozenset(parts)):
            self._profiles().prime((current, held), row)
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
