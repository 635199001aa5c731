"""Shared fixtures: the real test Neo4j (started by scripts/test.sh), recorded arXiv feeds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import neo4j
import pytest
from playwright.sync_api import Browser, Page
from starlette.testclient import TestClient

from kg.core import migrations
from kg.core.config import Settings
from kg.core.db import driver
from kg.core.errors import KgError
from kg.web.app import create_app
from loaders import arxiv_api, snapshot
from loaders.pipeline import LoadReport
from tests.browser import chromium, new_page, serve
from tests.feed_server import FeedServer
from tests.openalex_server import OpenAlexServer

FEEDS = Path(__file__).parent / "fixtures" / "feeds"
SNAPSHOTS = Path(__file__).parent / "fixtures" / "snapshot"


NEEDS_NEO4J = {"neo", "db", "load_feed", "load_snapshot", "api", "instance"}
"""Fixtures that reach the test Neo4j: a test using one is marked `neo4j` by itself, so
`pytest -m "not neo4j and not browser"` runs the rest with no server, Java or Chromium."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if NEEDS_NEO4J & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.neo4j)


@pytest.fixture(scope="session")
def settings() -> Settings:
    # a shared 2-core CI machine can stall a request for seconds: the 10 s defaults that
    # protect a server made tests fail there now and then; tests of the budgets set their own
    return Settings.from_env().with_(query_timeout=60.0, request_timeout=60.0)


@pytest.fixture(scope="session")
def neo(settings: Settings) -> Iterator[neo4j.Driver]:
    try:
        drv = driver(settings)
    except KgError as err:
        pytest.exit(
            "tests need the test Neo4j: run them with scripts/test.sh, or start one "
            f"(KG_NEO4J_HOME=... kg neo4j start) and export its KG_* settings. {err}",
            returncode=3,
        )
    migrations.apply(drv, settings.neo4j_database)
    yield drv
    drv.close()


@pytest.fixture
def db(neo: neo4j.Driver, settings: Settings) -> neo4j.Driver:
    """The real database, emptied of data (schema kept) before each test."""
    with neo.session(database=settings.neo4j_database) as s:
        s.run("MATCH (n) WHERE NOT n:SchemaMigration DETACH DELETE n").consume()
    return neo


@pytest.fixture
def feed_server() -> Iterator[Callable[[str], FeedServer]]:
    started: list[FeedServer] = []

    def start(name: str) -> FeedServer:
        server = FeedServer(FEEDS / name).__enter__()
        started.append(server)
        return server

    yield start
    for server in started:
        server.__exit__(None, None, None)


@pytest.fixture
def openalex_server() -> Iterator[OpenAlexServer]:
    """A local OpenAlex replaying tests/fixtures/openalex; `.url` is its base URL."""
    with OpenAlexServer() as server:
        yield server


@pytest.fixture
def load_feed(
    db: neo4j.Driver, settings: Settings, feed_server: Callable[[str], FeedServer]
) -> Callable[..., tuple[LoadReport, FeedServer]]:
    """Load a recorded feed directory through the real `arxiv` client and a local server."""

    def load(
        name: str, page_size: int = 4, query: str = "all:test", **overrides: Any
    ) -> tuple[LoadReport, FeedServer]:
        server = feed_server(name)
        local = settings.with_(
            arxiv_url=server.url, arxiv_delay=0.0, arxiv_page_size=page_size, **overrides
        )
        search = arxiv_api.build_search(query=query)
        return arxiv_api.load(local, db, search, progress=False), server

    return load


@pytest.fixture
def load_snapshot(db: neo4j.Driver, settings: Settings) -> Callable[[str], LoadReport]:
    """Load `tests/fixtures/snapshot/NAME.jsonl` through the transactional loader."""

    def load(name: str) -> LoadReport:
        return snapshot.load(settings, db, SNAPSHOTS / f"{name}.jsonl", progress=False)

    return load


@pytest.fixture
def api(settings: Settings) -> Iterator[Callable[..., TestClient]]:
    """The real Starlette app (settings overridable) on the test Neo4j, through HTTP."""
    opened: list[TestClient] = []

    def open_app(**overrides: Any) -> TestClient:
        client = TestClient(create_app(settings.with_(**overrides))).__enter__()
        opened.append(client)
        return client

    yield open_app
    for client in opened:
        client.__exit__(None, None, None)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium (Debian's), one per test module."""
    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    with new_page(browser) as page:
        yield page


@pytest.fixture
def site(settings: Settings) -> Iterator[str]:
    """The real app on the test Neo4j, served over HTTP for the browser; its base URL."""
    with serve(create_app(settings)) as url:
        yield url
