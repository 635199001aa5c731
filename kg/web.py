"""The HTTP service: GraphQL (with GraphiQL) at /graphql, a health check at /healthz."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import Any

import neo4j
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route
from strawberry.asgi import GraphQL

from kg.config import Settings
from kg.db import async_driver
from kg.graphql_schema import Context, schema


class GraphQLApp(GraphQL):
    """Strawberry's ASGI app, handed the shared driver and settings as its context."""

    def __init__(self, settings: Settings, holder: dict[str, Any]) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self._settings = settings
        self._holder = holder

    async def get_context(self, request: Any, response: Any) -> Context:  # type: ignore[override]
        return Context(driver=self._holder["driver"], settings=self._settings)


def create_app(settings: Settings) -> Starlette:
    holder: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        holder["driver"] = async_driver(settings)
        try:
            yield
        finally:
            await holder["driver"].close()

    async def healthz(request: Request) -> Response:
        drv: neo4j.AsyncDriver = holder["driver"]
        try:
            await drv.verify_connectivity()
        except (ServiceUnavailable, SessionExpired, AuthError, OSError) as err:
            return JSONResponse(
                {"status": "unavailable", "neo4j": f"{err.__class__.__name__}"}, status_code=503
            )
        return JSONResponse({"status": "ok", "neo4j": "up"})

    async def index(request: Request) -> Response:
        return RedirectResponse("/graphql")

    return Starlette(
        routes=[
            Route("/", index),
            Route("/healthz", healthz),
            Route("/graphql", GraphQLApp(settings, holder)),
        ],
        lifespan=lifespan,
    )
