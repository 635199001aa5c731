"""A graph that changes under a request: the API says so, it never invents values."""

from __future__ import annotations

import asyncio
from typing import Any

import neo4j

from kg.api.context import Context
from kg.api.gateway import Gateway
from kg.api.root import schema
from kg.core.db import async_driver


class Racing(Gateway):
    """A gateway whose search answer is followed by a load removing the first researcher
    found, before their profile is read: the race a refresh can cause, made certain."""

    db: neo4j.Driver | None = None

    async def search_researchers(self, lucene: str, first: int) -> list[dict[str, Any]]:
        rows = await super().search_researchers(lucene, first)
        assert self.db is not None and rows
        self.db.execute_query("MATCH (a:Author {key: $key}) DETACH DELETE a", key=rows[0]["id"])
        return rows


def test_a_researcher_removed_mid_request_is_an_error_not_invented_numbers(load_feed, db, settings):
    load_feed("basic")

    async def go() -> Any:
        async with async_driver(settings) as driver:
            gateway = Racing(driver, database=settings.neo4j_database)
            gateway.db = db
            context = Context(gateway=gateway, settings=settings)
            document = (
                '{ search(text: "alice martin") { researchers { researcher { id worksCount } } } }'
            )
            return await schema.execute(document, context_value=context)

    result = asyncio.run(go())
    assert [e.extensions["code"] for e in result.errors] == ["NOT_FOUND"]
    assert "alice-martin" in result.errors[0].message
    assert result.errors[0].path[-1] == "worksCount"
