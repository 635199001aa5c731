"""Data access for researcher profiles: one named Cypher query per request, no N+1."""

from __future__ import annotations

from typing import Any

import neo4j

from kg.resources import query

PROFILE = "researcher_profile"


def _native(value: Any) -> Any:
    """neo4j.time values to Python ones, recursively, so GraphQL scalars serialise them."""
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, dict):
        return {k: _native(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_native(v) for v in value]
    return value


async def fetch_profile(
    driver: neo4j.AsyncDriver,
    key: str,
    *,
    min_shared: list[int],
    works_limit: int,
    database: str = "neo4j",
    timeout: float | None = None,
) -> dict[str, Any] | None:
    """The profile of author `key`, or None; close-collaborator counts for each threshold asked."""
    async with driver.session(database=database, default_access_mode=neo4j.READ_ACCESS) as s:
        result = await s.run(
            neo4j.Query(query(PROFILE), timeout=timeout),
            key=key,
            minShared=sorted(set(min_shared)),
            worksLimit=works_limit,
        )
        record = await result.single()
    return _native(record.data()) if record else None
