"""What the API asks of identity curation, which it may not import.

`kg.curation` sits on the API's layer, so the API names the one operation it needs here
and the web app, which may import both, hands an implementation to each request's context
(as it hands `kg.web.pages` its lookup). Failures the caller can fix are `KgError`s with
the fix in the message.
"""

from __future__ import annotations

from typing import Protocol


class Curator(Protocol):
    async def split_works(self, key: str, works: list[str], user: str, reason: str) -> str:
        """Move `user`'s works `works` (arXiv ids) off record `key` to a new record, if
        `user` holds the verified claim on `key`; returns the new record's id."""
        ...
