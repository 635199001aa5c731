"""Researcher pages: search at `/`, a profile at `/researcher/{id}`, files under `/static`.

The pages are plain HTML, CSS and JavaScript in `static/`, with no build step. They are
clients of the public GraphQL API like any other UI; the server only checks that a
researcher exists, so an unknown id is a real 404. The graph panel draws with cytoscape
3.34.4 (MIT), vendored from npm (`npm pack cytoscape@3.34.4`, `dist/cytoscape.min.js`
and `LICENSE`) into `static/vendor/`, so pages never load code from a CDN.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from neo4j.exceptions import DriverError, Neo4jError
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"

Exists = Callable[[Request, str], Awaitable[bool]]
"""Whether a researcher id is known to the graph (asked with the request, which carries
the app's driver)."""


def routes(exists: Exists) -> list[BaseRoute]:
    async def search(request: Request) -> Response:
        return FileResponse(STATIC / "search.html")

    async def researcher(request: Request) -> Response:
        try:
            known = await exists(request, request.path_params["id"])
        except (DriverError, Neo4jError, OSError):
            known = True  # Neo4j cannot say: the page asks the API, which explains the outage
        if not known:
            return await not_found(request)
        return FileResponse(STATIC / "researcher.html")

    return [
        Route("/", search),
        Route("/researcher/{id}", researcher),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


async def not_found(request: Request, exc: Exception | None = None) -> Response:
    """The 404 page, for unknown researchers and any unknown address."""
    return FileResponse(STATIC / "404.html", status_code=404)
