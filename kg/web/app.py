"""The HTTP service: GraphQL (with GraphiQL) at /graphql, researcher pages at /,
/researcher/{id} and /explore/{id} (see `kg.web.pages`), a health check at /healthz.

The app's one async Neo4j driver lives in Starlette's lifespan state: opened when the app
starts, closed when it stops, and handed to every request as `request.state.driver`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, TypedDict, cast

import neo4j
import orjson
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired
from starlette.applications import Starlette
from starlette.requests import HTTPConnection, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from kg.api.auth import identify, load_keys
from kg.api.context import Context
from kg.api.errors import with_code
from kg.api.gateway import Gateway
from kg.api.root import schema
from kg.core.config import Settings
from kg.core.db import async_driver, connected
from kg.curation import identity
from kg.web import ide_assets, pages


class State(TypedDict):
    """What the lifespan shares with every request."""

    driver: neo4j.AsyncDriver


def driver(connection: HTTPConnection) -> neo4j.AsyncDriver:
    """The app's driver, from the lifespan state of this request."""
    return connection.state.driver


GRAPHQL_RESPONSE = "application/graphql-response+json"
"""The GraphQL-over-HTTP media type; `application/json` stays the default for older clients."""


def response_media_type(accept: str | None) -> str:
    """`application/graphql-response+json` when the client prefers it (higher q, or listed
    first at the same q) to `application/json`; else `application/json`."""
    best, best_q = "application/json", -1.0
    for part in (accept or "").split(","):
        kind, *params = (p.strip() for p in part.split(";"))
        if kind not in (GRAPHQL_RESPONSE, "application/json"):
            continue
        q = next((float(v) for k, _, v in (p.partition("=") for p in params) if k == "q"), 1.0)
        if q > best_q:
            best, best_q = kind, q
    return best if best_q > 0 else "application/json"


def is_request_error(body: GraphQLHTTPResponse) -> bool:
    """Errors before execution (parse, validation, variables, price) carry no `path`."""
    errors = cast(list[dict[str, Any]], body.get("errors") or [])
    return body.get("data") is None and bool(errors) and all("path" not in e for e in errors)


class Curation:
    """The API's `Curator`: identity edits through `kg.curation.identity`, which runs on a
    synchronous driver, so each runs in a worker thread with a driver of its own (splits
    are rare; the app's async driver stays for reads)."""

    def __init__(self, settings: Settings) -> None:
        self._settings = settings

    async def split_works(self, key: str, works: list[str], user: str, reason: str) -> str:
        settings = self._settings

        def run() -> str:
            with connected(settings) as drv:
                event = identity.split(
                    drv,
                    key,
                    works,
                    actor=user,
                    reason=reason,
                    owner=user,
                    max_authors=settings.coauthor_max_authors,
                    database=settings.neo4j_database,
                )
            return event.created or ""

        return await asyncio.to_thread(run)


class GraphQLApp(GraphQL[Context, None]):
    """Strawberry's ASGI app; each request gets the shared driver, its caller and loaders."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(schema, graphql_ide="graphiql")
        self._settings = settings
        self._curator = Curation(settings)
        self._keys = load_keys(settings.api_keys, settings.api_keys_file)
        self._costly_lane = asyncio.Semaphore(1)
        # GraphiQL's files, when `kg up` has fetched them: decided once, for page and routes
        folder = settings.ide_assets
        self.ide_folder = folder if folder and ide_assets.present(folder) else None
        cdn_page = super().graphql_ide_html
        self._ide_page = ide_assets.local_page(cdn_page) if self.ide_folder else cdn_page

    @property
    def graphql_ide_html(self) -> str:
        """Strawberry's GraphiQL page, loading its files from this server once fetched."""
        return self._ide_page

    def gateway(self, connection: HTTPConnection) -> Gateway:
        """The gateway for one request, on the app's driver, with its time budget."""
        return Gateway.for_request(driver(connection), self._settings)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        caller = identify(request.headers.get("authorization"), self._keys)
        return Context(
            gateway=self.gateway(request),
            settings=self._settings,
            caller=caller,
            curator=self._curator,
            costly_lane=self._costly_lane,
        )

    async def get_sub_response(self, request: Request | WebSocket) -> Response:
        """Notes which JSON media type the client asked for, for `create_response`."""
        sub_response = await super().get_sub_response(request)
        sub_response.media_type = response_media_type(request.headers.get("accept"))
        return sub_response

    def create_response(
        self,
        response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse],
        sub_response: Response,
    ) -> Response:
        """GraphQL over HTTP: a client accepting `application/graphql-response+json` gets it,
        and a request error (the document could not be parsed, validated or given its
        variables, so nothing ran) comes back as 400 with no `data` entry."""
        graphql_response = sub_response.media_type == GRAPHQL_RESPONSE
        if graphql_response and isinstance(response_data, dict) and is_request_error(response_data):
            response_data = cast(
                GraphQLHTTPResponse, {k: v for k, v in response_data.items() if k != "data"}
            )
            sub_response.status_code = 400
        response = super().create_response(response_data, sub_response)
        if graphql_response:
            response.headers["content-type"] = f"{GRAPHQL_RESPONSE}; charset=utf-8"
        return response

    def encode_json(self, data: object) -> bytes:
        """orjson: several times faster than `json.dumps` on a page of ~750 values (0.7 ms
        of a top-1% profile page); UTF-8 is written as is instead of `\\u` escapes."""
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        return orjson.loads(data)

    async def process_result(self, request: Any, result: ExecutionResult) -> GraphQLHTTPResponse:
        """Every error leaves with an `extensions.code`, and without database internals."""
        if result.errors:
            result.errors = [with_code(e) for e in result.errors]
        return await super().process_result(request, result)


def create_app(settings: Settings) -> Starlette:
    graphql = GraphQLApp(settings)  # reads the API keys now: a bad file fails fast

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[State]:
        async with async_driver(settings) as opened:
            yield {"driver": opened}

    async def healthz(request: Request) -> Response:
        try:
            await driver(request).verify_connectivity()
        except (ServiceUnavailable, SessionExpired, AuthError, OSError) as err:
            return JSONResponse(
                {"status": "unavailable", "neo4j": f"{err.__class__.__name__}"}, status_code=503
            )
        return JSONResponse({"status": "ok", "neo4j": "up"})

    async def researcher_now(request: Request, key: str) -> str | None:
        return (await graphql.gateway(request).existing([key])).get(key)

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/graphql", graphql),
            *pages.routes(researcher_now),
            *_ide_routes(graphql.ide_folder),
        ],
        exception_handlers={404: pages.not_found},
        lifespan=lifespan,
    )


def _ide_routes(folder: Path | None) -> list[BaseRoute]:
    if folder is None:
        return []  # GraphiQL then loads from the CDN
    return [Mount(ide_assets.URL_PREFIX.rstrip("/"), StaticFiles(directory=folder))]


def app_from_env() -> Starlette:
    """The app as configured by KG_* variables: what each `kg serve --workers N` process runs."""
    return create_app(Settings.from_env())
