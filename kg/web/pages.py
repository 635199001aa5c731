"""Researcher pages: search at `/`, a profile at `/researcher/{id}`, the explorer (the
research graph full-screen, expandable) at `/explore/{id}`, files under `/static`.

The pages are plain HTML, CSS and JavaScript in `static/`, with no build step. They are
clients of the public GraphQL API like any other UI; the server only checks that a
researcher exists, so an unknown id is a real 404, and an id whose record was merged into
another answers 308 with the record's address, so old links and bookmarks keep working.
The graph panel draws with cytoscape 3.34.4 (MIT), vendored from npm (`npm pack
cytoscape@3.34.4`, `dist/cytoscape.min.js` and `LICENSE`) into `static/vendor/`, so pages
never load code from a CDN.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from neo4j.exceptions import DriverError, Neo4jError
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"

Resolve = Callable[[Request, str], Awaitable[str | None]]
"""The id of the record a researcher id names now (itself, or the record it was merged
into), None if unknown; asked with the request, which carries the app's driver."""


def routes(resolve: Resolve) -> list[BaseRoute]:
    async def search(request: Request) -> Response:
        return FileResponse(STATIC / "search.html")

    def about_researcher(name: str, file: str) -> Callable[[Request], Awaitable[Response]]:
        async def page(request: Request) -> Response:
            asked = request.path_params["id"]
            try:
                current = await resolve(request, asked)
            except (DriverError, Neo4jError, OSError):
                current = asked  # Neo4j cannot say: the page asks the API, which explains it
            if current is None:
                return await not_found(request)
            if current != asked:
                url = request.url_for(name, id=current)
                return RedirectResponse(url.path, status_code=308)
            return FileResponse(STATIC / file)

        return page

    return [
        Route("/", search),
        Route(
            "/researcher/{id}", about_researcher("researcher", "researcher.html"), name="researcher"
        ),
        Route("/explore/{id}", about_researcher("explore", "explore.html"), name="explore"),
        Mount("/static", StaticFiles(directory=STATIC), name="static"),
    ]


async def not_found(request: Request, exc: Exception | None = None) -> Response:
    """The 404 page, for unknown researchers and any unknown address."""
    return FileResponse(STATIC / "404.html", status_code=404)
